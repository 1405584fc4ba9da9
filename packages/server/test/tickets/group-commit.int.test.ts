import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketHook } from "../../src/tickets/ticket-hooks.ts";
import { startTestApp, type TestApp } from "../harness.ts";
import { createPolicy } from "../sla/helpers.ts";

// Concurrent creations share transactions (group commit). What each requester sees must be what
// a creation of their own would give: their ticket once, with its events, clocks and routing, and
// no error of a neighbour's.

let t: TestApp;
let policyId = "";
beforeAll(async () => {
  t = await startTestApp();
  // Routing gives a tier's tickets only to agents of that tier: here the supervisor works as a
  // tier-1 agent of Frontline, so new tickets spread over two agents.
  await t.db.updateTable("agent_profiles").set({ tier: 1 }).where("user_id", "=", t.people.supervisor.id).execute();
  ({ id: policyId } = await createPolicy(t, {
    calendar_id: null,
    targets: {
      medium: { first_response: 60, next_response: 120, resolution: 480 },
      urgent: { first_response: 15, next_response: 30, resolution: 120 },
    },
  }));
});
afterAll(async () => t?.close());

const body = (subject: string, extra: Record<string, unknown> = {}) => ({
  subject,
  description: "Dikirim bersamaan dengan yang lain",
  requester: { email: "serentak@example.com" },
  ...extra,
});

/** A hook the test adds for one case, removed after it. */
async function withHook<T>(hook: TicketHook, run: () => Promise<T>): Promise<T> {
  t.services.hooks.push(hook);
  try {
    return await run();
  } finally {
    t.services.hooks.splice(t.services.hooks.indexOf(hook), 1);
  }
}

const ticketsWithSubject = async (subject: string) =>
  (await t.db.selectFrom("tickets").select("id").where("subject", "=", subject).execute()).length;

