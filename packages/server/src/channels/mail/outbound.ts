import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Config } from "../../config.ts";
import type { TicketRow } from "../../db/schema.ts";
import { enqueue, type EmailPayload } from "../../outbox/outbox.ts";
import type { Executor } from "../../tickets/ticket-events.ts";
import { listMailboxes, mailboxLocal, replyToAddress } from "./addresses.ts";
import { loadSecret, publicBaseUrl } from "../settings.ts";
import {
  DEFAULT_TEMPLATES,
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

/** A fresh Message-ID for a mail of this ticket: `<ticket-1042-{random}@domain>`. */
export function newMailMessageId(ticketNumber: number, domain: string): string {
  return `<ticket-${ticketNumber}-${randomBytes(8).toString("hex")}@${domain}>`;
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

/** An instant in the customer's words, in Jakarta time unless told otherwise. */
export function formatInstant(at: Date, lang: MailLanguage, timeZone = "Asia/Jakarta"): string {
  return new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(at);
}

export type EnqueueResult =
  { queued: true; messageId: string; key: string } | { queued: false; reason: "no_email" | "duplicate" | "loop_guard" };

type MailTicket = Pick<TicketRow, "id" | "number" | "subject" | "language" | "requester_id" | "group_id">;
export type MailConfig = Pick<Config, "ESKALA_MAIL_DOMAIN" | "ESKALA_PUBLIC_URL" | "PORT" | "ESKALA_SECRET">;

/**
 * Renders a customer email in the ticket's language and writes it to the outbox inside the
 * caller's transaction, recording its Message-ID for threading. Idempotent per
 * (ticket, template, occurrence): a repeat is skipped. Customers without a usable address are skipped.
 */
export async function enqueueCustomerEmail(
  trx: Executor,
  ticket: MailTicket,
  template: TemplateKey,
  vars: TemplateVars,
  now: Date,
  opts: { occurrence: string; config: MailConfig },
): Promise<EnqueueResult> {
  const { config } = opts;
  const domain = config.ESKALA_MAIL_DOMAIN.toLowerCase();
  const key = `email:${ticket.id}:${template}:${opts.occurrence}`;
  const customer = await trx
    .selectFrom("users")
    .select(["email", "name", "language", "disabled"])
    .where("id", "=", ticket.requester_id)
    .executeTakeFirst();
  const to = customer?.email.trim() ?? "";
  if (!customer || customer.disabled || !isDeliverable(to, domain)) return { queued: false, reason: "no_email" };
  if (await trx.selectFrom("outbox").select("id").where("idempotency_key", "=", key).executeTakeFirst())
    return { queued: false, reason: "duplicate" };
  if (template === "ticket.received") {
    const recent = await trx
      .selectFrom("mail_messages")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("direction", "=", "outbound")
      .where("template", "=", template)
      .where(sql<boolean>`lower(recipient) = ${to.toLowerCase()}`)
      .where("created_at", ">", new Date(now.getTime() - 3_600_000))
      .executeTakeFirstOrThrow();
    if (recent.n >= RECEIVED_PER_HOUR) return { queued: false, reason: "loop_guard" };
  }

  const lang: MailLanguage = ticket.language === "en" || ticket.language === "id" ? ticket.language : customer.language;
  const override = await trx
    .selectFrom("mail_templates")
    .select(["subject", "body"])
    .where("key", "=", template)
    .where("language", "=", lang)
    .executeTakeFirst();
  const rendered = renderCustomerEmail(
    template,
    lang,
    {
      ticket_number: String(ticket.number),
      subject: ticket.subject,
      customer_name: customer.name,
      status_url: `${publicBaseUrl(config)}/portal/tickets/${ticket.id}`,
      ...vars,
    },
    override,
  );
  const local = await mailboxOf(trx, ticket.group_id, domain);
  const secret = await loadSecret(trx, config);
  const previous = await trx
    .selectFrom("mail_messages")
    .select("message_id")
    .where("ticket_id", "=", ticket.id)
    .orderBy("created_at")
    .execute();
  const messageId = newMailMessageId(ticket.number, domain);
  const headers = {
    ...buildThreadHeaders(
      { number: ticket.number, previousMessageIds: previous.map((p) => p.message_id) },
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
  await enqueue(trx, [{ kind: "email", key, ticketId: ticket.id, payload }], now);
  await trx
    .insertInto("mail_messages")
    .values({
      message_id: messageId,
      ticket_id: ticket.id,
      direction: "outbound",
      template,
      recipient: to,
      created_at: now,
    })
    .onConflict((oc) => oc.column("message_id").doNothing())
    .execute();
  return { queued: true, messageId, key };
}

/** Placeholder addresses (`.invalid`, `.example`) and our own domain never get mail: no loops. */
function isDeliverable(email: string, domain: string): boolean {
  const m = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(email);
  if (!m) return false;
  const host = m[1]!.toLowerCase();
  return host !== domain && !host.endsWith(".invalid") && !host.endsWith(".example");
}

/** The mailbox the ticket's group answers from, else the first configured one, else `support`. */
async function mailboxOf(db: Executor, groupId: string | null, domain: string): Promise<string> {
  if (groupId) {
    const g = await db.selectFrom("groups").select("email_address").where("id", "=", groupId).executeTakeFirst();
    const local = g?.email_address ? mailboxLocal(g.email_address, domain) : null;
    if (local) return local;
  }
  return (await listMailboxes(db, domain))[0]?.local ?? "support";
}
