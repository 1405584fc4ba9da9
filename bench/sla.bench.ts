/**
 * Business-calendar benchmark: addBusinessMinutes / businessMinutesBetween against
 * moment-business-time on the same inputs (Mon-Fri 08:00-12:00, 13:00-17:00, 20 holidays a year,
 * Asia/Jakarta and Europe/Berlin, starts over 2026-2027, 1 minute to 30 business days).
 *
 * moment-business-time has no time-zone support: it works in the process's local zone, so each
 * zone is run with `process.env.TZ` set to that zone (Node re-reads TZ when it is assigned), which
 * makes its local wall-clock arithmetic equivalent to ours. Run: `npx tsx bench/sla.bench.ts`.
 */
import { createRequire } from "node:module";
import { addBusinessMinutes, businessMinutesBetween, type Calendar } from "@eskala/core/calendar";

const require = createRequire(import.meta.url);
const moment = require("moment-business-time") as any;

const ZONES = ["Asia/Jakarta", "Europe/Berlin"];
const INPUTS = 20_000;
const OPS = 1_000_000;
const MOMENT_OPS = 250;
const RUNS = 5;
const SAMPLE = 500;
const MAX_MINUTES = 30 * 8 * 60;

/** mulberry32: a small seeded PRNG so every run measures the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function holidays(random: () => number): string[] {
  const out = new Set<string>();
  for (const year of [2026, 2027, 2028]) {
    const yearDays = new Set<string>();
    while (yearDays.size < 20) {
      const d = new Date(Date.UTC(year, 0, 1 + Math.floor(random() * 365)));
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
      yearDays.add(d.toISOString().slice(0, 10));
    }
    for (const d of yearDays) out.add(d);
  }
  return [...out].sort();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(ops: number, body: (n: number) => number): number {
  body(Math.min(ops, 50_000)); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    body(ops);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(ops / seconds);
  }
  return median(rates);
}

let sink = 0;
const lines: Record<string, unknown>[] = [];
const random = prng(20260101);
const lunch = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
] as const;

for (const zone of ZONES) {
  process.env.TZ = zone;
  const holidayList = holidays(random);
  const calendar: Calendar = {
    timezone: zone,
    weekly: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch },
    holidays: holidayList,
  };
  moment.updateLocale("en", {
    workinghours: {
      0: null,
      1: ["08:00:00", "12:00:00", "13:00:00", "17:00:00"],
      2: ["08:00:00", "12:00:00", "13:00:00", "17:00:00"],
      3: ["08:00:00", "12:00:00", "13:00:00", "17:00:00"],
      4: ["08:00:00", "12:00:00", "13:00:00", "17:00:00"],
      5: ["08:00:00", "12:00:00", "13:00:00", "17:00:00"],
      6: null,
    },
    holidays: holidayList,
  });

  const from = Date.UTC(2026, 0, 1);
  const to = Date.UTC(2028, 0, 1);
  const starts: Date[] = [];
  const minutes: number[] = [];
  for (let i = 0; i < INPUTS; i++) {
    starts.push(new Date(from + Math.floor((random() * (to - from)) / 60_000) * 60_000));
    minutes.push(1 + Math.floor(random() * MAX_MINUTES));
  }
  const dues = starts.map((s, i) => addBusinessMinutes(calendar, s, minutes[i]!));

  const add = measure(OPS, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++)
      acc += addBusinessMinutes(calendar, starts[i % INPUTS]!, minutes[i % INPUTS]!).getTime();
    return (sink += acc);
  });
  const between = measure(OPS, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += businessMinutesBetween(calendar, starts[i % INPUTS]!, dues[i % INPUTS]!);
    return (sink += acc);
  });
  const momentAdd = measure(MOMENT_OPS, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++)
      acc += moment(starts[i % INPUTS])
        .addWorkingTime(minutes[i % INPUTS], "minutes")
        .valueOf();
    return (sink += acc);
  });
  const momentBetween = measure(MOMENT_OPS, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++)
      acc += moment(dues[i % INPUTS]).workingDiff(moment(starts[i % INPUTS]), "minutes", true);
    return (sink += acc);
  });

  // moment-business-time's workingDiff miscounts when the end lies before a later segment of its day
  // (lennym/moment-business-time#42, open): agreement is also reported for ends after 13:00 local.
  let addAgree = 0;
  let betweenAgree = 0;
  let unaffected = 0;
  let unaffectedAgree = 0;
  for (let i = 0; i < SAMPLE; i++) {
    const theirs = moment(starts[i]).addWorkingTime(minutes[i], "minutes").valueOf();
    if (theirs === dues[i]!.getTime()) addAgree++;
    const end = moment(dues[i]);
    const agrees =
      Math.abs(
        end.workingDiff(moment(starts[i]), "minutes", true) - businessMinutesBetween(calendar, starts[i]!, dues[i]!),
      ) < 1e-6;
    if (agrees) betweenAgree++;
    if (end.hours() >= 13) {
      unaffected++;
      if (agrees) unaffectedAgree++;
    }
  }
  const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10;
  const line = (bench: string, ours: number, theirs: number, agree: number) => ({
    bench,
    zone,
    ops_per_s: Math.round(ours),
    moment_ops_per_s: Math.round(theirs),
    ratio: Math.round(ours / theirs),
    agreement_pct: pct(agree, SAMPLE),
  });
  lines.push(line("sla.add", add, momentAdd, addAgree), {
    ...line("sla.between", between, momentBetween, betweenAgree),
    agreement_pct_outside_moment_bug_42: pct(unaffectedAgree, unaffected),
  });
}

for (const l of lines) console.log(JSON.stringify(l));
const minOps = Math.min(...lines.map((l) => l.ops_per_s as number));
const minRatio = Math.min(...lines.map((l) => l.ratio as number));
const minAgreement = Math.min(...lines.map((l) => l.agreement_pct as number));
console.log(
  JSON.stringify({
    bench: "sla.summary",
    min_ops_per_s: minOps,
    min_ratio: minRatio,
    min_agreement_pct: minAgreement,
    targets_met: minOps >= 1_000_000 && minRatio >= 100,
    sink: sink > 0,
  }),
);
