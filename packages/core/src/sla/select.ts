import type { TicketFacts } from "../ticket/types.ts";
import type { SlaConditions, SlaPolicy } from "./types.ts";

const matches = (list: readonly string[] | undefined, value: string | null) =>
  list === undefined || list.length === 0 || (value !== null && list.includes(value));

/** Whether a ticket meets every present, non-empty condition list of a policy. */
export function policyMatches(conditions: SlaConditions, ticket: TicketFacts): boolean {
  return (
    matches(conditions.priorities, ticket.priority) &&
    matches(conditions.category_ids, ticket.categoryId) &&
    matches(conditions.segments, ticket.segment) &&
    matches(conditions.channels, ticket.channel) &&
    matches(conditions.group_ids, ticket.groupId)
  );
}

/** The first policy by ascending position (input order on ties) whose conditions the ticket meets, or null. */
export function selectPolicy(policies: readonly SlaPolicy[], ticket: TicketFacts): SlaPolicy | null {
  const ordered = policies
    .map((policy, index) => ({ policy, index }))
    .sort((a, b) => a.policy.position - b.policy.position || a.index - b.index);
  return ordered.find(({ policy }) => policyMatches(policy.conditions, ticket))?.policy ?? null;
}
