import { Problem } from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api } from "../http/context.ts";
import { canSeeTicket } from "../tickets/ticket-access.ts";
import type { LiveHub } from "./live-hub.ts";
import type { LiveSignal } from "./live-signal.ts";

export const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/v1/stream`: Server-Sent Events for the signed-in user. `event: ticket` for changes of
 * tickets they may see (staff: all; customers: their own or their shared organization's, never
 * internal notes), `event: notification` for their own new notifications. A comment every 15 s
 * keeps proxies from closing the connection; `retry: 3000` paces EventSource's reconnects.
 */
export function streamRoutes(api: Api, hub: LiveHub, opts: { heartbeatMs?: number } = {}): void {
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
          'text/event-stream. `event: ticket` with `{"ticket_id","type","at","version"}` (LiveTicketEvent); `event: notification` with a Notification. Session cookie (EventSource) or bearer token.',
        produces: ["text/event-stream"],
        response: { 401: Problem },
      },
      config: { public: false },
    },
    async (req, reply) => {
      const actor = requireActor(req.actor);
      const res = reply.raw;
      let open = true;
      let heartbeat: ReturnType<typeof setInterval> | undefined = undefined;
      const send = (event: string, data: unknown) => {
        if (open) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const onSignal = (s: LiveSignal) => {
        if (s.t === "notification") {
          if (s.user_id === actor.userId) send("notification", s.item);
          return;
        }
        if (actor.role === "customer" && (s.internal || !canSeeTicket(actor, s))) return;
        send("ticket", { ticket_id: s.ticket_id, type: s.type, at: s.at, version: s.version });
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
      heartbeat = setInterval(() => open && res.write(": heartbeat\n\n"), heartbeatMs);
      res.on("close", end);
      if (res.destroyed) end();
      return reply;
    },
  );
}
