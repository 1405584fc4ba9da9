import { enqueueNotification } from "../notify/fan-out.ts";
import { enqueue } from "../outbox/outbox.ts";
import type { Executor } from "./ticket-events.ts";

/**
 * Collaborators are staff following a ticket. They are told, in-app, when they are added and
 * when the customer writes, like the assignee; being added is also told by email, in the person's
 * language, through the outbox in the change's transaction. The person who made the change is never told of it.
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
  if (input.kind !== "collaborator.added") return;
  const people = await trx
    .selectFrom("users")
    .select(["id", "email", "name", "language"])
    .where("id", "in", userIds)
    .where("disabled", "=", false)
    .execute();
  await enqueue(
    trx,
    people.map((u) => ({
      kind: "email" as const,
      key: `${input.kind}:${input.key}:email:${u.id}`,
      ticketId: ticket.id,
      payload: { to: u.email, language: u.language, ...addedEmail(u.language, u.name, actorName, ticket) },
    })),
    input.now,
  );
}

/** The email telling a staff member they were added as a collaborator, in their language. */
function addedEmail(
  lang: "id" | "en",
  name: string,
  actorName: string,
  ticket: { number: number; subject: string },
): { subject: string; text: string; headers: Record<string, string> } {
  const text =
    lang === "id"
      ? `Halo ${name},\n\n${actorName} menambahkan Anda sebagai kolaborator pada tiket #${ticket.number} "${ticket.subject}". ` +
        "Anda akan diberi tahu saat pelanggan membalas atau tiket naik tier. Buka tiket di Eskala untuk mengikutinya."
      : `Hello ${name},\n\n${actorName} added you as a collaborator on ticket #${ticket.number} "${ticket.subject}". ` +
        "You will be told when the customer replies or the ticket moves tier. Open the ticket in Eskala to follow it.";
  return {
    subject:
      lang === "id"
        ? `Anda ditambahkan sebagai kolaborator: #${ticket.number} ${ticket.subject}`
        : `You were added as a collaborator: #${ticket.number} ${ticket.subject}`,
    text,
    headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
  };
}
