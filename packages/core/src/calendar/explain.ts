/** Human explanation of a deadline, in Indonesian or English, for the ticket view and the SLA preview. */
import type { Language } from "../ticket/types.ts";
import { compileCalendar, type CompiledCalendar } from "./compile.ts";
import { holidayName } from "./holidays-id.ts";
import { mergePauses, openIntervalsMs, openMsBetween } from "./ops.ts";
import type { Calendar, Pause } from "./types.ts";
import { DAY_MS, MINUTE_MS, utcToLocal, zoneAbbreviation } from "./zone.ts";

const WEEKDAY_NAMES: Record<Language, readonly string[]> = {
  en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
  id: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
};

const WORDS = {
  en: {
    due: "due",
    from: "from",
    closed: "closed",
    holiday: "holiday",
    holidays: "holidays",
    paused: "paused",
    more: "more",
  },
  id: {
    due: "jatuh tempo",
    from: "sejak",
    closed: "tutup",
    holiday: "libur",
    holidays: "libur",
    paused: "dijeda",
    more: "lainnya",
  },
} as const;

const MAX_ITEMS = 4;
const pad = (n: number) => String(n).padStart(2, "0");
const round2 = (n: number) => String(Math.round(n * 100) / 100);

/** Business duration in words: "4 business hours", "1 jam 30 menit kerja". */
export function formatBusinessDuration(minutes: number, lang: Language): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  if (lang === "id") {
    if (hours === 0) return `${round2(rest)} menit kerja`;
    return rest === 0 ? `${hours} jam kerja` : `${hours} jam ${round2(rest)} menit kerja`;
  }
  const h = `${hours} business hour${hours === 1 ? "" : "s"}`;
  if (hours === 0) return `${round2(rest)} business minute${rest === 1 ? "" : "s"}`;
  return rest === 0 ? h : `${h} ${round2(rest)} min`;
}

function localParts(cal: CompiledCalendar, ms: number) {
  const local = new Date(utcToLocal(cal.zone, ms));
  return {
    weekday: local.getUTCDay(),
    date: local.toISOString().slice(0, 10),
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    day: Math.floor(local.getTime() / DAY_MS),
  };
}

function list(items: string[], more: string): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, MAX_ITEMS).join(", ");
  return unique.length > MAX_ITEMS ? `${shown}, +${unique.length - MAX_ITEMS} ${more}` : shown;
}

/** Holidays between the two local days that closed hours the week template would have opened. */
function skippedHolidays(cal: CompiledCalendar, fromDay: number, toDay: number, lang: Language): string[] {
  const out: string[] = [];
  const sets = cal.calendar.holiday_sets ?? [];
  const days = [...cal.holidays].filter((day) => day >= fromDay && day <= toDay).sort((a, b) => a - b);
  for (const day of days) {
    const weekday = (((day + 3) % 7) + 7) % 7;
    const previous = (weekday + 6) % 7;
    const opens = cal.week[weekday]!.length > 0 || cal.week[previous]!.some(([, end]) => end > 1440);
    if (!opens) continue;
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const name = holidayName(sets, date);
    out.push(name ? `${date} (${name[lang]})` : date);
  }
  return out;
}

/**
 * Explains a deadline, e.g. "due Tue 11:00 WIB: 4 business hours from Mon 15:00; closed 17:00-08:00"
 * (`minutes` in business minutes, instants UTC); mentions skipped holidays and paused business time.
 * Dates are added when the deadline is more than six days after the start.
 */
export function explainDue(
  calendar: Calendar,
  start: Date,
  minutes: number,
  due: Date,
  lang: Language,
  pauses?: readonly Pause[],
): string {
  const cal = compileCalendar(calendar);
  const words = WORDS[lang];
  const names = WEEKDAY_NAMES[lang];
  const a = start.getTime();
  const b = due.getTime();
  const withDate = b - a > 6 * DAY_MS;
  const at = (ms: number, alwaysWeekday: boolean) => {
    const p = localParts(cal, ms);
    const wd = alwaysWeekday || withDate ? `${names[p.weekday]} ` : "";
    return withDate ? `${wd}${p.date} ${p.time}` : `${wd}${p.time}`;
  };
  const dueZone = zoneAbbreviation(cal.zone, b);
  const startZone = zoneAbbreviation(cal.zone, a);
  let text = `${words.due} ${at(b, true)} ${dueZone}: ${formatBusinessDuration(minutes, lang)} ${words.from} ${at(a, true)}`;
  if (startZone !== dueZone) text += ` ${startZone}`;

  const open = b > a ? openIntervalsMs(cal, a, b) : [];
  const gaps: string[] = [];
  let previousEnd = a;
  for (const [s, e] of open) {
    if (s > previousEnd) {
      // Gaps read as times of day ("17:00-08:00"), with weekdays when a day or more is closed.
      const long = s - previousEnd >= DAY_MS;
      const clock = (ms: number) => {
        const p = localParts(cal, ms);
        return long ? `${names[p.weekday]} ${p.time}` : p.time;
      };
      gaps.push(`${clock(previousEnd)}-${clock(s)}`);
    }
    previousEnd = e;
  }
  if (gaps.length > 0) text += `; ${words.closed} ${list(gaps, words.more)}`;

  const holidays = b > a ? skippedHolidays(cal, localParts(cal, a).day, localParts(cal, b).day, lang) : [];
  if (holidays.length > 0)
    text += `; ${holidays.length === 1 ? words.holiday : words.holidays} ${list(holidays, words.more)}`;

  const merged = mergePauses(pauses);
  let pausedMs = 0;
  for (let k = 0; k < merged.length; k += 2) {
    const f = Math.max(a, merged[k]!);
    const t = Math.min(b, merged[k + 1]!);
    if (f < t) pausedMs += openMsBetween(cal, f, t);
  }
  if (pausedMs > 0) text += `; ${words.paused} ${formatBusinessDuration(pausedMs / MINUTE_MS, lang)}`;
  return text;
}
