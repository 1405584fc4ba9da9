import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { CreateWebhookBody, UpdateWebhookBody, Webhook } from "@eskala/contracts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { audited } from "../audit/audit.repo.ts";
import type { DB, WebhooksTable } from "../db/schema.ts";
import { AppError, notFound } from "../lib/app-error.ts";
import { enqueue } from "../outbox/outbox.ts";
import type { OutboundGuard } from "../outbox/outbound-guard.ts";

const presentWebhook = (w: Selectable<WebhooksTable>): Webhook => ({
  id: w.id,
  name: w.name,
  url: w.url,
  events: w.events,
  enabled: w.enabled,
  consecutive_failures: w.consecutive_failures,
  disabled_reason: w.disabled_reason,
  created_at: w.created_at.toISOString(),
});

const newSecret = () => `whsec_${randomBytes(24).toString("base64url")}`;

/** Webhook subscriptions and their delivery log; admins only. */
export function createWebhookService(deps: { db: Kysely<DB>; guard: Pick<OutboundGuard, "assertAllowedUrl"> }) {
  const { db, guard } = deps;

  async function find(id: string) {
    const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("webhook");
    return row;
  }

  return {
    async list(actor: Actor | null): Promise<Webhook[]> {
      requireRole(actor, "admin");
      const rows = await db.selectFrom("webhooks").selectAll().orderBy("created_at").orderBy("id").execute();
      return rows.map(presentWebhook);
    },

    async get(actor: Actor | null, id: string): Promise<Webhook> {
      requireRole(actor, "admin");
      return presentWebhook(await find(id));
    },

    /** The secret is returned this once; later reads never show it. */
    async create(actor: Actor | null, body: CreateWebhookBody, now: Date): Promise<Webhook & { secret: string }> {
      requireRole(actor, "admin");
      await guard.assertAllowedUrl(body.url);
      const secret = body.secret ?? newSecret();
      const row = await audited(db, actor, now, (trx) =>
        trx
          .insertInto("webhooks")
          .values({ name: body.name, url: body.url, secret, events: [...new Set(body.events)], created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return { ...presentWebhook(row), secret };
    },

    /** Re-enabling clears the failure count and the reason it was disabled. */
    async update(actor: Actor | null, id: string, body: UpdateWebhookBody): Promise<Webhook> {
      requireRole(actor, "admin");
      const current = await find(id);
      if (body.url !== undefined) await guard.assertAllowedUrl(body.url);
      const row = await audited(db, actor, null, (trx) =>
        trx
          .updateTable("webhooks")
          .set({
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.url !== undefined ? { url: body.url } : {}),
            ...(body.events !== undefined ? { events: [...new Set(body.events)] } : {}),
            ...(body.secret !== undefined ? { secret: body.secret } : {}),
            ...(body.enabled === true && !current.enabled
              ? { enabled: true, consecutive_failures: 0, disabled_reason: null }
              : {}),
            ...(body.enabled === false && current.enabled
              ? { enabled: false, disabled_reason: `disabled by ${actor!.name}` }
              : {}),
          })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return presentWebhook(row);
    },

    /** Pending deliveries die with "the webhook was deleted" when the relay reaches them. */
    async remove(actor: Actor | null, id: string): Promise<void> {
      requireRole(actor, "admin");
      const gone = await audited(db, actor, null, (trx) =>
        trx.deleteFrom("webhooks").where("id", "=", id).executeTakeFirst(),
      );
      if (Number(gone.numDeletedRows) === 0) throw notFound("webhook");
    },

    /** Every attempt, newest first, with where its outbox row stands now. */
    async deliveries(actor: Actor | null, id: string, limit: number) {
      requireRole(actor, "admin");
      await find(id);
      const rows = await db
        .selectFrom("webhook_deliveries as d")
        .leftJoin("outbox as o", "o.id", "d.outbox_id")
        .select([
          "d.id",
          "d.outbox_id",
          "d.event",
          "d.attempt",
          "d.ok",
          "d.status_code",
          "d.error",
          "d.duration_ms",
          "d.at",
          "o.status as delivery_status",
          "o.next_attempt_at",
        ])
        .where("d.webhook_id", "=", id)
        .orderBy("d.at", "desc")
        .orderBy("d.id", "desc")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        ...r,
        status: r.ok ? ("delivered" as const) : ("failed" as const),
        at: r.at.toISOString(),
        delivery_status: r.delivery_status ?? null,
        next_attempt_at: r.delivery_status === "pending" && r.next_attempt_at ? r.next_attempt_at.toISOString() : null,
      }));
    },

    /** Queues a signed `ping` to this webhook, whatever events it subscribes to. */
    async test(actor: Actor | null, id: string, now: Date) {
      requireRole(actor, "admin");
      const hook = await find(id);
      if (!hook.enabled) throw new AppError("conflict", "The webhook is disabled; enable it before testing");
      const key = `webhook:${id}:ping:${randomUUID()}`;
      const body = { event: "ping", occurred_at: now.toISOString(), webhook: { id: hook.id, name: hook.name } };
      await enqueue(db, [{ kind: "webhook", key, payload: { webhook_id: id, event: "ping", body } }], now);
      return { queued: true, idempotency_key: key };
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
