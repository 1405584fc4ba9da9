import { sql, type Kysely } from "kysely";
import { fetch } from "undici";
import type { DB } from "../db/schema.ts";
import type { WebhookPayload } from "./outbox.ts";
import { clipError, errorText, type KindHandler, type Outcome } from "./outbox-row.ts";
import { REFUSED_PRIVATE, type OutboundGuard } from "./outbound-guard.ts";
import { signWebhookBody } from "./webhook-signature.ts";

/** After this many failed deliveries in a row (any event), a webhook is disabled. */
export const WEBHOOK_MAX_CONSECUTIVE_FAILURES = 10;
export const WEBHOOK_TIMEOUT_MS = 10_000;

interface AttemptMeta {
  webhookId: string;
  event: string;
  statusCode: number | null;
  durationMs: number;
}

/**
 * Webhook rows: a signed JSON POST to the subscriber (2xx = delivered, redirects are not
 * followed), each attempt written to `webhook_deliveries` with the row's result. A webhook that
 * is disabled or deleted gets no request; its rows die with the reason. Connections go only to
 * addresses the guard allows (checked on the address connected to); a refused one records
 * "refused: private address", never anything the address answered.
 */
export function webhookHandler(deps: {
  db: Kysely<DB>;
  now: () => Date;
  guard: Pick<OutboundGuard, "dispatcher" | "isRefusedLiteral">;
  timeoutMs?: number;
}): KindHandler {
  const timeoutMs = deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return {
    async send(row) {
      const p = row.payload as unknown as WebhookPayload;
      const hook = await deps.db
        .selectFrom("webhooks")
        .select(["id", "url", "secret", "enabled", "disabled_reason"])
        .where("id", "=", p.webhook_id)
        .executeTakeFirst();
      if (!hook) return { ok: false, error: "the webhook was deleted", permanent: true };
      if (!hook.enabled)
        return {
          ok: false,
          error: `the webhook is disabled${hook.disabled_reason ? `: ${hook.disabled_reason}` : ""}`,
          permanent: true,
        };

      const body = JSON.stringify(p.body ?? {});
      const t = Math.floor(deps.now().getTime() / 1000);
      const started = performance.now();
      const meta = (statusCode: number | null): AttemptMeta => ({
        webhookId: hook.id,
        event: p.event,
        statusCode,
        durationMs: Math.round(performance.now() - started),
      });
      if (deps.guard.isRefusedLiteral(hook.url)) return { ok: false, error: REFUSED_PRIVATE, meta: { ...meta(null) } };
      try {
        const res = await fetch(hook.url, {
          method: "POST",
          redirect: "manual",
          dispatcher: deps.guard.dispatcher,
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            "content-type": "application/json",
            "user-agent": "Eskala-Webhooks/1",
            "x-eskala-event": p.event,
            "x-eskala-delivery": row.idempotency_key,
            "x-eskala-signature": signWebhookBody(hook.secret, body, t),
          },
          body,
        });
        await res.body?.cancel().catch(() => {});
        if (res.status >= 200 && res.status < 300) return { ok: true, meta: { ...meta(res.status) } };
        return { ok: false, error: `HTTP ${res.status}`, meta: { ...meta(res.status) } };
      } catch (err) {
        const timedOut = (err as { name?: string }).name === "TimeoutError";
        const cause = (err as { cause?: unknown }).cause;
        const refused = (cause as { code?: string } | undefined)?.code === "EREFUSEDPRIVATE";
        const error = timedOut
          ? `timed out after ${timeoutMs} ms`
          : refused
            ? REFUSED_PRIVATE
            : errorText(cause ?? err);
        return { ok: false, error, meta: { ...meta(null) } };
      }
    },

    async commit(trx, row, outcome, now): Promise<Outcome | void> {
      const m = outcome?.meta as AttemptMeta | undefined;
      if (!outcome || !m) return; // no request was made (webhook gone or disabled)
      await trx
        .insertInto("webhook_deliveries")
        .values({
          webhook_id: m.webhookId,
          outbox_id: row.id,
          event: m.event,
          status_code: m.statusCode,
          ok: outcome.ok,
          error: outcome.ok ? null : clipError(outcome.error),
          duration_ms: m.durationMs,
          attempt: row.attempts,
          at: now,
        })
        .execute();
      if (outcome.ok) {
        await trx.updateTable("webhooks").set({ consecutive_failures: 0 }).where("id", "=", m.webhookId).execute();
        return;
      }
      const after = await trx
        .updateTable("webhooks")
        .set({
          consecutive_failures: sql`consecutive_failures + 1`,
          enabled: sql`enabled and consecutive_failures + 1 < ${WEBHOOK_MAX_CONSECUTIVE_FAILURES}`,
          disabled_reason: sql`case when enabled and consecutive_failures + 1 >= ${WEBHOOK_MAX_CONSECUTIVE_FAILURES}
            then ${`disabled after ${WEBHOOK_MAX_CONSECUTIVE_FAILURES} consecutive failed deliveries (last: ${clipError(outcome.error)})`}
            else disabled_reason end`,
        })
        .where("id", "=", m.webhookId)
        .returning(["enabled"])
        .executeTakeFirst();
      if (after && !after.enabled) return { ...outcome, permanent: true, error: `${outcome.error}; webhook disabled` };
    },
  };
}
