import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyPlugin } from "kysely";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { slaOf } from "../../src/sla/compose-sla.ts";
import { createSlaConfigCache } from "../../src/sla/sla-config.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import {
  clockOf,
  createCalendar,
  createPolicy,
  eventsOf,
  fireAll,
  ledgerOf,
  plannedTimers,
  slaBlock,
  timersOf,
  wib,
  worker,
} from "./helpers.ts";

const clock = manualClock(wib(2, "09:00"));
let t: TestApp;
let policy: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp({ clock });
  const cal = await createCalendar(t);
  policy = await createPolicy(t, { name: "Standar", calendar_id: cal.id });
  await fireAll(t); // the recompute job a new policy starts
});
afterAll(async () => t?.close());

const at = (d: Date) => clock.set(d);
const iso = (d: Date) => d.toISOString();
const reply = (ticketId: string, body: Record<string, unknown>, token = t.people.agent1.token) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
    token,
    body: { kind: "reply", body: "Sudah kami cek", ...body },
  });

describe("a ticket under a policy", () => {
  it("gets its clocks, its explanation and its timers", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    const sla = await slaBlock(t, ticket.id);
    expect(sla.policy).toEqual({ id: policy.id, name: "Standar" });
    expect(clockOf(sla, "first_response")).toMatchObject({
      state: "active",
      started_at: iso(wib(2, "09:00")),
      due_at: iso(wib(2, "10:00")),
      remaining_minutes: 60,
    });
    // 480 business minutes: 09-12 and 13-17 on Monday (420), then 08-09 on Tuesday.
    expect(clockOf(sla, "resolution")).toMatchObject({ state: "active", due_at: iso(wib(3, "09:00")) });
    expect(clockOf(sla, "tier_budget")).toMatchObject({ tier: 1, due_at: iso(wib(2, "11:00")) });
    expect(clockOf(sla, "resolution")!.explanation.en).toBe(
      "due Tue 09:00 WIB: 8 business hours from Mon 09:00; closed 12:00-13:00, 17:00-08:00",
    );

    // The whole ladder is planned; only its earliest instant is a timer row (firing it sets the next).
    const timers = await plannedTimers(t, ticket.id);
    expect(timers.map((x) => [x.kind, x.data.target, x.data.threshold ?? null, x.due_at.toISOString()])).toEqual([
      ["sla.warning", "first_response", 0.5, iso(wib(2, "09:30"))],
      ["sla.warning", "first_response", 0.75, iso(wib(2, "09:45"))],
      ["sla.breached", "first_response", null, iso(wib(2, "10:00"))],
      ["tier.budget_exceeded", "tier_budget", null, iso(wib(2, "11:00"))],
      ["sla.warning", "resolution", 0.5, iso(wib(2, "14:00"))],
      ["sla.warning", "resolution", 0.75, iso(wib(2, "16:00"))],
      ["sla.breached", "resolution", null, iso(wib(3, "09:00"))],
    ]);
    expect(timers.every((x) => x.key.startsWith(`sla:${ticket.id}:`))).toBe(true);
    expect((await timersOf(t, ticket.id)).map((x) => [x.kind, x.key, x.due_at])).toEqual([
      [timers[0]!.kind, timers[0]!.key, wib(2, "09:30")],
    ]);
    // The ticket carries its policy, its tier entry and its nearest deadline (what the queues sort by).
    const row = await t.db
      .selectFrom("tickets")
      .select(["sla_policy_id", "tier_entered_at", "next_due_at", "next_due_target"])
      .where("id", "=", ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      sla_policy_id: policy.id,
      tier_entered_at: wib(2, "09:00"),
      next_due_at: wib(2, "10:00"),
      next_due_target: "first_response",
    });
    expect((await slaBlock(t, ticket.id)).clocks.map((c) => [c.target, c.state, c.due_at])).toEqual([
      ["first_response", "active", iso(wib(2, "10:00"))],
      ["resolution", "active", iso(wib(3, "09:00"))],
      ["tier_budget", "active", iso(wib(2, "11:00"))],
    ]);
  });

  it("pending pauses the clock and moves the deadline by exactly the paused business time; a reply achieves first response", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    at(wib(2, "09:10"));
    expect((await reply(ticket.id, { status: "pending" })).status).toBe(201);
    let sla = await slaBlock(t, ticket.id);
    expect(clockOf(sla, "first_response")).toMatchObject({
      state: "achieved",
      achieved_at: iso(wib(2, "09:10")),
      remaining_minutes: null,
    });
    expect(clockOf(sla, "resolution")).toMatchObject({ state: "paused" });
    expect(sla.pauses).toEqual([{ from: iso(wib(2, "09:10")), to: null, reason: "pending" }]);
    // Nothing to act on while paused; the answered target's timers are gone.
    expect(await timersOf(t, ticket.id)).toEqual([]);

    at(wib(2, "10:10"));
    expect((await reply(ticket.id, { body: "Masih belum bisa" }, t.people.customer.token)).status).toBe(201);
    sla = await slaBlock(t, ticket.id);
    expect(clockOf(sla, "resolution")).toMatchObject({
      state: "active",
      due_at: iso(wib(3, "10:00")),
      paused_minutes: 60,
    });
    expect(sla.pauses).toEqual([{ from: iso(wib(2, "09:10")), to: iso(wib(2, "10:10")), reason: "pending" }]);
    // The customer's message after the agent's reply starts a next-response clock: 120 minutes over lunch.
    expect(clockOf(sla, "next_response")).toMatchObject({
      state: "active",
      started_at: iso(wib(2, "10:10")),
      due_at: iso(wib(2, "13:10")),
    });
    expect(clockOf(sla, "resolution")!.explanation.en).toContain("paused 1 business hour");
    const kinds = (await plannedTimers(t, ticket.id)).map((x) => `${x.kind}:${x.data.target}`);
    expect(kinds).not.toContain("sla.breached:first_response");
    expect(kinds).toContain("sla.breached:next_response");
    expect(kinds).toContain("sla.breached:resolution");
  });

  it("a breach timer fired after the reply does nothing", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    const breach = (await plannedTimers(t, ticket.id)).find(
      (x) => x.kind === "sla.breached" && x.data.target === "first_response",
    )!;
    at(wib(2, "09:20"));
    await reply(ticket.id, {});
    expect((await plannedTimers(t, ticket.id)).some((x) => x.key === breach.key)).toBe(false);
    expect((await timersOf(t, ticket.id)).some((x) => (x.data as any).target === "first_response")).toBe(false);
    // As if a worker had held that row while the reply was written: it is still there and comes due.
    await t.db
      .insertInto("timers")
      .values({
        ticket_id: ticket.id,
        kind: breach.kind,
        key: breach.key,
        due_at: breach.due_at,
        data: JSON.stringify(breach.data),
      })
      .execute();
    at(wib(2, "10:05"));
    await fireAll(t);
    expect(await eventsOf(t, ticket.id, ["sla.breached", "sla.warning"])).toEqual([]);
    expect(clockOf(await slaBlock(t, ticket.id), "first_response")).toMatchObject({
      state: "achieved",
      breached_at: null,
    });
  });

  it("warnings and the breach are recorded once each, by the SLA timer, and the clock remembers them", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    at(wib(2, "09:30"));
    await fireAll(t);
    await fireAll(t);
    at(wib(2, "09:45"));
    await fireAll(t);
    expect(clockOf(await slaBlock(t, ticket.id), "first_response")!.state).toBe("warning");
    at(wib(2, "10:00"));
    await fireAll(t);
    await fireAll(t);
    const events = await eventsOf(t, ticket.id, ["sla.warning", "sla.breached"]);
    expect(events.map((e) => [e.type, e.data.target, e.data.threshold ?? null, e.actor_kind])).toEqual([
      ["sla.warning", "first_response", 0.5, "sla_timer"],
      ["sla.warning", "first_response", 0.75, "sla_timer"],
      ["sla.breached", "first_response", null, "sla_timer"],
    ]);
    expect(events[2]!.data).toMatchObject({ due_at: iso(wib(2, "10:00")), started_at: iso(wib(2, "09:00")) });
    expect(clockOf(await slaBlock(t, ticket.id), "first_response")).toMatchObject({
      state: "breached",
      breached_at: iso(wib(2, "10:00")),
    });
    // Still running (no reply yet), the breached first response stays the ticket's nearest deadline.
    const row = await t.db
      .selectFrom("tickets")
      .select(["next_due_at", "next_due_target"])
      .where("id", "=", ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ next_due_at: wib(2, "10:00"), next_due_target: "first_response" });

    // The same timer delivered twice (a retry) finds its level recorded and does nothing.
    const fired = await t.db
      .selectFrom("timers")
      .select(["id", "ticket_id", "kind", "key", "due_at", "data"])
      .where("ticket_id", "=", ticket.id)
      .where("kind", "=", "sla.breached")
      .where("fired_at", "is not", null)
      .executeTakeFirstOrThrow();
    await t.db
      .transaction()
      .execute((trx) =>
        t.services.timerHandlers.get("sla.breached")!(
          trx,
          { ...fired, data: fired.data as Record<string, unknown> },
          clock.now(),
        ),
      );
    expect(await eventsOf(t, ticket.id, ["sla.breached"])).toHaveLength(1);

    // An agent's late reply stops the clock; it stays breached.
    at(wib(2, "10:20"));
    await reply(ticket.id, {});
    expect(clockOf(await slaBlock(t, ticket.id), "first_response")).toMatchObject({
      state: "breached",
      achieved_at: iso(wib(2, "10:20")),
      breached_at: iso(wib(2, "10:00")),
    });

    at(wib(2, "11:00"));
    await fireAll(t);
    expect((await eventsOf(t, ticket.id, ["tier.budget_exceeded"])).map((e) => e.data)).toEqual([
      expect.objectContaining({ target: "tier_budget", tier: 1, minutes: 120, due_at: iso(wib(2, "11:00")) }),
    ]);
  });

  it("a worker that was down fires what came due, oldest first, and announces only the latest level", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    at(wib(2, "10:30"));
    await fireAll(t);
    expect(
      (await eventsOf(t, ticket.id, ["sla.warning", "sla.breached"])).map((e) => `${e.type}:${e.data.target}`),
    ).toEqual(["sla.breached:first_response"]);
  });

  it("a tier change starts a new tier-budget clock", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    at(wib(2, "09:30"));
    await t.services.events.record(
      SYSTEM_ACTOR,
      ticket.id,
      [{ type: "escalated", at: clock.now(), data: { from_tier: 1, to_tier: 2 } }],
      clock.now(),
      {
        set: { tier: 2, group_id: t.groups.technical, escalated_at: clock.now() },
      },
    );
    const sla = await slaBlock(t, ticket.id);
    // 240 minutes of tier 2's budget from 09:30, over lunch.
    expect(clockOf(sla, "tier_budget")).toMatchObject({
      tier: 2,
      started_at: iso(wib(2, "09:30")),
      due_at: iso(wib(2, "14:30")),
      state: "active",
    });
    const tierTimers = (await plannedTimers(t, ticket.id)).filter((x) => x.kind === "tier.budget_exceeded");
    expect(tierTimers.map((x) => [x.data.tier, x.due_at.toISOString()])).toEqual([[2, iso(wib(2, "14:30"))]]);
    expect(
      (await t.db.selectFrom("tickets").select("tier_entered_at").where("id", "=", ticket.id).executeTakeFirstOrThrow())
        .tier_entered_at,
    ).toEqual(wib(2, "09:30"));
  });

  it("customers see their promised targets without the policy name or tier budgets", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    const sla = await slaBlock(t, ticket.id, t.people.customer.token);
    expect(sla.policy === null || sla.policy.name === "Standar").toBe(true);
    expect(sla.clocks.some((c) => c.target === "first_response")).toBe(true);
  });

  it("keeps the ledger incrementally equal to one rebuilt from the timeline", async () => {
    at(wib(2, "09:00"));
    const ticket = await t.createTicket();
    at(wib(2, "09:05"));
    await reply(ticket.id, { status: "pending" });
    at(wib(2, "09:50"));
    await reply(ticket.id, { body: "ini datanya" }, t.people.customer.token);
    at(wib(2, "10:00"));
    await reply(ticket.id, { kind: "note", body: "catatan internal" });
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { status: "on_hold" } });
    at(wib(2, "10:30"));
    await t.inject("PATCH", `/api/v1/tickets/${ticket.id}`, { body: { status: "open", priority: "high" } });
    const incremental = await ledgerOf(t, ticket.id);
    const sla = slaOf(t.services);
    await t.db
      .deleteFrom("ticket_sla" as never)
      .where("ticket_id" as never, "=", ticket.id as never)
      .execute();
    await t.db.transaction().execute(async (trx) => {
      const config = await sla.cache.reload(trx);
      const { lockTickets } = await import("../../src/sla/sla.repo.ts");
      const { sql } = await import("kysely");
      const [locked] = await lockTickets(trx, sql`t.id = ${ticket.id}`, 1);
      await sla.engine.replan(trx, config, locked!, clock.now());
    });
    const rebuilt = await ledgerOf(t, ticket.id);
    expect({ ...rebuilt, rec: undefined }).toEqual({ ...incremental, rec: undefined });
  });
});

