/** Automatic escalation rules (PRODUCT.md §5): an event, conditions over the ticket and event, actions. */
import type { EscalationReason } from "../escalation/types.ts";
import type { Priority } from "../ticket/types.ts";

export const RULE_EVENT_TYPES = [
  "ticket.created",
  "ticket.updated",
  "message.customer",
  "message.agent",
  "sla.warning",
  "sla.breached",
  "ticket.idle",
  "tier.budget_exceeded",
  "sentiment.negative",
  "csat.low",
  "escalation.requested",
] as const;
export type RuleEventType = (typeof RULE_EVENT_TYPES)[number];

/** SLA targets an `sla.warning` / `sla.breached` event can name (PRODUCT.md §4). */
export const SLA_TARGETS = ["first_response", "next_response", "periodic_update", "resolution", "tier_budget"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** Data an event carries, readable by conditions as `event.<name>`. */
export interface RuleEventData {
  target?: SlaTarget;
  /** Fraction of the target elapsed, e.g. 0.75. */
  threshold?: number;
  minutes?: number;
  /** Sentiment score in [-1, 1]. */
  score?: number;
  /** Satisfaction rating 1-5. */
  rating?: number;
}

/**
 * Something that happened to a ticket. `occurrenceKey` names this occurrence so that a rule fires at most
 * once for it: e.g. `sla.warning:first_response:0.75:<clock start ISO>` or the timeline event id.
 */
export interface RuleEvent {
  type: RuleEventType;
  occurrenceKey: string;
  data?: RuleEventData;
}

export const TICKET_FIELDS = [
  "status",
  "priority",
  "channel",
  "tier",
  "group_id",
  "assignee_id",
  "organization_id",
  "segment",
  "category_id",
  "tags",
  "language",
  "subject",
] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];

export const EVENT_FIELDS = [
  "event.target",
  "event.threshold",
  "event.minutes",
  "event.score",
  "event.rating",
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

export type ConditionField = TicketField | EventField;

/** Which `event.*` fields each event provides; a condition on any other is rejected by `validateRule`. */
export const EVENT_FIELDS_BY_EVENT: Readonly<Record<RuleEventType, readonly EventField[]>> = {
  "ticket.created": [],
  "ticket.updated": [],
  "message.customer": ["event.score"],
  "message.agent": [],
  "sla.warning": ["event.target", "event.threshold"],
  "sla.breached": ["event.target"],
  "ticket.idle": ["event.minutes"],
  "tier.budget_exceeded": ["event.minutes"],
  "sentiment.negative": ["event.score"],
  "csat.low": ["event.rating"],
  "escalation.requested": [],
};

/** Events that describe the ticket's state rather than a moment; dry runs can predict their actions. */
export const STATE_EVENTS: readonly RuleEventType[] = ["ticket.created", "ticket.updated"];

export const CONDITION_OPS = ["is", "is_not", "in", "contains", "gt", "lt"] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export type ConditionValue = string | number | null | readonly (string | number)[];

/**
 * `{field, op, value}`. On `tags`: `contains` = has the tag, `is_not` = lacks it, `in` = has any of them.
 * On `subject`: `contains` is case-insensitive. `gt`/`lt` compare numbers, and priorities low < medium <
 * high < urgent. A condition on an event field the event does not carry is false.
 */
export interface Condition {
  field: ConditionField;
  op: ConditionOp;
  value: ConditionValue;
}

/** Every `all` condition and at least one `any` condition (an absent or empty list holds). */
export interface RuleConditions {
  all?: Condition[];
  any?: Condition[];
}

export type EscalateTo =
  { tier: number | "next" } | { group_id: string } | { department_id: string } | { supervisor: true };

export const NOTIFY_CHANNELS = ["customer", "group", "supervisor", "assignee", "agent", "webhook"] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export type RuleAction =
  | { type: "escalate"; to: EscalateTo; reason: EscalationReason; reason_text?: string }
  | { type: "set_priority"; priority: Priority }
  /** `agent_id: "auto"` = let routing pick (see `pickAgent`). */
  | { type: "assign"; agent_id: string }
  | { type: "add_tag"; tag: string }
  | { type: "remove_tag"; tag: string }
  | { type: "internal_note"; body: string }
  | { type: "notify"; channel: NotifyChannel; template?: string; agent_id?: string; webhook_id?: string };

export type RuleActionType = RuleAction["type"];
export const RULE_ACTION_TYPES: readonly RuleActionType[] = [
  "escalate",
  "set_priority",
  "assign",
  "add_tag",
  "remove_tag",
  "internal_note",
  "notify",
];

export interface Rule {
  id: string;
  name: string;
  /** Rules run in ascending position (then id). */
  position: number;
  enabled: boolean;
  event: RuleEventType;
  conditions: RuleConditions;
  actions: RuleAction[];
}

/** Key recorded when a rule fires for an occurrence; a rule never fires twice for the same key. */
export function firedKey(ruleId: string, occurrenceKey: string): string {
  return `${ruleId}|${occurrenceKey}`;
}
