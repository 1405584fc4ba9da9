import type { Services } from "../http/context.ts";
import type { TicketEventService } from "../tickets/ticket-event.service.ts";
import type { ChannelWiring } from "../channels/compose-channels.ts";
import { analyzeSentiment } from "@eskala/core/sentiment";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import type { EngineEffects } from "./effects.ts";
import { createEngineHook } from "./engine.hook.ts";
import { engineRoutes } from "./engine.routes.ts";
import { createEscalationService, type BusinessMinutes, type RequestResponseDue } from "./escalation.service.ts";
import { createOrgCache } from "./org-cache.ts";
import { createRulesService } from "./rules.service.ts";
import { enqueueNotification, enqueueWebhookEvent } from "../notify/fan-out.ts";
import type { Transaction } from "kysely";
import type { DB } from "../db/schema.ts";
import { updateTicket } from "../tickets/ticket.repo.ts";
import type { TimelineEvent } from "../tickets/ticket-events.ts";
import { recordChange, type TicketHook } from "../tickets/ticket-hooks.ts";
import { fillAgent } from "./routing.ts";
import type { TimerHandler } from "./timers.ts";

/**
 * What the engine uses of the composition: the shared services, the hooks and timer kinds it
 * joins, the slot it fills (`scoreSentiment`) and the SLA part's slots it reads when it runs.
 */
export interface EngineHost extends Pick<Services, "database" | "clock" | "extraRoutes"> {
  hooks: TicketHook[];
  timerHandlers: Map<string, TimerHandler>;
  events: TicketEventService;
  scoreSentiment?: (text: string) => number | null;
  slaRequestDue?: RequestResponseDue;
  slaBusinessMinutes?: BusinessMinutes;
}

/**
 * Wires the escalation engine: org cache, escalation service, rules, the engine hook (routing,
 * rules), the timer handlers it owns, and its routes. `effects` are filled in by the parts that
 * deliver (channels for customer email, notify for notifications and webhooks).
 */
export function composeEngine(app: EngineHost, wiring: Pick<ChannelWiring, "addHook">) {
  const { db } = app.database;
  const org = createOrgCache({ db, clock: app.clock });
  const effects: EngineEffects = {
    notify: (trx, n) => enqueueNotification(trx, n).then(() => undefined),
    webhook: (trx, event, body, opts) => enqueueWebhookEvent(trx, event, body, opts).then(() => undefined),
  };
  const escalations = createEscalationService({
    db,
    hooks: app.hooks,
    org,
    effects,
    businessMinutes: async (trx, t, from, to) =>
      app.slaBusinessMinutes ? app.slaBusinessMinutes(trx, t, from, to) : null,
  });
  const rules = createRulesService({ db, clock: app.clock, org });

  /** Hands an agent who can take more the waiting tickets of their groups they fit (see routing's fillAgent). */
  async function fillAgentNow(trx: Transaction<DB>, agentId: string, now: Date): Promise<string[]> {
    return fillAgent(trx, agentId, await org.get(trx), now, async (current) => {
      const ticket = await updateTicket(trx, current, { assignee_id: agentId }, now);
      const events: TimelineEvent[] = [
        {
          ticketId: ticket.id,
          type: "assigned",
          at: now,
          actorKind: "system",
          data: { assignee_id: agentId, by: "routing", reason: "agent_available" },
        },
      ];
      await recordChange(app.hooks, trx, null, { ticket, previous: current, events, actor: SYSTEM_ACTOR, now });
    });
  }

  wiring.addHook(createEngineHook({ hooks: app.hooks, org, rules, escalations, effects, fillAgent: fillAgentNow }));

  app.scoreSentiment = (text) => analyzeSentiment(text).score;

  // A customer escalation request's own response target: when it passes unanswered, the supervisors hear of it.
  app.timerHandlers.set("escalation_request.due", async (trx, timer, now) => {
    const req = await trx
      .selectFrom("escalation_requests")
      .select(["id", "status", "ticket_id"])
      .where("id", "=", String(timer.data.request_id))
      .executeTakeFirst();
    if (!req || req.status === "resolved") return;
    await app.events.record(
      SYSTEM_ACTOR,
      req.ticket_id,
      [{ type: "escalation_request.overdue", at: now, actorKind: "sla_timer", data: { request_id: req.id } }],
      now,
      { trx },
    );
  });

  app.extraRoutes!.push(
    engineRoutes({
      escalations,
      rules,
      requestResponseDue: async (trx, t, now) => (app.slaRequestDue ? app.slaRequestDue(trx, t, now) : null),
    }),
  );
  return { org, escalations, rules, effects, fillAgent: fillAgentNow };
}
