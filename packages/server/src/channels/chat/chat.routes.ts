import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  ChatConversation,
  ChatFeedbackBody,
  ChatMessageBody,
  ChatSite,
  ChatStats,
  ChatStatsQuery,
  ChatTypingBody,
  CreateChatSiteBody,
  CreatedChatSite,
  Problem,
  StartChatBody,
  StartChatResult,
} from "@eskala/contracts";
import { requireRole } from "../../auth/actor.ts";
import type { Api, Services } from "../../http/context.ts";
import type { LiveHub } from "../../notify/live-hub.ts";
import type { LiveSignal } from "../../notify/live-signal.ts";
import { errors, IdParams } from "../http-helpers.ts";
import type { ChatConnections } from "./chat-notices.ts";
import type { ChatService } from "./chat.service.ts";

const WIDGET = fileURLToPath(new URL("../../../../web/dist/widget/widget.js", import.meta.url));
export const CHAT_TOKEN_HEADER = "x-chat-token";
const HEARTBEAT_MS = 15_000;

/**
 * The widget's API is called from any site: these routes (and only these) answer CORS, with no
 * cookies (`*`), the visitor's token in X-Chat-Token. helmet's same-origin resource policy is
 * lifted for them and for /widget.js.
 */
async function cors(_req: FastifyRequest, reply: FastifyReply) {
  reply.header("access-control-allow-origin", "*");
  reply.header("access-control-expose-headers", "retry-after, x-request-id");
  reply.header("cross-origin-resource-policy", "cross-origin");
}

const tooMany = (what: string) => `Too many ${what} from this chat; wait a minute and try again`;

/** A visitor's flood is limited per chat token (the IP before there is one). */
const perVisitor = (max: number, what: string) => ({
  rateLimit: {
    max,
    timeWindow: "1 minute",
    keyGenerator: (req: FastifyRequest) => String(req.headers[CHAT_TOKEN_HEADER] ?? req.ip),
    errorResponseBuilder: (_req: FastifyRequest, ctx: { statusCode: number }) =>
      Object.assign(new Error(tooMany(what)), { statusCode: ctx.statusCode }),
  },
});

const visitorErrors = { ...errors, 429: Problem };
const TokenHeaders = z.object({ [CHAT_TOKEN_HEADER]: z.string().max(200).optional() });

