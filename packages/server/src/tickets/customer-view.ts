import { customerEventText, customerTierLabel, statusChangedTo, type StoredEvent } from "@eskala/core/escalation";
import type { Channel, Language } from "@eskala/core";
import type { CustomerTicket, CustomerTicketSummary } from "@eskala/contracts";
import { iso, ref } from "./ticket.presenter.ts";
import type { TicketView } from "./ticket.repo.ts";

/**
 * The one customer-facing view of a ticket, used by every path that reaches a customer: the API
 * (ticket, list, timeline, messages), the live stream, the portal (through the API) and customer
 * emails. Everything here is ALLOWED by name: a field, event type or datum not written below
 * never reaches a customer, whatever internal columns or event data are added later.
 */

const requesterOf = (t: TicketView) => ({ id: t.requester_id, name: t.requester_name, email: t.requester_email });

/** A ticket as its customer sees it (no group, assignee, tags, priority, handoff note or tier name). */
export function customerTicket(t: TicketView, sla?: unknown): CustomerTicket {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status,
    channel: t.channel,
    language: t.language,
    tier: t.tier,
    requester: requesterOf(t),
    organization: ref(t.organization_id, t.organization_name),
    category: ref(t.category_id, t.category_name),
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
    first_response_at: iso(t.first_response_at),
    solved_at: iso(t.solved_at),
    closed_at: iso(t.closed_at),
    version: t.version,
    // The SLA block is already reduced for customers (sla/sla-block.ts: promised targets, no policy).
    ...(sla !== undefined ? { sla } : {}),
  };
}

/** A row of the customer's ticket list. */
export function customerTicketSummary(t: TicketView): CustomerTicketSummary {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    channel: t.channel,
    tier: t.tier,
    requester: requesterOf(t),
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
  };
}

/** A stored timeline event with its actor, as the timeline reads it. */
export interface EventRow extends StoredEvent {
  id: number | string;
  ticket_id: string;
  actor_kind: string;
  actor_name: string | null;
  at: Date;
}

/** The public facts of an event a customer may see, by type; nothing else of its data is shown. */
function customerEventData(e: StoredEvent): Record<string, unknown> {
  switch (e.type) {
    case "ticket.updated":
      return { status: statusChangedTo(e) };
    case "message.added":
      return { message_id: e.data.message_id };
    case "escalated":
      return { to_tier: e.data.to_tier };
    case "escalation.requested":
      return { reason: e.data.reason };
    case "csat.rated":
      return { rating: e.data.rating };
    default:
      return {};
  }
}

/**
 * An event as its customer sees it, or null when it is internal (core's `customerEventText`
 * decides, per type). The actor is a person's name or "system": rules and timers are not named.
 */
export function customerEvent(e: EventRow) {
  const text = { id: customerEventText(e, "id"), en: customerEventText(e, "en") };
  if (text.id === null || text.en === null) return null;
  const person = e.actor_kind === "user" || e.actor_kind === "customer";
  return {
    id: String(e.id),
    ticket_id: e.ticket_id,
    type: e.type,
    actor: { kind: person ? e.actor_kind : "system", id: null, name: person ? e.actor_name : null },
    data: { ...customerEventData(e), text },
    at: e.at.toISOString(),
  };
}

/** The first event of a change a customer may see (what their live stream says happened), or null. */
export function customerLiveType(events: readonly { type: string; data?: Record<string, unknown> }[]): string | null {
  return events.find((e) => customerEventText({ type: e.type, data: e.data ?? {} }, "en") !== null)?.type ?? null;
}

/** A message of the thread, as the message service reads it. */
export interface MessageView {
  id: string;
  ticket_id: string;
  kind: "reply" | "note";
  body: string;
  channel: Channel;
  author: { id: string; name: string; role: string } | null;
  mentions: string[];
  attachments: { id: string; filename: string; content_type: string; size: number }[];
  sentiment: number | null;
  created_at: string;
}

/** A message as its customer sees it, or null for an internal note. */
export function customerMessage(m: MessageView): MessageView | null {
  if (m.kind !== "reply") return null;
  return {
    id: m.id,
    ticket_id: m.ticket_id,
    kind: m.kind,
    body: m.body,
    channel: m.channel,
    author: m.author ? { id: m.author.id, name: m.author.name, role: m.author.role } : null,
    mentions: [],
    attachments: m.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      content_type: a.content_type,
      size: a.size,
    })),
    sentiment: null,
    created_at: m.created_at,
  };
}

/**
 * The ticket facts a customer email may state, filled by the mail layer whatever its caller
 * passed: the tier as its level ("our level 2 team"), never the name an admin gave it.
 */
export function customerMailFacts(ticket: { tier: number }, lang: Language): { tier_name: string } {
  return { tier_name: customerTierLabel(ticket.tier, lang) };
}
