import { createHmac } from "node:crypto";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import type { DB } from "../db/schema.ts";
import { AppError, notFound } from "../lib/app-error.ts";
import { enqueue } from "../outbox/outbox.ts";
import { mailboxLocal } from "../channels/mail/addresses.ts";
import { magicLinkEmail } from "../channels/mail/magic-link-mail.ts";
import { isDeliverable } from "../channels/mail/outbound.ts";
import { loadSecret, publicBaseUrl, safeEqual } from "../channels/settings.ts";
import type { AuthService } from "./auth.service.ts";

/** A sign-in link works this long after it is sent, and once. */
export const MAGIC_LINK_TTL_MS = 15 * 60_000;
/** An address is sent at most this many links per TTL window; more requests are answered alike and send nothing. */
export const MAGIC_LINKS_PER_ADDRESS = 3;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signature = (secret: string, id: string, expUnix: number) =>
  createHmac("sha256", secret).update(`magic:${id}.${expUnix}`).digest("base64url");

/** `{linkId}.{expiry unix seconds}.{HMAC-SHA256 of both}`: the sign-in link's token. */
export function signMagicToken(id: string, expiresAt: Date, secret: string): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${id}.${exp}.${signature(secret, id, exp)}`;
}

/** The link id of a token whose signature holds (expiry and use are the row's to tell), or null. */
export function verifyMagicToken(token: string, secret: string): string | null {
  const [id, expText, sig, ...rest] = token.split(".");
  if (rest.length || !id || !expText || !sig || !UUID.test(id) || !/^\d{1,12}$/.test(expText)) return null;
  return safeEqual(sig, signature(secret, id, Number(expText))) ? id : null;
}

export type MagicLinkService = ReturnType<typeof createMagicLinkService>;

/**
 * Sign-in by email link for customers (staff keep their passwords): a request sends a single-use
 * link through the outbox in the customer's language; redeeming it opens a session.
 */
export function createMagicLinkService(deps: {
  db: Kysely<DB>;
  config: Pick<Config, "ESKALA_SECRET" | "ESKALA_PUBLIC_URL" | "PORT" | "ESKALA_MAIL_DOMAIN">;
  auth: Pick<AuthService, "openSession">;
}) {
  const { db, config } = deps;

  return {
    /**
     * Sends a link to an enabled customer with a deliverable address, unless the address had
     * MAGIC_LINKS_PER_ADDRESS links in the last window. Says nothing either way: the caller answers
     * every request alike, so nobody learns which addresses have an account.
     */
    async request(email: string, now: Date): Promise<void> {
      const domain = config.ESKALA_MAIL_DOMAIN.toLowerCase();
      await db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom("users")
          .select(["id", "email", "name", "language", "role", "disabled"])
          .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.trim().toLowerCase()))
          .forUpdate()
          .executeTakeFirst();
        if (!user || user.role !== "customer" || user.disabled || !isDeliverable(user.email.trim(), domain)) return;
        const recent = await trx
          .selectFrom("magic_links")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("user_id", "=", user.id)
          .where("created_at", ">", new Date(now.getTime() - MAGIC_LINK_TTL_MS))
          .executeTakeFirstOrThrow();
        if (Number(recent.n) >= MAGIC_LINKS_PER_ADDRESS) return;
        const expiresAt = new Date(now.getTime() + MAGIC_LINK_TTL_MS);
        const link = await trx
          .insertInto("magic_links")
          .values({ user_id: user.id, expires_at: expiresAt, created_at: now })
          .returning("id")
          .executeTakeFirstOrThrow();
        const token = signMagicToken(link.id, expiresAt, await loadSecret(trx, config));
        const mailbox = await trx
          .selectFrom("groups")
          .select("email_address")
          .where("email_address", "is not", null)
          .orderBy("is_default", "desc")
          .orderBy("created_at")
          .executeTakeFirst();
        const local = (mailbox?.email_address && mailboxLocal(mailbox.email_address, domain)) || "support";
        const payload = magicLinkEmail(user.email.trim(), `Eskala <${local}@${domain}>`, user.language, {
          customer_name: user.name,
          login_url: `${publicBaseUrl(config)}/portal/login/link?token=${encodeURIComponent(token)}`,
          minutes: String(MAGIC_LINK_TTL_MS / 60_000),
        });
        await enqueue(trx, [{ kind: "email", key: `magic-link:${link.id}`, payload }], now);
      });
    },

    /**
     * Opens a session with a link's token: once, within its 15 minutes, for an enabled customer.
     * A token whose signature fails is a 404; a used or expired one, 410.
     */
    async redeem(token: string, now: Date) {
      const id = verifyMagicToken(token, await loadSecret(db, config));
      if (!id) throw notFound("sign-in link");
      const used = await db
        .updateTable("magic_links")
        .set({ used_at: now })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .returning("user_id")
        .executeTakeFirst();
      if (!used) {
        const row = await db.selectFrom("magic_links").select("used_at").where("id", "=", id).executeTakeFirst();
        if (!row) throw notFound("sign-in link");
        throw new AppError(
          "gone",
          row.used_at
            ? "This sign-in link has already been used; ask for a new one"
            : "This sign-in link has expired; ask for a new one",
        );
      }
      const user = await db
        .selectFrom("users")
        .select(["role", "disabled"])
        .where("id", "=", used.user_id)
        .executeTakeFirstOrThrow();
      if (user.disabled || user.role !== "customer") throw new AppError("gone", "This sign-in link no longer works");
      return deps.auth.openSession(used.user_id, now);
    },
  };
}
