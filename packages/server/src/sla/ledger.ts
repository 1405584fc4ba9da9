/**
 * A ticket's SLA ledger: the part of its history the clocks are computed from (status spells,
 * customer messages and public agent replies, tier changes), kept incrementally by the ticket hook
 * so a change never re-reads the timeline, plus what the timers already recorded. Stored as JSON
 * in `ticket_sla.ledger`; every instant is epoch milliseconds.
 */
import type { Priority, TicketStatus } from "@eskala/core";
import type { ClockTicket } from "@eskala/core/sla";
import type { TicketRow } from "../db/schema.ts";

/** What the timers recorded for one clock run (identified by its start), so history is never rewritten. */
export interface Recorded {
  /** Start of the clock run these records belong to. */
  s: number;
  /** Highest warning threshold recorded (0 = none). */
  w: number;
  /** When the breach was recorded, or null. */
  b: number | null;
  /** The run's outcome once stopped, frozen against later recomputes. */
  f?: { state: "achieved" | "breached"; due: number; stop: number };
}

export interface Ledger {
  v: 1;
  created: number;
  /** Tier the ticket was created in. */
  tier0: number;
  pri: Priority;
  /** Status spells `[status, since]`, ascending; same-class neighbours merged. */
  st: [TicketStatus, number][];
  /** `c` = customer message, `r` = public agent reply; ascending, runs compacted. */
  msg: ["c" | "r", number][];
  tiers: [tier: number, at: number][];
  /** First escalation instant. */
  esc: number | null;
  /** Last automatic periodic update sent (restarts the periodic-update clock). */
  upd: number | null;
  rec: Record<string, Recorded>;
  /** Start of the idle spell whose `ticket.idle` was recorded. */
  idle: number | null;
}

/** The timeline events the ledger reads (a ticket change's or the stored timeline's). */
export interface LedgerEvent {
  type: string;
  at: Date;
  data?: Record<string, unknown> | null;
}

const MAX_MESSAGES = 60;
const DONE = new Set<string>(["solved", "closed"]);
const classOf = (s: string) => (s === "new" || s === "open" ? "run" : DONE.has(s) ? "done" : s);

/** A fresh ledger for a ticket as it was created. */
export function newLedger(ticket: TicketRow, initialTier = ticket.tier): Ledger {
  const created = ticket.created_at.getTime();
  return {
    v: 1,
    created,
    tier0: initialTier,
    pri: ticket.priority,
    st: [["new", created]],
    msg: [],
    tiers: [],
    esc: null,
    upd: null,
    rec: {},
    idle: null,
  };
}

/**
 * A deep copy, so a plan can change a ledger without touching the caller's. Copied by its known
 * shape: a timer batch copies a few ledgers per escalation, and structuredClone costs ten times more.
 */
export const cloneLedger = (l: Ledger): Ledger => {
  const rec: Record<string, Recorded> = {};
  for (const [key, r] of Object.entries(l.rec)) rec[key] = r.f ? { ...r, f: { ...r.f } } : { ...r };
  return {
    ...l,
    st: l.st.map(([status, at]) => [status, at]),
    msg: l.msg.map(([kind, at]) => [kind, at]),
    tiers: l.tiers.map(([tier, at]) => [tier, at]),
    rec,
  };
};

function setStatus(l: Ledger, to: TicketStatus, at: number): void {
  const last = l.st[l.st.length - 1]!;
  if (last[0] === to) return;
  if (at <= last[1] || classOf(last[0]) === classOf(to)) {
    // Same spell class (new → open, solved → closed) or no time between: the spell only changes its name.
    last[0] = to;
    const prev = l.st[l.st.length - 2];
    if (prev && classOf(prev[0]) === classOf(to)) l.st.pop();
    return;
  }
  l.st.push([to, at]);
}

function doneStartsBetween(l: Ledger, a: number, b: number): boolean {
  return l.st.some(([s, from]) => DONE.has(s) && from > a && from <= b);
}

function addMessage(l: Ledger, kind: "c" | "r", at: number): void {
  const msg = l.msg;
  let i = msg.length;
  while (i > 0 && msg[i - 1]![1] > at) i--;
  msg.splice(i, 0, [kind, at]);
  // Only the first customer message of a run starts a next-response cycle (unless a solve ends one in
  // between); only the first and last replies of a run matter (first stops a cycle, last restarts the
  // periodic update). Everything else is dropped so the ledger stays small.
  const out: ["c" | "r", number][] = [];
  for (let k = 0; k < msg.length; k++) {
    const [kd, t] = msg[k]!;
    const prev = out[out.length - 1];
    const next = msg[k + 1];
    if (kd === "c" && prev?.[0] === "c" && !doneStartsBetween(l, prev[1], t)) continue;
    if (kd === "r" && prev?.[0] === "r" && next?.[0] === "r") continue;
    out.push([kd, t]);
  }
  if (out.length > MAX_MESSAGES) {
    const first = out.find(([kd]) => kd === "r");
    const tail = out.slice(-(MAX_MESSAGES - 1));
    l.msg = first && !tail.includes(first) ? [first, ...tail] : tail;
  } else l.msg = out;
}

