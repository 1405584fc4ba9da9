import type { TicketFacts } from "../ticket/types.ts";
import { conditionsHold, hasConditions } from "./conditions.ts";
import { firedKey, type Rule, type RuleAction, type RuleEvent } from "./types.ts";

/** One rule firing for one event occurrence, with the actions it asks for. */
export interface RuleFiring {
  ruleId: string;
  ruleName: string;
  occurrenceKey: string;
  /** `${ruleId}|${occurrenceKey}`, to record so the rule never fires again for this occurrence. */
  key: string;
  firedAt: Date;
  actions: RuleAction[];
}

export interface EvaluateRulesResult {
  /** The actions to apply, in rule order, each with the rule that produced it. */
  actions: { ruleId: string; ruleName: string; action: RuleAction }[];
  firings: RuleFiring[];
  /** Keys to add to the fired set. */
  newFiredKeys: string[];
}

/** Rules in run order: ascending position, then id. */
export function orderRules(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Whether `rule` fires for `event` on `ticket`: enabled, same event, conditions hold, not already fired for
 * this occurrence, and — for `ticket.updated` with conditions and a known `previousTicket` — the conditions
 * did not hold before the update (fire on the transition false → true, never while they merely stay true).
 */
export function ruleFires(
  rule: Rule,
  event: RuleEvent,
  ticket: TicketFacts,
  firedKeys: ReadonlySet<string>,
  previousTicket?: TicketFacts,
): boolean {
  if (!rule.enabled || rule.event !== event.type) return false;
  if (firedKeys.has(firedKey(rule.id, event.occurrenceKey))) return false;
  if (!conditionsHold(rule.conditions, ticket, event)) return false;
  if (event.type === "ticket.updated" && previousTicket && hasConditions(rule.conditions)) {
    return !conditionsHold(rule.conditions, previousTicket, event);
  }
  return true;
}

/**
 * The actions that rules produce for one event, in rule order; each rule fires at most once per
 * (rule id, occurrence key). `firedKeys` holds the keys already recorded; the result lists the new ones.
 */
export function evaluateRules(
  rules: readonly Rule[],
  event: RuleEvent,
  ticket: TicketFacts,
  now: Date,
  firedKeys: ReadonlySet<string>,
  previousTicket?: TicketFacts,
): EvaluateRulesResult {
  const firings: RuleFiring[] = orderRules(rules)
    .filter((rule) => ruleFires(rule, event, ticket, firedKeys, previousTicket))
    .map((rule) => ({
      ruleId: rule.id,
      ruleName: rule.name,
      occurrenceKey: event.occurrenceKey,
      key: firedKey(rule.id, event.occurrenceKey),
      firedAt: now,
      actions: rule.actions,
    }));
  return {
    actions: firings.flatMap((f) => f.actions.map((action) => ({ ruleId: f.ruleId, ruleName: f.ruleName, action }))),
    firings,
    newFiredKeys: firings.map((f) => f.key),
  };
}
