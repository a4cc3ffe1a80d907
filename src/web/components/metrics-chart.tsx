// One chart of the Metrics screen in its card: the chart (Chart.js, only the parts the screen draws registered), its
// numbers on hover, a Table toggle showing the same rows in an accessible table, and CSV and PNG downloads. The
// palette is the stylesheet's own colours, read from its custom properties, so charts sit calmly beside the rest.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  type ChartData,
  Chart as ChartJS,
  type ChartOptions,
  type ChartType,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Tooltip,
} from "chart.js";
import { type ReactNode, useId, useRef, useState } from "react";
import { Chart } from "react-chartjs-2";
import { type Cell, type DataTable, downloadCsv } from "../lib/csv";
import { downloadUrl, fileNameOf, NO_DATA } from "../lib/metrics";

/** Paints the canvas white under the chart, so a downloaded PNG reads on any background. */
const paper: Plugin = {
  id: "paper",
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = "destination-over";
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

ChartJS.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  paper,
);

const cssVar = (name: string, fallback: string): string => {
  if (typeof document === "undefined") return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
};

/** The chart colours: the app's accent, ok, warn and danger, with softer companions and quiet greys. */
export const PALETTE = {
  accent: cssVar("--accent", "#4f46e5"),
  accentSoft: "#a5b4fc",
  ok: cssVar("--ok", "#137a47"),
  okSoft: "#86c5a4",
  warn: "#d48a1a",
  warnSoft: "#f3cf8a",
  danger: cssVar("--danger", "#c8283c"),
  dangerSoft: "#ee9aa6",
  teal: "#0f766e",
  grey: "#9aa1ad",
  greySoft: "#d5d9e0",
  text: cssVar("--text-2", "#4a4f5a"),
  grid: cssVar("--border", "#e3e5ea"),
};

ChartJS.defaults.font.family = cssVar("--font", "sans-serif");
ChartJS.defaults.font.size = 12;
ChartJS.defaults.color = PALETTE.text;
ChartJS.defaults.borderColor = PALETTE.grid;
ChartJS.defaults.animation = false;
ChartJS.defaults.maintainAspectRatio = false;
ChartJS.defaults.plugins.legend.labels.boxWidth = 12;
ChartJS.defaults.plugins.legend.labels.boxHeight = 12;

/** A value axis in percent. */
export const percentAxis = (position: "left" | "right" = "left", title = "%") => ({
  type: "linear" as const,
  position,
  beginAtZero: true,
  suggestedMax: 100,
  title: { display: true, text: title },
  ticks: { callback: (v: string | number) => `${v}%` },
  grid: { drawOnChartArea: position === "left" },
});

/** A value axis counting something (stories, points, days). */
export const countAxis = (title: string, position: "left" | "right" = "left") => ({
  type: "linear" as const,
  position,
  beginAtZero: true,
  title: { display: true, text: title },
  ticks: { precision: 0 },
  grid: { drawOnChartArea: position === "left" },
});

interface Props {
  /** The chart's name: `data-testid="chart-<name>"` and its files' names. */
  name: string;
  title: string;
  /** A sentence under the title: what the chart shows, and how to read it. */
  summary?: ReactNode;
  type: ChartType;
  data: ChartData<ChartType, (number | null)[], string>;
  options?: ChartOptions;
  /** The same numbers as the chart, as its table and CSV file show them. */
  table: DataTable;
  /** What the downloads are named after (train, team, PI, as-of date). */
  fileParts: (string | null)[];
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
  /** A taller plot, for charts over many days. */
  tall?: boolean;
  children?: ReactNode;
}

const cellText = (cell: Cell): string =>
  cell === null ? NO_DATA : typeof cell === "number" ? String(Math.round(cell * 100) / 100) : cell;

export function ChartCard(props: Props) {
  const { name, title, summary, type, data, options, table, fileParts, empty, tall, children } = props;
  const chart = useRef<ChartJS<ChartType, (number | null)[], string> | undefined>(undefined);
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const tableId = useId();
  const files = [...fileParts, name];

  const savePng = () => {
    const current = chart.current;
    if (current) downloadUrl(current.toBase64Image("image/png", 1), fileNameOf(files, "png"));
  };

  return (
    <section className="metrics-card" aria-labelledby={titleId} data-testid={`chart-${name}`}>
      <header className="metrics-card-head">
        <h3 id={titleId} className="metrics-card-title">
          {title}
        </h3>
        <div className="metrics-card-actions">
          <button
            type="button"
            className={`button button-small ${showTable ? "is-active" : ""}`}
            aria-pressed={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable((v) => !v)}
            data-testid="chart-table-toggle"
          >
            Table
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => downloadCsv(table, fileNameOf(files, "csv"))}
            title={`Download the numbers of “${title}” as CSV`}
            data-testid="chart-csv"
          >
            CSV
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={savePng}
            disabled={Boolean(empty)}
            title={`Download “${title}” as a PNG image`}
            data-testid="chart-png"
          >
            PNG
          </button>
        </div>
      </header>
      {summary && <p className="hint metrics-card-summary">{summary}</p>}
      {children}
      {empty ? (
        <p className="muted metrics-chart-empty" data-testid="chart-empty">
          {empty}
        </p>
      ) : (
        <div className={`metrics-chart-plot ${tall ? "is-tall" : ""}`}>
          <Chart
            ref={chart}
            type={type}
            data={data}
            options={options}
            role="img"
            aria-label={`${title}: chart; the Table button shows its numbers`}
            fallbackContent={<p>{title}: the Table button shows its numbers.</p>}
          />
        </div>
      )}
      <div id={tableId} hidden={!showTable}>
        {showTable && (
          <div className="metrics-table-wrap">
            <table className="metrics-table" data-testid="chart-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  {table.head.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, r) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows of numbers in a fixed order
                  <tr key={r}>
                    {row.map((cell, c) =>
                      c === 0 ? (
                        // biome-ignore lint/suspicious/noArrayIndexKey: columns in a fixed order
                        <th key={c} scope="row">
                          {cellText(cell)}
                        </th>
                      ) : (
                        // biome-ignore lint/suspicious/noArrayIndexKey: columns in a fixed order
                        <td key={c} className={typeof cell === "number" ? "num" : cell === null ? "no-data" : ""}>
                          {cellText(cell)}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
