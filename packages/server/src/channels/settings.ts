import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Config } from "../config.ts";
import type { Executor } from "../tickets/ticket-events.ts";

const SECRET_KEY = "secret";

/**
 * The signing secret for survey links, Reply-To addresses and integrations: ESKALA_SECRET, or one
 * generated on first start and kept in `settings`, so links signed before a restart stay valid.
 */
export async function ensureSecret(db: Executor, config: Pick<Config, "ESKALA_SECRET">): Promise<string> {
  if (config.ESKALA_SECRET) return config.ESKALA_SECRET;
  await db
    .insertInto("settings")
    .values({ key: SECRET_KEY, value: randomBytes(32).toString("base64url") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  return loadSecret(db, config);
}

/** Reads the secret inside any transaction (ensureSecret ran at start). */
export async function loadSecret(db: Executor, config: Pick<Config, "ESKALA_SECRET">): Promise<string> {
  if (config.ESKALA_SECRET) return config.ESKALA_SECRET;
  const row = await db.selectFrom("settings").select("value").where("key", "=", SECRET_KEY).executeTakeFirst();
  if (!row) throw new Error("The signing secret is missing: composeChannels must run first");
  return row.value;
}

/** Where customers reach the app: ESKALA_PUBLIC_URL, or localhost on the HTTP port. */
export function publicBaseUrl(config: Pick<Config, "ESKALA_PUBLIC_URL" | "PORT">): string {
  return (config.ESKALA_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
}

export function hmacHex(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data).digest("hex");
}

/** Constant-time comparison of two hex or ASCII strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
