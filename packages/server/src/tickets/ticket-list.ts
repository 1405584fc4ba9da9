import type { Kysely } from "kysely";
import type { ListTicketsQuery } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { decodeCursor, encodeCursor, type CursorKind } from "../lib/cursor.ts";
import { listTicketViews, type SortKey, type TicketFilter, type TicketView } from "./ticket.repo.ts";

const SORT_VALUE: Record<SortKey, (t: TicketView) => Date | number | null> = {
  created_at: (t) => t.created_at,
  updated_at: (t) => t.updated_at,
  priority: (t) => t.priority_rank,
  number: (t) => Number(t.number),
  due: (t) => t.next_due_at,
};
/** The column type of each sort key, which a cursor's value must fit. */
const SORT_KIND: Record<SortKey, CursorKind> = {
  created_at: "instant",
  updated_at: "instant",
  priority: "smallint",
  number: "bigint",
  due: "instant",
};

/** Lists tickets the actor may see, filtered, sorted and paged by keyset. */
export async function listTickets(db: Kysely<DB>, actor: Actor, query: ListTicketsQuery) {
  const desc = query.sort.startsWith("-");
  const key = query.sort.replace(/^-/, "") as SortKey;
  const filter: TicketFilter = {
    status: query.status,
    priority: query.priority,
    tier: query.tier,
    groupId: query.group_id,
    assigneeId: query.assignee_id === "none" ? null : query.assignee_id === "me" ? actor.userId : query.assignee_id,
    requesterId: query.requester_id,
    organizationId: query.organization_id,
    categoryId: query.category_id,
    tag: query.tag,
    q: query.q,
    visibleTo:
      actor.role === "customer"
        ? { requesterId: actor.userId, organizationId: actor.orgShared ? actor.organizationId : null }
        : undefined,
  };
  const after = query.cursor ? decodeCursor(query.cursor, SORT_KIND[key], key === "due") : null;
  const rows = await listTicketViews(db, filter, { key, desc }, query.limit + 1, after);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(SORT_VALUE[key](last), last.id) : null;
  return { items, nextCursor };
}
