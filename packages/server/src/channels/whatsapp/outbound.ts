import { MAIL_TEMPLATE_KEYS } from "@eskala/contracts";
import type { Executor } from "../../tickets/ticket-events.ts";
import { customerMailFacts } from "../../tickets/customer-view.ts";
import { enqueue } from "../../outbox/outbox.ts";
import { emailDeliverer, type CustomerDeliverer } from "../customer-channels.ts";
import { bufferedContact } from "./inbound-hook.ts";
import { publicBaseUrl } from "../settings.ts";
import {
  COMMON_PLACEHOLDERS,
  DEFAULT_TEMPLATES,
  TEMPLATE_PLACEHOLDERS,
  fillTemplate,
  type MailLanguage,
  type TemplateKey,
} from "../mail/templates.ts";

/** Meta's customer-service window: free text within 24 hours of the customer's last message, a template after. */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;
/** Meta's limit on a text message's body. */
const TEXT_MAX = 4096;
/** Meta refuses template parameters with new lines, tabs or more than four spaces in a row; kept short too. */
const PARAM_MAX = 1000;

/** The built-in approved-template name of a notification kind: `eskala_agent_reply`, `eskala_ticket_solved`… */
export const defaultTemplateName = (kind: TemplateKey) => `eskala_${kind.replace(/\./g, "_")}`;

/** A Cloud API message as Eskala sends it (without `messaging_product`, `recipient_type` and `to`). */
export type WhatsappMessage =
  | { type: "text"; text: { preview_url: boolean; body: string } }
  | {
      type: "template";
      template: {
        name: string;
        language: { code: string };
        components: { type: "body"; parameters: { type: "text"; text: string }[] }[];
      };
    };

/** What a `send` outbox row carries. */
export interface WhatsappSendPayload {
  op: "send";
  to: string;
  kind: TemplateKey;
  language: MailLanguage;
  message: WhatsappMessage;
}

/** The template parameter form of a text: one line, no runs of spaces, clipped. */
export function templateParam(text: string): string {
  const one = text.replace(/\s+/g, " ").trim() || "-";
  return one.length > PARAM_MAX ? `${one.slice(0, PARAM_MAX - 1)}…` : one;
}

/** The approved template names: the admin's choice per kind and language, the built-in name otherwise. */
export async function templateName(db: Executor, kind: TemplateKey, language: MailLanguage): Promise<string> {
  const row = await db
    .selectFrom("whatsapp_templates")
    .select("name")
    .where("kind", "=", kind)
    .where("language", "=", language)
    .executeTakeFirst();
  return row?.name ?? defaultTemplateName(kind);
}

/**
 * The message for a notice: inside the window the words themselves (an agent's reply as written,
 * other notices in the customer email's wording without the email footer); outside it the kind's
 * approved template in the customer's language, with the ticket number and those words (on one
 * line) as its two body parameters.
 */
export function composeMessage(opts: {
  kind: TemplateKey;
  language: MailLanguage;
  words: string;
  ticketNumber: number;
  inWindow: boolean;
  template: string;
}): WhatsappMessage {
  if (opts.inWindow)
    return {
      type: "text",
      text: {
        preview_url: false,
        body: opts.words.length > TEXT_MAX ? `${opts.words.slice(0, TEXT_MAX - 1)}…` : opts.words,
      },
    };
  return {
    type: "template",
    template: {
      name: opts.template,
      language: { code: opts.language },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: String(opts.ticketNumber) },
            { type: "text", text: templateParam(opts.words) },
          ],
        },
      ],
    },
  };
}

const isTemplateKey = (k: string): k is TemplateKey => (MAIL_TEMPLATE_KEYS as readonly string[]).includes(k);

/**
 * The `whatsapp` channel's deliverer (customer-channels.ts): a notice on a WhatsApp ticket becomes
 * a `whatsapp` outbox row in the change's transaction, text or template by the customer's window
 * at this moment. A requester with no WhatsApp id on record (a ticket an agent filed as WhatsApp)
 * is told by email.
 */
export const whatsappDeliverer: CustomerDeliverer = async (trx, notice) => {
  const { ticket, template, vars, now, occurrence, config } = notice;
  const row = await trx
    .selectFrom("users as u")
    .leftJoin("whatsapp_contacts as c", "c.user_id", "u.id")
    .select(["c.wa_id", "c.last_inbound_at", "u.name", "u.language", "u.disabled"])
    .where("u.id", "=", ticket.requester_id)
    .executeTakeFirst();
  // A group's transaction holds the contact its messages made until the commit: it counts too.
  const buffered = bufferedContact(trx, ticket.requester_id);
  const waId = buffered?.wa_id ?? row?.wa_id;
  if (!row || !waId) return emailDeliverer(trx, notice);
  const lastInboundAt = Math.max(
    buffered ? buffered.last_inbound_at.getTime() : -Infinity,
    row.last_inbound_at ? new Date(row.last_inbound_at).getTime() : -Infinity,
  );
  const contact = { ...row, wa_id: waId };
  if (contact.disabled || !isTemplateKey(template)) return;
  const language: MailLanguage =
    ticket.language === "en" || ticket.language === "id" ? ticket.language : contact.language === "en" ? "en" : "id";
  const allowed = new Set<string>([...COMMON_PLACEHOLDERS, ...TEMPLATE_PLACEHOLDERS[template]]);
  const filled: Record<string, string | undefined> = {
    ticket_number: String(ticket.number),
    subject: ticket.subject,
    customer_name: contact.name ?? "",
    status_url: `${publicBaseUrl(config)}/portal/tickets/${ticket.id}`,
    ...Object.fromEntries(Object.entries(vars).filter(([k]) => allowed.has(k))),
    ...customerMailFacts(ticket, language),
  };
  const words =
    template === "agent.reply" && vars.reply_text
      ? vars.reply_text
      : fillTemplate(DEFAULT_TEMPLATES[template][language].body, filled);
  const inWindow = now.getTime() - lastInboundAt < SERVICE_WINDOW_MS;
  const payload: WhatsappSendPayload = {
    op: "send",
    to: contact.wa_id,
    kind: template,
    language,
    message: composeMessage({
      kind: template,
      language,
      words,
      ticketNumber: ticket.number,
      inWindow,
      template: inWindow ? "" : await templateName(trx, template, language),
    }),
  };
  await enqueue(
    trx,
    [
      {
        kind: "whatsapp",
        key: `whatsapp:${ticket.id}:${template}:${occurrence}`,
        ticketId: ticket.id,
        payload: payload as unknown as Record<string, unknown>,
      },
    ],
    now,
  );
};
