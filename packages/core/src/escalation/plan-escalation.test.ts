import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planEscalation } from "./plan-escalation.ts";
import { makeTicket, ORG } from "./test-fixtures.ts";
import type { EscalationActor, EscalationTarget, OrgStructure, PlanEscalationInput } from "./types.ts";

const agent1: EscalationActor = { kind: "agent", userId: "a1", tier: 1, groupIds: ["t1"] };
const agent2: EscalationActor = { kind: "agent", userId: "a2", tier: 2, groupIds: ["t2"] };
const supervisor: EscalationActor = { kind: "supervisor", userId: "s2" };
const admin: EscalationActor = { kind: "admin", userId: "ad" };
const rule: EscalationActor = { kind: "rule" };
const timer: EscalationActor = { kind: "sla_timer" };
const customer: EscalationActor = { kind: "customer", userId: "c1" };

function plan(overrides: Partial<PlanEscalationInput> & { target: EscalationTarget }) {
  return planEscalation({
    ticket: makeTicket(),
    actor: agent1,
    reason: "too_complex",
    note: "Tried resetting the password twice; the account is locked on the server side.",
    org: ORG,
    ...overrides,
  });
}

describe("planEscalation — successful moves", () => {
  it.each([
    ["agent, next tier", { actor: agent1, target: { tier: "next" } }, "hierarchical", 2, "t2", null, "agent"],
    ["agent, skips to tier 3", { actor: agent1, target: { tier: 3 } }, "hierarchical", 3, "t3", null, "agent"],
    [
      "agent, department keeps tier",
      { target: { department_id: "billing" } },
      "functional",
      1,
      "billing",
      null,
      "agent",
    ],
    ["agent, department by group id", { target: { group_id: "billing" } }, "functional", 1, "billing", null, "agent"],
    ["agent, own group's supervisor", { target: { supervisor: true } }, "supervisor", 1, "t1", "s1", "agent"],
    ["agent, tier group by id", { target: { group_id: "t2b" } }, "hierarchical", 2, "t2b", null, "agent"],
    [
      "tier with a group of that tier",
      { target: { tier: 2, group_id: "t2b" } },
      "hierarchical",
      2,
      "t2b",
      null,
      "agent",
    ],
    [
      "supervisor de-escalates",
      { actor: supervisor, ticket: makeTicket({ tier: 2, groupId: "t2" }), target: { tier: 1 } },
      "de_escalation",
      1,
      "t1",
      null,
      "agent",
    ],
    [
      "supervisor re-assigns in tier",
      { actor: supervisor, target: { group_id: "t1b" } },
      "reassignment",
      1,
      "t1b",
      null,
      "agent",
    ],
    ["admin names a supervisor", { actor: admin, target: { supervisor: "s2" } }, "supervisor", 2, "t2", "s2", "agent"],
    [
      "rule without a note",
      { actor: rule, note: null, target: { tier: "next" } },
      "hierarchical",
      2,
      "t2",
      null,
      "rule",
    ],
    [
      "sla timer to supervisor",
      { actor: timer, note: undefined, target: { supervisor: true } },
      "supervisor",
      1,
      "t1",
      "s1",
      "sla_timer",
    ],
    [
      "customer asks for the supervisor",
      { actor: customer, note: null, reason: "customer_request", target: { supervisor: true } },
      "supervisor",
      1,
      "t1",
      "s1",
      "customer",
    ],
    [
      "agent of tier 2 working a tier-2 ticket",
      { actor: agent2, ticket: makeTicket({ tier: 2, groupId: "t2" }), target: { tier: "next" } },
      "hierarchical",
      3,
      "t3",
      null,
      "agent",
    ],
    [
      "solved tickets can still move",
      { ticket: makeTicket({ status: "solved" }), target: { tier: 2 } },
      "hierarchical",
      2,
      "t2",
      null,
      "agent",
    ],
  ] as const)("%s", (_name, overrides, type, tier, groupId, assigneeId, trigger) => {
    const result = plan(overrides as Parameters<typeof plan>[0]);
    expect(result).toMatchObject({
      ok: true,
      decision: { type, trigger, to: { tier, group_id: groupId, assignee_id: assigneeId } },
    });
  });

  it("records where the ticket came from, the trimmed note and the customer message key", () => {
    const result = plan({
      target: { tier: "next" },
      note: "  checked logs  ",
      reason: "other",
      reason_text: " weird ",
    });
    expect(result).toEqual({
      ok: true,
      decision: {
        type: "hierarchical",
        reason: "other",
        reason_text: "weird",
        trigger: "agent",
        from: { tier: 1, group_id: "t1", assignee_id: "a1" },
        to: { tier: 2, group_id: "t2", assignee_id: null },
        note: "checked logs",
        customer_message_key: "escalated_to_tier",
      },
    });
  });

  it.each([
    [{ tier: 2 }, "escalated_to_tier"],
    [{ department_id: "billing" }, "escalated_to_department"],
    [{ supervisor: true }, "escalated_to_supervisor"],
    [{ group_id: "t1b" }, null],
  ] as const)("customer message key for %o is %s", (target, key) => {
    const result = plan({ actor: admin, target });
    expect(result.ok && result.decision.customer_message_key).toBe(key);
  });

  it("falls back to the first group of a tier when the path names none", () => {
    const org: OrgStructure = { ...ORG, defaultGroupByTier: {} };
    expect(plan({ org, target: { tier: 2 } })).toMatchObject({ ok: true, decision: { to: { group_id: "t2" } } });
  });
});

