import { z } from "zod";
import { Id, TicketPresence, TicketPresenceBody, Problem } from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Database } from "../db/database.ts";
import type { Api } from "../http/context.ts";
import type { Clock } from "../lib/clock.ts";
import { notFound } from "../lib/app-error.ts";
import { assertStaff } from "../tickets/ticket-access.ts";
import type { LiveHub } from "./live-hub.ts";
import { LIVE_CHANNEL, type LivePresenceSignal } from "./live-signal.ts";

/** A browser says again what its user is doing every 20 s; unheard for this long, they are gone. */
export const PRESENCE_TTL_MS = 45_000;

/**
 * Who is viewing or replying to which ticket (collision detection): ephemeral, never a table.
 * Each report is a live signal (NOTIFY on PostgreSQL, so every process hears it), streamed to
 * staff only; each process keeps the latest reports it heard in memory, for a ticket opened later.
 */
export function createPresenceTracker(clock: Clock) {
  const byTicket = new Map<string, Map<string, TicketPresence>>();
  return {
    hear(signal: LivePresenceSignal) {
      const item = signal.item;
      let users = byTicket.get(item.ticket_id);
      if (item.state === "left") {
        users?.delete(item.user.id);
        if (users?.size === 0) byTicket.delete(item.ticket_id);
        return;
      }
      if (!users) byTicket.set(item.ticket_id, (users = new Map()));
      users.set(item.user.id, item);
    },
    /** Who is on the ticket now, but the asker. */
    on(ticketId: string, exceptUserId: string): TicketPresence[] {
      const users = byTicket.get(ticketId);
      if (!users) return [];
      const cutoff = clock.now().getTime() - PRESENCE_TTL_MS;
      for (const [id, p] of users) if (Date.parse(p.at) < cutoff) users.delete(id);
      if (users.size === 0) byTicket.delete(ticketId);
      return [...users.values()].filter((p) => p.user.id !== exceptUserId);
    },
  };
}

export type PresenceTracker = ReturnType<typeof createPresenceTracker>;

/** Keeps the tracker hearing every process's presence signals. */
export async function trackPresence(hub: LiveHub, tracker: PresenceTracker): Promise<void> {
  await hub.watch((s) => s.t === "presence" && tracker.hear(s));
}

export function presenceRoutes(
  api: Api,
  deps: { database: Pick<Database, "db" | "notify">; clock: Clock; tracker: PresenceTracker },
): void {
  const { tracker } = deps;
  const IdParams = z.object({ id: Id });
  const errors = { 401: Problem, 403: Problem, 404: Problem, 422: Problem };
  const Items = z.object({ items: z.array(TicketPresence) });

  const ticketExists = async (id: string) => {
    const row = await deps.database.db.selectFrom("tickets").select("id").where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("ticket");
  };

  api.get(
    "/api/v1/tickets/:id/presence",
    {
      schema: {
        tags: ["live"],
        summary: "Who else is viewing or replying to the ticket (staff)",
        params: IdParams,
        response: { 200: Items, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      assertStaff(actor, "TicketPresence");
      await ticketExists(req.params.id);
      return { items: tracker.on(req.params.id, actor.userId) };
    },
  );

  api.post(
    "/api/v1/tickets/:id/presence",
    {
      schema: {
        tags: ["live"],
        summary: "Say you are viewing, replying to or leaving the ticket (staff; repeat every 20 s)",
        description:
          "Other staff hear it on the live stream as `event: presence` (a TicketPresence) and no longer see you after `left` or 45 s without a report. Answers who else is there.",
        params: IdParams,
        body: TicketPresenceBody,
        response: { 200: Items, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      assertStaff(actor, "TicketPresence");
      await ticketExists(req.params.id);
      const item: TicketPresence = {
        ticket_id: req.params.id,
        user: { id: actor.userId, name: actor.name },
        state: req.body.state,
        at: deps.clock.now().toISOString(),
      };
      const signal: LivePresenceSignal = { t: "presence", item };
      await deps.database.notify(LIVE_CHANNEL, JSON.stringify(signal));
      return { items: tracker.on(req.params.id, actor.userId) };
    },
  );
}
