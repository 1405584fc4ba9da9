import { createHash } from "node:crypto";
import { sql } from "kysely";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Logger } from "pino";
import { CreateMessageBody, CreateTicketBody, LIMITS } from "@eskala/contracts";
import { SYSTEM_ACTOR, type Actor } from "../../auth/actor.ts";
import type { Composition } from "../../compose.ts";
import type { TicketRow } from "../../db/schema.ts";
import { findOrCreateCustomer } from "../../tickets/ticket-refs.ts";
import { listMailboxes, parseRecipient } from "./addresses.ts";
import {
  classifyAutomatic,
  escalationReason,
  guessLanguage,
  normalizeMessageId,
  stripQuotedReply,
  threadIds,
  wantsEscalation,
} from "./inbound-classify.ts";
import { inboundMail, type InboundMailContext } from "./inbound-context.ts";

/** A refusal the SMTP listener turns into its reply code (5xx: the sender must not retry). */
export class MailRefused extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
    this.name = "MailRefused";
  }
}

export type InboundResult =
  | { outcome: "ticket"; ticketId: string; number: number }
  | { outcome: "message"; ticketId: string; messageId: string }
  | { outcome: "duplicate"; ticketId: string | null }
  | { outcome: "ignored"; reason: string };

/** The escalation requests the engine will offer (PRODUCT §7); used when present. */
export interface EscalationRequestsApi {
  create(
    actor: Actor,
    ticketId: string,
    body: { reason: ReturnType<typeof escalationReason>; text: string },
    now: Date,
  ): Promise<unknown>;
}

export type InboundDeps = Pick<Composition, "tickets" | "messages" | "auth" | "database" | "clock" | "config"> & {
  escalationRequests?: EscalationRequestsApi;
};

const MAX_ATTACHMENTS = 10;
/** The engine keeps at most this much of a customer's escalation text. */
const REQUEST_TEXT_MAX = 2_000;
const EMAIL = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

/**
 * Turns one received mail into a ticket or a message on its ticket, exactly once per Message-ID.
 * Automatic mail is logged in `mail_rejections` and dropped; unusable mail throws MailRefused.
 */
