import { describe, expect, it } from "vitest";
import { wib } from "../calendar/test-calendars.ts";
import { computeClocks, type ClockTarget, type ClockTicket, type SlaPolicy } from "./index.ts";
import { customer, history, reply, STANDARD, ticket } from "./test-policies.ts";

function clock(target: ClockTarget, t: ClockTicket, now: string, policy: SlaPolicy = STANDARD) {
  return computeClocks({ policy, ticket: t, now: wib(now) }).clocks.find((c) => c.target === target);
}

describe("first response clock", () => {
  it.each([
    ["active", ticket(), "2026-03-02 09:20", { state: "active", businessMinutes: 20, remainingMinutes: 40 }],
    ["warning at the first ladder threshold", ticket(), "2026-03-02 09:30", { state: "warning", businessMinutes: 30 }],
    [
      "achieved by a public reply",
      ticket({ messages: [reply("2026-03-02 09:50")] }),
      "2026-03-02 11:00",
      { state: "achieved", achievedAt: wib("2026-03-02 09:50"), businessMinutes: 50 },
    ],
    [
      "a reply exactly at the due instant is in time",
      ticket({ messages: [reply("2026-03-02 10:00")] }),
      "2026-03-02 11:00",
      { state: "achieved" },
    ],
    [
      "breached when now passes the due",
      ticket(),
      "2026-03-02 10:30",
      { state: "breached", breachedAt: wib("2026-03-02 10:00"), remainingMinutes: -30 },
    ],
    [
      "breached with achievedAt when the reply is late",
      ticket({ messages: [reply("2026-03-02 10:15")] }),
      "2026-03-02 11:00",
      { state: "breached", achievedAt: wib("2026-03-02 10:15"), breachedAt: wib("2026-03-02 10:00") },
    ],
    [
      "an internal note is not a response",
      ticket({ messages: [reply("2026-03-02 09:10", false)] }),
      "2026-03-02 09:20",
      { state: "active" },
    ],
    [
      "paused while pending",
      ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["pending", "2026-03-02 09:20"]) }),
      "2026-03-02 11:00",
      { state: "paused", businessMinutes: 20, pausedMinutes: 100, dueAt: wib("2026-03-02 11:40") },
    ],
  ] as const)("%s", (_name, t, now, expected) => {
    expect(clock("first_response", t, now)).toMatchObject(expected);
  });

  it("counts business time only: the due skips lunch and the night", () => {
    const late = ticket({
      createdAt: wib("2026-03-02 16:30"),
      statusHistory: history(["new", "2026-03-02 16:30"]),
      messages: [],
    });
    expect(clock("first_response", late, "2026-03-02 16:40")?.dueAt).toEqual(wib("2026-03-03 08:30"));
  });

  it("uses 24/7 time when the policy has no calendar", () => {
    const late = ticket({ createdAt: wib("2026-03-02 16:30"), statusHistory: history(["new", "2026-03-02 16:30"]) });
    expect(clock("first_response", late, "2026-03-02 16:40", { ...STANDARD, calendar: null })?.dueAt).toEqual(
      wib("2026-03-02 17:30"),
    );
  });
});

describe("pauses", () => {
  it("a pause moves the due by exactly the paused business time and is in the ledger", () => {
    const t = ticket({
      statusHistory: history(
        ["new", "2026-03-02 09:00"],
        ["pending", "2026-03-02 09:20"],
        ["open", "2026-03-02 09:50"],
      ),
    });
    const result = computeClocks({ policy: STANDARD, ticket: t, now: wib("2026-03-02 10:00") });
    expect(result.pauseLedger).toEqual([
      { from: wib("2026-03-02 09:20"), to: wib("2026-03-02 09:50"), reason: "pending" },
    ]);
    expect(result.clocks.find((c) => c.target === "first_response")).toMatchObject({
      dueAt: wib("2026-03-02 10:30"),
      businessMinutes: 30,
      pausedMinutes: 30,
      state: "warning",
    });
  });

  it("on_hold pauses only when the policy says so", () => {
    const t = ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["on_hold", "2026-03-02 09:10"]) });
    const held = computeClocks({ policy: STANDARD, ticket: t, now: wib("2026-03-02 09:40") });
    expect(held.pauseLedger).toEqual([{ from: wib("2026-03-02 09:10"), to: null, reason: "on_hold" }]);
    expect(held.clocks[0]).toMatchObject({ state: "paused", businessMinutes: 10 });
    const running = computeClocks({
      policy: { ...STANDARD, pause_on_hold: false },
      ticket: t,
      now: wib("2026-03-02 09:40"),
    });
    expect(running.pauseLedger).toEqual([]);
    expect(running.clocks[0]).toMatchObject({ state: "warning", businessMinutes: 40 });
  });

  it("a clock breached before the pause stays breached", () => {
    const t = ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["pending", "2026-03-02 10:30"]) });
    expect(clock("first_response", t, "2026-03-02 11:00")).toMatchObject({
      state: "breached",
      breachedAt: wib("2026-03-02 10:00"),
    });
  });
});

