import { describe, expect, it } from "vitest";
import { changeOf, isImprovement } from "./change.ts";
import { daysIn, isDate, presetOf, presetPeriod, previousPeriod, todayIn } from "./period.ts";

describe("review periods", () => {
  it.each([
    ["last_7_days", "2026-12-03", "2026-11-27", "2026-12-03"],
    ["last_30_days", "2026-12-03", "2026-11-04", "2026-12-03"],
    ["last_month", "2026-12-03", "2026-11-01", "2026-11-30"],
    ["last_month", "2027-01-15", "2026-12-01", "2026-12-31"],
    ["last_month", "2028-03-01", "2028-02-01", "2028-02-29"],
    ["this_month", "2026-12-03", "2026-12-01", "2026-12-03"],
    ["last_quarter", "2026-12-03", "2026-07-01", "2026-09-30"],
    ["last_quarter", "2026-02-10", "2025-10-01", "2025-12-31"],
    ["last_12_months", "2026-12-03", "2025-12-04", "2026-12-03"],
  ] as const)("%s on %s is %s to %s", (preset, today, from, to) => {
    expect(presetPeriod(preset, today)).toEqual({ from, to });
    expect(presetOf({ from, to }, today)).toBe(preset);
  });

  it("compares with the period of the same length just before", () => {
    expect(previousPeriod({ from: "2026-11-01", to: "2026-11-30" })).toEqual({ from: "2026-10-02", to: "2026-10-31" });
    expect(previousPeriod({ from: "2026-12-03", to: "2026-12-03" })).toEqual({ from: "2026-12-02", to: "2026-12-02" });
    expect(daysIn({ from: "2026-03-01", to: "2026-03-31" })).toBe(31);
  });

  it("reads today in the organisation's zone, not UTC", () => {
    // 2026-11-30 17:30 UTC is 00:30 on 1 December in Jakarta.
    const ms = Date.UTC(2026, 10, 30, 17, 30);
    expect(todayIn("Asia/Jakarta", ms)).toBe("2026-12-01");
    expect(todayIn("UTC", ms)).toBe("2026-11-30");
  });

  it("accepts only real dates", () => {
    expect(isDate("2026-02-28")).toBe(true);
    expect(isDate("2026-02-30")).toBe(false);
    expect(isDate("2026-2-3")).toBe(false);
  });
});

describe("changes against the previous period", () => {
  it("says up, down, same or new with the change in the figure's unit", () => {
    expect(changeOf(60, 48)).toEqual({ direction: "up", delta: 12, percent: 25 });
    expect(changeOf(36, 48)).toEqual({ direction: "down", delta: -12, percent: -25 });
    expect(changeOf(5, 5)).toEqual({ direction: "same", delta: 0, percent: 0 });
    expect(changeOf(3, 0)).toEqual({ direction: "new", delta: 3, percent: null });
    expect(changeOf(null, 4).direction).toBe("none");
    // Shares move in percentage points.
    expect(changeOf(0.25, 0.2, true)).toEqual({ direction: "up", delta: 5, percent: 25 });
  });

  it("knows fewer escalations are better and more SLA met is better", () => {
    expect(isImprovement(changeOf(10, 20), false)).toBe(true);
    expect(isImprovement(changeOf(0.9, 0.8, true), true)).toBe(true);
    expect(isImprovement(changeOf(4, 4), true)).toBe(null);
  });
});
