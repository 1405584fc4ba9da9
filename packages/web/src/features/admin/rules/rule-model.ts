import { CHANNELS, LANGUAGES, PRIORITIES, TICKET_STATUSES } from "@eskala/core";
import { SLA_TARGETS, type RuleCondition, type RuleEvent, type RuleOp } from "../../../lib/types.ts";

/**
 * What a condition can look at. Mirrors the engine's TICKET_FIELDS / EVENT_FIELDS_BY_EVENT
 * (packages/core/src/rules/types.ts); the server validates, these only shape the builder.
 */
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

export const EVENT_FIELDS_BY_EVENT: Record<RuleEvent, string[]> = {
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

export type ValueKind =
  | { kind: "enum"; options: readonly string[]; labelPrefix: string }
  | { kind: "ref"; ref: "group" | "category" | "agent" }
  | { kind: "number" }
  | { kind: "text" };

export function valueKind(field: string): ValueKind {
  switch (field) {
    case "status":
      return { kind: "enum", options: TICKET_STATUSES, labelPrefix: "status" };
    case "priority":
      return { kind: "enum", options: PRIORITIES, labelPrefix: "priority" };
    case "channel":
      return { kind: "enum", options: CHANNELS, labelPrefix: "channel" };
    case "language":
      return { kind: "enum", options: LANGUAGES, labelPrefix: "language" };
    case "event.target":
      return { kind: "enum", options: SLA_TARGETS, labelPrefix: "sla.target" };
    case "group_id":
      return { kind: "ref", ref: "group" };
    case "category_id":
      return { kind: "ref", ref: "category" };
    case "assignee_id":
      return { kind: "ref", ref: "agent" };
    case "tier":
    case "event.threshold":
    case "event.minutes":
    case "event.score":
    case "event.rating":
      return { kind: "number" };
    default:
      return { kind: "text" };
  }
}

/** Operators that make sense for a field (numbers compare; tags and subject contain). */
export function opsFor(field: string): RuleOp[] {
  const k = valueKind(field).kind;
  if (field === "tags") return ["contains", "is_not", "in"];
  if (field === "subject") return ["contains", "is", "is_not"];
  if (k === "number" || field === "priority") return ["is", "is_not", "in", "gt", "lt"];
  return ["is", "is_not", "in"];
}

/** Values as the API wants them: numbers for numeric fields, a list for `in`. */
export function coerceValue(field: string, op: RuleOp, raw: string | string[]): RuleCondition["value"] {
  const numeric = valueKind(field).kind === "number";
  const one = (s: string) => (numeric && s.trim() !== "" && !Number.isNaN(Number(s)) ? Number(s) : s.trim());
  if (op === "in") {
    const list = Array.isArray(raw)
      ? raw
      : raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
    return list.map(one);
  }
  return one(Array.isArray(raw) ? (raw[0] ?? "") : raw);
}

export function rawValue(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === null || value === undefined ? "" : String(value);
}
