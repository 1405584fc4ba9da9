import { sql } from "kysely";
import { enqueue } from "../outbox/outbox.ts";
import type { Executor } from "../tickets/ticket-events.ts";

/** Events the engine and channels raise to webhooks (a webhook may subscribe to any subset). */
export type { WebhookEvent } from "@eskala/contracts";

/**
 * Writes one outbox row per enabled webhook subscribed to `event` (its `events` list names it, or
 * is empty = all; `*` is also read as all), inside the caller's transaction. The body is sent as
 * `{event, occurred_at, ...body}`. Idempotent per (webhook, event, key): pass a key naming the
 * occurrence (e.g. the timeline event id). Returns how many rows were written.
 */
export async function enqueueWebhookEvent(
  trx: Executor,
  event: string,
  body: object,
  opts: { ticketId?: string | null; key: string; now: Date },
): Promise<number> {
  const hooks = await trx
    .selectFrom("webhooks")
    .select("id")
    .where("enabled", "=", true)
    .where(sql<boolean>`(cardinality(events) = 0 or ${event} = any(events) or '*' = any(events))`)
    .execute();
  await enqueue(
    trx,
    hooks.map((h) => ({
      kind: "webhook" as const,
      key: `webhook:${h.id}:${event}:${opts.key}`,
      ticketId: opts.ticketId ?? null,
      payload: { webhook_id: h.id, event, body: { event, occurred_at: opts.now.toISOString(), ...body } },
    })),
    opts.now,
  );
  return hooks.length;
}

export interface NotificationInput {
  userIds: readonly string[];
  /** A short machine name: `sla.warning`, `escalation.assigned`, `mention`… */
  kind: string;
  title: string;
  body?: string;
  ticketId?: string | null;
  /** Names the occurrence; with the user it makes the row idempotent. */
  key: string;
  now: Date;
}

/**
 * Writes one in-app notification per user (duplicates in `userIds` collapse) to the outbox,
 * inside the caller's transaction; the relay inserts it into the user's list and pushes it to
 * their live stream. Returns how many rows were written.
 */
export async function enqueueNotification(trx: Executor, input: NotificationInput): Promise<number> {
  const users = [...new Set(input.userIds)];
  await enqueue(
    trx,
    users.map((userId) => ({
      kind: "notification" as const,
      key: `notification:${userId}:${input.key}`,
      ticketId: input.ticketId ?? null,
      payload: { user_id: userId, kind: input.kind, title: input.title, body: input.body ?? "" },
    })),
    input.now,
  );
  return users.length;
}
