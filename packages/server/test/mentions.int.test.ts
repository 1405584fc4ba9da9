import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNotifyRelay } from "../src/notify/compose-notify.ts";
import type { OutboxRelay } from "../src/outbox/relay.ts";
import { manualClock, startTestApp, type Person, type TestApp } from "./harness.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
let relay: OutboxRelay;

beforeAll(async () => {
  t = await startTestApp({ clock });
  await t.db.updateTable("users").set({ name: "Budi Santoso" }).where("id", "=", t.people.agent3.id).execute();
  await t.db.updateTable("users").set({ name: "Siti Rahma" }).where("id", "=", t.people.agent1.id).execute();
  relay = createNotifyRelay(t.services);
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.db.deleteFrom("notifications").execute();
  await t.db.deleteFrom("outbox").execute();
});

const post = (as: Person, ticketId: string, body: Record<string, unknown>) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, { token: as.token, body });

/** Delivers everything queued, then the person's notifications of the mention kind. */
async function mentionsOf(person: Person) {
  while ((await relay.runOnce()) > 0);
  const res = await t.inject("GET", "/api/v1/notifications", { token: person.token });
  expect(res.status).toBe(200);
  return (res.body.items as { kind: string; [k: string]: unknown }[]).filter((n) => n.kind === "mention");
}

describe("mentions in internal notes", () => {
  it("@ + email local part gives the mentioned agent one in-app notification naming the ticket and the author", async () => {
    const { agent1, agent2, agent3 } = t.people;
    const ticket = await t.createTicket({ subject: "Printer rusak" });
    const note = await post(agent1, ticket.id, { kind: "note", body: "@agent3 tolong cek log server ini." });
    expect(note.status).toBe(201);
    expect(note.body.mentions).toEqual([agent3.id]);

    const items = await mentionsOf(agent3);
    expect(items).toEqual([
      expect.objectContaining({
        kind: "mention",
        ticket_id: ticket.id,
        title: `#${ticket.number} Printer rusak`,
        body: "Siti Rahma mentioned you in an internal note.",
        params: { number: ticket.number, subject: "Printer rusak", author: "Siti Rahma" },
        read_at: null,
      }),
    ]);
    // Once: delivering again adds nothing; nobody else is told, the author neither.
    expect(await relay.runOnce()).toBe(0);
    expect(await mentionsOf(agent3)).toHaveLength(1);
    expect(await mentionsOf(agent2)).toEqual([]);
    expect(await mentionsOf(agent1)).toEqual([]);
  });

  it.each([
    ["a quoted full name", '@"Budi Santoso" bisa bantu?'],
    ["the name with dots, as the composer inserts it", "cc @Budi.Santoso, mohon dicek"],
    ["a unique first name", "@budi ini eskalasi dari pelanggan VIP"],
    ["the whole email", "minta tolong @agent3@test.local."],
  ])("%s mentions the agent", async (_, body) => {
    const ticket = await t.createTicket();
    expect((await post(t.people.agent1, ticket.id, { kind: "note", body })).status).toBe(201);
    expect(await mentionsOf(t.people.agent3)).toHaveLength(1);
  });

  it("a first name two staff share, an address inside text and an unknown handle mention nobody", async () => {
    const other = await t.db
      .insertInto("users")
      .values({
        email: "budi.h@test.local",
        name: "Budi Hartono",
        role: "agent",
        password_hash: null,
        created_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    try {
      const ticket = await t.createTicket();
      const note = await post(t.people.agent1, ticket.id, {
        kind: "note",
        body: "@Budi tolong lihat; kirim ke support@agent3 atau @nobody",
      });
      expect(note.status).toBe(201);
      expect(note.body.mentions).toEqual([]);
      expect(await mentionsOf(t.people.agent3)).toEqual([]);
    } finally {
      await t.db.deleteFrom("users").where("id", "=", other.id).execute();
    }
  });

  it("customers can never be mentioned, and public replies mention nobody", async () => {
    const { agent1, agent3, customer } = t.people;
    const ticket = await t.createTicket();
    const note = await post(agent1, ticket.id, {
      kind: "note",
      body: "@customer @customer@test.local sudah dihubungi?",
    });
    expect(note.status).toBe(201);
    expect(note.body.mentions).toEqual([]);
    const reply = await post(agent1, ticket.id, { kind: "reply", body: "Halo, @agent3 akan membantu Anda." });
    expect(reply.status).toBe(201);
    expect(reply.body.mentions).toEqual([]);
    expect(await mentionsOf(agent3)).toEqual([]);
    expect(await mentionsOf(customer)).toEqual([]);
  });

  it("a customer's note is refused as problem+json and notifies nobody", async () => {
    const ticket = await t.createTicket();
    const before = await t.count("messages");
    const res = await post(t.people.customer, ticket.id, { kind: "note", body: "@agent3 tolong" });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(await t.count("messages")).toBe(before);
    expect(await mentionsOf(t.people.agent3)).toEqual([]);
  });
});
