import type { Transaction } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { appendEvents, type TimelineEvent } from "./ticket-events.ts";

/** What one transaction did to a ticket, handed to the parts that react inside the same transaction. */
export interface TicketChange {
  ticket: TicketRow;
  previous: TicketRow | null;
  events: (TimelineEvent & { id: number })[];
  actor: Actor;
  now: Date;
  /** How many rule-driven changes led to this one (0 for a person's or a timer's change). */
  depth?: number;
  /** Set when the change came from a message. */
  message?: { id: string; kind: "reply" | "note"; authorRole: string; body: string; sentiment: number | null };
}

/**
 * A reaction to a ticket change that writes in the change's own transaction (SLA clocks and
 * timers, routing, rules, the outbox). It may update the ticket and returns the latest row.
 */
export type TicketHook = (trx: Transaction<DB>, change: TicketChange) => Promise<TicketRow | void>;

export async function runHooks(
  hooks: readonly TicketHook[],
  trx: Transaction<DB>,
  change: TicketChange,
): Promise<TicketRow> {
  let ticket = change.ticket;
  for (const hook of hooks) ticket = (await hook(trx, { ...change, ticket })) ?? ticket;
  return ticket;
}

/**
 * Records a change: appends its timeline events (by `eventActor`; null for the system) and runs
 * the hooks on it with the events' ids, in the caller's transaction. Returns the latest row.
 */
export async function recordChange(
  hooks: readonly TicketHook[],
  trx: Transaction<DB>,
  eventActor: Actor | null,
  change: Omit<TicketChange, "events"> & { events: TimelineEvent[] },
): Promise<TicketRow> {
  const ids = await appendEvents(trx, eventActor, change.events);
  return runHooks(hooks, trx, { ...change, events: change.events.map((e, i) => ({ ...e, id: ids[i]! })) });
}
