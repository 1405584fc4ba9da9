import type { Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

/** An outbox row as the relay claimed it; `attempts` already counts this attempt and is the lease token. */
export interface ClaimedRow {
  id: number;
  kind: "email" | "webhook" | "notification" | "whatsapp";
  idempotency_key: string;
  ticket_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

/** A delivery's result; `meta` carries what `send` learned to `commit` (status code, duration). */
export type Outcome =
  | { ok: true; meta?: Record<string, unknown> }
  | { ok: false; error: string; permanent?: boolean; meta?: Record<string, unknown> };

/** How the relay delivers one kind of row. */
export interface KindHandler {
  /** The external side effect, run outside any transaction (SMTP, HTTP). Absent for in-database kinds. */
  send?(row: ClaimedRow): Promise<Outcome>;
  /**
   * Writes that commit with the row's result (the delivery log, the in-app row); may turn the
   * outcome into a permanent failure (a webhook disabled by this failure).
   */
  commit?(trx: Transaction<DB>, row: ClaimedRow, outcome: Outcome | null, now: Date): Promise<Outcome | void>;
  /** `commit` for several rows in one go (one statement for a batch); used instead of `commit` when present. */
  commitMany?(
    trx: Transaction<DB>,
    rows: { row: ClaimedRow; outcome: Outcome | null }[],
    now: Date,
  ): Promise<(Outcome | void)[]>;
}

export const errorText = (err: unknown) => clipError(err instanceof Error ? err.message : String(err));
export const clipError = (s: string) => (s.length > 1000 ? `${s.slice(0, 999)}…` : s);
