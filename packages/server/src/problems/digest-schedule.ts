import type { DigestSettings } from "@eskala/contracts";
import { localToUtc, utcToLocal } from "@eskala/core/calendar";
import { setTimers } from "../engine/timers.ts";
import { loadReportCalendar } from "../reports/report-query.ts";
import type { Executor } from "../tickets/ticket-events.ts";

/** The timer kind of the weekly review digest; one timer per week, keyed `digest:<ISO week>`. */
export const DIGEST_TIMER = "review_digest";
const SETTINGS_KEY = "review_digest";
const DAY_MS = 86_400_000;

export type DigestSchedule = Omit<DigestSettings, "next_at">;

/** The digest's schedule (settings row `review_digest`): Monday 08:00 in the organisation's zone unless changed. */
export async function loadDigestSchedule(db: Executor): Promise<DigestSchedule> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", SETTINGS_KEY).executeTakeFirst();
  const saved = row ? (JSON.parse(row.value) as Partial<DigestSchedule>) : {};
  const timeZone = saved.time_zone ?? (await loadReportCalendar(db)).timeZone;
  return { enabled: saved.enabled ?? true, weekday: saved.weekday ?? 1, hour: saved.hour ?? 8, time_zone: timeZone };
}

export async function saveDigestSchedule(db: Executor, schedule: DigestSchedule): Promise<void> {
  const value = JSON.stringify(schedule);
  await db
    .insertInto("settings")
    .values({ key: SETTINGS_KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** ISO 8601 week of a local date given as UTC-midnight milliseconds: `2026-W49`. */
export function isoWeek(localDayMs: number): string {
  const d = new Date(localDayMs);
  const dow = d.getUTCDay() || 7;
  const thursday = new Date(localDayMs + (4 - dow) * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * The next digest strictly after `now`: the schedule's weekday and hour in its zone, `weeksLater`
 * weeks on. Its key names the ISO week of that local day, so a week has one digest.
 */
export function nextDigest(schedule: DigestSchedule, now: Date, weeksLater = 0): { at: Date; key: string } {
  const localNow = utcToLocal(schedule.time_zone, now.getTime());
  const today = Math.floor(localNow / DAY_MS) * DAY_MS;
  const dow = new Date(today).getUTCDay() || 7;
  let day = today + ((schedule.weekday - dow + 7) % 7) * DAY_MS;
  if (day + schedule.hour * 3_600_000 <= localNow) day += 7 * DAY_MS;
  day += weeksLater * 7 * DAY_MS;
  return {
    at: new Date(localToUtc(schedule.time_zone, day + schedule.hour * 3_600_000)),
    key: `digest:${isoWeek(day)}`,
  };
}

/**
 * Arms the next digest's timer in the caller's transaction (at start, when it fires, when the
 * schedule changes), replacing an unfired one at another time. A week whose digest went out
 * already (its key fired) gets none again: the next is the week after. `keep` is the key of the
 * timer firing now, left for the worker to mark fired.
 */
export async function scheduleDigest(
  db: Executor,
  now: Date,
  keep?: string,
): Promise<{ at: Date; key: string } | null> {
  const schedule = await loadDigestSchedule(db);
  let q = db.deleteFrom("timers").where("kind", "=", DIGEST_TIMER).where("fired_at", "is", null);
  if (keep) q = q.where("key", "!=", keep);
  await q.execute();
  if (!schedule.enabled) return null;
  for (let weeks = 0; weeks < 3; weeks++) {
    const next = nextDigest(schedule, now, weeks);
    const used = await db.selectFrom("timers").select("id").where("key", "=", next.key).executeTakeFirst();
    if (used) continue;
    await setTimers(db, [{ ticketId: null, kind: DIGEST_TIMER, key: next.key, dueAt: next.at, data: {} }]);
    return next;
  }
  return null;
}

/** When the next digest is due (the armed timer), for the settings screen. */
export async function nextDigestAt(db: Executor): Promise<Date | null> {
  const row = await db
    .selectFrom("timers")
    .select("due_at")
    .where("kind", "=", DIGEST_TIMER)
    .where("fired_at", "is", null)
    .orderBy("due_at")
    .limit(1)
    .executeTakeFirst();
  return row?.due_at ?? null;
}

/** At a worker's start: a digest timer armed (even overdue, missed while no worker ran) stays; none, one is armed. */
export async function ensureDigestScheduled(db: Executor, now: Date): Promise<void> {
  if (await nextDigestAt(db)) return;
  await scheduleDigest(db, now);
}
