/**
 * The SLA part at work: the ticket hook that keeps each ticket's ledger, clocks and timers in
 * step with every change (one read and one write in the common case), and the timer handler that
 * records warnings and breaches once, after checking the clock is still where the timer expected.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { selectPolicy } from "@eskala/core/sla";
import type { TicketFacts } from "@eskala/core";
import { SYSTEM_ACTOR } from "../auth/actor.ts";
import type { DB, TicketRow } from "../db/schema.ts";
import { sameInstant } from "../lib/clock.ts";
import type { TimerRow } from "../engine/timers.ts";
import type { TicketEventService } from "../tickets/ticket-event.service.ts";
import type { TicketChange } from "../tickets/ticket-hooks.ts";
import { applyEvent, cloneLedger, ledgerFromTimeline, newLedger, recordKey, reconcile, type Ledger } from "./ledger.ts";
import { planSla, type SlaPlan, type SlaTimerData } from "./plan.ts";
import type { LoadedPolicy, SlaConfig, SlaConfigCache } from "./sla-config.ts";
import {
  lockTickets,
  readSegment,
  readState,
  readTimeline,
  writePlan,
  type LockedTicket,
  type WriteOptions,
} from "./sla.repo.ts";

type Executor = Kysely<DB> | Transaction<DB>;

/** A ticket's row of `ticket_sla`, as the SLA block needs it. */
export interface StoredSla {
  ledger: Ledger;
  policy_id: string | null;
}

/** Whether a change can move a clock: creation, a public message, or a field a policy or clock reads. */
export function touchesSla(change: TicketChange): boolean {
  const { previous: a, ticket: b } = change;
  if (!a) return true;
  for (const e of change.events) {
    if (e.type === "message.added" && e.data?.kind === "reply") return true;
    if (e.type === "escalated") return true;
  }
  return (
    a.status !== b.status ||
    a.priority !== b.priority ||
    a.tier !== b.tier ||
    a.group_id !== b.group_id ||
    a.category_id !== b.category_id ||
    a.channel !== b.channel ||
    a.organization_id !== b.organization_id ||
    !sameInstant(a.escalated_at, b.escalated_at)
  );
}

function facts(t: TicketRow, segment: string | null): TicketFacts {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    tier: t.tier,
    groupId: t.group_id,
    assigneeId: t.assignee_id,
    requesterId: t.requester_id,
    organizationId: t.organization_id,
    segment,
    categoryId: t.category_id,
    tags: t.tags,
    language: t.language,
    subject: t.subject,
    createdAt: t.created_at,
  };
}

/** The first enabled policy (by position) whose conditions the ticket meets, or null. */
export function choosePolicy(config: SlaConfig, ticket: TicketRow, segment: string | null): LoadedPolicy | null {
  const chosen = selectPolicy(
    config.policies.map((p) => p.core),
    facts(ticket, segment),
  );
  return chosen ? (config.byId.get(chosen.id) ?? null) : null;
}

const tierEnteredAt = (l: Ledger) => new Date(l.tiers.at(-1)?.[1] ?? l.created);

/** The ticket fields a plan depends on. */
const fingerprint = (t: TicketRow) =>
  [
    t.status,
    t.priority,
    t.tier,
    t.group_id,
    t.category_id,
    t.channel,
    t.organization_id,
    t.escalated_at?.getTime(),
  ].join("|");

/** Events the ledger records (see applyEvent). */
const movesLedger = (e: TicketChange["events"][number]) =>
  (e.type === "ticket.updated" && (e.data?.changes as Record<string, unknown> | undefined)?.status !== undefined) ||
  (e.type === "message.added" && e.data?.kind === "reply") ||
  e.type === "escalated";

