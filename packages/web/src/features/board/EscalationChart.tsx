import { useTranslation } from "react-i18next";
import type { Board } from "../../lib/types.ts";

const BAR_H = 22;
const GAP = 8;
const LABEL_W = 170;
const WIDTH = 480;

/** Escalations of the last 24 hours by reason: plain SVG bars, with the same numbers as a table for screen readers. */
export function EscalationChart({ data }: { data: Board["escalations_24h"] }) {
  const { t } = useTranslation();
  const rows = [...data].sort((a, b) => b.count - a.count);
  const max = Math.max(1, ...rows.map((r) => r.count));
  const height = rows.length * (BAR_H + GAP);
  if (rows.length === 0) return <p className="empty">{t("board.no_escalations")}</p>;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-hidden="true" focusable="false">
        {rows.map((r, i) => {
          const y = i * (BAR_H + GAP);
          const w = ((WIDTH - LABEL_W - 40) * r.count) / max;
          return (
            <g key={r.reason}>
              <text x={LABEL_W - 8} y={y + BAR_H * 0.7} textAnchor="end" className="chart-label">
                {t(`reason.${r.reason}`, { defaultValue: r.reason })}
              </text>
              <rect x={LABEL_W} y={y} width={Math.max(w, 2)} height={BAR_H} rx={3} className="chart-bar" />
              <text x={LABEL_W + w + 6} y={y + BAR_H * 0.7} className="chart-value">
                {r.count}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{t("board.escalations_24h")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("escalate.reason")}</th>
            <th scope="col">{t("board.count")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.reason}>
              <td>{t(`reason.${r.reason}`, { defaultValue: r.reason })}</td>
              <td>{r.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
