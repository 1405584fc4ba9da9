import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../ui/Dialog.tsx";
import { AdminPage } from "./AdminPage.tsx";

export type AdminColumn<T> = {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
};

type Props<T> = {
  title: string;
  intro: string;
  query: { isLoading: boolean; error: unknown; data?: T[] | undefined };
  /** The primary action and the new item's dialog title ("Add tier"). */
  addLabel: string;
  /** The dialog title when an item is edited ("Edit tier"). */
  editLabel: string;
  columns: AdminColumn<T>[];
  rowKey: (row: T) => string | number;
  /** How the row's Edit button names it to a screen reader ("Edit Frontline"). */
  rowName: (row: T) => string;
  /** The add or edit form in the dialog: `row` is null for a new item. */
  form: (row: T | null, onDone: () => void) => ReactNode;
};

/**
 * An admin screen that lists items in a table, each with an Edit button, and adds or edits one in
 * a dialog (tiers, groups, categories, organisations).
 */
export function AdminListPage<T>({
  title,
  intro,
  query,
  addLabel,
  editLabel,
  columns,
  rowKey,
  rowName,
  form,
}: Props<T>) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ row: T | null } | null>(null);
  const done = () => setEditing(null);
  return (
    <AdminPage
      title={title}
      intro={intro}
      query={query}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing({ row: null })}>
          {addLabel}
        </button>
      }
    >
      <table className="table">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c.header}
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">{t("admin.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {query.data?.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c, i) => (
                <td key={i} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="button small"
                  onClick={() => setEditing({ row })}
                  aria-label={t("admin.edit_named", { name: rowName(row) })}
                >
                  {t("admin.edit")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog open={editing !== null} onClose={done} title={editing?.row === null ? addLabel : editLabel}>
        {editing !== null && form(editing.row, done)}
      </Dialog>
    </AdminPage>
  );
}
