/**
 * UTC offsets of IANA zones from Intl, cached as per-year transition tables so that mapping
 * local wall time ↔ UTC is a table lookup instead of an Intl call.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

interface ZoneYear {
  /** Instants (UTC ms) at which `offsets[i + 1]` starts; `offsets[0]` holds at the start of the year. */
  transitions: number[];
  offsets: number[];
}

interface ZoneCache {
  format: Intl.DateTimeFormat;
  years: Map<number, ZoneYear>;
}

const zones = new Map<string, ZoneCache>();

/** The zone's canonical spelling per Intl, or undefined when Intl does not know it. */
export function resolveZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function zoneCache(zone: string): ZoneCache {
  let cache = zones.get(zone);
  if (!cache) {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    cache = { format, years: new Map() };
    zones.set(zone, cache);
  }
  return cache;
}

/** Offset from Intl at a whole second; slow, only used to build the tables. */
function intlOffsetMs(format: Intl.DateTimeFormat, ms: number): number {
  const second = Math.floor(ms / 1000) * 1000;
  const f: Record<string, number> = {};
  for (const part of format.formatToParts(second)) if (part.type !== "literal") f[part.type] = Number(part.value);
  const asUtc = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
  return asUtc - second;
}

function buildYear(format: Intl.DateTimeFormat, year: number): ZoneYear {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const transitions: number[] = [];
  const offsets = [intlOffsetMs(format, start)];
  let previous = start;
  let previousOffset = offsets[0]!;
  // Daily samples, then bisection to the second; zones never change offset twice within a day.
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const offset = intlOffsetMs(format, t);
    if (offset !== previousOffset) {
      let lo = previous;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (intlOffsetMs(format, mid) === previousOffset) lo = mid;
        else hi = mid;
      }
      if (hi < end) {
        transitions.push(hi);
        offsets.push(offset);
      }
    }
    previous = t;
    previousOffset = offset;
  }
  return { transitions, offsets };
}

/** UTC offset in ms (local minus UTC) of `zone` at the UTC instant `ms`. */
export function offsetAt(zone: string, ms: number): number {
  const cache = zoneCache(zone);
  const year = new Date(ms).getUTCFullYear();
  let table = cache.years.get(year);
  if (!table) {
    table = buildYear(cache.format, year);
    cache.years.set(year, table);
  }
  let i = 0;
  while (i < table.transitions.length && table.transitions[i]! <= ms) i++;
  return table.offsets[i]!;
}

/**
 * The UTC instant (ms) of a local wall time (given as ms of the same fields read as UTC), with
 * Temporal's "compatible" disambiguation: a skipped time moves forward by the gap, a repeated
 * time takes its first occurrence.
 */
export function localToUtc(zone: string, localMs: number): number {
  const before = offsetAt(zone, localMs - DAY_MS);
  const after = offsetAt(zone, localMs + DAY_MS);
  if (before === after) return localMs - before;
  const early = localMs - before;
  const late = localMs - after;
  const earlyValid = offsetAt(zone, early) === before;
  const lateValid = offsetAt(zone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (lateValid) return late;
  // Valid under the earlier offset, or inside a gap: the earlier offset moves it forward by the gap.
  return early;
}

/** Local wall time of a UTC instant, as ms whose UTC fields are the local fields. */
export function utcToLocal(zone: string, ms: number): number {
  return ms + offsetAt(zone, ms);
}

const INDONESIAN_ABBREVIATIONS: Record<string, string> = {
  "Asia/Jakarta": "WIB",
  "Asia/Pontianak": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Jayapura": "WIT",
};

const nameFormats = new Map<string, [Intl.DateTimeFormat, Intl.DateTimeFormat]>();

/** Short zone name at an instant: WIB/WITA/WIT for Indonesia, else Intl's short name (CET, EST, GMT+11). */
export function zoneAbbreviation(zone: string, ms: number): string {
  const indonesian = INDONESIAN_ABBREVIATIONS[zone];
  if (indonesian) return indonesian;
  let formats = nameFormats.get(zone);
  if (!formats) {
    formats = [
      new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }),
      new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "short" }),
    ];
    nameFormats.set(zone, formats);
  }
  const pick = (f: Intl.DateTimeFormat) => f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? zone;
  const us = pick(formats[0]);
  // en-US knows EST/PST, en-GB knows CET/CEST; prefer whichever gives a letter abbreviation.
  return us.startsWith("GMT") && us !== "GMT" ? pick(formats[1]) : us;
}
