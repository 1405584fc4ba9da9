/**
 * SLA clocks of one ticket from its history and `now` (pure). Clocks stop while the ticket is
 * `pending` (always) or `on_hold` (if the policy says so); deadlines move by exactly the paused
 * business time because they are computed with the pauses. Solving a ticket fulfils every running
 * clock; a re-opened ticket resumes its resolution clock (the solved spell counts as stopped time).
 */
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  businessMinutesBetween,
  type Calendar,
  type Pause,
} from "../calendar/index.ts";
import type {
  ClockInput,
  ClockResult,
  ClockState,
  ClockTarget,
  MessageEvent,
  PauseEntry,
  SlaClock,
  SlaPolicy,
} from "./types.ts";

type Span = [from: number, to: number];

interface Context {
  calendar: Calendar;
  policy: SlaPolicy;
  now: number;
  pauses: Span[];
  pausedNow: boolean;
  /** Solved/closed spells, contiguous ones merged; the last may run to `now`. */
  done: Span[];
}

const DONE = new Set(["solved", "closed"]);

function clipped(spans: readonly Span[], from: number, to: number): Pause[] {
  const out: Pause[] = [];
  for (const [f, t] of spans) {
    const a = Math.max(f, from);
    const b = Math.min(t, to);
    if (a < b) out.push({ from: new Date(a), to: new Date(b) });
  }
  return out;
}

/** When solving stops a clock started at `start`: the first solve at or after it (or `start` if solved then). */
function solvedStop(ctx: Context, start: number): number | null {
  for (const [f, t] of ctx.done) {
    if (f >= start) return f;
    if (t > start) return start;
  }
  return null;
}

function buildClock(
  ctx: Context,
  target: ClockTarget,
  targetMinutes: number,
  start: number,
  stop: number | null,
  extraStops: readonly Span[] = [],
): SlaClock {
  const end = stop ?? ctx.now;
  const pauses = clipped([...ctx.pauses, ...extraStops], start, end);
  const startedAt = new Date(start);
  const dueAt = addBusinessMinutes(ctx.calendar, startedAt, targetMinutes, pauses);
  const businessMinutes = businessMinutesBetween(ctx.calendar, startedAt, new Date(end), pauses);
  const pausedMinutes = businessMinutesBetween(ctx.calendar, startedAt, new Date(end)) - businessMinutes;
  const due = dueAt.getTime();
  const clock: SlaClock = {
    target,
    targetMinutes,
    startedAt,
    dueAt,
    businessMinutes,
    pausedMinutes,
    state: "active",
    remainingMinutes: targetMinutes - businessMinutes,
    pauses,
  };
  let state: ClockState;
  if (stop !== null) {
    clock.achievedAt = new Date(stop);
    state = stop <= due ? "achieved" : "breached";
  } else if (ctx.now >= due) state = "breached";
  else if (ctx.pausedNow) state = "paused";
  else {
    const first = ctx.policy.ladder[0];
    state = first !== undefined && businessMinutes >= first * targetMinutes ? "warning" : "active";
  }
  if (state === "breached") clock.breachedAt = dueAt;
  clock.state = state;
  return clock;
}

/**
 * Computes every SLA clock of a ticket at `now` (targets in business minutes on the policy's
 * calendar, 24/7 when null) and the pause ledger. Events after `now` are ignored.
 */
