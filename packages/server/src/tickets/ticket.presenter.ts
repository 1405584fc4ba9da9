import type { HandoffNote } from "../db/schema.ts";
import type { TicketView } from "./ticket.repo.ts";

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** A named reference (group, assignee, organization, category), or null. */
export const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? "" } : null);

/** The API's shape of a ticket. */
export function presentTicket(t: TicketView, extra: { sla?: unknown } = {}) {
  const note = t.handoff_note as HandoffNote | null;
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    language: t.language,
    tier: t.tier,
    tier_name: t.tier_name ?? `Tier ${t.tier}`,
    group: ref(t.group_id, t.group_name),
    assignee: ref(t.assignee_id, t.assignee_name),
    requester: { id: t.requester_id, name: t.requester_name, email: t.requester_email },
    organization: ref(t.organization_id, t.organization_name),
    category: ref(t.category_id, t.category_name),
    tags: t.tags,
    collaborator_ids: t.collaborator_ids,
    handoff_note: note
      ? {
          body: note.body,
          author_name: note.author_name,
          at: note.at,
          from_tier: note.from_tier,
          to_tier: note.to_tier,
          ...(note.handoff ? { handoff: note.handoff } : {}),
        }
      : null,
    resolution_code: t.resolution_code,
    solved_tier: t.solved_tier,
    escalation_count: t.escalation_count,
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
    first_response_at: iso(t.first_response_at),
    solved_at: iso(t.solved_at),
    closed_at: iso(t.closed_at),
    version: t.version,
    ...(extra.sla !== undefined ? { sla: extra.sla } : {}),
  };
}

export function presentTicketSummary(t: TicketView) {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    tier: t.tier,
    group: ref(t.group_id, t.group_name),
    assignee: ref(t.assignee_id, t.assignee_name),
    requester: { id: t.requester_id, name: t.requester_name, email: t.requester_email },
    tags: t.tags,
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
  };
}
