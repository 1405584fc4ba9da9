import { useTranslation } from "react-i18next";
import type { TicketSummary } from "../../lib/types.ts";

/**
 * The columns a list sorts by: each is an index scan on the server at 1,000,000 tickets, except
 * updated_at over all statuses (its index leads with the status), which reads them all. Subject
 * and status are not offered (no index orders them; see the README).
 */
export const SORT_COLUMNS = [
  { key: "number", first: "-number" },
  { key: "priority", first: "-priority" },
  { key: "updated_at", first: "-updated_at" },
  { key: "due", first: "due" },
] as const;
export type SortValue = `${"" | "-"}${(typeof SORT_COLUMNS)[number]["key"]}`;

export function readSort(value: string | null): SortValue | "" {
  const key = value?.replace(/^-/, "");
  return SORT_COLUMNS.some((c) => c.key === key) ? (value as SortValue) : "";
}

const PRIORITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, urgent: 4 };

/** Sorts a loaded queue the way the API sorts a search (ties by number). */
export function sortTickets(items: TicketSummary[], sort: SortValue | ""): TicketSummary[] {
  if (!sort) return items;
  const desc = sort.startsWith("-");
  const key = sort.replace(/^-/, "");
  const value = (t: TicketSummary): number => {
    if (key === "number") return t.number;
    if (key === "priority") return PRIORITY_RANK[t.priority] ?? 0;
    if (key === "updated_at") return Date.parse(t.updated_at);
    return t.next_due_at ? Date.parse(t.next_due_at) : NaN;
  };
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    // Tickets without a deadline come last either way.
    if (Number.isNaN(va) || Number.isNaN(vb)) return Number.isNaN(va) ? (Number.isNaN(vb) ? 0 : 1) : -1;
    return (desc ? vb - va : va - vb) || (desc ? b.number - a.number : a.number - b.number);
  });
}

/** Column headers of the list: click to sort by one, again to reverse. */
export function SortBar({ value, onChange }: { value: SortValue | ""; onChange: (v: SortValue | "") => void }) {
  const { t } = useTranslation();
  const current = value.replace(/^-/, "");
  const desc = value.startsWith("-");
  return (
    <div className="sort-bar" role="group" aria-label={t("agent_tools.sort.label")}>
      {SORT_COLUMNS.map((c) => {
        const active = current === c.key;
        const next = (active ? (desc ? c.key : `-${c.key}`) : c.first) as SortValue;
        const direction = active ? (desc ? "descending" : "ascending") : undefined;
        return (
          <button
            key={c.key}
            type="button"
            className={`sort-button ${active ? "active" : ""}`}
            aria-pressed={active}
            title={direction ? t(`agent_tools.sort.${direction}`) : t("agent_tools.sort.click")}
            onClick={() => onChange(next)}
          >
            {t(`agent_tools.sort.${c.key}`)}
            {active && <span aria-hidden="true">{desc ? " ↓" : " ↑"}</span>}
            {direction && <span className="sr-only"> ({t(`agent_tools.sort.${direction}`)})</span>}
          </button>
        );
      })}
    </div>
  );
}
