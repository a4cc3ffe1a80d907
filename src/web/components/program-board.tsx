// The PI screens of an ART — the program board, PI objectives, risks (ROAM) and the confidence vote — under one header
// with a tab per screen and a PI picker (`?pi=`, the current PI by default). The program board shows teams as rows
// and the PI's iterations as columns (and "Unplanned"), each feature where its stories land, milestones on their
// iteration, each cell's load against capacity, and the dependencies as curves between the provider's and the
// consumer's cells, coloured by health. A line (or its entry in the list below, for the keyboard) opens the
// dependency panel (`?dep=`); `?team=` keeps one team's dependencies.
import { type CSSProperties, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import {
  type ProgramBoard as Board,
  type BoardFeature,
  type BoardIteration,
  DEPENDENCY_HEALTH,
  type DepEnd,
  type Dependency,
  type DependencyHealth,
  HEALTH_LABELS,
  healthCounts,
  piOf,
  STATE_LABELS,
  useDependencies,
  useProgramBoard,
} from "../lib/board";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick, PI_TABS, type PiTab, piPath, setSearch, useLocation } from "../lib/router";
import type { Art, ProgramIncrement } from "../lib/types";
import { ConfidenceVote } from "./confidence-vote";
import { DependencyDialog } from "./dependency-dialog";
import { DependencyPanel } from "./dependency-panel";
import { ObjectivesView } from "./objectives-view";
import { RisksBoard } from "./risks-board";

const TAB_LABELS: Record<PiTab, string> = {
  board: "Program board",
  objectives: "Objectives",
  risks: "Risks",
  confidence: "Confidence vote",
};

const UNPLANNED = "unplanned";
const SCALES = [1, 1.25, 1.5, 2] as const;