describe("planEscalation — refusals", () => {
  const long = "x".repeat(5001);
  it.each([
    ["closed ticket", { ticket: makeTicket({ status: "closed" }), target: { tier: 2 } }, "ticket_closed", undefined],
    ["missing note", { note: null, target: { tier: 2 } }, "note_required", "note"],
    ["blank note", { note: " \n\t ", target: { tier: 2 } }, "note_required", "note"],
    ["supervisor without note", { actor: supervisor, note: "", target: { tier: 2 } }, "note_required", "note"],
    ["note too long", { note: long, target: { tier: 2 } }, "note_too_long", "note"],
    [
      "other without text",
      { reason: "other", reason_text: "  ", target: { tier: 2 } },
      "reason_text_required",
      "reason_text",
    ],
    ["unknown group", { target: { group_id: "nope" } }, "unknown_target", "group_id"],
    ["department id of a tier group", { target: { department_id: "t2" } }, "unknown_target", "department_id"],
    ["unknown tier", { target: { tier: 9 } }, "unknown_target", "tier"],
    ["fractional tier", { target: { tier: 1.5 } }, "unknown_target", "tier"],
    ["group of another tier", { target: { tier: 3, group_id: "t2" } }, "unknown_target", "group_id"],
    ["empty target", { target: {} }, "unknown_target", "target"],
    ["two destinations", { target: { tier: 2, supervisor: true } }, "unknown_target", "target"],
    ["unknown supervisor", { actor: admin, target: { supervisor: "ghost" } }, "unknown_target", "supervisor"],
    [
      "group without supervisor",
      { ticket: makeTicket({ groupId: "t1b" }), target: { supervisor: true } },
      "unknown_target",
      "supervisor",
    ],
    [
      "no next tier",
      { actor: rule, ticket: makeTicket({ tier: 3, groupId: "t3" }), target: { tier: "next" } },
      "no_next_tier",
      "tier",
    ],
    ["same tier", { target: { tier: 1 } }, "same_level", "tier"],
    ["same group", { actor: admin, target: { group_id: "t1" } }, "same_level", "group_id"],
    [
      "already with supervisor",
      { actor: admin, ticket: makeTicket({ assigneeId: "s1" }), target: { supervisor: true } },
      "same_level",
      "supervisor",
    ],
    [
      "agent de-escalates",
      { actor: agent2, ticket: makeTicket({ tier: 2, groupId: "t2" }), target: { tier: 1 } },
      "forbidden",
      undefined,
    ],
    ["agent re-assigns sideways", { target: { group_id: "t1b" } }, "forbidden", undefined],
    [
      "agent of another tier",
      { actor: agent1, ticket: makeTicket({ tier: 2, groupId: "t2" }), target: { tier: 3 } },
      "forbidden",
      undefined,
    ],
    ["customer picks a tier", { actor: customer, target: { tier: 2 } }, "forbidden", undefined],
    ["customer names a supervisor", { actor: customer, target: { supervisor: "s2" } }, "forbidden", undefined],
    [
      "someone else's ticket",
      { actor: { kind: "customer", userId: "c2" }, target: { supervisor: true } },
      "forbidden",
      undefined,
    ],
    ["type disagrees with target", { type: "functional", target: { tier: 2 } }, "type_mismatch", "type"],
  ] as const)("%s → %s", (_name, overrides, code, field) => {
    const result = plan(overrides as Parameters<typeof plan>[0]);
    expect(result).toEqual(field === undefined ? { ok: false, code } : { ok: false, code, field });
  });

  it("accepts a note of exactly 5000 characters", () => {
    expect(plan({ note: "y".repeat(5000), target: { tier: 2 } }).ok).toBe(true);
  });
});

describe("planEscalation — properties", () => {
  const levels = fc.integer({ min: 1, max: 3 });

  it("a tier target lands in a group of exactly that tier, and the type follows the direction", () => {
    fc.assert(
      fc.property(levels, levels, (from, to) => {
        const ticket = makeTicket({ tier: from, groupId: `t${from}` });
        const result = planEscalation({ ticket, actor: rule, target: { tier: to }, reason: "sla_breach", org: ORG });
        if (from === to) {
          expect(result).toMatchObject({ ok: false, code: "same_level" });
          return;
        }
        if (!result.ok) throw new Error(result.code);
        const group = ORG.groups.find((g) => g.id === result.decision.to.group_id);
        expect(group?.tier_level).toBe(to);
        expect(result.decision.type).toBe(to > from ? "hierarchical" : "de_escalation");
      }),
    );
  });

  it("an agent never moves a ticket down or sideways within tiers", () => {
    const targets = fc.oneof(
      levels.map((tier): EscalationTarget => ({ tier })),
      fc.constantFrom(...ORG.groups.map((g): EscalationTarget => ({ group_id: g.id }))),
    );
    fc.assert(
      fc.property(levels, targets, (tier, target) => {
        const ticket = makeTicket({ tier, groupId: `t${tier}` });
        const actor: EscalationActor = { kind: "agent", userId: "a", tier, groupIds: [`t${tier}`] };
        const result = planEscalation({ ticket, actor, target, reason: "too_complex", note: "n", org: ORG });
        if (result.ok) {
          const { type, to } = result.decision;
          expect(type === "functional" || to.tier > tier).toBe(true);
        }
      }),
    );
  });
});
