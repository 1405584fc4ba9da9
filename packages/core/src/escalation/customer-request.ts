import type { TicketFacts } from "../ticket/types.ts";
import { planEscalation } from "./plan-escalation.ts";
import type { EscalationDecision, OrgStructure } from "./types.ts";

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
  "forbidden" | "ticket_closed" | "request_already_open" | "reason_text_required" | "text_too_long" | "unknown_target";

export type CustomerRequestResult =
  | { ok: true; decision: EscalationDecision; request: { reason: CustomerRequestReason; text: string | null } }
  | { ok: false; code: CustomerRequestErrorCode; field?: string };

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
  if (planned.code === "same_level") {
    // The ticket already sits with its supervisor; the request is still recorded and acknowledged.
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
    return { ok: true, decision, request };
  }
  if (planned.code === "unknown_target") return { ok: false, code: "unknown_target", field: "supervisor" };
  return { ok: false, code: "forbidden" };
}
