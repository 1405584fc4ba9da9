import { AsyncLocalStorage } from "node:async_hooks";
import {
  CreateMessageBody,
  CreateTicketBody,
  LIMITS,
  type WhatsappInboundMessage,
  type WhatsappStatus,
  type WhatsappWebhookBody,
} from "@eskala/contracts";
import { sql, type Transaction } from "kysely";
import type { Logger } from "pino";
import { SYSTEM_ACTOR } from "../../auth/actor.ts";
import type { Database } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import { enqueue } from "../../outbox/outbox.ts";
import type { MessageService } from "../../tickets/message.service.ts";
import { appendEvents, type TimelineEvent } from "../../tickets/ticket-events.ts";
import type { TicketHook } from "../../tickets/ticket-hooks.ts";
import type { TicketService } from "../../tickets/ticket.service.ts";
import { guessLanguage } from "../mail/inbound-classify.ts";

/** The synthetic address of a WhatsApp customer: `.invalid`, so no email is ever sent to it. */
export const whatsappEmail = (waId: string) => `wa-${waId}@whatsapp.invalid`;

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
interface InboundContext {
  wamid: string;
  waId: string;
  name: string | null;
  at: Date;
  media: InboundMedia | null;
}
const inbound = new AsyncLocalStorage<InboundContext>();

