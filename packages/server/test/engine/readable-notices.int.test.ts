import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { startTestApp, type TestApp } from "../harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

type Payload = { user_id: string; kind: string; title: string; body: string; params?: Record<string, unknown> };
const noticesOf = async (ticketId: string) =>
  (
    await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("ticket_id", "=", ticketId)
      .where("kind", "=", "notification")
      .execute()
  ).map((r) => r.payload as unknown as Payload);

// A raw event name, target or JSON in what a person reads.
const RAW = /sla\.|ticket\.|_response|[{}]|":/;

describe("what rules write is worded, never raw", () => {
  it("an SLA breach rule: the handoff note says what happened in the ticket's language, the notices carry their params", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "SLA terlewati: naik ke tier berikutnya",
        event: "sla.breached",
        conditions: {},
        actions: [
          { type: "escalate", to: { tier: "next" }, reason: "sla_breach" },
          { type: "notify", channel: "group" },
        ],
      },
    });
    expect(rule.status).toBe(201);
    try {
      const ticket = await t.createTicket({ subject: "Tidak bisa bayar" });
      const now = new Date();
      await t.services.events.record(
        SYSTEM_ACTOR,
        ticket.id,
        [{ type: "sla.breached", at: now, actorKind: "sla_timer", data: { target: "resolution" } }],
        now,
      );
      const after = (await t.inject("GET", `/api/v1/tickets/${ticket.id}`)).body;
      expect(after.tier).toBe(2);
      // Was "SLA terlewati: naik ke tier berikutnya: sla.breached (resolution)".
      expect(after.handoff_note.body).toBe("SLA terlewati: naik ke tier berikutnya: Target penyelesaian terlewati.");

      const notices = await noticesOf(ticket.id);
      const ruleNotice = notices.find((n) => n.kind === "sla.breached");
      expect(ruleNotice).toMatchObject({
        title: `#${ticket.number} Tidak bisa bayar`,
        body: "The resolution target was missed. (Rule “SLA terlewati: naik ke tier berikutnya”)",
        params: {
          number: ticket.number,
          subject: "Tidak bisa bayar",
          rule: "SLA terlewati: naik ke tier berikutnya",
          target: "resolution",
          percent: null,
        },
      });
      const escalated = notices.find((n) => n.kind === "escalated");
      expect(escalated?.params).toMatchObject({
        number: ticket.number,
        from_tier: 1,
        to_tier: 2,
        reason: "sla_breach",
      });
      for (const n of notices) {
        expect(n.title).not.toMatch(RAW);
        expect(n.body).not.toMatch(RAW);
      }
    } finally {
      await t.inject("PATCH", `/api/v1/escalation-rules/${rule.body.id}`, { body: { enabled: false } });
    }
  });
});
