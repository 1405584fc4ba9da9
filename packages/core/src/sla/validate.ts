import { validateCalendar, type ValidationIssue } from "../calendar/index.ts";
import { CHANNELS, PRIORITIES } from "../ticket/types.ts";
import { SLA_TARGETS, type PolicyValidation, type SlaPolicy } from "./types.ts";

const CONDITION_KEYS = ["priorities", "category_ids", "segments", "channels", "group_ids"] as const;
const ALLOWED: Partial<Record<(typeof CONDITION_KEYS)[number], readonly string[]>> = {
  priorities: PRIORITIES,
  channels: CHANNELS,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isMinutes = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;

function checkConditions(conditions: unknown, errors: ValidationIssue[]): void {
  if (!isObject(conditions)) {
    errors.push({ path: ["conditions"], message: "must be an object (use {} to match every ticket)" });
    return;
  }
  for (const [key, list] of Object.entries(conditions)) {
    const path = ["conditions", key];
    if (!(CONDITION_KEYS as readonly string[]).includes(key)) {
      errors.push({ path, message: `unknown condition; use ${CONDITION_KEYS.join(", ")}` });
      continue;
    }
    if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
      errors.push({ path, message: "must be a list of strings" });
      continue;
    }
    const allowed = ALLOWED[key as keyof typeof ALLOWED];
    list.forEach((v: string, i) => {
      if (allowed && !allowed.includes(v))
        errors.push({ path: [...path, i], message: `unknown value "${v}"; use ${allowed.join(", ")}` });
    });
  }
}

function checkTargets(targets: unknown, errors: ValidationIssue[]): void {
  if (!isObject(targets)) {
    errors.push({ path: ["targets"], message: `must be an object keyed by priority (${PRIORITIES.join(", ")})` });
    return;
  }
  for (const key of Object.keys(targets)) {
    if (!(PRIORITIES as readonly string[]).includes(key))
      errors.push({ path: ["targets", key], message: "unknown priority" });
  }
  for (const priority of PRIORITIES) {
    const t = targets[priority];
    if (!isObject(t)) {
      errors.push({
        path: ["targets", priority],
        message: "required object of targets in business minutes (may be {})",
      });
      continue;
    }
    for (const [name, minutes] of Object.entries(t)) {
      const path = ["targets", priority, name];
      if (!(SLA_TARGETS as readonly string[]).includes(name))
        errors.push({ path, message: `unknown target; use ${SLA_TARGETS.join(", ")}` });
      else if (!isMinutes(minutes)) errors.push({ path, message: "must be a positive number of business minutes" });
    }
  }
}

/** Validates an SLA policy in its JSON form (targets and budgets in business minutes), naming each faulty field. */
export function validateSlaPolicy(input: unknown): PolicyValidation {
  if (!isObject(input)) return { ok: false, errors: [{ path: [], message: "policy must be an object" }] };
  const errors: ValidationIssue[] = [];
  if (typeof input.id !== "string" || input.id === "") errors.push({ path: ["id"], message: "required string" });
  if (typeof input.name !== "string" || input.name.trim() === "")
    errors.push({ path: ["name"], message: "required non-empty string" });
  if (!Number.isInteger(input.position)) errors.push({ path: ["position"], message: "must be an integer" });
  checkConditions(input.conditions, errors);
  let calendar = input.calendar;
  if (calendar !== null) {
    const checked = validateCalendar(calendar);
    if (checked.ok) calendar = checked.calendar;
    else for (const e of checked.errors) errors.push({ path: ["calendar", ...e.path], message: e.message });
  }
  if (typeof input.pause_on_hold !== "boolean") errors.push({ path: ["pause_on_hold"], message: "must be a boolean" });
  checkTargets(input.targets, errors);
  if (!isObject(input.tier_budgets))
    errors.push({ path: ["tier_budgets"], message: 'must be an object like {"1": 120}' });
  else
    for (const [tier, minutes] of Object.entries(input.tier_budgets)) {
      if (!/^(0|[1-9]\d*)$/.test(tier))
        errors.push({ path: ["tier_budgets", tier], message: "key must be a tier level (0, 1, 2, ...)" });
      else if (!isMinutes(minutes))
        errors.push({ path: ["tier_budgets", tier], message: "must be a positive number of business minutes" });
    }
  const ladder = input.ladder;
  if (!Array.isArray(ladder))
    errors.push({ path: ["ladder"], message: "must be a list of fractions, e.g. [0.5, 0.75]" });
  else
    ladder.forEach((f: unknown, i) => {
      if (typeof f !== "number" || !(f > 0 && f < 1))
        errors.push({ path: ["ladder", i], message: "must be a fraction between 0 and 1 (exclusive)" });
      else if (i > 0 && typeof ladder[i - 1] === "number" && f <= (ladder[i - 1] as number)) {
        errors.push({ path: ["ladder", i], message: "thresholds must be strictly ascending" });
      }
    });
  if (input.customer_request_response !== undefined && !isMinutes(input.customer_request_response)) {
    errors.push({ path: ["customer_request_response"], message: "must be a positive number of business minutes" });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policy: { ...(input as unknown as SlaPolicy), calendar: calendar as SlaPolicy["calendar"] } };
}
