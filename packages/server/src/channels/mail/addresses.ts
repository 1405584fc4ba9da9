import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { Executor } from "../../tickets/ticket-events.ts";
import { hmacHex, safeEqual } from "../settings.ts";

/** A group reachable by email: `support` → Frontline, `billing` → Billing. */
export interface MailboxGroup {
  groupId: string;
  local: string;
}

/** The parts of an address Eskala receives at: `support+1042-3fa9c1d2e4@eskala.local`. */
export interface Recipient {
  local: string;
  /** The ticket number in a plus-address, if any. */
  ticketNumber: number | null;
  /** Whether the plus-address carries a valid signature (so any sender may thread by it). */
  signed: boolean;
}

/** The local part of `groups.email_address` ("support" or "support@eskala.local"), lowercased. */
export function mailboxLocal(emailAddress: string, domain: string): string | null {
  const [local, host] = emailAddress.trim().toLowerCase().split("@");
  if (!local) return null;
  if (host && host !== domain.toLowerCase()) return null;
  return local;
}

export async function listMailboxes(db: Executor, domain: string): Promise<MailboxGroup[]> {
  const rows = await db
    .selectFrom("groups")
    .select(["id", "email_address"])
    .where("email_address", "is not", null)
    .orderBy("created_at")
    .execute();
  return rows.flatMap((r) => {
    const local = mailboxLocal(r.email_address!, domain);
    return local ? [{ groupId: r.id, local }] : [];
  });
}

/** A short cache of the mailboxes, so each RCPT does not hit the database. */
export function mailboxCache(db: Kysely<DB>, domain: string, ttlMs = 5_000) {
  let cached: { at: number; boxes: Promise<MailboxGroup[]> } | null = null;
  return (nowMs: number) => {
    if (!cached || nowMs - cached.at > ttlMs) {
      const boxes = listMailboxes(db, domain);
      boxes.catch(() => (cached = null));
      cached = { at: nowMs, boxes };
    }
    return cached.boxes;
  };
}

const signatureOf = (secret: string, ticketNumber: number) => hmacHex(secret, `reply-to:${ticketNumber}`).slice(0, 12);

/** The Reply-To that leads a customer's answer back to its ticket. */
export function replyToAddress(local: string, domain: string, ticketNumber: number, secret: string): string {
  return `${local}+${ticketNumber}-${signatureOf(secret, ticketNumber)}@${domain}`;
}

/**
 * Parses a recipient; null unless it is in our mail domain (no open relay). The plus part is
 * `{number}` or `{number}-{signature}`.
 */
export function parseRecipient(address: string, domain: string, secret: string): Recipient | null {
  const at = address.lastIndexOf("@");
  if (at < 1) return null;
  if (address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const full = address.slice(0, at).toLowerCase();
  const plus = full.indexOf("+");
  if (plus < 0) return { local: full, ticketNumber: null, signed: false };
  const local = full.slice(0, plus);
  const m = /^(\d{1,12})(?:-([0-9a-f]{12}))?$/.exec(full.slice(plus + 1));
  if (!m) return { local, ticketNumber: null, signed: false };
  const ticketNumber = Number(m[1]);
  const signed = m[2] !== undefined && safeEqual(m[2], signatureOf(secret, ticketNumber));
  return { local, ticketNumber, signed };
}
