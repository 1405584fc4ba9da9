import { sql } from "kysely";
import { LIVE_CHANNEL } from "../notify/live-signal.ts";
import type { NotificationPayload } from "./outbox.ts";
import type { KindHandler } from "./outbox-row.ts";

/**
 * In-app notifications are written in the transaction that marks the row delivered, so each
 * appears exactly once; the same statement tells the live streams (NOTIFY, on commit).
 */
export function notificationHandler(): KindHandler {
  return {
    async commit(trx, row, _outcome, now) {
      const p = row.payload as unknown as NotificationPayload;
      if (!p.user_id || !p.title)
        return { ok: false, error: "notification payload without user_id/title", permanent: true };
      const user = await trx.selectFrom("users").select("id").where("id", "=", p.user_id).executeTakeFirst();
      if (!user) return { ok: false, error: "the user no longer exists", permanent: true };
      await sql`
        with ins as (
          insert into notifications (user_id, ticket_id, kind, title, body, created_at)
          values (${p.user_id}, ${row.ticket_id}, ${p.kind ?? "info"}, ${p.title}, ${p.body ?? ""}, ${now})
          returning id, user_id, ticket_id, kind, title, body, created_at
        )
        select pg_notify(${LIVE_CHANNEL}, json_build_object(
          't', 'notification',
          'user_id', user_id,
          'item', json_build_object(
            'id', id, 'kind', kind, 'title', left(title, 500), 'body', left(body, 2000),
            'ticket_id', ticket_id, 'read_at', null, 'created_at', created_at
          )
        )::text) from ins`.execute(trx);
      return { ok: true };
    },
  };
}
