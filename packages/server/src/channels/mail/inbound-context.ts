import { AsyncLocalStorage } from "node:async_hooks";
import type { Transaction } from "kysely";
import type { Actor } from "../../auth/actor.ts";
import type { DB } from "../../db/schema.ts";
import { appendEvents } from "../../tickets/ticket-events.ts";
import type { TicketChange } from "../../tickets/ticket-hooks.ts";

/**
 * What the mail being processed asks of the ticket change it causes. The ticket services take no
 * mail details, so the intake sets this around its service call and the channels hook writes it in
 * the change's own transaction: the Message-ID is recorded atomically with the ticket or message
 * (a repeated or concurrent delivery fails on the primary key and changes nothing).
 */
export interface InboundMailContext {
  messageId: string;
  /** Set when the customer asked for escalation and the engine offers no escalation requests. */
  escalation?: { reason: string; text: string; authorId: string };
  /**
   * The transaction that recorded it. Not a flag: a group commit that fails (a duplicate in the
   * group) tries each item again in a transaction of its own, which must record it again.
   */
  recordedIn?: object;
  /** The IMAP message this mail was fetched as: recorded with the ticket or message, once. */
  imap?: ImapImportKey;
}

/** One message of an IMAP folder: its mailbox, the folder's UIDVALIDITY and the message's UID. */
export interface ImapImportKey {
  mailboxId: string;
  uidvalidity: number;
  uid: number;
}

export const inboundMail = new AsyncLocalStorage<InboundMailContext>();

/** The part of the channels hook that records the inbound mail of this change. */
export async function recordInboundMail(trx: Transaction<DB>, change: TicketChange): Promise<void> {
  const ctx = inboundMail.getStore();
  if (!ctx || ctx.recordedIn === trx) return;
  if (change.previous !== null && !change.message) return;
  ctx.recordedIn = trx;
  await trx
    .insertInto("mail_messages")
    .values({
      message_id: ctx.messageId,
      ticket_id: change.ticket.id,
      direction: "inbound",
      template: null,
      recipient: null,
      created_at: change.now,
    })
    .execute();
  if (ctx.imap)
    await trx
      .insertInto("imap_imports")
      .values({
        mailbox_id: ctx.imap.mailboxId,
        uidvalidity: ctx.imap.uidvalidity,
        uid: ctx.imap.uid,
        outcome: change.previous === null ? "ticket" : "message",
        ticket_id: change.ticket.id,
        imported_at: change.now,
      })
      .execute();
  if (ctx.escalation && change.message) {
    // The customer is the author of the message; the event is theirs on the timeline.
    const { authorId, ...request } = ctx.escalation;
    const customer: Actor = { ...change.actor, role: "customer", via: "token", userId: authorId };
    await appendEvents(trx, customer, [
      {
        ticketId: change.ticket.id,
        type: "escalation.requested",
        at: change.now,
        data: { ...request, via: "email", message_id: change.message.id },
        actorKind: "customer",
      },
    ]);
  }
}
