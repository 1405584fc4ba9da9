import { describe, expect, it } from "vitest";
import { HOLIDAY_SETS, validateCalendar } from "./index.ts";

const office = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];
const base = { timezone: "Asia/Jakarta", weekly: { mon: office } };

function errorsOf(input: unknown) {
  const result = validateCalendar(input);
  return result.ok ? [] : result.errors;
}

describe("validateCalendar", () => {
  it.each([
    ["office hours", base],
    [
      "holidays and sets",
      { ...base, holidays: ["2026-12-25", "2028-02-29"], holiday_sets: ["id-national-2026", "id-cuti-bersama-2027"] },
    ],
    ["always open", { timezone: "UTC", always_open: true }],
    ["always open with holidays", { timezone: "UTC", always_open: true, holidays: ["2026-01-01"] }],
    ["overnight", { timezone: "Europe/Berlin", weekly: { mon: [["22:00", "06:00"]], tue: [["06:00", "14:00"]] } }],
    ["24:00 end", { timezone: "Europe/Berlin", weekly: { sat: [["18:00", "24:00"]], sun: [["00:00", "24:00"]] } }],
    [
      "Sunday overnight next to Monday",
      { timezone: "UTC", weekly: { sun: [["22:00", "02:00"]], mon: [["02:00", "10:00"]] } },
    ],
    ["end 00:00 is an overnight to midnight", { timezone: "UTC", weekly: { fri: [["20:00", "00:00"]] } }],
  ])("accepts %s", (_name, input) => {
    expect(validateCalendar(input)).toMatchObject({ ok: true });
  });

  it.each([
    ["not an object", "x", [], /object/],
    ["unknown zone", { ...base, timezone: "Asia/Atlantis" }, ["timezone"], /unknown IANA/],
    ["missing zone", { weekly: base.weekly }, ["timezone"], /required/],
    ["hour 25", { ...base, weekly: { mon: [["25:00", "26:00"]] } }, ["weekly", "mon", 0, 0], /malformed start/],
    [
      "single-digit hour",
      { ...base, weekly: { mon: [["8:00", "12:00"]] } },
      ["weekly", "mon", 0, 0],
      /malformed start/,
    ],
    [
      "24:00 as a start",
      { ...base, weekly: { mon: [["24:00", "06:00"]] } },
      ["weekly", "mon", 0, 0],
      /malformed start/,
    ],
    ["minutes 60", { ...base, weekly: { mon: [["08:00", "12:60"]] } }, ["weekly", "mon", 0, 1], /malformed end/],
    ["start equals end", { ...base, weekly: { mon: [["08:00", "08:00"]] } }, ["weekly", "mon", 0], /start equals end/],
    ["not a pair", { ...base, weekly: { mon: [["08:00"]] } }, ["weekly", "mon", 0], /pair/],
    [
      "overlap in a day",
      {
        ...base,
        weekly: {
          mon: [
            ["08:00", "12:00"],
            ["11:00", "13:00"],
          ],
        },
      },
      ["weekly", "mon", 1],
      /overlaps weekly.mon\[0\]/,
    ],
    [
      "overnight spill over the next day",
      { ...base, weekly: { mon: [["22:00", "06:00"]], tue: [["05:00", "09:00"]] } },
      ["weekly", "tue", 0],
      /overnight/,
    ],
    [
      "Sunday spill over Monday",
      { ...base, weekly: { mon: [["01:00", "09:00"]], sun: [["22:00", "02:00"]] } },
      ["weekly", "sun", 0],
      /overlaps weekly.mon\[0\]/,
    ],
    ["unknown weekday", { ...base, weekly: { monday: office } }, ["weekly", "monday"], /unknown weekday/],
    ["never open", { ...base, weekly: {} }, ["weekly"], /never open/],
    ["weekly with always_open", { ...base, always_open: true }, ["weekly"], /absent/],
    ["impossible date", { ...base, holidays: ["2026-02-30"] }, ["holidays", 0], /invalid date/],
    ["malformed date", { ...base, holidays: ["2026-1-5"] }, ["holidays", 0], /invalid date/],
    ["not a leap year", { ...base, holidays: ["2027-02-29"] }, ["holidays", 0], /invalid date/],
    [
      "unknown holiday set",
      { ...base, holiday_sets: ["id-national-2031"] },
      ["holiday_sets", 0],
      /unknown holiday set/,
    ],
    ["unknown field", { ...base, hollidays: [] }, ["hollidays"], /unknown field/],
  ])("rejects %s, naming the field", (_name, input, path, message) => {
    const errors = errorsOf(input);
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it("reports every error at once", () => {
    const errors = errorsOf({ timezone: "Mars/Base", weekly: { mon: [["25:00", "8:00"]] }, holidays: ["2026-02-30"] });
    expect(errors.map((e) => e.path.join("."))).toEqual(["timezone", "weekly.mon.0.0", "weekly.mon.0.1", "holidays.0"]);
  });

  it("normalises the zone's spelling", () => {
    expect(validateCalendar({ ...base, timezone: "asia/jakarta" })).toMatchObject({
      ok: true,
      calendar: { timezone: "Asia/Jakarta" },
    });
  });
});

describe("HOLIDAY_SETS", () => {
  it("ships 2026 and 2027 Indonesian sets with id/en names and valid, sorted dates", () => {
    expect(Object.keys(HOLIDAY_SETS)).toEqual([
      "id-national-2026",
      "id-cuti-bersama-2026",
      "id-national-2027",
      "id-cuti-bersama-2027",
    ]);
    for (const [id, set] of Object.entries(HOLIDAY_SETS)) {
      expect(set.name.id && set.name.en).toBeTruthy();
      const dates = set.dates.map((d) => d.date);
      expect(dates).toEqual([...dates].sort());
      expect(validateCalendar({ timezone: "Asia/Jakarta", always_open: true, holidays: dates }).ok).toBe(true);
      expect(dates.every((d) => d.startsWith(id.slice(-4)))).toBe(true);
    }
  });

  it("2026 follows the SKB: 17 national holidays and 8 days of cuti bersama", () => {
    expect(HOLIDAY_SETS["id-national-2026"]!.dates).toHaveLength(17);
    expect(HOLIDAY_SETS["id-cuti-bersama-2026"]!.dates.map((d) => d.date)).toEqual([
      "2026-02-16",
      "2026-03-18",
      "2026-03-20",
      "2026-03-23",
      "2026-03-24",
      "2026-05-15",
      "2026-05-28",
      "2026-12-24",
    ]);
  });
});
