import { describe, expect, it } from "vitest";
import { wib } from "../calendar/test-calendars.ts";
import { computeClocks } from "./index.ts";
import { history, STANDARD, ticket } from "./test-policies.ts";

describe("SLA regressions", () => {
  it("(e) a paused clock does not keep counting", () => {
    const t = ticket({ statusHistory: history(["new", "2026-03-02 09:00"], ["pending", "2026-03-02 09:20"]) });
    const at = (now: string) =>
      computeClocks({ policy: STANDARD, ticket: t, now: wib(now) }).clocks.find((c) => c.target === "first_response")!;
    const soon = at("2026-03-02 09:30");
    const days = at("2026-03-05 16:00");
    expect(days.businessMinutes).toBe(20);
    expect(days.remainingMinutes).toBe(soon.remainingMinutes);
    expect(days.state).toBe("paused");
    expect(days.pausedMinutes).toBeGreaterThan(soon.pausedMinutes);
  });

  it("(f) recompute after a calendar edit yields new due instants", () => {
    const input = { policy: STANDARD, ticket: ticket(), now: wib("2026-03-02 09:10") };
    const before = computeClocks(input).clocks.find((c) => c.target === "resolution")!;
    const edited = {
      ...STANDARD,
      calendar: { ...STANDARD.calendar!, weekly: { ...STANDARD.calendar!.weekly, mon: [["09:00", "21:00"]] as const } },
    };
    const after = computeClocks({ ...input, policy: edited }).clocks.find((c) => c.target === "resolution")!;
    // 960 business minutes from Monday 09:00: Wednesday 09:00 with 08-17 hours; Tuesday 12:00 once Monday runs 09-21.
    expect(before.dueAt).toEqual(wib("2026-03-04 09:00"));
    expect(after.dueAt).toEqual(wib("2026-03-03 12:00"));
    expect(computeClocks(input).clocks).toEqual(computeClocks(input).clocks);
  });
});
