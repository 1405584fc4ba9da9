import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TicketSummary, User } from "../../lib/types.ts";
import { BulkBar } from "./BulkBar.tsx";
import { SaveView } from "./SavedViews.tsx";

const BULK_MAX = 100;

export type BulkSelection = ReturnType<typeof useBulkSelection>;

/** Which of the list's tickets are ticked for a bulk change (those no longer listed drop out). */
export function useBulkSelection(items: TicketSummary[]) {
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const ids = useMemo(() => items.filter((i) => checked.has(i.id)).map((i) => i.id), [items, checked]);
  const has = useCallback((id: string) => checked.has(id), [checked]);
  const toggle = useCallback(
    (id: string) =>
      setChecked((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else if (next.size < BULK_MAX) next.add(id);
        return next;
      }),
    [],
  );
  const selectAll = useCallback(() => setChecked(new Set(items.slice(0, BULK_MAX).map((i) => i.id))), [items]);
  const clear = useCallback(() => setChecked(new Set()), []);
  return { ids, has, toggle, selectAll, clear };
}

/** Above the list: "select all on page", "save view", and the bulk action bar once tickets are ticked. */
export function ListTools({
  user,
  items,
  selection,
}: {
  user: User;
  items: TicketSummary[];
  selection: BulkSelection;
}) {
  const { t } = useTranslation();
  const all = items.length > 0 && selection.ids.length === Math.min(items.length, BULK_MAX);
  return (
    <>
      <div className="list-tools">
        {items.length > 0 && (
          <label className="small">
            <input type="checkbox" checked={all} onChange={() => (all ? selection.clear() : selection.selectAll())} />{" "}
            {t("workspace.bulk.select_page")}
          </label>
        )}
        <SaveView user={user} />
      </div>
      <BulkBar
        selected={selection.ids}
        items={items}
        onSelectAll={selection.selectAll}
        onClear={selection.clear}
        user={user}
      />
    </>
  );
}
