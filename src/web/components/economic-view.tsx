// The Economic view of the Prioritize screen: the relative-WSJF order beside the CD3 order (Cost of Delay per week ÷
// duration) of one program level — each item's urgency, Cost of Delay per week, CD3 and how far CD3 moves it — what
// CD3 still waits for, and a chart of how a chosen fixed-date item's cost of delay grows the later work starts.
import { lazy, Suspense } from "react";
import { groupBy } from "../../core/collections";
import {
  cd3MissingText,
  type EconomicRow,
  type EconomicsView,
  moneyText,
  movedText,
  URGENCY_LABELS,
  type UrgencyProfile,
  useEconomics,
} from "../lib/economics";
import { LEVEL_LABELS } from "../lib/format";
import { itemHref, LEVEL_SEGMENTS, onLinkClick, type ProgramLevel, setSearch, wsjfPath } from "../lib/router";
import type { Art } from "../lib/types";

// The chart library loads only when the Economic view opens.
const DelayCostChart = lazy(() => import("./delay-cost-chart"));

/** Tells which view the Prioritize screen shows (`?view=economics`). */
export const ECONOMIC_VIEW = "economics";

export function EconomicView({ art, level }: { art: Art; level: ProgramLevel }) {
  const economics = useEconomics(art.key, level);
  const data = economics.data;
  const noun = LEVEL_LABELS[level].toLowerCase();
  const plural = level === "capability" ? "capabilities" : `${noun}s`;

  return (
    <section className="backlog prioritize economic" aria-labelledby="economic-title" data-testid="economic-view">
      <header className="page-header">
        <div className="page-title">
          <h1 id="economic-title" data-testid="prioritize-title">
            Prioritize
          </h1>
          <nav className="segmented" aria-label="Level" data-testid="economic-level-switch">
            {(["epic", "capability", "feature"] as const).map((l) => (
              <a
                key={l}
                href={`${wsjfPath(art.key, l)}?view=${ECONOMIC_VIEW}`}
                onClick={onLinkClick}
                className={l === level ? "is-active" : ""}
                aria-current={l === level ? "page" : undefined}
              >
                {LEVEL_SEGMENTS[l][0]?.toUpperCase()}
                {LEVEL_SEGMENTS[l].slice(1)}
              </a>
            ))}
          </nav>
        </div>
        <div className="page-meta">
          {economics.isFetching && !economics.isLoading && <span className="spinner" title="Refreshing" />}
          {data && (
            <span
              className={`agreement agreement-${toneOf(data.agreement)}`}
              data-testid="economic-agreement"
              data-value={data.agreement ?? ""}
              title="Kendall's tau between the WSJF order and the CD3 order over items with both: 1 is the same order, -1 reversed"
            >
              {data.agreement === null
                ? "Give two scored items a CD3 to compare the orders"
                : `WSJF and CD3 ${data.agreement <= -0.3 ? "disagree" : "agree"} ${data.agreement.toFixed(2)}`}
            </span>
          )}
        </div>
        <ViewSwitch economic />
      </header>

      <p className="hint economic-hint">
        CD3 = Cost of Delay per week ÷ duration in weeks. The CD3 order puts expedite items first, then the highest CD3;
        items without a CD3 come last. Set Cost of Delay, urgency and duration in an item's panel.
      </p>

      {economics.error ? (
        <div className="notice notice-error" role="alert">
          Could not load the economic view: {economics.error.message}
        </div>
      ) : !data ? (
        <div className="grid grid-loading" aria-busy="true">
          {Array.from({ length: 8 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
            <div key={i} className="skeleton-row" />
          ))}
        </div>
      ) : data.items.length === 0 ? (
        <p className="grid-empty">No {plural} to prioritize yet.</p>
      ) : (
        <>
          <Suspense fallback={<div className="economic-chart" aria-busy="true" />}>
            <DelayCostChart data={data} />
          </Suspense>
          <Orders data={data} />
        </>
      )}
    </section>
  );
}

/** Estimation grid | Economic view: which view of the Prioritize screen shows, kept in the address. */
export function ViewSwitch({ economic }: { economic: boolean }) {
  return (
    <fieldset className="segmented segmented-buttons" data-testid="prioritize-view-switch">
      <legend className="visually-hidden">View</legend>
      <button
        type="button"
        className={`segment ${economic ? "" : "is-active"}`}
        aria-pressed={!economic}
        onClick={() => setSearch({ view: null })}
        data-testid="view-grid"
      >
        Estimation grid
      </button>
      <button
        type="button"
        className={`segment ${economic ? "is-active" : ""}`}
        aria-pressed={economic}
        onClick={() => setSearch({ view: ECONOMIC_VIEW })}
        data-testid="view-economic"
      >
        Economic view
      </button>
    </fieldset>
  );
}

