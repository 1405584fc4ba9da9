import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Config } from "../../config.ts";
import { defer, deferredRows, type DeferredFlush } from "../../db/deferred.ts";
import type { TicketRow } from "../../db/schema.ts";
import { enqueue, type EmailPayload } from "../../outbox/outbox.ts";
import type { Executor } from "../../tickets/ticket-events.ts";
import { mailboxLocal, replyToAddress } from "./addresses.ts";
import { publicBaseUrl } from "../settings.ts";
import { customerMailFacts } from "../../tickets/customer-view.ts";
import {
  DEFAULT_TEMPLATES,
  TEMPLATE_PLACEHOLDERS,
  fillTemplate,
  type MailLanguage,
  type TemplateKey,
  type TemplateText,
} from "./templates.ts";

export type { TemplateKey, MailLanguage } from "./templates.ts";
export type TemplateVars = Record<string, string | undefined>;
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Auto-replies by other systems: one ticket may get at most this many "received" mails an hour per address. */
const RECEIVED_PER_HOUR = 20;
const REFERENCES_KEPT = 10;

const FOOTER: Record<MailLanguage, (n: string) => string> = {
  id: (n) => `Balas email ini untuk menambahkan pesan ke tiket #${n}.`,
  en: (n) => `Reply to this email to add a message to ticket #${n}.`,
};

/**
 * Renders a customer email (subject, text and HTML parts) from the built-in template, or the
 * admin's override, in Indonesian or English. Values are escaped in the HTML part and kept on one
 * line in the subject; the subject always carries `[#number]` so replies thread by it.
 */
export function renderCustomerEmail(
  template: TemplateKey,
  lang: MailLanguage,
  vars: TemplateVars,
  override?: TemplateText,
): RenderedEmail {
  const source = override ?? DEFAULT_TEMPLATES[template][lang];
  let subject = fillTemplate(source.subject, vars, true);
  const n = vars.ticket_number;
  if (n && !subject.includes(`[#${n}]`)) subject = `${subject} [#${n}]`;
  const text = fillTemplate(source.body, vars);
  const footer = n ? FOOTER[lang](n) : "";
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${linkify(escapeHtml(p)).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const html =
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2933">\n${paragraphs}\n` +
    (footer
      ? `<hr style="border:none;border-top:1px solid #d9e2ec"><p style="color:#627d98;font-size:12px">${escapeHtml(footer)}</p>`
      : "") +
    `</body></html>`;
  return { subject, text: footer ? `${text}\n\n--\n${footer}` : text, html };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Turns http(s) URLs of already-escaped text into links. */
function linkify(escaped: string): string {
  return escaped.replace(/\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)]/g, (url) => `<a href="${url}">${url}</a>`);
}

// Random bytes for Message-IDs, drawn 4 KiB at a time: one system call per 512 mails, not one each.
let entropy = Buffer.alloc(0);
let drawn = 0;

/** A fresh Message-ID for a mail of this ticket: `<ticket-1042-{random}@domain>`. */
export function newMailMessageId(ticketNumber: number, domain: string): string {
  if (drawn + 8 > entropy.length) {
    entropy = randomBytes(4096);
    drawn = 0;
  }
  drawn += 8;
  return `<ticket-${ticketNumber}-${entropy.toString("hex", drawn - 8, drawn)}@${domain}>`;
}

/**
 * The headers that keep a notification in the ticket's thread: its Message-ID, In-Reply-To the
 * latest mail of the ticket, References (the first and the latest ones), and a Reply-To that leads
 * back to the ticket.
 */
export function buildThreadHeaders(
  ticket: { number: number; previousMessageIds: readonly string[] },
  newMessageId: string,
  replyTo: string,
): Record<string, string> {
  const prev = [...new Set(ticket.previousMessageIds)];
  const refs = prev.length > REFERENCES_KEPT ? [prev[0]!, ...prev.slice(-(REFERENCES_KEPT - 1))] : prev;
  return {
    "Message-ID": newMessageId,
    ...(prev.length ? { "In-Reply-To": prev[prev.length - 1]!, References: refs.join(" ") } : {}),
    "Reply-To": replyTo,
    "X-Eskala-Ticket": String(ticket.number),
  };
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant in the customer's words, in Jakarta time unless told otherwise. */
export function formatInstant(at: Date, lang: MailLanguage, timeZone = "Asia/Jakarta"): string {
  // Making a format costs far more than using one: one per language and zone.
  const id = `${lang} ${timeZone}`;
  let format = instantFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", {
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
      timeZoneName: "short",
    });
    instantFormats.set(id, format);
  }
  return format.format(at);
}

