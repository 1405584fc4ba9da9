import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const ackOf = async (id: string) =>
  (
    await t.db
      .selectFrom("escalation_requests")
      .select(["acknowledged_by"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).acknowledged_by;

describe("a customer's escalation request as a supervisor's work", () => {
  it("shows on the board with ticket, customer and words; a supervisor acknowledges it and the customer sees who", async () => {
    const { customer, supervisor, agent1 } = t.people;
    const ticket = await t.createTicket({ subject: "Refund belum masuk", description: "Sudah seminggu" });
    const req = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalation-requests`, {
      token: customer.token,
      body: { reason: "too_slow", text: "Sudah seminggu menunggu refund" },
    });
    expect(req.status).toBe(201);
    const id = req.body.id as string;

    const board = (await t.inject("GET", "/api/v1/board", { token: supervisor.token })).body;
    expect(board.open_requests.find((r: { id: string }) => r.id === id)).toMatchObject({
      ticket: { id: ticket.id, number: ticket.number, subject: "Refund belum masuk" },
      customer: { name: "customer", email: customer.email },
      reason: "too_slow",
      text: "Sudah seminggu menunggu refund",
      acknowledged_by: null,
    });

    // An agent or the customer may not; an unknown request is a 404; nothing is written.
    for (const token of [agent1.token, customer.token]) {
      const res = await t.inject("POST", `/api/v1/escalation-requests/${id}/acknowledge`, { token });
      expect(res.status).toBe(403);
      expect(res.headers["content-type"]).toMatch(/problem\+json/);
    }
    const unknown = await t.inject(
      "POST",
      "/api/v1/escalation-requests/00000000-0000-4000-8000-000000000000/acknowledge",
      {
        token: supervisor.token,
      },
    );
    expect(unknown.status).toBe(404);
    expect(await ackOf(id)).toBeNull();

    const ack = await t.inject("POST", `/api/v1/escalation-requests/${id}/acknowledge`, { token: supervisor.token });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      id,
      status: "acknowledged",
      acknowledged_by: { id: supervisor.id, name: "supervisor" },
    });
    const events = (await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`)).body.items as { type: string }[];
    expect(events.some((e) => e.type === "escalation.acknowledged")).toBe(true);

    const mine = await t.inject("GET", `/api/v1/tickets/${ticket.id}/escalation-requests`, { token: customer.token });
    expect(mine.body.items[0]).toMatchObject({ id, acknowledged_by: { name: "supervisor" } });

    // Answered (a public reply resolves it): acknowledging now is refused, naming the status.
    await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: supervisor.token,
      body: { kind: "reply", body: "Refund Anda kami proses hari ini." },
    });
    const late = await t.inject("POST", `/api/v1/escalation-requests/${id}/acknowledge`, { token: supervisor.token });
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);
    expect(JSON.stringify(late.body)).toContain("status");
  });
});
