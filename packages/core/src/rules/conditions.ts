import { PRIORITIES, type Priority, type TicketFacts } from "../ticket/types.ts";
import type { Condition, ConditionField, RuleConditions, RuleEvent } from "./types.ts";

type FieldValue = string | number | null | readonly string[] | undefined;

/** The value a condition field has for a ticket and event; undefined when the event does not carry it. */
export function fieldValue(field: ConditionField, ticket: TicketFacts, event: RuleEvent | null): FieldValue {
  switch (field) {
    case "status":
      return ticket.status;
    case "priority":
      return ticket.priority;
    case "channel":
      return ticket.channel;
    case "tier":
      return ticket.tier;
    case "group_id":
      return ticket.groupId;
    case "assignee_id":
      return ticket.assigneeId;
    case "organization_id":
      return ticket.organizationId;
    case "segment":
      return ticket.segment;
    case "category_id":
      return ticket.categoryId;
    case "tags":
      return ticket.tags;
    case "language":
      return ticket.language;
    case "subject":
      return ticket.subject;
    default:
      return event?.data?.[field.slice("event.".length) as keyof NonNullable<RuleEvent["data"]>];
  }
}

const rank = (p: string): number => PRIORITIES.indexOf(p as Priority);

function compare(field: ConditionField, actual: string | number, expected: string | number): number | undefined {
  if (field === "priority") return rank(String(actual)) - rank(String(expected));
  return typeof actual === "number" && typeof expected === "number" ? actual - expected : undefined;
}

function tagsCondition(tags: readonly string[], condition: Condition): boolean {
  const has = (tag: string | number | null) =>
    typeof tag === "string" && tags.some((t) => t.toLowerCase() === tag.toLowerCase());
  const { op, value } = condition;
  if (op === "contains" || op === "is") return has(value as string);
  if (op === "is_not") return !has(value as string);
  if (op === "in") return Array.isArray(value) && value.some(has);
  return false;
}

/** Whether one condition holds for the ticket and event (validated conditions assumed). */
export function conditionHolds(condition: Condition, ticket: TicketFacts, event: RuleEvent | null): boolean {
  const actual = fieldValue(condition.field, ticket, event);
  if (actual === undefined) return false;
  if (condition.field === "tags") return tagsCondition(actual as readonly string[], condition);
  const { op, value } = condition;
  const scalar = actual as string | number | null;
  switch (op) {
    case "is":
      return scalar === value;
    case "is_not":
      return scalar !== value;
    case "in":
      return Array.isArray(value) && scalar !== null && value.includes(scalar);
    case "contains":
      return (
        typeof scalar === "string" && typeof value === "string" && scalar.toLowerCase().includes(value.toLowerCase())
      );
    case "gt":
    case "lt": {
      if (scalar === null || value === null || Array.isArray(value)) return false;
      const diff = compare(condition.field, scalar, value as string | number);
      if (diff === undefined || Number.isNaN(diff)) return false;
      return op === "gt" ? diff > 0 : diff < 0;
    }
  }
}

export const isEventField = (field: ConditionField): boolean => field.startsWith("event.");

/**
 * Whether a rule's conditions hold: every `all` and at least one `any` (absent or empty lists hold).
 * With `event` null (dry runs of event rules), conditions on `event.*` fields are assumed to hold.
 */
export function conditionsHold(conditions: RuleConditions, ticket: TicketFacts, event: RuleEvent | null): boolean {
  const holds = (c: Condition) => (event === null && isEventField(c.field)) || conditionHolds(c, ticket, event);
  const all = conditions.all ?? [];
  const any = conditions.any ?? [];
  return all.every(holds) && (any.length === 0 || any.some(holds));
}

export function hasConditions(conditions: RuleConditions): boolean {
  return (conditions.all?.length ?? 0) + (conditions.any?.length ?? 0) > 0;
}
