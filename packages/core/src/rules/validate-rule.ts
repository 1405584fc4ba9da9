import { RULE_EVENT_TYPES, type Condition, type Rule, type RuleAction, type RuleConditions } from "./types.ts";
import { validateAction } from "./validate-action.ts";
import { validateCondition } from "./validate-condition.ts";
import { checkKeys, checkText, isObject, join, list, oneOf, type ValidationError } from "./validate-shared.ts";

export type { ValidationError } from "./validate-shared.ts";

export type ValidateRuleResult = { ok: true; rule: Rule } | { ok: false; errors: ValidationError[] };

export const MAX_CONDITIONS = 50;
export const MAX_ACTIONS = 20;

function conditionList(
  input: unknown,
  event: Rule["event"] | null,
  path: string,
  errors: ValidationError[],
): Condition[] | undefined {
  if (input === undefined) return undefined;
  if (!Array.isArray(input)) {
    errors.push({ path, message: "must be an array of conditions" });
    return undefined;
  }
  if (input.length > MAX_CONDITIONS) errors.push({ path, message: `must have at most ${MAX_CONDITIONS} conditions` });
  return input.flatMap((c, i) => validateCondition(c, event, join(path, i), errors) ?? []);
}

function conditions(input: unknown, event: Rule["event"] | null, errors: ValidationError[]): RuleConditions {
  if (!isObject(input)) {
    errors.push({ path: "conditions", message: "must be an object {all?, any?}" });
    return {};
  }
  checkKeys(input, [], ["all", "any"], "conditions", errors);
  const all = conditionList(input.all, event, "conditions.all", errors);
  const any = conditionList(input.any, event, "conditions.any", errors);
  return { ...(all ? { all } : {}), ...(any ? { any } : {}) };
}

function actions(input: unknown, errors: ValidationError[]): RuleAction[] {
  if (!Array.isArray(input)) {
    errors.push({ path: "actions", message: "must be an array of actions" });
    return [];
  }
  if (input.length === 0 || input.length > MAX_ACTIONS) {
    errors.push({ path: "actions", message: `must have 1 to ${MAX_ACTIONS} actions` });
  }
  return input.flatMap((a, i) => validateAction(a, join("actions", i), errors) ?? []);
}

/**
 * Checks untrusted rule input strictly (unknown keys, events, fields, operators, action types and wrongly
 * typed values are all errors, each with its path) and returns the typed rule.
 */
export function validateRule(input: unknown): ValidateRuleResult {
  const errors: ValidationError[] = [];
  if (!isObject(input)) return { ok: false, errors: [{ path: "", message: "must be an object" }] };
  checkKeys(input, ["id", "name", "position", "enabled", "event", "conditions", "actions"], [], "", errors);

  const { id, name, position, enabled, event } = input;
  if (id !== undefined && checkText(id, 200)) errors.push({ path: "id", message: checkText(id, 200) ?? "" });
  if (name !== undefined && checkText(name, 200)) errors.push({ path: "name", message: checkText(name, 200) ?? "" });
  if (position !== undefined && !(typeof position === "number" && Number.isInteger(position) && position >= 0)) {
    errors.push({ path: "position", message: "must be a whole number ≥ 0" });
  }
  if (enabled !== undefined && typeof enabled !== "boolean")
    errors.push({ path: "enabled", message: "must be true or false" });
  const knownEvent = oneOf(RULE_EVENT_TYPES, event) ? event : null;
  if (event !== undefined && knownEvent === null) {
    errors.push({
      path: "event",
      message: `unknown event ${JSON.stringify(event)}; expected one of ${list(RULE_EVENT_TYPES)}`,
    });
  }
  const parsedConditions = input.conditions === undefined ? {} : conditions(input.conditions, knownEvent, errors);
  const parsedActions = input.actions === undefined ? [] : actions(input.actions, errors);

  if (errors.length > 0 || knownEvent === null) return { ok: false, errors };
  return {
    ok: true,
    rule: {
      id: id as string,
      name: (name as string).trim(),
      position: position as number,
      enabled: enabled as boolean,
      event: knownEvent,
      conditions: parsedConditions,
      actions: parsedActions,
    },
  };
}
