// The Prioritize screen of an ART: the WSJF estimation grid of one program level — every item in rank order with its
// four inputs, Cost of Delay, WSJF and how far its rank is from its WSJF place — sortable by any column and estimated
// one column at a time from the keyboard. It warns about columns not anchored at 1 (and re-anchors them), applies
// WSJF order to the backlog (with pins, undoable) and exports the grid as CSV.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { costOfDelay, missingInputs, type WsjfInputs, wsjf } from "../../core/wsjf";
import { ApiError, api } from "../lib/api";
import { LEVEL_LABELS, TYPE_LABELS } from "../lib/format";
import { queryKeys, useWsjfGrid } from "../lib/queries";
import { useRights } from "../lib/rights";
import {
  estimationPath,
  itemHref,
  LEVEL_SEGMENTS,
  onLinkClick,
  type ProgramLevel,
  useLocation,
  wsjfPath,
} from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, Item, WsjfGrid, WsjfRow } from "../lib/types";
import {
  agreementText,
  agreementTone,
  firstDirection,
  type GridSort,
  missingText,
  placesText,
  type SortColumn,
  sortRows,
  WSJF_INPUT_LABELS,
  WSJF_INPUTS,
  WSJF_SHORT_LABELS,
  type WsjfInput,
} from "../lib/wsjf-grid";
import { StateBadge } from "./badges";
import { ECONOMIC_VIEW, EconomicView, ViewSwitch } from "./economic-view";
import { StartEstimationDialog } from "./estimation-dialogs";
import { ScaleCell } from "./scale-picker";
import { ApplyWsjfOrderDialog, ReanchorDialog } from "./wsjf-dialogs";

const NO_ROWS: WsjfRow[] = [];
const cellId = (id: string, input: WsjfInput) => `${id}:${input}`;

/** A row with estimates not yet saved laid over it, its Cost of Delay, WSJF and what is missing computed from them. */
function withEstimates(row: WsjfRow, overrides: ReadonlyMap<string, number | null>): WsjfRow {
  if (!WSJF_INPUTS.some((i) => overrides.has(cellId(row.id, i)))) return row;
  const inputs = Object.fromEntries(
    WSJF_INPUTS.map((i) => {
      const key = cellId(row.id, i);
      return [i, overrides.has(key) ? (overrides.get(key) ?? null) : row.inputs[i]];
    }),
  ) as WsjfInputs;
  return { ...row, inputs, costOfDelay: costOfDelay(inputs), wsjf: wsjf(inputs), missing: missingInputs(inputs) };
}

/** The grid's row as the server now has it, from the item a change answered with. */
function fromItem(row: WsjfRow, item: Item): WsjfRow {
  const inputs: WsjfInputs = {
    businessValue: item.businessValue,
    timeCriticality: item.timeCriticality,
    riskReduction: item.riskReduction,
    jobSize: item.jobSize,
  };
  return {
    ...row,
    version: item.version,
    inputs,
    costOfDelay: item.costOfDelay,
    wsjf: item.wsjf,
    missing: missingInputs(inputs),
  };
}

/** The Prioritize screen: the estimation grid, or the Economic view (Cost of Delay per week, CD3, both orders). */
export function PrioritizeView({ art, level }: { art: Art; level: ProgramLevel }) {
  const economic = useLocation().search.get("view") === ECONOMIC_VIEW;
  return economic ? <EconomicView art={art} level={level} /> : <EstimationGrid art={art} level={level} />;
}

