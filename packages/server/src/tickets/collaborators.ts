import { enqueueNotification } from "../notify/fan-out.ts";
import type { Executor } from "./ticket-events.ts";

/**
 * Collaborators are staff following a ticket. They are told, in-app, when they are added and
 * when the customer writes, like the assignee; the person who made the change is never told of it.
 */
export async function notifyCollaborators(
  trx: Executor,
  input: {
    kind: "collaborator.added" | "collaborator.customer_replied";
    userIds: readonly string[];
    actorId: string | null;
    ticket: { id: string; number: number; subject: string; assignee_id?: string | null };
    /** Names the occurrence (a message id, a ticket version). */
    key: string;
    now: Date;
  },
): Promise<void> {
  const userIds = input.userIds.filter((id) => id !== input.actorId);
  if (userIds.length === 0) return;
  const { ticket } = input;
  const actor = input.actorId
    ? await trx.selectFrom("users").select("name").where("id", "=", input.actorId).executeTakeFirst()
    : undefined;
  const actorName = actor?.name ?? "Eskala";
  await enqueueNotification(trx, {
    userIds,
    kind: input.kind,
    title: `#${ticket.number} ${ticket.subject}`,
    body:
      input.kind === "collaborator.added"
        ? `${actorName} added you as a collaborator.`
        : "The customer replied on a ticket you follow.",
    params: { number: ticket.number, subject: ticket.subject, author: actorName },
    ticketId: ticket.id,
    key: `${input.kind}:${input.key}`,
    now: input.now,
  });
}
