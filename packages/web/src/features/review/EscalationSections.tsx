import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ReportDimension, TicketDimension } from "@eskala/contracts";
import { Empty } from "../../ui/Notice.tsx";
import { BarChart, CHART_COLORS } from "./BarChart.tsx";
import { changeOf } from "./change.ts";
import { DrillNumber, useDrill } from "./DrillDown.tsx";
import { useFormats } from "./format.ts";
import { ReportCard } from "./ReportCard.tsx";
import {
  csvUrl,
  REPORT_DIMENSIONS,
  TICKET_DIMENSIONS,
  useEscalationCounts,
  useEscalationRate,
  type ReviewQuery,
} from "./review-api.ts";
import { keyWords } from "./words.ts";

function DimensionSelect<D extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: D;
  options: readonly D[];
  onChange: (d: D) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="inline-select">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as D)}>
        {options.map((d) => (
          <option key={d} value={d}>
            {t(`review.dimension.${d}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A row's change against the previous period, as a cell: "▲ 3", "▼ 2.0 percentage points", "=", or empty when there is nothing to compare. */
function RowChange({
  current,
  previous,
  isShare = false,
}: {
  current: number | null;
  previous: number | null | undefined;
  isShare?: boolean;
}) {
  const { t } = useTranslation();
  const c = changeOf(current, previous ?? null, isShare);
  if (previous === undefined || c.direction === "none") return <td className="num" />;
  const n = Math.abs(c.delta);
  const amount = isShare ? t("review.change.points", { n: n.toFixed(1) }) : String(n);
  return (
    <td className={`num row-change change-${c.direction}`}>
      {c.direction === "same"
        ? t("review.change.row_same")
        : t(`review.change.row_${c.delta > 0 ? "up" : "down"}`, { delta: amount })}
    </td>
  );
}

/** Escalation rate (escalated ÷ created) by category, or another dimension of the ticket. */
export function RateSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const f = useFormats();
  const drill = useDrill();
  const [by, setBy] = useState<TicketDimension>("category");
  const report = useEscalationRate(q, by);
  const d = report.data;
  const rows = d ? [...d.rows].sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1)) : [];
  const prev = new Map(d?.previous?.rows.map((r) => [String(r.key), r]) ?? []);
  const title = t("review.rate.title", { by: t(`review.dimension.${by}`).toLowerCase() });
  return (
    <ReportCard
      id="rate"
      title={title}
      query={report}
      csv={csvUrl("rate", q, { group_by: by })}
      controls={<DimensionSelect value={by} options={TICKET_DIMENSIONS} onChange={setBy} label={t("review.by")} />}
    >
      {rows.length === 0 ? (
        <Empty>{t("review.rate.empty")}</Empty>
      ) : (
        <>
          <BarChart
            horizontal
            labels={rows.map((r) => keyWords(t, by, r.key, r.label))}
            series={[{ label: t("review.rate.rate"), values: rows.map((r) => r.rate), color: CHART_COLORS.primary }]}
            max={1}
            format={(v) => f.share(v)}
            tickFormat={f.shareTick}
            onPick={(i) => {
              const r = rows[i]!;
              drill(t("review.rate.escalated_in", { name: keyWords(t, by, r.key, r.label) }), r.escalated_filter);
            }}
          />
          <table className="table review-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t(`review.dimension.${by}`)}</th>
                <th scope="col" className="num">
                  {t("review.rate.created")}
                </th>
                <th scope="col" className="num">
                  {t("review.rate.escalated")}
                </th>
                <th scope="col" className="num">
                  {t("review.rate.rate")}
                </th>
                <th scope="col" className="num" title={t("review.change.column_hint")}>
                  {t("review.change.column")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const name = keyWords(t, by, r.key, r.label);
                return (
                  <tr key={String(r.key)} data-key={String(r.key)}>
                    <th scope="row">{name}</th>
                    <td className="num">
                      <DrillNumber
                        value={r.created}
                        title={t("review.rate.created_in", { name })}
                        filter={r.ticket_filter}
                      />
                    </td>
                    <td className="num">
                      <DrillNumber
                        value={r.escalated}
                        title={t("review.rate.escalated_in", { name })}
                        filter={r.escalated_filter}
                      />
                    </td>
                    <td className="num">{f.share(r.rate)}</td>
                    <RowChange
                      current={r.rate}
                      previous={d?.previous ? (prev.get(String(r.key))?.rate ?? null) : undefined}
                      isShare
                    />
                  </tr>
                );
              })}
            </tbody>
            {d && (
              <tfoot>
                <tr>
                  <th scope="row">{t("review.total")}</th>
                  <td className="num">
                    <DrillNumber
                      value={d.total.created}
                      title={t("review.rate.created_all")}
                      filter={d.total.ticket_filter}
                    />
                  </td>
                  <td className="num">
                    <DrillNumber
                      value={d.total.escalated}
                      title={t("review.rate.escalated_all")}
                      filter={d.total.escalated_filter}
                    />
                  </td>
                  <td className="num">{f.share(d.total.rate)}</td>
                  <RowChange current={d.total.rate} previous={d.previous ? d.previous.total.rate : undefined} isShare />
                </tr>
              </tfoot>
            )}
          </table>
        </>
      )}
    </ReportCard>
  );
}

/** Escalation records by reason, or by trigger, type, category… */
export function CountsSection({ q }: { q: ReviewQuery }) {
  const { t } = useTranslation();
  const drill = useDrill();
  const [by, setBy] = useState<ReportDimension>("reason");
  const report = useEscalationCounts(q, by);
  const d = report.data;
  const rows = d ? [...d.rows].sort((a, b) => b.escalations - a.escalations) : [];
  const prev = new Map(d?.previous?.rows.map((r) => [String(r.key), r]) ?? []);
  const title = t("review.counts.title", { by: t(`review.dimension.${by}`).toLowerCase() });
  return (
    <ReportCard
      id="counts"
      title={title}
      query={report}
      csv={csvUrl("counts", q, { group_by: by })}
      controls={<DimensionSelect value={by} options={REPORT_DIMENSIONS} onChange={setBy} label={t("review.by")} />}
    >
      {rows.length === 0 ? (
        <Empty>{t("review.counts.empty")}</Empty>
      ) : (
        <>
          <BarChart
            horizontal
            labels={rows.map((r) => keyWords(t, by, r.key, r.label))}
            series={[
              {
                label: t("review.counts.escalations"),
                values: rows.map((r) => r.escalations),
                color: CHART_COLORS.secondary,
              },
            ]}
            onPick={(i) => {
              const r = rows[i]!;
              drill(t("review.counts.tickets_of", { name: keyWords(t, by, r.key, r.label) }), r.ticket_filter);
            }}
          />
          <table className="table review-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t(`review.dimension.${by}`)}</th>
                <th scope="col" className="num">
                  {t("review.counts.escalations")}
                </th>
                <th scope="col" className="num" title={t("review.change.column_hint")}>
                  {t("review.change.column")}
                </th>
                <th scope="col" className="num">
                  {t("review.counts.tickets")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const name = keyWords(t, by, r.key, r.label);
                return (
                  <tr key={String(r.key)} data-key={String(r.key)}>
                    <th scope="row">{name}</th>
                    <td className="num">
                      <DrillNumber
                        value={r.escalations}
                        title={t("review.counts.tickets_of", { name })}
                        filter={r.ticket_filter}
                      />
                    </td>
                    <RowChange
                      current={r.escalations}
                      previous={d?.previous ? (prev.get(String(r.key))?.escalations ?? 0) : undefined}
                    />
                    <td className="num">
                      <DrillNumber
                        value={r.tickets}
                        title={t("review.counts.tickets_of", { name })}
                        filter={r.ticket_filter}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
            {d && (
              <tfoot>
                <tr>
                  <th scope="row">{t("review.total")}</th>
                  <td className="num">
                    <DrillNumber
                      value={d.total.escalations}
                      title={t("review.counts.tickets_all")}
                      filter={d.total.ticket_filter}
                    />
                  </td>
                  <RowChange current={d.total.escalations} previous={d.previous?.total.escalations} />
                  <td className="num">
                    <DrillNumber
                      value={d.total.tickets}
                      title={t("review.counts.tickets_all")}
                      filter={d.total.ticket_filter}
                    />
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </>
      )}
    </ReportCard>
  );
}
