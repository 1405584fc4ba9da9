import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  compileCalendar,
  isOpen,
  nextOpening,
  type Calendar,
} from "./index.ts";
import { officeCalendar, utc, wib } from "./test-calendars.ts";

const WHOLE_DAY = [["00:00", "24:00"]] as const;
const allDays = (timezone: string): Calendar => ({
  timezone,
  weekly: {
    mon: WHOLE_DAY,
    tue: WHOLE_DAY,
    wed: WHOLE_DAY,
    thu: WHOLE_DAY,
    fri: WHOLE_DAY,
    sat: WHOLE_DAY,
    sun: WHOLE_DAY,
  },
});

describe("regressions", () => {
  it("(a) a 24/7 calendar is never closed at midnight", () => {
    for (const cal of [
      { timezone: "UTC", always_open: true },
      allDays("Asia/Jakarta"),
      allDays("Europe/Berlin"),
    ] satisfies Calendar[]) {
      const beforeMidnight = wib("2026-03-02 23:59");
      expect(addBusinessMinutes(cal, beforeMidnight, 2)).toEqual(new Date(beforeMidnight.getTime() + 120_000));
      expect(isOpen(cal, wib("2026-03-03 00:00"))).toBe(true);
      expect(businessMinutesBetween(cal, wib("2026-03-02 23:00"), wib("2026-03-03 01:00"))).toBe(120);
      // A month of 24/7 time is exactly the elapsed time, across the Berlin spring change too.
      expect(businessMinutesBetween(cal, utc("2026-03-15T00:00:00Z"), utc("2026-04-15T00:00:00Z"))).toBe(31 * 1440);
    }
  });

  it("(a) every-day 00:00-24:00 compiles to the same 24/7 fast path as always_open", () => {
    expect(compileCalendar(allDays("Asia/Jakarta")).alwaysOpen).toBe(true);
    expect(compileCalendar({ timezone: "UTC", always_open: true }).alwaysOpen).toBe(true);
    expect(compileCalendar({ timezone: "UTC", always_open: true, holidays: ["2026-01-01"] }).alwaysOpen).toBe(false);
  });

  it("(b) holidays are local dates, not shifted by the zone", () => {
    const cal: Calendar = { ...allDays("Asia/Jakarta"), holidays: ["2026-12-25"] };
    // 2026-12-25 00:00-24:00 WIB = 2026-12-24T17:00Z .. 2026-12-25T17:00Z.
    expect(isOpen(cal, utc("2026-12-24T16:59:59Z"))).toBe(true);
    expect(isOpen(cal, utc("2026-12-24T17:00:00Z"))).toBe(false);
    expect(isOpen(cal, utc("2026-12-25T16:59:59Z"))).toBe(false);
    expect(nextOpening(cal, utc("2026-12-24T17:00:00Z"))).toEqual(utc("2026-12-25T17:00:00Z"));
    expect(businessMinutesBetween(cal, utc("2026-12-24T00:00:00Z"), utc("2026-12-26T00:00:00Z"))).toBe(2 * 1440 - 1440);
  });

  it("(c) the DST hour is neither lost nor double-counted", () => {
    const berlin = allDays("Europe/Berlin");
    // 24 real hours across the spring change are 24 business hours, not 23 or 25.
    expect(businessMinutesBetween(berlin, utc("2026-03-28T12:00:00Z"), utc("2026-03-29T12:00:00Z"))).toBe(1440);
    expect(businessMinutesBetween(berlin, utc("2026-10-24T12:00:00Z"), utc("2026-10-25T12:00:00Z"))).toBe(1440);
    // A night shift over the change lasts its real length: 22:00-06:00 is 7 hours in spring, 9 in autumn.
    const night: Calendar = { timezone: "Europe/Berlin", weekly: { sat: [["22:00", "06:00"]] } };
    expect(businessMinutesBetween(night, utc("2026-03-28T00:00:00Z"), utc("2026-03-30T00:00:00Z"))).toBe(7 * 60);
    expect(businessMinutesBetween(night, utc("2026-10-24T00:00:00Z"), utc("2026-10-26T00:00:00Z"))).toBe(9 * 60);
    expect(addBusinessMinutes(night, utc("2026-03-28T21:00:00Z"), 7 * 60)).toEqual(utc("2026-03-29T04:00:00Z"));
    // Office hours on the Monday after the change still open at 08:00 local (06:00Z in CEST).
    expect(nextOpening(officeCalendar("Europe/Berlin"), utc("2026-03-28T12:00:00Z"))).toEqual(
      utc("2026-03-30T06:00:00Z"),
    );
  });

  it("(d) overnight shifts are supported", () => {
    const night: Calendar = { timezone: "Asia/Jakarta", weekly: { fri: [["22:00", "06:00"]] } };
    expect(isOpen(night, wib("2026-03-07 03:00"))).toBe(true);
    expect(addBusinessMinutes(night, wib("2026-03-06 21:00"), 8 * 60)).toEqual(wib("2026-03-07 06:00"));
    expect(addBusinessMinutes(night, wib("2026-03-06 21:00"), 8 * 60 + 1)).toEqual(wib("2026-03-13 22:01"));
  });
});
