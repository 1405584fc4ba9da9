import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "./format.ts";
import {
  daysIn,
  isDate,
  PERIOD_PRESETS,
  presetOf,
  presetPeriod,
  previousPeriod,
  type Period,
  type PeriodPreset,
} from "./period.ts";

const MAX_DAYS = 731;

/** Presets or two dates; says which period the figures are compared with. */
export function PeriodPicker({
  period,
  today,
  onChange,
}: {
  period: Period;
  today: string;
  onChange: (p: Period) => void;
}) {
  const { t } = useTranslation();
  const f = useFormats();
  const id = useId();
  const preset = presetOf(period, today);
  const [custom, setCustom] = useState(preset === null);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  useEffect(() => {
    setFrom(period.from);
    setTo(period.to);
  }, [period.from, period.to]);

  const problem =
    !isDate(from) || !isDate(to)
      ? t("review.period.invalid")
      : to < from
        ? t("review.period.reversed")
        : daysIn({ from, to }) > MAX_DAYS
          ? t("review.period.too_long")
          : null;
  const prev = previousPeriod(period);

  return (
    <div className="period-picker">
      <label htmlFor={`${id}-preset`}>{t("review.period.label")}</label>
      <select
        id={`${id}-preset`}
        value={custom ? "custom" : (preset ?? "custom")}
        onChange={(e) => {
          const v = e.target.value;
          if (v === "custom") {
            setCustom(true);
            return;
          }
          setCustom(false);
          onChange(presetPeriod(v as PeriodPreset, today));
        }}
      >
        {PERIOD_PRESETS.map((p) => (
          <option key={p} value={p}>
            {t(`review.period.presets.${p}`)}
          </option>
        ))}
        <option value="custom">{t("review.period.custom")}</option>
      </select>
      {custom && (
        <form
          className="period-custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem) onChange({ from, to });
          }}
        >
          <label>
            {t("review.period.from")}
            <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t("review.period.to")}
            <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="button small" disabled={problem !== null}>
            {t("review.period.apply")}
          </button>
          {problem && (
            <span className="field-error" role="alert">
              {problem}
            </span>
          )}
        </form>
      )}
      <p className="muted small period-note">
        {t("review.period.showing", { from: f.date(period.from), to: f.date(period.to), count: daysIn(period) })}{" "}
        {t("review.period.compared", { from: f.date(prev.from), to: f.date(prev.to) })}
      </p>
    </div>
  );
}
