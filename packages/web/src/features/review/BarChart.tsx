import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip, type ChartOptions } from "chart.js";
import { Bar } from "react-chartjs-2";

// Only what bar charts need: chart.js is tree-shaken to these parts in the review page's chunk.
ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

/** The palette of the charts: the app's primary, then colours that stay apart for colour-blind readers. */
export const CHART_COLORS = {
  primary: "#2952cc",
  secondary: "#e59b0b",
  good: "#067647",
  bad: "#b42318",
  neutral: "#8a94a6",
} as const;

export type BarSeries = { label: string; values: (number | null)[]; color: string };

type Props = {
  /** What the chart shows; the same numbers are in the table beside it, so the canvas is hidden from screen readers. */
  labels: string[];
  series: BarSeries[];
  horizontal?: boolean;
  stacked?: boolean;
  /** The scale's top, e.g. 1 for shares. */
  max?: number;
  format?: (value: number) => string;
  /** The scale's numbers, when they read better shorter than the tooltip's ("50%" against "50.0%"). */
  tickFormat?: (value: number) => string;
  /** A bar clicked: its row and series, to list the tickets behind it. */
  onPick?: (index: number, series: number) => void;
};

/** A bar chart drawn by Chart.js, no animation (figures change with the period, not over time). */
export function BarChart({
  labels,
  series,
  horizontal = false,
  stacked = false,
  max,
  format,
  tickFormat,
  onPick,
}: Props) {
  const fmt = format ?? ((v: number) => String(v));
  const tick = tickFormat ?? fmt;
  const valueAxis = {
    beginAtZero: true,
    stacked,
    // Counts have no halves; shares (max 1) keep their fractions.
    ticks: { callback: (v: string | number) => tick(Number(v)), ...(max === undefined ? { precision: 0 } : {}) },
    ...(max !== undefined ? { max } : {}),
  };
  const labelAxis = { stacked, ticks: { autoSkip: false } };
  const options: ChartOptions<"bar"> = {
    indexAxis: horizontal ? "y" : "x",
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    onClick: (_e, elements) => {
      const el = elements[0];
      if (el && onPick) onPick(el.index, el.datasetIndex);
    },
    onHover: (e, elements) => {
      const target = e.native?.target as HTMLElement | undefined;
      if (target) target.style.cursor = elements.length && onPick ? "pointer" : "default";
    },
    plugins: {
      legend: { display: series.length > 1, position: "bottom" },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label ?? ""}: ${fmt(Number(ctx.raw ?? 0))}` } },
    },
    scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
  };
  const data = {
    labels,
    datasets: series.map((s) => ({
      label: s.label,
      data: s.values,
      backgroundColor: s.color,
      borderRadius: 3,
      maxBarThickness: 28,
    })),
  };
  const height = horizontal ? Math.max(120, labels.length * (stacked ? 30 : 18 + 12 * series.length) + 60) : 240;
  return (
    <div className="review-chart" style={{ height }} aria-hidden="true">
      <Bar data={data} options={options} />
    </div>
  );
}
