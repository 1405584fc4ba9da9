/**
 * From a ticket's ledger and its policy to its clocks and the timers that act on them. Core
 * computes the clocks; this adds what core cannot know: what the timers already recorded (a
 * recorded warning or breach is never planned or rewritten again) and the timer rows themselves.
 */
import { ALWAYS_OPEN, addBusinessMinutes, type Pause } from "@eskala/core/calendar";
import {
  computeClocks,
  timersFor,
  type ClockState,
  type ClockTarget,
  type PauseEntry,
  type SlaClock,
} from "@eskala/core/sla";
import type { NewTimer } from "../engine/timers.ts";
import { clockTicket, cloneLedger, isDone, recordKey, type Ledger, type Recorded } from "./ledger.ts";
import type { LoadedPolicy } from "./sla-config.ts";

/** Timer kinds the SLA part plans and handles. */
export const SLA_TIMER_KINDS = [
  "sla.warning",
  "sla.breached",
  "tier.budget_exceeded",
  "ticket.idle",
  "sla.periodic_update",
] as const;
export type SlaTimerKind = (typeof SLA_TIMER_KINDS)[number];

export interface PlannedClock {
  target: ClockTarget;
  tier: number | null;
  state: ClockState;
  startedAt: Date;
  dueAt: Date;
  stoppedAt: Date | null;
  breachedAt: Date | null;
  targetMinutes: number;
  businessMinutes: number;
  pausedMinutes: number;
  remainingMinutes: number;
  /** Stopped intervals applied to this clock (for explanations and warning instants). */
  pauses: Pause[];
}

export interface SlaPlan {
  policy: LoadedPolicy | null;
  /** The ledger with its records brought up to date (frozen outcomes, dropped old runs). */
  ledger: Ledger;
  clocks: PlannedClock[];
  pauseLedger: PauseEntry[];
  /** The timer rows to keep: the earliest planned instant (ties included). */
  timers: NewTimer[];
  /** Every planned instant, earliest first (the ladder ahead, for display and tests). */
  allTimers: NewTimer[];
}

/** The data every SLA timer carries; the handler checks it against a fresh plan before acting. */
export interface SlaTimerData {
  target: ClockTarget | "idle";
  started_at: string;
  due_at: string;
  threshold?: number;
  tier?: number;
  minutes?: number;
}

const timerKey = (ticketId: string, target: string, level: string | number, due: Date) =>
  `sla:${ticketId}:${target}:${level}:${due.getTime()}`;

/** Clocks of the ledger under the policy at `now` (no policy: none), with records applied. */
function computeWithRecords(ledger: Ledger, policy: LoadedPolicy, now: Date) {
  const result = computeClocks({ policy: policy.core, ticket: clockTicket(ledger), now });
  const periodic = policy.core.targets[ledger.pri]?.periodic_update;
  const lastReply = ledger.msg.filter(([k]) => k === "r").at(-1)?.[1] ?? -Infinity;
  if (periodic !== undefined && ledger.upd !== null && ledger.upd > lastReply) {
    // An automatic periodic update restarts that clock as a reply would, without touching the others.
    const only = {
      ...policy.core,
      tier_budgets: {},
      targets: { ...policy.core.targets, [ledger.pri]: { periodic_update: periodic } },
    };
    const again = computeClocks({ policy: only, ticket: clockTicket(ledger, ledger.upd), now }).clocks.find(
      (c) => c.target === "periodic_update",
    );
    const i = result.clocks.findIndex((c) => c.target === "periodic_update");
    if (again && i >= 0) result.clocks[i] = again;
  }
  const rec: Record<string, Recorded> = {};
  const clocks = result.clocks.map((c) => {
    const key = recordKey(c.target, c.tier);
    const start = c.startedAt.getTime();
    const old = ledger.rec[key];
    const r: Recorded = old && old.s === start ? { ...old } : { s: start, w: 0, b: null };
    rec[key] = r;
    let state = c.state;
    let dueAt = c.dueAt;
    let breachedAt = c.breachedAt ?? null;
    if (c.achievedAt) {
      const stop = c.achievedAt.getTime();
      if (r.f && r.f.stop === stop) {
        // A stopped run's outcome is history: a later calendar or policy edit does not rewrite it.
        state = r.f.state;
        dueAt = new Date(r.f.due);
        breachedAt = state === "breached" ? new Date(r.b ?? r.f.due) : null;
      } else {
        if (r.b !== null) {
          state = "breached";
          breachedAt = new Date(r.b);
        }
        r.f = { state: state === "breached" ? "breached" : "achieved", due: dueAt.getTime(), stop };
      }
    } else {
      delete r.f;
      if (r.b !== null) {
        state = "breached";
        breachedAt = new Date(r.b);
      }
    }
    return { core: c, record: r, planned: toPlanned(c, state, dueAt, breachedAt) };
  });
  return { clocks, pauseLedger: result.pauseLedger, rec };
}

