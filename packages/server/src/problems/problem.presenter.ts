import type { ProblemRecord, ProblemTicket } from "@eskala/contracts";
import { iso, ref } from "../tickets/ticket.presenter.ts";
import type { findProblemTickets, ProblemView } from "./problem.repo.ts";

/** The API's shape of a problem. */
export function presentProblem(p: ProblemView): ProblemRecord {
  return {
    id: p.id,
    number: Number(p.number),
    title: p.title,
    description: p.description,
    status: p.status,
    workaround: p.workaround,
    owner: ref(p.owner_id, p.owner_name),
    created_by: ref(p.created_by, p.created_by_name),
    resolution_message_id: p.resolution_message_id,
    resolution_message_en: p.resolution_message_en,
    resolution_code: p.resolution_code,
    solve_linked: p.solve_linked,
    ticket_count: p.ticket_count,
    open_ticket_count: p.open_ticket_count,
    fixed_at: iso(p.fixed_at),
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
    version: p.version,
  };
}

export function presentProblemTicket(t: Awaited<ReturnType<typeof findProblemTickets>>[number]): ProblemTicket {
  return {
    id: t.id,
    number: Number(t.number),
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    language: t.language,
    linked_at: t.linked_at.toISOString(),
    notified: t.notified,
  };
}
