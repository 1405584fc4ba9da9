import { useTranslation } from "react-i18next";
import { PRIORITIES } from "@eskala/core";
import { Empty } from "../../ui/Notice.tsx";
import { tierName, useTiers } from "../console/reference.ts";
import { BarChart, CHART_COLORS } from "./BarChart.tsx";
import { DrillNumber, useDrill } from "./DrillDown.tsx";
import { useFormats } from "./format.ts";
import { ReportCard } from "./ReportCard.tsx";
import { csvUrl, useEscalationTimes, useSlaAttainment, useSolvedTiers, type ReviewQuery } from "./review-api.ts";
import { slaTargetWords } from "./words.ts";

/** Time to the first escalation and time spent in each tier: median and p90, business and wall minutes. */
export function TimesSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const report = useEscalationTimes(q);
  const d = report.data;
  const title = t("review.times.title");
  const rows = d
    ? [
        {
          key: "first",
          name: t("review.times.first_escalation"),
          fig: d.first_escalation,
          filter: d.first_escalation.ticket_filter,
        },
        ...d.tiers.map((x) => ({
          key: `tier-${x.tier}`,
          name: t("review.times.in_tier", { tier: x.label ?? t("review.tier_n", { level: x.tier }) }),
          fig: x,
          filter: x.ticket_filter,
        })),
      ]
    : [];
  return (
    <ReportCard id="times" title={title} query={report} csv={csvUrl("times", q)} wide>
      {d && d.first_escalation.count === 0 && d.tiers.every((x) => x.count === 0) ? (
        <Empty>{t("review.times.empty")}</Empty>
      ) : (
        <>
          <p className="muted small">
            {d?.calendar.name
              ? t("review.times.calendar", { name: d.calendar.name, zone: d.calendar.time_zone })
              : t("review.times.calendar_none")}
          </p>
          <table className="table review-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("review.times.what")}</th>
                <th scope="col" className="num">
                  {t("review.times.tickets")}
                </th>
                <th scope="col" className="num">
                  {t("review.times.median_business")}
                </th>
                <th scope="col" className="num">
                  {t("review.times.p90_business")}
                </th>
                <th scope="col" className="num">
                  {t("review.times.median_wall")}
                </th>
                <th scope="col" className="num">
                  {t("review.times.p90_wall")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.name}</th>
                  <td className="num">
                    <DrillNumber value={r.fig.count} title={r.name} filter={r.filter} />
                  </td>
                  <td className="num">{f.minutes(r.fig.business_minutes.median)}</td>
                  <td className="num">{f.minutes(r.fig.business_minutes.p90)}</td>
                  <td className="num">{f.minutes(r.fig.wall_minutes.median)}</td>
                  <td className="num">{f.minutes(r.fig.wall_minutes.p90)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </ReportCard>
  );
}

/** The level tickets are solved at: the help center (deflected), tier 1, 2, 3. */
export function SolvedSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const drill = useDrill();
  const tiers = useTiers().data;
  const report = useSolvedTiers(q);
  const d = report.data;
  const rows = d ? [...d.rows].sort((a, b) => a.tier - b.tier) : [];
  const title = t("review.solved.title");
  const levelName = (tier: number, label: string | null) =>
    tier === 0 ? t("review.solved.deflected") : (label ?? tierName(tiers, tier));
  return (
    <ReportCard id="solved" title={title} query={report} csv={csvUrl("solved", q)}>
      {rows.length === 0 ? (
        <Empty>{t("review.solved.empty")}</Empty>
      ) : (
        <>
          <BarChart
            labels={rows.map((r) => levelName(r.tier, r.label))}
            series={[{ label: t("review.solved.share"), values: rows.map((r) => r.share), color: CHART_COLORS.good }]}
            max={1}
            format={(v) => f.share(v)}
            tickFormat={f.shareTick}
            onPick={(i) => drill(levelName(rows[i]!.tier, rows[i]!.label), rows[i]!.ticket_filter)}
          />
          <table className="table review-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("review.solved.level")}</th>
                <th scope="col" className="num">
                  {t("review.solved.solved")}
                </th>
                <th scope="col" className="num">
                  {t("review.solved.share")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const name = levelName(r.tier, r.label);
                return (
                  <tr key={r.tier}>
                    <th scope="row">{name}</th>
                    <td className="num">
                      <DrillNumber
                        value={r.solved}
                        title={t("review.solved.solved_at", { level: name })}
                        filter={r.ticket_filter}
                      />
                    </td>
                    <td className="num">{f.share(r.share)}</td>
                  </tr>
                );
              })}
            </tbody>
            {d && (
              <tfoot>
                <tr>
                  <th scope="row">{t("review.solved.unsolved")}</th>
                  <td className="num">{f.count(d.total.unsolved)}</td>
                  <td />
                </tr>
              </tfoot>
            )}
          </table>
        </>
      )}
    </ReportCard>
  );
}

/** SLA attainment per target × priority: met, breached, still open, each down to its tickets. */
export function SlaSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const report = useSlaAttainment(q);
  const d = report.data;
  const order = (p: string) => PRIORITIES.indexOf(p as (typeof PRIORITIES)[number]);
  const rows = d
    ? [...d.rows].sort((a, b) => a.target.localeCompare(b.target) || order(b.priority) - order(a.priority))
    : [];
  const title = t("review.sla.title");
  const names = rows.map((r) => `${slaTargetWords(t, r.target)} · ${t(`priority.${r.priority}`)}`);
  return (
    <ReportCard id="sla" title={title} query={report} csv={csvUrl("sla", q)} wide>
      {rows.length === 0 ? (
        <Empty>{t("review.sla.empty")}</Empty>
      ) : (
        <div className="review-split">
          <BarChart
            horizontal
            stacked
            labels={names}
            series={[
              { label: t("review.sla.achieved"), values: rows.map((r) => r.achieved), color: CHART_COLORS.good },
              { label: t("review.sla.breached"), values: rows.map((r) => r.breached), color: CHART_COLORS.bad },
              { label: t("review.sla.open"), values: rows.map((r) => r.open), color: CHART_COLORS.neutral },
            ]}
          />
          <table className="table review-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("review.sla.target")}</th>
                <th scope="col">{t("review.sla.priority")}</th>
                <th scope="col" className="num">
                  {t("review.sla.achieved")}
                </th>
                <th scope="col" className="num">
                  {t("review.sla.breached")}
                </th>
                <th scope="col" className="num">
                  {t("review.sla.open")}
                </th>
                <th scope="col" className="num">
                  {t("review.sla.attainment")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.target}-${r.priority}`}>
                  <th scope="row">{slaTargetWords(t, r.target)}</th>
                  <td>{t(`priority.${r.priority}`)}</td>
                  {(["achieved", "breached", "open"] as const).map((state) => (
                    <td key={state} className="num">
                      <DrillNumber
                        value={r[state]}
                        title={t("review.sla.drill", { what: names[i], state: t(`review.sla.${state}`).toLowerCase() })}
                        filter={r.ticket_filters[state]}
                      />
                    </td>
                  ))}
                  <td className="num">{f.share(r.attainment)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ReportCard>
  );
}
