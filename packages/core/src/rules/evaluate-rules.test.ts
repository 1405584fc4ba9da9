import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dryRun } from "./dry-run.ts";
import { evaluateRules } from "./evaluate-rules.ts";
import { makeRule, makeTicket, NOW } from "./test-fixtures.ts";
import { firedKey, type Rule, type RuleEvent } from "./types.ts";

const breached = (target: "first_response" | "resolution", start = "2026-03-02T01:00:00Z"): RuleEvent => ({
  type: "sla.breached",
  occurrenceKey: `sla.breached:${target}:${start}`,
  data: { target },
});
const updated = (id: string): RuleEvent => ({ type: "ticket.updated", occurrenceKey: id });

const urgentTag = makeRule({
  id: "urgent-tag",
  event: "ticket.updated",
  conditions: { all: [{ field: "priority", op: "is", value: "urgent" }] },
  actions: [{ type: "add_tag", tag: "hot" }],
});
const escalateOnBreach = makeRule({
  id: "breach",
  position: 2,
  event: "sla.breached",
  conditions: { all: [{ field: "event.target", op: "is", value: "first_response" }] },
  actions: [
    { type: "escalate", to: { tier: "next" }, reason: "sla_breach" },
    { type: "notify", channel: "supervisor" },
  ],
});
const notifyOnBreach = makeRule({
  id: "notify",
  position: 1,
  event: "sla.breached",
  actions: [{ type: "notify", channel: "group" }],
});

describe("evaluateRules", () => {
  it("returns actions of matching, enabled rules for the event, in position order, with their rule", () => {
    const disabled = { ...notifyOnBreach, id: "off", enabled: false };
    const result = evaluateRules(
      [escalateOnBreach, urgentTag, disabled, notifyOnBreach],
      breached("first_response"),
      makeTicket(),
      NOW,
      new Set(),
    );
    expect(result.actions.map((a) => [a.ruleId, a.action.type])).toEqual([
      ["notify", "notify"],
      ["breach", "escalate"],
      ["breach", "notify"],
    ]);
    expect(result.newFiredKeys).toEqual([
      "notify|sla.breached:first_response:2026-03-02T01:00:00Z",
      "breach|sla.breached:first_response:2026-03-02T01:00:00Z",
    ]);
    expect(result.firings[0]).toMatchObject({ ruleName: "Rule notify", firedAt: NOW });
  });

  it("orders equal positions by id", () => {
    const a = makeRule({ id: "a", event: "sla.breached" });
    const b = makeRule({ id: "b", event: "sla.breached" });
    expect(
      evaluateRules([b, a], breached("resolution"), makeTicket(), NOW, new Set()).firings.map((f) => f.ruleId),
    ).toEqual(["a", "b"]);
  });

  it("skips rules whose conditions do not hold for the event data", () => {
    const result = evaluateRules([escalateOnBreach], breached("resolution"), makeTicket(), NOW, new Set());
    expect(result.actions).toEqual([]);
  });

  it("fires once per occurrence, and again for a new occurrence (a new clock)", () => {
    const fired = new Set([firedKey("breach", "sla.breached:first_response:2026-03-02T01:00:00Z")]);
    expect(evaluateRules([escalateOnBreach], breached("first_response"), makeTicket(), NOW, fired).actions).toEqual([]);
    const again = evaluateRules(
      [escalateOnBreach],
      breached("first_response", "2026-03-03T01:00:00Z"),
      makeTicket(),
      NOW,
      fired,
    );
    expect(again.actions).toHaveLength(2);
  });

  it.each([
    ["condition becomes true", { priority: "high" as const }, { priority: "urgent" as const }, 1],
    ["condition stays true", { priority: "urgent" as const }, { priority: "urgent" as const }, 0],
    ["condition stays false", { priority: "low" as const }, { priority: "high" as const }, 0],
  ])("ticket.updated fires on the transition only: %s", (_name, before, after, count) => {
    const result = evaluateRules([urgentTag], updated("ev-9"), makeTicket(after), NOW, new Set(), makeTicket(before));
    expect(result.firings).toHaveLength(count);
  });

  it("ticket.updated without a previous ticket fires while the conditions hold (once per update)", () => {
    expect(
      evaluateRules([urgentTag], updated("ev-9"), makeTicket({ priority: "urgent" }), NOW, new Set()).firings,
    ).toHaveLength(1);
  });

  it("an unconditional ticket.updated rule fires on every update", () => {
    const any = makeRule({ id: "any", actions: [{ type: "notify", channel: "assignee" }] });
    const result = evaluateRules([any], updated("ev-10"), makeTicket(), NOW, new Set(), makeTicket());
    expect(result.firings).toHaveLength(1);
  });

  it("property: never fires a recorded key, and recording the result silences a re-run", () => {
    const events: RuleEvent[] = [
      breached("first_response"),
      breached("resolution"),
      updated("e1"),
      { type: "csat.low", occurrenceKey: "c1", data: { rating: 1 } },
    ];
    const rules: Rule[] = [escalateOnBreach, notifyOnBreach, urgentTag, makeRule({ id: "csat", event: "csat.low" })];
    fc.assert(
      fc.property(
        fc.constantFrom(...events),
        fc.subarray(rules.map((r) => r.id)),
        fc.constantFrom("low", "urgent" as const),
        (event, firedIds, priority) => {
          const fired = new Set(firedIds.map((id) => firedKey(id, event.occurrenceKey)));
          const ticket = makeTicket({ priority });
          const first = evaluateRules(rules, event, ticket, NOW, fired);
          for (const key of first.newFiredKeys) expect(fired.has(key)).toBe(false);
          const second = evaluateRules(rules, event, ticket, NOW, new Set([...fired, ...first.newFiredKeys]));
          expect(second.actions).toEqual([]);
        },
      ),
    );
  });
});

describe("dryRun", () => {
  const tickets = [
    makeTicket({ id: "a", number: 1, priority: "urgent" }),
    makeTicket({ id: "b", number: 2, priority: "low" }),
  ];

  it("predicts the actions of a state rule on the tickets whose conditions hold", () => {
    const result = dryRun({ ...urgentTag, enabled: false }, tickets, NOW);
    expect(result).toEqual({
      ruleId: "urgent-tag",
      evaluatedAt: NOW,
      mode: "state",
      matchedCount: 1,
      tickets: [
        { ticketId: "a", ticketNumber: 1, matches: true, actions: [{ type: "add_tag", tag: "hot" }] },
        { ticketId: "b", ticketNumber: 2, matches: false, actions: [] },
      ],
    });
  });

  it("for an event rule checks only the ticket conditions and predicts no actions", () => {
    const rule = {
      ...escalateOnBreach,
      conditions: {
        all: [
          ...(escalateOnBreach.conditions.all ?? []),
          { field: "priority" as const, op: "gt" as const, value: "medium" },
        ],
      },
    };
    const result = dryRun(rule, tickets, NOW);
    expect(result.mode).toBe("event");
    expect(result.tickets.map((t) => [t.ticketId, t.matches, t.actions.length])).toEqual([
      ["a", true, 0],
      ["b", false, 0],
    ]);
  });
});