export function PiScreen({ art, tab }: { art: Art; tab: PiTab }) {
  const { search } = useLocation();
  const piRef = search.get("pi");
  const pi = piOf(art, piRef);
  const pis = [...art.pis].sort((a, b) => a.startDate.localeCompare(b.startDate));

  useEffect(() => {
    document.title = `${TAB_LABELS[tab]}${pi ? ` · ${pi.name}` : ""} · ${art.name} · Trainyard`;
  }, [art.name, pi, tab]);

  return (
    <section className="backlog pi-screen" aria-labelledby="pi-title" data-testid="pi-screen" data-tab={tab}>
      <header className="page-header pi-header">
        <div className="page-title">
          <h1 id="pi-title">{TAB_LABELS[tab]}</h1>
        </div>
        <nav className="segmented" aria-label="PI screens" data-testid="pi-tabs">
          {PI_TABS.map((t) => (
            <a
              key={t}
              href={piPath(art.key, t, piRef)}
              onClick={onLinkClick}
              className={t === tab ? "is-active" : ""}
              aria-current={t === tab ? "page" : undefined}
              data-testid={`pi-tab-${t}`}
            >
              {TAB_LABELS[t]}
            </a>
          ))}
        </nav>
        {pis.length > 0 && (
          <label className="pi-picker">
            <span className="muted">PI</span>
            <select
              className="input"
              value={pi?.id ?? ""}
              onChange={(e) => {
                const chosen = pis.find((p) => p.id === e.target.value);
                setSearch({ pi: chosen?.name ?? null, dep: null });
              }}
              data-testid="pi-picker"
            >
              {pis.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.startDate} – {p.endDate})
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {!pi ? (
        <p className="notice pi-none" data-testid="pi-none">
          {art.name} has no Program Increment yet. Create one on the Plan screen (or with{" "}
          <code>trainyard pi create</code>
          ); then its board, objectives, risks and confidence vote show here.
        </p>
      ) : tab === "board" ? (
        <ProgramBoardView key={pi.id} art={art} pi={pi} />
      ) : tab === "objectives" ? (
        <ObjectivesView key={pi.id} art={art} pi={pi} />
      ) : tab === "risks" ? (
        <RisksBoard key={pi.id} art={art} pi={pi} />
      ) : (
        <ConfidenceVote key={pi.id} art={art} pi={pi} />
      )}
    </section>
  );
}

/** Where a line starts or ends on the board. */
interface Point {
  x: number;
  y: number;
}

interface Line {
  dep: Dependency;
  from: Point;
  to: Point;
  /** A loop within one cell. */
  same: boolean;
}

const cellKey = (teamId: string, column: string) => `${teamId}:${column}`;
const cardKey = (teamId: string, featureId: string) => `card:${teamId}:${featureId}`;

function ProgramBoardView({ art, pi }: { art: Art; pi: ProgramIncrement }) {
  const { search } = useLocation();
  const rights = useRights();
  const board = useProgramBoard(art.key, pi.id);
  const list = useDependencies(art.key, pi.id);
  const teamRef = search.get("team");
  const depId = search.get("dep");
  const [creating, setCreating] = useState(false);
  const [scale, setScale] = useState<number>(1);

  const data = board.data;
  const teams = useMemo(() => (data?.teams ?? []).filter((t) => rights.canSee(art.id, t.id)), [data, rights, art.id]);
  const team = teamRef ? (teams.find((t) => t.key === teamRef || t.id === teamRef) ?? null) : null;
  const allDeps = data?.dependencies ?? [];
  const deps = useMemo(
    () => (team ? allDeps.filter((d) => d.consumer.teamId === team.id || d.provider.teamId === team.id) : allDeps),
    [allDeps, team],
  );
  const open = depId
    ? (allDeps.find((d) => d.id === depId) ?? list.data?.dependencies.find((d) => d.id === depId))
    : null;
  const mayRelate = rights.can("relate", art.id) || teams.some((t) => rights.can("relate", art.id, t.id));

  return (
    <div className={`pi-board-layout ${open ? "has-dep-panel" : ""}`}>
      <div className="pi-board-main">
        <div className="pi-toolbar">
          <nav className="segmented" aria-label="Team filter" data-testid="board-team-filter">
            <a
              href={boardHref(null)}
              onClick={onLinkClick}
              className={team ? "" : "is-active"}
              aria-current={team ? undefined : "page"}
              data-testid="board-team-all"
            >
              All teams
            </a>
            {teams.map((t) => (
              <a
                key={t.id}
                href={boardHref(t.key)}
                onClick={onLinkClick}
                className={team?.id === t.id ? "is-active" : ""}
                aria-current={team?.id === t.id ? "page" : undefined}
                data-testid={`board-team-${t.key}`}
              >
                {t.name}
              </a>
            ))}
          </nav>
          <HealthLegend deps={deps} />
          <label className="pi-scale" title="Scale the board up for a planning-room screen">
            <span className="muted">Size</span>
            <select
              className="input"
              value={scale}
              onChange={(e) => setScale(Number(e.target.value))}
              data-testid="board-scale"
            >
              {SCALES.map((s) => (
                <option key={s} value={s}>
                  {Math.round(s * 100)}%
                </option>
              ))}
            </select>
          </label>
          {board.isFetching && !board.isLoading && <span className="spinner" title="Refreshing" />}
          {mayRelate && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setCreating(true)}
              data-testid="new-dependency"
            >
              New dependency
            </button>
          )}
        </div>
        {board.isLoading && <p className="muted pi-loading">Loading the board…</p>}
        {board.isError && (
          <p className="notice notice-error pi-error" role="alert">
            {board.error.message}
          </p>
        )}
        {data && (
          <BoardGrid
            art={art}
            board={data}
            teams={teams}
            deps={deps}
            selected={open?.id ?? null}
            scale={scale}
            highlightTeam={team?.id ?? null}
          />
        )}
        {data && (
          <DependencyLists
            art={art}
            deps={deps}
            cycles={list.data?.cycles ?? []}
            all={list.data?.dependencies ?? allDeps}
            teamId={team?.id ?? null}
            teamNames={new Map(art.teams.map((t) => [t.id, t.name]))}
          />
        )}
      </div>
      {open && (
        <DependencyPanel key={open.id} art={art} pi={pi} dependency={open} onClose={() => setSearch({ dep: null })} />
      )}
      {depId && !open && data && (
        <aside className="dep-panel" data-testid="dependency-panel-missing">
          <p className="muted">This dependency is gone (removed, or not in this PI).</p>
          <button type="button" className="button" onClick={() => setSearch({ dep: null })}>
            Close
          </button>
        </aside>
      )}
      {creating && (
        <DependencyDialog
          art={art}
          pi={pi}
          onClose={() => setCreating(false)}
          onCreated={(d) => {
            setCreating(false);
            setSearch({ dep: d.id });
          }}
        />
      )}
    </div>
  );
}

