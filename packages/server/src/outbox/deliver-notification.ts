import { sql } from "kysely";
import { LIVE_CHANNEL } from "../notify/live-signal.ts";
import type { NotificationPayload } from "./outbox.ts";
import type { KindHandler } from "./outbox-row.ts";

/**
 * In-app notifications are written in the transaction that marks the row delivered, so each
 * appears exactly once; a NOTIFY tells the live streams after the commit.
 */
export function notificationHandler(): KindHandler {
  return {
    async commit(trx, row, _outcome, now) {
      const p = row.payload as unknown as NotificationPayload;
      if (!p.user_id || !p.title)
        return { ok: false, error: "notification payload without user_id/title", permanent: true };
      // Inserted only while the user exists (one statement: no row back means the user is gone).
      const { rows } = await sql<{ id: string; kind: string; title: string; body: string; ticket_id: string | null; created_at: Date }>`
        insert into notifications (user_id, ticket_id, kind, title, body, created_at)
        select u.id, ${row.ticket_id}::uuid, ${p.kind ?? "info"}, ${p.title}, ${p.body ?? ""}, ${now}::timestamptz
        from users u where u.id = ${p.user_id}::uuid
        returning id, kind, title, body, ticket_id, created_at`.execute(trx);
      const item = rows[0];
      if (!item) return { ok: false, error: "the user no longer exists", permanent: true };
      const signal = {
        t: "notification",
        user_id: p.user_id,
        item: {
          ...item,
          title: item.title.slice(0, 500),
          body: item.body.slice(0, 2000),
          read_at: null,
          created_at: item.created_at.toISOString(),
        },
      };
      await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(signal)})`.execute(trx);
      return { ok: true };
    },
  };
}
