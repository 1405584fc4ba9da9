import type { TicketStatus } from "./types.ts";

/**
 * Allowed status moves (PRODUCT.md §2): new → open → pending/on_hold → solved → closed.
 * A solved ticket re-opens on a customer reply or an agent's decision; closed is final.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "pending", "on_hold", "solved"],
  open: ["pending", "on_hold", "solved"],
  pending: ["open", "on_hold", "solved"],
  on_hold: ["open", "pending", "solved"],
  solved: ["open", "closed"],
  closed: [],
};

export type TransitionCheck = { ok: true } | { ok: false; reason: "same_status" | "closed_is_final" | "not_allowed" };

/** Whether a ticket may move from one status to another. */
export function checkTransition(from: TicketStatus, to: TicketStatus): TransitionCheck {
  if (from === to) return { ok: false, reason: "same_status" };
  if (from === "closed") return { ok: false, reason: "closed_is_final" };
  return TRANSITIONS[from].includes(to) ? { ok: true } : { ok: false, reason: "not_allowed" };
}

/** The statuses reachable from `from`, for menus. */
export function nextStatuses(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

/**
 * Status after a message is added. A customer reply re-opens a pending or solved ticket;
 * an agent's public reply on a new ticket opens it. Closed tickets never change.
 */
export function statusAfterMessage(
  current: TicketStatus,
  author: "customer" | "agent",
  isPublic: boolean,
): TicketStatus {
  if (current === "closed") return current;
  if (author === "customer") return current === "pending" || current === "solved" ? "open" : current;
  if (isPublic && current === "new") return "open";
  return current;
}

export function isOpenStatus(status: TicketStatus): boolean {
  return status !== "solved" && status !== "closed";
}
