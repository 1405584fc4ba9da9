import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customerEventText, customerTierLabel } from "./customer-text.ts";

describe("customerEventText", () => {
  it.each([
    ["ticket.created", {}, "en", "We received your request."],
    ["ticket.created", {}, "id", "Permintaan Anda telah kami terima."],
    ["ticket.updated", { changes: { status: ["open", "solved"] } }, "en", "Your request is now solved."],
    [
      "ticket.updated",
      { changes: { status: ["new", "pending"] } },
      "id",
      "Permintaan Anda kini menunggu balasan Anda.",
    ],
    ["ticket.updated", { changes: { priority: ["low", "urgent"], tags: [[], ["vip"]] } }, "en", null],
    ["message.added", { kind: "reply", author_role: "agent" }, "en", "Our team replied to you."],
    ["message.added", { kind: "reply", author_role: "customer" }, "id", "Anda membalas."],
    ["message.added", { kind: "note", author_role: "agent" }, "en", null],
    [
      "escalated",
      { type: "hierarchical", trigger: "rule", to_tier: 3 },
      "en",
      "Your request has been passed to our level 3 team.",
    ],
    [
      "escalated",
      { type: "functional", trigger: "agent", to_tier: 1 },
      "id",
      "Permintaan Anda telah diteruskan ke tim spesialis kami.",
    ],
    ["escalated", { type: "de_escalation", trigger: "agent", to_tier: 1 }, "en", null],
    ["escalated", { type: "reassignment", trigger: "sla_timer", to_tier: 2 }, "en", null],
    ["sla.breached", { target: "first_response" }, "en", null],
    ["sla.warning", {}, "id", null],
    ["tier.budget_exceeded", {}, "en", null],
    ["ticket.linked", { key: "ENG-1" }, "en", null],
    ["rule.fired", {}, "en", null],
    ["assigned", {}, "en", null],
    ["toString", {}, "en", null],
  ] as const)("%s %j (%s)", (type, data, lang, text) => {
    expect(customerEventText({ type, data }, lang)).toBe(text);
  });

  it("never repeats anything written in the event's data (names, notes, reasons)", () => {
    const secret = "SENTINEL-7f3a";
    fc.assert(
      fc.property(
        fc.constantFrom(
          "ticket.created",
          "ticket.updated",
          "message.added",
          "escalated",
          "escalation.requested",
          "csat.rated",
        ),
        fc.dictionary(
          fc.constantFrom("note", "rule_name", "to_group_name", "reason_text", "text", "comment", "author_name"),
          fc.constant(secret),
        ),
        fc.constantFrom("id" as const, "en" as const),
        (type, extra, lang) => {
          const data = {
            kind: "reply",
            type: "hierarchical",
            trigger: "rule",
            to_tier: 2,
            changes: { status: ["open", "solved"] },
            ...extra,
          };
          expect(customerEventText({ type, data }, lang) ?? "").not.toContain(secret);
        },
      ),
    );
  });

  it("names a tier by its level only", () => {
    expect(customerTierLabel(2, "en")).toBe("our level 2 team");
    expect(customerTierLabel(2, "id")).toBe("tim tingkat 2 kami");
  });
});
