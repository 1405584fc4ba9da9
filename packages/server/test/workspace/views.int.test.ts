import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchPlan } from "../../src/tickets/ticket.repo.ts";
import { startTestApp, type Person, type TestApp } from "../harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const view = (extra: Record<string, unknown> = {}) => ({
  name: "Mendesak terbuka",
  filters: { queue: "all", status: "open", priority: "urgent", q: "login" },
  sort: "-priority",
  ...extra,
});
const create = (as: Person, body: unknown) => t.inject("POST", "/api/v1/views", { token: as.token, body });

describe("saved views", () => {
  it("an agent saves a personal view, reads it back with its filters and sort, renames and deletes it", async () => {
    const { agent1, agent2 } = t.people;
    const res = await create(agent1, view());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Mendesak terbuka",
      filters: { queue: "all", status: "open", priority: "urgent", q: "login" },
      sort: "-priority",
      shared: false,
      can_edit: true,
      owner: { id: agent1.id },
    });
    const list = await t.inject("GET", "/api/v1/views", { token: agent1.token });
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(res.body.id);
    // Personal: another agent neither sees nor changes it.
    const other = await t.inject("GET", "/api/v1/views", { token: agent2.token });
    expect(other.body.items.map((v: { id: string }) => v.id)).not.toContain(res.body.id);
    expect(
      (await t.inject("PATCH", `/api/v1/views/${res.body.id}`, { token: agent2.token, body: { name: "x" } })).status,
    ).toBe(404);

    const renamed = await t.inject("PATCH", `/api/v1/views/${res.body.id}`, {
      token: agent1.token,
      body: { name: "Urgent", sort: "number" },
    });
    expect(renamed.body).toMatchObject({ name: "Urgent", sort: "number", filters: { priority: "urgent" } });
    expect((await t.inject("DELETE", `/api/v1/views/${res.body.id}`, { token: agent1.token })).status).toBe(204);
    expect((await t.inject("GET", `/api/v1/views/${res.body.id}`, { token: agent1.token })).status).toBe(404);
  });

  it("shared views: supervisors create them, every agent sees them, agents cannot share or change them", async () => {
    const { agent1, supervisor } = t.people;
    const before = await t.count("saved_views");
    const refused = await create(agent1, view({ shared: true }));
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ path: ["shared"], message: "supervisors and admins only" }]);
    expect(await t.count("saved_views")).toBe(before);

    const shared = await create(
      supervisor,
      view({ name: "Tim: eskalasi", shared: true, filters: { queue: "escalated-to-me" } }),
    );
    expect(shared.status).toBe(201);
    const seen = await t.inject("GET", "/api/v1/views", { token: agent1.token });
    expect(seen.body.items.find((v: { id: string }) => v.id === shared.body.id)).toMatchObject({
      shared: true,
      can_edit: false,
    });
    expect(
      (await t.inject("PATCH", `/api/v1/views/${shared.body.id}`, { token: agent1.token, body: { name: "x" } })).status,
    ).toBe(403);
    expect((await t.inject("DELETE", `/api/v1/views/${shared.body.id}`, { token: agent1.token })).status).toBe(403);
  });

  it("each view's count is what it lists now: a ticket that arrives counts, one that leaves does not", async () => {
    const { agent1 } = t.people;
    const counts = async () => {
      const res = await t.inject("GET", "/api/v1/views/counts", { token: agent1.token });
      expect(res.status, res.text).toBe(200);
      return Object.fromEntries(
        (res.body.items as { id: string; count: number; capped: boolean }[]).map((i) => [i.id, i]),
      );
    };
    const mineUrgent = (
      await create(agent1, view({ name: "Saya mendesak", filters: { queue: "mine", priority: "urgent" } }))
    ).body.id as string;
    const word = (await create(agent1, view({ name: "Kata", filters: { queue: "all", q: "zamrud" } }))).body
      .id as string;
    const before = await counts();
    expect(before[mineUrgent]).toMatchObject({ capped: false });
    expect(before[word]).toEqual({ id: word, count: 0, capped: false });

    // Arrives: an urgent ticket routed to agent1 with the view's word in its subject.
    const a = await t.createTicket({ subject: "Kartu zamrud ditolak", priority: "urgent" });
    const b = await t.createTicket({ subject: "Kartu zamrud lagi", priority: "urgent" });
    const mine = async (id: string) =>
      (await t.inject("GET", `/api/v1/tickets/${id}`, { token: agent1.token })).body.assignee?.id === agent1.id;
    expect(await mine(a.id)).toBe(true);
    expect(await mine(b.id)).toBe(true);
    const arrived = await counts();
    expect(arrived[mineUrgent]!.count).toBe(before[mineUrgent]!.count + 2);
    expect(arrived[word]!.count).toBe(2);

    // Leaves: solved, it is no longer in the queue (open tickets) but a view of all tickets still finds it;
    // a priority change takes the other out of the urgent view.
    const solved = await t.inject("PATCH", `/api/v1/tickets/${a.id}`, {
      body: { status: "solved", resolution_code: "answered" },
    });
    expect(solved.status, solved.text).toBe(200);
    expect((await t.inject("PATCH", `/api/v1/tickets/${b.id}`, { body: { priority: "low" } })).status).toBe(200);
    const after = await counts();
    expect(after[mineUrgent]!.count).toBe(before[mineUrgent]!.count);
    expect(after[word]!.count).toBe(2);

    // Counted alike when the word is taken for a common one (every row probed, not its matches listed).
    searchPlan.fewMatches = 0;
    expect((await counts())[word]!.count).toBe(2);
    searchPlan.fewMatches = 2000;

    // The list the console shows for the queue has as many tickets as the count says.
    const listed = await t.inject("GET", "/api/v1/queues/mine", { token: agent1.token });
    const urgent = (listed.body.items as { priority: string }[]).filter((i) => i.priority === "urgent");
    expect(urgent.length).toBe(after[mineUrgent]!.count);
  });

  it("a customer gets 403", async () => {
    const before = await t.count("saved_views");
    expect((await t.inject("GET", "/api/v1/views", { token: t.people.customer.token })).status).toBe(403);
    expect((await t.inject("GET", "/api/v1/views/counts", { token: t.people.customer.token })).status).toBe(403);
    expect((await create(t.people.customer, view())).status).toBe(403);
    expect(await t.count("saved_views")).toBe(before);
  });

  it.each([
    ["an empty name", view({ name: "" }), ["name"]],
    ["an unknown sort", view({ sort: "subject" }), ["sort"]],
    ["an unknown queue", view({ filters: { queue: "everything" } }), ["filters", "queue"]],
    ["an unknown filter", view({ filters: { queue: "all", colour: "red" } }), ["filters", "colour"]],
  ])("%s is a 422 naming the field; nothing written", async (_what, body, path) => {
    const before = await t.count("saved_views");
    const res = await create(t.people.agent1, body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: unknown[] }) => JSON.stringify(e.path))).toContain(JSON.stringify(path));
    expect(await t.count("saved_views")).toBe(before);
  });
});
