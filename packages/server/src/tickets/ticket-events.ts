import { sql, type Kysely, type Transaction } from "kysely";
import { defer, isDeferred, reserveIds, type DeferredFlush } from "../db/deferred.ts";
import type { DB } from "../db/schema.ts";
import type { Actor } from "../auth/actor.ts";

export type Executor = Kysely<DB> | Transaction<DB>;

export interface TimelineEvent {
  ticketId: string;
  type: string;
  data?: Record<string, unknown>;
  at: Date;
  /** Defaults to the actor's kind: rules and timers name themselves here. */
  actorKind?: "user" | "customer" | "rule" | "sla_timer" | "system";
}

interface EventRow {
  id?: number;
  ticket_id: string;
  type: string;
  actor_kind: NonNullable<TimelineEvent["actorKind"]>;
  actor_id: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/** Writes a deferring transaction's events, ids reserved beforehand (see db/deferred.ts). */
const flushEvents: DeferredFlush<EventRow> = async (trx, rows) => {
  await sql`
    insert into ticket_events (id, ticket_id, type, actor_kind, actor_id, data, at) overriding system value
    select id, ticket_id, type, actor_kind, actor_id, data, at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(id bigint, ticket_id uuid, type text, actor_kind text, actor_id uuid, data jsonb, at timestamptz)`.execute(
    trx,
  );
};

/** Appends events to the immutable timeline, inside the caller's transaction. Returns their ids. */
export async function appendEvents(trx: Executor, actor: Actor | null, events: TimelineEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows: EventRow[] = events.map((e) => ({
    ticket_id: e.ticketId,
    type: e.type,
    actor_kind: e.actorKind ?? actorKindOf(actor),
    actor_id:
      actor &&
      actor.via !== "system" &&
      (e.actorKind === undefined || e.actorKind === "user" || e.actorKind === "customer")
        ? actor.userId
        : null,
    data: e.data ?? {},
    at: e.at,
  }));
  if (isDeferred(trx)) {
    const ids = await reserveIds(trx, "ticket_events", rows.length);
    rows.forEach((row, i) => defer(trx, flushEvents, { ...row, id: ids[i]! }));
    return ids;
  }
  const inserted = await trx
    .insertInto("ticket_events")
    .values(rows.map((r) => ({ ...r, data: JSON.stringify(r.data) })))
    .returning("id")
    .execute();
  return inserted.map((r) => r.id);
}

function actorKindOf(actor: Actor | null): TimelineEvent["actorKind"] & string {
  if (!actor || actor.via === "system") return "system";
  return actor.role === "customer" ? "customer" : "user";
}
