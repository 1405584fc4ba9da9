import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { analyzeSentiment } from "@eskala/core/sentiment";
import { LIMITS, type ChatConversation, type ChatLine, type StartChatBody } from "@eskala/contracts";
import { SYSTEM_ACTOR } from "../../auth/actor.ts";
import type { Database } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import type { ChatArticleRef } from "../../db/schema-chat.ts";
import { AppError, notFound } from "../../lib/app-error.ts";
import { LIVE_CHANNEL, type LivePresenceSignal } from "../../notify/live-signal.ts";
import type { MessageService } from "../../tickets/message.service.ts";
import type { TicketService } from "../../tickets/ticket.service.ts";
import { searchArticles } from "../kb/kb-search.ts";
import { signVisitorToken, verifySiteToken, verifyVisitorToken } from "./chat-token.ts";
import { chatWords, type ChatLanguage } from "./chat-words.ts";

export type ChatService = ReturnType<typeof createChatService>;

/** The bot shows this many articles an answer. */
const BOT_ARTICLES = 3;
/** Two answers that did not help (no article found, or "no") hand the visitor to a person. */
const MISSES_TO_HANDOVER = 2;

type HandoverReason = "asked" | "misses" | "sentiment";

/**
 * The web chat: tier 0 answers from the knowledge base, a deflection when one solved it, and the
 * handover to tier 1 (a `chat` ticket created through the ticket service, carrying the transcript)
 * after which the visitor's lines are the ticket's messages and the agents' public replies come back.
 */
