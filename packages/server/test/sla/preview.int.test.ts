import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const DAY = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];
const jakarta = { timezone: "Asia/Jakarta", weekly: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY } };
// 2026-03-02 is a Monday; Jakarta is UTC+7 (WIB) all year.
const wib = (day: number, hhmm: string) =>
  new Date(`2026-03-${String(day).padStart(2, "0")}T${hhmm}:00+07:00`).toISOString();

const due = (body: Record<string, unknown>, token?: string) =>
  t.inject("POST", "/api/v1/sla/preview/due", { body, ...(token ? { token } : {}) });
const between = (body: Record<string, unknown>) => t.inject("POST", "/api/v1/sla/preview/between", { body });

describe("POST /api/v1/sla/preview/due follows the conventions", () => {
  const cases: [string, Record<string, unknown>, number, string, string][] = [
    [
      "a deadline on the closing instant is 17:00, not the next morning",
      jakarta,
      120,
      wib(2, "15:00"),
      wib(2, "17:00"),
    ],
    ["4 business hours from Mon 15:00 skip the night", jakarta, 240, wib(2, "15:00"), wib(3, "10:00")],
    ["outside hours counting starts at the next opening", jakarta, 30, wib(2, "19:00"), wib(3, "08:30")],
    ["the lunch break is closed", jakarta, 60, wib(2, "11:30"), wib(2, "13:30")],
    ["0 minutes from an open instant is the start", jakarta, 0, wib(2, "09:15"), wib(2, "09:15")],
    ["0 minutes from a closed instant is the next opening", jakarta, 0, wib(2, "12:30"), wib(2, "13:00")],
    ["Friday afternoon runs into Monday", jakarta, 120, wib(6, "16:00"), wib(9, "09:00")],
    ["a holiday is closed all day", { ...jakarta, holidays: ["2026-03-03"] }, 240, wib(2, "15:00"), wib(4, "10:00")],
    [
      "24:00 as an end",
      { timezone: "Asia/Jakarta", weekly: { mon: [["20:00", "24:00"]] } },
      60,
      wib(2, "23:00"),
      wib(3, "00:00"),
    ],
    [
      "an overnight shift runs into the next day",
      { timezone: "Asia/Jakarta", weekly: { mon: [["22:00", "06:00"]] } },
      120,
      wib(2, "21:00"),
      wib(3, "00:00"),
    ],
    [
      "an overnight shift's end is a closing instant",
      { timezone: "Asia/Jakarta", weekly: { mon: [["22:00", "06:00"]] } },
      480,
      wib(2, "22:00"),
      wib(3, "06:00"),
    ],
    ["24/7 is open at midnight", { timezone: "Asia/Jakarta", always_open: true }, 90, wib(2, "23:30"), wib(3, "01:00")],
  ];
  it.each(cases)("%s", async (_name, calendar, minutes, start, expected) => {
    const res = await due({ calendar, start, business_minutes: minutes });
    expect(res.status).toBe(200);
    expect(res.body.due_at).toBe(expected);
    expect(res.body.explanation).toEqual({ id: expect.any(String), en: expect.any(String) });
  });

  it("explains the deadline in Indonesian and English", async () => {
    const res = await due({ calendar: jakarta, start: wib(2, "15:00"), business_minutes: 240 });
    expect(res.body.explanation.en).toBe("due Tue 10:00 WIB: 4 business hours from Mon 15:00; closed 17:00-08:00");
    expect(res.body.explanation.id).toMatch(/^jatuh tempo Sel 10:00 WIB: 4 jam kerja sejak Sen 15:00/);
  });

  it("a pause moves the deadline by exactly the paused business time", async () => {
    const plain = await due({ calendar: jakarta, start: wib(2, "09:00"), business_minutes: 120 });
    const paused = await due({
      calendar: jakarta,
      start: wib(2, "09:00"),
      business_minutes: 120,
      pauses: [{ from: wib(2, "09:30"), to: wib(2, "10:30") }],
    });
    expect(plain.body.due_at).toBe(wib(2, "11:00"));
    expect(paused.body.due_at).toBe(wib(2, "12:00"));
    // A pause over closed time (lunch, the night) changes nothing.
    const night = await due({
      calendar: jakarta,
      start: wib(2, "16:00"),
      business_minutes: 120,
      pauses: [{ from: wib(2, "18:00"), to: wib(3, "07:00") }],
    });
    expect(night.body.due_at).toBe(wib(3, "09:00"));
  });

  it("uses a stored calendar by calendar_id", async () => {
    const cal = await t.inject("POST", "/api/v1/calendars", { body: { name: "Preview WIB", definition: jakarta } });
    expect(cal.status).toBe(201);
    const res = await due(
      { calendar_id: cal.body.id, start: wib(2, "15:00"), business_minutes: 120 },
      t.people.agent1.token,
    );
    expect(res.body.due_at).toBe(wib(2, "17:00"));
  });
});

