import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasRequiredSkill, isAvailable, pickAgent, type PickAgentInput, type RoutingAgent } from "./pick-agent.ts";
import { LANGUAGES, PRESENCES } from "../ticket/types.ts";

const at = (iso: string) => new Date(iso);

function agent(id: string, overrides: Partial<RoutingAgent> = {}): RoutingAgent {
  return {
    id,
    groupIds: ["t1"],
    presence: "online",
    capacity: 5,
    openAssignedCount: 0,
    skills: [{ skill: "billing", level: 2 }],
    languages: ["id", "en"],
    lastAssignedAt: null,
    ...overrides,
  };
}

const base = (agents: RoutingAgent[], overrides: Partial<PickAgentInput> = {}): PickAgentInput => ({
  agents,
  groupId: "t1",
  categoryId: "cat-invoice",
  language: "id",
  categorySkills: { "cat-invoice": { skill: "billing", minLevel: 2 }, "cat-api": { skill: "api" } },
  ...overrides,
});

describe("pickAgent", () => {
  it.each([
    [
      "the lowest load wins",
      [agent("a", { openAssignedCount: 3 }), agent("b", { openAssignedCount: 1 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "equal load: the longest-waiting agent",
      [
        agent("a", { lastAssignedAt: at("2026-03-02T03:00:00Z") }),
        agent("b", { lastAssignedAt: at("2026-03-02T02:00:00Z") }),
      ],
      {},
      "b",
      "round_robin",
    ],
    [
      "equal load: never assigned goes first",
      [agent("a", { lastAssignedAt: at("2026-03-02T03:00:00Z") }), agent("b")],
      {},
      "b",
      "round_robin",
    ],
    ["equal load and turn: id order", [agent("b"), agent("a")], {}, "a", "round_robin"],
    [
      "offline agents are skipped",
      [agent("a", { presence: "offline" }), agent("b", { openAssignedCount: 4 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "away agents are skipped",
      [agent("a", { presence: "away" }), agent("b", { openAssignedCount: 4 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "full agents are skipped",
      [agent("a", { capacity: 2, openAssignedCount: 2 }), agent("b", { openAssignedCount: 4 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "too low a skill level is skipped",
      [agent("a", { skills: [{ skill: "billing", level: 1 }] }), agent("b", { openAssignedCount: 2 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "other languages are skipped",
      [agent("a", { languages: ["en"] }), agent("b", { openAssignedCount: 2 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "other groups are skipped",
      [agent("a", { groupIds: ["t2"] }), agent("b", { openAssignedCount: 2 })],
      {},
      "b",
      "lowest_load",
    ],
    [
      "excluded agents are skipped",
      [agent("a"), agent("b", { openAssignedCount: 2 })],
      { excludeAgentIds: ["a"] },
      "b",
      "lowest_load",
    ],
    [
      "a category without a skill needs none",
      [agent("a", { skills: [] })],
      { categoryId: "cat-unmapped" },
      "a",
      "lowest_load",
    ],
    ["no category needs no skill", [agent("a", { skills: [] })], { categoryId: null }, "a", "lowest_load"],
    [
      "a required skill without level accepts any",
      [agent("a", { skills: [{ skill: "api", level: 0 }] })],
      { categoryId: "cat-api" },
      "a",
      "lowest_load",
    ],
  ] as const)("%s", (_name, agents, overrides, agentId, reason) => {
    expect(pickAgent(base([...agents], overrides))).toEqual({ ok: true, agentId, reason });
  });

  it.each([
    [
      "nobody in the group has the skill",
      [agent("a", { skills: [] }), agent("b", { groupIds: ["t2"] })],
      "no_skill_in_tier",
    ],
    ["only an insufficient level", [agent("a", { skills: [{ skill: "billing", level: 1 }] })], "no_skill_in_tier"],
    ["skilled but offline", [agent("a", { presence: "offline" })], "no_agent_available"],
    ["skilled but full", [agent("a", { openAssignedCount: 5 })], "no_agent_available"],
    ["skilled but another language", [agent("a", { languages: ["en"] })], "no_agent_available"],
    ["an empty group with no skill needed", [], "no_agent_available"],
  ] as const)("%s → %s", (_name, agents, reason) => {
    const input = base([...agents], reason === "no_agent_available" && agents.length === 0 ? { categoryId: null } : {});
    expect(pickAgent(input)).toEqual({ ok: false, reason });
  });
});

describe("pickAgent — properties", () => {
  const arbAgent = fc.record({
    id: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"),
    groupIds: fc.subarray(["t1", "t2"]),
    presence: fc.constantFrom(...PRESENCES),
    capacity: fc.integer({ min: 0, max: 6 }),
    openAssignedCount: fc.integer({ min: 0, max: 8 }),
    skills: fc.array(fc.record({ skill: fc.constantFrom("billing", "api"), level: fc.integer({ min: 0, max: 3 }) }), {
      maxLength: 2,
    }),
    languages: fc.subarray([...LANGUAGES]),
    lastAssignedAt: fc.option(
      fc.date({ min: at("2026-01-01T00:00:00Z"), max: at("2026-12-31T00:00:00Z"), noInvalidDate: true }),
    ),
  });
  const arbAgents = fc.uniqueArray(arbAgent, { selector: (a) => a.id, maxLength: 8 });
  const arbInput = fc.record({
    agents: arbAgents,
    groupId: fc.constantFrom("t1", "t2"),
    categoryId: fc.constantFrom("cat-invoice", "cat-api", null),
    language: fc.constantFrom(...LANGUAGES),
    categorySkills: fc.constant(base([]).categorySkills),
  });

  it("never picks an agent who is full, not online, unskilled or without the language; always a minimum load", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = pickAgent(input);
        const requirement = input.categoryId === null ? undefined : input.categorySkills[input.categoryId];
        const fits = input.agents.filter(
          (a) =>
            a.groupIds.includes(input.groupId) &&
            isAvailable(a) &&
            hasRequiredSkill(a, requirement) &&
            a.languages.includes(input.language),
        );
        if (!result.ok) {
          expect(fits).toEqual([]);
          const members = input.agents.filter((a) => a.groupIds.includes(input.groupId));
          const anySkilled = members.some((a) => hasRequiredSkill(a, requirement));
          expect(result.reason).toBe(anySkilled || !requirement ? "no_agent_available" : "no_skill_in_tier");
          return;
        }
        const chosen = input.agents.find((a) => a.id === result.agentId);
        expect(chosen && fits.includes(chosen)).toBe(true);
        expect(chosen!.openAssignedCount).toBe(Math.min(...fits.map((a) => a.openAssignedCount)));
      }),
    );
  });

  it("does not depend on the order agents are listed in", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const reversed = { ...input, agents: [...input.agents].reverse() };
        expect(pickAgent(reversed)).toEqual(pickAgent(input));
      }),
    );
  });
});
