import { CHANNELS, LANGUAGES, PRIORITIES, TICKET_STATUSES } from "../ticket/types.ts";
import {
  CONDITION_OPS,
  EVENT_FIELDS,
  EVENT_FIELDS_BY_EVENT,
  SLA_TARGETS,
  TICKET_FIELDS,
  type Condition,
  type ConditionField,
  type ConditionOp,
  type EventField,
  type RuleEventType,
} from "./types.ts";
import { checkKeys, isObject, join, list, oneOf, type ValidationError } from "./validate-shared.ts";

type Spec =
  | { kind: "enum"; values: readonly string[]; ops: readonly ConditionOp[] }
  | { kind: "number"; integer: boolean; min: number; max: number; ops: readonly ConditionOp[] }
  | { kind: "id" | "tags" | "text"; ops: readonly ConditionOp[] };

const EQUALITY: readonly ConditionOp[] = ["is", "is_not", "in"];
const ORDERED: readonly ConditionOp[] = ["is", "is_not", "in", "gt", "lt"];
const num = (integer: boolean, min: number, max: number): Spec => ({ kind: "number", integer, min, max, ops: ORDERED });

/** What each condition field holds and which operators make sense on it. */
export const FIELD_SPECS: Readonly<Record<ConditionField, Spec>> = {
  status: { kind: "enum", values: TICKET_STATUSES, ops: EQUALITY },
  priority: { kind: "enum", values: PRIORITIES, ops: ORDERED },
  channel: { kind: "enum", values: CHANNELS, ops: EQUALITY },
  tier: num(true, 0, 99),
  group_id: { kind: "id", ops: EQUALITY },
  assignee_id: { kind: "id", ops: EQUALITY },
  organization_id: { kind: "id", ops: EQUALITY },
  segment: { kind: "id", ops: EQUALITY },
  category_id: { kind: "id", ops: EQUALITY },
  tags: { kind: "tags", ops: ["contains", "is_not", "in"] },
  language: { kind: "enum", values: LANGUAGES, ops: EQUALITY },
  subject: { kind: "text", ops: ["is", "is_not", "contains"] },
  "event.target": { kind: "enum", values: SLA_TARGETS, ops: EQUALITY },
  "event.threshold": num(false, 0.01, 10),
  "event.minutes": num(true, 0, 10_000_000),
  "event.score": num(false, -1, 1),
  "event.rating": num(true, 1, 5),
};

/** Why a single value does not fit the field, or null. */
function scalarProblem(spec: Spec, value: unknown, op: ConditionOp): string | null {
  switch (spec.kind) {
    case "enum":
      return oneOf(spec.values, value) ? null : `must be one of ${list(spec.values)}`;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return "must be a number";
      if (spec.integer && !Number.isInteger(value)) return "must be a whole number";
      return value < spec.min || value > spec.max ? `must be between ${spec.min} and ${spec.max}` : null;
    case "id":
      if (value === null && (op === "is" || op === "is_not")) return null;
      return typeof value === "string" && value.trim() !== "" ? null : "must be a non-empty string";
    case "tags":
      return typeof value === "string" && /^\S{1,100}$/.test(value)
        ? null
        : "must be a tag (no spaces, at most 100 characters)";
    case "text":
      return typeof value === "string" && value.trim() !== "" && value.length <= 500
        ? null
        : "must be a non-empty string of at most 500 characters";
  }
}

function valueProblem(spec: Spec, op: ConditionOp, value: unknown): string | null {
  if (op === "in") {
    if (!Array.isArray(value)) return `operator "in" needs an array`;
    if (value.length === 0 || value.length > 100) return "must list 1 to 100 values";
    const problem = value.map((v) => scalarProblem(spec, v, op)).find((p) => p !== null);
    return problem ? `every value ${problem}` : null;
  }
  if (Array.isArray(value)) return `operator "${op}" needs a single value, not an array`;
  return scalarProblem(spec, value, op);
}

/** Validates one condition for a rule on `event`; returns the typed condition or null (errors pushed). */
export function validateCondition(
  input: unknown,
  event: RuleEventType | null,
  path: string,
  errors: ValidationError[],
): Condition | null {
  if (!isObject(input)) {
    errors.push({ path, message: "must be an object {field, op, value}" });
    return null;
  }
  if (!checkKeys(input, ["field", "op"], ["value"], path, errors)) return null;
  if (!("value" in input)) {
    errors.push({ path: join(path, "value"), message: "is required" });
    return null;
  }
  const { field, op, value } = input;
  const fields = [...TICKET_FIELDS, ...EVENT_FIELDS];
  if (!oneOf(fields, field)) {
    errors.push({
      path: join(path, "field"),
      message: `unknown field ${JSON.stringify(field)}; expected one of ${list(fields)}`,
    });
    return null;
  }
  if (!oneOf(CONDITION_OPS, op)) {
    errors.push({
      path: join(path, "op"),
      message: `unknown operator ${JSON.stringify(op)}; expected one of ${list(CONDITION_OPS)}`,
    });
    return null;
  }
  if (event !== null && oneOf(EVENT_FIELDS, field) && !EVENT_FIELDS_BY_EVENT[event].includes(field as EventField)) {
    const offered = EVENT_FIELDS_BY_EVENT[event];
    const hint = offered.length ? `it provides ${list(offered)}` : "it provides no event fields";
    errors.push({ path: join(path, "field"), message: `"${field}" is not provided by "${event}" events; ${hint}` });
    return null;
  }
  const spec = FIELD_SPECS[field];
  if (!spec.ops.includes(op)) {
    errors.push({
      path: join(path, "op"),
      message: `operator "${op}" does not apply to ${field}; use ${list(spec.ops)}`,
    });
    return null;
  }
  const problem = valueProblem(spec, op, value);
  if (problem) {
    errors.push({ path: join(path, "value"), message: problem });
    return null;
  }
  return {
    field,
    op,
    value: Array.isArray(value) ? [...(value as (string | number)[])] : (value as Condition["value"]),
  };
}