describe("POST /api/v1/sla/preview/between", () => {
  it("counts business minutes, negative when reversed, fractional with seconds, minus pauses", async () => {
    expect((await between({ calendar: jakarta, from: wib(2, "08:00"), to: wib(2, "17:00") })).body).toEqual({
      business_minutes: 480,
    });
    expect((await between({ calendar: jakarta, from: wib(2, "17:00"), to: wib(2, "08:00") })).body).toEqual({
      business_minutes: -480,
    });
    expect((await between({ calendar: jakarta, from: wib(2, "08:00"), to: "2026-03-02T08:00:30+07:00" })).body).toEqual(
      { business_minutes: 0.5 },
    );
    expect(
      (
        await between({
          calendar: jakarta,
          from: wib(2, "08:00"),
          to: wib(2, "17:00"),
          pauses: [{ from: wib(2, "11:00"), to: wib(2, "14:00") }],
        })
      ).body,
    ).toEqual({ business_minutes: 360 });
    expect((await between({ calendar: jakarta, from: wib(6, "16:00"), to: wib(9, "09:00") })).body).toEqual({
      business_minutes: 120,
    });
  });
});

describe("preview bad input: 422 naming the field", () => {
  const start = wib(2, "15:00");
  const cases: [string, Record<string, unknown>, (string | number)[]][] = [
    [
      "an unknown zone",
      { calendar: { ...jakarta, timezone: "Asia/Atlantis" }, start, business_minutes: 5 },
      ["calendar", "timezone"],
    ],
    [
      "overlapping intervals",
      {
        calendar: {
          timezone: "UTC",
          weekly: {
            mon: [
              ["08:00", "12:00"],
              ["11:00", "13:00"],
            ],
          },
        },
        start,
        business_minutes: 5,
      },
      ["calendar", "weekly", "mon", 1],
    ],
    [
      "a malformed holiday",
      { calendar: { ...jakarta, holidays: ["2026-02-30"] }, start, business_minutes: 5 },
      ["calendar", "holidays", 0],
    ],
    [
      "a malformed time",
      { calendar: { timezone: "UTC", weekly: { mon: [["8:00", "12:00"]] } }, start, business_minutes: 5 },
      ["calendar", "weekly", "mon", 0, 0],
    ],
    ["no calendar", { start, business_minutes: 5 }, ["calendar"]],
    [
      "both calendar and calendar_id",
      { calendar: jakarta, calendar_id: "7d9f4a8e-0000-4000-8000-000000000000", start, business_minutes: 5 },
      ["calendar_id"],
    ],
    [
      "an unknown calendar_id",
      { calendar_id: "7d9f4a8e-0000-4000-8000-000000000000", start, business_minutes: 5 },
      ["calendar_id"],
    ],
    ["negative minutes", { calendar: jakarta, start, business_minutes: -1 }, ["business_minutes"]],
    ["a start without offset", { calendar: jakarta, start: "2026-03-02T15:00:00", business_minutes: 5 }, ["start"]],
    ["a start before 1970", { calendar: jakarta, start: "1960-01-01T00:00:00Z", business_minutes: 5 }, ["start"]],
    [
      "a pause ending before it starts",
      { calendar: jakarta, start, business_minutes: 5, pauses: [{ from: wib(2, "16:00"), to: wib(2, "15:30") }] },
      ["pauses", 0, "to"],
    ],
    [
      "a deadline past 2200",
      { calendar: { ...jakarta, weekly: { mon: [["08:00", "08:01"]] } }, start, business_minutes: 9_000_000 },
      ["business_minutes"],
    ],
  ];
  it.each(cases)("%s", async (_name, body, path) => {
    const res = await due(body);
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
  });

  it("customers cannot use the preview", async () => {
    expect(
      (await due({ calendar: jakarta, start: wib(2, "15:00"), business_minutes: 5 }, t.people.customer.token)).status,
    ).toBe(403);
    expect(
      (
        await t.inject("POST", "/api/v1/sla/preview/due", {
          token: null,
          body: { calendar: jakarta, start: wib(2, "15:00"), business_minutes: 5 },
        })
      ).status,
    ).toBe(401);
  });
});
