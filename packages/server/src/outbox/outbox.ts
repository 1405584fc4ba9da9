import { sql } from "kysely";
import { defer, isDeferred, type DeferredFlush } from "../db/deferred.ts";
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
  /** The kind's parameters, worded per viewer language by the web app. */
  params?: Record<string, string | number | null>;
}

export type OutboxItem =
  | { kind: "email"; key: string; ticketId?: string | null; payload: EmailPayload }
  | { kind: "webhook"; key: string; ticketId?: string | null; payload: WebhookPayload }
  | { kind: "notification"; key: string; ticketId?: string | null; payload: NotificationPayload }
  /** A WhatsApp Cloud API call (channels/whatsapp/deliver.ts): a message to send or a media file to fetch. */
  | { kind: "whatsapp"; key: string; ticketId?: string | null; payload: Record<string, unknown> };

interface OutboxRow {
  kind: OutboxItem["kind"];
  idempotency_key: string;
  ticket_id: string | null;
  payload: OutboxItem["payload"];
  next_attempt_at: Date;
  created_at: Date;
}

/** Writes a deferring transaction's outbox rows (db/deferred.ts) in one statement, then wakes the relays. */
const flushOutbox: DeferredFlush<OutboxRow> = async (trx, rows) => {
  const { rows: inserted } = await sql<{ id: number }>`
    insert into outbox (kind, idempotency_key, ticket_id, payload, next_attempt_at, created_at)
    select kind, idempotency_key, ticket_id, payload, next_attempt_at, created_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(kind text, idempotency_key text, ticket_id uuid, payload jsonb, next_attempt_at timestamptz, created_at timestamptz)
    on conflict (idempotency_key) do nothing
    returning id`.execute(trx);
  if (inserted.length > 0) await sql`select pg_notify(${OUTBOX_CHANNEL}, ${String(inserted.length)})`.execute(trx);
};

/** Per deferring transaction, every key it has enqueued (a repeat is skipped without a look at the buffer). */
const deferredKeys = new WeakMap<object, Set<string>>();

/**
 * Writes outbox rows inside the caller's transaction, so a notification exists if and only if the
 * change that caused it committed. The key makes enqueueing idempotent (a repeat is ignored).
 * A NOTIFY wakes the relays (delivered after the commit, not before). In a transaction that defers
 * its writes the rows are written at its end; a key already waiting there counts as a repeat.
 * Returns how many rows are new.
 */
export async function enqueue(trx: Executor, items: OutboxItem[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const rows: OutboxRow[] = items.map((i) => ({
    kind: i.kind,
    idempotency_key: i.key,
    ticket_id: i.ticketId ?? null,
    payload: i.payload,
    next_attempt_at: now,
    created_at: now,
  }));
  if (isDeferred(trx)) {
    let waiting = deferredKeys.get(trx);
    if (!waiting) deferredKeys.set(trx, (waiting = new Set()));
    let added = 0;
    for (const row of rows) {
      if (waiting.has(row.idempotency_key)) continue;
      waiting.add(row.idempotency_key);
      defer(trx, flushOutbox, row);
      added++;
    }
    return added;
  }
  const inserted = await trx
    .insertInto("outbox")
    .values(rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload) })))
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .execute();
  if (inserted.length > 0) await sql`select pg_notify(${OUTBOX_CHANNEL}, ${String(inserted.length)})`.execute(trx);
  return inserted.length;
}