/** The board link with a team filter (keeping the PI). */
function boardHref(team: string | null): string {
  const params = new URLSearchParams(window.location.search);
  params.delete("dep");
  if (team) params.set("team", team);
  else params.delete("team");
  const s = params.toString();
  return `${window.location.pathname}${s ? `?${s}` : ""}`;
}

function HealthLegend({ deps }: { deps: readonly Dependency[] }) {
  const counts = healthCounts(deps);
  return (
    <ul className="dep-legend" aria-label="Dependency health" data-testid="dep-legend">
      {DEPENDENCY_HEALTH.map((h) => (
        <li key={h} className={`dep-legend-item health-${h}`} data-health={h} data-count={counts[h]}>
          <svg width="22" height="8" aria-hidden="true">
            <line x1="1" y1="4" x2="21" y2="4" className={`dep-stroke health-${h}`} />
          </svg>
          {HEALTH_LABELS[h]} <span className="count">{counts[h]}</span>
        </li>
      ))}
    </ul>
  );
}

/** The column a dependency's end sits in: an iteration of the PI, Unplanned, or before / after the PI. */
function columnOf(end: DepEnd, pi: Board["pi"], piStarts: ReadonlyMap<string, string>): string {
  if (!end.iteration) return UNPLANNED;
  if (end.iteration.piId === pi.id) return end.iteration.id;
  const start = piStarts.get(end.iteration.piId);
  return start !== undefined && start < pi.startDate ? "before" : "after";
}

