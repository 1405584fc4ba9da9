import { sql, type Kysely, type Transaction } from "kysely";
import type { z } from "zod";
import type { AgentProfile, AgentProfilePatch, CreateUserBody, UpdateMeBody, UpdateUserBody } from "@eskala/contracts";
import { atLeast, type Actor } from "../auth/actor.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { endUserSessions, endUserStreams } from "../auth/session-end.ts";
import { setAuditActor } from "../audit/audit.repo.ts";
import type { DB } from "../db/schema.ts";
import { AppError, forbidden, notFound } from "../lib/app-error.ts";

type Profile = z.infer<typeof AgentProfile> | z.infer<typeof AgentProfilePatch>;

export type UserService = ReturnType<typeof createUserService>;

/** People: customers, agents with their profile (tier, groups, skills, languages, capacity, presence), supervisors, admins. */
export function createUserService(deps: {
  db: Kysely<DB>;
  /** An agent's profile or presence changed, in that transaction: the engine may give them waiting tickets. */
  onAgentChanged?: (trx: Transaction<DB>, userId: string) => Promise<unknown>;
}) {
  const { db } = deps;

  async function present(ids: string[]) {
    if (ids.length === 0) return [];
    const [users, skills, groups, loads] = await Promise.all([
      db
        .selectFrom("users as u")
        .leftJoin("agent_profiles as p", "p.user_id", "u.id")
        .select([
          "u.id",
          "u.email",
          "u.name",
          "u.role",
          "u.language",
          "u.organization_id",
          "u.disabled",
          "u.created_at",
          "p.tier",
          "p.languages",
          "p.capacity",
          "p.presence",
        ])
        .where("u.id", "in", ids)
        .execute(),
      db.selectFrom("agent_skills").selectAll().where("user_id", "in", ids).execute(),
      db.selectFrom("group_members").selectAll().where("user_id", "in", ids).execute(),
      db
        .selectFrom("tickets")
        .select(["assignee_id", sql<number>`count(*)::int`.as("n")])
        .where("assignee_id", "in", ids)
        .where("status", "not in", ["solved", "closed"])
        .groupBy("assignee_id")
        .execute(),
    ]);
    const byId = new Map(users.map((u) => [u.id, u]));
    return ids
      .map((id) => byId.get(id))
      .filter((u) => u !== undefined)
      .map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        language: u.language,
        organization_id: u.organization_id,
        disabled: u.disabled,
        created_at: u.created_at.toISOString(),
        agent:
          u.tier === null || u.tier === undefined
            ? null
            : {
                tier: u.tier,
                group_ids: groups.filter((g) => g.user_id === u.id).map((g) => g.group_id),
                skills: skills.filter((s) => s.user_id === u.id).map((s) => ({ skill: s.skill, level: s.level })),
                languages: (u.languages ?? []) as ("id" | "en")[],
                capacity: u.capacity ?? 0,
                presence: u.presence ?? "offline",
                open_tickets: loads.find((l) => l.assignee_id === u.id)?.n ?? 0,
              },
      }));
  }

  async function getOne(id: string) {
    const [user] = await present([id]);
    if (!user) throw notFound("user");
    return user;
  }

  async function writeProfile(trx: Transaction<DB>, userId: string, p: Partial<Profile>, exists: boolean) {
    if (p.tier !== undefined) {
      const tier = await trx.selectFrom("tiers").select("level").where("level", "=", p.tier).executeTakeFirst();
      if (!tier) throw AppError.field(["agent", "tier"], "unknown tier");
    }
    const cols = {
      ...(p.tier !== undefined ? { tier: p.tier } : {}),
      ...(p.languages ? { languages: p.languages } : {}),
      ...(p.capacity !== undefined ? { capacity: p.capacity } : {}),
      ...(p.presence ? { presence: p.presence } : {}),
    };
    if (!exists) {
      if (p.tier === undefined) throw AppError.field(["agent", "tier"], "required");
      await trx
        .insertInto("agent_profiles")
        .values({ user_id: userId, tier: p.tier, ...cols })
        .execute();
    } else if (Object.keys(cols).length) {
      await trx.updateTable("agent_profiles").set(cols).where("user_id", "=", userId).execute();
    }
    if (p.group_ids) {
      const found = p.group_ids.length
        ? await trx.selectFrom("groups").select("id").where("id", "in", p.group_ids).execute()
        : [];
      const missing = p.group_ids.findIndex((g) => !found.some((f) => f.id === g));
      if (missing >= 0) throw AppError.field(["agent", "group_ids", missing], "unknown group");
      await trx.deleteFrom("group_members").where("user_id", "=", userId).execute();
      if (p.group_ids.length)
        await trx
          .insertInto("group_members")
          .values(p.group_ids.map((g) => ({ group_id: g, user_id: userId })))
          .execute();
    }
    if (p.skills) {
      await trx.deleteFrom("agent_skills").where("user_id", "=", userId).execute();
      const unique = [...new Map(p.skills.map((s) => [s.skill.toLowerCase(), s])).values()];
      if (unique.length)
        await trx
          .insertInto("agent_skills")
          .values(unique.map((s) => ({ user_id: userId, skill: s.skill.toLowerCase(), level: s.level })))
          .execute();
    }
  }

  return {
    present,
    getOne,

    async list(
      actor: Actor,
      filter: { role?: string | undefined; group_id?: string | undefined; q?: string | undefined; limit: number },
    ) {
      if (!atLeast(actor, "agent")) throw forbidden("Staff only");
      let q = db.selectFrom("users").select("id");
      if (filter.role) q = q.where("role", "=", filter.role as never);
      if (filter.group_id)
        q = q.where(
          "id",
          "in",
          db.selectFrom("group_members").select("user_id").where("group_id", "=", filter.group_id),
        );
      if (filter.q)
        q = q.where((eb) => eb.or([eb("name", "ilike", `%${filter.q}%`), eb("email", "ilike", `%${filter.q}%`)]));
      const rows = await q.orderBy("name").limit(filter.limit).execute();
      return present(rows.map((r) => r.id));
    },

    async create(actor: Actor, body: CreateUserBody, now: Date) {
      if (actor.role !== "admin") throw forbidden("Admins manage users");
      const staff = body.role !== "customer";
      if (staff && body.role !== "admin" && !body.agent)
        throw AppError.field(["agent"], "required for agents and supervisors");
      if (!staff && body.agent) throw AppError.field(["agent"], "customers have no agent profile");
      const id = await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, now);
        const clash = await trx
          .selectFrom("users")
          .select("id")
          .where(sql<boolean>`lower(email) = ${body.email.toLowerCase()}`)
          .executeTakeFirst();
        if (clash)
          throw new AppError("conflict", "A user with this email exists", [
            { path: ["email"], message: "already used" },
          ]);
        if (body.organization_id) {
          const org = await trx
            .selectFrom("organizations")
            .select("id")
            .where("id", "=", body.organization_id)
            .executeTakeFirst();
          if (!org) throw AppError.field(["organization_id"], "unknown organization");
        }
        const user = await trx
          .insertInto("users")
          .values({
            email: body.email,
            name: body.name,
            role: body.role,
            language: body.language,
            organization_id: body.organization_id ?? null,
            password_hash: body.password ? await hashPassword(body.password) : null,
            created_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (body.agent) await writeProfile(trx, user.id, body.agent, false);
        return user.id;
      });
      return getOne(id);
    },

    async update(actor: Actor, id: string, body: UpdateUserBody) {
      const target = await db.selectFrom("users").select(["id", "role"]).where("id", "=", id).executeTakeFirst();
      if (!target) throw notFound("user");
      if (actor.role !== "admin") {
        // Supervisors tune the agents of their own groups: capacity, presence, skills, languages.
        const onlyProfile =
          Object.keys(body).every((k) => k === "agent") &&
          body.agent &&
          body.agent.tier === undefined &&
          body.agent.group_ids === undefined;
        const theirs = actor.role === "supervisor" && onlyProfile && (await supervises(actor, id));
        if (!theirs) throw forbidden("Admins manage users; supervisors tune their own agents' profiles");
      }
      await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, null);
        const set = {
          ...(body.name ? { name: body.name } : {}),
          ...(body.role ? { role: body.role } : {}),
          ...(body.language ? { language: body.language } : {}),
          ...(body.organization_id !== undefined ? { organization_id: body.organization_id } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
          ...(body.password ? { password_hash: await hashPassword(body.password) } : {}),
        };
        if (Object.keys(set).length) await trx.updateTable("users").set(set).where("id", "=", id).execute();
        if (body.agent) {
          const exists = await trx
            .selectFrom("agent_profiles")
            .select("user_id")
            .where("user_id", "=", id)
            .executeTakeFirst();
          await writeProfile(trx, id, body.agent, !!exists);
          await deps.onAgentChanged?.(trx, id);
        }
        // Access ended or changed: sessions end (disabled, new password) and open streams close,
        // in this transaction, so none outlives it or keeps showing what the user may no longer see.
        if (body.disabled || body.password) await endUserSessions(trx, id);
        else if (body.role || body.organization_id !== undefined) await endUserStreams(trx, id);
      });
      return getOne(id);
    },

    /** Changes the signed-in user; a new password ends their other sessions (`keepSession`, the one asking, stays). */
    async updateMe(actor: Actor, body: z.infer<typeof UpdateMeBody>, opts: { keepSession?: string } = {}) {
      if (body.password) {
        const row = await db
          .selectFrom("users")
          .select("password_hash")
          .where("id", "=", actor.userId)
          .executeTakeFirstOrThrow();
        if (row.password_hash && !(await verifyPassword(body.current_password ?? "", row.password_hash))) {
          throw new AppError("validation_failed", "The current password is wrong", [
            { path: ["current_password"], message: "wrong password" },
          ]);
        }
      }
      if (body.presence && actor.role === "customer") throw AppError.field(["presence"], "only agents have a presence");
      await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, null);
        const set = {
          ...(body.name ? { name: body.name } : {}),
          ...(body.language ? { language: body.language } : {}),
          ...(body.password ? { password_hash: await hashPassword(body.password) } : {}),
        };
        if (Object.keys(set).length) await trx.updateTable("users").set(set).where("id", "=", actor.userId).execute();
        if (body.presence)
          await trx
            .updateTable("agent_profiles")
            .set({ presence: body.presence })
            .where("user_id", "=", actor.userId)
            .execute();
        if (body.presence === "online") await deps.onAgentChanged?.(trx, actor.userId);
        if (body.password)
          await endUserSessions(trx, actor.userId, opts.keepSession ? { except: opts.keepSession } : {});
      });
      return getOne(actor.userId);
    },
  };

  async function supervises(actor: Actor, userId: string) {
    if (actor.supervisedGroupIds.length === 0) return false;
    const row = await db
      .selectFrom("group_members")
      .select("user_id")
      .where("user_id", "=", userId)
      .where("group_id", "in", actor.supervisedGroupIds)
      .executeTakeFirst();
    return !!row;
  }
}
