/** SLA vocabulary (PRODUCT.md §4): policies, the ticket history a clock needs, clocks and timers. */
import type { Calendar, Pause, ValidationIssue } from "../calendar/index.ts";
import type { Channel, Priority, TicketStatus } from "../ticket/types.ts";

export const SLA_TARGETS = ["first_response", "next_response", "periodic_update", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export type ClockTarget = SlaTarget | "tier_budget";

/** Target durations in business minutes. */
export type SlaTargets = Partial<Record<SlaTarget, number>>;

export interface SlaConditions {
  priorities?: readonly Priority[];
  category_ids?: readonly string[];
  segments?: readonly string[];
  channels?: readonly Channel[];
  group_ids?: readonly string[];
}

export interface SlaPolicy {
  id: string;
  name: string;
  /** Lower positions are tried first. */
  position: number;
  /** Every present, non-empty list must contain the ticket's value. */
  conditions: SlaConditions;
  /** Business calendar, or null for 24/7. */
  calendar: Calendar | null;
  pause_on_hold: boolean;
  targets: Record<Priority, SlaTargets>;
  /** Business minutes a tier may hold the ticket, keyed by tier level as a string ("1"). */
  tier_budgets: Record<string, number>;
  /** Warning thresholds as ascending fractions of a target, e.g. [0.5, 0.75]. */
  ladder: readonly number[];
  /** Business minutes to answer a customer's explicit request; carried for the rules engine, no clock here. */
  customer_request_response?: number;
}

export type PolicyValidation = { ok: true; policy: SlaPolicy } | { ok: false; errors: ValidationIssue[] };

export interface StatusInterval {
  status: TicketStatus;
  from: Date;
  /** null while current. */
  to: Date | null;
}

export interface MessageEvent {
  at: Date;
  author: "customer" | "agent";
  public: boolean;
}

export interface TierChange {
  at: Date;
  tier: number;
}

/** The ticket history the clocks are computed from; events after `now` are ignored. */
export interface ClockTicket {
  priority: Priority;
  createdAt: Date;
  /** Contiguous status intervals from creation; the last one is current (`to: null`). */
  statusHistory: StatusInterval[];
  messages: MessageEvent[];
  initialTier: number;
  tierChanges: TierChange[];
  /** When the ticket was flagged escalated (besides moving up a tier), or null. */
  escalatedAt?: Date | null;
}

export interface ClockInput {
  policy: SlaPolicy;
  ticket: ClockTicket;
  now: Date;
}

export type ClockState = "active" | "paused" | "achieved" | "warning" | "breached";

export interface SlaClock {
  target: ClockTarget;
  /** Tier level the budget belongs to (tier_budget only). */
  tier?: number;
  /** Target length in business minutes. */
  targetMinutes: number;
  startedAt: Date;
  /** Deadline with the pauses so far; for a paused clock, the deadline if it resumed now. */
  dueAt: Date;
  /** Business minutes counted (not paused) from start to the stop or now. */
  businessMinutes: number;
  /** Business minutes during which the clock was stopped (pauses; for resolution also solved spells). */
  pausedMinutes: number;
  state: ClockState;
  achievedAt?: Date;
  breachedAt?: Date;
  /** targetMinutes - businessMinutes; negative once breached. */
  remainingMinutes: number;
  /** Stopped intervals applied to this clock (ongoing ones end at `now`), for re-planning timers. */
  pauses: Pause[];
}

export interface PauseEntry {
  from: Date;
  to: Date | null;
  reason: TicketStatus;
}

export interface ClockResult {
  clocks: SlaClock[];
  pauseLedger: PauseEntry[];
}

export type SlaTimer =
  | { kind: "sla.warning"; target: SlaTarget; threshold: number; dueAt: Date }
  | { kind: "sla.breached"; target: SlaTarget; dueAt: Date }
  | { kind: "tier.budget_exceeded"; target: "tier_budget"; tier: number; dueAt: Date };
