import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeOpenTickets } from "../../src/sla/compose-sla.ts";
import { manualClock, startTestApp, type TestApp } from "../harness.ts";
import { clockOf, createCalendar, createPolicy, eventsOf, fireAll, plannedTimers, slaBlock, wib } from "./helpers.ts";

const clock = manualClock(wib(2, "09:00"));
let t: TestApp;
let calendarId: string;
let policyId: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  calendarId = (await createCalendar(t)).id;
  policyId = (await createPolicy(t, { name: "Standar", calendar_id: calendarId })).id;
  await fireAll(t);
});
afterAll(async () => t?.close());

const iso = (d: Date) => d.toISOString();
const reply = (ticketId: string, body: Record<string, unknown> = {}) =>
  t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
    token: t.people.agent1.token,
    body: { kind: "reply", body: "Sudah kami cek", ...body },
  });

describe("editing a calendar", () => {
  it("recomputes open tickets' deadlines in the background and leaves achieved and breached history", async () => {
    clock.set(wib(2, "09:00"));
    const unanswered = await t.createTicket();
    const answered = await t.createTicket();
    const solved = await t.createTicket();
    clock.set(wib(2, "09:30"));
    await reply(answered.id);
    await t.inject("PATCH", `/api/v1/tickets/${solved.id}`, {
      body: { status: "solved", resolution_code: "answered" },
    });
    clock.set(wib(2, "10:00"));
    await fireAll(t);
    expect(clockOf(await slaBlock(t, unanswered.id), "first_response")).toMatchObject({
      state: "breached",
      breached_at: iso(wib(2, "10:00")),
    });
    expect(clockOf(await slaBlock(t, unanswered.id), "resolution")!.due_at).toBe(iso(wib(3, "09:00")));

    // From now on the desk opens at 09:30 and works through to 18:00 without lunch.
    clock.set(wib(2, "10:15"));
    const late = {
      timezone: "Asia/Jakarta",
      weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:30", "18:00"]]])),
    };
    const patched = await t.inject("PATCH", `/api/v1/calendars/${calendarId}`, { body: { definition: late } });
    expect(patched.status).toBe(200);
    let jobs = (await t.inject("GET", "/api/v1/sla/recompute-jobs", { token: t.people.agent1.token })).body.items;
    expect(jobs[0]).toMatchObject({ kind: "calendar", target_id: calendarId, total: 2, done: 0, status: "queued" });

    await fireAll(t);
    jobs = (await t.inject("GET", "/api/v1/sla/recompute-jobs")).body.items;
    expect(jobs[0]).toMatchObject({
      kind: "calendar",
      total: 2,
      done: 2,
      status: "done",
      started_at: iso(wib(2, "10:15")),
      finished_at: iso(wib(2, "10:15")),
    });

    const sla = await slaBlock(t, unanswered.id);
    // Breached stays breached (the new calendar alone would make it due 10:30, not yet breached).
    expect(clockOf(sla, "first_response")).toMatchObject({ state: "breached", breached_at: iso(wib(2, "10:00")) });
    // 480 minutes from the 09:30 opening, no lunch: 17:30 the same day.
    expect(clockOf(sla, "resolution")).toMatchObject({ state: "active", due_at: iso(wib(2, "17:30")) });
    const resolutionBreach = (await plannedTimers(t, unanswered.id)).filter(
      (x) => x.kind === "sla.breached" && (x.data as any).target === "resolution",
    );
    expect(resolutionBreach.map((x) => x.due_at.toISOString())).toEqual([iso(wib(2, "17:30"))]);
    // Achieved history keeps the deadline it was achieved against.
    expect(clockOf(await slaBlock(t, answered.id), "first_response")).toMatchObject({
      state: "achieved",
      due_at: iso(wib(2, "10:00")),
      achieved_at: iso(wib(2, "09:30")),
    });
    // The recompute wrote no new timeline events.
    expect(await eventsOf(t, unanswered.id, ["sla.breached"])).toHaveLength(1);
  });

  it("moving a deadline into the past breaches the clock once, through a timer due at once", async () => {
    clock.set(wib(3, "09:00"));
    const ticket = await t.createTicket();
    clock.set(wib(3, "09:50"));
    const res = await t.inject("PATCH", `/api/v1/sla-policies/${policyId}`, {
      body: { targets: { medium: { first_response: 15, next_response: 120, resolution: 480 } } },
    });
    expect(res.status).toBe(200);
    await fireAll(t);
    const events = await eventsOf(t, ticket.id, ["sla.breached", "sla.warning"]);
    expect(events.map((e) => `${e.type}:${e.data.target}`)).toEqual(["sla.breached:first_response"]);
    expect(events[0]!.data.due_at).toBe(iso(wib(3, "09:45")));
    await fireAll(t);
    expect(await eventsOf(t, ticket.id, ["sla.breached"])).toHaveLength(1);
  });
});

describe("recomputeOpenTickets", () => {
  it("gives tickets created before any policy their clocks, rebuilt from the timeline", async () => {
    await t.inject("PATCH", `/api/v1/sla-policies/${policyId}`, { body: { enabled: false } });
    clock.set(wib(4, "09:00"));
    const ticket = await t.createTicket();
    clock.set(wib(4, "09:20"));
    await reply(ticket.id, { status: "pending" });
    expect((await slaBlock(t, ticket.id)).clocks).toEqual([]);
    await t.db.updateTable("sla_policies").set({ enabled: true }).where("id", "=", policyId).execute();
    const { slaOf } = await import("../../src/sla/compose-sla.ts");
    slaOf(t.services).cache.invalidate();
    clock.set(wib(4, "10:00"));
    const job = await recomputeOpenTickets(t.services);
    expect(job.done).toBeGreaterThanOrEqual(1);
    const sla = await slaBlock(t, ticket.id);
    expect(clockOf(sla, "first_response")).toMatchObject({ state: "achieved", achieved_at: iso(wib(4, "09:20")) });
    expect(sla.pauses).toEqual([{ from: iso(wib(4, "09:20")), to: null, reason: "pending" }]);
  });
});
