import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { User } from "../../lib/types.ts";
import { canSupervise } from "../auth/session.ts";
import { BouncingSection, SatisfactionSection } from "./CustomerSections.tsx";
import { DrillProvider } from "./DrillDown.tsx";
import { CountsSection, RateSection } from "./EscalationSections.tsx";
import { useFormats } from "./format.ts";
import { Headline } from "./Headline.tsx";
import { SlaSection, SolvedSection, TimesSection } from "./OutcomeSections.tsx";
import { RecurringSection, TrainingSection } from "./PatternSections.tsx";
import { PeriodPicker } from "./PeriodPicker.tsx";
import { isDate, presetPeriod, todayIn, type Period } from "./period.ts";
import {
  csvUrl,
  REVIEW_FILTERS,
  useBouncing,
  useEscalationRate,
  useEscalationTimes,
  useSatisfaction,
  useSlaAttainment,
  type ReviewFilters,
  type ReviewQuery,
} from "./review-api.ts";
import { ReviewFiltersBar } from "./ReviewFilters.tsx";
import "../../styles/review.css";

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Period and filters live in the address, so a drill-down's "back" and a shared link show the same figures. */
function useReviewQuery(zone: string) {
  const [params, setParams] = useSearchParams();
  const today = todayIn(zone, Date.now());
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const period: Period = isDate(from) && isDate(to) && from <= to ? { from, to } : presetPeriod("last_30_days", today);
  const filters: ReviewFilters = {};
  for (const k of REVIEW_FILTERS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const key = params.toString();
  const query: ReviewQuery = useMemo(() => ({ ...period, ...filters }), [key, period.from, period.to]);
  const update = useCallback(
    (p: Period, f: ReviewFilters) => {
      const next = new URLSearchParams({ from: p.from, to: p.to });
      for (const k of REVIEW_FILTERS) if (f[k]) next.set(k, f[k]);
      setParams(next, { replace: false });
    },
    [setParams],
  );
  return { today, period, filters, query, update };
}

function Headlines({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const rate = useEscalationRate(q, "category").data;
  const times = useEscalationTimes(q).data;
  const sla = useSlaAttainment(q).data;
  const sat = useSatisfaction(q).data;
  const bouncing = useBouncing(q).data;
  const attainment = (rows: { achieved: number; breached: number }[] | undefined) => {
    if (!rows) return null;
    const met = rows.reduce((s, r) => s + r.achieved, 0);
    const all = rows.reduce((s, r) => s + r.achieved + r.breached, 0);
    return all ? met / all : null;
  };
  return (
    <div className="review-headlines">
      <Headline
        label={t("review.headline.rate")}
        current={rate?.total.rate ?? null}
        previous={rate?.previous ? rate.previous.total.rate : undefined}
        format={f.share}
        isShare
        higherIsBetter={false}
      />
      <Headline
        label={t("review.headline.escalated")}
        current={rate?.total.escalated ?? null}
        previous={rate?.previous?.total.escalated}
        format={(v) => (v === null ? "—" : f.count(v))}
        higherIsBetter={false}
        drill={rate ? { count: rate.total.escalated, filter: rate.total.escalated_filter } : undefined}
      />
      <Headline
        label={t("review.headline.created")}
        current={rate?.total.created ?? null}
        previous={rate?.previous?.total.created}
        format={(v) => (v === null ? "—" : f.count(v))}
        higherIsBetter={null}
        drill={rate ? { count: rate.total.created, filter: rate.total.ticket_filter } : undefined}
      />
      <Headline
        label={t("review.headline.first_escalation")}
        current={times?.first_escalation.business_minutes.median ?? null}
        previous={times?.previous ? times.previous.first_escalation.business_minutes.median : undefined}
        format={f.minutes}
        formatDelta={(v) => f.minutes(v)}
        higherIsBetter
      />
      <Headline
        label={t("review.headline.sla")}
        current={attainment(sla?.rows)}
        previous={sla?.previous ? attainment(sla.previous.rows) : undefined}
        format={f.share}
        isShare
        higherIsBetter
      />
      <Headline
        label={t("review.headline.satisfaction")}
        current={sat?.escalated.mean ?? null}
        previous={sat?.previous ? sat.previous.escalated.mean : undefined}
        format={f.rating}
        higherIsBetter
      />
      <Headline
        label={t("review.headline.bounced")}
        current={bouncing?.bounced ?? null}
        previous={bouncing?.previous?.bounced}
        format={(v) => (v === null ? "—" : f.count(v))}
        higherIsBetter={false}
        drill={bouncing ? { count: bouncing.bounced, filter: bouncing.ticket_filter } : undefined}
      />
    </div>
  );
}

/** The escalation review: what moved, why, how fast, with what outcome, and what to act on. */
export function ReviewPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const supervisor = canSupervise(user);
  // Dates are the organisation's: the reports say its zone; until then, the browser's.
  const zoneProbe = useEscalationRate(useReviewQuery(BROWSER_ZONE).query, "category").data?.period.time_zone;
  const { today, period, filters, query, update } = useReviewQuery(zoneProbe ?? BROWSER_ZONE);

  return (
    <DrillProvider>
      <div className="page review">
        <div className="review-title">
          <h1>{supervisor ? t("review.title") : t("review.title_own")}</h1>
          <a className="button small" href={csvUrl("escalationsCsv", query)} download>
            {t("review.csv_escalations")}
          </a>
        </div>
        {!supervisor && <p className="muted">{t("review.own_only")}</p>}
        <div className="review-controls card">
          <PeriodPicker period={period} today={today} onChange={(p) => update(p, filters)} />
          <ReviewFiltersBar filters={filters} onChange={(f) => update(period, f)} showAgent={supervisor} />
        </div>
        <Headlines q={query} />
        <div className="review-grid">
          <RateSection q={query} />
          <CountsSection q={query} />
          <RecurringSection q={query} canAct={supervisor} />
          {supervisor && <TrainingSection q={query} />}
          <TimesSection q={query} />
          <SolvedSection q={query} />
          <SlaSection q={query} />
          <SatisfactionSection q={query} />
          <BouncingSection q={query} />
        </div>
      </div>
    </DrillProvider>
  );
}
