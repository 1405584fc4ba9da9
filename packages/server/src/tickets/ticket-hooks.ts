import type { Transaction } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import type { TimelineEvent } from "./ticket-events.ts";

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
