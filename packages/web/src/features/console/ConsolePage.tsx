import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { QUEUE_KEYS, type Priority, type User } from "../../lib/types.ts";
import { usePollInterval } from "../../lib/live.ts";
import { Empty, ErrorNote, Loading } from "../../ui/Notice.tsx";
import { TicketView } from "../ticket/TicketView.tsx";
import { ConsoleShortcuts } from "../agent-tools/Shortcuts.tsx";
import { readSort, SortBar, sortTickets } from "../agent-tools/SortBar.tsx";
import { ListTools, useBulkSelection } from "../macros/ListTools.tsx";
import { useSavedViews } from "../macros/workspace-api.ts";
import { FilterBar } from "./FilterBar.tsx";
import { TicketList } from "./TicketList.tsx";
import { isWholeQueue, useQueueCounts, useTicketList, type ListFilters, type ListKey } from "./queues.ts";

function readKey(value: string | null): ListKey {
  return value === "all" || (QUEUE_KEYS as readonly string[]).includes(value ?? "") ? (value as ListKey) : "mine";
}

/** The agent console: a queue or search results on the left, the selected ticket on the right. */
export function ConsolePage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { ticketId } = useParams();
  const [params, setParams] = useSearchParams();
  const key = readKey(params.get("queue"));
  const filters: ListFilters = useMemo(
    () => ({
      q: params.get("q") ?? "",
      status: (params.get("status") as ListFilters["status"] | null) ?? (key === "all" ? "any" : "open"),
      priority: (params.get("priority") as Priority | null) ?? "",
      sort: readSort(params.get("sort")),
    }),
    [params, key],
  );
  const setFilters = useCallback(
    (f: ListFilters) => {
      const next = new URLSearchParams(params);
      next.delete("view"); // a list changed by hand is no longer the saved view
      for (const [k, v] of Object.entries(f)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      setParams(next, { replace: true });
    },
    [params, setParams],
  );

  const poll = usePollInterval(30_000);
  const list = useTicketList(key, filters, user, poll);
  const counts = useQueueCounts(poll);
  const source = list.data?.pages[0]?.source;
  // A search is sorted by the API; a queue (loaded whole) is sorted here.
  const items = useMemo(() => {
    const all = list.data?.pages.flatMap((p) => p.items) ?? [];
    return source === "search" ? all : sortTickets(all, readSort(filters.sort ?? null));
  }, [list.data, source, filters.sort]);
  const search = params.toString();
  const hrefFor = useCallback((id: string) => `/app/tickets/${id}?${search}`, [search]);
  const loadMore = useCallback(() => {
    if (!list.isFetchingNextPage) void list.fetchNextPage();
  }, [list]);
  const selection = useBulkSelection(items);
  const views = useSavedViews();
  // A saved view's name while its list is shown (until a filter is changed by hand).
  const view = views.data?.find((v) => v.id === params.get("view"));
  const title = view ? view.name : filters.q ? t("console.search_results") : t(`queues.${key}`);
  const listHref = useCallback(
    (queue?: string) => {
      if (!queue) return `/app/tickets?${search}`;
      const next = new URLSearchParams(params);
      next.set("queue", queue);
      return `/app/tickets?${next.toString()}`;
    },
    [params, search],
  );

  return (
    <div className={`console ${ticketId ? "has-selection" : ""}`}>
      <section className="list-pane" aria-labelledby="list-title">
        <div className="list-head">
          <h1 id="list-title">{title}</h1>
          <span className="count" aria-live="polite">
            {list.isSuccess &&
              (isWholeQueue(key, filters) && counts.data
                ? t("console.count", { count: counts.data[key] })
                : list.hasNextPage
                  ? t("console.count_more", { count: items.length })
                  : t("console.count", { count: items.length }))}
          </span>
        </div>
        <FilterBar filters={filters} onChange={setFilters} />
        <SortBar value={readSort(filters.sort ?? null)} onChange={(sort) => setFilters({ ...filters, sort })} />
        <ListTools user={user} items={items} selection={selection} />
        {source === "fallback" && <p className="not-available small">{t(`console.fallback.${key}`)}</p>}
        {list.isLoading && <Loading />}
        {list.error && <ErrorNote error={list.error} />}
        {list.isSuccess && items.length === 0 && <Empty>{t("console.empty")}</Empty>}
        {items.length > 0 && (
          <TicketList
            items={items}
            selectedId={ticketId}
            hrefFor={hrefFor}
            hasMore={!!list.hasNextPage}
            loadMore={loadMore}
            label={title}
            selection={selection}
          />
        )}
      </section>
      <ConsoleShortcuts listHref={listHref} />
      <section className="detail-pane" aria-label={t("ticket.detail")}>
        {ticketId ? (
          <>
            <Link to={`/app/tickets?${search}`} className="back-link">
              ← {t("console.back_to_list")}
            </Link>
            <TicketView ticketId={ticketId} user={user} />
          </>
        ) : (
          <div className="detail-empty">
            <p>{t("console.select_ticket")}</p>
          </div>
        )}
      </section>
    </div>
  );
}
