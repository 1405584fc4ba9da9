import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, isNotAvailable } from "../../../lib/api.ts";
import { localized } from "../../../lib/i18n.ts";
import { formatDate } from "../../../lib/time.ts";
import type { CalendarDefinition, HolidaySet, Items } from "../../../lib/types.ts";
import { NotAvailable } from "../../../ui/Notice.tsx";

type Props = {
  definition: CalendarDefinition;
  onChange: (patch: Partial<CalendarDefinition>) => void;
  errorAt: (path: string) => string | undefined;
};

/** Single holidays plus the shipped sets (Indonesian national holidays and cuti bersama). */
export function HolidaysEditor({ definition, onChange, errorAt }: Props) {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState("");
  const sets = useQuery({
    queryKey: ["holiday-sets"],
    queryFn: () => api.get<Items<HolidaySet>>("/holiday-sets"),
    retry: false,
    staleTime: Infinity,
  });
  const add = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    onChange({ holidays: [...new Set([...definition.holidays, date])].sort() });
    setDate("");
  };
  return (
    <div className="holidays">
      <fieldset className="fieldset">
        <legend>{t("calendar.holiday_sets")}</legend>
        {isNotAvailable(sets.error) ? (
          <NotAvailable />
        ) : (
          <div className="check-grid">
            {(sets.data?.items ?? []).map((s) => (
              <label key={s.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={definition.holiday_sets.includes(s.id)}
                  onChange={(e) =>
                    onChange({
                      holiday_sets: e.target.checked
                        ? [...definition.holiday_sets, s.id]
                        : definition.holiday_sets.filter((x) => x !== s.id),
                    })
                  }
                />{" "}
                {localized(s.name, i18n.language)}{" "}
                <span className="muted small">({t("calendar.n_dates", { count: s.dates.length })})</span>
              </label>
            ))}
          </div>
        )}
        {errorAt("definition.holiday_sets") && <p className="field-error">{errorAt("definition.holiday_sets")}</p>}
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t("calendar.holidays")}</legend>
        <div className="inline-row">
          <label className="sr-only" htmlFor="holiday-date">
            {t("calendar.holiday_date")}
          </label>
          <input id="holiday-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          <button type="button" className="button small" onClick={add} disabled={!date}>
            {t("calendar.add_holiday")}
          </button>
        </div>
        <ul className="chips" aria-label={t("calendar.holidays")}>
          {definition.holidays.map((d) => (
            <li key={d} className="chip">
              {formatDate(`${d}T12:00:00Z`, i18n.language)}
              <button
                type="button"
                className="icon-button"
                aria-label={t("calendar.remove_holiday", { date: d })}
                onClick={() => onChange({ holidays: definition.holidays.filter((x) => x !== d) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {errorAt("definition.holidays") && <p className="field-error">{errorAt("definition.holidays")}</p>}
      </fieldset>
    </div>
  );
}