const toneOf = (tau: number | null) => (tau === null ? "none" : tau >= 0.7 ? "good" : tau >= 0.3 ? "fair" : "poor");

function UrgencyBadge({ urgency }: { urgency: UrgencyProfile | null }) {
  if (urgency === null) return <span className="muted">—</span>;
  return (
    <span
      className={`urgency-badge urgency-${urgency}`}
      title={URGENCY_LABELS[urgency].explanation}
      data-testid="urgency-badge"
    >
      {URGENCY_LABELS[urgency].label}
    </span>
  );
}

/** The two orders side by side: position n of the WSJF order beside position n of the CD3 order. */
function Orders({ data }: { data: EconomicsView }) {
  const byId = new Map(data.items.map((i) => [i.id, i]));
  const rowsOf = (order: readonly string[]) => order.map((id) => byId.get(id)).filter((r): r is EconomicRow => !!r);
  const waiting = data.items.filter((i) => i.cd3 === null);
  return (
    <div className="economic-orders">
      <div className="grid economic-order" data-testid="economic-wsjf-order">
        <h2 className="section-title">WSJF order</h2>
        <table className="wsjf-grid economic-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Key</th>
              <th>Title</th>
              <th className="num">WSJF</th>
            </tr>
          </thead>
          <tbody>
            {rowsOf(data.wsjfOrder).map((row) => (
              <tr key={row.id} data-testid="economic-wsjf-row" data-key={row.key}>
                <td className="num muted">{row.wsjfPosition}</td>
                <td>
                  <a className="key" href={itemHref(row.key)} onClick={onLinkClick}>
                    {row.key}
                  </a>
                </td>
                <td className="wsjf-title" title={row.title}>
                  {row.title}
                </td>
                <td className="num">{row.wsjf ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid economic-order" data-testid="economic-cd3-order">
        <h2 className="section-title">CD3 order</h2>
        <table className="wsjf-grid economic-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Key</th>
              <th>Title</th>
              <th>Urgency</th>
              <th className="num" title="Cost of Delay per week">
                CoD/week
              </th>
              <th className="num">CD3</th>
              <th title="Places the CD3 order moves the item against the WSJF order">vs WSJF</th>
            </tr>
          </thead>
          <tbody>
            {rowsOf(data.cd3Order).map((row) => {
              // Items without CD3 (and not expedited) trail the CD3 order in rank order: their move means nothing.
              const unordered = row.cd3 === null && row.urgency !== "expedite";
              const moved = unordered ? "—" : movedText(row.wsjfPosition, row.cd3Position);
              return (
                <tr
                  key={row.id}
                  data-testid="economic-cd3-row"
                  data-key={row.key}
                  data-moved={row.wsjfPosition - row.cd3Position}
                >
                  <td className="num muted">{row.cd3Position}</td>
                  <td>
                    <a className="key" href={itemHref(row.key)} onClick={onLinkClick}>
                      {row.key}
                    </a>
                  </td>
                  <td className="wsjf-title" title={row.title}>
                    {row.title}
                  </td>
                  <td>
                    <UrgencyBadge urgency={row.urgency} />
                  </td>
                  <td className="num">{moneyText(row.costOfDelayPerWeek)}</td>
                  <td className="num" data-testid="economic-cd3">
                    {row.cd3 === null ? (
                      <span className="missing" title={cd3MissingText(row.missing)}>
                        —
                      </span>
                    ) : (
                      <strong>{moneyText(row.cd3)}</strong>
                    )}
                  </td>
                  <td>
                    <span
                      className={`places ${unordered ? "muted" : moved === "=" ? "places-at" : moved.startsWith("▲") ? "places-above" : "places-below"}`}
                    >
                      {moved}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {waiting.length > 0 && (
          <div className="hint" data-testid="economic-waiting">
            {[...groupBy(waiting, (row) => cd3MissingText(row.missing))].map(([reason, rows]) => (
              <p key={reason}>
                Without CD3, {rows.length === 1 ? "1 item" : `${rows.length} items`} {reason}:{" "}
                {rows.map((row) => row.key).join(", ")}.
              </p>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
