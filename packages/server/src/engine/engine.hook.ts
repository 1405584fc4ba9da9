import type { Transaction } from "kysely";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { updateTicket } from "../tickets/ticket.repo.ts";
import { appendEvents } from "../tickets/ticket-events.ts";
import type { TicketHook } from "../tickets/ticket-hooks.ts";
import type { EngineEffects } from "./effects.ts";
import type { EscalationService } from "./escalation.service.ts";
import type { OrgCache } from "./org-cache.ts";
import { createRuleActions } from "./rule-actions.ts";
import { runRulesStep } from "./rules-step.ts";
import { routeTicket } from "./routing.ts";
import type { RulesService } from "./rules.service.ts";

export { MAX_RULE_DEPTH, NEGATIVE_SENTIMENT } from "./rules-step.ts";

/**
 * The escalation engine's reaction to every ticket change, inside its transaction: route new
 * tickets (or move them up when nobody in the tier has the skill), close customer escalation
 * requests that got an answer, and run the rules once per occurrence of their event.
 */
export function createEngineHook(deps: {
  hooks: TicketHook[];
  org: OrgCache;
  rules: RulesService;
  escalations: EscalationService;
  effects: EngineEffects;
  /** Hands an agent with room the waiting tickets they fit. */
  fillAgent?: (trx: Transaction<DB>, agentId: string, now: Date) => Promise<string[]>;
}): TicketHook {
  const { org, rules, escalations } = deps;
  const { applyAction } = createRuleActions(deps);

  return async (trx, change) => {
    let ticket = change.ticket;
    const depth = change.depth ?? 0;
    const snapshot = await org.get(trx);
    const types = new Set(change.events.map((e) => e.type));

    if (types.has("ticket.created") && !ticket.assignee_id) {
      const routed = await routeTicket(trx, ticket, snapshot, change.now);
      if ("assigned" in routed) {
        ticket = await updateTicket(trx, ticket, { assignee_id: routed.assigned });
        await appendEvents(trx, null, [
          {
            ticketId: ticket.id,
            type: "assigned",
            at: change.now,
            actorKind: "system",
            data: { assignee_id: routed.assigned, by: "routing" },
          },
        ]);
      } else if ("missingSkill" in routed && snapshot.structure.defaultGroupByTier[ticket.tier + 1]) {
        const moved = await escalations.escalateInTrx(
          trx,
          SYSTEM_ACTOR,
          ticket,
          { to: { tier: "next" }, reason: "missing_skill" },
          { trigger: "rule", ruleName: "Routing", depth: depth + 1 },
          change.now,
        );
        ticket = moved.ticket;
      }
    }

    if (change.message?.kind === "reply" && change.message.authorRole !== "customer") {
      await trx
        .updateTable("escalation_requests")
        .set({ status: "resolved", resolved_at: change.now })
        .where("ticket_id", "=", ticket.id)
        .where("status", "!=", "resolved")
        .execute();
    }

    // A person's change that frees an agent (solved, closed, or handed to someone else): the agent
    // takes the next waiting ticket they fit. Rule and deadline moves wait for the agent's next
    // such change or their coming online, so a burst of deadlines does no extra work per ticket.
    const freed = change.previous?.assignee_id;
    if (freed && change.actor.via !== "system" && deps.fillAgent) {
      const closed = (s: string) => s === "solved" || s === "closed";
      if (ticket.assignee_id !== freed || (closed(ticket.status) && !closed(change.previous!.status)))
        await deps.fillAgent(trx, freed, change.now);
    }

    return runRulesStep(trx, change, ticket, snapshot, { rules, applyAction });
  };
}
