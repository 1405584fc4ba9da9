import { describe, expect, it } from "vitest";
import { validateRule } from "./validate-rule.ts";

const valid = {
  id: "r1",
  name: " Escalate breached VIP tickets ",
  position: 3,
  enabled: true,
  event: "sla.breached",
  conditions: {
    all: [
      { field: "segment", op: "is", value: "vip" },
      { field: "event.target", op: "in", value: ["first_response", "resolution"] },
    ],
    any: [
      { field: "priority", op: "gt", value: "medium" },
      { field: "tags", op: "contains", value: "kontrak" },
    ],
  },
  actions: [
    { type: "escalate", to: { tier: "next" }, reason: "sla_breach" },
    { type: "notify", channel: "supervisor", template: "sla_breached" },
    { type: "notify", channel: "webhook", webhook_id: "wh1" },
    { type: "internal_note", body: "Escalated automatically after the SLA breach." },
  ],
};

const withCondition = (event: string, condition: unknown) => ({ ...valid, event, conditions: { all: [condition] } });
const withAction = (action: unknown) => ({ ...valid, actions: [action] });

describe("validateRule — accepts", () => {
  it("a complete rule, trimming the name", () => {
    const result = validateRule(valid);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.rule).toEqual({ ...valid, name: "Escalate breached VIP tickets" });
  });

  it.each([
    ["assignee unassigned", "ticket.updated", { field: "assignee_id", op: "is", value: null }],
    ["tier above one", "ticket.idle", { field: "tier", op: "gt", value: 1 }],
    ["idle minutes", "ticket.idle", { field: "event.minutes", op: "gt", value: 120 }],
    ["warning threshold", "sla.warning", { field: "event.threshold", op: "is", value: 0.75 }],
    ["sentiment score", "sentiment.negative", { field: "event.score", op: "lt", value: -0.8 }],
    ["message score", "message.customer", { field: "event.score", op: "lt", value: -0.5 }],
    ["low rating", "csat.low", { field: "event.rating", op: "in", value: [1, 2] }],
    ["subject contains", "ticket.created", { field: "subject", op: "contains", value: "refund" }],
    ["tag absent", "ticket.updated", { field: "tags", op: "is_not", value: "hot" }],
    ["language in", "ticket.created", { field: "language", op: "in", value: ["id"] }],
    ["status is not", "escalation.requested", { field: "status", op: "is_not", value: "pending" }],
  ])("condition: %s", (_name, event, condition) => {
    expect(validateRule(withCondition(event, condition))).toMatchObject({ ok: true });
  });

  it.each([
    [{ type: "escalate", to: { tier: 2 }, reason: "too_slow" }],
    [{ type: "escalate", to: { group_id: "g2" }, reason: "missing_skill" }],
    [{ type: "escalate", to: { department_id: "billing" }, reason: "other", reason_text: "Refund over limit" }],
    [{ type: "escalate", to: { supervisor: true }, reason: "negative_sentiment" }],
    [{ type: "set_priority", priority: "urgent" }],
    [{ type: "assign", agent_id: "auto" }],
    [{ type: "assign", agent_id: "agent-7" }],
    [{ type: "add_tag", tag: "sla-breached" }],
    [{ type: "remove_tag", tag: "waiting" }],
    [{ type: "notify", channel: "customer", template: "escalated" }],
    [{ type: "notify", channel: "agent", agent_id: "agent-7" }],
    [{ type: "notify", channel: "group" }],
  ])("action %j", (action) => {
    expect(validateRule(withAction(action))).toMatchObject({ ok: true });
  });

  it("conditions may be empty", () => {
    expect(validateRule({ ...valid, conditions: {} })).toMatchObject({ ok: true, rule: { conditions: {} } });
  });
});

