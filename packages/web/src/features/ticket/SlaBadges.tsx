import type { TFunction } from "i18next";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { localized } from "../../lib/i18n.ts";
import { formatDateTime, formatDuration, formatTime, useNow } from "../../lib/time.ts";
import type { SlaClock, SlaTarget, TicketSla } from "../../lib/types.ts";

export function useUnits() {
  const { t } = useTranslation();
  return { d: t("units.d"), h: t("units.h"), m: t("units.m") };
}

/** What a clock says right now: "12m left", "overdue 5m", "met 10:42". */
function clockText(clock: SlaClock, now: number, t: TFunction, units: ReturnType<typeof useUnits>, lang: string) {
  if (clock.state === "achieved") return t("sla.met_at", { time: formatTime(clock.achieved_at, lang) });
  if (clock.state === "paused") {
    return clock.remaining_minutes !== null
      ? t("sla.paused_left", { time: formatDuration(clock.remaining_minutes * 60_000, units) })
      : t("sla.paused");
  }
  if (!clock.due_at) return "";
  const ms = new Date(clock.due_at).getTime() - now;
  return ms >= 0
    ? t("sla.left", { time: formatDuration(ms, units) })
    : t("sla.overdue", { time: formatDuration(ms, units) });
}

/** The state a running clock shows: past its deadline it reads as breached even before the server says so. */
function liveState(clock: SlaClock, now: number): SlaClock["state"] {
  if ((clock.state === "active" || clock.state === "warning") && clock.due_at && new Date(clock.due_at).getTime() < now)
    return "breached";
  return clock.state;
}

function SlaBadge({ clock }: { clock: SlaClock }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const units = useUnits();
  const tipId = useId();
  const state = liveState(clock, now);
  const explanation = localized(clock.explanation, i18n.language);
  return (
    <li className={`sla-badge sla-${state}`} tabIndex={0} aria-describedby={tipId}>
      <span className="sla-target">{t(`sla.target.${clock.target}`)}</span>
      <span className="sla-state">{t(`sla.state.${state}`)}</span>
      <span className="sla-countdown" aria-live="off">
        {clockText(clock, now, t, units, i18n.language)}
      </span>
      <span role="tooltip" id={tipId} className="tooltip">
        {clock.due_at && <strong>{t("sla.due_at", { time: formatDateTime(clock.due_at, i18n.language) })}</strong>}
        {explanation && <span> {explanation}</span>}
        {clock.paused_minutes > 0 && (
          <span> {t("sla.paused_total", { time: formatDuration(clock.paused_minutes * 60_000, units) })}</span>
        )}
      </span>
    </li>
  );
}

/** All SLA clocks of a ticket, as badges with a live countdown and the deadline's reason on hover or focus. */
export function SlaBadges({ sla }: { sla: TicketSla | undefined }) {
  const { t } = useTranslation();
  if (!sla) return <p className="not-available small">{t("sla.not_available")}</p>;
  if (!sla.policy && sla.clocks.length === 0) return <p className="muted small">{t("sla.no_policy")}</p>;
  return (
    <div className="sla-row">
      {sla.policy && <span className="muted small">{t("sla.policy", { name: sla.policy.name })}</span>}
      <ul className="sla-badges" aria-label={t("sla.title")}>
        {sla.clocks.map((c) => (
          <SlaBadge key={c.target} clock={c} />
        ))}
      </ul>
    </div>
  );
}

/** A compact "due in" for list rows, coloured by how close the deadline is. */
export function DueIn({ dueAt, target }: { dueAt: string; target: SlaTarget | null }) {
  const { t } = useTranslation();
  const now = useNow();
  const units = useUnits();
  const ms = new Date(dueAt).getTime() - now;
  const cls = ms < 0 ? "due-breached" : ms < 60 * 60_000 ? "due-warning" : "due-ok";
  const label = target ? t(`sla.target.${target}`) : t("sla.next_due");
  return (
    <span className={`due ${cls}`} title={label}>
      <span className="sr-only">{label}: </span>
      {ms >= 0
        ? t("sla.left", { time: formatDuration(ms, units) })
        : t("sla.overdue", { time: formatDuration(ms, units) })}
    </span>
  );
}
