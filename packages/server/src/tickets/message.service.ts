import { sql, type Kysely, type Transaction } from "kysely";
import { statusAfterMessage, type TicketStatus } from "@eskala/core";
import type { CreateMessageBody } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { adminOnlyField, assertVisible } from "./ticket-access.ts";
import { customerMessage, type MessageView } from "./customer-view.ts";
import type { Executor, TimelineEvent } from "./ticket-events.ts";
import { recordChange, type TicketHook } from "./ticket-hooks.ts";
import { findTicketForUpdate, updateTicket, type TicketPatch } from "./ticket.repo.ts";
import { statusChange } from "./ticket.service.ts";
import { saveAttachments } from "./attachments.ts";
import { findMentions, notifyMentions } from "./mentions.ts";
import { notifyCollaborators } from "./collaborators.ts";

/**
 * How a message came in: the inbound mail's Message-ID; the author already read by the caller
 * (a WhatsApp group reads its customers in one query), who must be `author_email`'s user.
 */
export interface AddOptions {
  emailMessageId?: string;
  author?: Author;
}
type Author = Awaited<ReturnType<typeof findAuthor>>;

/** Scores a customer's message (negative = unhappy); supplied by the escalation engine. */
export type SentimentScorer = (text: string) => number | null;

export type MessageService = ReturnType<typeof createMessageService>;

/** Replies and internal notes; a message, its ticket's new state and its events commit together. */
export function createMessageService(deps: { db: Kysely<DB>; hooks: TicketHook[]; scoreSentiment?: SentimentScorer }) {
  const { db, hooks } = deps;

  async function add(
    actor: Actor,
    ticketId: string,
    body: CreateMessageBody,
    now: Date,
    opts: { emailMessageId?: string } = {},
  ) {
    adminOnlyField(actor, "created_at", body.created_at !== undefined);
    adminOnlyField(actor, "author_email", body.author_email !== undefined);
    return db.transaction().execute((trx) => addInTrx(trx, actor, ticketId, body, now, opts));
  }

  /** A message in the caller's transaction (a macro writes its reply and its field changes together). */
  async function addInTrx(
    trx: Transaction<DB>,
    actor: Actor,
    ticketId: string,
    body: CreateMessageBody,
    now: Date,
    opts: AddOptions = {},
  ) {
    const isCustomer = actor.role === "customer";
    const at = body.created_at ? new Date(body.created_at) : now;
    const current = assertVisible(actor, await findTicketForUpdate(trx, ticketId));
    // Checked once the ticket is known to be visible, so a stranger learns nothing from a 403.
    if (isCustomer && body.kind === "note")
      throw new AppError("forbidden", "Customers cannot write internal notes", [
        { path: ["kind"], message: "agents only" },
      ]);
    if (isCustomer && body.status)
      throw new AppError("forbidden", "Customers cannot set the status", [
        { path: ["status"], message: "agents only" },
      ]);
    const author = body.author_email
      ? (opts.author ?? (await findAuthor(trx, body.author_email)))
      : { id: actor.via === "system" ? null : actor.userId, role: actor.role };
    if (current.status === "closed")
      throw new AppError("invalid_transition", "The ticket is closed; open a new one", [
        { path: ["ticket"], message: "closed" },
      ]);
    const byCustomer = author.role === "customer";
    const isPublic = body.kind === "reply";
    const sentiment = byCustomer && deps.scoreSentiment ? deps.scoreSentiment(body.body) : null;
    const mentions = body.kind === "note" ? await findMentions(trx, body.body) : [];
    const message = await trx
      .insertInto("messages")
      .values({
        ticket_id: ticketId,
        author_id: author.id,
        kind: body.kind,
        body: body.body,
        channel: body.channel ?? (byCustomer ? current.channel : "web"),
        mentions,
        sentiment,
        email_message_id: opts.emailMessageId ?? null,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (body.attachments?.length) await saveAttachments(trx, ticketId, message.id, body.attachments);

    const set: TicketPatch = {};
    const changes: Record<string, [unknown, unknown]> = {};
    if (byCustomer) set.last_customer_message_at = at;
    else if (isPublic) {
      set.last_agent_reply_at = at;
      if (!current.first_response_at) set.first_response_at = at;
    }
    if (body.status && body.status !== current.status) {
      Object.assign(set, statusChange(current, body.status, body.resolution_code, at));
      changes.status = [current.status, body.status];
    } else {
      const next = statusAfterMessage(current.status as TicketStatus, byCustomer ? "customer" : "agent", isPublic);
      if (next !== current.status) {
        Object.assign(set, statusChange(current, next, undefined, at));
        changes.status = [current.status, next];
      }
    }
    const ticket = await updateTicket(trx, current, set, at);
    const events: TimelineEvent[] = [
      {
        ticketId,
        type: "message.added",
        at,
        data: {
          message_id: message.id,
          kind: body.kind,
          author_role: author.role,
          ...(sentiment !== null ? { sentiment } : {}),
          ...(mentions.length ? { mentions } : {}),
        },
      },
    ];
    if (changes.status) events.push({ ticketId, type: "ticket.updated", at, data: { changes } });
    if (mentions.length)
      await notifyMentions(trx, { userIds: mentions, authorId: author.id, ticket, messageId: message.id, now });
    if (byCustomer && isPublic && ticket.collaborator_ids.length)
      await notifyCollaborators(trx, {
        kind: "collaborator.customer_replied",
        userIds: ticket.collaborator_ids,
        actorId: author.id,
        ticket,
        key: message.id,
        now,
      });
    await recordChange(hooks, trx, actor, {
      ticket,
      previous: current,
      events,
      actor,
      now,
      message: { id: message.id, kind: body.kind, authorRole: author.role, body: body.body, sentiment },
    });
    return message;
  }

  async function list(actor: Actor, ticketId: string) {
    const ticket = await db
      .selectFrom("tickets")
      .select(["requester_id", "organization_id"])
      .where("id", "=", ticketId)
      .executeTakeFirst();
    assertVisible(actor, ticket);
    let q = db
      .selectFrom("messages as m")
      .leftJoin("users as u", "u.id", "m.author_id")
      .selectAll("m")
      .select(["u.name as author_name", "u.role as author_role"])
      .where("m.ticket_id", "=", ticketId);
    if (actor.role === "customer") q = q.where("m.kind", "=", "reply");
    const rows = await q.orderBy("m.created_at").orderBy("m.id").execute();
    const files = rows.length
      ? await db
          .selectFrom("attachments")
          .select(["id", "message_id", "filename", "content_type", "size"])
          .where(
            "message_id",
            "in",
            rows.map((r) => r.id),
          )
          .execute()
      : [];
    const views: MessageView[] = rows.map((m) => ({
      id: m.id,
      ticket_id: m.ticket_id,
      kind: m.kind,
      body: m.body,
      channel: m.channel as MessageView["channel"],
      author: m.author_id ? { id: m.author_id, name: m.author_name ?? "", role: m.author_role ?? "customer" } : null,
      mentions: m.mentions,
      attachments: files.filter((f) => f.message_id === m.id).map(({ message_id: _, ...f }) => f),
      sentiment: m.sentiment,
      created_at: m.created_at.toISOString(),
    }));
    return actor.role === "customer" ? views.map(customerMessage).filter((m) => m !== null) : views;
  }

  return { add, addInTrx, list };
}

async function findAuthor(db: Executor, email: string) {
  const row = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
    .executeTakeFirst();
  if (!row) throw AppError.field(["author_email"], "unknown user");
  return row;
}