function BoardGrid({
  art,
  board,
  teams,
  deps,
  selected,
  scale,
  highlightTeam,
}: {
  art: Art;
  board: Board;
  teams: Board["teams"];
  deps: readonly Dependency[];
  selected: string | null;
  scale: number;
  highlightTeam: string | null;
}) {
  const pi = board.pi;
  const piStarts = useMemo(() => new Map(art.pis.map((p) => [p.id, p.startDate])), [art.pis]);
  const iterations = board.iterations;
  const columns = useMemo(() => [...iterations.map((i) => i.id), UNPLANNED], [iterations]);
  const scroller = useRef<HTMLElement>(null);
  const surface = useRef<HTMLDivElement>(null);
  const anchors = useRef(new Map<string, HTMLElement>());
  const [lines, setLines] = useState<Line[]>([]);
  const [size, setSize] = useState({ width: 0, height: 0 });

  const byCell = useMemo(() => {
    const cells = new Map<string, BoardFeature[]>();
    for (const f of board.features) {
      if (!f.teamId) continue;
      const key = cellKey(f.teamId, f.iterationId ?? UNPLANNED);
      cells.set(key, [...(cells.get(key) ?? []), f]);
    }
    return cells;
  }, [board.features]);
  const load = useMemo(() => new Map(board.load.map((l) => [cellKey(l.teamId, l.iterationId), l])), [board.load]);
  const milestones = useMemo(() => {
    const at = new Map<string, Board["milestones"]>();
    for (const m of board.milestones) {
      const it = iterations.find((i) => i.startDate <= m.date && m.date <= i.endDate);
      const key = it?.id ?? (m.date < (iterations[0]?.startDate ?? "") ? "before" : UNPLANNED);
      at.set(key, [...(at.get(key) ?? []), m]);
    }
    return at;
  }, [board.milestones, iterations]);

  const register = useCallback((key: string) => {
    return (el: HTMLElement | null) => {
      if (el) anchors.current.set(key, el);
      else anchors.current.delete(key);
    };
  }, []);

  // Lines are measured from the laid-out cells and cards, relative to the board's surface (which scrolls with them).
  const measure = useCallback(() => {
    const base = surface.current;
    if (!base) return;
    const origin = base.getBoundingClientRect();
    const rectOf = (end: DepEnd): DOMRect | null => {
      if (!end.teamId) return null;
      const column = columnOf(end, pi, piStarts);
      if (column === "before" || column === "after") {
        const edge = anchors.current.get(
          cellKey(end.teamId, column === "before" ? (columns[0] ?? UNPLANNED) : UNPLANNED),
        );
        if (!edge) return null;
        const r = edge.getBoundingClientRect();
        return new DOMRect(column === "before" ? r.left : r.right, r.top, 0, r.height);
      }
      const card = end.level === "feature" ? anchors.current.get(cardKey(end.teamId, end.id)) : undefined;
      const cell = anchors.current.get(cellKey(end.teamId, column));
      const el = card && cell?.contains(card) ? card : cell;
      return el ? el.getBoundingClientRect() : null;
    };
    // Several lines at one place spread out vertically.
    const used = new Map<string, number>();
    const spread = (r: DOMRect, side: "l" | "r") => {
      const key = `${Math.round(r.left)}:${Math.round(r.top)}:${side}`;
      const n = used.get(key) ?? 0;
      used.set(key, n + 1);
      const step = Math.min(10, r.height / 6);
      return (n % 2 === 0 ? 1 : -1) * Math.ceil(n / 2) * step;
    };
    const next: Line[] = [];
    for (const dep of deps) {
      const p = rectOf(dep.provider);
      const c = rectOf(dep.consumer);
      if (!p || !c) continue;
      const same = Math.abs(p.left - c.left) < 1 && Math.abs(p.top - c.top) < 1;
      const forward = p.left + p.width / 2 <= c.left + c.width / 2;
      const fromX = same || forward ? p.right : p.left;
      const toX = same ? c.right : forward ? c.left : c.right;
      next.push({
        dep,
        same,
        from: { x: fromX - origin.left, y: p.top + p.height / 2 + spread(p, same || forward ? "r" : "l") - origin.top },
        to: { x: toX - origin.left, y: c.top + c.height / 2 + spread(c, forward && !same ? "l" : "r") - origin.top },
      });
    }
    setLines(next);
    setSize({ width: base.scrollWidth, height: base.scrollHeight });
  }, [deps, pi, piStarts, columns]);

  useLayoutEffect(() => {
    measure();
  }, [measure]);

  useEffect(() => {
    let frame = 0;
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    const observer = new ResizeObserver(later);
    if (surface.current) observer.observe(surface.current);
    if (scroller.current) observer.observe(scroller.current);
    const el = scroller.current;
    el?.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      el?.removeEventListener("scroll", later);
      window.removeEventListener("resize", later);
    };
  }, [measure]);

  const style = {
    "--board-scale": scale,
    gridTemplateColumns: `var(--board-team-col) repeat(${columns.length}, minmax(var(--board-col), 1fr))`,
  } as CSSProperties;

  return (
    <section
      className="pi-board-scroll"
      ref={scroller}
      aria-label={`Program board of ${board.pi.name}`}
      data-testid="program-board"
    >
      <div className="pi-board" ref={surface} style={style}>
        <div className="pi-board-corner pi-board-head">Team</div>
        {iterations.map((it) => (
          <IterationHead key={it.id} iteration={it} milestones={milestones.get(it.id) ?? []} />
        ))}
        <div className="pi-board-head pi-board-head-unplanned">
          <span className="pi-iteration-name">Unplanned</span>
          <span className="muted pi-iteration-dates">in the PI, no iteration</span>
          {(milestones.get(UNPLANNED) ?? []).map((m) => (
            <span key={m.id} className="milestone" title={`${m.name} · ${m.date}`} data-testid="milestone">
              ◆ {m.name}
            </span>
          ))}
        </div>
        {teams.map((t) => (
          <TeamRow
            key={t.id}
            team={t}
            columns={columns}
            byCell={byCell}
            load={load}
            register={register}
            dim={highlightTeam !== null && highlightTeam !== t.id}
          />
        ))}
        {teams.length === 0 && <p className="muted pi-board-empty">No team of {art.name} to show.</p>}
        <svg
          className="dep-lines"
          width={size.width}
          height={size.height}
          aria-label="Dependencies"
          data-testid="dep-lines"
        >
          <defs>
            {DEPENDENCY_HEALTH.map((h) => (
              <marker
                key={h}
                id={`dep-arrow-${h}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" className={`dep-arrow health-${h}`} />
              </marker>
            ))}
          </defs>
          {lines.map((l) => (
            <DependencyLine key={l.dep.id} line={l} selected={selected === l.dep.id} />
          ))}
        </svg>
      </div>
    </section>
  );
}

function IterationHead({ iteration, milestones }: { iteration: BoardIteration; milestones: Board["milestones"] }) {
  return (
    <div
      className={`pi-board-head ${iteration.kind === "ip" ? "is-ip" : ""}`}
      data-testid="board-iteration"
      data-iteration={iteration.id}
    >
      <span className="pi-iteration-name">{iteration.name}</span>
      <span className="muted pi-iteration-dates">
        {iteration.startDate.slice(5)} – {iteration.endDate.slice(5)}
        {iteration.kind === "ip" && " · Innovation & Planning"}
      </span>
      {milestones.map((m) => (
        <span key={m.id} className="milestone" title={`${m.name} · ${m.date}`} data-testid="milestone">
          ◆ {m.name} <span className="muted">{m.date.slice(5)}</span>
        </span>
      ))}
    </div>
  );
}

function TeamRow({
  team,
  columns,
  byCell,
  load,
  register,
  dim,
}: {
  team: Board["teams"][number];
  columns: string[];
  byCell: Map<string, BoardFeature[]>;
  load: Map<string, Board["load"][number]>;
  register: (key: string) => (el: HTMLElement | null) => void;
  dim: boolean;
}) {
  return (
    <>
      <div className={`pi-board-team ${dim ? "is-dim" : ""}`} data-testid="board-team" data-team={team.key}>
        <span className="pi-team-name">{team.name}</span>
        <span className="muted mono">{team.key}</span>
      </div>
      {columns.map((column) => {
        const key = cellKey(team.id, column);
        const l = column === UNPLANNED ? undefined : load.get(key);
        const features = byCell.get(key) ?? [];
        return (
          <div
            key={column}
            ref={register(key)}
            className={`pi-board-cell ${column === UNPLANNED ? "is-unplanned" : ""} ${l?.overloaded ? "is-overloaded" : ""} ${dim ? "is-dim" : ""}`}
            data-testid="board-cell"
            data-team={team.key}
            data-iteration={column}
          >
            {l && (l.capacity !== null || l.load > 0) && <LoadBar load={l} />}
            <ul className="pi-cards">
              {features.map((f) => (
                <li
                  key={f.featureId}
                  ref={register(cardKey(team.id, f.featureId))}
                  className="pi-card"
                  data-testid="board-feature"
                  data-key={f.key}
                >
                  <a className="ref-link key" href={itemHref(f.key)} onClick={onLinkClick}>
                    {f.key}
                  </a>
                  <span className="pi-card-title" title={f.title}>
                    {f.title}
                  </span>
                  <span className="muted pi-card-meta">
                    {f.stories} {f.stories === 1 ? "story" : "stories"} · {f.points} pts
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}

function LoadBar({ load }: { load: Board["load"][number] }) {
  const share = load.capacity ? Math.min(1, load.load / load.capacity) : 0;
  const text = load.capacity === null ? `${load.load} pts · no capacity set` : `${load.load} / ${load.capacity} pts`;
  return (
    <div
      className={`pi-load ${load.overloaded ? "is-over" : ""}`}
      title={load.overloaded ? `Overloaded: ${text}` : text}
      data-testid="board-load"
      data-overloaded={load.overloaded}
    >
      <span className="pi-load-text">{text}</span>
      {load.capacity !== null && (
        <span className="pi-load-bar" aria-hidden="true">
          <span style={{ width: `${share * 100}%` }} />
        </span>
      )}
    </div>
  );
}

function DependencyLine({ line, selected }: { line: Line; selected: boolean }) {
  const { from, to, dep } = line;
  let d: string;
  if (line.same) {
    const out = 36;
    d = `M ${from.x} ${from.y} C ${from.x + out} ${from.y - 24}, ${to.x + out} ${to.y + 24}, ${to.x} ${to.y}`;
  } else {
    const bend = Math.max(40, Math.abs(to.x - from.x) / 2);
    const dir = to.x >= from.x ? 1 : -1;
    d = `M ${from.x} ${from.y} C ${from.x + bend * dir} ${from.y}, ${to.x - bend * dir} ${to.y}, ${to.x} ${to.y}`;
  }
  const label = `${dep.consumer.key} depends on ${dep.provider.key}: ${HEALTH_LABELS[dep.health]}`;
  const openIt = () => setSearch({ dep: dep.id });
  return (
    <g className={`dep-line health-${dep.health} ${selected ? "is-selected" : ""}`}>
      <path d={d} className={`dep-stroke health-${dep.health}`} markerEnd={`url(#dep-arrow-${dep.health})`} />
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG path cannot be a <button>; it acts as one */}
      <path
        d={d}
        className="dep-hit"
        role="button"
        tabIndex={0}
        aria-label={label}
        onClick={openIt}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            openIt();
          }
        }}
        data-testid="dep-line"
        data-dep={dep.id}
        data-health={dep.health}
      >
        <title>{label}</title>
      </path>
    </g>
  );
}

