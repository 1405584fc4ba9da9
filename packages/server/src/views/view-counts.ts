import type { Kysely } from "kysely";
import { VIEW_COUNT_CAP, type SavedView, type ViewCounts } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { countQueue } from "../engine/queues.ts";
import { countTicketViews } from "../tickets/ticket.repo.ts";

const OPEN = ["new", "open", "pending", "on_hold"];

/** The statuses a view's status filter stands for; the console's default is open for a queue, any for all tickets. */
function statuses(filters: SavedView["filters"]): string[] | undefined {
  const status = filters.status ?? (filters.queue === "all" ? "any" : "open");
  if (status === "any") return undefined;
  return status === "open" ? OPEN : [status];
}

/**
 * How many tickets each view lists now, as the console lists them: a view with search text or
 * of all tickets is the ticket list's filter (its queue set aside, as the console does), any
 * other is its queue narrowed by status and priority. Counting stops past VIEW_COUNT_CAP.
 */
export async function countViews(db: Kysely<DB>, actor: Actor, views: SavedView[], now: Date): Promise<ViewCounts> {
  const items = await Promise.all(
    views.map(async ({ id, filters }) => {
      const status = statuses(filters);
      const n =
        filters.queue === "all" || filters.q
          ? await countTicketViews(
              db,
              { status, priority: filters.priority ? [filters.priority] : undefined, q: filters.q || undefined },
              VIEW_COUNT_CAP,
            )
          : await countQueue(db, actor, filters.queue, { status, priority: filters.priority }, VIEW_COUNT_CAP, now);
      return { id, count: Math.min(n, VIEW_COUNT_CAP), capped: n > VIEW_COUNT_CAP };
    }),
  );
  return { items };
}
