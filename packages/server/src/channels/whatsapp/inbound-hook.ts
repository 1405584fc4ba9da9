import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "kysely";
import { defer, deferredRows, isDeferred, type DeferredFlush } from "../../db/deferred.ts";
import { enqueue } from "../../outbox/outbox.ts";
import type { TicketHook } from "../../tickets/ticket-hooks.ts";

/** A media file (image, document) of an inbound message, fetched from the Graph API by the outbox. */
export interface InboundMedia {
  media_id: string;
  mime_type: string;
  filename: string;
}

/**
 * What the WhatsApp message being processed asks of the ticket change it causes; the intake sets
 * it around the service call and `whatsappHook` writes it in the change's own transaction: the
 * message id is recorded with the ticket or message (a repeated delivery fails on the key and
 * changes nothing), the customer's window opens, and the media fetch is queued.
 */
export interface InboundContext {
  wamid: string;
  waId: string;
  name: string | null;
  at: Date;
  media: InboundMedia | null;
}
export const inbound = new AsyncLocalStorage<InboundContext>();

interface MessageRow {
  wamid: string;
  wa_id: string;
  ticket_id: string;
  message_id: string | null;
  created_at: Date;
}
interface ContactRow {
  wa_id: string;
  user_id: string;
  profile_name: string | null;
  last_inbound_at: Date;
}

/** A group's inbound message ids, in one plain insert: a duplicate fails the group (it is then written item by item). */
const flushMessages: DeferredFlush<MessageRow> = async (trx, rows) => {
  await trx
    .insertInto("whatsapp_messages")
    .values(rows.map((r) => ({ ...r, direction: "inbound" as const })))
    .execute();
};

/** Contacts upserted by a group, one row per customer (an upsert cannot touch a row twice in one statement). */
const flushContacts: DeferredFlush<ContactRow> = async (trx, rows) => {
  await upsertContacts(trx, [...mergeContacts(rows).values()]);
};

function mergeContacts(rows: readonly ContactRow[]): Map<string, ContactRow> {
  const byWaId = new Map<string, ContactRow>();
  for (const r of rows) {
    const had = byWaId.get(r.wa_id);
    byWaId.set(
      r.wa_id,
      had
        ? {
            ...r,
            profile_name: r.profile_name ?? had.profile_name,
            last_inbound_at: r.last_inbound_at > had.last_inbound_at ? r.last_inbound_at : had.last_inbound_at,
          }
        : r,
    );
  }
  return byWaId;
}

function upsertContacts(trx: Parameters<DeferredFlush<ContactRow>>[0], rows: ContactRow[]) {
  return trx
    .insertInto("whatsapp_contacts")
    .values(rows)
    .onConflict((oc) =>
      oc.column("wa_id").doUpdateSet({
        profile_name: sql`coalesce(excluded.profile_name, whatsapp_contacts.profile_name)`,
        last_inbound_at: sql`greatest(excluded.last_inbound_at, whatsapp_contacts.last_inbound_at)`,
      }),
    )
    .execute();
}

/**
 * The contact a deferring transaction has buffered for this user (not yet in the table): the
 * deliverer reads it so a new customer's acknowledgement is composed inside the window.
 */
export function bufferedContact(
  trx: Parameters<DeferredFlush<ContactRow>>[0],
  userId: string,
): { wa_id: string; last_inbound_at: Date } | undefined {
  const mine = deferredRows(trx, flushContacts).filter((r) => r.user_id === userId);
  return mine.length ? mergeContacts(mine).values().next().value : undefined;
}

/** The WhatsApp part of every ticket change: records the inbound message that caused it. Runs before the channels hook. */
export function whatsappHook(): TicketHook {
  return async (trx, change) => {
    const ctx = inbound.getStore();
    // Only the change the message made (a creation, or the message's own change): not what hooks
    // change after it. No "done" flag: a group of creations that failed is written again item by item.
    if (!ctx || (change.previous !== null && change.message?.id === undefined)) return;
    const ticketId = change.ticket.id;
    const message: MessageRow = {
      wamid: ctx.wamid,
      wa_id: ctx.waId,
      ticket_id: ticketId,
      message_id: change.message?.id ?? null,
      created_at: change.now,
    };
    const contact: ContactRow = {
      wa_id: ctx.waId,
      user_id: change.ticket.requester_id,
      profile_name: ctx.name,
      last_inbound_at: ctx.at,
    };
    // In a group's transaction (replies, creations) both go in with the group's, one statement each.
    if (isDeferred(trx)) {
      defer(trx, flushMessages, message);
      defer(trx, flushContacts, contact);
    } else {
      await flushMessages(trx, [message]);
      await upsertContacts(trx, [contact]);
    }
    if (ctx.media)
      await enqueue(
        trx,
        [
          {
            kind: "whatsapp",
            key: `whatsapp-media:${ctx.wamid}`,
            ticketId,
            payload: { op: "media", ...ctx.media, message_id: change.message?.id ?? null },
          },
        ],
        change.now,
      );
  };
}
