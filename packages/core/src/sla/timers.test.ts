import { describe, expect, it } from "vitest";
import { wib } from "../calendar/test-calendars.ts";
import { computeClocks, timersFor } from "./index.ts";
import { history, STANDARD, ticket } from "./test-policies.ts";

const plan = (t: ReturnType<typeof ticket>, now: string) =>
  timersFor(computeClocks({ policy: STANDARD, ticket: t, now: wib(now) }).clocks, STANDARD);

describe("timersFor", () => {
  it("plans every ladder threshold, the breach and the tier budget of running clocks, in order", () => {
    expect(plan(ticket(), "2026-03-02 09:20")).toEqual([
      { kind: "sla.warning", target: "first_response", threshold: 0.5, dueAt: wib("2026-03-02 09:30") },
      { kind: "sla.warning", target: "first_response", threshold: 0.75, dueAt: wib("2026-03-02 09:45") },
      { kind: "sla.breached", target: "first_response", dueAt: wib("2026-03-02 10:00") },
      { kind: "tier.budget_exceeded", target: "tier_budget", tier: 1, dueAt: wib("2026-03-02 11:00") },
      { kind: "sla.warning", target: "resolution", threshold: 0.5, dueAt: wib("2026-03-03 09:00") },
      { kind: "sla.warning", target: "resolution", threshold: 0.75, dueAt: wib("2026-03-03 14:00") },
      { kind: "sla.breached", target: "resolution", dueAt: wib("2026-03-04 09:00") },
    ]);
  });

  it("skips thresholds already passed", () => {
    const timers = plan(ticket(), "2026-03-02 09:35").filter((t) => t.target === "first_response");
    expect(timers.map((t) => (t.kind === "sla.warning" ? t.threshold : t.kind))).toEqual([0.75, "sla.breached"]);
  });

  it("shifts warnings by past pauses", () => {
    const t = ticket({
      statusHistory: history(
        ["new", "2026-03-02 09:00"],
        ["pending", "2026-03-02 09:10"],
        ["open", "2026-03-02 09:20"],
      ),
    });
    const timers = plan(t, "2026-03-02 09:25").filter((x) => x.target === "first_response");
    expect(timers.map((x) => x.dueAt)).toEqual([
      wib("2026-03-02 09:40"),
      wib("2026-03-02 09:55"),
      wib("2026-03-02 10:10"),
    ]);
  });

  it("plans nothing for paused, achieved or breached clocks", () => {
    const paused = ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["pending", "2026-03-02 09:10"]) });
    expect(plan(paused, "2026-03-02 09:20")).toEqual([]);
    const solved = ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["solved", "2026-03-02 09:10"]) });
    expect(plan(solved, "2026-03-02 09:20")).toEqual([]);
    expect(plan(ticket(), "2026-03-02 10:30").some((t) => t.target === "first_response")).toBe(false);
  });
});
