import { sql } from "kysely";
import { enqueueNotification } from "../notify/fan-out.ts";
import type { Executor } from "./ticket-events.ts";

// `@` not preceded by a word character (so an address in the text is no mention), then either a
// quoted full name or a handle: an email, its local part, the name with dots for spaces, a first name.
const MENTION = /(?<![\p{L}\p{N}._+-])@(?:"([^"\n]{1,200})"|([\p{L}\p{N}._+-]+(?:@[\p{L}\p{N}.-]+)?))/gu;

/** The handles written in a text, lower-cased: `@"Siti Rahma"` → `siti rahma`, `@agent3.` → `agent3`. */
export function mentionHandles(text: string): string[] {
  const handles = [...text.matchAll(MENTION)].map((m) =>
    (m[1] ?? m[2] ?? "")
      .trim()
      .replace(/[.\-_]+$/u, "")
      .toLowerCase(),
  );
  return [...new Set(handles.filter((h) => h.length > 0))];
}

/**
 * The staff (never customers, never disabled users) a text mentions: by email, email local part,
 * full name (quoted, or with dots for spaces as the composer writes it) or first name; a first
 * name shared by several staff mentions none of them.
 */
export async function findMentions(db: Executor, text: string): Promise<string[]> {
  const handles = mentionHandles(text);
  if (handles.length === 0) return [];
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("role", "!=", "customer")
    .where("disabled", "=", false)
    .where((eb) =>
      eb.or([
        eb(sql`lower(email)`, "in", handles),
        eb(sql`lower(split_part(email, '@', 1))`, "in", handles),
        eb(sql`lower(name)`, "in", handles),
        eb(sql`lower(replace(name, ' ', '.'))`, "in", handles),
        eb(sql`lower(split_part(name, ' ', 1))`, "in", handles),
      ]),
    )
    .orderBy("id")
    .execute();
  const byFirstName = new Map<string, string[]>();
  const ids = new Set<string>();
  for (const u of rows) {
    const email = u.email.toLowerCase();
    const name = u.name.trim().toLowerCase();
    const exact = [email, email.split("@")[0]!, name, name.replace(/\s+/g, ".")];
    if (exact.some((h) => handles.includes(h))) ids.add(u.id);
    else {
      const first = name.split(/\s+/)[0]!;
      byFirstName.set(first, [...(byFirstName.get(first) ?? []), u.id]);
    }
  }
  for (const [first, users] of byFirstName) if (handles.includes(first) && users.length === 1) ids.add(users[0]!);
  return [...ids];
}

/**
 * Tells each mentioned staff member, in-app, that they were mentioned in an internal note: one
 * notification per (note, person), written to the outbox in the note's transaction. The author is
 * not told of their own mention.
 */
export async function notifyMentions(
  trx: Executor,
  input: {
    userIds: readonly string[];
    authorId: string | null;
    ticket: { id: string; number: number; subject: string };
    messageId: string;
    now: Date;
  },
): Promise<void> {
  const userIds = input.userIds.filter((id) => id !== input.authorId);
  if (userIds.length === 0) return;
  const { ticket } = input;
  const author = input.authorId
    ? await trx.selectFrom("users").select("name").where("id", "=", input.authorId).executeTakeFirst()
    : undefined;
  const authorName = author?.name ?? "Eskala";
  await enqueueNotification(trx, {
    userIds,
    kind: "mention",
    title: `#${ticket.number} ${ticket.subject}`,
    body: `${authorName} mentioned you in an internal note.`,
    params: { number: ticket.number, subject: ticket.subject, author: authorName },
    ticketId: ticket.id,
    key: `mention:${input.messageId}`,
    now: input.now,
  });
}
