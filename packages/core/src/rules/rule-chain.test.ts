import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PRIORITIES } from "../ticket/types.ts";
import { runRuleChain } from "./rule-chain.ts";
import { applySimple, makeRule, makeTicket, NOW } from "./test-fixtures.ts";
import type { Condition, Rule, RuleAction, RuleEvent } from "./types.ts";

const breach: RuleEvent = {
  type: "sla.breached",
  occurrenceKey: "sla.breached:resolution:t0",
  data: { target: "resolution" },
};
const priorityIs = (value: string): Condition => ({ field: "priority", op: "is", value });

describe("runRuleChain", () => {
  it("follows the events that actions cause, recording every step and key", () => {
    const rules: Rule[] = [
      makeRule({ id: "breach", event: "sla.breached", actions: [{ type: "set_priority", priority: "urgent" }] }),
      makeRule({
        id: "urgent",
        conditions: { all: [priorityIs("urgent")] },
        actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }],
      }),
      makeRule({
        id: "tier2",
        conditions: { all: [{ field: "tier", op: "is", value: 2 }] },
        actions: [{ type: "notify", channel: "supervisor" }],
      }),
    ];
    const result = runRuleChain(rules, breach, makeTicket(), NOW, new Set(), applySimple);
    expect(result.stopped).toBeNull();
    expect(result.steps.map((s) => [s.ruleId, s.action.type, s.depth])).toEqual([
      ["breach", "set_priority", 0],
      ["urgent", "escalate", 1],
      ["tier2", "notify", 2],
    ]);
    expect(result.ticket).toMatchObject({ priority: "urgent", tier: 2, assigneeId: null });
    expect(result.newFiredKeys).toHaveLength(3);
  });

  it("does not refire a conditional update rule on its own change (fire on transition)", () => {
    const rules = [
      makeRule({
        id: "tag-urgent",
        conditions: { all: [priorityIs("urgent")] },
        actions: [{ type: "add_tag", tag: "hot" }],
      }),
    ];
    const initial: RuleEvent = { type: "ticket.updated", occurrenceKey: "ev1" };
    const result = runRuleChain(rules, initial, makeTicket({ priority: "urgent" }), NOW, new Set(), applySimple, {
      previousTicket: makeTicket({ priority: "high" }),
    });
    expect(result.stopped).toBeNull();
    expect(result.steps).toHaveLength(1);
  });

  it("stops a rule that re-triggers itself", () => {
    const rules = [
      makeRule({
        id: "self",
        actions: [
          { type: "add_tag", tag: "seen" },
          { type: "remove_tag", tag: "invoice" },
        ],
      }),
    ];
    const toggler = makeRule({ id: "toggle", actions: [{ type: "remove_tag", tag: "seen" }] });
    const result = runRuleChain(
      [...rules, toggler],
      { type: "ticket.updated", occurrenceKey: "ev1" },
      makeTicket(),
      NOW,
      new Set(),
      applySimple,
    );
    expect(result.stopped).toEqual({ reason: "loop_detected", ruleIds: ["self", "self"] });
  });

  it("stops two rules flipping the priority back and forth", () => {
    const rules = [
      makeRule({
        id: "up",
        conditions: { all: [priorityIs("high")] },
        actions: [{ type: "set_priority", priority: "urgent" }],
      }),
      makeRule({
        id: "down",
        conditions: { all: [priorityIs("urgent")] },
        actions: [{ type: "set_priority", priority: "high" }],
      }),
    ];
    const result = runRuleChain(
      rules,
      { type: "ticket.updated", occurrenceKey: "ev1" },
      makeTicket({ priority: "high" }),
      NOW,
      new Set(),
      applySimple,
      {
        previousTicket: makeTicket({ priority: "medium" }),
      },
    );
    expect(result.stopped).toEqual({ reason: "loop_detected", ruleIds: ["up", "down", "up"] });
    expect(result.steps.map((s) => s.ruleId)).toEqual(["up", "down"]);
  });

  it("stops a chain longer than the depth limit", () => {
    // p0 → p1 → … each raises a counter tag; none repeats, so only the depth guard can stop it.
    const rules = Array.from({ length: 6 }, (_, i) =>
      makeRule({
        id: `p${i}`,
        conditions: { all: [{ field: "tags", op: "contains", value: `s${i}` }] },
        actions: [{ type: "add_tag", tag: `s${i + 1}` }],
      }),
    );
    const start = makeTicket({ tags: ["s0"] });
    const result = runRuleChain(
      rules,
      { type: "ticket.updated", occurrenceKey: "ev1" },
      start,
      NOW,
      new Set(),
      applySimple,
      {
        maxDepth: 3,
        previousTicket: makeTicket({ tags: [] }),
      },
    );
    expect(result.stopped).toEqual({ reason: "depth_exceeded", ruleIds: ["p0", "p1", "p2", "p3"] });
    expect(result.steps).toHaveLength(3);
  });

  it("respects keys fired before the chain began", () => {
    const rules = [makeRule({ id: "breach", event: "sla.breached", actions: [{ type: "notify", channel: "group" }] })];
    const result = runRuleChain(
      rules,
      breach,
      makeTicket(),
      NOW,
      new Set(["breach|sla.breached:resolution:t0"]),
      applySimple,
    );
    expect(result.steps).toEqual([]);
  });

  it("property: a rule never fires on a path its own firing started, and chains stay within the depth", () => {
    const action = fc.oneof(
      fc.constantFrom(...PRIORITIES).map((priority): RuleAction => ({ type: "set_priority", priority })),
      fc.constantFrom("a", "b").map((tag): RuleAction => ({ type: "add_tag", tag })),
      fc.constantFrom("a", "b").map((tag): RuleAction => ({ type: "remove_tag", tag })),
    );
    const condition = fc.oneof(
      fc.constantFrom(...PRIORITIES).map(priorityIs),
      fc.constantFrom("a", "b").map((tag): Condition => ({ field: "tags", op: "contains", value: tag })),
      fc.constantFrom("a", "b").map((tag): Condition => ({ field: "tags", op: "is_not", value: tag })),
    );
    const rule = fc.record({
      all: fc.array(condition, { maxLength: 2 }),
      actions: fc.array(action, { minLength: 1, maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 6 }), (specs) => {
        const rules = specs.map((s, i) => makeRule({ id: `r${i}`, conditions: { all: s.all }, actions: s.actions }));
        const result = runRuleChain(
          rules,
          { type: "ticket.updated", occurrenceKey: "ev0" },
          makeTicket(),
          NOW,
          new Set(),
          applySimple,
        );
        for (const step of result.steps) {
          expect(step.causedBy).not.toContain(step.ruleId);
          expect(step.depth).toBeLessThan(10);
        }
        if (result.stopped?.reason === "loop_detected") {
          expect(result.stopped.ruleIds[0]).toBe(result.stopped.ruleIds.at(-1));
        }
      }),
    );
  });
});
