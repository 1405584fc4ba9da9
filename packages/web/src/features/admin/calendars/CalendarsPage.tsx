import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { Calendar } from "../../../lib/types.ts";
import { AdminPage } from "../AdminPage.tsx";
import { useList } from "../admin-api.ts";
import { CalendarEditor } from "./CalendarEditor.tsx";

/** Business calendars: a list on the left, the selected (or new) calendar's editor and preview on the right. */
export function CalendarsPage() {
  const { t } = useTranslation();
  const calendars = useList<Calendar>(["admin", "calendars"], "/calendars");
  const [params, setParams] = useSearchParams();
  const selected = params.get("edit");
  const [justSaved, setJustSaved] = useState<Calendar | null>(null);
  const calendar = calendars.data?.find((c) => c.id === selected) ?? (justSaved?.id === selected ? justSaved : null);
  // The editor keeps its state (and its "saved" notice) when a new calendar gets its id.
  const [editorKey, setEditorKey] = useState(0);
  const select = (id: string | null) => {
    setEditorKey((k) => k + 1);
    setParams(id ? { edit: id } : {}, { replace: true });
  };
  const onSaved = (c: Calendar) => {
    setJustSaved(c);
    setParams({ edit: c.id }, { replace: true });
  };

  return (
    <AdminPage
      title={t("admin.nav.calendars")}
      intro={t("calendar.intro")}
      query={calendars}
      actions={
        <button type="button" className="button primary" onClick={() => select("new")}>
          {t("calendar.add")}
        </button>
      }
    >
      <div className="master-detail">
        <nav aria-label={t("admin.nav.calendars")} className="master">
          {calendars.data?.length === 0 && <p className="muted small">{t("calendar.none")}</p>}
          <ul>
            {calendars.data?.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className={`master-item ${c.id === selected ? "active" : ""}`}
                  aria-current={c.id === selected ? "true" : undefined}
                  onClick={() => select(c.id)}
                >
                  {c.name}
                  <span className="muted small">{c.definition.timezone}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="detail">
          {selected === "new" || calendar ? (
            <CalendarEditor key={editorKey} calendar={calendar} onSaved={onSaved} onDeleted={() => select(null)} />
          ) : (
            <p className="muted">{t("calendar.choose")}</p>
          )}
        </div>
      </div>
    </AdminPage>
  );
}
