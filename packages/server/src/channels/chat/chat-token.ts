import { z } from "zod";
import { Email, LIMITS } from "@eskala/contracts";
import { hmacHex, safeEqual } from "../settings.ts";

/** A visitor's chat token lives 30 days (the widget keeps it in localStorage). */
export const VISITOR_TOKEN_DAYS = 30;

/**
 * The visitor's bearer token for one conversation: `<conversation id>.<expiry, unix s>.<hex HMAC>`,
 * signed with the instance secret, so no table of tokens is needed and a forged id fails.
 */
export function signVisitorToken(secret: string, conversationId: string, now: Date): string {
  const exp = Math.floor(now.getTime() / 1000) + VISITOR_TOKEN_DAYS * 86_400;
  const payload = `${conversationId}.${exp}`;
  return `${payload}.${hmacHex(secret, `chat:${payload}`)}`;
}

/** The conversation id of a valid, unexpired token; null otherwise. */
export function verifyVisitorToken(secret: string, token: string, now: Date): string | null {
  const m = /^([0-9a-f-]{36})\.(\d{1,12})\.([0-9a-f]{64})$/.exec(token);
  if (!m) return null;
  const [, id, exp, sig] = m as unknown as [string, string, string, string];
  if (!safeEqual(sig, hmacHex(secret, `chat:${id}.${exp}`))) return null;
  if (Number(exp) * 1000 < now.getTime()) return null;
  return id;
}

const Identity = z.object({
  email: Email,
  name: z.string().trim().min(1).max(LIMITS.name),
  exp: z.number().int().positive(),
});
export type SiteIdentity = z.infer<typeof Identity>;

/**
 * The host site's word for who its signed-in visitor is: `base64url(JSON {email,name,exp})` + "." +
 * hex HMAC-SHA256 of that first part with the site's identity secret; `exp` in unix seconds.
 * Returns why it is refused, or the identity.
 */
export function verifySiteToken(
  siteSecret: string,
  token: string,
  now: Date,
): { ok: true; identity: SiteIdentity } | { ok: false; reason: string } {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return { ok: false, reason: "malformed" };
  const payload = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (!/^[0-9a-f]{64}$/.test(sig) || !safeEqual(sig, hmacHex(siteSecret, payload)))
    return { ok: false, reason: "bad signature" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const identity = Identity.safeParse(parsed);
  if (!identity.success) return { ok: false, reason: "malformed" };
  if (identity.data.exp * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, identity: identity.data };
}

/** What a host site's back end does to vouch for a visitor (the README shows the same in a few lines). */
export function signSiteToken(siteSecret: string, identity: SiteIdentity): string {
  const payload = Buffer.from(JSON.stringify(identity)).toString("base64url");
  return `${payload}.${hmacHex(siteSecret, payload)}`;
}
