import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../auth/actor.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { notFound } from "../lib/app-error.ts";
import type { TimelineEvent } from "./ticket-events.ts";
import { recordChange, type TicketHook } from "./ticket-hooks.ts";
import { findTicketForUpdate, updateTicket, type TicketPatch } from "./ticket.repo.ts";

export type TicketEventService = ReturnType<typeof createTicketEventService>;

/**
 * Records timeline events that are not field edits (an SLA warning, a breach, a low rating, an
 * external issue's status) and lets the hooks react to them (rules), in one transaction. Pass the
 * caller's transaction to join it; `changes` may update the ticket in the same step.
 */
export function createTicketEventService(deps: { db: Kysely<DB>; hooks: TicketHook[] }) {
  const { db, hooks } = deps;
  async function record(
    actor: Actor,
    ticketId: string,
    events: Omit<TimelineEvent, "ticketId">[],
    now: Date,
    opts: {
      trx?: Transaction<DB>;
      set?: TicketPatch;
      /** The ticket as the caller already locked it in `trx` (saves reading it again). */
      locked?: TicketRow;
    } = {},
  ): Promise<TicketRow> {
    const run = async (trx: Transaction<DB>) => {
      const previous =
        opts.trx && opts.locked?.id === ticketId ? opts.locked : await findTicketForUpdate(trx, ticketId);
      if (!previous) throw notFound("ticket");
      const ticket = opts.set ? await updateTicket(trx, previous, opts.set, now) : previous;
      const full = events.map((e) => ({ ...e, ticketId }));
      return recordChange(hooks, trx, actor, { ticket, previous, events: full, actor, now });
    };
    return opts.trx ? run(opts.trx) : db.transaction().execute(run);
  }
  return { record };
}
