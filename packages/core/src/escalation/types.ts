/** Escalation vocabulary (PRODUCT.md §3, §7): what moved a ticket, why, who asked, and where it went. */
import type { GroupKind, TicketFacts } from "../ticket/types.ts";

export const ESCALATION_TYPES = ["hierarchical", "functional", "supervisor", "de_escalation", "reassignment"] as const;
export type EscalationType = (typeof ESCALATION_TYPES)[number];

export const ESCALATION_REASONS = [
  "missing_skill",
  "too_complex",
  "too_slow",
  "sla_breach",
  "customer_request",
  "negative_sentiment",
  "low_rating",
  "other",
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const ESCALATION_TRIGGERS = ["agent", "rule", "sla_timer", "customer"] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

export const ACTOR_KINDS = ["agent", "supervisor", "admin", "customer", "rule", "sla_timer"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Longest handoff note accepted, in characters. */
export const MAX_NOTE_LENGTH = 5000;

/**
 * Where a ticket should go. Exactly one destination: a tier (`"next"` = current tier + 1), a group,
 * a department, or a supervisor (`true` = first supervisor of the ticket's group, or a user id).
 * `group_id` may accompany `tier` when it names a group of that tier.
 */
export interface EscalationTarget {
  tier?: number | "next";
  group_id?: string;
  department_id?: string;
  supervisor?: true | string;
}

/** Who asks for the move. `tier`/`groupIds` describe an agent's own place in the organisation. */
export interface EscalationActor {
  kind: ActorKind;
  userId?: string;
  tier?: number;
  groupIds?: readonly string[];
}

export interface OrgTier {
  level: number;
  name: string;
}

export interface OrgGroup {
  id: string;
  kind: GroupKind;
  /** The tier a `tier` group serves; null for departments. */
  tier_level: number | null;
  supervisor_ids: readonly string[];
  name: string;
}

/** Levels, groups and the escalation path between them (configuration, PRODUCT.md §1). */
export interface OrgStructure {
  tiers: readonly OrgTier[];
  groups: readonly OrgGroup[];
  /** Escalation path: tier level → the group a ticket lands in when escalated to that tier. */
  defaultGroupByTier: Readonly<Record<number, string>>;
}

export interface PlanEscalationInput {
  ticket: TicketFacts;
  actor: EscalationActor;
  target: EscalationTarget;
  /** Optional; when given it must agree with the type the target implies. */
  type?: EscalationType;
  reason: EscalationReason;
  reason_text?: string | null;
  /** Handoff note: required (non-blank, ≤ 5000 chars) for agent, supervisor and admin escalations. */
  note?: string | null;
  org: OrgStructure;
}

export interface EscalationPlace {
  tier: number;
  group_id: string | null;
  assignee_id: string | null;
}

/** Keys of the customer-facing messages (see `customerEscalationText`); null = tell the customer nothing. */
export type CustomerMessageKey =
  "escalated_to_tier" | "escalated_to_department" | "escalated_to_supervisor" | "escalation_request_received" | null;

export interface EscalationDecision {
  type: EscalationType;
  reason: EscalationReason;
  reason_text: string | null;
  trigger: EscalationTrigger;
  from: EscalationPlace;
  to: EscalationPlace;
  note: string | null;
  customer_message_key: CustomerMessageKey;
}

export type EscalationErrorCode =
  | "unknown_target"
  | "forbidden"
  | "note_required"
  | "note_too_long"
  | "reason_text_required"
  | "same_level"
  | "no_next_tier"
  | "ticket_closed"
  | "type_mismatch";

export type PlanEscalationResult =
  { ok: true; decision: EscalationDecision } | { ok: false; code: EscalationErrorCode; field?: string };
