import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchPlan } from "../../src/tickets/ticket.repo.ts";
import { startTestApp, type Person, type TestApp } from "../harness.ts";
import { createCalendar, createPolicy, fireAll } from "../sla/helpers.ts";

// The agent console's queues hold what their names say, each with its total beside it; routing of
// an escalation lands with an agent of the target tier and group; search finds a ticket by who
// asked, their organisation and its tags as well as by its own words.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await createPolicy(t, { name: "Antrean", calendar_id: (await createCalendar(t)).id });
  // The supervisor (tier-2 agent profile) supervises Frontline and Technical, but an admin made
  // them an agent of Frontline only.
  const res = await t.inject("PATCH", `/api/v1/users/${t.people.supervisor.id}`, {
    body: { agent: { group_ids: [t.groups.frontline] } },
  });
  expect(res.status, res.text).toBe(200);
});
afterAll(async () => t?.close());

type Queue = "mine" | "group" | "breaching" | "escalated-to-me";

async function ids(name: Queue, who: Person): Promise<string[]> {
  const res = await t.inject("GET", `/api/v1/queues/${name}`, { token: who.token });
  expect(res.status, res.text).toBe(200);
  return (res.body.items as { id: string }[]).map((i) => i.id);
}

async function counts(who: Person): Promise<Record<Queue | "all", number>> {
  const res = await t.inject("GET", "/api/v1/queues/counts", { token: who.token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const setPresence = (who: Person, presence: "online" | "offline") =>
  t.db.updateTable("agent_profiles").set({ presence }).where("user_id", "=", who.id).execute();

const escalate = async (id: string, to: Record<string, unknown>, who: Person) => {
  const res = await t.inject("POST", `/api/v1/tickets/${id}/escalations`, {
    token: who.token,
    body: { to, reason: "too_complex", note: "Sudah dicek log-nya, butuh tingkat berikutnya." },
  });
  expect(res.status, res.text).toBe(201);
};

const patch = async (id: string, body: Record<string, unknown>) => {
  const res = await t.inject("PATCH", `/api/v1/tickets/${id}`, { body });
  expect(res.status, res.text).toBe(200);
};

/** Puts a ticket's nearest deadline `minutes` from now (what the SLA hook writes), for the breaching window. */
const dueIn = (id: string, minutes: number) =>
  t.db
    .updateTable("tickets")
    .set({ next_due_at: new Date(Date.now() + minutes * 60_000), next_due_target: "first_response" })
    .where("id", "=", id)
    .execute();

const ticketOf = async (id: string) => (await t.inject("GET", `/api/v1/tickets/${id}`)).body;

describe("routing", () => {
  it("gives a tier's tickets to agents of that tier and group: never to a supervisor of another tier", async () => {
    const { agent1, agent2, supervisor } = t.people;
    // New tickets land in Frontline: only the tier-1 agent takes them, though the tier-2 supervisor
    // is an agent of Frontline with less load.
    const created = [await t.createTicket(), await t.createTicket(), await t.createTicket()];
    for (const c of created) expect((await ticketOf(c.id)).assignee?.id).toBe(agent1.id);

    // Escalated to tier 2: the Technical agent gets it, not the supervisor who leads Technical.
    await escalate(created[0]!.id, { tier: 2 }, agent1);
    const after = await ticketOf(created[0]!.id);
    expect(after).toMatchObject({ tier: 2, group: { id: t.groups.technical }, assignee: { id: agent2.id } });
    expect(await ids("mine", supervisor)).not.toContain(created[0]!.id);
    expect(await ids("escalated-to-me", agent2)).toContain(created[0]!.id);
    for (const c of created) await patch(c.id, { status: "solved", resolution_code: "answered" });
  });
});

describe("the queues and their counts", () => {
  it("escalated to me: holds a ticket while its latest move left it with me, my group or my tier", async () => {
    const { agent1, agent2, agent3, supervisor } = t.people;
    const ticket = await t.createTicket({ subject: "Transfer gagal" });
    expect(await ids("escalated-to-me", agent2)).not.toContain(ticket.id);
    const before = await counts(agent2);

    // Arrives: tier 1 moves it to tier 2, routing gives it to agent2.
    await escalate(ticket.id, { tier: 2 }, agent1);
    expect(await ids("escalated-to-me", agent2)).toContain(ticket.id);
    // It is agent2's now: not the supervisor's, who reads it on the board.
    expect(await ids("escalated-to-me", supervisor)).not.toContain(ticket.id);
    expect((await counts(agent2))["escalated-to-me"]).toBe(before["escalated-to-me"] + 1);

    // Moves on to tier 3, where nobody is online: it waits in Engineering's queue. It leaves tier 2's
    // "escalated to me" (though agent2 was its last assignee) and arrives in tier 3's.
    await setPresence(agent3, "offline");
    await escalate(ticket.id, { tier: 3 }, agent2);
    expect((await ticketOf(ticket.id)).assignee).toBeNull();
    expect(await ids("escalated-to-me", agent2)).not.toContain(ticket.id);
    expect(await ids("escalated-to-me", supervisor)).not.toContain(ticket.id);
    expect((await counts(agent2))["escalated-to-me"]).toBe(before["escalated-to-me"]);
    expect(await ids("escalated-to-me", agent3)).toContain(ticket.id);
    expect(await ids("group", agent3)).toContain(ticket.id);

    // Solved: it leaves.
    await patch(ticket.id, { status: "solved", resolution_code: "answered" });
    expect(await ids("escalated-to-me", agent3)).not.toContain(ticket.id);
    expect(await ids("group", agent3)).not.toContain(ticket.id);
    await setPresence(agent3, "online");
  });

  it("mine, group and breaching: a ticket arrives and leaves, and every count is the queue's total", async () => {
    const { agent2 } = t.people;
    const start = await counts(agent2);

    // Waiting in Technical with its agent away: in agent2's group queue; breaching once its
    // deadline is within the hour, not while it is hours away.
    await setPresence(agent2, "offline");
    const waiting = await t.createTicket({ subject: "Aplikasi keluar sendiri" });
    await escalate(waiting.id, { tier: 2 }, t.people.agent1);
    expect(await ids("group", agent2)).toContain(waiting.id);
    await dueIn(waiting.id, 180);
    expect(await ids("breaching", agent2)).not.toContain(waiting.id);
    await dueIn(waiting.id, 30);
    expect(await ids("breaching", agent2)).toContain(waiting.id);
    expect(await ids("mine", agent2)).not.toContain(waiting.id);

    // Taken by agent2: leaves the group queue, arrives in mine.
    await setPresence(agent2, "online");
    await patch(waiting.id, { assignee_id: agent2.id });
    expect(await ids("group", agent2)).not.toContain(waiting.id);
    expect(await ids("mine", agent2)).toContain(waiting.id);
    const mid = await counts(agent2);
    expect(mid).toMatchObject({ mine: start.mine + 1, group: start.group, all: start.all + 1 });

    // Every count equals the queue's full list; the limit of a page does not change it.
    for (const name of ["mine", "group", "breaching", "escalated-to-me"] as const)
      expect(mid[name], name).toBe((await ids(name, agent2)).length);
    // The admin's breaching queue holds every ticket overdue or due within the hour; a page of one does not make the count 1.
    await dueIn((await t.createTicket({ subject: "Notifikasi tidak muncul" })).id, -5);
    await dueIn(waiting.id, 20);
    const page = await t.inject("GET", "/api/v1/queues/breaching", { query: { limit: "1" } });
    expect(page.body.items).toHaveLength(1);
    const withDeadline = await t.db
      .selectFrom("tickets")
      .select("id")
      .where("next_due_at", "<=", new Date(Date.now() + 60 * 60_000))
      .where("status", "not in", ["solved", "closed"])
      .execute();
    expect(withDeadline.length).toBeGreaterThan(1);
    expect((await counts(t.people.admin)).breaching).toBe(withDeadline.length);
    expect((await counts(agent2)).all).toBe(await t.count("tickets"));

    // Solved: it leaves mine and breaching; "all" still counts it.
    await patch(waiting.id, { status: "solved", resolution_code: "answered" });
    await fireAll(t);
    expect(await ids("mine", agent2)).not.toContain(waiting.id);
    expect(await ids("breaching", agent2)).not.toContain(waiting.id);
    expect(await counts(agent2)).toMatchObject({ mine: start.mine, all: start.all + 2 });
  });

  it("are for staff: a customer gets a 403 problem", async () => {
    const res = await t.inject("GET", "/api/v1/queues/counts", { token: t.people.customer.token });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });
});

describe("search", () => {
  it("finds tickets by the requester's name and email, the organisation's name, a tag, and their own words", async () => {
    const org = await t.db
      .insertInto("organizations")
      .values({ name: "PT Sinar Nusantara", domain: "sinar.example" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("users")
      .values({
        email: "Siti.Rahma@sinar.example",
        name: "Siti Rahmawati",
        role: "customer",
        organization_id: org.id,
        created_at: new Date(),
      })
      .execute();
    const hers = await t.createTicket(
      {
        subject: "Refund belum masuk",
        description: "Dana belum kembali ke rekening",
        requester: { email: "siti.rahma@sinar.example" },
        tags: ["Gold-Member"],
      },
      t.people.admin,
    );
    const other = await t.createTicket({ subject: "Password reset not received", description: "No email arrived" });

    const search = async (q: string) => {
      const res = await t.inject("GET", "/api/v1/tickets", { token: t.people.agent1.token, query: { q } });
      expect(res.status, res.text).toBe(200);
      return (res.body.items as { id: string }[]).map((i) => i.id);
    };
    // Both plans: the few matches listed by id, and (with the bar at 0) the walk of the sort index.
    for (const fewMatches of [2000, 0]) {
      searchPlan.fewMatches = fewMatches;
      for (const q of [
        "Rahmawati",
        "siti rahmawati",
        "siti.rahma@sinar.example",
        "SITI.RAHMA@SINAR.EXAMPLE",
        "Nusantara",
        "gold-member",
        "Gold-Member",
        "rekening",
      ])
        expect(await search(q), q).toEqual([hers.id]);
      expect(await search("password")).toContain(other.id);
      expect(await search("password")).not.toContain(hers.id);
    }
    searchPlan.fewMatches = 2000;
    expect(await search(`#${hers.number}`)).toEqual([hers.id]);
    expect(await search("Sinar Pelangi")).toEqual([]);
  });

  it("pages a common word's matches alike whether the next tickets hold a page of them or not", async () => {
    const made = [];
    for (const i of [1, 2, 3])
      made.push(await t.createTicket({ subject: `Kembang api ${i}`, description: "Pesanan kembang api belum tiba" }));
    await t.createTicket({ subject: "Lain hal", description: "Tidak terkait" });
    const page = async (cursor?: string) => {
      const res = await t.inject("GET", "/api/v1/tickets", {
        token: t.people.agent1.token,
        query: { q: "kembang", limit: "2", sort: "-created_at", ...(cursor ? { cursor } : {}) },
      });
      expect(res.status, res.text).toBe(200);
      return res.body as { items: { id: string }[]; next_cursor: string | null };
    };
    const newestFirst = made.map((m) => m.id).reverse();
    // nearest 1000: the first page comes from the next tickets; 1: too few, the other plans answer.
    for (const nearest of [1000, 1]) {
      searchPlan.nearest = nearest;
      const first = await page();
      expect(first.items.map((i) => i.id)).toEqual(newestFirst.slice(0, 2));
      const second = await page(first.next_cursor!);
      expect(second.items.map((i) => i.id)).toEqual(newestFirst.slice(2));
      expect(second.next_cursor).toBeNull();
    }
    searchPlan.nearest = 1000;
  });

  it("refuses a search text over the limit with a 422 problem", async () => {
    const res = await t.inject("GET", "/api/v1/tickets", { query: { q: "x".repeat(5000) } });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });
});
