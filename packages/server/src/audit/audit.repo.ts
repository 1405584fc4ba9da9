import { sql, type Kysely, type Selectable } from "kysely";
import type { AuditLogQuery } from "@eskala/contracts";
import type { DB } from "../db/schema.ts";

/** The audit_log table (migration 015): written only by its triggers, never updated or deleted. */
export interface AuditLogTable {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string;
  action: "created" | "updated" | "deleted";
  entity: string;
  entity_id: string;
  entity_name: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
export type AuditRow = Selectable<AuditLogTable>;

/** Who makes the changes of a transaction, as the audit triggers read it. */
export interface AuditActor {
  userId: string;
  name: string;
  /** Eskala acting by itself (`SYSTEM_ACTOR`) is recorded as Eskala, without a person. */
  via?: string;
}

/**
 * Names the person (and the instant) the audit triggers record for the changes that follow in
 * this transaction; `set_config(…, true)` ends with the transaction, so a pooled connection keeps nothing.
 */
export async function setAuditActor(trx: Kysely<DB>, actor: AuditActor | null, now: Date | null): Promise<void> {
  const person = actor && actor.via !== "system" ? actor : null;
  await sql`select set_config('eskala.actor_id', ${person?.userId ?? ""}, true),
    set_config('eskala.actor_name', ${person?.name ?? ""}, true),
    set_config('eskala.audit_at', ${now?.toISOString() ?? ""}, true)`.execute(trx);
}

/** Runs `change` in a transaction whose writes the audit log attributes to `actor` at `now`. */
export function audited<T>(
  db: Kysely<DB>,
  actor: AuditActor | null,
  now: Date | null,
  change: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await setAuditActor(trx, actor, now);
    return change(trx);
  });
}

/** A page of entries, newest first, after the cursor (the last id of the previous page). */
export async function findAuditEntries(db: Kysely<DB>, q: AuditLogQuery): Promise<AuditRow[]> {
  let query = db.withTables<{ audit_log: AuditLogTable }>().selectFrom("audit_log").selectAll();
  if (q.entity) query = query.where("entity", "=", q.entity);
  if (q.entity_id) query = query.where("entity_id", "=", q.entity_id);
  if (q.actor_id) query = query.where("actor_id", "=", q.actor_id);
  if (q.action) query = query.where("action", "=", q.action);
  if (q.from) query = query.where("at", ">=", new Date(q.from));
  if (q.to) query = query.where("at", "<", new Date(q.to));
  if (q.cursor) query = query.where("id", "<", q.cursor);
  return query
    .orderBy("id", "desc")
    .limit(q.limit + 1)
    .execute();
}
