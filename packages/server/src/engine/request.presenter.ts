import { iso } from "../tickets/ticket.presenter.ts";

/** The API's shape of a customer's escalation request (staff lists add the ticket, the customer and who acknowledged it). */
export function presentRequest(r: {
  id: string;
  ticket_id: string;
  reason: string;
  text: string | null;
  status: "open" | "acknowledged" | "resolved";
  due_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by?: string | null;
  acknowledged_by_name?: string | null;
  resolved_at: Date | null;
  created_at: Date;
  number?: number;
  subject?: string;
  customer_name?: string;
  customer_email?: string;
}) {
  return {
    id: r.id,
    ticket_id: r.ticket_id,
    reason: r.reason,
    text: r.text,
    status: r.status,
    due_at: iso(r.due_at),
    acknowledged_at: iso(r.acknowledged_at),
    resolved_at: iso(r.resolved_at),
    created_at: r.created_at.toISOString(),
    ...(r.number !== undefined ? { ticket: { id: r.ticket_id, number: r.number, subject: r.subject ?? "" } } : {}),
    ...(r.customer_name !== undefined ? { customer: { name: r.customer_name, email: r.customer_email ?? "" } } : {}),
    acknowledged_by: r.acknowledged_by ? { id: r.acknowledged_by, name: r.acknowledged_by_name ?? "" } : null,
  };
}
