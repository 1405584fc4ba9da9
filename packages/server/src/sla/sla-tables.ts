/** Kysely's view of the tables 004_sla.sql adds (kept here so db/schema.ts stays untouched). */
import type { Generated, Kysely, Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

export interface TicketSlaTable {
  ticket_id: string;
  policy_id: string | null;
  policy_version: number | null;
  ledger: unknown;
  updated_at: Generated<Date>;
}

export interface SlaRecomputeJobsTable {
  id: Generated<string>;
  kind: "calendar" | "policy" | "all";
  target_id: string | null;
  policy_ids: Generated<string[]>;
  total: Generated<number>;
  done: Generated<number>;
  cursor: string | null;
  status: Generated<"queued" | "running" | "done" | "failed">;
  error: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface SlaDB extends DB {
  ticket_sla: TicketSlaTable;
  sla_recompute_jobs: SlaRecomputeJobsTable;
}

/** The same executor, typed with the SLA tables. */
export function slaDb<T extends Kysely<DB> | Transaction<DB>>(
  db: T,
): T extends Transaction<DB> ? Transaction<SlaDB> : Kysely<SlaDB> {
  return db as never;
}
