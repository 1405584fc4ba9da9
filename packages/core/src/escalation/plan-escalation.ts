import type { TicketFacts } from "../ticket/types.ts";
import { resolveTarget } from "./resolve-target.ts";
import {
  MAX_NOTE_LENGTH,
  type CustomerMessageKey,
  type EscalationActor,
  type EscalationTarget,
  type EscalationTrigger,
  type EscalationType,
  type PlanEscalationInput,
  type PlanEscalationResult,
} from "./types.ts";

const MANUAL_ACTORS = new Set(["agent", "supervisor", "admin"]);

/** The trigger recorded for an actor: people are `agent`, automation names itself. */
export function triggerOf(actor: EscalationActor): EscalationTrigger {
  if (actor.kind === "rule" || actor.kind === "sla_timer" || actor.kind === "customer") return actor.kind;
  return "agent";
}

/** Which customer message (if any) announces a move of this type. */
export function customerMessageKeyOf(type: EscalationType, trigger: EscalationTrigger): CustomerMessageKey {
  if (trigger === "customer") return "escalation_request_received";
  switch (type) {
    case "hierarchical":
      return "escalated_to_tier";
    case "functional":
      return "escalated_to_department";
    case "supervisor":
      return "escalated_to_supervisor";
    default:
      // Moves down or sideways are internal housekeeping; the customer is not told.
      return null;
  }
}

function worksTicket(actor: EscalationActor, ticket: TicketFacts): boolean {
  if (actor.tier === ticket.tier) return true;
  return ticket.groupId !== null && (actor.groupIds ?? []).includes(ticket.groupId);
}

/** Whether `actor` may make a move of `type` to `target` (PRODUCT.md §3 powers). */
export function mayEscalate(
  actor: EscalationActor,
  ticket: TicketFacts,
  target: EscalationTarget,
  type: EscalationType,
): boolean {
  switch (actor.kind) {
    case "supervisor":
    case "admin":
    case "rule":
    case "sla_timer":
      return true;
    case "agent":
      // Agents push their own tickets up or sideways to a department; only supervisors move tickets down.
      return worksTicket(actor, ticket) && (type === "hierarchical" || type === "functional" || type === "supervisor");
    case "customer":
      return actor.userId === ticket.requesterId && target.supervisor === true && type === "supervisor";
  }
}

const trimmed = (text: string | null | undefined): string => (text ?? "").trim();

/**
 * Decides an escalation (or de-escalation / re-assignment): checks the actor's powers, the handoff note
 * and the target, and returns where the ticket goes, or an error code naming the offending field.
 */
export function planEscalation(input: PlanEscalationInput): PlanEscalationResult {
  const { ticket, actor, target, reason, org } = input;
  if (ticket.status === "closed") return { ok: false, code: "ticket_closed" };

  const reasonText = trimmed(input.reason_text);
  if (reason === "other" && reasonText === "") return { ok: false, code: "reason_text_required", field: "reason_text" };

  const note = trimmed(input.note);
  if (MANUAL_ACTORS.has(actor.kind) && note === "") return { ok: false, code: "note_required", field: "note" };
  if (note.length > MAX_NOTE_LENGTH) return { ok: false, code: "note_too_long", field: "note" };

  const resolved = resolveTarget(ticket, target, org);
  if (!resolved.ok) return resolved;
  if (!mayEscalate(actor, ticket, target, resolved.type)) return { ok: false, code: "forbidden" };
  if (input.type !== undefined && input.type !== resolved.type) {
    return { ok: false, code: "type_mismatch", field: "type" };
  }

  const trigger = triggerOf(actor);
  return {
    ok: true,
    decision: {
      type: resolved.type,
      reason,
      reason_text: reasonText === "" ? null : reasonText,
      trigger,
      from: { tier: ticket.tier, group_id: ticket.groupId, assignee_id: ticket.assigneeId },
      to: resolved.to,
      note: note === "" ? null : note,
      customer_message_key: customerMessageKeyOf(resolved.type, trigger),
    },
  };
}