describe("validateRule — rejects", () => {
  it.each([
    ["not an object", "nope", "", "must be an object"],
    ["unknown top-level key", { ...valid, colour: "red" }, "colour", 'unknown field "colour"'],
    ["missing name", { ...valid, name: undefined }, "name", "is required"],
    ["blank name", { ...valid, name: "  " }, "name", "must not be blank"],
    ["negative position", { ...valid, position: -1 }, "position", "whole number"],
    ["enabled as string", { ...valid, enabled: "yes" }, "enabled", "true or false"],
    ["unknown event", { ...valid, event: "ticket.deleted" }, "event", 'unknown event "ticket.deleted"'],
    ["conditions as array", { ...valid, conditions: [] }, "conditions", "must be an object"],
    ["unknown conditions key", { ...valid, conditions: { none: [] } }, "conditions.none", 'unknown field "none"'],
    ["all not an array", { ...valid, conditions: { all: {} } }, "conditions.all", "must be an array"],
    ["no actions", { ...valid, actions: [] }, "actions", "1 to 20"],
  ])("%s", (_name, input, path, message) => {
    const result = validateRule(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it.each([
    ["unknown field", "ticket.updated", { field: "mood", op: "is", value: "x" }, "field", 'unknown field "mood"'],
    [
      "unknown operator",
      "ticket.updated",
      { field: "status", op: "equals", value: "open" },
      "op",
      'unknown operator "equals"',
    ],
    [
      "unknown key",
      "ticket.updated",
      { field: "status", op: "is", value: "open", not: true },
      "not",
      'unknown field "not"',
    ],
    ["missing value", "ticket.updated", { field: "status", op: "is" }, "value", "is required"],
    ["gt on status", "ticket.updated", { field: "status", op: "gt", value: "open" }, "op", "does not apply to status"],
    [
      "contains on priority",
      "ticket.updated",
      { field: "priority", op: "contains", value: "h" },
      "op",
      "does not apply",
    ],
    ["is on tags", "ticket.updated", { field: "tags", op: "is", value: "vip" }, "op", "use contains, is_not, in"],
    [
      "unknown status",
      "ticket.updated",
      { field: "status", op: "is", value: "archived" },
      "value",
      "must be one of new",
    ],
    [
      "unknown priority",
      "ticket.updated",
      { field: "priority", op: "gt", value: "critical" },
      "value",
      "must be one of low",
    ],
    [
      "in without array",
      "ticket.updated",
      { field: "channel", op: "in", value: "email" },
      "value",
      'operator "in" needs an array',
    ],
    [
      "in with a bad member",
      "ticket.updated",
      { field: "channel", op: "in", value: ["email", "fax"] },
      "value",
      "every value",
    ],
    ["empty in", "ticket.updated", { field: "channel", op: "in", value: [] }, "value", "1 to 100"],
    ["array for is", "ticket.updated", { field: "channel", op: "is", value: ["email"] }, "value", "single value"],
    ["tier as string", "ticket.updated", { field: "tier", op: "gt", value: "1" }, "value", "must be a number"],
    ["fractional tier", "ticket.updated", { field: "tier", op: "is", value: 1.5 }, "value", "whole number"],
    ["rating out of range", "csat.low", { field: "event.rating", op: "lt", value: 7 }, "value", "between 1 and 5"],
    [
      "score out of range",
      "sentiment.negative",
      { field: "event.score", op: "lt", value: -2 },
      "value",
      "between -1 and 1",
    ],
    [
      "unknown SLA target",
      "sla.breached",
      { field: "event.target", op: "is", value: "lunch" },
      "value",
      "first_response",
    ],
    [
      "event field on the wrong event",
      "ticket.created",
      { field: "event.threshold", op: "gt", value: 0.5 },
      "field",
      'not provided by "ticket.created"',
    ],
    [
      "rating on an SLA event",
      "sla.warning",
      { field: "event.rating", op: "lt", value: 3 },
      "field",
      "event.target, event.threshold",
    ],
    [
      "tag with spaces",
      "ticket.updated",
      { field: "tags", op: "contains", value: "two words" },
      "value",
      "must be a tag",
    ],
    ["null id for in", "ticket.updated", { field: "group_id", op: "in", value: [null] }, "value", "non-empty string"],
    ["blank subject", "ticket.updated", { field: "subject", op: "contains", value: " " }, "value", "non-empty string"],
    ["condition not an object", "ticket.updated", "status is open", "", "must be an object"],
  ])("condition: %s", (_name, event, condition, key, message) => {
    const result = validateRule(withCondition(event, condition));
    const path = key === "" ? "conditions.all[0]" : `conditions.all[0].${key}`;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it.each([
    ["unknown type", { type: "delete_ticket" }, "type", 'unknown action type "delete_ticket"'],
    ["unknown key", { type: "add_tag", tag: "x", colour: "red" }, "colour", 'unknown field "colour"'],
    ["missing tag", { type: "add_tag" }, "tag", "is required"],
    ["bad priority", { type: "set_priority", priority: "critical" }, "priority", "must be one of"],
    ["blank note", { type: "internal_note", body: "" }, "body", "must not be blank"],
    ["note too long", { type: "internal_note", body: "x".repeat(5001) }, "body", "at most 5000"],
    ["escalate nowhere", { type: "escalate", to: {}, reason: "too_slow" }, "to", "exactly one"],
    [
      "escalate two places",
      { type: "escalate", to: { tier: 2, supervisor: true }, reason: "too_slow" },
      "to",
      "exactly one",
    ],
    ["escalate to tier 'last'", { type: "escalate", to: { tier: "last" }, reason: "too_slow" }, "to.tier", '"next"'],
    [
      "supervisor id instead of true",
      { type: "escalate", to: { supervisor: "s1" }, reason: "too_slow" },
      "to.supervisor",
      "must be true",
    ],
    ["unknown target key", { type: "escalate", to: { team: "x" }, reason: "too_slow" }, "to.team", "unknown field"],
    ["unknown reason", { type: "escalate", to: { tier: 2 }, reason: "bored" }, "reason", "must be one of"],
    [
      "other without text",
      { type: "escalate", to: { tier: 2 }, reason: "other" },
      "reason_text",
      "required when reason",
    ],
    ["notify unknown channel", { type: "notify", channel: "sms" }, "channel", "must be one of customer"],
    ["notify agent without id", { type: "notify", channel: "agent" }, "agent_id", "is required"],
    ["notify webhook without id", { type: "notify", channel: "webhook" }, "webhook_id", "is required"],
    ["agent id on a group notice", { type: "notify", channel: "group", agent_id: "a1" }, "agent_id", "unknown field"],
    ["assign without agent", { type: "assign" }, "agent_id", "is required"],
  ])("action: %s", (_name, action, key, message) => {
    const result = validateRule(withAction(action));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toContainEqual({ path: `actions[0].${key}`, message: expect.stringContaining(message) });
  });

  it("reports every problem at once", () => {
    const result = validateRule({ ...valid, name: "", event: "nope", actions: [{ type: "x" }, { type: "add_tag" }] });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.path)).toEqual(["name", "event", "actions[0].type", "actions[1].tag"]);
  });
});
