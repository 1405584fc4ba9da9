import type { Kysely, Transaction } from "kysely";
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

/** Appends events to the immutable timeline, inside the caller's transaction. Returns their ids. */
export async function appendEvents(trx: Executor, actor: Actor | null, events: TimelineEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = await trx
    .insertInto("ticket_events")
    .values(
      events.map((e) => ({
        ticket_id: e.ticketId,
        type: e.type,
        actor_kind: e.actorKind ?? actorKindOf(actor),
        actor_id:
          actor &&
          actor.via !== "system" &&
          (e.actorKind === undefined || e.actorKind === "user" || e.actorKind === "customer")
            ? actor.userId
            : null,
        data: JSON.stringify(e.data ?? {}),
        at: e.at,
      })),
    )
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

function actorKindOf(actor: Actor | null): TimelineEvent["actorKind"] & string {
  if (!actor || actor.via === "system") return "system";
  return actor.role === "customer" ? "customer" : "user";
}