export async function processInboundMail(
  deps: InboundDeps,
  raw: Buffer,
  envelope: { mailFrom: string | null; rcptTo: string[] },
  ctx: { secret: string; log: Logger },
): Promise<InboundResult> {
  const { db } = deps.database;
  const domain = deps.config.ESKALA_MAIL_DOMAIN.toLowerCase();
  const now = deps.clock.now();
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (err) {
    ctx.log.info({ err }, "unparseable mail refused");
    throw new MailRefused(550, "5.6.0 Malformed message: it could not be parsed");
  }
  if (parsed.headers.size === 0) throw new MailRefused(550, "5.6.0 Malformed message: no headers");
  const sender = parsed.from?.value.find((a) => a.address && EMAIL.test(a.address));
  const fromAddress = sender?.address?.trim() ?? null;
  const messageId =
    normalizeMessageId(parsed.messageId) ?? `<sha256-${createHash("sha256").update(raw).digest("hex")}@${domain}>`;

  const automatic = classifyAutomatic(parsed.headers as Map<string, unknown>, envelope.mailFrom, fromAddress);
  const ownDomain = fromAddress?.split("@")[1]?.toLowerCase() === domain;
  if (automatic || ownDomain) {
    const reason = automatic ?? "loop";
    await db
      .insertInto("mail_rejections")
      .values({
        reason,
        message_id: messageId,
        mail_from: fromAddress ?? envelope.mailFrom,
        rcpt_to: envelope.rcptTo,
        subject: parsed.subject?.slice(0, 500) ?? null,
        created_at: now,
      })
      .execute();
    ctx.log.info({ reason, messageId }, "automatic mail ignored");
    return { outcome: "ignored", reason };
  }
  if (!fromAddress) throw new MailRefused(550, "5.1.7 Malformed message: no valid From address");

  const seen = await db
    .selectFrom("mail_messages")
    .select("ticket_id")
    .where("message_id", "=", messageId)
    .executeTakeFirst();
  if (seen) return { outcome: "duplicate", ticketId: seen.ticket_id };

  const sender_ = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where(sql<boolean>`lower(email) = ${fromAddress.toLowerCase()}`)
    .executeTakeFirst();
  const recipients = envelope.rcptTo.map((r) => parseRecipient(r, domain, ctx.secret)).filter((r) => r !== null);
  const ticket = await findThread(deps, parsed, recipients, sender_?.id ?? null);
  const text = (parsed.text ?? "").replace(/\r\n?/g, "\n").trim();
  const attachments = toAttachments(parsed);

  try {
    if (ticket && ticket.status !== "closed") {
      const author =
        sender_ ?? (await findOrCreateCustomer(db, { email: fromAddress, name: sender?.name || undefined }, now));
      const isCustomer = author.role === "customer";
      const body = stripQuotedReply(text) || parsed.subject?.trim() || "(email without text)";
      const escalate = isCustomer && wantsEscalation(body);
      const engine = deps.escalationRequests;
      const context: InboundMailContext = {
        messageId,
        ...(escalate && !engine
          ? {
              escalation: {
                reason: escalationReason(body),
                text: body.slice(0, REQUEST_TEXT_MAX),
                authorId: author.id,
              },
            }
          : {}),
      };
      const input = CreateMessageBody.parse({
        body: body.slice(0, LIMITS.messageBody),
        kind: isCustomer ? "reply" : "note",
        channel: "email",
        author_email: fromAddress,
        ...(attachments.files.length ? { attachments: attachments.files } : {}),
      });
      const message = await inboundMail.run(context, () =>
        deps.messages.add(SYSTEM_ACTOR, ticket.id, input, now, { emailMessageId: messageId }),
      );
      if (escalate && engine) await requestEscalation(deps, engine, author.id, ticket.id, body, now, ctx.log);
      return { outcome: "message", ticketId: ticket.id, messageId: message.id };
    }

    const mailbox = await mailboxFor(deps, recipients);
    const language = guessLanguage(`${parsed.subject ?? ""}\n${text}`);
    const followUp = ticket ? `\n\n(Follow-up to closed ticket #${ticket.number})` : "";
    const description = `${text || parsed.subject?.trim() || "(email without text)"}${attachments.note}`.slice(
      0,
      LIMITS.description - followUp.length,
    );
    const input = CreateTicketBody.parse({
      subject: (parsed.subject?.replace(/\s+/g, " ").trim() || description.split("\n")[0]!).slice(0, LIMITS.subject),
      description: description + followUp,
      requester: {
        email: fromAddress,
        ...(sender?.name ? { name: sender.name.slice(0, LIMITS.name) } : {}),
        ...(language ? { language } : {}),
      },
      channel: "email",
      ...(mailbox ? { group_id: mailbox } : {}),
      ...(language ? { language } : {}),
      ...(attachments.files.length ? { attachments: attachments.files } : {}),
    });
    const view = await inboundMail.run({ messageId }, () => deps.tickets.create(SYSTEM_ACTOR, input, now));
    return { outcome: "ticket", ticketId: view.id, number: view.number };
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await db
        .selectFrom("mail_messages")
        .select("ticket_id")
        .where("message_id", "=", messageId)
        .executeTakeFirst();
      return { outcome: "duplicate", ticketId: again?.ticket_id ?? null };
    }
    if ((err as { name?: string }).name === "ZodError") {
      ctx.log.info({ err }, "mail refused: unusable content");
      throw new MailRefused(550, "5.6.0 Malformed message: unusable subject, body or attachments");
    }
    throw err;
  }
}

/**
 * The ticket this mail answers: a signed plus-address, then a known Message-ID in In-Reply-To or
 * References, then an unsigned plus-address or `[#1042]` in the subject (only from the requester
 * or someone who already took part).
 */
