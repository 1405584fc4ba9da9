import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, isNotAvailable } from "../../lib/api.ts";
import type { Items, Page, Priority, QueueKey, TicketStatus, TicketSummary, User } from "../../lib/types.ts";

export type ListKey = QueueKey | "all";
export const OPEN_STATUSES: TicketStatus[] = ["new", "open", "pending", "on_hold"];

export type ListFilters = {
  q: string;
  status: "open" | "any" | TicketStatus;
  priority: Priority | "";
  /** A column to sort by (agent-tools/SortBar.tsx); empty: the queue's own order. */
  sort?: string;
};
export type ListPage = { items: TicketSummary[]; next_cursor: string | null; source: "queues" | "fallback" | "search" };

const PAGE_SIZE = 100;

function statusParam(status: ListFilters["status"]): TicketStatus[] | undefined {
  if (status === "any") return undefined;
  if (status === "open") return OPEN_STATUSES;
  return [status];
}

function matches(t: TicketSummary, f: ListFilters): boolean {
  const statuses = statusParam(f.status);
  if (statuses && !statuses.includes(t.status)) return false;
  return !f.priority || t.priority === f.priority;
}

/**
 * Until the engine's /queues exist, each queue is approximated with /tickets filters; the
 * console says so. Several groups are fetched side by side and merged.
 */
async function fallbackQueue(key: QueueKey, user: User, f: ListFilters, cursor: string | undefined): Promise<ListPage> {
  const base = { status: statusParam(f.status), priority: f.priority || undefined, limit: PAGE_SIZE, cursor };
  const tier = user.agent?.tier ?? 0;
  if (key === "mine")
    return {
      ...(await api.get<Page<TicketSummary>>("/tickets", { ...base, assignee_id: "me", sort: "-updated_at" })),
      source: "fallback",
    };
  if (key === "breaching")
    return {
      ...(await api.get<Page<TicketSummary>>("/tickets", { ...base, assignee_id: "me", sort: "-priority" })),
      source: "fallback",
    };
  if (key === "escalated-to-me") {
    if (tier < 2) return { items: [], next_cursor: null, source: "fallback" };
    return {
      ...(await api.get<Page<TicketSummary>>("/tickets", { ...base, assignee_id: "me", tier, sort: "-updated_at" })),
      source: "fallback",
    };
  }
  const groups = (user.agent?.group_ids ?? []).slice(0, 5);
  const pages = await Promise.all(
    groups.map((group_id) =>
      api.get<Page<TicketSummary>>("/tickets", {
        ...base,
        cursor: undefined,
        group_id,
        assignee_id: "none",
        sort: "-priority",
      }),
    ),
  );
  return { items: pages.flatMap((p) => p.items), next_cursor: null, source: "fallback" };
}

let queuesEndpoint: "unknown" | "yes" | "no" = "unknown";

async function fetchPage(key: ListKey, user: User, f: ListFilters, cursor: string | undefined): Promise<ListPage> {
  if (key === "all" || f.q) {
    const page = await api.get<Page<TicketSummary>>("/tickets", {
      q: f.q || undefined,
      status: statusParam(f.status),
      priority: f.priority || undefined,
      // Newest first by number unless a column is chosen: its index walks all statuses, so "All
      // tickets" and a search stop after a page at 1,000,000 tickets (sorting all statuses by
      // updated_at reads every ticket: 1.2 s, a common word 5 s).
      sort: f.sort || "-number",
      limit: PAGE_SIZE,
      cursor,
    });
    return { ...page, source: "search" };
  }
  if (queuesEndpoint !== "no" && !cursor) {
    try {
      const res = await api.get<Items<TicketSummary>>(`/queues/${key}`, { limit: 1000 });
      queuesEndpoint = "yes";
      return { items: res.items.filter((t) => matches(t, f)), next_cursor: null, source: "queues" };
    } catch (err) {
      if (!isNotAvailable(err)) throw err;
      queuesEndpoint = "no";
    }
  }
  return fallbackQueue(key as QueueKey, user, f, cursor);
}

/** One queue (or a search over all tickets), loaded page by page as the list scrolls. */
export function useTicketList(key: ListKey, filters: ListFilters, user: User, pollMs: number | false) {
  return useInfiniteQuery({
    queryKey: ["queue", key, filters],
    queryFn: ({ pageParam }) => fetchPage(key, user, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: pollMs,
    staleTime: 10_000,
  });
}

export type QueueCounts = Record<ListKey, number>;

/**
 * How many tickets each queue holds, and all tickets: totals, not the rows a page loaded. Its key
 * starts with "queue", so every live update that refreshes the lists refreshes the counts too.
 */
export function useQueueCounts(pollMs: number | false) {
  return useQuery({
    queryKey: ["queue", "counts"],
    queryFn: () => api.get<QueueCounts>("/queues/counts"),
    refetchInterval: pollMs,
    staleTime: 10_000,
    retry: (n, err) => !isNotAvailable(err) && n < 2,
  });
}

/** Whether a list shows a queue as it is (no search, no filter beyond the default): its total applies. */
export function isWholeQueue(key: ListKey, f: ListFilters): boolean {
  return !f.q && !f.priority && f.status === (key === "all" ? "any" : "open");
}
