import type { TicketFacts } from "../ticket/types.ts";
import { planEscalation } from "./plan-escalation.ts";
import { defaultGroupOfTier } from "./resolve-target.ts";
import type { EscalationDecision, OrgGroup, OrgStructure } from "./types.ts";

export const CUSTOMER_REQUEST_REASONS = ["too_slow", "not_helpful", "wants_supervisor", "other"] as const;
export type CustomerRequestReason = (typeof CUSTOMER_REQUEST_REASONS)[number];

/** Longest free text a customer may attach to an escalation request, in characters. */
export const MAX_CUSTOMER_REQUEST_TEXT = 2000;

export interface CustomerRequestInput {
  ticket: TicketFacts;
  /** The user asking; only the ticket's requester may ask. */
  customerId: string;
  reason: CustomerRequestReason;
  text?: string | null;
  /** Whether an earlier customer request on this ticket is still unanswered. */
  hasOpenRequest: boolean;
  org: OrgStructure;
}

export type CustomerRequestErrorCode =
  "forbidden" | "ticket_closed" | "request_already_open" | "reason_text_required" | "text_too_long";

/**
 * Who must hear of a request that stays where the ticket is because its group has no supervisor:
 * the supervisors of the nearest group that has some, or (when no group has one) the admins.
 */
export type CustomerRequestTell = { supervisorIds: string[] } | { admins: true };

export type CustomerRequestResult =
  | {
      ok: true;
      decision: EscalationDecision;
      request: { reason: CustomerRequestReason; text: string | null };
      /** Present when the ticket does not move: who is told of the open request (nobody new moves the ticket). */
      tell?: CustomerRequestTell;
    }
  | { ok: false; code: CustomerRequestErrorCode; field?: string };

/**
 * The nearest supervisors for a ticket whose own group has none: the ticket's tier and then each
 * tier above it, the tier's default group first, then its other tier groups; departments last.
 */
function nearestSupervisors(ticket: TicketFacts, org: OrgStructure): string[] {
  const levels = org.tiers
    .map((t) => t.level)
    .filter((level) => level >= ticket.tier)
    .sort((a, b) => a - b);
  const led = (g: OrgGroup | undefined) => g !== undefined && g.id !== ticket.groupId && g.supervisor_ids.length > 0;
  for (const level of levels) {
    const group = [
      defaultGroupOfTier(org, level),
      ...org.groups.filter((g) => g.kind === "tier" && g.tier_level === level),
    ].find(led);
    if (group) return [...group.supervisor_ids];
  }
  return [];
}

/**
 * Plans a customer's own escalation request (portal or reply, PRODUCT.md §7): it goes to the supervisor
 * of the ticket's group as a `supervisor` escalation with reason `customer_request` and trigger `customer`.
 */
export function planCustomerRequest(input: CustomerRequestInput): CustomerRequestResult {
  const { ticket, customerId, reason, org } = input;
  if (customerId !== ticket.requesterId) return { ok: false, code: "forbidden" };
  if (ticket.status === "closed") return { ok: false, code: "ticket_closed" };
  if (input.hasOpenRequest) return { ok: false, code: "request_already_open" };

  const text = (input.text ?? "").trim();
  if (reason === "other" && text === "") return { ok: false, code: "reason_text_required", field: "text" };
  if (text.length > MAX_CUSTOMER_REQUEST_TEXT) return { ok: false, code: "text_too_long", field: "text" };

  const requestText = text === "" ? null : text;
  const request = { reason, text: requestText };
  const planned = planEscalation({
    ticket,
    actor: { kind: "customer", userId: customerId },
    target: { supervisor: true },
    reason: "customer_request",
    reason_text: requestText,
    org,
  });
  if (planned.ok) return { ok: true, decision: planned.decision, request };
  if (planned.code !== "same_level" && planned.code !== "unknown_target") return { ok: false, code: "forbidden" };

  // The request is recorded and acknowledged where the ticket is: its supervisor already holds it
  // (same_level), or its group has no supervisor (unknown_target: a group an admin created without
  // one, or no group). In the second case the ticket stays with the team working it, as a contact
  // center's floor would: the customer asked for a senior eye, not for a different team, and moving
  // it to another tier's lead would let a customer jump tiers. The request stays open on the ticket
  // with its response target, and the nearest lead (same tier, then the tiers above) is told; with
  // no supervisor anywhere, the admins are, so an escalation request never lands with nobody.
  const here = { tier: ticket.tier, group_id: ticket.groupId, assignee_id: ticket.assigneeId };
  const decision: EscalationDecision = {
    type: "supervisor",
    reason: "customer_request",
    reason_text: requestText,
    trigger: "customer",
    from: here,
    to: { ...here },
    note: null,
    customer_message_key: "escalation_request_received",
  };
  if (planned.code === "same_level") return { ok: true, decision, request };
  const supervisorIds = nearestSupervisors(ticket, org);
  return { ok: true, decision, request, tell: supervisorIds.length ? { supervisorIds } : { admins: true } };
}
