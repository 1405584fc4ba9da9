import { useTranslation } from "react-i18next";
import type { TicketFilter } from "@eskala/contracts";
import { changeOf, isImprovement } from "./change.ts";
import { DrillNumber } from "./DrillDown.tsx";

type Props = {
  label: string;
  /** The figure now and in the previous period of the same length (null: nothing to measure). */
  current: number | null;
  previous: number | null | undefined;
  format: (v: number | null) => string;
  /** A share 0..1: its change is said in percentage points. */
  isShare?: boolean;
  /** Whether a rise is good news; null when it is neither (more tickets created). */
  higherIsBetter: boolean | null;
  /** Lists the tickets behind the figure when given. */
  drill?: { count: number; filter: TicketFilter } | undefined;
  /** Minutes: the change is said as a duration. */
  formatDelta?: (v: number) => string;
};

/** A headline number with how it moved against the previous period, in words and numbers. */
export function Headline({
  label,
  current,
  previous,
  format,
  isShare = false,
  higherIsBetter,
  drill,
  formatDelta,
}: Props) {
  const { t } = useTranslation();
  const change = changeOf(current, previous ?? null, isShare);
  const good = higherIsBetter === null ? null : isImprovement(change, higherIsBetter);
  const abs = Math.abs(change.delta);
  const delta = isShare
    ? t("review.change.points", { n: abs.toFixed(1) })
    : formatDelta
      ? formatDelta(abs)
      : format(abs);
  const vars = {
    delta,
    percent: change.percent === null ? "" : `${Math.abs(change.percent)}%`,
    previous: format(previous ?? null),
  };
  const sentence =
    change.direction === "none"
      ? previous === undefined
        ? ""
        : t("review.change.none")
      : change.percent === null || change.direction === "same" || change.direction === "new"
        ? t(`review.change.${change.direction}`, vars)
        : t(`review.change.${change.direction}_pct`, vars);
  const shown = format(current);
  return (
    <div className="headline card">
      <div className="headline-label">{label}</div>
      <div className="headline-value">
        {drill ? <DrillNumber value={drill.count} text={shown} title={label} filter={drill.filter} /> : shown}
      </div>
      {sentence && (
        <div className={`headline-change ${good === true ? "change-good" : good === false ? "change-bad" : ""}`}>
          {change.direction === "up" || (change.direction === "new" && change.delta > 0) ? (
            <span aria-hidden="true">▲ </span>
          ) : change.direction === "down" ? (
            <span aria-hidden="true">▼ </span>
          ) : null}
          {sentence}
        </div>
      )}
    </div>
  );
}
