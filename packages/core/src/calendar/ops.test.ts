import { describe, expect, it } from "vitest";
import { addBusinessMinutes, businessMinutesBetween, isOpen, nextOpening, type Calendar } from "./index.ts";
import { JAKARTA, JAKARTA_ID, wib } from "./test-calendars.ts";

// 2026-03-02 is a Monday; WIB is UTC+7 all year.
describe("addBusinessMinutes (Asia/Jakarta, Mon-Fri 08-12, 13-17)", () => {
  it.each([
    ["inside the morning", "2026-03-02 09:00", 60, "2026-03-02 10:00"],
    ["skips lunch", "2026-03-02 11:00", 120, "2026-03-02 14:00"],
    ["start at opening", "2026-03-02 08:00", 30, "2026-03-02 08:30"],
    ["lands exactly on closing: due at closing, not next morning", "2026-03-02 16:00", 60, "2026-03-02 17:00"],
    ["lands exactly on lunch start", "2026-03-02 11:00", 60, "2026-03-02 12:00"],
    ["start at closing counts from next opening", "2026-03-02 17:00", 60, "2026-03-03 09:00"],
    ["start outside hours counts from next opening", "2026-03-02 20:00", 30, "2026-03-03 08:30"],
    ["start during lunch", "2026-03-02 12:15", 15, "2026-03-02 13:15"],
    ["over the weekend", "2026-03-06 16:00", 120, "2026-03-09 09:00"],
    ["start on Saturday", "2026-03-07 10:00", 60, "2026-03-09 09:00"],
    ["zero minutes while open gives the start", "2026-03-02 09:30", 0, "2026-03-02 09:30"],
    ["zero minutes at lunch gives the next opening", "2026-03-02 12:30", 0, "2026-03-02 13:00"],
    ["zero minutes at closing gives the next opening", "2026-03-06 17:00", 0, "2026-03-09 08:00"],
    ["two weeks ends on the tenth day's closing", "2026-03-02 08:00", 10 * 480, "2026-03-13 17:00"],
    ["thirty business days", "2026-01-05 08:00", 30 * 480, "2026-02-13 17:00"],
    ["an explicit holiday is skipped", "2026-12-24 16:00", 120, "2026-12-28 09:00"],
  ])("%s", (_name, start, minutes, due) => {
    expect(addBusinessMinutes(JAKARTA, wib(start), minutes)).toEqual(wib(due));
  });

  it.each([
    ["Nyepi, cuti bersama and Idulfitri 2026 are skipped", "2026-03-17 16:00", 120, "2026-03-25 09:00"],
    ["Christmas and its cuti bersama are skipped", "2026-12-23 16:30", 60, "2026-12-28 08:30"],
    ["New Year's Day 2026 is skipped", "2025-12-31 16:30", 60, "2026-01-02 08:30"],
  ])("holiday sets: %s", (_name, start, minutes, due) => {
    expect(addBusinessMinutes(JAKARTA_ID, wib(start), minutes)).toEqual(wib(due));
  });

  it("counts seconds and fractional minutes", () => {
    expect(addBusinessMinutes(JAKARTA, wib("2026-03-02 09:00"), 0.5)).toEqual(new Date("2026-03-02T09:00:30+07:00"));
    expect(addBusinessMinutes(JAKARTA, new Date("2026-03-02T11:59:30+07:00"), 1)).toEqual(
      new Date("2026-03-02T13:00:30+07:00"),
    );
  });

  it("rejects negative, NaN and infinite minutes and invalid dates", () => {
    expect(() => addBusinessMinutes(JAKARTA, wib("2026-03-02 09:00"), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(JAKARTA, wib("2026-03-02 09:00"), Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessMinutes(JAKARTA, wib("2026-03-02 09:00"), Infinity)).toThrow(RangeError);
    expect(() => addBusinessMinutes(JAKARTA, new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it("rejects an invalid calendar", () => {
    expect(() =>
      addBusinessMinutes({ timezone: "Nowhere/City", always_open: true }, wib("2026-03-02 09:00"), 1),
    ).toThrow(/timezone/);
  });
});

describe("businessMinutesBetween", () => {
  it.each([
    ["same interval", "2026-03-02 09:00", "2026-03-02 10:30", 90],
    ["across lunch", "2026-03-02 11:00", "2026-03-02 14:00", 120],
    ["overnight", "2026-03-02 16:00", "2026-03-03 09:00", 120],
    ["whole week", "2026-03-02 00:00", "2026-03-09 00:00", 2400],
    ["weekend only", "2026-03-07 00:00", "2026-03-09 00:00", 0],
    ["both ends closed", "2026-03-02 12:10", "2026-03-02 12:50", 0],
    ["reversed is negative", "2026-03-03 09:00", "2026-03-02 16:00", -120],
    ["holiday counts nothing", "2026-12-25 00:00", "2026-12-26 00:00", 0],
    ["identical instants", "2026-03-02 09:00", "2026-03-02 09:00", 0],
  ])("%s", (_name, from, to, minutes) => {
    expect(businessMinutesBetween(JAKARTA, wib(from), wib(to))).toBe(minutes);
  });

  it("crosses a year boundary", () => {
    expect(businessMinutesBetween(JAKARTA, wib("2026-12-31 16:00"), wib("2027-01-01 09:00"))).toBe(120);
  });
});

describe("pauses", () => {
  const p = (from: string, to: string) => ({ from: wib(from), to: wib(to) });
  it.each([
    [
      "an open-time pause moves the due by its length",
      [p("2026-03-02 09:00", "2026-03-02 10:00")],
      "2026-03-02 08:00",
      120,
      "2026-03-02 11:00",
    ],
    [
      "a pause over closed time changes nothing",
      [p("2026-03-02 12:00", "2026-03-02 13:00")],
      "2026-03-02 11:00",
      120,
      "2026-03-02 14:00",
    ],
    [
      "overlapping pauses are merged",
      [p("2026-03-02 09:00", "2026-03-02 10:00"), p("2026-03-02 09:30", "2026-03-02 10:30")],
      "2026-03-02 08:00",
      90,
      "2026-03-02 11:00",
    ],
    [
      "a pause that covers the start",
      [p("2026-03-02 07:00", "2026-03-02 09:00")],
      "2026-03-02 08:00",
      30,
      "2026-03-02 09:30",
    ],
    [
      "a pause after the due does nothing",
      [p("2026-03-03 09:00", "2026-03-03 10:00")],
      "2026-03-02 08:00",
      60,
      "2026-03-02 09:00",
    ],
    [
      "a due at the pause start is that instant",
      [p("2026-03-02 09:00", "2026-03-02 10:00")],
      "2026-03-02 08:00",
      60,
      "2026-03-02 09:00",
    ],
    [
      "zero minutes inside a pause waits for its end",
      [p("2026-03-02 08:00", "2026-03-02 09:00")],
      "2026-03-02 08:30",
      0,
      "2026-03-02 09:00",
    ],
  ] as const)("%s", (_name, pauses, start, minutes, due) => {
    expect(addBusinessMinutes(JAKARTA, wib(start), minutes, [...pauses])).toEqual(wib(due));
  });

  it("between subtracts the paused business time only", () => {
    const pauses = [p("2026-03-02 11:30", "2026-03-02 13:30"), p("2026-03-02 16:00", "2026-03-03 08:30")];
    // 08:00-17:00 minus lunch = 480; paused open time: 11:30-12:00, 13:00-13:30, 16:00-17:00, 08:00-08:30.
    expect(businessMinutesBetween(JAKARTA, wib("2026-03-02 08:00"), wib("2026-03-03 09:00"), pauses)).toBe(
      480 + 60 - 150,
    );
    expect(businessMinutesBetween(JAKARTA, wib("2026-03-03 09:00"), wib("2026-03-02 08:00"), pauses)).toBe(
      -(480 + 60 - 150),
    );
  });
});

describe("nextOpening and isOpen", () => {
  it.each([
    ["open", "2026-03-02 09:00", "2026-03-02 09:00", true],
    ["at opening", "2026-03-02 08:00", "2026-03-02 08:00", true],
    ["at closing", "2026-03-02 17:00", "2026-03-03 08:00", false],
    ["at lunch", "2026-03-02 12:00", "2026-03-02 13:00", false],
    ["Friday evening", "2026-03-06 18:00", "2026-03-09 08:00", false],
    ["before a holiday", "2026-12-24 17:00", "2026-12-28 08:00", false],
  ])("%s", (_name, at, next, open) => {
    expect(nextOpening(JAKARTA, wib(at))).toEqual(wib(next));
    expect(isOpen(JAKARTA, wib(at))).toBe(open);
  });
});

describe("overnight shifts and 24:00", () => {
  const night: Calendar = {
    timezone: "Asia/Jakarta",
    weekly: { mon: [["22:00", "06:00"]], tue: [["22:00", "06:00"]], wed: [["22:00", "06:00"]] },
  };
  it.each([
    ["within Monday's shift after midnight", "2026-03-02 23:00", 120, "2026-03-03 01:00"],
    ["to the end of the shift", "2026-03-03 04:00", 120, "2026-03-03 06:00"],
    ["into Tuesday's shift", "2026-03-03 05:00", 120, "2026-03-03 23:00"],
    ["Wednesday's shift ends Thursday morning, then next Monday", "2026-03-05 05:00", 120, "2026-03-09 23:00"],
  ])("%s", (_name, start, minutes, due) => {
    expect(addBusinessMinutes(night, wib(start), minutes)).toEqual(wib(due));
  });

  it("a holiday closes only the part of a shift falling on its local date", () => {
    const withHoliday: Calendar = { ...night, holidays: ["2026-03-03"] };
    // Monday 22:00-24:00 open; Tuesday 00:00-06:00 and 22:00-24:00 closed; Wednesday 00:00-06:00 open.
    expect(businessMinutesBetween(withHoliday, wib("2026-03-02 20:00"), wib("2026-03-04 07:00"))).toBe(120 + 360);
    expect(addBusinessMinutes(withHoliday, wib("2026-03-02 23:00"), 120)).toEqual(wib("2026-03-04 01:00"));
  });

  it("an end of 24:00 joins the next day's 00:00 without a gap", () => {
    const weekend: Calendar = {
      timezone: "Asia/Jakarta",
      weekly: { sat: [["18:00", "24:00"]], sun: [["00:00", "06:00"]] },
    };
    expect(isOpen(weekend, wib("2026-03-08 00:00"))).toBe(true);
    expect(addBusinessMinutes(weekend, wib("2026-03-07 23:00"), 120)).toEqual(wib("2026-03-08 01:00"));
    expect(businessMinutesBetween(weekend, wib("2026-03-07 00:00"), wib("2026-03-09 00:00"))).toBe(720);
  });
});
