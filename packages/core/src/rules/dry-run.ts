import type { TicketFacts } from "../ticket/types.ts";
import { conditionsHold } from "./conditions.ts";
import { STATE_EVENTS, type Rule, type RuleAction } from "./types.ts";

export interface DryRunTicket {
  ticketId: string;
  ticketNumber: number;
  /** Whether the rule's ticket conditions hold now (event conditions are assumed to hold for event rules). */
  matches: boolean;
  /** For state rules (`ticket.created` / `ticket.updated`), the actions the rule would take; otherwise empty. */
  actions: RuleAction[];
}

export interface DryRunResult {
  ruleId: string;
  evaluatedAt: Date;
  /** `state`: actions are predicted; `event`: the rule waits for its event, only conditions are checked. */
  mode: "state" | "event";
  matchedCount: number;
  tickets: DryRunTicket[];
}

/**
 * Shows which tickets a rule would act on, before it is enabled (enabled or not, and without fired keys).
 * For time and message events only the ticket conditions can be checked, so no actions are predicted.
 */
export function dryRun(rule: Rule, tickets: readonly TicketFacts[], now: Date): DryRunResult {
  const mode = STATE_EVENTS.includes(rule.event) ? "state" : "event";
  const results = tickets.map((ticket): DryRunTicket => {
    const matches = conditionsHold(rule.conditions, ticket, null);
    return {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      matches,
      actions: matches && mode === "state" ? rule.actions : [],
    };
  });
  return {
    ruleId: rule.id,
    evaluatedAt: now,
    mode,
    matchedCount: results.filter((r) => r.matches).length,
    tickets: results,
  };
}
