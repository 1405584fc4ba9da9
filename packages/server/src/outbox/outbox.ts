import { sql } from "kysely";
import type { Executor } from "../tickets/ticket-events.ts";

/** The channel the relay listens on; enqueue notifies it, delivered when the transaction commits. */
export const OUTBOX_CHANNEL = "eskala_outbox";

/** An email to send through SMTP_URL, fully rendered when it is enqueued. */
export interface EmailPayload {
  to: string;
  from?: string;
  subject: string;
  text: string;
  html?: string;
  /** Threading and routing headers: Message-ID, In-Reply-To, References, Reply-To, Auto-Submitted… */
  headers?: Record<string, string>;
  template?: string;
  language?: "id" | "en";
}

export interface WebhookPayload {
  webhook_id: string;
  event: string;
  body: Record<string, unknown>;
}

export interface NotificationPayload {
  user_id: string;
  kind: string;
  title: string;
  body?: string;
}

export type OutboxItem =
  | { kind: "email"; key: string; ticketId?: string | null; payload: EmailPayload }
  | { kind: "webhook"; key: string; ticketId?: string | null; payload: WebhookPayload }
  | { kind: "notification"; key: string; ticketId?: string | null; payload: NotificationPayload };

/**
 * Writes outbox rows inside the caller's transaction, so a notification exists if and only if the
 * change that caused it committed. The key makes enqueueing idempotent (a repeat is ignored).
 * A NOTIFY wakes the relays (delivered after the commit, not before).
 */
export async function enqueue(trx: Executor, items: OutboxItem[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const inserted = await trx
    .insertInto("outbox")
    .values(
      items.map((i) => ({
        kind: i.kind,
        idempotency_key: i.key,
        ticket_id: i.ticketId ?? null,
        payload: JSON.stringify(i.payload),
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .execute();
  if (inserted.length > 0) await sql`select pg_notify(${OUTBOX_CHANNEL}, ${String(inserted.length)})`.execute(trx);
}
