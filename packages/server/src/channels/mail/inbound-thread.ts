import type { TicketRow } from "../../db/schema.ts";
import type { Executor } from "../../tickets/ticket-events.ts";
import type { Recipient } from "./addresses.ts";
import type { InboundMail } from "./inbound-read.ts";

/**
 * The ticket a mail belongs to. `proven`: it is added there. `unproven`: the mail points at a
 * ticket (In-Reply-To, References, `[#1042]`, an unsigned plus-address) without proving that
 * it comes from someone on it, so it opens a new ticket that says why.
 */
export type Thread =
  | { kind: "none" }
  | { kind: "proven"; ticket: TicketRow }
  | { kind: "unproven"; ticket: TicketRow; why: "not_participant" | "unverified"; dmarc?: string };

/**
 * Finds the thread of a mail. Only two things prove a sender: the signed plus-address of our
 * Reply-To (`support+{number}-{signature}@…`, which only the ticket's mails carry), or a From
 * that is the requester, the assignee, a collaborator or an earlier author of the ticket AND
 * whose domain passes DMARC (`verifySender`, asked only then). A From header alone proves nothing.
 */
export async function findThread(
  db: Executor,
  mail: InboundMail,
  recipients: Recipient[],
  senderId: string | null,
  verifySender: () => Promise<{ verified: boolean; dmarc: string }>,
): Promise<Thread> {
  const byNumber = (n: number) => db.selectFrom("tickets").selectAll().where("number", "=", n).executeTakeFirst();
  const signed = recipients.find((r) => r.signed && r.ticketNumber !== null);
  if (signed) {
    const t = await byNumber(signed.ticketNumber!);
    if (t) return { kind: "proven", ticket: t };
  }

  const candidates: TicketRow[] = [];
  if (mail.threadIds.length) {
    const rows = await db
      .selectFrom("mail_messages")
      .select(["message_id", "ticket_id"])
      .where("message_id", "in", mail.threadIds)
      .execute();
    const hit = mail.threadIds.map((id) => rows.find((r) => r.message_id === id)).find((r) => r !== undefined);
    const t = hit && (await db.selectFrom("tickets").selectAll().where("id", "=", hit.ticket_id).executeTakeFirst());
    if (t) candidates.push(t);
  }
  const numbers = [
    ...recipients.filter((r) => !r.signed && r.ticketNumber !== null).map((r) => r.ticketNumber!),
    ...[...(mail.subject ?? "").matchAll(/\[#(\d{1,12})\]/g)].map((m) => Number(m[1])),
  ];
  for (const n of [...new Set(numbers)].slice(0, 10)) {
    const t = await byNumber(n);
    if (t && !candidates.some((c) => c.id === t.id)) candidates.push(t);
  }
  if (!candidates.length) return { kind: "none" };

  if (senderId) {
    for (const t of candidates) {
      if (!(await isParticipant(db, t, senderId))) continue;
      const check = await verifySender();
      return check.verified
        ? { kind: "proven", ticket: t }
        : { kind: "unproven", ticket: t, why: "unverified", dmarc: check.dmarc };
    }
  }
  return { kind: "unproven", ticket: candidates[0]!, why: "not_participant" };
}

async function isParticipant(db: Executor, t: TicketRow, userId: string): Promise<boolean> {
  if (t.requester_id === userId || t.assignee_id === userId || t.collaborator_ids.includes(userId)) return true;
  const wrote = await db
    .selectFrom("messages")
    .select("id")
    .where("ticket_id", "=", t.id)
    .where("author_id", "=", userId)
    .executeTakeFirst();
  return wrote !== undefined;
}

/** The internal note on a ticket opened from an unproven mail, for agents, in Indonesian and English. */
export function unprovenNote(thread: Extract<Thread, { kind: "unproven" }>, fromAddress: string): string {
  const n = thread.ticket.number;
  if (thread.why === "not_participant")
    return [
      `Email ini merujuk ke tiket #${n}, tetapi pengirimnya (${fromAddress}) bukan peminta atau peserta tiket itu, jadi email ini dibuka sebagai tiket baru.`,
      `This email refers to ticket #${n}, but its sender (${fromAddress}) is not the requester or a participant of that ticket, so it was opened as a new ticket.`,
    ].join("\n\n");
  return [
    `Pengirim belum terverifikasi: email ini memakai alamat ${fromAddress} dan merujuk ke tiket #${n}, tetapi domainnya tidak lolos pemeriksaan DMARC (hasil: ${thread.dmarc}). Email ini tidak ditambahkan ke tiket #${n} dan tidak dapat meminta eskalasi atas nama pelanggan; pastikan dulu bahwa pengirimnya memang pemilik alamat itu.`,
    `Unverified sender: this email uses the address ${fromAddress} and refers to ticket #${n}, but its domain did not pass the DMARC check (result: ${thread.dmarc}). It was not added to ticket #${n} and cannot request an escalation in the customer's name; make sure the sender really owns that address first.`,
  ].join("\n\n");
}
