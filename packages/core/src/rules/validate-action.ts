import { ESCALATION_REASONS } from "../escalation/types.ts";
import { PRIORITIES } from "../ticket/types.ts";
import { NOTIFY_CHANNELS, RULE_ACTION_TYPES, type EscalateTo, type RuleAction } from "./types.ts";
import {
  checkKeys,
  checkText,
  isObject,
  join,
  list,
  oneOf,
  type Obj,
  type ValidationError,
} from "./validate-shared.ts";

const MAX_NOTE = 5000;
const MAX_ID = 200;
const TAG = /^\S{1,100}$/;

function text(obj: Obj, key: string, max: number, path: string, errors: ValidationError[]): string | null {
  const problem = checkText(obj[key], max);
  if (problem) errors.push({ path: join(path, key), message: problem });
  return problem ? null : (obj[key] as string);
}

function escalateTo(input: unknown, path: string, errors: ValidationError[]): EscalateTo | null {
  const keys = ["tier", "group_id", "department_id", "supervisor"];
  if (!isObject(input)) {
    errors.push({ path, message: `must be an object with one of ${list(keys)}` });
    return null;
  }
  if (!checkKeys(input, [], keys, path, errors)) return null;
  const present = keys.filter((k) => input[k] !== undefined);
  if (present.length !== 1) {
    errors.push({ path, message: `must name exactly one of ${list(keys)}` });
    return null;
  }
  const { tier, group_id, supervisor } = input;
  if (tier !== undefined) {
    if (tier === "next" || (typeof tier === "number" && Number.isInteger(tier) && tier >= 0 && tier <= 99))
      return { tier };
    errors.push({ path: join(path, "tier"), message: `must be a tier level (0-99) or "next"` });
    return null;
  }
  if (supervisor !== undefined) {
    if (supervisor === true) return { supervisor: true };
    errors.push({ path: join(path, "supervisor"), message: "must be true" });
    return null;
  }
  const key = group_id !== undefined ? "group_id" : "department_id";
  const id = text(input, key, MAX_ID, path, errors);
  if (id === null) return null;
  return key === "group_id" ? { group_id: id } : { department_id: id };
}

function escalate(obj: Obj, path: string, errors: ValidationError[]): RuleAction | null {
  if (!checkKeys(obj, ["type", "to", "reason"], ["reason_text"], path, errors)) return null;
  const to = escalateTo(obj.to, join(path, "to"), errors);
  const { reason, reason_text } = obj;
  if (!oneOf(ESCALATION_REASONS, reason)) {
    errors.push({ path: join(path, "reason"), message: `must be one of ${list(ESCALATION_REASONS)}` });
    return null;
  }
  if (reason === "other" && reason_text === undefined) {
    errors.push({ path: join(path, "reason_text"), message: 'is required when reason is "other"' });
    return null;
  }
  if (reason_text !== undefined && text(obj, "reason_text", 2000, path, errors) === null) return null;
  if (!to) return null;
  return reason_text === undefined
    ? { type: "escalate", to, reason }
    : { type: "escalate", to, reason, reason_text: reason_text as string };
}

function notify(obj: Obj, path: string, errors: ValidationError[]): RuleAction | null {
  const { channel } = obj;
  if (!oneOf(NOTIFY_CHANNELS, channel)) {
    errors.push({ path: join(path, "channel"), message: `must be one of ${list(NOTIFY_CHANNELS)}` });
    return null;
  }
  // Who receives it is part of the channel: only `agent` names an agent, only `webhook` a webhook.
  const target = channel === "agent" ? ["agent_id"] : channel === "webhook" ? ["webhook_id"] : [];
  if (!checkKeys(obj, ["type", "channel", ...target], ["template"], path, errors)) return null;
  const action: Extract<RuleAction, { type: "notify" }> = { type: "notify", channel };
  if (obj.template !== undefined) {
    const template = text(obj, "template", 100, path, errors);
    if (template === null) return null;
    action.template = template;
  }
  for (const key of target) {
    const id = text(obj, key, MAX_ID, path, errors);
    if (id === null) return null;
    if (key === "agent_id") action.agent_id = id;
    else action.webhook_id = id;
  }
  return action;
}

/** Validates one action strictly (unknown keys are errors); returns the typed action or null (errors pushed). */
export function validateAction(input: unknown, path: string, errors: ValidationError[]): RuleAction | null {
  if (!isObject(input)) {
    errors.push({ path, message: "must be an object with a type" });
    return null;
  }
  const { type } = input;
  if (!oneOf(RULE_ACTION_TYPES, type)) {
    errors.push({
      path: join(path, "type"),
      message: `unknown action type ${JSON.stringify(type)}; expected one of ${list(RULE_ACTION_TYPES)}`,
    });
    return null;
  }
  switch (type) {
    case "escalate":
      return escalate(input, path, errors);
    case "notify":
      return notify(input, path, errors);
    case "set_priority": {
      if (!checkKeys(input, ["type", "priority"], [], path, errors)) return null;
      if (oneOf(PRIORITIES, input.priority)) return { type, priority: input.priority };
      errors.push({ path: join(path, "priority"), message: `must be one of ${list(PRIORITIES)}` });
      return null;
    }
    case "assign": {
      if (!checkKeys(input, ["type", "agent_id"], [], path, errors)) return null;
      const id = text(input, "agent_id", MAX_ID, path, errors);
      return id === null ? null : { type, agent_id: id };
    }
    case "add_tag":
    case "remove_tag": {
      if (!checkKeys(input, ["type", "tag"], [], path, errors)) return null;
      if (typeof input.tag === "string" && TAG.test(input.tag)) return { type, tag: input.tag };
      errors.push({ path: join(path, "tag"), message: "must be a tag (no spaces, at most 100 characters)" });
      return null;
    }
    case "internal_note": {
      if (!checkKeys(input, ["type", "body"], [], path, errors)) return null;
      const body = text(input, "body", MAX_NOTE, path, errors);
      return body === null ? null : { type, body };
    }
  }
}
