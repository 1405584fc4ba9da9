import { describe, expect, it } from "vitest";
import type { TicketFacts } from "../ticket/types.ts";
import { selectPolicy, validateSlaPolicy, type SlaPolicy } from "./index.ts";
import { STANDARD } from "./test-policies.ts";

describe("validateSlaPolicy", () => {
  it("accepts a complete policy, with or without a calendar", () => {
    expect(validateSlaPolicy(STANDARD)).toMatchObject({ ok: true });
    expect(validateSlaPolicy({ ...STANDARD, calendar: null, customer_request_response: 240 })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ["missing name", { name: "" }, ["name"]],
    ["fractional position", { position: 1.5 }, ["position"]],
    ["unknown condition", { conditions: { tags: ["x"] } }, ["conditions", "tags"]],
    ["unknown priority in conditions", { conditions: { priorities: ["critical"] } }, ["conditions", "priorities", 0]],
    ["unknown channel", { conditions: { channels: ["fax"] } }, ["conditions", "channels", 0]],
    [
      "calendar errors are nested",
      { calendar: { timezone: "Asia/Jakarta", weekly: { mon: [["8:00", "12:00"]] } } },
      ["calendar", "weekly", "mon", 0, 0],
    ],
    ["missing priority targets", { targets: { ...STANDARD.targets, urgent: undefined } }, ["targets", "urgent"]],
    ["unknown target", { targets: { ...STANDARD.targets, low: { reply: 10 } } }, ["targets", "low", "reply"]],
    [
      "non-positive target",
      { targets: { ...STANDARD.targets, low: { resolution: 0 } } },
      ["targets", "low", "resolution"],
    ],
    ["tier key not a level", { tier_budgets: { one: 60 } }, ["tier_budgets", "one"]],
    ["ladder out of range", { ladder: [0.5, 1.2] }, ["ladder", 1]],
    ["ladder not ascending", { ladder: [0.75, 0.5] }, ["ladder", 1]],
    ["pause_on_hold missing", { pause_on_hold: undefined }, ["pause_on_hold"]],
  ])("rejects %s", (_name, patch, path) => {
    const result = validateSlaPolicy({ ...STANDARD, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContainEqual(path);
  });
});

describe("selectPolicy", () => {
  const facts: TicketFacts = {
    id: "t1",
    number: 1,
    status: "open",
    priority: "high",
    channel: "email",
    tier: 1,
    groupId: "g1",
    assigneeId: null,
    requesterId: "u1",
    organizationId: "o1",
    segment: "vip",
    categoryId: "billing",
    tags: [],
    language: "id",
    subject: "x",
    createdAt: new Date(0),
  };
  const policy = (id: string, position: number, conditions: SlaPolicy["conditions"]): SlaPolicy => ({
    ...STANDARD,
    id,
    position,
    conditions,
  });

  it("takes the first match by position, not by list order", () => {
    const policies = [
      policy("fallback", 100, {}),
      policy("vip", 1, { segments: ["vip"] }),
      policy("vip-email", 0, { segments: ["vip"], channels: ["chat"] }),
    ];
    expect(selectPolicy(policies, facts)?.id).toBe("vip");
  });

  it.each([
    [
      "all present lists must match",
      { segments: ["vip"], priorities: ["high"], channels: ["email"], group_ids: ["g1"], category_ids: ["billing"] },
      true,
    ],
    ["one list failing rejects", { segments: ["vip"], priorities: ["low"] }, false],
    ["empty lists match anything", { segments: [], priorities: [] }, true],
    ["a null ticket value never matches a non-empty list", { category_ids: ["billing"] }, false],
  ] as const)("%s", (_name, conditions, matches) => {
    const ticket = _name.startsWith("a null") ? { ...facts, categoryId: null } : facts;
    expect(selectPolicy([policy("p", 1, conditions)], ticket)?.id ?? null).toBe(matches ? "p" : null);
  });

  it("returns null when nothing matches and keeps input order on equal positions", () => {
    expect(selectPolicy([], facts)).toBeNull();
    expect(selectPolicy([policy("a", 1, {}), policy("b", 1, {})], facts)?.id).toBe("a");
  });
});