describe("next response clock", () => {
  const conversation = ticket({
    statusHistory: history(["new", "2026-03-02 09:00"], ["open", "2026-03-02 09:30"]),
    messages: [
      customer("2026-03-02 09:00"),
      reply("2026-03-02 09:30"),
      customer("2026-03-02 10:00"),
      customer("2026-03-02 10:20"),
      reply("2026-03-02 11:00"),
      customer("2026-03-02 14:00"),
    ],
  });

  it("restarts at the first customer message after a reply", () => {
    expect(clock("next_response", conversation, "2026-03-02 14:30")).toMatchObject({
      startedAt: wib("2026-03-02 14:00"),
      state: "active",
      businessMinutes: 30,
    });
  });

  it("stops at the next public reply (the last completed cycle is shown)", () => {
    expect(clock("next_response", conversation, "2026-03-02 13:00")).toMatchObject({
      startedAt: wib("2026-03-02 10:00"),
      achievedAt: wib("2026-03-02 11:00"),
      state: "achieved",
      businessMinutes: 60,
    });
  });

  it("does not exist before the first response", () => {
    expect(clock("next_response", conversation, "2026-03-02 09:20")).toBeUndefined();
  });
});

describe("resolution clock", () => {
  it("is achieved when solved in time", () => {
    const t = ticket({
      statusHistory: history(["new", "2026-03-02 09:00"], ["open", "2026-03-02 09:30"], ["solved", "2026-03-02 15:00"]),
    });
    expect(clock("resolution", t, "2026-03-02 16:00")).toMatchObject({
      state: "achieved",
      achievedAt: wib("2026-03-02 15:00"),
      businessMinutes: 300,
    });
  });

  it("resumes on re-open, with the solved spell counted as stopped time", () => {
    const t = ticket({
      statusHistory: history(["new", "2026-03-02 09:00"], ["solved", "2026-03-02 15:00"], ["open", "2026-03-02 16:00"]),
    });
    const c = clock("resolution", t, "2026-03-02 16:30");
    expect(c).toMatchObject({ state: "active", businessMinutes: 330, pausedMinutes: 60, remainingMinutes: 630 });
    expect(c?.dueAt).toEqual(wib("2026-03-04 10:00"));
  });

  it("solving fulfils the other running clocks", () => {
    const t = ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["solved", "2026-03-02 09:40"]) });
    expect(clock("first_response", t, "2026-03-02 12:00")).toMatchObject({
      state: "achieved",
      achievedAt: wib("2026-03-02 09:40"),
    });
  });
});

describe("tier budget and periodic update", () => {
  it("runs the initial tier's budget from creation", () => {
    expect(clock("tier_budget", ticket(), "2026-03-02 10:00")).toMatchObject({
      tier: 1,
      targetMinutes: 120,
      startedAt: wib("2026-03-02 09:00"),
      businessMinutes: 60,
    });
  });

  it("starts a new clock at every tier change", () => {
    const t = ticket({ tierChanges: [{ at: wib("2026-03-02 10:00"), tier: 2 }] });
    expect(clock("tier_budget", t, "2026-03-02 10:30")).toMatchObject({
      tier: 2,
      targetMinutes: 240,
      startedAt: wib("2026-03-02 10:00"),
      businessMinutes: 30,
      state: "active",
    });
    const back = ticket({
      tierChanges: [
        { at: wib("2026-03-02 10:00"), tier: 2 },
        { at: wib("2026-03-02 11:00"), tier: 1 },
      ],
    });
    expect(clock("tier_budget", back, "2026-03-02 11:30")).toMatchObject({
      tier: 1,
      targetMinutes: 120,
      startedAt: wib("2026-03-02 11:00"),
    });
  });

  it("has no tier clock for a tier without a budget", () => {
    expect(clock("tier_budget", ticket({ initialTier: 3 }), "2026-03-02 10:00")).toBeUndefined();
  });

  it("periodic updates run only while escalated, from the escalation or the last public reply", () => {
    expect(clock("periodic_update", ticket(), "2026-03-02 10:30")).toBeUndefined();
    const escalated = ticket({
      tierChanges: [{ at: wib("2026-03-02 10:00"), tier: 2 }],
      messages: [customer("2026-03-02 09:00"), reply("2026-03-02 09:30")],
    });
    expect(clock("periodic_update", escalated, "2026-03-02 10:30")).toMatchObject({
      startedAt: wib("2026-03-02 10:00"),
      dueAt: wib("2026-03-02 15:00"),
    });
    const updated = { ...escalated, messages: [...escalated.messages, reply("2026-03-02 11:00")] };
    expect(clock("periodic_update", updated, "2026-03-02 11:30")).toMatchObject({
      startedAt: wib("2026-03-02 11:00"),
      dueAt: wib("2026-03-02 16:00"),
    });
    const flagged = ticket({ escalatedAt: wib("2026-03-02 09:45") });
    expect(clock("periodic_update", flagged, "2026-03-02 10:00")).toMatchObject({ startedAt: wib("2026-03-02 09:45") });
  });
});