/** Applies one timeline event. Idempotent for status (a move to the current status is ignored). */
export function applyEvent(l: Ledger, e: LedgerEvent): void {
  const at = e.at.getTime();
  const d = e.data ?? {};
  switch (e.type) {
    case "ticket.updated": {
      const status = (d.changes as Record<string, unknown> | undefined)?.status;
      if (Array.isArray(status) && typeof status[1] === "string") setStatus(l, status[1] as TicketStatus, at);
      return;
    }
    case "message.added":
      if (d.kind !== "reply") return;
      addMessage(l, d.author_role === "customer" ? "c" : "r", at);
      return;
    case "escalated":
      l.esc ??= at;
      if (typeof d.to_tier === "number") setTier(l, d.to_tier, at);
      return;
  }
}

function setTier(l: Ledger, tier: number, at: number): void {
  const current = l.tiers.at(-1)?.[0] ?? l.tier0;
  if (current === tier) return;
  l.tiers.push([tier, Math.max(at, l.tiers.at(-1)?.[1] ?? l.created)]);
}

/**
 * Brings the ledger in line with the ticket row after its events were applied: a status, tier or
 * escalation the events did not carry (set by another part directly) counts from `now`.
 */
export function reconcile(l: Ledger, ticket: TicketRow, now: Date): void {
  const at = now.getTime();
  setStatus(l, ticket.status, at);
  const entered = ticket.tier_entered_at?.getTime();
  setTier(l, ticket.tier, entered !== undefined && entered <= at ? entered : at);
  if (ticket.escalated_at) l.esc ??= ticket.escalated_at.getTime();
  l.pri = ticket.priority;
}

/**
 * Rebuilds a ledger from the stored timeline (for tickets that had none: created before any
 * policy existed or bulk-loaded), including what earlier SLA timers recorded.
 */
export function ledgerFromTimeline(ticket: TicketRow, events: readonly LedgerEvent[], now: Date): Ledger {
  const created = events.find((e) => e.type === "ticket.created" || e.type === "ticket.imported");
  const tier0 = typeof created?.data?.tier === "number" ? created.data.tier : ticket.tier;
  const l = newLedger(ticket, tier0);
  for (const e of events) {
    applyEvent(l, e);
    const d = e.data ?? {};
    const start = typeof d.started_at === "string" ? Date.parse(d.started_at) : NaN;
    if (!Number.isFinite(start) || typeof d.target !== "string") continue;
    const key = recordKey(d.target, typeof d.tier === "number" ? d.tier : undefined);
    const r = l.rec[key]?.s === start ? l.rec[key]! : (l.rec[key] = { s: start, w: 0, b: null });
    if (e.type === "sla.warning" && typeof d.threshold === "number") r.w = Math.max(r.w, d.threshold);
    else if (e.type === "sla.breached" || e.type === "tier.budget_exceeded") {
      r.b ??= e.at.getTime();
      if (d.target === "periodic_update") l.upd = e.at.getTime();
    }
  }
  for (const e of events)
    if (e.type === "ticket.idle" && typeof e.data?.since === "string") l.idle = Date.parse(e.data.since);
  reconcile(l, ticket, now);
  return l;
}

/** Records are kept per target; a tier budget per tier so each tier's run is its own. */
export const recordKey = (target: string, tier?: number) =>
  target === "tier_budget" ? `tier_budget:${tier ?? 0}` : target;

/** Core's view of the ledger (messages are all public: notes are never recorded). */
export function clockTicket(l: Ledger, extraReplyAt?: number): ClockTicket {
  const messages = l.msg.map(([k, at]) => ({
    at: new Date(at),
    author: k === "c" ? ("customer" as const) : ("agent" as const),
    public: true,
  }));
  if (extraReplyAt !== undefined) messages.push({ at: new Date(extraReplyAt), author: "agent", public: true });
  return {
    priority: l.pri,
    createdAt: new Date(l.created),
    statusHistory: l.st.map(([status, from], i) => ({
      status,
      from: new Date(from),
      to: i + 1 < l.st.length ? new Date(l.st[i + 1]![1]) : null,
    })),
    messages,
    initialTier: l.tier0,
    tierChanges: l.tiers.map(([tier, at]) => ({ tier, at: new Date(at) })),
    escalatedAt: l.esc === null ? null : new Date(l.esc),
  };
}

export const currentStatus = (l: Ledger): TicketStatus => l.st[l.st.length - 1]![0];
export const isDone = (l: Ledger) => DONE.has(currentStatus(l));
