import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const bulk = (body: unknown, token = t.people.agent1.token) =>
  t.inject("POST", "/api/v1/tickets/bulk", { token, body });
const row = (id: string) => t.db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const close = (id: string) =>
  t.db.updateTable("tickets").set({ status: "closed", closed_at: new Date() }).where("id", "=", id).execute();

describe("bulk changes", () => {
  it("changes the priority of three tickets, one timeline event each, and reports a closed one and an unknown one per ticket", async () => {
    const a = await t.createTicket({ subject: "Satu" });
    const b = await t.createTicket({ subject: "Dua" });
    const c = await t.createTicket({ subject: "Tiga" });
    const closed = await t.createTicket({ subject: "Tutup" });
    await close(closed.id);
    const unknown = randomUUID();
    const res = await bulk({
      ticket_ids: [a.id, b.id, c.id, closed.id, unknown],
      action: { type: "priority", priority: "urgent" },
    });
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(3);
    expect(res.body.failed).toBe(2);
    expect(res.body.items).toEqual([
      { ticket_id: a.id, number: a.number, ok: true },
      { ticket_id: b.id, number: b.number, ok: true },
      { ticket_id: c.id, number: c.number, ok: true },
      {
        ticket_id: closed.id,
        number: closed.number,
        ok: false,
        code: "invalid_transition",
        message: expect.stringContaining("closed"),
      },
      { ticket_id: unknown, number: null, ok: false, code: "not_found", message: "ticket not found" },
    ]);
    for (const x of [a, b, c]) {
      expect((await row(x.id)).priority).toBe("urgent");
      const events = await t.inject("GET", `/api/v1/tickets/${x.id}/events`, { token: t.people.agent1.token });
      const updates = events.body.items.filter((e: { type: string }) => e.type === "ticket.updated");
      expect(updates.at(-1).data.changes).toEqual({ priority: ["medium", "urgent"] });
    }
    expect((await row(closed.id)).priority).toBe("medium");
  });

  it("adds and removes tags, keeping each ticket's other tags", async () => {
    const a = await t.createTicket({ subject: "Tag A", tags: ["vip"] }, t.people.agent1);
    const b = await t.createTicket({ subject: "Tag B" }, t.people.agent1);
    const added = await bulk({ ticket_ids: [a.id, b.id], action: { type: "tags_add", tags: ["promo", "vip"] } });
    expect(added.body.changed).toBe(2);
    expect((await row(a.id)).tags).toEqual(["vip", "promo"]);
    expect((await row(b.id)).tags).toEqual(["promo", "vip"]);
    const removed = await bulk({ ticket_ids: [a.id, b.id], action: { type: "tags_remove", tags: ["vip"] } });
    expect(removed.body.changed).toBe(2);
    expect((await row(a.id)).tags).toEqual(["promo"]);
    expect((await row(b.id)).tags).toEqual(["promo"]);
  });

  it("assigns, sets a status, and escalates with one handoff note, each ticket its own escalation", async () => {
    const { agent1, agent2 } = t.people;
    const a = await t.createTicket({ subject: "Esk A" });
    const b = await t.createTicket({ subject: "Esk B" });
    const assigned = await bulk({ ticket_ids: [a.id, b.id], action: { type: "assign", assignee_id: agent1.id } });
    expect(assigned.body.changed).toBe(2);
    expect((await row(a.id)).assignee_id).toBe(agent1.id);
    const status = await bulk({ ticket_ids: [a.id, b.id], action: { type: "status", status: "pending" } });
    expect(status.body.changed).toBe(2);
    expect((await row(b.id)).status).toBe("pending");

    const escalated = await bulk({
      ticket_ids: [a.id, b.id],
      action: {
        type: "escalate",
        to: { tier: "next" },
        reason: "too_complex",
        note: "Sudah dicoba reset; perlu tier 2.",
      },
    });
    expect(escalated.body).toMatchObject({ changed: 2, failed: 0 });
    for (const x of [a, b]) {
      const r = await row(x.id);
      expect(r.tier).toBe(2);
      expect((r.handoff_note as { body: string }).body).toBe("Sudah dicoba reset; perlu tier 2.");
    }
    const records = await t.db
      .selectFrom("escalations")
      .select("ticket_id")
      .where("ticket_id", "in", [a.id, b.id])
      .execute();
    expect(records).toHaveLength(2);
    expect([agent2.id, null, t.people.supervisor.id]).toContain((await row(a.id)).assignee_id);
  });

  it("a customer gets 403 and nothing changes", async () => {
    const a = await t.createTicket({ subject: "Pelanggan" });
    const res = await bulk(
      { ticket_ids: [a.id], action: { type: "priority", priority: "urgent" } },
      t.people.customer.token,
    );
    expect(res.status).toBe(403);
    expect((await row(a.id)).priority).toBe("medium");
  });

  it.each([
    ["no tickets", { ticket_ids: [], action: { type: "priority", priority: "high" } }, ["ticket_ids"]],
    [
      "more than 100 tickets",
      { ticket_ids: Array.from({ length: 101 }, () => randomUUID()), action: { type: "priority", priority: "high" } },
      ["ticket_ids"],
    ],
    ["an unknown action", { ticket_ids: [randomUUID()], action: { type: "delete" } }, ["action", "type"]],
    [
      "an unknown priority",
      { ticket_ids: [randomUUID()], action: { type: "priority", priority: "asap" } },
      ["action", "priority"],
    ],
    [
      "an escalation without a note",
      { ticket_ids: [randomUUID()], action: { type: "escalate", to: { tier: "next" }, reason: "too_complex" } },
      ["action", "note"],
    ],
  ])("%s is a 422 naming the field; nothing changes", async (_what, body, path) => {
    const a = await t.createTicket({ subject: "Tetap" });
    const before = await t.count("ticket_events");
    const res = await bulk(body);
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body.errors.map((e: { path: unknown[] }) => JSON.stringify(e.path))).toContain(JSON.stringify(path));
    expect(await t.count("ticket_events")).toBe(before);
    expect((await row(a.id)).priority).toBe("medium");
  });
});
