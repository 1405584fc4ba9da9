import { MAIL_TEMPLATE_KEYS } from "@eskala/contracts";
import { AppError } from "../../lib/app-error.ts";

export type TemplateKey = (typeof MAIL_TEMPLATE_KEYS)[number];
export type MailLanguage = "id" | "en";
export interface TemplateText {
  subject: string;
  body: string;
}

/** Placeholders every template may use; the helper fills them from the ticket. */
export const COMMON_PLACEHOLDERS = ["ticket_number", "subject", "customer_name", "status_url"] as const;

/** Extra placeholders per template, filled by the caller. */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateKey, readonly string[]> = {
  "ticket.received": [],
  "ticket.escalated": ["tier_name", "customer_text", "next_update_at"],
  "ticket.waiting": ["reply_text", "agent_name"],
  "ticket.solved": ["survey_url", "reply_text", "agent_name"],
  "ticket.periodic_update": ["tier_name", "update_text", "next_update_at"],
  "escalation_request.acknowledged": ["reason", "response_due_at"],
  "agent.reply": ["reply_text", "agent_name"],
};

export function placeholdersOf(key: TemplateKey): string[] {
  return [...COMMON_PLACEHOLDERS, ...TEMPLATE_PLACEHOLDERS[key]];
}

/** The built-in wording in Indonesian and English; admins override it per language in `mail_templates`. */
export const DEFAULT_TEMPLATES: Record<TemplateKey, Record<MailLanguage, TemplateText>> = {
  "ticket.received": {
    id: {
      subject: "[#{{ticket_number}}] Permintaan Anda telah kami terima: {{subject}}",
      body: "Halo {{customer_name}},\n\nTerima kasih telah menghubungi kami. Permintaan Anda telah kami terima dengan nomor tiket #{{ticket_number}} dan akan segera ditangani oleh tim kami.\n\nAnda dapat memantau statusnya di: {{status_url}}\n\nSalam,\nTim Dukungan",
    },
    en: {
      subject: "[#{{ticket_number}}] We received your request: {{subject}}",
      body: "Hello {{customer_name}},\n\nThank you for contacting us. We received your request as ticket #{{ticket_number}} and our team will handle it shortly.\n\nYou can follow its status at: {{status_url}}\n\nKind regards,\nThe Support Team",
    },
  },
  "ticket.escalated": {
    id: {
      subject: "[#{{ticket_number}}] Permintaan Anda sedang ditangani tim lanjutan",
      body: "Halo {{customer_name}},\n\nPermintaan Anda (#{{ticket_number}}: {{subject}}) kini ditangani oleh {{tier_name}} agar dapat diselesaikan dengan tepat.\n\n{{customer_text}}\n\nKabar berikutnya paling lambat: {{next_update_at}}\n\nStatus: {{status_url}}\n\nSalam,\nTim Dukungan",
    },
    en: {
      subject: "[#{{ticket_number}}] Your request is now with a specialist team",
      body: "Hello {{customer_name}},\n\nYour request (#{{ticket_number}}: {{subject}}) is now handled by {{tier_name}} so that it can be resolved properly.\n\n{{customer_text}}\n\nNext update by: {{next_update_at}}\n\nStatus: {{status_url}}\n\nKind regards,\nThe Support Team",
    },
  },
  "ticket.waiting": {
    id: {
      subject: "[#{{ticket_number}}] Kami menunggu balasan Anda: {{subject}}",
      body: "Halo {{customer_name}},\n\n{{reply_text}}\n\nKami memerlukan informasi dari Anda untuk melanjutkan tiket #{{ticket_number}}. Cukup balas email ini.\n\nStatus: {{status_url}}\n\nSalam,\n{{agent_name}}",
    },
    en: {
      subject: "[#{{ticket_number}}] We are waiting for your reply: {{subject}}",
      body: "Hello {{customer_name}},\n\n{{reply_text}}\n\nWe need some information from you to continue with ticket #{{ticket_number}}. Simply reply to this email.\n\nStatus: {{status_url}}\n\nKind regards,\n{{agent_name}}",
    },
  },
  "ticket.solved": {
    id: {
      subject: "[#{{ticket_number}}] Permintaan Anda telah diselesaikan: {{subject}}",
      body: "Halo {{customer_name}},\n\n{{reply_text}}\n\nTiket #{{ticket_number}} telah kami selesaikan. Jika masalah belum tuntas, cukup balas email ini dan tiket akan dibuka kembali.\n\nBagaimana layanan kami? Beri nilai dalam satu klik: {{survey_url}}\n\nSalam,\nTim Dukungan",
    },
    en: {
      subject: "[#{{ticket_number}}] Your request has been solved: {{subject}}",
      body: "Hello {{customer_name}},\n\n{{reply_text}}\n\nWe have solved ticket #{{ticket_number}}. If the problem is not fixed, just reply to this email and the ticket will reopen.\n\nHow did we do? Rate us in one click: {{survey_url}}\n\nKind regards,\nThe Support Team",
    },
  },
  "ticket.periodic_update": {
    id: {
      subject: "[#{{ticket_number}}] Kabar terbaru permintaan Anda: {{subject}}",
      body: "Halo {{customer_name}},\n\nPermintaan Anda masih ditangani oleh {{tier_name}}.\n\n{{update_text}}\n\nKabar berikutnya paling lambat: {{next_update_at}}\n\nStatus: {{status_url}}\n\nSalam,\nTim Dukungan",
    },
    en: {
      subject: "[#{{ticket_number}}] An update on your request: {{subject}}",
      body: "Hello {{customer_name}},\n\nYour request is still being handled by {{tier_name}}.\n\n{{update_text}}\n\nNext update by: {{next_update_at}}\n\nStatus: {{status_url}}\n\nKind regards,\nThe Support Team",
    },
  },
  "escalation_request.acknowledged": {
    id: {
      subject: "[#{{ticket_number}}] Permintaan eskalasi Anda telah kami terima",
      body: "Halo {{customer_name}},\n\nPermintaan eskalasi Anda untuk tiket #{{ticket_number}} telah kami terima dan diteruskan ke supervisor.\n\nAnda akan mendapat tanggapan paling lambat: {{response_due_at}}\n\nStatus: {{status_url}}\n\nSalam,\nTim Dukungan",
    },
    en: {
      subject: "[#{{ticket_number}}] We received your escalation request",
      body: "Hello {{customer_name}},\n\nYour escalation request for ticket #{{ticket_number}} has been received and passed to a supervisor.\n\nYou will hear from us by: {{response_due_at}}\n\nStatus: {{status_url}}\n\nKind regards,\nThe Support Team",
    },
  },
  "agent.reply": {
    id: {
      subject: "[#{{ticket_number}}] Re: {{subject}}",
      body: "{{reply_text}}\n\n--\n{{agent_name}}\nStatus tiket: {{status_url}}",
    },
    en: {
      subject: "[#{{ticket_number}}] Re: {{subject}}",
      body: "{{reply_text}}\n\n--\n{{agent_name}}\nTicket status: {{status_url}}",
    },
  },
};

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.-]*)\s*\}\}/g;

