import { useTranslation } from "react-i18next";
import { WEEKDAYS, type CalendarDefinition, type Interval, type Weekday } from "../../../lib/types.ts";
import { isOvernight } from "./calendar-model.ts";

type Props = {
  weekly: CalendarDefinition["weekly"];
  onChange: (weekly: CalendarDefinition["weekly"]) => void;
  errorAt: (path: string) => string | undefined;
};

/** Opening hours per weekday: several intervals a day, overnight shifts, "24:00" as the end of the day. */
export function WeeklyEditor({ weekly, onChange, errorAt }: Props) {
  const { t } = useTranslation();
  const setDay = (day: Weekday, intervals: Interval[]) => onChange({ ...weekly, [day]: intervals });
  const copyMonday = () => {
    const mon = weekly.mon ?? [];
    onChange({ ...weekly, tue: mon, wed: mon, thu: mon, fri: mon });
  };
  return (
    <fieldset className="fieldset weekly">
      <legend>{t("calendar.weekly")}</legend>
      <p className="muted small">{t("calendar.weekly_hint")}</p>
      <table className="weekly-table">
        <tbody>
          {WEEKDAYS.map((day) => {
            const intervals = weekly[day] ?? [];
            const dayName = t(`weekday.${day}`);
            return (
              <tr key={day}>
                <th scope="row">{dayName}</th>
                <td>
                  {intervals.length === 0 && <span className="muted small">{t("calendar.closed")}</span>}
                  <ul className="intervals">
                    {intervals.map((interval, i) => {
                      const base = `definition.weekly.${day}.${i}`;
                      const errStart = errorAt(`${base}.0`);
                      const errEnd = errorAt(`${base}.1`) ?? errorAt(base);
                      const update = (which: 0 | 1, value: string) =>
                        setDay(
                          day,
                          intervals.map((iv, j) =>
                            j === i ? ((which === 0 ? [value, iv[1]] : [iv[0], value]) as Interval) : iv,
                          ),
                        );
                      return (
                        <li key={i} className="interval">
                          <input
                            className="time-input"
                            inputMode="numeric"
                            placeholder="08:00"
                            aria-label={t("calendar.start_of", { day: dayName, n: i + 1 })}
                            aria-invalid={errStart ? true : undefined}
                            value={interval[0]}
                            onChange={(e) => update(0, e.target.value)}
                          />
                          <span aria-hidden="true">–</span>
                          <input
                            className="time-input"
                            inputMode="numeric"
                            placeholder="17:00"
                            aria-label={t("calendar.end_of", { day: dayName, n: i + 1 })}
                            aria-invalid={errEnd ? true : undefined}
                            value={interval[1]}
                            onChange={(e) => update(1, e.target.value)}
                          />
                          {isOvernight(interval) && <span className="badge subtle">{t("calendar.overnight")}</span>}
                          <button
                            type="button"
                            className="icon-button"
                            aria-label={t("calendar.remove_interval", { day: dayName, n: i + 1 })}
                            onClick={() =>
                              setDay(
                                day,
                                intervals.filter((_, j) => j !== i),
                              )
                            }
                          >
                            ×
                          </button>
                          {(errStart || errEnd) && (
                            <span className="field-error" role="alert">
                              {errStart ?? errEnd}
                            </span>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                  <button
                    type="button"
                    className="link-button small"
                    onClick={() =>
                      setDay(day, [...intervals, intervals.length ? ["13:00", "17:00"] : ["08:00", "17:00"]])
                    }
                    aria-label={t("calendar.add_interval_to", { day: dayName })}
                  >
                    + {t("calendar.add_interval")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" className="button small" onClick={copyMonday}>
        {t("calendar.copy_monday")}
      </button>
    </fieldset>
  );
}