function DependencyLists({
  art,
  deps,
  cycles,
  all,
  teamId,
  teamNames,
}: {
  art: Art;
  deps: readonly Dependency[];
  cycles: string[][];
  all: readonly Dependency[];
  teamId: string | null;
  teamNames: Map<string, string>;
}) {
  const uncommitted = deps.filter((d) => d.crossTeam && d.state === "requested");
  const byId = new Map(all.map((d) => [d.id, d]));
  const shownCycles = cycles.filter(
    (c) =>
      teamId === null ||
      c.some((id) => [byId.get(id)?.consumer.teamId, byId.get(id)?.provider.teamId].includes(teamId)),
  );
  const order: Record<DependencyHealth, number> = { conflict: 0, at_risk: 1, unplanned: 2, healthy: 3, declined: 4 };
  const sorted = [...deps].sort(
    (a, b) => order[a.health] - order[b.health] || a.consumer.key.localeCompare(b.consumer.key),
  );
  const team = (id: string | null) => (id ? (teamNames.get(id) ?? "") : "no team");
  return (
    <div className="dep-lists">
      <section className="refine-card dep-list-card" aria-labelledby="dep-list-title" data-testid="dependency-list">
        <h2 id="dep-list-title" className="refine-card-title">
          Dependencies <span className="count">{deps.length}</span>
        </h2>
        {sorted.length === 0 ? (
          <p className="muted empty-line">No dependency {teamId ? "of this team " : ""}in this PI.</p>
        ) : (
          <ul className="dep-list">
            {sorted.map((d) => (
              <li key={d.id}>
                <DependencyEntry d={d} team={team} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section
        className="refine-card dep-list-card"
        aria-labelledby="dep-uncommitted-title"
        data-testid="uncommitted-list"
      >
        <h2 id="dep-uncommitted-title" className="refine-card-title">
          Cross-team, not yet committed <span className="count">{uncommitted.length}</span>
        </h2>
        {uncommitted.length === 0 ? (
          <p className="muted empty-line">Every cross-team dependency has an answer from its provider.</p>
        ) : (
          <ul className="dep-list">
            {uncommitted.map((d) => (
              <li key={d.id}>
                <DependencyEntry d={d} team={team} />
              </li>
            ))}
          </ul>
        )}
        <h2 className="refine-card-title">
          Cycles <span className="count">{shownCycles.length}</span>
        </h2>
        {shownCycles.length === 0 ? (
          <p className="muted empty-line">No dependency cycle.</p>
        ) : (
          <ul className="dep-cycles" data-testid="dep-cycles">
            {shownCycles.map((c) => (
              <li key={c.join(",")}>
                {c.map((id, i) => {
                  const d = byId.get(id);
                  return d ? (
                    <button
                      key={id}
                      type="button"
                      className="button-link"
                      onClick={() => setSearch({ dep: id })}
                      title={`${d.consumer.key} depends on ${d.provider.key}`}
                    >
                      {i > 0 ? " → " : ""}
                      {d.consumer.key} → {d.provider.key}
                    </button>
                  ) : null;
                })}
              </li>
            ))}
          </ul>
        )}
        <p className="hint">
          In {art.name}, a dependency is committed once the provider's team names the iteration it will deliver in.
        </p>
      </section>
    </div>
  );
}

function DependencyEntry({ d, team }: { d: Dependency; team: (id: string | null) => string }) {
  return (
    <button
      type="button"
      className={`dep-entry health-${d.health}`}
      onClick={() => setSearch({ dep: d.id })}
      data-testid="dep-entry"
      data-dep={d.id}
      data-health={d.health}
    >
      <span className={`dep-health-badge health-${d.health}`}>{HEALTH_LABELS[d.health]}</span>
      <span className="dep-entry-ends">
        <span className="key">{d.consumer.key}</span> <span className="muted">({team(d.consumer.teamId)})</span> needs{" "}
        <span className="key">{d.provider.key}</span> <span className="muted">({team(d.provider.teamId)})</span>
      </span>
      <span className="dep-entry-needed">{d.needed}</span>
      <span className="muted dep-entry-state">
        {STATE_LABELS[d.state]}
        {d.neededBy ? ` · by ${d.neededBy.name}` : ""}
        {d.inCycle ? " · in a cycle" : ""}
      </span>
    </button>
  );
}