type MailTicket = Pick<TicketRow, "id" | "number" | "subject" | "language" | "requester_id" | "group_id" | "tier">;

/** The caller's values of the template's own placeholders, nothing else. */
function allowedVars(template: TemplateKey, vars: TemplateVars): TemplateVars {
  return Object.fromEntries(TEMPLATE_PLACEHOLDERS[template].map((name) => [name, vars[name]]));
}
export type MailConfig = Pick<Config, "ESKALA_MAIL_DOMAIN" | "ESKALA_PUBLIC_URL" | "PORT" | "ESKALA_SECRET">;

/** A customer email asked for: rendered and enqueued at once, or with the others of a deferring transaction. */
interface MailIntent {
  ticket: MailTicket;
  template: TemplateKey;
  vars: TemplateVars;
  now: Date;
  key: string;
  config: MailConfig;
}

/**
 * Renders a customer email in the ticket's language and writes it to the outbox inside the
 * caller's transaction, recording its Message-ID for threading. Idempotent per
 * (ticket, template, occurrence): a repeat is skipped. Customers without a usable address are skipped.
 * In a transaction that defers its writes (a timer batch, a group of creations: db/deferred.ts)
 * the emails are rendered together at its end, with what they need read in one statement.
 */
export async function enqueueCustomerEmail(
  trx: Executor,
  ticket: MailTicket,
  template: TemplateKey,
  vars: TemplateVars,
  now: Date,
  opts: { occurrence: string; config: MailConfig },
): Promise<void> {
  const intent: MailIntent = {
    ticket,
    template,
    vars,
    now,
    key: `email:${ticket.id}:${template}:${opts.occurrence}`,
    config: opts.config,
  };
  if (!defer(trx, flushCustomerEmails, intent)) await sendCustomerEmails(trx, [intent]);
}

/** Renders a deferring transaction's customer emails (db/deferred.ts): their outbox rows and mail records are buffered in turn. */
const flushCustomerEmails: DeferredFlush<MailIntent> = (trx, intents) => sendCustomerEmails(trx, intents);

interface MailContext {
  /** Per intent, in order: the customer, whether the key was sent already, the loop guard's count, the group's mailbox, the thread so far. */
  items: {
    email: string | null;
    name: string | null;
    language: MailLanguage | null;
    disabled: boolean | null;
    duplicate: boolean;
    recent: number;
    group_email: string | null;
    previous: string[];
  }[];
  overrides: Record<string, Partial<Record<MailLanguage, TemplateText>>> | null;
  mailboxes: string[];
  secret: string | null;
}

/**
 * Everything a set of customer emails needs, in one statement: per email the customer, whether it
 * was sent already, the loop guard's count, the group's mailbox and the ticket's thread; for all,
 * the admin's template overrides, the mailboxes and the signing secret.
 */
async function readMailContext(trx: Executor, intents: MailIntent[]): Promise<MailContext> {
  const rows = intents.map((i, n) => ({
    n,
    requester_id: i.ticket.requester_id,
    ticket_id: i.ticket.id,
    group_id: i.ticket.group_id,
    key: i.key,
    template: i.template,
    since: new Date(i.now.getTime() - 3_600_000).toISOString(),
  }));
  const { rows: out } = await sql<MailContext>`
    with i as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as i(n int, requester_id uuid, ticket_id uuid, group_id uuid, key text, template text, since timestamptz)
    )
    select
      (select json_agg(json_build_object(
          'email', u.email, 'name', u.name, 'language', u.language, 'disabled', u.disabled,
          'duplicate', exists (select 1 from outbox where idempotency_key = i.key),
          'recent', case when i.template = 'ticket.received' and u.email is not null then (
            select count(*)::int from mail_messages m
            where m.direction = 'outbound' and m.template = i.template and lower(m.recipient) = lower(trim(u.email))
              and m.created_at > i.since) else 0 end,
          'group_email', (select email_address from groups where id = i.group_id),
          'previous', (select coalesce(json_agg(message_id order by created_at), '[]'::json)
            from mail_messages where ticket_id = i.ticket_id)
        ) order by i.n)
        from i left join users u on u.id = i.requester_id) as items,
      (select json_object_agg(t.key, t.languages) from (
        select key, json_object_agg(language, json_build_object('subject', subject, 'body', body)) as languages
        from mail_templates where key in (select distinct template from i) group by key) t) as overrides,
      (select coalesce(json_agg(email_address order by created_at), '[]'::json)
        from groups where email_address is not null) as mailboxes,
      (select value from settings where key = 'secret') as secret`.execute(trx);
  return out[0]!;
}