export function createChatService(deps: {
  database: Pick<Database, "db" | "notify">;
  tickets: TicketService;
  messages: MessageService;
  secret: string;
  /** The ticket's first-response deadline the SLA promises the customer (null: none). */
  firstResponseDue: (ticketId: string) => Promise<string | null>;
}) {
  const db: Kysely<DB> = deps.database.db;
  /** One handover at a time per conversation in this process (a double click makes one ticket). */
  const handing = new Map<string, Promise<unknown>>();

  async function start(body: StartChatBody, now: Date) {
    let name = body.name ?? "";
    let email = body.email ?? "";
    let verified = false;
    if (body.user_token) {
      const site = await db
        .selectFrom("chat_sites")
        .select(["id", "identity_secret"])
        .where("id", "=", body.site_id!)
        .executeTakeFirst();
      if (!site) throw AppError.field(["site_id"], "unknown site");
      const check = verifySiteToken(site.identity_secret, body.user_token, now);
      if (!check.ok) throw AppError.field(["user_token"], check.reason);
      name = check.identity.name;
      email = check.identity.email;
      verified = true;
    } else if (body.site_id) {
      const site = await db.selectFrom("chat_sites").select("id").where("id", "=", body.site_id).executeTakeFirst();
      if (!site) throw AppError.field(["site_id"], "unknown site");
    }
    const row = await db
      .insertInto("chat_conversations")
      .values({
        site_id: body.site_id ?? null,
        visitor_name: name,
        visitor_email: email.toLowerCase(),
        verified,
        language: body.language,
        ticket_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { token: signVisitorToken(deps.secret, row.id, now), conversation: await view(row.id) };
  }

  /** The conversation a visitor token names, or a 401. */
  function authenticate(token: string | undefined, now: Date): string {
    const id = token ? verifyVisitorToken(deps.secret, token, now) : null;
    if (!id) throw new AppError("unauthenticated", "Start a chat first: the chat token is missing, invalid or expired");
    return id;
  }

  async function load(id: string) {
    const c = await db
      .selectFrom("chat_conversations as c")
      .leftJoin("tickets as t", "t.id", "c.ticket_id")
      .selectAll("c")
      .select(["t.number as ticket_number", "t.group_id as ticket_group", "t.requester_id as requester_id"])
      .where("c.id", "=", id)
      .executeTakeFirst();
    if (!c) throw notFound("conversation");
    return c;
  }

  async function view(id: string): Promise<ChatConversation> {
    const c = await load(id);
    // The reads are independent: on PostgreSQL they run side by side on the pool.
    const [rows, replies, agentsOnline, replyBy] = await Promise.all([
      db.selectFrom("chat_lines").selectAll().where("conversation_id", "=", id).orderBy("id").execute(),
      // The team's public replies on the ticket, in the conversation (never internal notes).
      c.ticket_id
        ? db
            .selectFrom("messages as m")
            .innerJoin("users as u", "u.id", "m.author_id")
            .select(["m.id", "m.body", "m.created_at", "u.name"])
            .where("m.ticket_id", "=", c.ticket_id)
            .where("m.kind", "=", "reply")
            .where("u.role", "!=", "customer")
            .orderBy("m.created_at")
            .execute()
        : Promise.resolve([]),
      anyAgentOnline(c.ticket_group),
      c.ticket_id ? deps.firstResponseDue(c.ticket_id) : Promise.resolve(null),
    ]);
    const lines: ChatLine[] = rows.map((l, i, all) => ({
      id: `l${l.id}`,
      author: l.author,
      author_name: l.author === "visitor" ? c.visitor_name : null,
      body: l.body,
      articles: l.articles,
      // The question goes under the bot's latest answer while the bot still has the conversation.
      ask_feedback: c.state === "bot" && l.author === "bot" && l.articles.length > 0 && i === all.length - 1,
      at: l.created_at.toISOString(),
    }));
    if (replies.length) {
      for (const r of replies)
        lines.push({
          id: `m${r.id}`,
          author: "agent",
          author_name: r.name,
          body: r.body,
          articles: [],
          ask_feedback: false,
          at: r.created_at.toISOString(),
        });
      lines.sort((a, b) => a.at.localeCompare(b.at));
    }
    return {
      id: c.id,
      state: c.state,
      language: c.language,
      visitor: { name: c.visitor_name, email: c.visitor_email },
      ticket: c.ticket_id ? { id: c.ticket_id, number: c.ticket_number! } : null,
      agents_online: agentsOnline,
      reply_by: replyBy,
      lines,
    };
  }

  /** An agent of the group (any group before a handover) is online now. */
  async function anyAgentOnline(groupId: string | null): Promise<boolean> {
    let q = db
      .selectFrom("agent_profiles as p")
      .innerJoin("users as u", "u.id", "p.user_id")
      .select("p.user_id")
      .where("p.presence", "=", "online")
      .where("u.disabled", "=", false);
    if (groupId)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom("group_members as gm")
            .select("gm.user_id")
            .whereRef("gm.user_id", "=", "p.user_id")
            .where("gm.group_id", "=", groupId),
        ),
      );
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  }

  async function addLine(
    conversationId: string,
    author: "visitor" | "bot",
    body: string,
    now: Date,
    articles: ChatArticleRef[] = [],
  ) {
    await db
      .insertInto("chat_lines")
      .values({ conversation_id: conversationId, author, body, articles: JSON.stringify(articles), created_at: now })
      .execute();
  }

  /** A visitor's line: answered by the bot, or added to the ticket once a person has it. */
  async function say(id: string, text: string, now: Date): Promise<ChatConversation> {
    const c = await load(id);
    if (c.state === "handed_over" && c.ticket_id) {
      await deps.messages.add(
        SYSTEM_ACTOR,
        c.ticket_id,
        { body: text, kind: "reply", channel: "chat", author_email: c.visitor_email },
        now,
      );
      await addLine(id, "visitor", text, now);
      return view(id);
    }
    await addLine(id, "visitor", text, now);
    const words = chatWords(c.language);
    if (analyzeSentiment(text).isStronglyNegative) return handover(id, "sentiment", now);
    const hits = await searchArticles(db, text, { lang: c.language, limit: BOT_ARTICLES, mode: "search" });
    if (hits.length) {
      if (c.state !== "bot") await setState(id, { state: "bot" }, now);
      await addLine(
        id,
        "bot",
        words.found,
        now,
        hits.map((h) => ({ id: h.id, title: h.title, snippet: h.snippet, url: h.url })),
      );
      return view(id);
    }
    return miss(id, c.misses, words.notFound, now);
  }

  async function miss(id: string, misses: number, sentence: string, now: Date) {
    if (misses + 1 >= MISSES_TO_HANDOVER) {
      await setState(id, { misses: misses + 1 }, now);
      return handover(id, "misses", now);
    }
    await setState(id, { misses: misses + 1, state: "bot" }, now);
    await addLine(id, "bot", sentence, now);
    return view(id);
  }

  async function setState(
    id: string,
    set: { state?: "bot" | "deflected" | "handed_over"; misses?: number; ticket_id?: string },
    now: Date,
  ) {
    await db
      .updateTable("chat_conversations")
      .set({ ...set, updated_at: now })
      .where("id", "=", id)
      .execute();
  }

  /** "Did this solve it?": yes counts a deflection (and against the article), no is a miss. */
  async function feedback(id: string, body: { solved: boolean; article_id?: string | undefined }, now: Date) {
    const c = await load(id);
    if (c.state === "handed_over") throw new AppError("conflict", "A person has this conversation now");
    const last = await db
      .selectFrom("chat_lines")
      .select(["articles"])
      .where("conversation_id", "=", id)
      .where("author", "=", "bot")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    const shown = last?.articles ?? [];
    if (!shown.length) throw AppError.field(["solved"], "the bot has not suggested an article yet");
    const words = chatWords(c.language);
    if (!body.solved) return miss(id, c.misses, words.tryAgain, now);
    const article = body.article_id ?? shown[0]!.id;
    if (!shown.some((a) => a.id === article)) throw AppError.field(["article_id"], "not one the bot suggested");
    const query = await lastVisitorLine(id);
    await db.transaction().execute(async (trx) => {
      const first = await trx
        .insertInto("chat_deflections")
        .values({ conversation_id: id, article_id: article, created_at: now })
        .onConflict((oc) => oc.column("conversation_id").doNothing())
        .returning("conversation_id")
        .executeTakeFirst();
      // Counted against the article like the help center's "this solved my problem" (once a conversation).
      if (first)
        await trx
          .insertInto("kb_deflections")
          .values({ article_id: article, query: query.slice(0, LIMITS.query), user_id: null, created_at: now })
          .execute();
      await trx
        .updateTable("chat_conversations")
        .set({ state: "deflected", updated_at: now })
        .where("id", "=", id)
        .execute();
      await trx
        .insertInto("chat_lines")
        .values({ conversation_id: id, author: "bot", body: words.glad, articles: "[]", created_at: now })
        .execute();
    });
    return view(id);
  }

  async function lastVisitorLine(id: string): Promise<string> {
    const row = await db
      .selectFrom("chat_lines")
      .select("body")
      .where("conversation_id", "=", id)
      .where("author", "=", "visitor")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    return row?.body ?? "";
  }

  /**
   * Tier 1 takes over: a ticket on the `chat` channel through the ticket service (routed like any
   * other), its description the whole transcript, so nobody asks the visitor again.
   */
  async function handover(id: string, reason: HandoverReason, now: Date): Promise<ChatConversation> {
    while (handing.has(id)) await handing.get(id)!.catch(() => {});
    const run = handoverOnce(id, reason, now);
    handing.set(id, run);
    try {
      return await run;
    } finally {
      handing.delete(id);
    }
  }

  async function handoverOnce(id: string, reason: HandoverReason, now: Date): Promise<ChatConversation> {
    const c = await load(id);
    if (c.state === "handed_over") return view(id);
    const words = chatWords(c.language);
    const lines = await db
      .selectFrom("chat_lines")
      .selectAll()
      .where("conversation_id", "=", id)
      .orderBy("id")
      .execute();
    const firstLine = lines
      .find((l) => l.author === "visitor")
      ?.body.replace(/\s+/g, " ")
      .trim();
    const subject = clip(`${words.subject}: ${firstLine || c.visitor_name}`, 120);
    const description = transcript(lines, c.visitor_name, c.language, reason);
    const ticket = await deps.tickets.create(
      SYSTEM_ACTOR,
      {
        subject,
        description,
        requester: { email: c.visitor_email, name: clip(c.visitor_name, LIMITS.name), language: c.language },
        channel: "chat",
        language: c.language,
      },
      now,
    );
    await setState(id, { state: "handed_over", ticket_id: ticket.id }, now);
    await addLine(id, "bot", words.handedOver(ticket.number), now);
    return view(id);
  }

  /** The visitor is typing (or stopped): the agents on the ticket see "… is replying". */
  async function typing(id: string, isTyping: boolean, now: Date) {
    const c = await load(id);
    if (!c.ticket_id || !c.requester_id) return;
    const signal: LivePresenceSignal = {
      t: "presence",
      item: {
        ticket_id: c.ticket_id,
        user: { id: c.requester_id, name: c.visitor_name },
        state: isTyping ? "replying" : "left",
        at: now.toISOString(),
      },
    };
    await deps.database.notify(LIVE_CHANNEL, JSON.stringify(signal));
  }

  /** Conversations, deflections and handovers started in a period (supervisors). */
  async function stats(from: Date | null, to: Date | null) {
    const row = await db
      .selectFrom("chat_conversations as c")
      .leftJoin("chat_deflections as d", "d.conversation_id", "c.id")
      .select([
        sql<number>`count(*)::int`.as("conversations"),
        sql<number>`count(d.conversation_id)::int`.as("deflections"),
        sql<number>`count(c.ticket_id)::int`.as("handovers"),
      ])
      .$if(from !== null, (q) => q.where("c.created_at", ">=", from!))
      .$if(to !== null, (q) => q.where("c.created_at", "<", to!))
      .executeTakeFirstOrThrow();
    return { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null, ...row };
  }

  const sites = {
    async list() {
      const rows = await db
        .selectFrom("chat_sites")
        .select(["id", "name", "created_at"])
        .orderBy("created_at")
        .execute();
      return { items: rows.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at.toISOString() })) };
    },
    async create(name: string) {
      const secret = randomBytes(32).toString("base64url");
      const r = await db
        .insertInto("chat_sites")
        .values({ name, identity_secret: secret })
        .returning(["id", "name", "created_at"])
        .executeTakeFirstOrThrow();
      return { id: r.id, name: r.name, created_at: r.created_at.toISOString(), identity_secret: secret };
    },
    async remove(id: string) {
      const gone = await db.deleteFrom("chat_sites").where("id", "=", id).returning("id").executeTakeFirst();
      if (!gone) throw notFound("chat site");
    },
  };

  /** The ticket a conversation was handed over to (for the live stream), or null. */
  async function ticketOf(id: string) {
    const c = await load(id);
    return c.ticket_id ? { ticketId: c.ticket_id, requesterId: c.requester_id } : null;
  }

  return { start, authenticate, view, say, feedback, handover, typing, stats, sites, ticketOf };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The transcript as the ticket's description: every bot and visitor line with the articles shown. */
function transcript(
  lines: { author: string; body: string; articles: ChatArticleRef[]; created_at: Date }[],
  visitor: string,
  lang: ChatLanguage,
  reason: HandoverReason,
): string {
  const words = chatWords(lang);
  const text = lines.map((l) => {
    const who = l.author === "visitor" ? visitor : words.bot;
    const time = l.created_at.toISOString().slice(11, 16);
    const articles = l.articles.map((a) => `\n    - ${a.title} (${a.url})`).join("");
    return `[${time} UTC] ${who}: ${l.body}${articles}`;
  });
  const head = `${words.reason(reason)}\n${words.transcript}\n\n`;
  let body = text.join("\n");
  const room = LIMITS.description - head.length - words.shortened.length - 2;
  if (body.length > room) body = `${words.shortened}\n${body.slice(body.length - room)}`;
  return head + (body || visitor);
}