function toPlanned(c: SlaClock, state: ClockState, dueAt: Date, breachedAt: Date | null): PlannedClock {
  return {
    target: c.target,
    tier: c.tier ?? null,
    state,
    startedAt: c.startedAt,
    dueAt,
    stoppedAt: c.achievedAt ?? null,
    breachedAt,
    targetMinutes: c.targetMinutes,
    businessMinutes: c.businessMinutes,
    pausedMinutes: c.pausedMinutes,
    remainingMinutes: c.remainingMinutes,
    pauses: c.pauses,
  };
}

/**
 * The plan for one ticket at `now`. Timers: the future ladder warnings and breach of every running
 * clock (core's timersFor) minus those already recorded, plus — when a level has already passed
 * unrecorded (an import, a restart, an edit moving a deadline into the past) — one catch-up timer at
 * that level's instant for the latest such level, which the worker fires at once. Of these, the
 * earliest are set as timer rows (`timers`); `allTimers` lists every planned instant.
 */
export function planSla(ticketId: string, ledgerIn: Ledger, policy: LoadedPolicy | null, now: Date): SlaPlan {
  const ledger = cloneLedger(ledgerIn);
  if (!policy) {
    ledger.rec = {};
    return { policy: null, ledger, clocks: [], pauseLedger: [], timers: [], allTimers: [] };
  }
  const calendar = policy.core.calendar ?? ALWAYS_OPEN;
  const { clocks, pauseLedger, rec } = computeWithRecords(ledger, policy, now);
  ledger.rec = rec;

  const timers: NewTimer[] = [];
  const add = (
    kind: SlaTimerKind,
    c: PlannedClock,
    level: string | number,
    dueAt: Date,
    extra: Partial<SlaTimerData> = {},
  ) => {
    const data: SlaTimerData = {
      target: c.target,
      started_at: c.startedAt.toISOString(),
      due_at: dueAt.toISOString(),
      ...extra,
    };
    if (c.tier !== null) data.tier = c.tier;
    timers.push({
      ticketId,
      kind,
      key: timerKey(ticketId, c.target, level, dueAt),
      dueAt,
      data: data as unknown as Record<string, unknown>,
    });
  };
  const breachKind = (c: PlannedClock): SlaTimerKind =>
    c.target === "tier_budget"
      ? "tier.budget_exceeded"
      : c.target === "periodic_update"
        ? "sla.periodic_update"
        : "sla.breached";
  const breachExtra = (c: PlannedClock) => (c.target === "tier_budget" ? { minutes: c.targetMinutes } : {});

  const asPlanned = clocks.map(({ core, planned }) => ({ ...core, state: planned.state }));
  for (const t of timersFor(asPlanned, policy.core)) {
    const i = asPlanned.findIndex((c) => c.target === t.target);
    const { planned, record } = clocks[i]!;
    if (t.kind === "sla.warning") {
      if (t.threshold > record.w) add("sla.warning", planned, t.threshold, t.dueAt, { threshold: t.threshold });
    } else if (record.b === null) add(breachKind(planned), planned, "breach", t.dueAt, breachExtra(planned));
  }

  for (const { planned: c, record } of clocks) {
    if (c.stoppedAt || record.b !== null) continue;
    if (now >= c.dueAt) {
      add(breachKind(c), c, "breach", c.dueAt, breachExtra(c));
      continue;
    }
    if (c.state === "paused") continue;
    const passed = policy.core.ladder.filter((th) => c.businessMinutes >= th * c.targetMinutes && th > record.w).at(-1);
    if (passed !== undefined && c.target !== "tier_budget") {
      const at = addBusinessMinutes(calendar, c.startedAt, passed * c.targetMinutes, c.pauses);
      add("sla.warning", c, passed, at, { threshold: passed });
    }
  }

  const idle = policy.idleMinutes;
  const pausedNow = pauseLedger.some((p) => p.to === null);
  if (idle && !isDone(ledger) && !pausedNow) {
    const since = Math.max(ledger.created, ledger.msg.filter(([k]) => k === "r").at(-1)?.[1] ?? -Infinity);
    if (ledger.idle !== since) {
      const pauses = pauseLedger.map((p) => ({ from: p.from, to: p.to ?? now }));
      const dueAt = addBusinessMinutes(calendar, new Date(since), idle, pauses);
      timers.push({
        ticketId,
        kind: "ticket.idle",
        key: timerKey(ticketId, "idle", "idle", dueAt),
        dueAt,
        data: { target: "idle", started_at: new Date(since).toISOString(), due_at: dueAt.toISOString(), minutes: idle },
      });
    }
  }
  timers.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  // Only the earliest instant becomes a timer row: firing it re-plans and sets the next one, so a
  // ticket change writes one row instead of every ladder level of every clock.
  const first = Math.min(...timers.map((x) => x.dueAt.getTime()));
  const next = timers.filter((x) => x.dueAt.getTime() === first);
  return { policy, ledger, clocks: clocks.map((c) => c.planned), pauseLedger, timers: next, allTimers: timers };
}