function EstimationGrid({ art, level }: { art: Art; level: ProgramLevel }) {
  const client = useQueryClient();
  const rights = useRights();
  const grid = useWsjfGrid(art.key, level);
  const gridKey = queryKeys.wsjf(art.key, level);
  const mayScore = useMemo(
    () => Object.fromEntries(WSJF_INPUTS.map((i) => [i, rights.canScore(i, art.id)])) as Record<WsjfInput, boolean>,
    [rights, art.id],
  );
  const mayOrder = rights.can("rank_program", art.id);

  const [sort, setSort] = useState<GridSort>({ column: "position", descending: false });
  const [column, setColumn] = useState<WsjfInput>(() => WSJF_INPUTS.find((i) => mayScore[i]) ?? "businessValue");
  const [overrides, setOverrides] = useState<ReadonlyMap<string, number | null>>(new Map());
  const [reanchoring, setReanchoring] = useState<WsjfInput | null>(null);
  const [ordering, setOrdering] = useState(false);
  const [estimating, setEstimating] = useState(false);

  const cells = useRef(new Map<string, HTMLDivElement>());
  const chains = useRef(new Map<string, Promise<void>>());
  const versions = useRef(new Map<string, number>());
  const pending = useRef(0);

  const serverRows = grid.data?.items ?? NO_ROWS;
  const rows = useMemo(() => serverRows.map((r) => withEstimates(r, overrides)), [serverRows, overrides]);
  const shown = useMemo(() => sortRows(rows, sort), [rows, sort]);

  useEffect(() => {
    document.title = `Prioritize ${LEVEL_LABELS[level].toLowerCase()}s · ${art.name} · Trainyard`;
  }, [art.name, level]);

  const updateRow = useCallback(
    (id: string, change: (row: WsjfRow) => WsjfRow) =>
      client.setQueryData<WsjfGrid>(gridKey, (g) =>
        g ? { ...g, items: g.items.map((r) => (r.id === id ? change(r) : r)) } : g,
      ),
    [client, gridKey],
  );

  /** Saves one estimate: shown at once, sent in turn after earlier changes of the same item, on its latest version. */
  const score = useCallback(
    (row: WsjfRow, input: WsjfInput, value: number | null) => {
      const key = cellId(row.id, input);
      setOverrides((m) => new Map(m).set(key, value));
      pending.current++;
      const previous = chains.current.get(row.id) ?? Promise.resolve();
      const next = previous.then(async () => {
        const cached = client.getQueryData<WsjfGrid>(gridKey)?.items.find((r) => r.id === row.id);
        const version = Math.max(cached?.version ?? row.version, versions.current.get(row.id) ?? 0);
        try {
          const item = await api.updateItem(row.key, version, { [input]: value });
          versions.current.set(row.id, item.version);
          updateRow(row.id, (r) => fromItem(r, item));
          void client.invalidateQueries({ queryKey: queryKeys.item(row.key) });
        } catch (err) {
          if (err instanceof ApiError && err.status === 409 && err.current) {
            const current = err.current;
            versions.current.set(row.id, current.version);
            updateRow(row.id, (r) => fromItem(r, current));
            showToast(`${row.key} was changed by someone else — its estimates were refreshed`, "error");
          } else {
            const reason = err instanceof Error ? err.message : String(err);
            showToast(`Could not save ${WSJF_INPUT_LABELS[input].toLowerCase()} of ${row.key}: ${reason}`, "error");
          }
        } finally {
          setOverrides((m) => {
            if (m.get(key) !== value) return m;
            const rest = new Map(m);
            rest.delete(key);
            return rest;
          });
          pending.current--;
          // Placing and agreement come from the server: read the grid again once every change has landed.
          if (pending.current === 0) void client.invalidateQueries({ queryKey: gridKey });
        }
      });
      chains.current.set(row.id, next);
    },
    [client, gridKey, updateRow],
  );

  const focusCell = (index: number, input: WsjfInput): boolean => {
    const row = shown[index];
    const el = row ? cells.current.get(cellId(row.id, input)) : undefined;
    if (!el) return false;
    el.focus();
    el.scrollIntoView({ block: "nearest" });
    return true;
  };

  const chooseColumn = (input: WsjfInput) => {
    setColumn(input);
    const first = shown.findIndex((r) => r.missing.includes(input));
    focusCell(first === -1 ? 0 : first, input);
  };

  const sortBy = (c: SortColumn) =>
    setSort((s) =>
      s.column === c ? { column: c, descending: !s.descending } : { column: c, descending: firstDirection(c) },
    );

  const data = grid.data;
  const noun = LEVEL_LABELS[level].toLowerCase();
  const plural = level === "capability" ? "capabilities" : `${noun}s`;
  const unanchored = data ? WSJF_INPUTS.filter((i) => !data.anchored[i]) : [];
  const tone = agreementTone(data?.agreement ?? null);

  return (
    <section className="backlog prioritize" aria-labelledby="prioritize-title" data-testid="prioritize">
      <header className="page-header">
        <div className="page-title">
          <h1 id="prioritize-title" data-testid="prioritize-title">
            Prioritize
          </h1>
          <nav className="segmented" aria-label="Level" data-testid="wsjf-level-switch">
            {(["epic", "capability", "feature"] as const).map((l) => (
              <a
                key={l}
                href={wsjfPath(art.key, l)}
                onClick={onLinkClick}
                className={l === level ? "is-active" : ""}
                aria-current={l === level ? "page" : undefined}
                data-testid={`wsjf-level-${LEVEL_SEGMENTS[l]}`}
              >
                {LEVEL_SEGMENTS[l][0]?.toUpperCase()}
                {LEVEL_SEGMENTS[l].slice(1)}
              </a>
            ))}
          </nav>
        </div>
        <div className="page-meta">
          {grid.isFetching && !grid.isLoading && <span className="spinner" title="Refreshing" />}
          {data && (
            <>
              <span data-testid="wsjf-scored">
                {data.scored} of {data.items.length} {data.items.length === 1 ? noun : plural} scored
              </span>
              <span
                className={`agreement agreement-${tone}`}
                data-testid="wsjf-agreement"
                data-value={data.agreement ?? ""}
                title="Kendall's tau between the backlog's rank and WSJF order over the scored items: 1 is the same order, -1 reversed"
              >
                {agreementText(data.agreement)}
              </span>
            </>
          )}
        </div>
        <a
          className="button"
          href={api.wsjfCsvUrl(art.key, level)}
          download
          data-testid="wsjf-csv"
          title="The grid as a spreadsheet"
        >
          Export CSV
        </a>
        <ViewSwitch economic={false} />
        <a
          className="button"
          href={estimationPath(art.key)}
          onClick={onLinkClick}
          data-testid="estimation-sessions-link"
        >
          Sessions
        </a>
        {WSJF_INPUTS.some((i) => mayScore[i]) && (
          <button
            type="button"
            className="button"
            onClick={() => setEstimating(true)}
            title="Score privately with others, reveal, then confirm the values"
            data-testid="estimation-start-open"
          >
            Estimate together…
          </button>
        )}
        {mayOrder && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setOrdering(true)}
            disabled={!data || data.scored === 0}
            data-testid="apply-wsjf-open"
          >
            Apply WSJF order…
          </button>
        )}
      </header>

      <div className="estimate-bar">
        <span className="estimate-bar-label" aria-hidden="true">
          Estimate one column at a time:
        </span>
        <fieldset className="segmented segmented-buttons">
          <legend className="visually-hidden">Estimate one column at a time</legend>
          {WSJF_INPUTS.map((i) => (
            <button
              key={i}
              type="button"
              aria-pressed={column === i}
              className={`segment ${column === i ? "is-active" : ""}`}
              title={
                mayScore[i] ? WSJF_INPUT_LABELS[i] : `${WSJF_INPUT_LABELS[i]} (your roles do not let you estimate it)`
              }
              onClick={() => chooseColumn(i)}
              data-testid={`estimate-column-${i}`}
            >
              {WSJF_INPUT_LABELS[i]}
            </button>
          ))}
        </fieldset>
        <span className="hint">
          Type <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd> <kbd>5</kbd> <kbd>8</kbd> <kbd>13</kbd> <kbd>20</kbd> or{" "}
          <kbd>←</kbd>
          <kbd>→</kbd>, <kbd>Delete</kbd> clears, <kbd>Tab</kbd>/<kbd>↓</kbd> next row
        </span>
      </div>

      {unanchored.map((input) => {
        const values = rows.map((r) => r.inputs[input]).filter((v): v is number => v !== null);
        return (
          <div key={input} className="notice notice-warn" role="status" data-testid={`anchor-notice-${input}`}>
            <span>
              <strong>{WSJF_INPUT_LABELS[input]}</strong> has no 1: its smallest estimate is {Math.min(...values)}.
              Anchor the smallest {noun} at 1 so the column compares like with like.
            </span>
            {mayScore[input] && (
              <button
                type="button"
                className="button button-small notice-action"
                onClick={() => setReanchoring(input)}
                data-testid={`reanchor-open-${input}`}
              >
                Re-anchor…
              </button>
            )}
          </div>
        );
      })}

      {grid.error ? (
        <div className="notice notice-error" role="alert">
          Could not load the estimation grid: {grid.error.message}
        </div>
      ) : grid.isLoading ? (
        <div className="grid grid-loading" aria-busy="true">
          {Array.from({ length: 12 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
            <div key={i} className="skeleton-row" />
          ))}
        </div>
      ) : (
        <div className="grid wsjf-grid-scroll">
          <table className="wsjf-grid" data-testid="wsjf-grid" data-column={column}>
            <thead>
              <tr>
                <SortHeader column="position" sort={sort} onSort={sortBy} label="#" title="Rank" num />
                <SortHeader column="key" sort={sort} onSort={sortBy} label="Key" />
                <SortHeader column="title" sort={sort} onSort={sortBy} label="Title" />
                <SortHeader column="type" sort={sort} onSort={sortBy} label="Type" />
                <SortHeader column="state" sort={sort} onSort={sortBy} label="State" />
                {WSJF_INPUTS.map((i) => (
                  <SortHeader
                    key={i}
                    column={i}
                    sort={sort}
                    onSort={sortBy}
                    label={WSJF_SHORT_LABELS[i]}
                    title={WSJF_INPUT_LABELS[i]}
                    active={column === i}
                    warn={unanchored.includes(i)}
                    num
                  />
                ))}
                <SortHeader column="costOfDelay" sort={sort} onSort={sortBy} label="CoD" title="Cost of Delay" num />
                <SortHeader column="wsjf" sort={sort} onSort={sortBy} label="WSJF" num />
                <SortHeader
                  column="placesFromWsjf"
                  sort={sort}
                  onSort={sortBy}
                  label="Rank vs WSJF"
                  title="How many places the item is ranked above or below where WSJF would put it"
                />
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 && (
                <tr>
                  <td colSpan={13} className="grid-empty">
                    No {plural} to prioritize yet.
                  </td>
                </tr>
              )}
              {shown.map((row, index) => (
                <tr key={row.id} data-testid="wsjf-row" data-key={row.key} data-position={row.position}>
                  <td className="num muted">{row.position}</td>
                  <td>
                    <a className="key" href={itemHref(row.key)} onClick={onLinkClick} data-testid="wsjf-key">
                      {row.key}
                    </a>
                  </td>
                  <td className="wsjf-title" title={row.title}>
                    {row.title}
                  </td>
                  <td className="muted">{TYPE_LABELS[row.type] ?? row.type}</td>
                  <td>
                    <StateBadge state={row.state} />
                  </td>
                  {WSJF_INPUTS.map((i) => (
                    <td key={i} className={`num estimate ${column === i ? "is-active" : ""}`}>
                      <ScaleCell
                        value={row.inputs[i]}
                        label={`${WSJF_INPUT_LABELS[i]} of ${row.key}`}
                        disabled={!mayScore[i]}
                        saving={overrides.has(cellId(row.id, i))}
                        tabbable={column === i}
                        onCommit={(v) => score(row, i, v)}
                        onMove={(step) => focusCell(index + step, i)}
                        onFocus={() => setColumn(i)}
                        cellRef={(el) => {
                          if (el) cells.current.set(cellId(row.id, i), el);
                          else cells.current.delete(cellId(row.id, i));
                        }}
                        testId={`cell-${i}`}
                      />
                    </td>
                  ))}
                  <td className="num" data-testid="wsjf-cod">
                    {row.costOfDelay ?? <span className="muted">—</span>}
                  </td>
                  <td className="num wsjf-value" data-testid="wsjf-value" data-value={row.wsjf ?? ""}>
                    {row.wsjf !== null ? (
                      <strong>{row.wsjf}</strong>
                    ) : (
                      <>
                        <span className="muted">—</span>{" "}
                        <span className="missing" data-testid="wsjf-missing">
                          {missingText(row.missing)}
                        </span>
                      </>
                    )}
                  </td>
                  <td data-testid="wsjf-places" data-value={row.placesFromWsjf ?? ""}>
                    <span
                      className={`places ${row.placesFromWsjf === null ? "muted" : row.placesFromWsjf > 0 ? "places-above" : row.placesFromWsjf < 0 ? "places-below" : "places-at"}`}
                    >
                      {placesText(row.placesFromWsjf)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {reanchoring && (
        <ReanchorDialog
          art={art}
          level={level}
          input={reanchoring}
          rows={serverRows}
          onClose={() => setReanchoring(null)}
        />
      )}
      {ordering && <ApplyWsjfOrderDialog art={art} level={level} onClose={() => setOrdering(false)} />}
      {estimating && <StartEstimationDialog art={art} level={level} onClose={() => setEstimating(false)} />}
    </section>
  );
}

function SortHeader(props: {
  column: SortColumn;
  sort: GridSort;
  onSort: (c: SortColumn) => void;
  label: string;
  title?: string;
  num?: boolean;
  active?: boolean;
  warn?: boolean;
}) {
  const on = props.sort.column === props.column;
  return (
    <th
      scope="col"
      className={`${props.num ? "num" : ""} ${props.active ? "is-active" : ""}`}
      aria-sort={on ? (props.sort.descending ? "descending" : "ascending") : undefined}
      data-testid={`sort-${props.column}`}
    >
      <button type="button" className="sort-button" title={props.title} onClick={() => props.onSort(props.column)}>
        {props.label}
        {props.warn && (
          <span className="anchor-warn" title="No item in this column is anchored at 1">
            <span aria-hidden="true">!</span>
            <span className="visually-hidden">(not anchored at 1)</span>
          </span>
        )}
        <span className="sort-mark" aria-hidden="true">
          {on ? (props.sort.descending ? "↓" : "↑") : ""}
        </span>
      </button>
    </th>
  );
}
