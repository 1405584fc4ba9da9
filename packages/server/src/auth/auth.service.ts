import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { audited, type AuditActor } from "../audit/audit.repo.ts";
import type { DB } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import type { Actor } from "./actor.ts";
import { hashToken, newToken, verifyPassword } from "./password.ts";
import { endSession, endTokenStreams } from "./session-end.ts";

const SESSION_DAYS = 14;
const ACTOR_CACHE_MS = 5_000;

export type AuthService = ReturnType<typeof createAuthService>;

/** Logins, sessions and API tokens; resolves a request's credentials to an Actor. */
export function createAuthService(deps: { db: Kysely<DB> }) {
  const { db } = deps;
  // Bearer tokens are looked up on every API call; a short cache keeps that off the hot path. It
  // holds the lookup itself, so the many requests that find an expired entry at once share one.
  const tokenCache = new Map<string, { actor: Promise<Actor | null>; until: number }>();

  async function loadActor(userId: string, via: Actor["via"]): Promise<Actor | null> {
    const user = await db
      .selectFrom("users")
      .leftJoin("organizations", "organizations.id", "users.organization_id")
      .leftJoin("agent_profiles", "agent_profiles.user_id", "users.id")
      .select([
        "users.id",
        "users.name",
        "users.email",
        "users.role",
        "users.language",
        "users.disabled",
        "users.organization_id",
        "organizations.shared_tickets",
        "agent_profiles.tier",
      ])
      .where("users.id", "=", userId)
      .executeTakeFirst();
    if (!user || user.disabled) return null;
    const [members, supervised] = await Promise.all([
      db.selectFrom("group_members").select("group_id").where("user_id", "=", userId).execute(),
      db.selectFrom("group_supervisors").select("group_id").where("user_id", "=", userId).execute(),
    ]);
    return {
      userId: user.id,
      role: user.role,
      name: user.name,
      email: user.email,
      language: user.language,
      organizationId: user.organization_id,
      orgShared: user.shared_tickets ?? false,
      tier: user.tier ?? null,
      groupIds: members.map((m) => m.group_id),
      supervisedGroupIds: supervised.map((s) => s.group_id),
      via,
    };
  }

  /** A new session for a user who proved who they are (a password, a sign-in link). */
  async function openSession(userId: string, now: Date) {
    const sessionToken = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await db
      .insertInto("sessions")
      .values({
        id: hashToken(sessionToken),
        user_id: userId,
        csrf_token: csrfToken,
        expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
      })
      .execute();
    await db.deleteFrom("sessions").where("user_id", "=", userId).where("expires_at", "<", now).execute();
    const actor = (await loadActor(userId, "session"))!;
    return { sessionToken, csrfToken, actor, maxAgeSeconds: SESSION_DAYS * 86_400 };
  }

  return {
    loadActor,

    /**
     * Forgets every cached token actor: access ended or changed somewhere (a user disabled, their
     * role or organization changed, a token revoked; the live `session_end` signal, from any
     * process), so the next request with a token reads its user as they are now.
     */
    forgetTokens() {
      tokenCache.clear();
    },

    async actorFromToken(token: string, now: Date): Promise<Actor | null> {
      const hash = hashToken(token);
      const cached = tokenCache.get(hash);
      if (cached && cached.until > now.getTime()) return cached.actor;
      const lookup = (async () => {
        const row = await db
          .updateTable("api_tokens")
          .set({ last_used_at: now })
          .where("token_hash", "=", hash)
          .where("revoked_at", "is", null)
          .returning(["user_id"])
          .executeTakeFirst();
        return row ? await loadActor(row.user_id, "token") : null;
      })();
      const entry = { actor: lookup, until: now.getTime() + ACTOR_CACHE_MS };
      tokenCache.set(hash, entry);
      lookup.catch(() => tokenCache.get(hash) === entry && tokenCache.delete(hash));
      return lookup;
    },

    async sessionFromCookie(sessionToken: string, now: Date): Promise<{ actor: Actor; csrfToken: string } | null> {
      const row = await db
        .selectFrom("sessions")
        .select(["user_id", "csrf_token", "expires_at"])
        .where("id", "=", hashToken(sessionToken))
        .executeTakeFirst();
      if (!row || row.expires_at <= now) return null;
      const actor = await loadActor(row.user_id, "session");
      return actor ? { actor, csrfToken: row.csrf_token } : null;
    },

    async login(email: string, password: string, now: Date) {
      const user = await db
        .selectFrom("users")
        .select(["id", "password_hash", "disabled"])
        .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
        .executeTakeFirst();
      const ok = await verifyPassword(password, user?.password_hash ?? null);
      if (!user || !ok || user.disabled) throw new AppError("unauthenticated", "Wrong email or password");
      return openSession(user.id, now);
    },

    openSession,

    /** Signs out: the session ends and the live streams opened with it close. */
    async logout(sessionToken: string) {
      await endSession(db, hashToken(sessionToken));
    },

    /** `by`: the person creating it, for the audit log. */
    async createToken(userId: string, name: string, by?: { actor: AuditActor; now: Date }) {
      const token = newToken("esk");
      const row = await audited(db, by?.actor ?? null, by?.now ?? null, (trx) =>
        trx
          .insertInto("api_tokens")
          .values({ user_id: userId, name, token_hash: hashToken(token) })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return { token, row };
    },

    async revokeToken(id: string, now: Date, actor: AuditActor | null = null) {
      const row = await audited(db, actor, now, (trx) =>
        trx
          .updateTable("api_tokens")
          .set({ revoked_at: now })
          .where("id", "=", id)
          .returning("token_hash")
          .executeTakeFirst(),
      );
      if (!row) throw new AppError("not_found", "token not found");
      tokenCache.delete(row.token_hash);
      await endTokenStreams(db, row.token_hash);
    },

    /** Ensures an admin token with exactly this value exists (ESKALA_ADMIN_TOKEN), creating its admin if needed. */
    async ensureAdminToken(token: string) {
      const hash = hashToken(token);
      const existing = await db.selectFrom("api_tokens").select("id").where("token_hash", "=", hash).executeTakeFirst();
      if (existing) {
        await db.updateTable("api_tokens").set({ revoked_at: null }).where("id", "=", existing.id).execute();
        return;
      }
      let admin = await db
        .selectFrom("users")
        .select("id")
        .where("role", "=", "admin")
        .where("disabled", "=", false)
        .orderBy("created_at")
        .executeTakeFirst();
      admin ??= await db.selectFrom("users").select("id").where("email", "=", "admin@eskala.local").executeTakeFirst();
      admin ??= await db
        .insertInto("users")
        .values({
          email: "admin@eskala.local",
          name: "Administrator",
          role: "admin",
          password_hash: null,
          created_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("api_tokens")
        .values({ user_id: admin.id, name: "ESKALA_ADMIN_TOKEN", token_hash: hash })
        .execute();
    },
  };
}
