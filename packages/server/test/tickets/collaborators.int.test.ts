import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNotifyRelay } from "../../src/notify/compose-notify.ts";
import type { OutboxRelay } from "../../src/outbox/relay.ts";
import { manualClock, startTestApp, type Person, type TestApp } from "../harness.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
let relay: OutboxRelay;

beforeAll(async () => {
  t = await startTestApp({ clock });
  await t.db.updateTable("users").set({ name: "Siti Rahma" }).where("id", "=", t.people.agent1.id).execute();
  relay = createNotifyRelay(t.services);
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.db.deleteFrom("notifications").execute();
  await t.db.deleteFrom("outbox").execute();
});

type Note = { kind: string; body: string; params: Record<string, unknown>; ticket_id: string };

async function notesOf(person: Person, kind: string) {
  while ((await relay.runOnce()) > 0);
  const res = await t.inject("GET", "/api/v1/notifications", { token: person.token });
  expect(res.status).toBe(200);
  return (res.body.items as Note[]).filter((n) => n.kind === kind);
}

/** The emails waiting or sent to an address (the outbox rows). */
const mailsTo = async (email: string) =>
  (await t.db.selectFrom("outbox").select("payload").where("kind", "=", "email").execute())
    .map((r) => r.payload as { to: string; subject: string; text: string })
    .filter((p) => p.to === email);

const patch = (as: Person, id: string, body: Record<string, unknown>) =>
  t.inject("PATCH", `/api/v1/tickets/${id}`, { token: as.token, body });