export function createSlaEngine(deps: {
  db: Kysely<DB>;
  cache: SlaConfigCache;
  events: Pick<TicketEventService, "record">;
}) {
  const { cache } = deps;
  // Per transaction, the fingerprint each ticket was last planned at: a rule's change re-runs the
  // hooks (nested) and the outer change's hook then finds nothing new to plan.
  const planned = new WeakMap<object, Map<string, string>>();
  const remember = (trx: Transaction<DB>, ticket: TicketRow) => {
    const map = planned.get(trx) ?? new Map<string, string>();
    planned.set(trx, map.set(ticket.id, fingerprint(ticket)));
  };
  // A fired timer's ledger not yet planned and written, by ticket, while the rules react to the
  // breach: they usually change the ticket (an escalation), and its hook then plans from this ledger
  // and writes once. Only the firing transaction can run a hook for the ticket meanwhile, as it
  // holds the ticket's lock (every change locks its ticket first).
  const pending = new Map<string, { ledger: Ledger; opts: WriteOptions; segment: string | null }>();
  const takePending = (ticketId: string) => {
    const held = pending.get(ticketId);
    pending.delete(ticketId);
    return held;
  };

  /** Plans and writes one locked ticket (recompute jobs); rebuilds a missing ledger from the timeline. */
  async function replan(
    trx: Transaction<DB>,
    config: SlaConfig,
    locked: LockedTicket,
    now: Date,
    rebuilt?: Ledger,
  ): Promise<SlaPlan> {
    const { ticket } = locked;
    const ledger = rebuilt ?? locked.ledger ?? ledgerFromTimeline(ticket, await readTimeline(trx, ticket.id), now);
    if (locked.ledger && !rebuilt) reconcile(ledger, ticket, now);
    const plan = planSla(ticket.id, ledger, choosePolicy(config, ticket, locked.segment), now);
    await writePlan(trx, ticket, plan, { now, tierEnteredAt: tierEnteredAt(plan.ledger) });
    return plan;
  }

  /** The ticket hook: runs inside every ticket change's transaction. */
  async function onChange(trx: Transaction<DB>, change: TicketChange): Promise<TicketRow | void> {
    if (!touchesSla(change)) return;
    const { ticket, now } = change;
    if (planned.get(trx)?.get(ticket.id) === fingerprint(ticket) && !change.events.some(movesLedger)) return;
    const config = await cache.get(trx);
    const orgId = config.usesSegments ? ticket.organization_id : null;
    let ledger: Ledger;
    let segment: string | null = null;
    let keepTimerId: number | undefined;
    if (change.previous === null) {
      // No policy at all: nothing to keep yet; the ledger is rebuilt from the timeline if one appears.
      if (config.policies.length === 0) return;
      ledger = newLedger(ticket);
      for (const e of change.events) applyEvent(ledger, e);
      if (orgId) segment = await readSegment(trx, orgId);
    } else {
      const held = takePending(ticket.id);
      const state = held ? { ledger: held.ledger, segment: held.segment } : await readState(trx, ticket.id, orgId);
      segment = state.segment;
      if (held) keepTimerId = held.opts.keepTimerId;
      if (state.ledger) {
        ledger = state.ledger;
        for (const e of change.events) applyEvent(ledger, e);
      } else {
        if (config.policies.length === 0) return;
        // The timeline already holds this change's events.
        ledger = ledgerFromTimeline(ticket, await readTimeline(trx, ticket.id), now);
      }
    }
    reconcile(ledger, ticket, now);
    const plan = planSla(ticket.id, ledger, choosePolicy(config, ticket, segment), now);
    const entered = tierEnteredAt(plan.ledger);
    const written = await writePlan(trx, ticket, plan, {
      now,
      tierEnteredAt: entered,
      ...(keepTimerId ? { keepTimerId } : {}),
    });
    remember(trx, written);
    return written;
  }

  // Per transaction, tickets read and locked ahead for the batch's timers (see prepare), each taken once.
  const prepared = new WeakMap<object, Map<string, LockedTicket>>();
  // Per transaction, what the timer worker's lock read (see lockForBatch), until prepare takes it.
  const lockedForBatch = new WeakMap<object, Map<string, LockedTicket>>();

  /**
   * The timer worker's ticket lock (engine/timers.ts): locks the batch's tickets as its default
   * does (SKIP LOCKED, id order) and reads each one's row and ledger with the lock, so `prepare`
   * need not read them again.
   */
  async function lockForBatch(trx: Transaction<DB>, ticketIds: string[]): Promise<string[]> {
    const rows = await lockTickets(trx, sql`t.id = any(${ticketIds}::uuid[])`, ticketIds.length, { skipLocked: true });
    lockedForBatch.set(trx, new Map(rows.map((r) => [r.ticket.id, r])));
    return rows.map((r) => r.ticket.id);
  }

  /**
   * Reads and locks the tickets of a batch's SLA timers in one query, for `fire` to take; nothing
   * to read when the worker's lock read them (they are unchanged since: no handler has run yet).
   */
  async function prepare(trx: Transaction<DB>, timers: TimerRow[]): Promise<void> {
    const ids = timers.flatMap((t) => (t.ticket_id ? [t.ticket_id] : []));
    const read = lockedForBatch.get(trx);
    lockedForBatch.delete(trx);
    const rows = read
      ? ids.flatMap((id) => (read.has(id) ? [read.get(id)!] : []))
      : await lockTickets(trx, sql`t.id = any(${ids}::uuid[])`, ids.length);
    prepared.set(trx, new Map(rows.map((r) => [r.ticket.id, r])));
  }

  /**
   * Fires one SLA timer: acts only if a fresh plan still holds this very timer (same clock run,
   * level and instant) — otherwise the ticket was answered, paused or re-planned meanwhile and the
   * fresh plan is written instead. Acting = record it in the ledger, then the timeline event the
   * rules react to.
   */
  async function fire(trx: Transaction<DB>, timer: TimerRow, now: Date): Promise<void> {
    if (!timer.ticket_id) return;
    // A batch's earlier timer may have been rolled back to its savepoint: plan afresh.
    planned.delete(trx);
    const ready = prepared.get(trx)?.get(timer.ticket_id);
    if (ready) prepared.get(trx)!.delete(timer.ticket_id);
    const [locked] = ready ? [ready] : await lockTickets(trx, sql`t.id = ${timer.ticket_id}`, 1);
    if (!locked?.ledger) return;
    const { ticket } = locked;
    const config = await cache.get(trx);
    const policy = choosePolicy(config, ticket, locked.segment);
    const plan = planSla(ticket.id, locked.ledger, policy, now);
    const opts = { now, keepTimerId: timer.id, tierEnteredAt: tierEnteredAt(plan.ledger) };
    if (!policy || !plan.allTimers.some((t) => t.key === timer.key)) {
      await writePlan(trx, ticket, plan, opts);
      return;
    }
    const data = timer.data as unknown as SlaTimerData;
    const ledger = plan.ledger;
    const clock = plan.clocks.find((c) => c.target === data.target);
    const r = clock ? ledger.rec[recordKey(clock.target, clock.tier ?? undefined)] : undefined;
    const base = { started_at: data.started_at, due_at: clock?.dueAt.toISOString() ?? data.due_at };
    let event: { type: string; data: Record<string, unknown> };
    switch (timer.kind) {
      case "sla.warning":
        if (r) r.w = Math.max(r.w, data.threshold ?? 0);
        event = { type: "sla.warning", data: { target: data.target, threshold: data.threshold, ...base } };
        break;
      case "ticket.idle":
        ledger.idle = Date.parse(data.started_at);
        event = { type: "ticket.idle", data: { minutes: data.minutes, since: data.started_at, due_at: data.due_at } };
        break;
      case "tier.budget_exceeded":
        if (r) r.b = Date.parse(data.due_at);
        event = {
          type: "tier.budget_exceeded",
          data: { target: "tier_budget", tier: data.tier, minutes: data.minutes, ...base },
        };
        break;
      default:
        if (r) r.b = Date.parse(data.due_at);
        if (timer.kind === "sla.periodic_update") ledger.upd = now.getTime();
        event = { type: "sla.breached", data: { target: data.target, ...base } };
    }
    if (timer.kind === "sla.periodic_update") {
      const next = planSla(ticket.id, ledger, policy, now).clocks.find((c) => c.target === "periodic_update");
      event.data.next_due_at = next?.dueAt.toISOString() ?? null;
    }
    // The plan is made and written once: by the hook of the change the rules make (usually an
    // escalation), or here after them.
    const held = { ledger, opts, segment: locked.segment };
    pending.set(ticket.id, held);
    remember(trx, ticket);
    const policyId = policy.core.id;
    let unwritten = false;
    try {
      await deps.events.record(SYSTEM_ACTOR, ticket.id, [{ ...event, at: now, actorKind: "sla_timer" }], now, {
        trx,
        locked: { ...ticket, sla_policy_id: policyId, tier_entered_at: opts.tierEnteredAt },
      });
    } finally {
      unwritten = pending.get(ticket.id) === held;
      if (unwritten) pending.delete(ticket.id);
    }
    if (unwritten) await writePlan(trx, ticket, planSla(ticket.id, ledger, policy, now), opts);
  }

  /**
   * The ticket's current plan (nothing written), for the SLA block and the lead's queries; from
   * `stored` when the caller already read the ticket's row of `ticket_sla` (null: it has none).
   */
  async function currentPlan(
    db: Executor,
    ticketId: string,
    now: Date,
    stored?: StoredSla | null,
  ): Promise<SlaPlan | null> {
    const row =
      stored !== undefined
        ? stored
        : (await sql<StoredSla>`select ledger, policy_id from ticket_sla where ticket_id = ${ticketId}`.execute(db))
            .rows[0];
    if (!row) return null;
    const config = await cache.get(db);
    const policy = row.policy_id ? (config.byId.get(row.policy_id) ?? null) : null;
    return planSla(ticketId, row.ledger, policy, now);
  }

  /**
   * The next time the customer was promised word from us, for the mail that tells them: the
   * running periodic-update clock's due instant (while escalated), else the next or first response
   * one; null when no running clock promises anything ahead of `now`. Planned from the ledger in
   * step with `ticket` as it is now (a change whose hook has not run yet included), in the
   * transaction of the change; the zone is the policy calendar's (Jakarta without one).
   */
  async function promisedUpdate(
    trx: Transaction<DB>,
    ticket: TicketRow,
    now: Date,
  ): Promise<{ at: Date; timeZone: string } | null> {
    const config = await cache.get(trx);
    if (config.policies.length === 0) return null;
    const held = pending.get(ticket.id);
    const orgId = config.usesSegments ? ticket.organization_id : null;
    const state = held ?? (await readState(trx, ticket.id, orgId));
    const ledger = state.ledger
      ? cloneLedger(state.ledger)
      : ledgerFromTimeline(ticket, await readTimeline(trx, ticket.id), now);
    reconcile(ledger, ticket, now);
    const policy = choosePolicy(config, ticket, state.segment);
    if (!policy) return null;
    const { clocks } = planSla(ticket.id, ledger, policy, now);
    for (const target of ["periodic_update", "next_response", "first_response"] as const) {
      // A paused clock (waiting on the customer, on hold) promises nothing until it runs again.
      const clock = clocks.find((c) => c.target === target && !c.stoppedAt && c.state !== "paused" && c.dueAt > now);
      if (clock) return { at: clock.dueAt, timeZone: policy.core.calendar?.timezone ?? "Asia/Jakarta" };
    }
    return null;
  }

  return { onChange, fire: Object.assign(fire, { prepare }), lockForBatch, replan, currentPlan, promisedUpdate };
}

export type SlaEngine = ReturnType<typeof createSlaEngine>;
