import { createHash } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { normalizeMessageId, threadIds } from "./inbound-classify.ts";

// NUL and lone UTF-16 surrogates: PostgreSQL refuses both in text and in jsonb (the outbox).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text without the characters a database cannot store (NUL, lone surrogates), dropped. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, "");
}

/** At most `max` UTF-16 units of a text, never cutting a surrogate pair in half. */
export function clip(text: string, max: number): string {
  return storableText(text.slice(0, max));
}

const EMAIL = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

/** What the intake uses of a parsed mail, every string storable. */
export interface InboundMail {
  headers: Map<string, unknown>;
  subject: string | null;
  /** The plain text, line endings normalised, trimmed. */
  text: string;
  fromAddress: string | null;
  fromName: string | null;
  /** The Message-ID, or one derived from the content when it has none (so a redelivery is known). */
  messageId: string;
  /** In-Reply-To, then References newest first. */
  threadIds: string[];
  attachments: { filename: string; contentType: string; size: number; content: Buffer }[];
}

/**
 * Reads a parsed mail into storable values: an encoded NUL (`=00`, a base64 body, an encoded
 * word) or a lone surrogate from a broken charset is dropped here instead of failing the
 * transaction, which the SMTP listener would answer with 451 until the sender bounced the mail.
 */
export function readMail(parsed: ParsedMail, raw: Buffer, domain: string): InboundMail {
  const sender = parsed.from?.value
    .map((a) => ({ address: storableText(a.address ?? "").trim(), name: storableText(a.name ?? "").trim() }))
    // 254: the longest address SMTP allows (RFC 5321), and one the email index can hold.
    .find((a) => a.address.length <= 254 && EMAIL.test(a.address));
  const inReplyTo = parsed.inReplyTo ? storableText(parsed.inReplyTo) : undefined;
  const references = Array.isArray(parsed.references)
    ? parsed.references.map(storableText)
    : parsed.references
      ? storableText(parsed.references)
      : undefined;
  return {
    headers: parsed.headers as Map<string, unknown>,
    subject: parsed.subject === undefined ? null : storableText(parsed.subject),
    text: storableText(parsed.text ?? "")
      .replace(/\r\n?/g, "\n")
      .trim(),
    fromAddress: sender?.address ?? null,
    fromName: sender?.name || null,
    messageId:
      normalizeMessageId(parsed.messageId ? storableText(parsed.messageId) : null) ??
      `<sha256-${createHash("sha256").update(raw).digest("hex")}@${domain}>`,
    threadIds: threadIds(inReplyTo, references),
    attachments: parsed.attachments.map((a, i) => ({
      filename: clip(storableText(a.filename ?? "") || `attachment-${i + 1}`, 200),
      contentType: clip(storableText(a.contentType ?? "") || "application/octet-stream", 200),
      size: a.size,
      content: a.content,
    })),
  };
}