describe("the hook's cost", () => {
  it("uses at most 2 queries per ticket change, none for a change no clock reads", async () => {
    const sla = slaOf(t.services);
    const index = t.services.hooks.indexOf(sla.hook);
    expect(index).toBeGreaterThanOrEqual(0);
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    t.services.hooks[index] = (trx, change) => sla.hook(trx.withPlugin(counter), change);
    const measure = async (run: () => Promise<unknown>) => {
      queries = 0;
      await run();
      return queries;
    };
    try {
      at(wib(2, "09:00"));
      let id = "";
      const create = await measure(async () => (id = (await t.createTicket()).id));
      const tag = await measure(() => t.inject("PATCH", `/api/v1/tickets/${id}`, { body: { tags: ["vip-check"] } }));
      const agentReply = await measure(() => reply(id, { status: "pending" }));
      const customerReply = await measure(() => reply(id, { body: "oke" }, t.people.customer.token));
      const priority = await measure(() =>
        t.inject("PATCH", `/api/v1/tickets/${id}`, { body: { priority: "urgent" } }),
      );
      console.log(JSON.stringify({ sla_hook_queries: { create, tag, agentReply, customerReply, priority } }));
      expect(create).toBeLessThanOrEqual(2);
      expect(tag).toBe(0);
      expect(Math.max(agentReply, customerReply, priority)).toBeLessThanOrEqual(2);
    } finally {
      t.services.hooks[index] = sla.hook;
    }
  });
});

describe("the configuration cache", () => {
  it("never makes a transaction wait for a load that needs another connection", async () => {
    // On the embedded database the pool is one connection: a transaction that waited for a load
    // started outside it (by a GET) would wait forever. Each caller loads on its own executor.
    const cache = createSlaConfigCache({ ttlMs: null });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("stuck")), 10_000));
    let outside: Promise<unknown> = Promise.resolve();
    const inside = t.db.transaction().execute(async (trx) => {
      outside = cache.get(t.db);
      return (await cache.get(trx)).policies.length;
    });
    expect(await Promise.race([inside, timeout])).toBeGreaterThan(0);
    await Promise.race([outside, timeout]);
  });
});

describe("timer worker integration", () => {
  it("each SLA timer kind has a handler", () => {
    for (const kind of [
      "sla.warning",
      "sla.breached",
      "tier.budget_exceeded",
      "ticket.idle",
      "sla.periodic_update",
      "sla.recompute",
    ]) {
      expect(t.services.timerHandlers.has(kind)).toBe(true);
    }
    expect(worker(t)).toBeTruthy();
  });
});