export function computeClocks(input: ClockInput): ClockResult {
  const { policy, ticket } = input;
  const now = input.now.getTime();
  const created = ticket.createdAt.getTime();
  const history = ticket.statusHistory
    .filter((s) => s.from.getTime() <= now)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  const endOf = (to: Date | null) => (to === null || to.getTime() > now ? null : to.getTime());

  const pauseLedger: PauseEntry[] = [];
  const done: Span[] = [];
  for (const s of history) {
    const to = endOf(s.to);
    if (s.status === "pending" || (s.status === "on_hold" && policy.pause_on_hold)) {
      pauseLedger.push({ from: s.from, to: to === null ? null : new Date(to), reason: s.status });
    }
    if (DONE.has(s.status)) {
      const last = done[done.length - 1];
      if (last && last[1] >= s.from.getTime()) last[1] = Math.max(last[1], to ?? now);
      else done.push([s.from.getTime(), to ?? now]);
    }
  }
  const ctx: Context = {
    calendar: policy.calendar ?? ALWAYS_OPEN,
    policy,
    now,
    pauses: pauseLedger.map((p) => [p.from.getTime(), p.to?.getTime() ?? now]),
    pausedNow: pauseLedger.some((p) => p.to === null),
    done,
  };
  const targets = policy.targets[ticket.priority];
  const messages = ticket.messages
    .filter((m) => m.at.getTime() >= created && m.at.getTime() <= now)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const isReply = (m: (typeof messages)[number]) => m.author === "agent" && m.public;
  const clocks: SlaClock[] = [];

  const firstReply = messages.find(isReply);
  if (targets.first_response !== undefined) {
    const stops = [firstReply?.at.getTime(), solvedStop(ctx, created)].filter((t): t is number => t != null);
    clocks.push(
      buildClock(ctx, "first_response", targets.first_response, created, stops.length ? Math.min(...stops) : null),
    );
  }

  if (targets.next_response !== undefined && firstReply) {
    const cycle = nextResponseCycle(messages.slice(messages.indexOf(firstReply) + 1), done);
    if (cycle) clocks.push(buildClock(ctx, "next_response", targets.next_response, cycle[0], cycle[1]));
  }

  const tierChanges = ticket.tierChanges
    .filter((c) => c.at.getTime() <= now)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (targets.periodic_update !== undefined) {
    const escalations = [
      ticket.escalatedAt?.getTime(),
      tierChanges.find((c) => c.tier > ticket.initialTier)?.at.getTime(),
    ];
    const valid = escalations.filter((t): t is number => t != null && t <= now);
    if (valid.length > 0) {
      const escalated = Math.min(...valid);
      const lastReply = messages.filter(isReply).at(-1)?.at.getTime();
      const start = lastReply !== undefined && lastReply > escalated ? lastReply : escalated;
      clocks.push(buildClock(ctx, "periodic_update", targets.periodic_update, start, solvedStop(ctx, start)));
    }
  }

  if (targets.resolution !== undefined) {
    const last = history.at(-1);
    const solvedNow = last !== undefined && DONE.has(last.status) && endOf(last.to) === null;
    // Earlier solved spells (re-opened since) stop the clock; the current one ends it.
    const stop = solvedNow ? done.at(-1)![0] : null;
    clocks.push(buildClock(ctx, "resolution", targets.resolution, created, stop, solvedNow ? done.slice(0, -1) : done));
  }

  const lastChange = tierChanges.at(-1);
  const tier = lastChange?.tier ?? ticket.initialTier;
  const budget = policy.tier_budgets[String(tier)];
  if (budget !== undefined) {
    const start = lastChange?.at.getTime() ?? created;
    clocks.push({ ...buildClock(ctx, "tier_budget", budget, start, solvedStop(ctx, start)), tier });
  }
  return { clocks, pauseLedger };
}

/**
 * The current next-response cycle `[start, stop | null]` from the messages after the first reply: a
 * cycle starts at the first customer message after an agent's public reply and stops at the next
 * public reply or solve; the last completed cycle is returned when none is open.
 */
function nextResponseCycle(messages: readonly MessageEvent[], done: readonly Span[]): [number, number | null] | null {
  const events: { at: number; kind: "customer" | "reply" | "solved" }[] = [
    ...messages
      .filter((m) => m.author === "customer" || m.public)
      .map((m) => ({ at: m.at.getTime(), kind: m.author === "customer" ? ("customer" as const) : ("reply" as const) })),
    ...done.map(([from]) => ({ at: from, kind: "solved" as const })),
  ].sort((a, b) => a.at - b.at);
  let open: number | null = null;
  let last: [number, number] | null = null;
  for (const e of events) {
    if (e.kind === "customer") open ??= e.at;
    else if (open !== null) {
      last = [open, e.at];
      open = null;
    }
  }
  return open !== null ? [open, null] : last;
}
