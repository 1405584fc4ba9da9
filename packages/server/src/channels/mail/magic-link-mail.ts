import type { EmailPayload } from "../../outbox/outbox.ts";
import { escapeHtml } from "./outbound.ts";
import { fillTemplate, type MailLanguage, type TemplateText } from "./templates.ts";

/** The sign-in link email in Indonesian and English: `{{login_url}}`, valid `{{minutes}}` minutes. */
export const MAGIC_LINK_TEMPLATES: Record<MailLanguage, TemplateText> = {
  id: {
    subject: "Tautan masuk ke Pusat Bantuan",
    body: "Halo {{customer_name}},\n\nKlik tautan berikut untuk masuk ke Pusat Bantuan dan melihat permintaan Anda:\n\n{{login_url}}\n\nTautan ini berlaku {{minutes}} menit dan hanya dapat dipakai sekali. Jika Anda tidak meminta tautan ini, abaikan saja email ini.\n\nSalam,\nTim Dukungan",
  },
  en: {
    subject: "Your sign-in link to the Help Center",
    body: "Hello {{customer_name}},\n\nClick the link below to sign in to the Help Center and see your requests:\n\n{{login_url}}\n\nThe link works for {{minutes}} minutes and only once. If you did not ask for it, simply ignore this email.\n\nKind regards,\nThe Support Team",
  },
};

/** The sign-in link email, rendered as an outbox payload (text and HTML parts). */
export function magicLinkEmail(
  to: string,
  from: string,
  lang: MailLanguage,
  vars: { customer_name: string; login_url: string; minutes: string },
): EmailPayload {
  const source = MAGIC_LINK_TEMPLATES[lang];
  const text = fillTemplate(source.body, vars);
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => {
      const escaped = escapeHtml(p);
      return p === vars.login_url
        ? `<p><a href="${escaped}">${escaped}</a></p>`
        : `<p>${escaped.replace(/\n/g, "<br>")}</p>`;
    })
    .join("\n");
  const subject = fillTemplate(source.subject, vars, true);
  return {
    to,
    from,
    subject,
    text,
    html:
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
      `<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2933">\n${paragraphs}\n</body></html>`,
    headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    template: "auth.magic_link",
    language: lang,
  };
}
