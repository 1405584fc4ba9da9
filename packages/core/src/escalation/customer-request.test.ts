import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planCustomerRequest, type CustomerRequestInput } from "./customer-request.ts";
import { customerEscalationText } from "./customer-text.ts";
import { planEscalation } from "./plan-escalation.ts";
import { makeTicket, ORG } from "./test-fixtures.ts";
import type { EscalationDecision } from "./types.ts";

function request(overrides: Partial<CustomerRequestInput> = {}) {
  return planCustomerRequest({
    ticket: makeTicket(),
    customerId: "c1",
    reason: "too_slow",
    hasOpenRequest: false,
    org: ORG,
    ...overrides,
  });
}

describe("planCustomerRequest", () => {
  it("sends the request to the supervisor of the ticket's group", () => {
    expect(request({ reason: "wants_supervisor", text: "  Tolong  " })).toEqual({
      ok: true,
      request: { reason: "wants_supervisor", text: "Tolong" },
      decision: {
        type: "supervisor",
        reason: "customer_request",
        reason_text: "Tolong",
        trigger: "customer",
        from: { tier: 1, group_id: "t1", assignee_id: "a1" },
        to: { tier: 1, group_id: "t1", assignee_id: "s1" },
        note: null,
        customer_message_key: "escalation_request_received",
      },
    });
  });

  it.each([
    ["not the requester", { customerId: "c2" }, "forbidden", undefined],
    ["closed ticket", { ticket: makeTicket({ status: "closed" }) }, "ticket_closed", undefined],
    ["one already open", { hasOpenRequest: true }, "request_already_open", undefined],
    ["other without text", { reason: "other", text: " " }, "reason_text_required", "text"],
    ["text too long", { text: "a".repeat(2001) }, "text_too_long", "text"],
  ] as const)("%s → %s", (_name, overrides, code, field) => {
    expect(request(overrides)).toEqual(field === undefined ? { ok: false, code } : { ok: false, code, field });
  });

  it.each([
    ["too_slow", null],
    ["not_helpful", "Jawabannya tidak menjawab pertanyaan saya"],
    ["other", "I need this before the audit"],
  ] as const)("accepts reason %s", (reason, text) => {
    expect(request({ reason, text }).ok).toBe(true);
  });

  it.each([
    ["a tier-1 group without a supervisor", { groupId: "t1b" }, { supervisorIds: ["s1", "s1b"] }],
    ["a tier-2 group without a supervisor", { tier: 2, groupId: "t2b" }, { supervisorIds: ["s2"] }],
    ["no group", { groupId: null }, { supervisorIds: ["s1", "s1b"] }],
  ] as const)("records a request on %s where the ticket is and tells the nearest lead", (_name, where, tell) => {
    const ticket = makeTicket(where);
    const here = { tier: ticket.tier, group_id: ticket.groupId, assignee_id: "a1" };
    expect(request({ ticket, text: "Sudah 3 hari" })).toEqual({
      ok: true,
      request: { reason: "too_slow", text: "Sudah 3 hari" },
      decision: {
        type: "supervisor",
        reason: "customer_request",
        reason_text: "Sudah 3 hari",
        trigger: "customer",
        from: here,
        to: here,
        note: null,
        customer_message_key: "escalation_request_received",
      },
      tell,
    });
  });

  it("tells the admins when no group in reach has a supervisor", () => {
    const org = {
      ...ORG,
      groups: ORG.groups.map((g) => (g.kind === "tier" && g.tier_level === 3 ? { ...g, supervisor_ids: [] } : g)),
    };
    const result = request({ ticket: makeTicket({ tier: 3, groupId: "t3" }), org });
    expect(result).toMatchObject({
      ok: true,
      decision: { to: { group_id: "t3", assignee_id: "a1" } },
      tell: { admins: true },
    });
  });

  it("never refuses a well-formed request for want of a supervisor, whatever the organisation", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ORG.groups.map((g) => g.id), null),
        fc.integer({ min: 1, max: 3 }),
        fc.subarray(ORG.groups.map((g) => g.id)),
        (groupId, tier, leaderless) => {
          const org = {
            ...ORG,
            groups: ORG.groups.map((g) => (leaderless.includes(g.id) ? { ...g, supervisor_ids: [] } : g)),
          };
          const result = request({ ticket: makeTicket({ groupId, tier }), org });
          expect(result.ok).toBe(true);
          if (result.ok && result.tell && "supervisorIds" in result.tell)
            expect(result.tell.supervisorIds.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it("acknowledges a request even when the supervisor already holds the ticket", () => {
    const result = request({ ticket: makeTicket({ assigneeId: "s1" }) });
    expect(result).toMatchObject({ ok: true, decision: { to: { assignee_id: "s1" }, trigger: "customer" } });
  });
});

describe("customerEscalationText", () => {
  const decisionTo = (tier: number, key: EscalationDecision["customer_message_key"]): EscalationDecision => ({
    type: "hierarchical",
    reason: "too_complex",
    reason_text: null,
    trigger: "agent",
    from: { tier: 1, group_id: "t1", assignee_id: "a1" },
    to: { tier, group_id: "t2", assignee_id: null },
    note: "internal",
    customer_message_key: key,
  });

  it.each([
    ["en", "escalated_to_tier", "Your request has been passed to our level 2 team."],
    ["id", "escalated_to_tier", "Permintaan Anda telah diteruskan ke tim tingkat 2 kami."],
    ["en", "escalated_to_department", "Your request has been passed to our specialist team."],
    ["id", "escalated_to_supervisor", "Permintaan Anda telah diteruskan ke supervisor kami."],
    ["en", null, null],
  ] as const)("%s %s", (lang, key, text) => {
    expect(customerEscalationText(decisionTo(2, key), lang)).toBe(text);
  });

  it("never depends on the note, reason, reason text or people involved", () => {
    const base = planEscalation({
      ticket: makeTicket(),
      actor: { kind: "rule" },
      target: { tier: 2 },
      reason: "sla_breach",
      org: ORG,
    });
    if (!base.ok) throw new Error(base.code);
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string()),
        fc.constantFrom("missing_skill", "too_slow", "other", "negative_sentiment"),
        fc.option(fc.string()),
        fc.constantFrom("id", "en"),
        (note, reasonText, reason, assignee, lang) => {
          const varied = {
            ...base.decision,
            note,
            reason,
            reason_text: reasonText,
            from: { ...base.decision.from, assignee_id: assignee },
            to: { ...base.decision.to, assignee_id: assignee },
          };
          expect(customerEscalationText(varied, lang)).toBe(customerEscalationText(base.decision, lang));
        },
      ),
    );
  });
});