/** The WhatsApp part of every ticket change: records the inbound message that caused it. Runs before the channels hook. */
export function whatsappHook(): TicketHook {
  return async (trx, change) => {
    const ctx = inbound.getStore();
    // Only the change the message made (a creation, or the message's own change): not what hooks
    // change after it. No "done" flag: a group of creations that failed is written again item by item.
    if (!ctx || (change.previous !== null && change.message?.id === undefined)) return;
    const ticketId = change.ticket.id;
    await trx
      .insertInto("whatsapp_messages")
      .values({
        wamid: ctx.wamid,
        direction: "inbound",
        wa_id: ctx.waId,
        ticket_id: ticketId,
        message_id: change.message?.id ?? null,
        created_at: change.now,
      })
      .execute();
    await trx
      .insertInto("whatsapp_contacts")
      .values({ wa_id: ctx.waId, user_id: change.ticket.requester_id, profile_name: ctx.name, last_inbound_at: ctx.at })
      .onConflict((oc) =>
        oc.column("wa_id").doUpdateSet({
          profile_name: sql`coalesce(excluded.profile_name, whatsapp_contacts.profile_name)`,
          last_inbound_at: sql`greatest(excluded.last_inbound_at, whatsapp_contacts.last_inbound_at)`,
        }),
      )
      .execute();
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

export interface WhatsappIntakeDeps {
  database: Database;
  tickets: Pick<TicketService, "create">;
  messages: Pick<MessageService, "add">;
  log: Logger;
}

export interface WebhookResult {
  messages: number;
  duplicates: number;
  statuses: number;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "23505";
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A message's words: text as is, a caption or file name for media, a location as its name, address and a map link. */
export function messageText(m: WhatsappInboundMessage): { text: string; media: InboundMedia | null } {
  if (m.type === "text" && m.text) return { text: m.text.body.trim() || "…", media: null };
  if ((m.type === "image" || m.type === "document") && m[m.type]) {
    const ref = m[m.type]!;
    const mime = ref.mime_type ?? (m.type === "image" ? "image/jpeg" : "application/octet-stream");
    const ext =
      mime
        .split("/")[1]
        ?.split(";")[0]
        ?.replace(/[^a-z0-9]/gi, "") || "bin";
    const filename = clip((ref.filename ?? `whatsapp-${m.type}-${ref.id}.${ext}`).replace(/[/\\]/g, "_"), 255);
    const caption = ref.caption?.trim();
    return {
      text: caption ? `${caption}\n📎 ${filename}` : `📎 ${filename}`,
      media: { media_id: ref.id, mime_type: mime, filename },
    };
  }
  if (m.type === "location" && m.location) {
    const { latitude, longitude, name, address } = m.location;
    const label = [name, address].filter(Boolean).join(", ");
    return {
      text: `📍 ${label ? `${label} ` : ""}(${latitude}, ${longitude})\nhttps://maps.google.com/?q=${latitude},${longitude}`,
      media: null,
    };
  }
  return { text: `[${m.type}]`, media: null };
}

/**
 * One signed webhook delivery: its messages become tickets (a new customer, or one without an open
 * WhatsApp ticket) or replies on the customer's open ticket, threaded by wa_id, each message once;
 * its statuses land on the timeline of the ticket the message went out on, in one transaction.
 * Customers are handled side by side (their new tickets share group-committed transactions), each
 * customer's messages in order.
 */
export async function receiveWebhook(
  deps: WhatsappIntakeDeps,
  body: WhatsappWebhookBody,
  now: Date,
): Promise<WebhookResult> {
  const names = new Map<string, string>();
  const byCustomer = new Map<string, WhatsappInboundMessage[]>();
  const statuses: WhatsappStatus[] = [];
  for (const entry of body.entry)
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      for (const c of change.value.contacts ?? []) if (c.profile?.name) names.set(c.wa_id, c.profile.name);
      for (const m of change.value.messages ?? []) {
        const list = byCustomer.get(m.from) ?? [];
        list.push(m);
        byCustomer.set(m.from, list);
      }
      statuses.push(...(change.value.statuses ?? []));
    }
  const result: WebhookResult = { messages: 0, duplicates: 0, statuses: 0 };
  await Promise.all(
    [...byCustomer].map(async ([waId, list]) => {
      list.sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
      for (const m of list) {
        const fresh = await receiveMessage(deps, m, names.get(waId) ?? null, now);
        if (fresh) result.messages++;
        else result.duplicates++;
      }
    }),
  );
  if (statuses.length) result.statuses = await recordStatuses(deps.database.db, statuses, now);
  return result;
}

/** One inbound message; false when it was seen before (its id is on record). */
async function receiveMessage(
  deps: WhatsappIntakeDeps,
  m: WhatsappInboundMessage,
  name: string | null,
  now: Date,
): Promise<boolean> {
  const db = deps.database.db;
  const seen = await db.selectFrom("whatsapp_messages").select("wamid").where("wamid", "=", m.id).executeTakeFirst();
  if (seen) return false;
  const { text, media } = messageText(m);
  const sentAt = new Date(Number(m.timestamp) * 1000);
  // Meta's clock may be ahead of ours: the window is never opened in the future.
  const at = sentAt.getTime() > now.getTime() || Number.isNaN(sentAt.getTime()) ? now : sentAt;
  const ctx: InboundContext = { wamid: m.id, waId: m.from, name, at, media };
  try {
    const open = await db
      .selectFrom("whatsapp_contacts as c")
      .innerJoin("tickets as t", "t.requester_id", "c.user_id")
      .select("t.id")
      .where("c.wa_id", "=", m.from)
      .where("t.channel", "=", "whatsapp")
      .where("t.status", "not in", ["solved", "closed"])
      .orderBy("t.created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    const email = whatsappEmail(m.from);
    if (open) {
      const input = CreateMessageBody.parse({
        body: clip(text, LIMITS.messageBody),
        kind: "reply",
        channel: "whatsapp",
        author_email: email,
      });
      await inbound.run(ctx, () => deps.messages.add(SYSTEM_ACTOR, open.id, input, now));
      return true;
    }
    const language = guessLanguage(text);
    const firstLine = text.split("\n")[0]!.replace(/\s+/g, " ").trim();
    const input = CreateTicketBody.parse({
      subject: clip(firstLine || `WhatsApp +${m.from}`, Math.min(LIMITS.subject, 120)),
      description: clip(text, LIMITS.description),
      requester: {
        email,
        name: clip(name?.trim() || `+${m.from}`, LIMITS.name),
        ...(language ? { language } : {}),
      },
      channel: "whatsapp",
      ...(language ? { language } : {}),
    });
    await inbound.run(ctx, () => deps.tickets.create(SYSTEM_ACTOR, input, now));
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false; // the same message, delivered twice at once
    throw err;
  }
}

const STATUSES = new Set(["sent", "delivered", "read", "failed"]);

/**
 * Status reports of the messages we sent, in one transaction: each (message, status) once, on the
 * timeline of the message's ticket. Reports of messages we do not know are skipped.
 */
async function recordStatuses(db: Database["db"], statuses: WhatsappStatus[], now: Date): Promise<number> {
  const known = statuses.filter((s) => STATUSES.has(s.status));
  if (known.length === 0) return 0;
  return db.transaction().execute(async (trx: Transaction<DB>) => {
    const sent = await trx
      .selectFrom("whatsapp_messages")
      .select(["wamid", "ticket_id", "wa_id"])
      .where("direction", "=", "outbound")
      .where(
        "wamid",
        "in",
        known.map((s) => s.id),
      )
      .execute();
    const ticketOf = new Map(sent.map((r) => [r.wamid, r]));
    const rows = known.flatMap((s) => {
      const out = ticketOf.get(s.id);
      return out ? [{ s, out }] : [];
    });
    if (rows.length === 0) return 0;
    const fresh = await trx
      .insertInto("whatsapp_messages")
      .values(
        rows.map(({ s, out }) => ({
          wamid: `status:${s.id}:${s.status}`,
          direction: "status" as const,
          wa_id: out.wa_id,
          ticket_id: out.ticket_id,
          message_id: null,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column("wamid").doNothing())
      .returning("wamid")
      .execute();
    const isFresh = new Set(fresh.map((r) => r.wamid));
    const events: TimelineEvent[] = rows
      .filter(({ s }) => isFresh.has(`status:${s.id}:${s.status}`))
      .map(({ s, out }) => {
        const error = s.errors?.[0];
        const detail = error ? (error.error_data?.details ?? error.message ?? error.title ?? "") : "";
        return {
          ticketId: out.ticket_id,
          type: "whatsapp.status",
          at: now,
          actorKind: "system",
          data: {
            status: s.status,
            wamid: s.id,
            ...(error ? { error: clip(`${error.code ? `(#${error.code}) ` : ""}${detail}`.trim(), 500) } : {}),
          },
        };
      });
    await appendEvents(trx, null, events);
    return events.length;
  });
}
