import { sql } from "kysely";
import { LIVE_CHANNEL, type LiveSessionEndSignal } from "../notify/live-signal.ts";
import type { Executor } from "../tickets/ticket-events.ts";

/** What a request signed in with: a session (its id, the cookie's hash) or an API token (its hash). */
export interface Credential {
  kind: "session" | "token";
  id: string;
}

/**
 * Tells every process's live streams that access ended, in the caller's transaction (sent on
 * commit, never for a change that rolled back): the streams it names close at once.
 */
async function signalSessionEnd(db: Executor, signal: Omit<LiveSessionEndSignal, "t">): Promise<void> {
  const payload: LiveSessionEndSignal = { t: "session_end", ...signal };
  await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(payload)})`.execute(db);
}

/** Ends one session (sign-out): its row goes and the streams opened with it close. */
export async function endSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
  await signalSessionEnd(db, { credentials: [sessionId] });
}

/**
 * Ends a user's sessions (disabled, password changed) except `except`, the session that changed
 * the password, and closes all their streams but that session's. API tokens stay valid (they are
 * revoked on their own, and a disabled user's tokens no longer sign in), but their streams close
 * too, so they reopen with what the user may now see.
 */
export async function endUserSessions(db: Executor, userId: string, opts: { except?: string } = {}): Promise<void> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (opts.except) q = q.where("id", "!=", opts.except);
  await q.execute();
  await signalSessionEnd(db, { user_id: userId, ...(opts.except ? { except: opts.except } : {}) });
}

/** Closes a user's streams without signing them out (their role or organization changed): they reopen as the user is now. */
export async function endUserStreams(db: Executor, userId: string): Promise<void> {
  await signalSessionEnd(db, { user_id: userId });
}

/** Closes the streams opened with a revoked API token. */
export async function endTokenStreams(db: Executor, tokenHash: string): Promise<void> {
  await signalSessionEnd(db, { credentials: [tokenHash] });
}

/** Whether a stream's credential still signs its user in (a stream's periodic check, in case a signal was lost). */
export async function isCredentialLive(db: Executor, credential: Credential, now: Date): Promise<boolean> {
  const row =
    credential.kind === "session"
      ? await db
          .selectFrom("sessions as s")
          .innerJoin("users as u", "u.id", "s.user_id")
          .select("u.id")
          .where("s.id", "=", credential.id)
          .where("s.expires_at", ">", now)
          .where("u.disabled", "=", false)
          .executeTakeFirst()
      : await db
          .selectFrom("api_tokens as t")
          .innerJoin("users as u", "u.id", "t.user_id")
          .select("u.id")
          .where("t.token_hash", "=", credential.id)
          .where("t.revoked_at", "is", null)
          .where("u.disabled", "=", false)
          .executeTakeFirst();
  return row !== undefined;
}

/** Whether a live signal ends a stream opened by this user with this credential. */
export function endsStream(signal: LiveSessionEndSignal, userId: string, credential: Credential | null): boolean {
  if (signal.credentials && credential && signal.credentials.includes(credential.id)) return true;
  return signal.user_id === userId && (signal.except === undefined || signal.except !== credential?.id);
}
