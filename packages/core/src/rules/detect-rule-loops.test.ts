import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PRIORITIES } from "../ticket/types.ts";
import { detectRuleLoops } from "./detect-rule-loops.ts";
import { runRuleChain } from "./rule-chain.ts";
import { applySimple, makeRule, makeTicket, NOW } from "./test-fixtures.ts";
import type { Condition, RuleAction } from "./types.ts";

const priorityIs = (value: string): Condition => ({ field: "priority", op: "is", value });
const lacks = (tag: string): Condition => ({ field: "tags", op: "is_not", value: tag });

describe("detectRuleLoops", () => {
  it.each([
    ["notify-only update rule", [makeRule({ id: "n", actions: [{ type: "notify", channel: "assignee" }] })]],
    [
      "tag guarded by its own absence",
      [makeRule({ id: "g", conditions: { all: [lacks("hot")] }, actions: [{ type: "add_tag", tag: "hot" }] })],
    ],
    [
      "event rules cannot loop",
      [
        makeRule({
          id: "b",
          event: "sla.breached",
          actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }],
        }),
      ],
    ],
    ["disabled rules are ignored", [makeRule({ id: "off", enabled: false })]],
    [
      "a chain that ends",
      [
        makeRule({
          id: "a",
          conditions: { all: [priorityIs("urgent"), lacks("hot")] },
          actions: [{ type: "add_tag", tag: "hot" }],
        }),
        makeRule({
          id: "b",
          conditions: { all: [{ field: "tags", op: "contains", value: "hot" }, lacks("told")] },
          actions: [{ type: "add_tag", tag: "told" }],
        }),
      ],
    ],
  ])("no issue: %s", (_name, rules) => {
    expect(detectRuleLoops(rules)).toEqual([]);
  });

  it("rejects an unconditional update rule that changes the ticket", () => {
    expect(detectRuleLoops([makeRule({ id: "u", actions: [{ type: "add_tag", tag: "seen" }] })])).toEqual([
      expect.objectContaining({ severity: "error", code: "self_trigger", ruleIds: ["u"] }),
    ]);
  });

  it("warns about an update rule whose action leaves its conditions true", () => {
    const rule = makeRule({
      id: "w",
      conditions: { all: [priorityIs("urgent")] },
      actions: [{ type: "add_tag", tag: "hot" }],
    });
    expect(detectRuleLoops([rule])).toEqual([
      expect.objectContaining({ severity: "warning", code: "refire_guarded", ruleIds: ["w"] }),
    ]);
  });

  it("rejects two rules that certainly re-trigger each other", () => {
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
    expect(detectRuleLoops(rules)).toEqual([
      expect.objectContaining({ severity: "error", code: "cycle", ruleIds: ["up", "down"] }),
    ]);
  });

  it("warns about a cycle that depends on other ticket fields", () => {
    const rules = [
      makeRule({
        id: "a",
        conditions: {
          all: [
            { field: "tags", op: "contains", value: "x" },
            { field: "channel", op: "is", value: "email" },
          ],
        },
        actions: [
          { type: "remove_tag", tag: "x" },
          { type: "add_tag", tag: "y" },
        ],
      }),
      makeRule({
        id: "b",
        conditions: { all: [{ field: "tags", op: "contains", value: "y" }] },
        actions: [
          { type: "remove_tag", tag: "y" },
          { type: "add_tag", tag: "x" },
        ],
      }),
    ];
    expect(detectRuleLoops(rules)).toEqual([
      expect.objectContaining({ severity: "warning", code: "possible_cycle", ruleIds: ["a", "b"] }),
    ]);
  });

  it("property: when no error is reported, the runtime chain never hits a loop", () => {
    const action = fc.oneof(
      fc.constantFrom(...PRIORITIES).map((priority): RuleAction => ({ type: "set_priority", priority })),
      fc.constantFrom("a", "b").map((tag): RuleAction => ({ type: "add_tag", tag })),
      fc.constantFrom("a", "b").map((tag): RuleAction => ({ type: "remove_tag", tag })),
    );
    const condition = fc.oneof(
      fc.constantFrom(...PRIORITIES).map(priorityIs),
      fc.constantFrom("a", "b").map((tag): Condition => ({ field: "tags", op: "contains", value: tag })),
      fc.constantFrom("a", "b").map(lacks),
    );
    const spec = fc.record({
      all: fc.array(condition, { maxLength: 2 }),
      actions: fc.array(action, { minLength: 1, maxLength: 2 }),
    });
    const ticket = fc.record({ priority: fc.constantFrom(...PRIORITIES), tags: fc.subarray(["a", "b"]) });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 5 }), ticket, ticket, (specs, before, after) => {
        const rules = specs.map((s, i) => makeRule({ id: `r${i}`, conditions: { all: s.all }, actions: s.actions }));
        if (detectRuleLoops(rules).some((issue) => issue.severity === "error")) return;
        const result = runRuleChain(
          rules,
          { type: "ticket.updated", occurrenceKey: "e0" },
          makeTicket(after),
          NOW,
          new Set(),
          applySimple,
          {
            previousTicket: makeTicket(before),
          },
        );
        // Only `possible_cycle` warnings may still need the runtime guard; certain loops were reported.
        if (result.stopped) {
          expect(
            detectRuleLoops(rules).some((issue) => issue.code === "possible_cycle" || issue.code === "refire_guarded"),
          ).toBe(true);
        }
      }),
    );
  });
});
