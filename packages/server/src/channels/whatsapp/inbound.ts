import {
  CreateMessageBody,
  CreateTicketBody,
  LIMITS,
  type WhatsappInboundMessage,
  type WhatsappStatus,
  type WhatsappWebhookBody,
} from "@eskala/contracts";
import { sql } from "kysely";
import type { Logger } from "pino";
import { SYSTEM_ACTOR } from "../../auth/actor.ts";
import type { Database } from "../../db/database.ts";
import { deferWrites, flushDeferred } from "../../db/deferred.ts";
import { createGroupCommit, type Settled } from "../../db/group-commit.ts";
import type { MessageService } from "../../tickets/message.service.ts";
import type { TicketService } from "../../tickets/ticket.service.ts";
import { guessLanguage } from "../mail/inbound-classify.ts";
import { inbound, type InboundContext, type InboundMedia } from "./inbound-hook.ts";
import { createStatusIntake } from "./statuses.ts";

export { whatsappHook, type InboundMedia } from "./inbound-hook.ts";

/** The synthetic address of a WhatsApp customer: `.invalid`, so no email is ever sent to it. */
export const whatsappEmail = (waId: string) => `wa-${waId}@whatsapp.invalid`;

export interface WhatsappIntakeDeps {
  database: Database;
  tickets: Pick<TicketService, "create">;
  messages: Pick<MessageService, "addInTrx">;
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


/** A message waiting for its group: what it says, and what its ticket change must record. */
interface Arrival {
  m: WhatsappInboundMessage;
  text: string;
  ctx: InboundContext;
  now: Date;
}
/** A message's outcome in its group: a reply written, seen before, or a new ticket to open. */
type Outcome = "reply" | "duplicate" | "new";
/** A customer's open WhatsApp ticket, and the customer (the reply's author). */
interface OpenTicket {
  wa_id: string;
  ticket_id: string;
  user_id: string;
  role: string;
}

export type WhatsappIntake = ReturnType<typeof createWhatsappIntake>;

/**
 * The webhook's intake. Messages of all deliveries arriving together share a group (see
 * db/group-commit.ts): the group reads which ids it has seen and its customers' open tickets in one
 * query each, and writes the replies in one transaction with deferred writes (a dozen statements
 * for the group, about five per reply). A message whose customer has no open ticket opens one
 * through the ticket service's own group commit. Statuses share transactions the same way
 * (statuses.ts). The message id's unique key keeps each message once: a group that fails on it (a
 * duplicate delivered twice at once) is written again item by item, so only the duplicate is left out.
 */
export function createWhatsappIntake(deps: WhatsappIntakeDeps) {
  const db = deps.database.db;
  const arrivals = createGroupCommit<Arrival, Outcome>({ max: 64, inFlight: 2, run: (items) => receiveGroup(items) });
  const statuses = createStatusIntake(db);

  async function receiveGroup(items: Arrival[]): Promise<Settled<Outcome>[]> {
    const ids = [...new Set(items.map((a) => a.m.id))];
    const seen = new Set(
      (await db.selectFrom("whatsapp_messages").select("wamid").where(sql<boolean>`wamid = any(${ids}::text[])`).execute()).map(
        (r) => r.wamid,
      ),
    );
    const waIds = [...new Set(items.map((a) => a.m.from))];
    const { rows } = await sql<OpenTicket>`
      select distinct on (c.wa_id) c.wa_id, t.id as ticket_id, u.id as user_id, u.role
      from whatsapp_contacts c
      join users u on u.id = c.user_id
      join tickets t on t.requester_id = c.user_id
      where c.wa_id = any(${waIds}::text[]) and t.channel = 'whatsapp' and t.status not in ('solved', 'closed')
      order by c.wa_id, t.created_at desc`.execute(db);
    const open = new Map(rows.map((r) => [r.wa_id, r]));
    const results: Settled<Outcome>[] = new Array(items.length);
    const replies: { i: number; a: Arrival; to: OpenTicket }[] = [];
    items.forEach((a, i) => {
      const to = open.get(a.m.from);
      if (seen.has(a.m.id)) results[i] = { ok: true, value: "duplicate" };
      else if (!to) results[i] = { ok: true, value: "new" };
      else replies.push({ i, a, to });
      seen.add(a.m.id); // the same id twice in one group: the second is a duplicate
    });
    // Tickets locked in one order by every group, so two groups in flight never wait on each other in a circle.
    replies.sort((x, y) => (x.to.ticket_id < y.to.ticket_id ? -1 : x.to.ticket_id > y.to.ticket_id ? 1 : x.i - y.i));
    const written = await writeReplies(replies.map((r) => r));
    replies.forEach((r, k) => (results[r.i] = written[k]!));
    return results;
  }

  /** Replies in one transaction; if it fails (a duplicate raced in), each again on its own. */
  async function writeReplies(replies: { a: Arrival; to: OpenTicket }[]): Promise<Settled<Outcome>[]> {
    if (replies.length === 0) return [];
    try {
      await db.transaction().execute(async (trx) => {
        deferWrites(trx, { idsHint: 2 * replies.length });
        for (const { a, to } of replies) {
          const input = CreateMessageBody.parse({
            body: clip(a.text, LIMITS.messageBody),
            kind: "reply",
            channel: "whatsapp",
            author_email: whatsappEmail(a.m.from),
          });
          const author = { id: to.user_id, role: to.role as "customer" };
          await inbound.run(a.ctx, () =>
            deps.messages.addInTrx(trx, SYSTEM_ACTOR, to.ticket_id, input, a.now, { author }),
          );
        }
        await flushDeferred(trx);
      });
      return replies.map(() => ({ ok: true, value: "reply" }));
    } catch (error) {
      if (replies.length === 1)
        return [isUniqueViolation(error) ? { ok: true, value: "duplicate" } : { ok: false, error }];
      const alone: Settled<Outcome>[] = [];
      for (const r of replies) alone.push(...(await writeReplies([r])));
      return alone;
    }
  }

  /** A message no open ticket takes: a new ticket, through the ticket service's group commit. */
  async function openTicket(a: Arrival, name: string | null): Promise<boolean> {
    const language = guessLanguage(a.text);
    const firstLine = a.text.split("\n")[0]!.replace(/\s+/g, " ").trim();
    const input = CreateTicketBody.parse({
      subject: clip(firstLine || `WhatsApp +${a.m.from}`, Math.min(LIMITS.subject, 120)),
      description: clip(a.text, LIMITS.description),
      requester: {
        email: whatsappEmail(a.m.from),
        name: clip(name?.trim() || `+${a.m.from}`, LIMITS.name),
        ...(language ? { language } : {}),
      },
      channel: "whatsapp",
      ...(language ? { language } : {}),
    });
    try {
      await inbound.run(a.ctx, () => deps.tickets.create(SYSTEM_ACTOR, input, a.now));
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false; // the same message, delivered twice at once
      throw err;
    }
  }

  /** One inbound message; false when it was seen before (its id is on record). */
  async function receiveMessage(m: WhatsappInboundMessage, name: string | null, now: Date): Promise<boolean> {
    const { text, media } = messageText(m);
    const sentAt = new Date(Number(m.timestamp) * 1000);
    // Meta's clock may be ahead of ours: the window is never opened in the future.
    const at = sentAt.getTime() > now.getTime() || Number.isNaN(sentAt.getTime()) ? now : sentAt;
    const a: Arrival = { m, text, now, ctx: { wamid: m.id, waId: m.from, name, at, media } };
    const outcome = await arrivals.submit(a);
    if (outcome === "new") return openTicket(a, name);
    return outcome === "reply";
  }

  /**
   * One signed webhook delivery: its messages become tickets (a new customer, or one without an
   * open WhatsApp ticket) or replies on the customer's open ticket, threaded by wa_id, each message
   * once; its statuses land on the timeline of the ticket the message went out on. Customers are
   * handled side by side, each customer's messages in order.
   */
  async function receive(body: WhatsappWebhookBody, now: Date): Promise<WebhookResult> {
    const names = new Map<string, string>();
    const byCustomer = new Map<string, WhatsappInboundMessage[]>();
    const reports: WhatsappStatus[] = [];
    for (const entry of body.entry)
      for (const change of entry.changes) {
        if (change.field !== "messages") continue;
        for (const c of change.value.contacts ?? []) if (c.profile?.name) names.set(c.wa_id, c.profile.name);
        for (const m of change.value.messages ?? []) {
          const list = byCustomer.get(m.from) ?? [];
          list.push(m);
          byCustomer.set(m.from, list);
        }
        reports.push(...(change.value.statuses ?? []));
      }
    const result: WebhookResult = { messages: 0, duplicates: 0, statuses: 0 };
    await Promise.all([
      ...[...byCustomer].map(async ([waId, list]) => {
        list.sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
        for (const m of list) {
          if (await receiveMessage(m, names.get(waId) ?? null, now)) result.messages++;
          else result.duplicates++;
        }
      }),
      (async () => {
        if (reports.length) result.statuses = await statuses.record(reports, now);
      })(),
    ]);
    return result;
  }

  return { receive };
}