/** Renders the emails in order and enqueues those due; later ones see the earlier ones (loop guard, thread). */
async function sendCustomerEmails(trx: Executor, intents: MailIntent[]): Promise<void> {
  const context = await readMailContext(trx, intents);
  for (const [n, intent] of intents.entries()) {
    const { ticket, template, config, now, key } = intent;
    const customer = context.items[n]!;
    const domain = config.ESKALA_MAIL_DOMAIN.toLowerCase();
    const to = customer.email?.trim() ?? "";
    if (!customer.email || customer.disabled || !isDeliverable(to, domain) || customer.duplicate) continue;
    // Mails this transaction recorded but has not written yet (a timer batch defers its writes).
    const waiting = deferredRows(trx, flushMailRecords);
    const recent =
      customer.recent +
      waiting.filter((m) => m.template === template && m.recipient.toLowerCase() === to.toLowerCase()).length;
    if (template === "ticket.received" && recent >= RECEIVED_PER_HOUR) continue;

    const lang: MailLanguage =
      ticket.language === "en" || ticket.language === "id" ? ticket.language : (customer.language ?? "id");
    const rendered = renderCustomerEmail(
      template,
      lang,
      {
        ticket_number: String(ticket.number),
        subject: ticket.subject,
        customer_name: customer.name ?? "",
        status_url: `${publicBaseUrl(config)}/portal/tickets/${ticket.id}`,
        // The customer view (tickets/customer-view.ts): only the template's own placeholders, and
        // the ticket's facts in customer words (the tier's level, never its given name).
        ...allowedVars(template, intent.vars),
        ...customerMailFacts(ticket, lang),
      },
      context.overrides?.[template]?.[lang],
    );
    const local =
      (customer.group_email ? mailboxLocal(customer.group_email, domain) : null) ??
      context.mailboxes.map((m) => mailboxLocal(m, domain)).find((l) => l !== null) ??
      "support";
    const secret = config.ESKALA_SECRET ?? context.secret;
    if (!secret) throw new Error("The signing secret is missing: composeChannels must run first");
    const previous = [
      ...customer.previous,
      ...waiting.filter((m) => m.ticket_id === ticket.id).map((m) => m.message_id),
    ];
    const messageId = newMailMessageId(ticket.number, domain);
    const headers = {
      ...buildThreadHeaders(
        { number: ticket.number, previousMessageIds: previous },
        messageId,
        replyToAddress(local, domain, ticket.number, secret),
      ),
      // Human replies are not automatic; notifications are, so auto-responders stay quiet (RFC 3834).
      ...(template === "agent.reply" ? {} : { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" }),
    };
    const payload: EmailPayload = {
      to,
      from: `Eskala <${local}@${domain}>`,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers,
      template,
      language: lang,
    };
    if ((await enqueue(trx, [{ kind: "email", key, ticketId: ticket.id, payload }], now)) === 0) continue;
    const record: MailRecord = {
      message_id: messageId,
      ticket_id: ticket.id,
      direction: "outbound",
      template,
      recipient: to,
      created_at: now,
    };
    if (!defer(trx, flushMailRecords, record))
      await trx
        .insertInto("mail_messages")
        .values(record)
        .onConflict((oc) => oc.column("message_id").doNothing())
        .execute();
  }
}

interface MailRecord {
  message_id: string;
  ticket_id: string;
  direction: "outbound";
  template: string;
  recipient: string;
  created_at: Date;
}

/** Writes a deferring transaction's outbound mail records (db/deferred.ts) in one statement. */
const flushMailRecords: DeferredFlush<MailRecord> = async (trx, rows) => {
  await sql`
    insert into mail_messages (message_id, ticket_id, direction, template, recipient, created_at)
    select message_id, ticket_id, direction, template, recipient, created_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(message_id text, ticket_id uuid, direction text, template text, recipient text, created_at timestamptz)
    on conflict (message_id) do nothing`.execute(trx);
};

/** Placeholder addresses (`.invalid`, `.example`) and our own domain never get mail: no loops. */
export function isDeliverable(email: string, domain: string): boolean {
  const m = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(email);
  if (!m) return false;
  const host = m[1]!.toLowerCase();
  return host !== domain && !host.endsWith(".invalid") && !host.endsWith(".example");
}
