import { describe, expect, it } from "vitest";
import { addBusinessMinutes, businessMinutesBetween, nextOpening, type Calendar } from "./index.ts";
import { officeCalendar, utc } from "./test-calendars.ts";
import { localToUtc, offsetAt } from "./zone.ts";

const HOUR = 60;
const sunday = (timezone: string, range: readonly [string, string]): Calendar => ({
  timezone,
  weekly: { sun: [range] },
});

// 2026 transitions: Berlin Mar 29 / Oct 25 at 01:00Z; New York Mar 8 07:00Z / Nov 1 06:00Z;
// Sydney springs forward Oct 4 (16:00Z Oct 3) and falls back Apr 5 (16:00Z Apr 4).
const ZONES = [
  {
    zone: "Europe/Berlin",
    spring: { day: "2026-03-29", gapOpening: "2026-03-29T01:30:00Z" },
    fall: { day: "2026-10-25", repeated: "02:30", repeatedOpening: "2026-10-25T00:30:00Z", repeatedHours: 3.5 },
    weekend: { friday: "2026-03-27T15:00:00Z", mondayDue: "2026-03-30T07:00:00Z" },
  },
  {
    zone: "America/New_York",
    spring: { day: "2026-03-08", gapOpening: "2026-03-08T07:30:00Z" },
    fall: { day: "2026-11-01", repeated: "01:30", repeatedOpening: "2026-11-01T05:30:00Z", repeatedHours: 4.5 },
    weekend: { friday: "2026-10-30T20:00:00Z", mondayDue: "2026-11-02T14:00:00Z" },
  },
  {
    zone: "Australia/Sydney",
    spring: { day: "2026-10-04", gapOpening: "2026-10-03T16:30:00Z" },
    fall: { day: "2026-04-05", repeated: "02:30", repeatedOpening: "2026-04-04T15:30:00Z", repeatedHours: 3.5 },
    weekend: { friday: "2026-10-02T06:00:00Z", mondayDue: "2026-10-04T22:00:00Z" },
  },
] as const;

const dayBounds = (day: string) =>
  [utc(`${day}T00:00:00Z`).getTime() - 2 * 86_400_000, utc(`${day}T00:00:00Z`).getTime() + 2 * 86_400_000].map(
    (t) => new Date(t),
  ) as [Date, Date];

describe.each(ZONES)("DST in $zone", ({ zone, spring, fall, weekend }) => {
  it("the spring-forward day has 23 business hours, the fall-back day 25", () => {
    const whole = sunday(zone, ["00:00", "24:00"]);
    expect(businessMinutesBetween(whole, ...dayBounds(spring.day))).toBe(23 * HOUR);
    expect(businessMinutesBetween(whole, ...dayBounds(fall.day))).toBe(25 * HOUR);
  });

  it("an opening inside the skipped hour moves forward by the gap", () => {
    const cal = sunday(zone, ["02:30", "05:00"]);
    const [from] = dayBounds(spring.day);
    expect(nextOpening(cal, from)).toEqual(utc(spring.gapOpening));
    expect(businessMinutesBetween(cal, ...dayBounds(spring.day))).toBe(1.5 * HOUR);
  });

  it("an opening inside the repeated hour takes its first occurrence", () => {
    const cal = sunday(zone, [fall.repeated, "05:00"]);
    const [from] = dayBounds(fall.day);
    expect(nextOpening(cal, from)).toEqual(utc(fall.repeatedOpening));
    expect(businessMinutesBetween(cal, ...dayBounds(fall.day))).toBe(fall.repeatedHours * HOUR);
    expect(addBusinessMinutes(cal, from, fall.repeatedHours * HOUR)).toEqual(
      new Date(utc(fall.repeatedOpening).getTime() + fall.repeatedHours * 3_600_000),
    );
  });

  it("office hours keep their wall-clock times across a DST weekend", () => {
    const office = officeCalendar(zone);
    // Friday 16:00 local + 2 business hours = Monday 09:00 local, whatever the offset change.
    expect(addBusinessMinutes(office, utc(weekend.friday), 120)).toEqual(utc(weekend.mondayDue));
    expect(businessMinutesBetween(office, utc(weekend.friday), utc(weekend.mondayDue))).toBe(120);
  });
});

describe("zone tables", () => {
  it.each([
    ["Europe/Berlin", "2026-03-29T00:59:59Z", 60],
    ["Europe/Berlin", "2026-03-29T01:00:00Z", 120],
    ["Europe/Berlin", "2026-10-25T00:59:59Z", 120],
    ["Europe/Berlin", "2026-10-25T01:00:00Z", 60],
    ["America/New_York", "2026-03-08T07:00:00Z", -240],
    ["America/New_York", "2026-11-01T06:00:00Z", -300],
    ["Australia/Sydney", "2026-04-04T15:59:59Z", 660],
    ["Australia/Sydney", "2026-04-04T16:00:00Z", 600],
    ["Asia/Kathmandu", "2026-06-01T00:00:00Z", 345],
  ])("%s at %s has offset %i min", (zone, at, minutes) => {
    expect(offsetAt(zone, utc(at).getTime())).toBe(minutes * 60_000);
  });

  it.each([
    ["Europe/Berlin", "2026-03-29T02:30:00Z", "2026-03-29T01:30:00Z", "skipped: forward by the gap"],
    ["Europe/Berlin", "2026-10-25T02:30:00Z", "2026-10-25T00:30:00Z", "repeated: first occurrence"],
    ["America/New_York", "2026-11-01T01:30:00Z", "2026-11-01T05:30:00Z", "repeated: first occurrence"],
    ["Asia/Jakarta", "2026-12-25T00:00:00Z", "2026-12-24T17:00:00Z", "fixed offset"],
  ])("local %s in %s → %s (%s)", (zone, local, expected) => {
    expect(localToUtc(zone, utc(local).getTime())).toBe(utc(expected).getTime());
  });
});
