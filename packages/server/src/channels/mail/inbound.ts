import { sql } from "kysely";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Logger } from "pino";
import { CreateMessageBody, CreateTicketBody, LIMITS } from "@eskala/contracts";
import { SYSTEM_ACTOR, type Actor } from "../../auth/actor.ts";
import type { Composition } from "../../compose.ts";
import { findOrCreateCustomer } from "../../tickets/ticket-refs.ts";
import { listMailboxes, parseRecipient } from "./addresses.ts";
import {
  classifyAutomatic,
  escalationReason,
  guessLanguage,
  stripQuotedReply,
  wantsEscalation,
} from "./inbound-classify.ts";
import { inboundMail, type ImapImportKey, type InboundMailContext } from "./inbound-context.ts";
import { clip, readMail, storableText, type InboundMail } from "./inbound-read.ts";
import { findThread, unprovenNote, type Thread } from "./inbound-thread.ts";
import { checkSender, systemDns, type DnsResolver, type SmtpSession } from "./sender-auth.ts";

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
  /** DNS for sender verification (SPF, DKIM keys, DMARC records); the system's by default. */
  dns?: DnsResolver;
};

const MAX_ATTACHMENTS = 10;
/** The engine keeps at most this much of a customer's escalation text. */
const REQUEST_TEXT_MAX = 2_000;

/**
 * Turns one received mail into a ticket or a message on its ticket, exactly once per Message-ID.
 * Automatic mail is logged in `mail_rejections` and dropped; unusable mail throws MailRefused.
 * A mail joins an existing ticket only when its sender is proven (see `findThread`).
 */
export async function processInboundMail(
  deps: InboundDeps,
  raw: Buffer,
  envelope: SmtpSession & { rcptTo: string[] },
  ctx: {
    secret: string;
    log: Logger;
    /** Fetched over IMAP: the message's key, recorded in the ticket's or message's transaction. */
    imap?: ImapImportKey;
    /** The group new tickets go to (an IMAP mailbox's), before the recipients' addresses. */
    groupId?: string | null;
    /** Verify the sender by the newest Received header (mail a mailbox provider received). */
    trustReceived?: boolean;
  },
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
  const mail = readMail(parsed, raw, domain);
  const { fromAddress, messageId } = mail;
  const mailFrom = envelope.mailFrom === null ? null : storableText(envelope.mailFrom);

  const automatic = classifyAutomatic(mail.headers, mailFrom, fromAddress);
  const ownDomain = fromAddress?.split("@")[1]?.toLowerCase() === domain;
  if (automatic || ownDomain) {
    const reason = automatic ?? "loop";
    await db
      .insertInto("mail_rejections")
      .values({
        reason,
        message_id: messageId,
        mail_from: fromAddress ?? mailFrom,
        rcpt_to: envelope.rcptTo.map(storableText),
        subject: mail.subject === null ? null : clip(mail.subject, 500),
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

  const sender = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where(sql<boolean>`lower(email) = ${fromAddress.toLowerCase()}`)
    .executeTakeFirst();
  const recipients = envelope.rcptTo.map((r) => parseRecipient(r, domain, ctx.secret)).filter((r) => r !== null);
  const verifySender = async () => {
    const check = await checkSender(raw, envelope, {
      resolver: deps.dns ?? systemDns,
      mta: domain,
      trustReceived: ctx.trustReceived ?? deps.config.ESKALA_SMTP_TRUST_RECEIVED,
      log: ctx.log,
    });
    ctx.log.info({ messageId, from: fromAddress, ...check }, "sender checked");
    return check;
  };
  const thread = await findThread(db, mail, recipients, sender?.id ?? null, verifySender);
  const text = mail.text;
  const attachments = toAttachments(mail);

  try {
    if (thread.kind === "proven" && thread.ticket.status !== "closed") {
      const ticket = thread.ticket;
      const author =
        sender ??
        (await findOrCreateCustomer(
          db,
          { email: fromAddress, ...(mail.fromName ? { name: clip(mail.fromName, LIMITS.name) } : {}) },
          now,
        ));
      const isCustomer = author.role === "customer";
      const body = stripQuotedReply(text) || mail.subject?.trim() || "(email without text)";
      const escalate = isCustomer && wantsEscalation(body);
      const engine = deps.escalationRequests;
      const context: InboundMailContext = {
        messageId,
        ...(ctx.imap ? { imap: ctx.imap } : {}),
        ...(escalate && !engine
          ? {
              escalation: {
                reason: escalationReason(body),
                text: clip(body, REQUEST_TEXT_MAX),
                authorId: author.id,
              },
            }
          : {}),
      };
      const input = CreateMessageBody.parse({
        body: clip(body, LIMITS.messageBody),
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

    const mailbox = ctx.groupId ?? (await mailboxFor(deps, recipients));
    const language = guessLanguage(`${mail.subject ?? ""}\n${text}`);
    const followUp = thread.kind === "proven" ? `\n\n(Follow-up to closed ticket #${thread.ticket.number})` : "";
    const description = clip(
      `${text || mail.subject?.trim() || "(email without text)"}${attachments.note}`,
      LIMITS.description - followUp.length,
    );
    const input = CreateTicketBody.parse({
      subject: clip(mail.subject?.replace(/\s+/g, " ").trim() || description.split("\n")[0]!, LIMITS.subject),
      description: description + followUp,
      requester: {
        email: fromAddress,
        ...(mail.fromName ? { name: clip(mail.fromName, LIMITS.name) } : {}),
        ...(language ? { language } : {}),
      },
      channel: "email",
      ...(mailbox ? { group_id: mailbox } : {}),
      ...(language ? { language } : {}),
      ...(attachments.files.length ? { attachments: attachments.files } : {}),
    });
    const view = await inboundMail.run({ messageId, ...(ctx.imap ? { imap: ctx.imap } : {}) }, () =>
      deps.tickets.create(SYSTEM_ACTOR, input, now),
    );
    if (thread.kind === "unproven") await noteUnproven(deps, view.id, thread, fromAddress, now, ctx.log);
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

/** Tells the agents, on the new ticket, which ticket the mail pointed at and why it is not there. */
async function noteUnproven(
  deps: InboundDeps,
  ticketId: string,
  thread: Extract<Thread, { kind: "unproven" }>,
  fromAddress: string,
  now: Date,
  log: Logger,
) {
  try {
    await deps.messages.add(
      SYSTEM_ACTOR,
      ticketId,
      { kind: "note", body: clip(unprovenNote(thread, fromAddress), LIMITS.messageBody), channel: "email" },
      now,
    );
  } catch (err) {
    // The ticket is committed: the mail is not lost, only the note is missing.
    log.error({ err, ticketId }, "the unverified-sender note could not be added");
  }
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
function toAttachments(mail: InboundMail) {
  const files: { filename: string; content_type: string; content_base64: string }[] = [];
  const skipped: string[] = [];
  for (const a of mail.attachments) {
    if (a.size > LIMITS.attachmentBytes || files.length >= MAX_ATTACHMENTS) skipped.push(a.filename);
    else
      files.push({ filename: a.filename, content_type: a.contentType, content_base64: a.content.toString("base64") });
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
    await engine.create(actor, ticketId, { reason: escalationReason(text), text: clip(text, REQUEST_TEXT_MAX) }, now);
  } catch (err) {
    // One open request per ticket: a second "eskalasi" while one is open is just a message.
    log.info({ err, ticketId }, "escalation request by mail not created");
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "23505";
}