async function findThread(
  deps: InboundDeps,
  parsed: ParsedMail,
  recipients: { ticketNumber: number | null; signed: boolean }[],
  senderId: string | null,
): Promise<TicketRow | undefined> {
  const { db } = deps.database;
  const byNumber = (n: number) => db.selectFrom("tickets").selectAll().where("number", "=", n).executeTakeFirst();
  const signed = recipients.find((r) => r.signed && r.ticketNumber !== null);
  if (signed) {
    const t = await byNumber(signed.ticketNumber!);
    if (t) return t;
  }
  const ids = threadIds(parsed.inReplyTo, parsed.references);
  if (ids.length) {
    const rows = await db
      .selectFrom("mail_messages")
      .select(["message_id", "ticket_id"])
      .where("message_id", "in", ids)
      .execute();
    const hit = ids.map((id) => rows.find((r) => r.message_id === id)).find((r) => r !== undefined);
    if (hit) return db.selectFrom("tickets").selectAll().where("id", "=", hit.ticket_id).executeTakeFirst();
  }
  if (!senderId) return undefined;
  const candidates = [
    ...recipients.filter((r) => !r.signed && r.ticketNumber !== null).map((r) => r.ticketNumber!),
    ...[...(parsed.subject ?? "").matchAll(/\[#(\d{1,12})\]/g)].map((m) => Number(m[1])),
  ];
  for (const n of candidates) {
    const t = await byNumber(n);
    if (t && (await isParticipant(deps, t, senderId))) return t;
  }
  return undefined;
}

async function isParticipant(deps: InboundDeps, t: TicketRow, userId: string): Promise<boolean> {
  if (t.requester_id === userId || t.assignee_id === userId || t.collaborator_ids.includes(userId)) return true;
  const wrote = await deps.database.db
    .selectFrom("messages")
    .select("id")
    .where("ticket_id", "=", t.id)
    .where("author_id", "=", userId)
    .executeTakeFirst();
  return wrote !== undefined;
}

/** The group of the first recipient mailbox (support@ → Frontline, billing@ → Billing). */
async function mailboxFor(deps: InboundDeps, recipients: { local: string }[]): Promise<string | null> {
  const boxes = await listMailboxes(deps.database.db, deps.config.ESKALA_MAIL_DOMAIN);
  for (const r of recipients) {
    const box = boxes.find((b) => b.local === r.local);
    if (box) return box.groupId;
  }
  return null;
}

/** Attachments within the per-file limit; the rest are named in a note instead of failing the mail. */
function toAttachments(parsed: ParsedMail) {
  const files: { filename: string; content_type: string; content_base64: string }[] = [];
  const skipped: string[] = [];
  for (const [i, a] of parsed.attachments.entries()) {
    const filename = (a.filename || `attachment-${i + 1}`).slice(0, 200);
    if (a.size > LIMITS.attachmentBytes || files.length >= MAX_ATTACHMENTS) skipped.push(filename);
    else
      files.push({
        filename,
        content_type: (a.contentType || "application/octet-stream").slice(0, 200),
        content_base64: a.content.toString("base64"),
      });
  }
  const note = skipped.length ? `\n\n[Attachments not kept (too large or too many): ${skipped.join(", ")}]` : "";
  return { files, note };
}

async function requestEscalation(
  deps: InboundDeps,
  engine: EscalationRequestsApi,
  customerId: string,
  ticketId: string,
  text: string,
  now: Date,
  log: Logger,
) {
  // "token": the request is the customer's own on the timeline (a "system" actor would hide who asked).
  const actor = await deps.auth.loadActor(customerId, "token");
  if (!actor) return;
  try {
    await engine.create(
      actor,
      ticketId,
      { reason: escalationReason(text), text: text.slice(0, REQUEST_TEXT_MAX) },
      now,
    );
  } catch (err) {
    // One open request per ticket: a second "eskalasi" while one is open is just a message.
    log.info({ err, ticketId }, "escalation request by mail not created");
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23505";
}
