import { sql } from "kysely";
import { customerLiveType } from "../tickets/customer-view.ts";
import type { TicketHook } from "../tickets/ticket-hooks.ts";
import { LIVE_CHANNEL, type LiveTicketSignal } from "./live-signal.ts";

/**
 * Tells the live streams about every ticket change: one `pg_notify` in the change's own
 * transaction, so it is delivered on commit and never for a change that rolled back. The signal
 * carries the requester and organization, so each stream filters without a query.
 */
export function liveTicketHook(): TicketHook {
  return async (trx, change) => {
    const t = change.ticket;
    const signal: LiveTicketSignal = {
      t: "ticket",
      ticket_id: t.id,
      type: change.events[0]?.type ?? "ticket.updated",
      at: change.now.toISOString(),
      version: t.version,
      requester_id: t.requester_id,
      organization_id: t.organization_id,
      internal: change.message?.kind === "note",
      customer_type: change.message?.kind === "note" ? null : customerLiveType(change.events),
    };
    await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(signal)})`.execute(trx);
  };
}