describe("collaborators", () => {
  it("an added collaborator who reads English gets the email in English, once", async () => {
    const { agent1, agent2 } = t.people;
    await t.db.updateTable("users").set({ language: "en" }).where("id", "=", agent2.id).execute();
    const ticket = await t.createTicket({ subject: "Printer macet" });
    expect((await patch(agent1, ticket.id, { collaborator_ids: [agent2.id] })).status).toBe(200);
    expect((await patch(agent1, ticket.id, { collaborator_ids: [agent2.id] })).status).toBe(200);
    expect(await mailsTo(agent2.email)).toEqual([
      expect.objectContaining({
        subject: `You were added as a collaborator: #${ticket.number} Printer macet`,
        text: expect.stringContaining("Siti Rahma added you as a collaborator on ticket"),
      }),
    ]);
    await t.db.updateTable("users").set({ language: "id" }).where("id", "=", agent2.id).execute();
  });

  it("an added collaborator is told once, sees the ticket, and is told when the customer replies", async () => {
    const { agent1, agent3, customer } = t.people;
    const ticket = await t.createTicket({ subject: "VPN putus" });
    const res = await patch(agent1, ticket.id, { collaborator_ids: [agent3.id] });
    expect(res.status).toBe(200);
    expect(res.body.collaborator_ids).toEqual([agent3.id]);
    // Told by email too, in their language (Indonesian, the default); the one who added is not.
    expect(await mailsTo(agent3.email)).toEqual([
      expect.objectContaining({
        subject: `Anda ditambahkan sebagai kolaborator: #${ticket.number} VPN putus`,
        text: expect.stringContaining("Siti Rahma menambahkan Anda sebagai kolaborator pada tiket"),
      }),
    ]);
    expect(await mailsTo(agent1.email)).toEqual([]);

    expect(await notesOf(agent3, "collaborator.added")).toEqual([
      expect.objectContaining({
        ticket_id: ticket.id,
        body: "Siti Rahma added you as a collaborator.",
        params: { number: ticket.number, subject: "VPN putus", author: "Siti Rahma" },
      }),
    ]);
    // The one who added is not told; saving the same list again tells nobody again.
    expect(await notesOf(agent1, "collaborator.added")).toEqual([]);
    expect((await patch(agent1, ticket.id, { collaborator_ids: [agent3.id] })).status).toBe(200);
    expect(await notesOf(agent3, "collaborator.added")).toHaveLength(1);
    expect((await t.inject("GET", `/api/v1/tickets/${ticket.id}`, { token: agent3.token })).status).toBe(200);

    const reply = await t.inject("POST", `/api/v1/tickets/${ticket.id}/messages`, {
      token: customer.token,
      body: { kind: "reply", body: "Masih putus pagi ini." },
    });
    expect(reply.status).toBe(201);
    expect(await notesOf(agent3, "collaborator.customer_replied")).toEqual([
      expect.objectContaining({ ticket_id: ticket.id, body: "The customer replied on a ticket you follow." }),
    ]);

    // The customer never sees who follows the ticket.
    const seen = await t.inject("GET", `/api/v1/tickets/${ticket.id}`, { token: customer.token });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toContain(agent3.id);

    // Removing is recorded on the timeline with the old and new list.
    expect((await patch(agent1, ticket.id, { collaborator_ids: [] })).body.collaborator_ids).toEqual([]);
    const events = await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`, { token: agent1.token });
    const changes = (events.body.items as { type: string; data: { changes?: Record<string, unknown> } }[])
      .filter((e) => e.type === "ticket.updated" && e.data.changes?.collaborator_ids)
      .map((e) => e.data.changes!.collaborator_ids);
    expect(changes).toEqual([
      [[], [agent3.id]],
      [[agent3.id], []],
    ]);
  });

  it("collaborators are told when the ticket moves to another tier; the one who moved it is not", async () => {
    const { agent1, agent3 } = t.people;
    const ticket = await t.createTicket({ subject: "Server lambat" }, agent1);
    expect((await patch(agent1, ticket.id, { collaborator_ids: [agent3.id, agent1.id] })).status).toBe(200);
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/escalations`, {
      token: agent1.token,
      body: { to: { tier: 2 }, reason: "too_complex", note: "Perlu tim teknis" },
    });
    expect(res.status).toBe(201);
    expect(await notesOf(agent3, "collaborator.escalated")).toEqual([
      expect.objectContaining({
        ticket_id: ticket.id,
        body: "A ticket you follow moved from Tier 1 to Tier 2.",
        params: { number: ticket.number, subject: "Server lambat", from_tier: 1, to_tier: 2 },
      }),
    ]);
    expect(await notesOf(agent1, "collaborator.escalated")).toEqual([]);
  });

  it("a customer cannot set collaborators (403) and nothing is written", async () => {
    const { agent3, customer } = t.people;
    const ticket = await t.createTicket();
    const res = await patch(customer, ticket.id, { collaborator_ids: [agent3.id] });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const row = await t.db
      .selectFrom("tickets")
      .select("collaborator_ids")
      .where("id", "=", ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.collaborator_ids).toEqual([]);
    expect(await notesOf(agent3, "collaborator.added")).toEqual([]);
  });

  it.each([
    ["a customer as collaborator", () => [t.people.customer.id]],
    ["an unknown user", () => ["00000000-0000-4000-8000-000000000000"]],
  ])("%s is refused as 422 naming the field; nothing written", async (_, ids) => {
    const ticket = await t.createTicket();
    const res = await patch(t.people.agent1, ticket.id, { collaborator_ids: ids() });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain("collaborator_ids");
    const row = await t.db
      .selectFrom("tickets")
      .select("collaborator_ids")
      .where("id", "=", ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.collaborator_ids).toEqual([]);
  });

  it("engineering links: customer 403, a bad URL 422 naming url, an agent adds, lists and removes", async () => {
    const { agent1, customer } = t.people;
    const ticket = await t.createTicket();
    const path = `/api/v1/tickets/${ticket.id}/links`;
    expect((await t.inject("GET", path, { token: customer.token })).status).toBe(403);
    const bad = await t.inject("POST", path, { token: agent1.token, body: { url: "not a url", key: "ENG-1" } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("url");
    expect((await t.inject("GET", path, { token: agent1.token })).body.items).toEqual([]);
    const made = await t.inject("POST", path, {
      token: agent1.token,
      body: { url: "https://issues.example.com/ENG-7", key: "ENG-7", title: "VPN drop" },
    });
    expect(made.status).toBe(201);
    expect((await t.inject("GET", path, { token: agent1.token })).body.items).toEqual([
      expect.objectContaining({ key: "ENG-7", title: "VPN drop", status: null }),
    ]);
    expect((await t.inject("DELETE", `${path}/${made.body.id}`, { token: agent1.token })).status).toBe(204);
    expect((await t.inject("GET", path, { token: agent1.token })).body.items).toEqual([]);
  });
});
