import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isOpen,
  nextOpening,
  validateCalendar,
  WEEKDAYS,
  type Calendar,
  type TimeRange,
} from "./index.ts";

const ZONES = ["Asia/Jakarta", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kathmandu", "UTC"];
const hhmm = (m: number) =>
  m === 1440 ? "24:00" : `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** One day's intervals from sorted distinct half-hour points, plus maybe an overnight shift. */
const dayArb = fc
  .record({
    points: fc.uniqueArray(fc.integer({ min: 0, max: 48 }), { maxLength: 6 }),
    overnight: fc.option(fc.record({ start: fc.integer({ min: 36, max: 47 }), end: fc.integer({ min: 1, max: 16 }) }), {
      freq: 4,
    }),
  })
  .map(({ points, overnight }) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges: TimeRange[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([hhmm(sorted[i]! * 30), hhmm(sorted[i + 1]! * 30)]);
    if (overnight) ranges.push([hhmm(overnight.start * 30), hhmm(overnight.end * 30)]);
    return ranges;
  });

const holidayArb = fc
  .integer({ min: 0, max: 364 })
  .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));

/** Random valid calendars: random zone, intervals (lunch breaks, overnight, 24:00) and holidays in 2026. */
const calendarArb: fc.Arbitrary<Calendar> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    days: fc.array(dayArb, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(holidayArb, { maxLength: 12 }),
  })
  .map(({ timezone, days, holidays }) => ({
    timezone,
    weekly: Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i] ?? []] as const).filter(([, r]) => r.length > 0)),
    holidays,
  }))
  .filter((c) => validateCalendar(c).ok);

const YEAR_2026 = [Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)] as const;
const instantArb = fc.integer({ min: YEAR_2026[0], max: YEAR_2026[1] }).map((ms) => new Date(ms));
/** Business minutes with whole milliseconds, up to ~3 weeks of 24/7 time. */
const minutesArb = fc.integer({ min: 0, max: 30 * 24 * 60 * 60_000 }).map((ms) => ms / 60_000);

describe("calendar properties", () => {
  it("between(s, add(s, n)) == n", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (cal, s, n) => {
        expect(businessMinutesBetween(cal, s, addBusinessMinutes(cal, s, n))).toBeCloseTo(n, 6);
      }),
    );
  });

  it("add is monotonic in the duration and in the start", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, minutesArb, minutesArb, (cal, s1, s2, n1, n2) => {
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [m, n] = n1 <= n2 ? [n1, n2] : [n2, n1];
        expect(addBusinessMinutes(cal, a, m).getTime()).toBeLessThanOrEqual(addBusinessMinutes(cal, a, n).getTime());
        expect(addBusinessMinutes(cal, a, n).getTime()).toBeLessThanOrEqual(addBusinessMinutes(cal, b, n).getTime());
      }),
    );
  });

  it("between is additive and antisymmetric", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (cal, a, b, c) => {
        const ab = businessMinutesBetween(cal, a, b);
        expect(ab + businessMinutesBetween(cal, b, c)).toBeCloseTo(businessMinutesBetween(cal, a, c), 6);
        // === and not toBe: between(a, a) is 0, and -0 is the same duration (toBe tells them apart).
        expect(businessMinutesBetween(cal, b, a) === -ab).toBe(true);
      }),
    );
  });

  it("the next opening is open and no business time passes before it", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (cal, t) => {
        const next = nextOpening(cal, t);
        expect(isOpen(cal, next)).toBe(true);
        expect(businessMinutesBetween(cal, t, next)).toBe(0);
        expect(isOpen(cal, t)).toBe(next.getTime() === t.getTime());
      }),
    );
  });

  it("a pause starting before the unpaused due adds exactly its business time", () => {
    // With p.from in [s, add(s, n)), the clock reaches n only after p.to, so
    // add(s, n, [p]) == add(s, n + between(p.from, p.to)) for any p.to.
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 1, max: 20_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 20 * 86_400_000 }),
        (cal, s, n, where, length) => {
          const due = addBusinessMinutes(cal, s, n);
          const from = new Date(s.getTime() + Math.floor(where * (due.getTime() - s.getTime() - 1)));
          const pause = { from, to: new Date(from.getTime() + length) };
          const paused = businessMinutesBetween(cal, pause.from, pause.to);
          expect(addBusinessMinutes(cal, s, n, [pause])).toEqual(addBusinessMinutes(cal, s, n + paused));
          expect(businessMinutesBetween(cal, s, addBusinessMinutes(cal, s, n, [pause]), [pause])).toBeCloseTo(n, 6);
        },
      ),
    );
  });

  it("overlapping pauses count once", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        instantArb,
        fc.array(fc.tuple(instantArb, fc.integer({ min: 0, max: 5 * 86_400_000 })), { maxLength: 4 }),
        (cal, a, b, raw) => {
          const pauses = raw.map(([f, len]) => ({ from: f, to: new Date(f.getTime() + len) }));
          const doubled = [...pauses, ...pauses];
          expect(businessMinutesBetween(cal, a, b, doubled)).toBeCloseTo(businessMinutesBetween(cal, a, b, pauses), 6);
          const paused = businessMinutesBetween(cal, a, b, pauses);
          expect(Math.abs(paused)).toBeLessThanOrEqual(Math.abs(businessMinutesBetween(cal, a, b)) + 1e-9);
        },
      ),
    );
  });
});

/**
 * Independent oracle: walks minute by minute, reading each minute's local time from Intl directly.
 * Windows avoid DST changes (June-August), where "wall time in an interval" is ambiguous by design.
 */
function oracleMinutes(cal: Calendar, from: number, to: number): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: cal.timezone,
    hourCycle: "h23",
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
  const holidays = new Set(cal.holidays);
  const names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const toMin = (s: string) => (s === "24:00" ? 1440 : Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));
  let count = 0;
  for (let t = from; t < to; t += 60_000) {
    const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
    const day = names.indexOf(p.weekday!);
    const minute = Number(p.hour) * 60 + Number(p.minute);
    if (holidays.has(`${p.year}-${p.month}-${p.day}`)) continue;
    const ranges = (d: number) => cal.weekly?.[WEEKDAYS[(d + 7) % 7]!] ?? [];
    const today = ranges(day).some(([s, e]) =>
      toMin(e) > toMin(s) ? minute >= toMin(s) && minute < toMin(e) : minute >= toMin(s),
    );
    const spill = ranges(day - 1).some(([s, e]) => toMin(e) <= toMin(s) && minute < toMin(e));
    if (today || spill) count++;
  }
  return count;
}

describe("oracle comparison", () => {
  it("between and add agree with a minute-by-minute walk", () => {
    const summer = fc
      .integer({ min: Date.UTC(2026, 5, 1) / 60_000, max: Date.UTC(2026, 7, 25) / 60_000 })
      .map((m) => m * 60_000);
    fc.assert(
      fc.property(calendarArb, summer, fc.integer({ min: 0, max: 4 * 1440 }), (cal, from, span) => {
        const to = from + span * 60_000;
        const expected = oracleMinutes(cal, from, to);
        expect(businessMinutesBetween(cal, new Date(from), new Date(to))).toBe(expected);
        if (expected > 0) {
          const due = addBusinessMinutes(cal, new Date(from), expected).getTime();
          expect(due).toBeLessThanOrEqual(to);
          expect(oracleMinutes(cal, from, due)).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});
