import type { Kysely } from "kysely";
import type { MarkNotificationsReadBody, Notification } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";

/** A user's own in-app notifications: nobody reads or marks another's. */
export function createNotificationService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  const unreadCount = async (userId: string) =>
    Number(
      (
        await db
          .selectFrom("notifications")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("user_id", "=", userId)
          .where("read_at", "is", null)
          .executeTakeFirstOrThrow()
      ).n,
    );

  return {
    async list(actor: Actor, query: { limit: number; unread?: boolean | undefined }) {
      let q = db
        .selectFrom("notifications")
        .select(["id", "kind", "title", "body", "params", "ticket_id", "read_at", "created_at"])
        .where("user_id", "=", actor.userId);
      if (query.unread) q = q.where("read_at", "is", null);
      const rows = await q.orderBy("created_at", "desc").orderBy("id").limit(query.limit).execute();
      const items: Notification[] = rows.map((r) => ({
        ...r,
        read_at: r.read_at?.toISOString() ?? null,
        created_at: r.created_at.toISOString(),
      }));
      return { items, unread: await unreadCount(actor.userId) };
    },

    /** Marks the listed (own) notifications, or all, as read; others' ids are ignored. */
    async markRead(actor: Actor, body: MarkNotificationsReadBody, now: Date) {
      let q = db
        .updateTable("notifications")
        .set({ read_at: now })
        .where("user_id", "=", actor.userId)
        .where("read_at", "is", null);
      if (!body.all) q = q.where("id", "in", body.ids ?? []);
      const res = await q.executeTakeFirst();
      return { updated: Number(res.numUpdatedRows), unread: await unreadCount(actor.userId) };
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
