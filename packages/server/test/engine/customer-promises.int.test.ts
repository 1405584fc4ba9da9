import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant, renderCustomerEmail } from "../../src/channels/mail/outbound.ts";
import type { EmailPayload } from "../../src/outbox/outbox.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { createCalendar, createPolicy, fireAll, wib } from "../sla/helpers.ts";

// What the customer is promised is true: the escalation mail's next update, the periodic update the
// policy promises while escalated, and the answer to an escalation request, all in business time
// on the policy's Jakarta calendar (08:00-12:00 and 13:00-17:00, Monday to Friday).
const clock = manualClock(wib(2, "09:00"));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock });
  const calendar = await createCalendar(t);
  await createPolicy(t, {
    name: "Jam kerja",
    calendar_id: calendar.id,
    targets: { medium: { first_response: 60, next_response: 120, periodic_update: 120, resolution: 960 } },
    tier_budgets: {},
    ladder: [],
    customer_request_response: 60,
  });
  await fireAll(t);
});
afterAll(async () => t?.close());

const mails = async (ticketId: string, template: string) =>
  (
    await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("ticket_id", "=", ticketId)
      .where("kind", "=", "email")
      .orderBy("id")
      .execute()
  )
    .map((r) => r.payload as unknown as EmailPayload)
    .filter((p) => p.template === template);
const jakarta = (at: Date, lang: "id" | "en") => formatInstant(at, lang, "Asia/Jakarta");

async function escalatedTicket(language: "id" | "en", at: Date) {
  clock.set(wib(2, "09:00"));
  const ticket = await t.createTicket({ language, priority: "medium" }, t.people.agent1);
  clock.set(at);
  const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalations`, {
    token: t.people.agent1.token,
    body: { to: { tier: 2 }, reason: "too_complex", note: "Perlu tim teknis" },
  });
  expect(res.status).toBe(201);
  return ticket;
}

describe("the escalation email", () => {
  it("says when the next update comes: the periodic-update deadline in business time, in the customer's language and zone", async () => {
    // 11:30 + 120 business minutes, across the lunch break: 14:30 WIB.
    const id = await escalatedTicket("id", wib(2, "11:30"));
    const en = await escalatedTicket("en", wib(2, "11:30"));
    const [mailId] = await mails(id.id, "ticket.escalated");
    const [mailEn] = await mails(en.id, "ticket.escalated");
    expect(mailId!.text).toContain(`Kabar berikutnya paling lambat: ${jakarta(wib(2, "14:30"), "id")}`);
    expect(mailEn!.text).toContain(`Next update by: ${jakarta(wib(2, "14:30"), "en")}`);
    expect(mailId!.text).toMatch(/14[.:]30/);
  });

  it("leaves the sentence out when nothing is promised", () => {
    const vars = { ticket_number: "7", subject: "s", customer_name: "Budi", tier_name: "our level 2 team" };
    const en = renderCustomerEmail("ticket.escalated", "en", vars);
    const id = renderCustomerEmail("ticket.escalated", "id", { ...vars, next_update_at: " " });
    expect(en.text).not.toContain("Next update by");
    expect(id.text).not.toContain("Kabar berikutnya");
    expect(en.text).toContain("Status:");
    expect(renderCustomerEmail("escalation_request.acknowledged", "en", vars).text).not.toContain("hear from us by");
  });
});

describe("the periodic update while escalated", () => {
  it("is sent by default once per period, saying which level has the ticket and the next time", async () => {
    const ticket = await escalatedTicket("en", wib(2, "11:30"));
    clock.set(wib(2, "14:30"));
    await fireAll(t);
    await fireAll(t);
    let sent = await mails(ticket.id, "ticket.periodic_update");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Your request is still being handled by our level 2 team.");
    expect(sent[0]!.text).toContain(`Next update by: ${jakarta(wib(2, "16:30"), "en")}`);
    // Customer-safe words: a level, never the group's internal name.
    expect(sent[0]!.text).not.toContain("Technical");

    clock.set(wib(2, "16:00"));
    await fireAll(t);
    expect(await mails(ticket.id, "ticket.periodic_update")).toHaveLength(1);
    // The next period: 16:30 + 120 business minutes is Tuesday 09:30 WIB.
    clock.set(wib(2, "16:30"));
    await fireAll(t);
    await fireAll(t);
    sent = await mails(ticket.id, "ticket.periodic_update");
    expect(sent).toHaveLength(2);
    expect(sent[1]!.text).toContain(`Next update by: ${jakarta(wib(3, "09:30"), "en")}`);
  });

  it("writes to an Indonesian customer in Indonesian, and stops once the ticket is solved", async () => {
    const ticket = await escalatedTicket("id", wib(2, "11:30"));
    clock.set(wib(2, "14:30"));
    await fireAll(t);
    const [sent] = await mails(ticket.id, "ticket.periodic_update");
    expect(sent!.text).toContain("Permintaan Anda masih ditangani oleh tim tingkat 2 kami.");
    expect(sent!.text).toContain(`Kabar berikutnya paling lambat: ${jakarta(wib(2, "16:30"), "id")}`);
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, {
      token: t.people.agent2.token,
      body: { status: "solved", resolution_code: "fixed" },
    });
    clock.set(wib(3, "12:00"));
    await fireAll(t);
    expect(await mails(ticket.id, "ticket.periodic_update")).toHaveLength(1);
  });
});

describe("the periodic update and an admin's rule that sends it too", () => {
  it("still makes one mail per period, in the same words", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Kabari pelanggan",
        event: "sla.breached",
        conditions: { all: [{ field: "event.target", op: "is", value: "periodic_update" }] },
        actions: [{ type: "notify", channel: "customer" }],
      },
    });
    expect(rule.status).toBe(201);
    const ticket = await escalatedTicket("en", wib(2, "11:30"));
    clock.set(wib(2, "14:30"));
    await fireAll(t);
    const sent = await mails(ticket.id, "ticket.periodic_update");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("Your request is still being handled by our level 2 team.");
    expect(sent[0]!.text).toContain(`Next update by: ${jakarta(wib(2, "16:30"), "en")}`);
    expect(sent[0]!.text).not.toContain("Kabari pelanggan");
  });
});

describe("a customer's escalation request", () => {
  it("is promised an answer in business minutes on the policy's calendar, not wall-clock minutes", async () => {
    clock.set(wib(2, "16:00"));
    const ticket = await t.createTicket();
    clock.set(wib(2, "16:30"));
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: t.people.customer.token,
      body: { reason: "too_slow" },
    });
    expect(res.status).toBe(201);
    // 60 business minutes from Monday 16:30: 30 before closing, 30 from Tuesday 08:00.
    expect(res.body.due_at).toBe(wib(3, "08:30").toISOString());
    const timer = await t.db
      .selectFrom("timers")
      .select("due_at")
      .where("ticket_id", "=", ticket.id)
      .where("kind", "=", "escalation_request.due")
      .executeTakeFirstOrThrow();
    expect(timer.due_at.toISOString()).toBe(wib(3, "08:30").toISOString());
    const [ack] = await mails(ticket.id, "escalation_request.acknowledged");
    expect(ack!.text).toContain(jakarta(wib(3, "08:30"), "id"));
  });
});
