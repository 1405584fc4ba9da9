import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type Person, type TestApp } from "../harness.ts";

// A ticket nobody could take waits in its group's queue, and goes to an agent as soon as one fits:
// when they come online, get more room, or a person's change frees them.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const profile = (p: Person, agent: Record<string, unknown>) =>
  t.inject("PATCH", `/api/v1/users/${p.id}`, { body: { agent } });
const assigneeOf = async (id: string) => (await t.inject("GET", `/api/v1/tickets/${id}`)).body.assignee?.id ?? null;
const eventsOf = async (id: string) =>
  (await t.inject("GET", `/api/v1/tickets/${id}/events`)).body.items as { type: string; data: any }[];

beforeEach(async () => {
  // Frontline: agent1 and the supervisor; nobody online, so new tickets wait.
  await profile(t.people.supervisor, { presence: "offline" });
  await profile(t.people.agent1, { presence: "offline", capacity: 20 });
  await t.db.updateTable("tickets").set({ status: "closed" }).execute(); // an empty queue for each case
});

describe("the group queue", () => {
  it("gives a waiting ticket to an agent coming online, with an assigned event", async () => {
    const ticket = await t.createTicket();
    expect(await assigneeOf(ticket.id)).toBeNull();
    // The agent says so themselves, from the console.
    const me = await t.inject("PATCH", "/api/v1/me", { token: t.people.agent1.token, body: { presence: "online" } });
    expect(me.status, me.text).toBe(200);
    expect(await assigneeOf(ticket.id)).toBe(t.people.agent1.id);
    const assigned = (await eventsOf(ticket.id)).filter((e) => e.type === "assigned");
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.data).toMatchObject({
      assignee_id: t.people.agent1.id,
      by: "routing",
      reason: "agent_available",
    });
  });

  it("fills an agent up to capacity, most urgent first, and leaves the rest waiting", async () => {
    const low = await t.createTicket({ priority: "low" });
    const urgent = await t.createTicket({ priority: "urgent" });
    const medium = await t.createTicket({ priority: "medium" });
    await profile(t.people.agent1, { presence: "online", capacity: 2 });
    expect(await assigneeOf(urgent.id)).toBe(t.people.agent1.id);
    expect(await assigneeOf(medium.id)).toBe(t.people.agent1.id);
    expect(await assigneeOf(low.id)).toBeNull();
  });

  it("hands the next waiting ticket to an agent whose solved ticket freed a place", async () => {
    await profile(t.people.agent1, { presence: "online", capacity: 1 });
    const first = await t.createTicket();
    expect(await assigneeOf(first.id)).toBe(t.people.agent1.id);
    const second = await t.createTicket();
    expect(await assigneeOf(second.id)).toBeNull(); // at capacity: it waits
    const solved = await t.inject("PATCH", `/api/v1/tickets/${first.id}`, {
      token: t.people.agent1.token,
      body: { status: "solved", resolution_code: "answered" },
    });
    expect(solved.status, solved.text).toBe(200);
    expect(await assigneeOf(second.id)).toBe(t.people.agent1.id);
  });

  it("does not give an offline agent anything, nor a ticket in a language they do not speak", async () => {
    const english = await t.createTicket({ language: "en" });
    await profile(t.people.agent1, { languages: ["id"] }); // still offline
    expect(await assigneeOf(english.id)).toBeNull();
    await profile(t.people.agent1, { presence: "online" });
    expect(await assigneeOf(english.id)).toBeNull();
    await profile(t.people.agent1, { languages: ["id", "en"] });
    expect(await assigneeOf(english.id)).toBe(t.people.agent1.id);
  });
});