/** Checks an admin's template text: only known placeholders, no stray braces. A 422 names the field. */
export function validateTemplate(key: TemplateKey, text: TemplateText): void {
  const allowed = new Set(placeholdersOf(key));
  for (const field of ["subject", "body"] as const) {
    const value = text[field];
    for (const m of value.matchAll(PLACEHOLDER)) {
      if (!allowed.has(m[1]!)) {
        throw AppError.field(
          [field],
          `unknown placeholder {{${m[1]}}}; use one of ${[...allowed].map((p) => `{{${p}}}`).join(", ")}`,
        );
      }
    }
    if (/\{\{|\}\}/.test(value.replace(PLACEHOLDER, ""))) throw AppError.field([field], "unbalanced {{ or }}");
    if (field === "subject" && /[\r\n]/.test(value)) throw AppError.field([field], "must be one line");
  }
}

/** Placeholders that promise a time: a line holding one with no value is left out, not sent half-empty. */
const PROMISES = [
  ["next_update_at", /\{\{\s*next_update_at\s*\}\}/],
  ["response_due_at", /\{\{\s*response_due_at\s*\}\}/],
] as const;

/**
 * Fills placeholders; missing values become empty and the blank lines they leave collapse. A line
 * promising a time ("Next update by: {{next_update_at}}") is left out when there is no such time.
 */
export function fillTemplate(text: string, vars: Record<string, string | undefined>, oneLine = false): string {
  const unkept = PROMISES.filter(([name]) => !vars[name]?.trim());
  const kept = unkept.length
    ? text
        .split("\n")
        .filter((line) => !unkept.some(([, pattern]) => pattern.test(line)))
        .join("\n")
    : text;
  const filled = kept.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name] ?? "";
    return oneLine ? v.replace(/[\r\n]+/g, " ") : v;
  });
  return oneLine ? filled.trim() : filled.replace(/\n{3,}/g, "\n\n").trim();
}