/** The web chat widget's script and API (/api/v1/chat/...), and the supervisors' and admins' parts. */
export function chatRoutes(chat: ChatService, connections?: ChatConnections) {
  return (api: Api, s: Services) => {
    const tags = ["chat"];
    const token = (req: FastifyRequest) =>
      chat.authenticate(req.headers[CHAT_TOKEN_HEADER] as string | undefined, s.clock.now());
    let widget: Buffer | null = null;

    api.get("/widget.js", { schema: { hide: true }, onRequest: cors }, async (_req, reply) => {
      widget ??= existsSync(WIDGET) ? readFileSync(WIDGET) : null;
      if (!widget)
        return reply.code(404).type("text/plain").send("The chat widget is not built: run npm run build:web");
      return reply
        .type("application/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .send(widget);
    });

    // Preflight for the widget's calls (JSON bodies and the X-Chat-Token header).
    api.options(
      "/api/v1/chat/*",
      { schema: { hide: true }, config: { public: true }, onRequest: cors },
      async (_req, reply) =>
        reply
          .code(204)
          .header("access-control-allow-methods", "GET, POST, OPTIONS")
          .header("access-control-allow-headers", `content-type, ${CHAT_TOKEN_HEADER}`)
          .header("access-control-max-age", "600")
          .send(),
    );

    api.post(
      "/api/v1/chat/conversations",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(60, "new chats") },
        schema: {
          tags,
          summary: "Start a chat (the widget): a name and email, or the host site's signed user_token",
          body: StartChatBody,
          response: { 201: StartChatResult, ...visitorErrors },
        },
      },
      async (req, reply) => reply.code(201).send(await chat.start(req.body, s.clock.now())),
    );

    api.get(
      "/api/v1/chat/conversation",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(120, "requests") },
        schema: {
          tags,
          summary: "The visitor's conversation (X-Chat-Token): the lines, the ticket once handed over, who is online",
          headers: TokenHeaders,
          response: { 200: ChatConversation, ...visitorErrors },
        },
      },
      async (req) => chat.view(token(req)),
    );

    api.post(
      "/api/v1/chat/conversation/messages",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(20, "messages") },
        schema: {
          tags,
          summary: "The visitor writes: the bot answers from the knowledge base, or the line goes to the ticket",
          description: "At most 10,000 characters (422 naming `body`); 20 a minute per chat (429).",
          headers: TokenHeaders,
          body: ChatMessageBody,
          response: { 200: ChatConversation, ...visitorErrors },
        },
      },
      async (req) => chat.say(token(req), req.body.body, s.clock.now()),
    );

    api.post(
      "/api/v1/chat/conversation/feedback",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(20, "answers") },
        schema: {
          tags,
          summary: '"Did this solve it?": yes counts a deflection; a second no hands over to a person',
          headers: TokenHeaders,
          body: ChatFeedbackBody,
          response: { 200: ChatConversation, ...visitorErrors },
        },
      },
      async (req) => chat.feedback(token(req), req.body, s.clock.now()),
    );

    api.post(
      "/api/v1/chat/conversation/handover",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(10, "requests") },
        schema: {
          tags,
          summary: '"Talk to a person": a chat ticket with the whole transcript, routed like any other',
          headers: TokenHeaders,
          response: { 200: ChatConversation, ...visitorErrors },
        },
      },
      async (req) => chat.handover(token(req), "asked", s.clock.now()),
    );

    api.post(
      "/api/v1/chat/conversation/typing",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(60, "typing signals") },
        schema: {
          tags,
          summary: "The visitor is typing (or stopped): agents on the ticket see it",
          headers: TokenHeaders,
          body: ChatTypingBody,
          response: { 204: z.null(), ...visitorErrors },
        },
      },
      async (req, reply) => {
        await chat.typing(token(req), req.body.typing, s.clock.now());
        return reply.code(204).send(null);
      },
    );

    api.get(
      "/api/v1/chat/conversation/stream",
      {
        onRequest: cors,
        config: { public: true, ...perVisitor(30, "connections") },
        schema: {
          tags,
          summary: "Live updates of the conversation (Server-Sent Events, X-Chat-Token)",
          description:
            "text/event-stream: `event: changed` when the ticket has a new public line (fetch the conversation again), `event: typing` with `{typing, name}` while an agent writes a reply.",
          headers: TokenHeaders,
          produces: ["text/event-stream"],
          response: { 401: Problem, 429: Problem },
        },
      },
      async (req, reply) => {
        const id = token(req);
        const hub = (api as unknown as { liveHub?: LiveHub }).liveHub;
        if (!hub) throw new Error("The live hub is not wired (composeNotify)");
        const ticket = await chat.ticketOf(id);
        const res = reply.raw;
        let open = true;
        const send = (event: string, data: unknown) => {
          if (open) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        };
        const onSignal = (sig: LiveSignal) => {
          if (!ticket) return;
          if (sig.t === "ticket") {
            if (sig.ticket_id === ticket.ticketId && !sig.internal && sig.customer_type) send("changed", {});
          } else if (sig.t === "presence") {
            const p = sig.item;
            if (p.ticket_id !== ticket.ticketId || p.user.id === ticket.requesterId) return;
            send("typing", { typing: p.state === "replying", name: p.user.name });
          }
        };
        const connected = ticket && connections ? connections.add(ticket.ticketId) : () => {};
        const end = () => {
          if (!open) return;
          open = false;
          clearInterval(heartbeat);
          unsubscribe();
          connected();
          res.end();
        };
        const unsubscribe = await hub.subscribe({ onSignal, onShutdown: end });
        reply.hijack();
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
          "access-control-allow-origin": "*",
          "cross-origin-resource-policy": "cross-origin",
        });
        res.write("retry: 3000\n: connected\n\n");
        const heartbeat = setInterval(() => open && res.write(": heartbeat\n\n"), HEARTBEAT_MS);
        res.on("close", end);
        if (res.destroyed) end();
        return reply;
      },
    );

    api.get(
      "/api/v1/chat/stats",
      {
        schema: {
          tags,
          summary:
            "Chats started in a period: conversations, deflections (the bot's answer solved it), handovers (supervisors)",
          querystring: ChatStatsQuery,
          response: { 200: ChatStats, ...errors },
        },
      },
      async (req) => {
        requireRole(req.actor, "supervisor");
        return chat.stats(
          req.query.from ? new Date(req.query.from) : null,
          req.query.to ? new Date(req.query.to) : null,
        );
      },
    );

    api.get(
      "/api/v1/chat/sites",
      {
        schema: {
          tags,
          summary: "Host sites whose signed user_token identifies their visitors (admins)",
          response: { 200: z.object({ items: z.array(ChatSite) }), ...errors },
        },
      },
      async (req) => {
        requireRole(req.actor, "admin");
        return chat.sites.list();
      },
    );
    api.post(
      "/api/v1/chat/sites",
      {
        schema: {
          tags,
          summary: "Add a host site; its identity secret is shown once (admins)",
          body: CreateChatSiteBody,
          response: { 201: CreatedChatSite, ...errors },
        },
      },
      async (req, reply) => {
        requireRole(req.actor, "admin");
        return reply.code(201).send(await chat.sites.create(req.body.name));
      },
    );
    api.delete(
      "/api/v1/chat/sites/:id",
      {
        schema: {
          tags,
          summary: "Remove a host site (admins)",
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        requireRole(req.actor, "admin");
        await chat.sites.remove(req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route answers without credentials (auth.hook.ts). */
    public?: boolean;
  }
}
