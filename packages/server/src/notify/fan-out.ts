import { defer, type DeferredFlush } from "../db/deferred.ts";
import { enqueue, type OutboxItem } from "../outbox/outbox.ts";
import type { Executor } from "../tickets/ticket-events.ts";

/** Events the engine and channels raise to webhooks (a webhook may subscribe to any subset). */
export type { WebhookEvent } from "@eskala/contracts";

interface WebhookEventRow {
  event: string;
  body: object;
  opts: { ticketId?: string | null; key: string; now: Date };
}

/** The enabled webhooks and the events each listens to (empty or `*`: all). */
async function enabledWebhooks(trx: Executor) {
  return trx.selectFrom("webhooks").select(["id", "events"]).where("enabled", "=", true).execute();
}

function webhookRows(hooks: { id: string; events: string[] }[], e: WebhookEventRow): OutboxItem[] {
  return hooks
    .filter((h) => h.events.length === 0 || h.events.includes(e.event) || h.events.includes("*"))
    .map((h) => ({
      kind: "webhook" as const,
      key: `webhook:${h.id}:${e.event}:${e.opts.key}`,
      ticketId: e.opts.ticketId ?? null,
      payload: {
        webhook_id: h.id,
        event: e.event,
        body: { event: e.event, occurred_at: e.opts.now.toISOString(), ...e.body },
      },
    }));
}

/** A deferring transaction's webhook events (db/deferred.ts): the webhooks read once for all of them. */
const flushWebhookEvents: DeferredFlush<WebhookEventRow> = async (trx, events) => {
  const hooks = await enabledWebhooks(trx);
  for (const e of events) await enqueue(trx, webhookRows(hooks, e), e.opts.now);
};

/**
 * Writes one outbox row per enabled webhook subscribed to `event` (its `events` list names it, or
 * is empty = all; `*` is also read as all), inside the caller's transaction. The body is sent as
 * `{event, occurred_at, ...body}`. Idempotent per (webhook, event, key): pass a key naming the
 * occurrence (e.g. the timeline event id). Returns how many webhooks it was for; null in a
 * transaction that defers its writes, which fans out at its end.
 */
export async function enqueueWebhookEvent(
  trx: Executor,
  event: string,
  body: object,
  opts: { ticketId?: string | null; key: string; now: Date },
): Promise<number | null> {
  if (defer(trx, flushWebhookEvents, { event, body, opts })) return null;
  const rows = webhookRows(await enabledWebhooks(trx), { event, body, opts });
  await enqueue(trx, rows, opts.now);
  return rows.length;
}

export interface NotificationInput {
  userIds: readonly string[];
  /** A short machine name: `sla.warning`, `escalation.assigned`, `mention`… */
  kind: string;
  /** English fallback wording, for API clients and old app versions. */
  title: string;
  body?: string;
  /** What the web app words per viewer language (`notification.<kind>` in its locales). */
  params?: Record<string, string | number | null>;
  ticketId?: string | null;
  /** Names the occurrence; with the user it makes the row idempotent. */
  key: string;
  now: Date;
}

/**
 * Writes one in-app notification per user (duplicates in `userIds` collapse) to the outbox,
 * inside the caller's transaction; the relay inserts it into the user's list and pushes it to
 * their live stream. Returns how many users it was for.
 */
export async function enqueueNotification(trx: Executor, input: NotificationInput): Promise<number> {
  const users = [...new Set(input.userIds)];
  await enqueue(
    trx,
    users.map((userId) => ({
      kind: "notification" as const,
      key: `notification:${userId}:${input.key}`,
      ticketId: input.ticketId ?? null,
      payload: {
        user_id: userId,
        kind: input.kind,
        title: input.title,
        body: input.body ?? "",
        params: input.params ?? {},
      },
    })),
    input.now,
  );
  return users.length;
}
