import { useSyncExternalStore } from "react";

/** BCP 47 locale for a UI language; dates are always shown in the viewer's own zone. */
export function localeOf(lang: string): string {
  return lang === "en" ? "en-GB" : "id-ID";
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeOf(lang), options);
    formatters.set(key, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return "";
  return formatter(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return "";
  return formatter(lang, { dateStyle: "medium" }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return "";
  return formatter(lang, { hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(iso)).replace(".", ":");
}

/** "5 minutes ago" / "dalam 2 jam", from an instant and the current time in ms. */
export function formatRelative(iso: string, nowMs: number, lang: string): string {
  const diffMin = Math.round((new Date(iso).getTime() - nowMs) / 60_000);
  const rtf = new Intl.RelativeTimeFormat(localeOf(lang), { numeric: "auto" });
  const abs = Math.abs(diffMin);
  if (abs < 60) return rtf.format(diffMin, "minute");
  if (abs < 60 * 24) return rtf.format(Math.round(diffMin / 60), "hour");
  return rtf.format(Math.round(diffMin / 1440), "day");
}

export type DurationUnits = { d: string; h: string; m: string };

/** A compact duration such as "1d 4h" or "2h 05m", from a (possibly negative) number of ms. */
export function formatDuration(ms: number, units: DurationUnits): string {
  const totalMin = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return `${d}${units.d} ${h}${units.h}`;
  if (h > 0) return `${h}${units.h} ${String(m).padStart(2, "0")}${units.m}`;
  return `${m}${units.m}`;
}

/** Business minutes as "2h 30m" for targets. */
export function formatMinutes(minutes: number, units: DurationUnits): string {
  return formatDuration(minutes * 60_000, units);
}

// One shared ticking clock for all countdowns, so a long list does not start hundreds of timers.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time in ms, refreshed every second while a component uses it. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** A value for `<input type="datetime-local">` in the viewer's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
