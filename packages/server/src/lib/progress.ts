/**
 * Progress of a long command (seed, migrate, demo seeding, SLA recompute, import, export, erase).
 *
 *   const p = startProgress("export", { total: 120_000, unit: "tickets" });
 *   p.update(done);            // or p.increment(n): the count so far
 *   p.setTotal(n);             // when the total becomes known later (or never: leave it out)
 *   p.finish();                // the summary line: "export: 120000 tickets in 6.1 s (19672/s)"
 *   p.finish("export: 120000 tickets and 3 attachments in DIR");   // or a summary of your own
 *
 * On a terminal (the stream's `isTTY`) it draws a cli-progress bar with the count, the rate and
 * the time left, redrawn as the count moves. Anywhere else (a pipe, a log file, CI) it writes a
 * plain line every `intervalMs` (3 s) — "seed: 120000/1000000 tickets, 15000/s, about 59 s left" —
 * both when the count moves and, from a timer, while one long step is running
 * (`ESKALA_PROGRESS_INTERVAL_MS` changes the 3 s). The summary goes
 * to the same stream in both cases. Writes go to stdout unless `stream` says otherwise (tests pass
 * a fake stream and clock).
 */
import { SingleBar } from "cli-progress";
import { noun, singularOf } from "./plural.ts";

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  total?: number | undefined;
  /** What is counted, plural ("tickets", "migrations"); a count of one says it singular. */
  unit?: string;
  stream?: ProgressStream;
  /** Plain lines at most this often (not on a terminal). */
  intervalMs?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
  /** Force the plain lines (true) or the bar (false) whatever the stream is. */
  plain?: boolean;
}

export interface Progress {
  update(done: number): void;
  increment(n?: number): void;
  setTotal(total: number): void;
  /** Ends the progress with the summary line (the default one, or `summary`); returns it. */
  finish(summary?: string): string;
  readonly done: number;
  elapsedSeconds(): number;
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 90) return `${Math.max(0, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** "seed: 120000/1000000 tickets, 15000/s, about 59 s left" (the plain line; exported for tests). */
export function progressLine(label: string, unit: string, done: number, total: number | undefined, elapsedMs: number) {
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const count = total !== undefined ? `${done}/${total}` : `${done}`;
  let line = `${label}: ${count}${unitOf(total ?? done, unit)}, ${Math.round(rate)}/s`;
  if (total !== undefined && rate > 0 && done < total) line += `, about ${seconds((total - done) / rate)} left`;
  return line;
}

/** " ticket" or " tickets" for a count of `n` (nothing without a unit). */
const unitOf = (n: number, unit: string) => (unit ? ` ${noun(n, singularOf(unit), unit)}` : "");

export function startProgress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stdout;
  const now = opts.now ?? (() => performance.now());
  const unit = opts.unit ?? "";
  const interval = opts.intervalMs ?? (Number(process.env.ESKALA_PROGRESS_INTERVAL_MS) || 3000);
  const plain = opts.plain ?? !stream.isTTY;
  const started = now();
  let total = opts.total;
  let done = 0;
  let lastLine = started;
  let printed = 0;
  let finished = false;

  const rate = () => {
    const s = (now() - started) / 1000;
    return s > 0 ? done / s : 0;
  };

  let bar: SingleBar | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  if (plain) {
    // From the timer: the count moved without a line yet, or a long step has been silent 30 s.
    const tick = () => {
      const quiet = now() - lastLine;
      if (quiet >= interval && (done !== printed || quiet >= Math.max(10 * interval, 30_000))) line();
    };
    timer = setInterval(tick, Math.max(100, Math.min(interval, 1000)));
    timer.unref?.();
  }
  /** The bar is drawn from the first count on, so a total set just after the start shapes it. */
  function drawBar(): SingleBar {
    if (bar) return bar;
    const format =
      total !== undefined
        ? `${label} [{bar}] {value}/{total} ${unit} | {rate}/s | {eta_formatted} left`
        : `${label} {value} ${unit} | {rate}/s`;
    bar = new SingleBar({
      format,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    });
    bar.start(total ?? 0, 0, { rate: 0 });
    return bar;
  }

  function line() {
    lastLine = now();
    printed = done;
    stream.write(progressLine(label, unit, done, total, lastLine - started) + "\n");
  }

  function moved() {
    if (finished) return;
    if (!plain) drawBar().update(done, { rate: Math.round(rate()) });
    else if (now() - lastLine >= interval) line();
  }

  return {
    get done() {
      return done;
    },
    elapsedSeconds: () => (now() - started) / 1000,
    update(n: number) {
      done = n;
      moved();
    },
    increment(n = 1) {
      done += n;
      moved();
    },
    setTotal(n: number) {
      total = n;
      bar?.setTotal(n);
    },
    finish(summary?: string) {
      if (finished) return "";
      finished = true;
      if (timer) clearInterval(timer);
      if (bar) bar.stop();
      const elapsed = (now() - started) / 1000;
      const text =
        summary ??
        `${label}: ${done}${unitOf(done, unit)} in ${elapsed.toFixed(1)} s` +
          (elapsed > 0 && done > 0 ? ` (${Math.round(done / elapsed)}/s)` : "");
      stream.write(text + "\n");
      return text;
    },
  };
}
