import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { LIVE_CHANNEL } from "../notify/live-signal.ts";
import type { NotificationPayload } from "./outbox.ts";
import type { KindHandler, Outcome } from "./outbox-row.ts";

interface Inserted {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  params: Record<string, string | number | null>;
  ticket_id: string | null;
  created_at: Date;
}

/**
 * In-app notifications are written in the transaction that marks the row delivered, so each
 * appears exactly once; a NOTIFY tells the live streams after the commit. A batch of rows is
 * written with one statement.
 */
export function notificationHandler(): KindHandler {
  return {
    async commitMany(trx, rows, now) {
      // Each row's new notification id, or null when its payload is unusable.
      const ids = rows.map(({ row }) => {
        const p = row.payload as unknown as NotificationPayload;
        return p.user_id && p.title ? randomUUID() : null;
      });
      const items = rows.flatMap(({ row }, i) => {
        const p = row.payload as unknown as NotificationPayload;
        const id = ids[i];
        return id
          ? [
              {
                id,
                user_id: p.user_id,
                ticket_id: row.ticket_id,
                kind: p.kind ?? "info",
                title: p.title,
                body: p.body ?? "",
                params: p.params ?? {},
              },
            ]
          : [];
      });
      // Inserted only while the user exists: no row back means the user is gone.
      const { rows: inserted } = items.length
        ? await sql<Inserted>`
            insert into notifications (id, user_id, ticket_id, kind, title, body, params, created_at)
            select x.id, u.id, x.ticket_id, x.kind, x.title, x.body, coalesce(x.params, '{}'), ${now}::timestamptz
            from jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
              as x(id uuid, user_id uuid, ticket_id uuid, kind text, title text, body text, params jsonb)
            join users u on u.id = x.user_id
            returning id, user_id, kind, title, body, params, ticket_id, created_at`.execute(trx)
        : { rows: [] };
      const byId = new Map(inserted.map((n) => [n.id, n]));
      const results: Outcome[] = [];
      for (const id of ids) {
        if (!id) {
          results.push({ ok: false, error: "notification payload without user_id/title", permanent: true });
          continue;
        }
        const item = byId.get(id);
        if (!item) {
          results.push({ ok: false, error: "the user no longer exists", permanent: true });
          continue;
        }
        results.push({ ok: true });
        const { user_id, ...rest } = item;
        const signal = {
          t: "notification",
          user_id,
          item: {
            ...rest,
            title: item.title.slice(0, 500),
            body: item.body.slice(0, 2000),
            read_at: null,
            created_at: item.created_at.toISOString(),
          },
        };
        await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(signal)})`.execute(trx);
      }
      return results;
    },
  };
}
