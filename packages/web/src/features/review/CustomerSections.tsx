import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Empty } from "../../ui/Notice.tsx";
import { BarChart, CHART_COLORS } from "./BarChart.tsx";
import { DrillNumber, useDrill } from "./DrillDown.tsx";
import { useFormats } from "./format.ts";
import { ReportCard } from "./ReportCard.tsx";
import { BOUNCE_KINDS, csvUrl, useBouncing, useSatisfaction, type ReviewQuery } from "./review-api.ts";
import { pathWords } from "./words.ts";

/** Satisfaction of escalated against never-escalated tickets, and by the path of tiers a ticket took. */
export function SatisfactionSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const drill = useDrill();
  const report = useSatisfaction(q);
  const d = report.data;
  const title = t("review.satisfaction.title");
  const rows = d
    ? [
        { key: "escalated", name: t("review.satisfaction.escalated"), fig: d.escalated },
        { key: "not_escalated", name: t("review.satisfaction.not_escalated"), fig: d.not_escalated },
        ...[...d.paths]
          .sort((a, b) => b.count - a.count)
          .map((p) => ({
            key: `path-${p.path}`,
            name: t("review.satisfaction.path", { path: pathWords(t, p.tiers) }),
            fig: p,
          })),
      ]
    : [];
  return (
    <ReportCard id="satisfaction" title={title} query={report} csv={csvUrl("satisfaction", q)}>
      {d && d.escalated.count + d.not_escalated.count === 0 ? (
        <Empty>{t("review.satisfaction.empty")}</Empty>
      ) : (
        <>
          <BarChart
            labels={rows.slice(0, 2).map((r) => r.name)}
            series={[
              {
                label: t("review.satisfaction.share_4_5"),
                values: rows.slice(0, 2).map((r) => r.fig.share_4_5),
                color: CHART_COLORS.primary,
              },
            ]}
            max={1}
            format={(v) => f.share(v)}
            tickFormat={f.shareTick}
            onPick={(i) => drill(rows[i]!.name, rows[i]!.fig.ticket_filter)}
          />
          <table className="table review-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("review.satisfaction.tickets")}</th>
                <th scope="col" className="num">
                  {t("review.satisfaction.ratings")}
                </th>
                <th scope="col" className="num">
                  {t("review.satisfaction.mean")}
                </th>
                <th scope="col" className="num">
                  {t("review.satisfaction.share_4_5")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className={r.key.startsWith("path-") ? "review-sub" : ""}>
                  <th scope="row">{r.name}</th>
                  <td className="num">
                    <DrillNumber value={r.fig.count} title={r.name} filter={r.fig.ticket_filter} />
                  </td>
                  <td className="num">{f.rating(r.fig.mean)}</td>
                  <td className="num">{f.share(r.fig.share_4_5)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </ReportCard>
  );
}

/** Tickets that went back down, returned to a level they had left, or moved three times or more. */
export function BouncingSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const report = useBouncing(q);
  const d = report.data;
  const title = t("review.bouncing.title");
  const kinds = d
    ? BOUNCE_KINDS.map((k) => d.kinds.find((x) => x.kind === k) ?? { kind: k, tickets: 0, ticket_filter: {} })
    : [];
  return (
    <ReportCard id="bouncing" title={title} query={report} csv={csvUrl("bouncing", q)}>
      {d && (
        <>
          <p>
            {t("review.bouncing.summary", { bounced: f.count(d.bounced), moved: f.count(d.moved) })}{" "}
            {d.bounced > 0 && (
              <DrillNumber
                value={d.bounced}
                text={t("review.bouncing.list_all")}
                title={title}
                filter={d.ticket_filter}
              />
            )}
          </p>
          <ul className="plain-list review-kinds">
            {kinds.map((k) => (
              <li key={k.kind}>
                {t(`review.bouncing.kind.${k.kind}`)}:{" "}
                <DrillNumber value={k.tickets} title={t(`review.bouncing.kind.${k.kind}`)} filter={k.ticket_filter} />
              </li>
            ))}
          </ul>
          {d.tickets.length === 0 ? (
            <Empty>{t("review.bouncing.empty")}</Empty>
          ) : (
            <table className="table review-table">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("review.drill.ticket")}</th>
                  <th scope="col">{t("review.bouncing.path")}</th>
                  <th scope="col" className="num">
                    {t("review.bouncing.moves")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.tickets.slice(0, 20).map((x) => (
                  <tr key={x.id}>
                    <td>
                      <Link to={`/app/tickets/${x.id}?queue=all`}>
                        #{x.number} {x.subject}
                      </Link>
                      <div className="muted small">
                        {x.kinds.map((k) => t(`review.bouncing.kind.${k}`)).join(" · ")}
                      </div>
                    </td>
                    <td>{pathWords(t, x.path)}</td>
                    <td className="num">{f.count(x.moves)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </ReportCard>
  );
}
