import { useEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PriorityBadge, StatusBadge } from "../../ui/Badges.tsx";
import { formatRelative, useNow } from "../../lib/time.ts";
import type { TicketSummary } from "../../lib/types.ts";
import { DueIn } from "../ticket/SlaBadges.tsx";

type Props = {
  items: TicketSummary[];
  selectedId: string | undefined;
  hrefFor: (id: string) => string;
  hasMore: boolean;
  loadMore: () => void;
  label: string;
  /** Checkboxes for bulk changes (macros/BulkBar.tsx): which are ticked, and ticking one. */
  selection?: { has: (id: string) => boolean; toggle: (id: string) => void };
};

const ROW_HEIGHT = 76;

/** The queue's tickets, virtualized so that ten thousand rows scroll as smoothly as ten. */
export function TicketList({ items, selectedId, hrefFor, hasMore, loadMore, label, selection }: Props) {
  const { t, i18n } = useTranslation();
  const parentRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;

  useEffect(() => {
    if (hasMore && lastIndex >= items.length - 15) loadMore();
  }, [hasMore, lastIndex, items.length, loadMore]);

  return (
    <div ref={parentRef} className="ticket-list-scroll" tabIndex={-1}>
      <ul role="list" aria-label={label} className="ticket-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((row) => {
          const ticket = items[row.index]!;
          const selected = ticket.id === selectedId;
          return (
            <li
              key={ticket.id}
              aria-setsize={items.length}
              aria-posinset={row.index + 1}
              className={`ticket-row ${selected ? "selected" : ""} ${selection ? "selectable" : ""}`}
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              {selection && (
                <input
                  type="checkbox"
                  className="ticket-select"
                  checked={selection.has(ticket.id)}
                  onChange={() => selection.toggle(ticket.id)}
                  aria-label={t("workspace.bulk.select_ticket", { number: ticket.number, subject: ticket.subject })}
                />
              )}
              <Link to={hrefFor(ticket.id)} aria-current={selected ? "page" : undefined} className="ticket-row-link">
                <span className="ticket-row-top">
                  <span className="ticket-number">#{ticket.number}</span>
                  <span className="ticket-subject">{ticket.subject}</span>
                </span>
                <span className="ticket-row-bottom">
                  <span className="ticket-requester">{ticket.requester.name}</span>
                  <PriorityBadge priority={ticket.priority} />
                  <StatusBadge status={ticket.status} />
                  {ticket.next_due_at ? (
                    <DueIn dueAt={ticket.next_due_at} target={ticket.next_due_target ?? null} />
                  ) : (
                    <span className="muted small">
                      <span className="sr-only">{t("ticket.updated")}: </span>
                      {formatRelative(ticket.updated_at, now, i18n.language)}
                    </span>
                  )}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
