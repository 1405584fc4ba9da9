import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { PRIORITIES, TICKET_STATUSES } from "@eskala/core";
import type { ListFilters } from "./queues.ts";

/** Search (debounced) and the status and priority filters of the list pane. */
export function FilterBar({ filters, onChange }: { filters: ListFilters; onChange: (f: ListFilters) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q }), 300);
    return () => clearTimeout(timer);
  }, [q, filters, onChange]);

  return (
    <form
      className="filter-bar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...filters, q });
      }}
    >
      <label className="sr-only" htmlFor="ticket-search">
        {t("console.search")}
      </label>
      <input
        id="ticket-search"
        type="search"
        placeholder={t("console.search_placeholder")}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <div className="filter-row">
        <label>
          <span className="sr-only">{t("console.filter_status")}</span>
          <select
            aria-label={t("console.filter_status")}
            value={filters.status}
            onChange={(e) => onChange({ ...filters, status: e.target.value as ListFilters["status"] })}
          >
            <option value="open">{t("console.status_open_all")}</option>
            <option value="any">{t("console.status_any")}</option>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">{t("console.filter_priority")}</span>
          <select
            aria-label={t("console.filter_priority")}
            value={filters.priority}
            onChange={(e) => onChange({ ...filters, priority: e.target.value as ListFilters["priority"] })}
          >
            <option value="">{t("console.priority_any")}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </form>
  );
}
