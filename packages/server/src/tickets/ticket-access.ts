import type { Actor } from "../auth/actor.ts";
import type { TicketRow } from "../db/schema.ts";
import { AppError, forbidden, notFound } from "../lib/app-error.ts";

/** Whether the actor may see the ticket at all. Customers see their own (and, if allowed, their organization's). */
export function canSeeTicket(actor: Actor, ticket: Pick<TicketRow, "requester_id" | "organization_id">): boolean {
  if (actor.role !== "customer") return true;
  if (ticket.requester_id === actor.userId) return true;
  return actor.orgShared && actor.organizationId !== null && ticket.organization_id === actor.organizationId;
}

/** 404 rather than 403 for a ticket the actor may not see, so existence does not leak. */
export function assertVisible<T extends Pick<TicketRow, "requester_id" | "organization_id">>(
  actor: Actor,
  ticket: T | undefined,
): T {
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound("ticket");
  return ticket;
}

export function assertStaff(actor: Actor, what = "This"): void {
  if (actor.role === "customer") throw forbidden(`${what} is for agents`);
}

export function adminOnlyField(actor: Actor, field: string, present: boolean): void {
  if (present && actor.role !== "admin") {
    throw new AppError("forbidden", `${field} may only be set by admins (imports)`, [
      { path: [field], message: "admins only" },
    ]);
  }
}
