import type { Kysely } from "kysely";
import type { ListTicketsQuery } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { listTicketViews, type SortKey, type TicketFilter, type TicketView } from "./ticket.repo.ts";

/** Keyset cursors: the last row's sort value and id, opaque to clients. */
export function encodeCursor(sortValue: unknown, id: string): string {
  const v = sortValue instanceof Date ? { d: sortValue.toISOString() } : { v: sortValue };
  return Buffer.from(JSON.stringify([v, id])).toString("base64url");
}

function decodeCursor(cursor: string): { value: unknown; id: string } {
  try {
    const [v, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [
      { d?: string; v?: unknown },
      string,
    ];
    if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error("id");
    return { value: v.d !== undefined ? new Date(v.d) : v.v, id };
  } catch {
    throw new AppError("validation_failed", "cursor is not one this API gave out", [
      { path: ["cursor"], message: "invalid cursor" },
    ]);
  }
}

const SORT_VALUE: Record<SortKey, (t: TicketView) => unknown> = {
  created_at: (t) => t.created_at,
  updated_at: (t) => t.updated_at,
  priority: (t) => t.priority_rank,
  number: (t) => t.number,
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
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await listTicketViews(db, filter, { key, desc }, query.limit + 1, after);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(SORT_VALUE[key](last), last.id) : null;
  return { items, nextCursor };
}
