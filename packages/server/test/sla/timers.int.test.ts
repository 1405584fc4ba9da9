import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../src/auth/actor.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { clockOf, createPolicy, eventsOf, fireAll, plannedTimers, slaBlock, timersOf, wib } from "./helpers.ts";

const clock = manualClock(wib(2, "09:00"));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
  // 24/7: minutes are wall-clock minutes, which keeps the arithmetic below plain.
  await createPolicy(t, {
    name: "Always",
    calendar_id: null,
    targets: { medium: { first_response: 60, periodic_update: 120 } },
    tier_budgets: {},
    idle_minutes: 30,
  });
  await fireAll(t);
});
afterAll(async () => t?.close());

const iso = (d: Date) => d.toISOString();
const reply = (ticketId: string, body: Record<string, unknown> = {}) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
    token: t.people.agent1.token,
    body: { kind: "reply", body: "Sudah kami cek", ...body },
  });
const escalate = (ticketId: string) =>
  t.services.events.record(
    SYSTEM_ACTOR,
    ticketId,
    [{ type: "escalated", at: clock.now(), data: { from_tier: 1, to_tier: 2 } }],
    clock.now(),
    {
      set: { tier: 2, group_id: t.groups.technical, escalated_at: clock.now() },
    },
  );

describe("ticket.idle", () => {
  it("fires once per spell of N business minutes without an agent reply, and not while waiting on the customer", async () => {
    clock.set(wib(2, "09:00"));
    const ticket = await t.createTicket();
    expect((await timersOf(t, ticket.id)).filter((x) => x.kind === "ticket.idle").map((x) => x.due_at)).toEqual([
      wib(2, "09:30"),
    ]);
    clock.set(wib(2, "09:10"));
    await reply(ticket.id);
    expect((await timersOf(t, ticket.id)).filter((x) => x.kind === "ticket.idle").map((x) => x.due_at)).toEqual([
      wib(2, "09:40"),
    ]);
    clock.set(wib(2, "09:40"));
    await fireAll(t);
    await fireAll(t);
    const idle = await eventsOf(t, ticket.id, ["ticket.idle"]);
    expect(idle.map((e) => e.data)).toEqual([
      { minutes: 30, since: iso(wib(2, "09:10")), due_at: iso(wib(2, "09:40")) },
    ]);
    expect(idle[0]!.actor_kind).toBe("sla_timer");
    expect((await timersOf(t, ticket.id)).filter((x) => x.kind === "ticket.idle")).toEqual([]);
    clock.set(wib(2, "09:50"));
    await reply(ticket.id, { status: "pending" });
    expect((await timersOf(t, ticket.id)).filter((x) => x.kind === "ticket.idle")).toEqual([]);
  });
});

describe("the periodic update while escalated", () => {
  it("runs from the escalation, restarts at each reply or automatic update, and comes due as sla.periodic_update", async () => {
    clock.set(wib(2, "09:00"));
    const ticket = await t.createTicket();
    clock.set(wib(2, "09:10"));
    await reply(ticket.id);
    expect(clockOf(await slaBlock(t, ticket.id), "periodic_update")).toBeUndefined();
    clock.set(wib(2, "09:30"));
    await escalate(ticket.id);
    expect(clockOf(await slaBlock(t, ticket.id), "periodic_update")).toMatchObject({
      state: "active",
      started_at: iso(wib(2, "09:30")),
      due_at: iso(wib(2, "11:30")),
    });
    const periodic = (await plannedTimers(t, ticket.id)).filter((x) => x.data.target === "periodic_update");
    expect(periodic.map((x) => [x.kind, x.due_at.toISOString()])).toEqual([
      ["sla.warning", iso(wib(2, "10:30"))],
      ["sla.warning", iso(wib(2, "11:00"))],
      ["sla.periodic_update", iso(wib(2, "11:30"))],
    ]);

    clock.set(wib(2, "11:30"));
    await fireAll(t);
    const due = await eventsOf(t, ticket.id, ["sla.breached"]);
    expect(due.map((e) => e.data)).toEqual([
      {
        target: "periodic_update",
        started_at: iso(wib(2, "09:30")),
        due_at: iso(wib(2, "11:30")),
        next_due_at: iso(wib(2, "13:30")),
      },
    ]);
    expect(clockOf(await slaBlock(t, ticket.id), "periodic_update")).toMatchObject({
      state: "active",
      started_at: iso(wib(2, "11:30")),
      due_at: iso(wib(2, "13:30")),
    });

    clock.set(wib(2, "12:00"));
    await reply(ticket.id);
    expect(clockOf(await slaBlock(t, ticket.id), "periodic_update")).toMatchObject({
      started_at: iso(wib(2, "12:00")),
      due_at: iso(wib(2, "14:00")),
    });
  });
});

describe("the sla block for customers", () => {
  it("hides the internal policy name and the tiers' budgets", async () => {
    clock.set(wib(2, "09:00"));
    const ticket = await t.createTicket();
    await escalate(ticket.id);
    const staff = (await t.services.ticketExtras!.sla!(ticket.id)) as any;
    const customer = await (t.services.ticketExtras!.sla as (id: string, viewer: { role: string }) => Promise<any>)(
      ticket.id,
      { role: "customer" },
    );
    expect(staff.policy).toMatchObject({ name: "Always" });
    expect(customer.policy).toBeNull();
    expect(customer.clocks.map((c: { target: string }) => c.target)).toEqual(
      staff.clocks.map((c: { target: string }) => c.target).filter((x: string) => x !== "tier_budget"),
    );
  });
});
