import { Problem } from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import { endsStream, type Credential } from "../auth/session-end.ts";
import type { Api } from "../http/context.ts";
import { canSeeTicket } from "../tickets/ticket-access.ts";
import type { LiveHub } from "./live-hub.ts";
import type { LiveSignal } from "./live-signal.ts";

export const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/v1/stream`: Server-Sent Events for the signed-in user. `event: ticket` for changes of
 * tickets they may see (staff: all; customers: their own or their shared organization's, never
 * internal notes, only changes with an event a customer may see: tickets/customer-view.ts),
 * `event: notification` for their own new notifications. A comment every 15 s keeps proxies from
 * closing the connection; `retry: 3000` paces EventSource's reconnects. A stream ends with its
 * session: sign-out, the user disabled, a new password (other sessions), a revoked token.
 */
export function streamRoutes(
  api: Api,
  hub: LiveHub,
  opts: {
    heartbeatMs?: number;
    /** Checked at every heartbeat: the stream ends once its credential no longer signs in. */
    isLive?: (credential: Credential) => Promise<boolean>;
  } = {},
): void {
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
  // fastify.close() waits for open connections: end the streams first.
  api.addHook("preClose", async () => hub.shutdown());

  api.get(
    "/api/v1/stream",
    {
      schema: {
        tags: ["live"],
        summary: "Live updates (Server-Sent Events)",
        description:
          'text/event-stream. `event: ticket` with `{"ticket_id","type","at","version"}` (LiveTicketEvent); `event: notification` with a Notification; staff also get `event: presence` with a TicketPresence (who else views or replies to a ticket). Session cookie (EventSource) or bearer token.',
        produces: ["text/event-stream"],
        response: { 401: Problem },
      },
      config: { public: false },
    },
    async (req, reply) => {
      const actor = requireActor(req.actor);
      const credential = req.credential;
      const res = reply.raw;
      let open = true;
      let heartbeat: ReturnType<typeof setInterval> | undefined = undefined;
      const send = (event: string, data: unknown) => {
        if (open) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const onSignal = (s: LiveSignal) => {
        if (s.t === "session_end") {
          if (endsStream(s, actor.userId, credential)) end();
          return;
        }
        if (s.t === "notification") {
          if (s.user_id === actor.userId) send("notification", s.item);
          return;
        }
        if (s.t === "presence") {
          // Who else is on a ticket: staff only, never their own.
          if (actor.role !== "customer" && s.item.user.id !== actor.userId) send("presence", s.item);
          return;
        }
        if (actor.role !== "customer") {
          send("ticket", { ticket_id: s.ticket_id, type: s.type, at: s.at, version: s.version });
          return;
        }
        // A customer hears only of changes with an event they may see, named by that event.
        if (s.internal || !s.customer_type || !canSeeTicket(actor, s)) return;
        send("ticket", { ticket_id: s.ticket_id, type: s.customer_type, at: s.at, version: s.version });
      };
      const check = () => {
        if (!opts.isLive || !credential) return;
        opts.isLive(credential).then(
          (live) => live || end(),
          () => {},
        );
      };
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        res.end();
      };
      const unsubscribe = await hub.subscribe({ onSignal, onShutdown: end });

      reply.hijack();
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-request-id": req.id,
      });
      res.write("retry: 3000\n: connected\n\n");
      heartbeat = setInterval(() => {
        if (!open) return;
        res.write(": heartbeat\n\n");
        check();
      }, heartbeatMs);
      res.on("close", end);
      if (res.destroyed) end();
      return reply;
    },
  );
}
