import { describe, expect, it } from "vitest";
import { conditionHolds, conditionsHold } from "./conditions.ts";
import { makeTicket } from "./test-fixtures.ts";
import type { Condition, RuleEvent } from "./types.ts";

const ticket = makeTicket({ priority: "high", tags: ["Invoice", "vip"], assigneeId: null });
const warning: RuleEvent = {
  type: "sla.warning",
  occurrenceKey: "k",
  data: { target: "first_response", threshold: 0.75 },
};

describe("conditionHolds", () => {
  it.each<[string, Condition, boolean]>([
    ["status is", { field: "status", op: "is", value: "open" }, true],
    ["status is not", { field: "status", op: "is_not", value: "open" }, false],
    ["status in", { field: "status", op: "in", value: ["new", "open"] }, true],
    ["priority gt medium", { field: "priority", op: "gt", value: "medium" }, true],
    ["priority gt high", { field: "priority", op: "gt", value: "high" }, false],
    ["priority lt urgent", { field: "priority", op: "lt", value: "urgent" }, true],
    ["tier gt 0", { field: "tier", op: "gt", value: 0 }, true],
    ["tier lt 1", { field: "tier", op: "lt", value: 1 }, false],
    ["tier in", { field: "tier", op: "in", value: [2, 3] }, false],
    ["unassigned", { field: "assignee_id", op: "is", value: null }, true],
    ["assignee is not a1", { field: "assignee_id", op: "is_not", value: "a1" }, true],
    ["assignee in (null never matches)", { field: "assignee_id", op: "in", value: ["a1"] }, false],
    ["segment is vip", { field: "segment", op: "is", value: "vip" }, true],
    ["tags contains, any case", { field: "tags", op: "contains", value: "invoice" }, true],
    ["tags is_not present tag", { field: "tags", op: "is_not", value: "VIP" }, false],
    ["tags is_not absent tag", { field: "tags", op: "is_not", value: "hot" }, true],
    ["tags in", { field: "tags", op: "in", value: ["hot", "vip"] }, true],
    ["subject contains, any case", { field: "subject", op: "contains", value: "DOBEL" }, true],
    ["subject is", { field: "subject", op: "is", value: "Tagihan dobel bulan Maret" }, true],
    ["language is en", { field: "language", op: "is", value: "en" }, false],
  ])("%s → %s", (_name, condition, expected) => {
    expect(conditionHolds(condition, ticket, null)).toBe(expected);
  });

  it.each<[string, Condition, boolean]>([
    ["target is", { field: "event.target", op: "is", value: "first_response" }, true],
    ["threshold gt", { field: "event.threshold", op: "gt", value: 0.5 }, true],
    ["threshold is", { field: "event.threshold", op: "is", value: 1 }, false],
    ["missing event field is false, even for is_not", { field: "event.rating", op: "is_not", value: 5 }, false],
  ])("event data: %s → %s", (_name, condition, expected) => {
    expect(conditionHolds(condition, ticket, warning)).toBe(expected);
  });
});

describe("conditionsHold", () => {
  const yes: Condition = { field: "status", op: "is", value: "open" };
  const no: Condition = { field: "status", op: "is", value: "closed" };
  const onEvent: Condition = { field: "event.threshold", op: "gt", value: 0.9 };

  it.each([
    ["nothing", {}, true],
    ["empty lists", { all: [], any: [] }, true],
    ["all true", { all: [yes, yes] }, true],
    ["one of all false", { all: [yes, no] }, false],
    ["one of any true", { any: [no, yes] }, true],
    ["no any true", { any: [no, no] }, false],
    ["all and any", { all: [yes], any: [no, yes] }, true],
    ["all fails though any holds", { all: [no], any: [yes] }, false],
  ])("%s → %s", (_name, conditions, expected) => {
    expect(conditionsHold(conditions, ticket, warning)).toBe(expected);
  });

  it("without an event, event conditions are assumed to hold (dry runs)", () => {
    expect(conditionsHold({ all: [yes, onEvent] }, ticket, null)).toBe(true);
    expect(conditionsHold({ all: [yes, onEvent] }, ticket, warning)).toBe(false);
  });
});
