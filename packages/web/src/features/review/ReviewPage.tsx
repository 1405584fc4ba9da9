import { useCallback, useEffect, useMemo, useState } from "react";
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
  type ReviewFilter,
  type ReviewFilters,
  type ReviewQuery,
} from "./review-api.ts";
import { ReviewFiltersBar } from "./ReviewFilters.tsx";
import "../../styles/review.css";

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

type ReviewState = { period: Period | null; filters: ReviewFilters };

function readState(params: URLSearchParams): ReviewState {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const filters: ReviewFilters = {};
  for (const k of REVIEW_FILTERS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  return { period: isDate(from) && isDate(to) && from <= to ? { from, to } : null, filters };
}

/**
 * Period and filters: state of the page (changes never read a stale copy, however fast they
 * come), written to the address so a drill-down's "back" and a shared link show the same figures.
 */
function useReviewQuery(zone: string) {
  const [params, setParams] = useSearchParams();
  const [state, setState] = useState(() => readState(params));
  const today = todayIn(zone, Date.now());
  const period = state.period ?? presetPeriod("last_30_days", today);
  const query: ReviewQuery = useMemo(() => ({ ...period, ...state.filters }), [period.from, period.to, state.filters]);
  useEffect(() => {
    const next = new URLSearchParams({ from: query.from, to: query.to });
    for (const k of REVIEW_FILTERS) if (query[k]) next.set(k, query[k]);
    if (next.toString() !== window.location.search.slice(1)) setParams(next, { replace: true });
  }, [query, setParams]);
  const setPeriod = useCallback((p: Period) => setState((s) => ({ ...s, period: p })), []);
  const setFilter = useCallback(
    (name: ReviewFilter, value: string | undefined) =>
      setState((s) => ({ ...s, filters: { ...s.filters, [name]: value || undefined } })),
    [],
  );
  const clearFilters = useCallback(() => setState((s) => ({ ...s, filters: {} })), []);
  return { today, period, filters: state.filters, query, setPeriod, setFilter, clearFilters };
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
  const [zone, setZone] = useState(BROWSER_ZONE);
  const { today, period, filters, query, setPeriod, setFilter, clearFilters } = useReviewQuery(zone);
  const reportZone = useEscalationRate(query, "category").data?.period.time_zone;
  useEffect(() => {
    if (reportZone && reportZone !== zone) setZone(reportZone);
  }, [reportZone, zone]);

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
          <PeriodPicker period={period} today={today} onChange={setPeriod} />
          <ReviewFiltersBar filters={filters} onChange={setFilter} onClear={clearFilters} showAgent={supervisor} />
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