describe("concurrent ticket creation", () => {
  it("gives each of many concurrent tickets its number, timeline, clocks and timers, and spreads them over the agents", async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => t.inject("POST", "/api/v1/tickets", { body: body(`Bersamaan ${i}`) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(201));
    const ids = results.map((r) => r.body.id as string);
    expect(new Set(results.map((r) => r.body.number)).size).toBe(24);
    for (const r of results) {
      expect(r.body.sla.clocks.map((c: { target: string }) => c.target)).toContain("first_response");
      expect(r.body.assignee).not.toBeNull();
    }

    const events = await t.db
      .selectFrom("ticket_events")
      .select(["ticket_id", "type"])
      .where("ticket_id", "in", ids)
      .orderBy("id")
      .execute();
    for (const id of ids)
      expect(events.filter((e) => e.ticket_id === id).map((e) => e.type)).toEqual(["ticket.created", "assigned"]);
    const planned = await t.db
      .selectFrom("tickets")
      .select(["id", "next_due_at", "next_due_target"])
      .where("id", "in", ids)
      .execute();
    const timers = await t.db
      .selectFrom("timers")
      .select("ticket_id")
      .where("ticket_id", "in", ids)
      .where("fired_at", "is", null)
      .execute();
    for (const id of ids) {
      expect(planned.find((c) => c.id === id)).toMatchObject({ next_due_target: "first_response" });
      expect(timers.some((c) => c.ticket_id === id)).toBe(true);
    }
    // The ticket row names its policy and when it entered its tier, as the SLA part planned.
    const rows = await t.db
      .selectFrom("tickets")
      .select(["sla_policy_id", "tier_entered_at", "created_at"])
      .where("id", "in", ids)
      .execute();
    for (const row of rows) {
      expect(row.sla_policy_id).toBe(policyId);
      expect(row.tier_entered_at?.getTime()).toBe(row.created_at.getTime());
    }

    // Lowest load first: tickets routed in one transaction see the ones routed before them.
    const loads = new Map<string, number>();
    for (const r of results) loads.set(r.body.assignee.id, (loads.get(r.body.assignee.id) ?? 0) + 1);
    expect([...loads.keys()].sort()).toEqual([t.people.agent1.id, t.people.supervisor.id].sort());
    expect(Math.abs(loads.get(t.people.agent1.id)! - loads.get(t.people.supervisor.id)!)).toBeLessThanOrEqual(1);
    const marks = await t.db
      .selectFrom("agent_profiles")
      .select("last_assigned_at")
      .where("user_id", "in", [t.people.agent1.id, t.people.supervisor.id])
      .execute();
    expect(marks.every((m) => m.last_assigned_at !== null)).toBe(true);
  });

  it("refuses a bad creation alone: its neighbours are created, it writes nothing (not even its new requester)", async () => {
    const usersBefore = await t.count("users");
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => t.inject("POST", "/api/v1/tickets", { body: body(`Tetangga ${i}`) })),
      t.inject("POST", "/api/v1/tickets", {
        body: body("Kategori salah", { category: "tidak-ada", requester: { email: "hantu@example.com" } }),
      }),
    ]);
    expect(results.slice(0, 5).map((r) => r.status)).toEqual(Array(5).fill(201));
    const bad = results[5]!;
    expect(bad.status).toBe(422);
    expect(bad.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(["category"]);
    expect(await ticketsWithSubject("Kategori salah")).toBe(0);
    expect(await t.count("users")).toBe(usersBefore);
  });

  it("keeps a failing change from taking its neighbours down: the others are written once each", async () => {
    const failing: TicketHook = async (_trx, change) => {
      if (change.ticket.subject === "Selalu gagal") throw new Error("simulated failure");
    };
    const subjects = ["Selalu gagal", ...Array.from({ length: 7 }, (_, i) => `Tetap jalan ${i}`)];
    const results = await withHook(failing, () =>
      Promise.all(subjects.map((s) => t.inject("POST", "/api/v1/tickets", { body: body(s) }))),
    );
    expect(results[0]!.status).toBe(500);
    expect(results.slice(1).map((r) => r.status)).toEqual(Array(7).fill(201));
    expect(await ticketsWithSubject("Selalu gagal")).toBe(0);
    for (const s of subjects.slice(1)) expect(await ticketsWithSubject(s)).toBe(1);
  });

  it("retries the others after a group's transaction failed once, so nothing is lost or written twice", async () => {
    let thrown = 0;
    const once: TicketHook = async (_trx, change) => {
      if (change.ticket.subject.startsWith("Sekali") && thrown === 0) {
        thrown++;
        throw new Error("simulated lost connection");
      }
    };
    const subjects = Array.from({ length: 10 }, (_, i) => `Sekali ${i}`);
    const results = await withHook(once, () =>
      Promise.all(subjects.map((s) => t.inject("POST", "/api/v1/tickets", { body: body(s) }))),
    );
    expect(thrown).toBe(1);
    // The one change that met the failure alone (a group of one is not retried) is the only one that may fail.
    expect(results.filter((r) => r.status !== 201).length).toBeLessThanOrEqual(1);
    for (const [i, s] of subjects.entries())
      expect(await ticketsWithSubject(s)).toBe(results[i]!.status === 201 ? 1 : 0);
    const created = await sql<{ n: number }>`
      select count(*)::int as n from ticket_events e join tickets k on k.id = e.ticket_id
      where e.type = 'ticket.created' and k.subject like 'Sekali %'`.execute(t.db);
    expect(created.rows[0]!.n).toBe(results.filter((r) => r.status === 201).length);
  });

  it("plans each ticket from its latest state when a rule changes it inside the group's transaction", async () => {
    const rule = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "Darurat → urgent",
        event: "ticket.created",
        conditions: { all: [{ field: "subject", op: "contains", value: "darurat" }] },
        actions: [{ type: "set_priority", priority: "urgent" }],
      },
    });
    expect(rule.status, rule.text).toBe(201);
    try {
      const subjects = Array.from({ length: 8 }, (_, i) => (i % 2 ? `Darurat ${i}` : `Biasa ${i}`));
      const results = await Promise.all(subjects.map((s) => t.inject("POST", "/api/v1/tickets", { body: body(s) })));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      for (const [i, r] of results.entries()) {
        const urgent = i % 2 === 1;
        expect(r.body.priority).toBe(urgent ? "urgent" : "medium");
        // The queues sort by the ticket's nearest deadline: the first response, planned under the rule's priority.
        const stored = await t.db
          .selectFrom("tickets")
          .select(["next_due_at", "next_due_target", "created_at"])
          .where("id", "=", r.body.id)
          .executeTakeFirstOrThrow();
        expect(stored.next_due_target).toBe("first_response");
        const minutes = (stored.next_due_at!.getTime() - stored.created_at.getTime()) / 60_000;
        expect(minutes).toBe(urgent ? 15 : 60);
        const shown = r.body.sla.clocks.find((c: { target: string }) => c.target === "first_response");
        expect(new Date(shown.due_at).getTime()).toBe(stored.next_due_at!.getTime());
      }
    } finally {
      await t.inject("DELETE", `/api/v1/escalation-rules/${rule.body.id}`);
    }
  });
});
