import nodemailer, { type Transporter } from "nodemailer";
import pino from "pino";
import type { Config } from "../../config.ts";
import type { EmailPayload } from "../../outbox/outbox.ts";

export type TransportConfig = Pick<Config, "SMTP_URL" | "ESKALA_MAIL_DOMAIN"> & Partial<Pick<Config, "LOG_LEVEL">>;

export interface SentEmail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** With no SMTP_URL: the message as JSON (nodemailer's jsonTransport), for logs and tests. */
  json?: string;
}

// One pooled transport per SMTP_URL: the relay sends many mails through the same server.
const transports = new Map<string, Transporter>();
const log = pino({ level: process.env.LOG_LEVEL ?? "info" }).child({ part: "mail-transport" });

function transportFor(config: TransportConfig): Transporter {
  const url = config.SMTP_URL ?? "";
  let t = transports.get(url);
  if (!t) {
    t = url ? nodemailer.createTransport(url) : nodemailer.createTransport({ jsonTransport: true });
    transports.set(url, t);
  }
  return t;
}

/**
 * Sends one rendered email through SMTP_URL (e.g. `smtp://user:pass@mail.example.com:587`,
 * `smtps://…:465`). Without SMTP_URL the mail is only serialised (jsonTransport) and logged at
 * debug, so a local install works without a mail server. Throws on failure; check
 * `isPermanentMailError` to tell a retry from a dead letter.
 */
export async function sendEmail(payload: EmailPayload, config: TransportConfig): Promise<SentEmail> {
  const {
    "Message-ID": messageId,
    "In-Reply-To": inReplyTo,
    References: references,
    "Reply-To": replyTo,
    ...rest
  } = payload.headers ?? {};
  const info = await transportFor(config).sendMail({
    from: payload.from ?? `Eskala <support@${config.ESKALA_MAIL_DOMAIN}>`,
    to: payload.to,
    subject: payload.subject,
    text: payload.text,
    ...(payload.html ? { html: payload.html } : {}),
    ...(messageId ? { messageId } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references ? { references } : {}),
    ...(replyTo ? { replyTo } : {}),
    headers: rest,
  });
  const addr = (xs: unknown[] | undefined) =>
    (xs ?? []).map((x) => (typeof x === "string" ? x : String((x as { address?: string }).address)));
  const sent: SentEmail = {
    messageId: String(info.messageId ?? messageId ?? ""),
    accepted: addr(info.accepted),
    rejected: addr(info.rejected),
  };
  if (!config.SMTP_URL) {
    sent.json = String((info as { message?: unknown }).message ?? "");
    log.debug(
      { to: payload.to, subject: payload.subject, template: payload.template },
      "SMTP_URL unset: mail not sent",
    );
  }
  return sent;
}

/** A 5xx answer from the SMTP server: retrying will not help. */
export function isPermanentMailError(err: unknown): boolean {
  const code = (err as { responseCode?: number } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** Closes the pooled transports (tests, shutdown). */
export function closeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}
