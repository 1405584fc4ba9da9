import { createHmac } from "node:crypto";
import { safeEqual } from "../settings.ts";

/** A survey link lives this long after the solve. */
export const SURVEY_TTL_MS = 28 * 86_400_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signature = (secret: string, surveyId: string, expUnix: number) =>
  createHmac("sha256", secret).update(`survey:${surveyId}.${expUnix}`).digest("base64url");

/** `{surveyId}.{expiry unix seconds}.{HMAC-SHA256 of both}`: the survey link's token. */
export function signSurveyToken(surveyId: string, expiresAt: Date, secret: string): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${surveyId}.${exp}.${signature(secret, surveyId, exp)}`;
}

export type TokenCheck = { ok: true; surveyId: string } | { ok: false; reason: "invalid" | "expired" };

/** Checks the signature first (a tampered token is `invalid`), then the expiry. */
export function verifySurveyToken(token: string, secret: string, now: Date): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "invalid" };
  const [surveyId, expText, sig] = parts as [string, string, string];
  if (!UUID.test(surveyId) || !/^\d{1,12}$/.test(expText)) return { ok: false, reason: "invalid" };
  const exp = Number(expText);
  if (!safeEqual(sig, signature(secret, surveyId, exp))) return { ok: false, reason: "invalid" };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, surveyId };
}
