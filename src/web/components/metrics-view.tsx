// The Metrics screen of an ART (`/arts/{art}/metrics?team=&pi=&asOf=&view=`): backlog health and flow for a team or
// the whole train, for one PI, as of any date. Four views: the team dashboard (the seed's three metrics — Backlog
// Readiness Rate, Story Acceptance Rate, Rework Ratio — with depth, velocity, say/do and predictability, and their
// charts), flow (SAFe's six flow metrics), a Monte Carlo forecast (what fits in the PI, when features land) and the
// inspect & adapt table of every team side by side. Every control is in the address, so a dashboard is a link; item
// changes pushed live refresh it (its queries live under the ART's backlogs). A number that cannot be computed reads
// "no data", never 0 % or 100 %. Loaded only when the screen opens (it brings the chart library).
import { type FormEvent, type ReactNode, useEffect, useMemo, useState } from "react";
import { STORY_STATES, type StoryState } from "../../core/work-item";
import { type DataTable, downloadCsv } from "../lib/csv";
import { stateLabel, TYPE_LABELS } from "../lib/format";
import {
  DEFAULT_TRIALS,
  type Forecast,
  fileNameOf,
  type InspectAdapt,
  latestCompleted,
  MAX_TRIALS,
  METRICS_VIEW_LABELS,
  METRICS_VIEWS,
  type MetricsDashboard,
  type MetricsQuery,
  metricsQueryOf,
  NO_DATA,
  numberText,
  type PiResult,
  percentText,
  plural,
  REWORK_REASON_LABELS,
  shortDate,
  useForecast,
  useInspectAdapt,
  useMetricsDashboard,
} from "../lib/metrics";
import { todayIso } from "../lib/planning";
import { useRights } from "../lib/rights";
import { itemHref, metricsPath, onLinkClick, setSearch, useLocation } from "../lib/router";
import type { Art, Team } from "../lib/types";
import { ChartCard, countAxis, PALETTE, percentAxis } from "./metrics-chart";

const HEALTHY_DEPTH = 2;

/** Where the downloads of a dashboard take their names from. */
type FileParts = (string | null)[];

export function MetricsView({ art }: { art: Art }) {
  const { search } = useLocation();
  const rights = useRights();
  const q = metricsQueryOf(search);
  const teams = useMemo(() => art.teams.filter((t) => rights.canSee(art.id, t.id)), [art, rights]);
  const team = q.team ? (teams.find((t) => t.key === q.team || t.id === q.team) ?? null) : null;
  const pis = useMemo(() => [...art.pis].sort((a, b) => a.startDate.localeCompare(b.startDate)), [art.pis]);
  const pi = q.pi ? (pis.find((p) => p.id === q.pi || p.name === q.pi) ?? null) : null;
  const query: MetricsQuery = { ...q, team: team?.key ?? null, pi: pi?.id ?? null };
  // Without a role on the whole train, "all teams" are the teams one may see (the API counts only those).
  const allTeams = rights.onWholeTrain(art.id) ? "Whole train" : "All your teams";
  const unknownTeam = q.team !== null && !team;
  const unknownPi = q.pi !== null && !pi;
  const usable = !unknownTeam && !unknownPi && pis.length > 0;

  const dashboard = useMetricsDashboard(art.key, query, usable && (q.view === "dashboard" || q.view === "flow"));
  const forecast = useForecast(art.key, query, usable && q.view === "forecast");
  const inspect = useInspectAdapt(art.key, query, usable && q.view === "inspect");
  const active = q.view === "forecast" ? forecast : q.view === "inspect" ? inspect : dashboard;
  const shownPi = dashboard.data?.pi ?? inspect.data?.pi ?? pi;

  useEffect(() => {
    const who = team?.name ?? allTeams;
    document.title = `${METRICS_VIEW_LABELS[q.view]} · ${who} · ${art.name} · Trainyard`;
  }, [art.name, team, q.view, allTeams]);

  const fileParts: FileParts = [
    art.key,
    team?.key ?? "train",
    shownPi?.name ?? null,
    dashboard.data?.asOf ?? q.asOf ?? null,
  ];

  return (
    <section className="backlog metrics-screen" aria-labelledby="metrics-title" data-testid="metrics-screen">
      <header className="page-header metrics-header">
        <div className="page-title">
          <h1 id="metrics-title">Metrics</h1>
          {active.isFetching && !active.isLoading && <span className="spinner" title="Refreshing" />}
        </div>
        <label className="plan-picker">
          <span>Team</span>
          <select
            className="input"
            value={team?.key ?? ""}
            onChange={(e) => setSearch({ team: e.target.value || null })}
            disabled={q.view === "inspect"}
            title={q.view === "inspect" ? "Inspect & adapt shows every team side by side" : undefined}
            data-testid="metrics-team"
          >
            <option value="">{allTeams}</option>
            {teams.map((t) => (
              <option key={t.id} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="plan-picker">
          <span>PI</span>
          <select
            className="input"
            value={pi?.id ?? ""}
            onChange={(e) => setSearch({ pi: e.target.value || null })}
            disabled={pis.length === 0}
            data-testid="metrics-pi"
          >
            <option value="">{pis.length === 0 ? "No PI yet" : "Running at the as-of date"}</option>
            {pis.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({shortDate(p.startDate)} – {shortDate(p.endDate)})
              </option>
            ))}
          </select>
        </label>
        <AsOfInput value={q.asOf} />
      </header>
      <nav className="tabs metrics-tabs" aria-label="Metrics views" data-testid="metrics-views">
        {METRICS_VIEWS.map((v) => (
          <a
            key={v}
            href={metricsPath(art.key, { ...query, view: v })}
            onClick={onLinkClick}
            className={v === q.view ? "is-active" : ""}
            aria-current={v === q.view ? "page" : undefined}
            data-testid={`metrics-view-${v}`}
          >
            {METRICS_VIEW_LABELS[v]}
          </a>
        ))}
      </nav>
      {unknownTeam ? (
        <p className="notice notice-error" role="alert">
          {art.name} has no team {q.team}, or you have no role on it.
        </p>
      ) : unknownPi ? (
        <p className="notice notice-error" role="alert">
          {art.name} has no PI {q.pi}.
        </p>
      ) : pis.length === 0 ? (
        <p className="metrics-empty muted" data-testid="metrics-no-pi">
          {art.name} has no program increment yet: metrics are read per PI. Create one on the Plan screen.
        </p>
      ) : active.isError ? (
        <p className="notice notice-error" role="alert" data-testid="metrics-error">
          Could not load the {METRICS_VIEW_LABELS[q.view].toLowerCase()}: {active.error.message}
        </p>
      ) : q.view === "forecast" ? (
        forecast.data ? (
          <ForecastView data={forecast.data} trials={q.trials} fileParts={fileParts} teams={art.teams} pis={pis} />
        ) : (
          <Loading what="Running the forecast" />
        )
      ) : q.view === "inspect" ? (
        inspect.data ? (
          <InspectAdaptView data={inspect.data} fileParts={[art.key, "inspect-adapt", inspect.data.pi.name]} />
        ) : (
          <Loading what="Reading every team's results" />
        )
      ) : !dashboard.data ? (
        <Loading what="Reading the metrics" />
      ) : q.view === "flow" ? (
        <FlowView data={dashboard.data} fileParts={fileParts} allTeams={allTeams} />
      ) : (
        <DashboardView data={dashboard.data} art={art} fileParts={fileParts} allTeams={allTeams} />
      )}
    </section>
  );
}

/** The as-of date: empty is today; the metrics are read as they stood at the end of that day. */
function AsOfInput({ value }: { value: string | null }) {
  return (
    <div className="metrics-as-of">
      <label className="plan-picker">
        <span>As of</span>
        <input
          type="date"
          className="input"
          value={value ?? ""}
          max={todayIso()}
          onChange={(e) => setSearch({ asOf: e.target.value || null })}
          aria-describedby="metrics-as-of-hint"
          data-testid="metrics-as-of"
        />
      </label>
      <span id="metrics-as-of-hint" className="visually-hidden">
        Empty is today.
      </span>
      {value && (
        <button type="button" className="button button-small" onClick={() => setSearch({ asOf: null })}>
          Today
        </button>
      )}
    </div>
  );
}

function Loading({ what }: { what: string }) {
  return (
    <p className="muted metrics-empty" aria-busy="true" data-testid="metrics-loading">
      {what}…
    </p>
  );
}

// ── The team dashboard ────────────────────────────────────────────────────────────────────────────────────────────

/** Short names for iterations across PIs ("PI 2 I3"): plain names repeat in every PI. */
function iterationLabels(data: MetricsDashboard): Map<string, { short: string; long: string }> {
  const piNames = new Map(data.pis.map((p) => [p.piId, p.name]));
  const many = new Set(data.iterations.map((i) => i.piId)).size > 1;
  return new Map(
    data.iterations.map((i) => {
      const piName = piNames.get(i.piId) ?? "";
      const ip = i.name.startsWith("IP");
      const short = many ? `${piName} ${ip ? "IP" : `I${i.number}`}` : i.name;
      return [i.iterationId, { short: i.completed ? short : `${short} (so far)`, long: `${piName} ${i.name}` }];
    }),
  );
}

function DashboardView({
  data,
  art,
  fileParts,
  allTeams,
}: {
  data: MetricsDashboard;
  art: Art;
  fileParts: FileParts;
  allTeams: string;
}) {
  const piResult = data.pis.find((p) => p.piId === data.pi.id) ?? null;
  const last = latestCompleted(data.iterations);
  const r = data.readiness;
  const v = data.velocity;
  const iterationNames = new Map(art.pis.flatMap((p) => p.iterations.map((i) => [i.id, `${p.name} ${i.name}`])));
  const horizonNames = r.horizon.iterationIds.map((id) => iterationNames.get(id) ?? id);
  const predictability = piResult?.predictability ?? data.flow.predictability;
  const depthTone = r.depth === null ? undefined : r.depth < HEALTHY_DEPTH ? "bad" : "ok";

  return (
    <div className="metrics-body" data-testid="metrics-dashboard">
      <Scope data={data} allTeams={allTeams} />
      <div className="metric-tiles">
        <Tile
          testId="metric-readiness-assigned"
          label={`Backlog Readiness Rate: assigned (next ${plural(r.horizon.iterations, "iteration")})`}
          value={r.assigned.rate}
          detail={
            r.assigned.stories === 0
              ? `No open stories assigned to ${horizonNames.join(" and ") || "the next iterations"} yet.`
              : `${r.assigned.ready} of ${plural(r.assigned.stories, "story", "stories")} assigned to ${horizonNames.join(" and ")} are ready.`
          }
        />
        <Tile
          testId="metric-readiness-ranked"
          label={`Backlog Readiness Rate: ranked (next ${plural(r.horizon.iterations, "iteration")})`}
          value={r.ranked.rate}
          detail={
            r.ranked.capacity === null
              ? "Needs a capacity or a velocity: the top of the backlog that fills the next iterations."
              : `${r.ranked.ready} of the top ${plural(r.ranked.stories, "ranked story", "ranked stories")} filling ${numberText(r.ranked.capacity)} points of capacity are ready.`
          }
        />
        <Tile
          testId="metric-acceptance"
          label="Story Acceptance Rate"
          value={last?.acceptanceRate ?? null}
          detail={
            !last
              ? "No iteration has finished yet."
              : last.planned.stories === 0
                ? `Nothing was planned at the start of ${iterationNames.get(last.iterationId) ?? last.name}.`
                : `${iterationNames.get(last.iterationId) ?? last.name}: ${last.accepted.stories} of ${plural(last.planned.stories, "story", "stories")} planned at its start accepted${last.added.stories > 0 ? `; ${plural(last.added.stories, "story", "stories")} added during it (${last.added.accepted} accepted)` : ""}.`
          }
        >
          <p className="metric-sub" data-testid="metric-acceptance-pi" data-value={piResult?.acceptanceRate ?? ""}>
            {data.pi.name} so far: <strong>{percentText(piResult?.acceptanceRate)}</strong>
          </p>
        </Tile>
        <Tile
          testId="metric-rework"
          label="Rework Ratio"
          value={data.rework.ratio}
          detail={
            data.rework.completed === 0
              ? `No story completed in ${data.pi.name} yet.`
              : `${data.rework.reworked} of ${plural(data.rework.completed, "story", "stories")} completed in ${data.pi.name} needed rework (${plural(data.rework.reopenings, "reopening")}).`
          }
        >
          {data.rework.reasons.some((x) => x.count > 0) && (
            <ul className="metric-reasons" aria-label="Why">
              {data.rework.reasons
                .filter((x) => x.count > 0)
                .map((x) => (
                  <li key={x.reason}>
                    {REWORK_REASON_LABELS[x.reason]}: {x.count}
                  </li>
                ))}
            </ul>
          )}
        </Tile>
        <Tile
          testId="metric-depth"
          label="Ready-backlog depth"
          value={r.depth}
          text={r.depth === null ? NO_DATA : `${numberText(r.depth)} iterations`}
          tone={depthTone}
          detail={
            r.depth === null
              ? `${numberText(r.readyPoints)} ready points; no velocity yet to measure them by.`
              : `${numberText(r.readyPoints)} ready points ÷ average velocity${r.depth < HEALTHY_DEPTH ? ": below the healthy 2 iterations" : " (healthy at 2 or more)"}.`
          }
        />
        <Tile
          testId="metric-velocity"
          label="Velocity"
          value={v.average}
          text={v.average === null ? NO_DATA : `${numberText(v.average)} ± ${numberText(v.deviation ?? 0)} points`}
          detail={
            v.average === null
              ? "No iteration has finished yet."
              : `Recent average ${numberText(v.recentAverage)} (last 3); ${numberText(v.min)}–${numberText(v.max)} over ${plural(v.iterations.length, "iteration")}.`
          }
        />
        <Tile
          testId="metric-say-do"
          label="Say/do ratio"
          value={piResult?.sayDo ?? null}
          detail={`${data.pi.name} so far: points done ÷ points planned at the iterations' start${last ? `; ${last.name}: ${percentText(last.sayDo)}` : ""}.`}
        />
        <Tile
          testId="metric-predictability"
          label="ART predictability"
          value={predictability}
          tone={predictability === null ? undefined : predictability >= 80 ? "ok" : "warn"}
          detail={
            predictability === null
              ? "Needs the PI objectives' actual business values."
              : "Actual ÷ planned business value of the PI objectives (80–100% is predictable)."
          }
        />
      </div>
      <div className="metrics-charts">
        <VelocityChart data={data} fileParts={fileParts} />
        <AcceptanceChart data={data} fileParts={fileParts} />
        <ReadinessChart data={data} fileParts={fileParts} />
        <ReworkChart data={data} fileParts={fileParts} />
        <BurnUpChart data={data} fileParts={fileParts} />
        <BurnDownChart data={data} fileParts={fileParts} />
        <CfdChart data={data} fileParts={fileParts} />
      </div>
    </div>
  );
}

/** Whose metrics, which PI, as of when. */
function Scope({ data, allTeams }: { data: MetricsDashboard; allTeams: string }) {
  return (
    <p className="metrics-scope" data-testid="metrics-scope">
      <strong>
        {data.team?.name ?? `${data.art.name}: ${allTeams === "Whole train" ? "the whole train" : "all your teams"}`}
      </strong>{" "}
      · {data.pi.name} ({shortDate(data.pi.startDate)} – {shortDate(data.pi.endDate)}) · as of {shortDate(data.asOf)}
    </p>
  );
}

interface TileProps {
  testId: string;
  label: string;
  /** The raw number, for `data-value` ("" when there is none). */
  value: number | null;
  /** How it reads; a percentage unless given. */
  text?: string;
  detail?: ReactNode;
  tone?: "ok" | "warn" | "bad" | undefined;
  children?: ReactNode;
}

function Tile({ testId, label, value, text, detail, tone, children }: TileProps) {
  return (
    <div className={`metric-tile ${tone ? `metric-${tone}` : ""}`} data-testid={testId} data-value={value ?? ""}>
      <h3 className="metric-label">{label}</h3>
      <p className={`metric-value ${value === null ? "is-none" : ""}`} data-testid="metric-text">
        {text ?? percentText(value)}
      </p>
      {detail && <p className="metric-detail">{detail}</p>}
      {children}
    </div>
  );
}

const pctTooltip = { callbacks: { label: (c: { dataset: { label?: string }; raw: unknown }) => tooltipText(c) } };

/** A tooltip line: the series and its number, "%" for the percent series, "no data" for a gap. */
function tooltipText(c: { dataset: { label?: string }; raw: unknown }): string {
  const label = c.dataset.label ?? "";
  if (c.raw === null || c.raw === undefined) return `${label}: ${NO_DATA}`;
  const n = Math.round(Number(c.raw) * 10) / 10;
  return `${label}: ${n}${/%|rate|ratio|say\/do|predictability|acceptance/i.test(label) ? "%" : ""}`;
}

function VelocityChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const labels = iterationLabels(data);
  const its = data.iterations;
  return (
    <ChartCard
      name="velocity"
      title="Velocity per iteration"
      summary="Points done or accepted in each iteration, against the points planned at its start; say/do is their ratio."
      type="bar"
      data={{
        labels: its.map((i) => labels.get(i.iterationId)?.short ?? i.name),
        datasets: [
          {
            type: "bar",
            label: "Velocity (points)",
            data: its.map((i) => i.velocity),
            backgroundColor: PALETTE.accent,
            yAxisID: "y",
            order: 2,
          },
          {
            type: "line",
            label: "Planned at start (points)",
            data: its.map((i) => i.planned.points),
            borderColor: PALETTE.grey,
            backgroundColor: PALETTE.grey,
            borderDash: [5, 4],
            yAxisID: "y",
            order: 1,
          },
          {
            type: "line",
            label: "Say/do %",
            data: its.map((i) => i.sayDo),
            borderColor: PALETTE.ok,
            backgroundColor: PALETTE.ok,
            yAxisID: "pct",
            spanGaps: false,
            order: 0,
          },
        ],
      }}
      options={{
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: pctTooltip,
          legend: { labels: { sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0) } },
        },
        scales: { y: countAxis("Points"), pct: percentAxis("right", "Say/do") },
      }}
      table={{
        head: ["Iteration", "Finished", "Planned points", "Velocity (points)", "Say/do %"],
        rows: its.map((i) => [
          labels.get(i.iterationId)?.long ?? i.name,
          i.completed ? "yes" : "not yet",
          i.planned.points,
          i.velocity,
          i.sayDo,
        ]),
      }}
      fileParts={fileParts}
      empty={its.length === 0 ? "No iteration has started yet." : null}
    />
  );
}

function ReadinessChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const labels = iterationLabels(data);
  const its = data.iterations;
  const horizon = data.readiness.horizon.iterations;
  return (
    <ChartCard
      name="readiness"
      title="Backlog Readiness Rate as each iteration began"
      summary={`Of the open stories assigned to the iteration and the next ${horizon > 1 ? `${horizon - 1} ` : ""}at its start, those ready (or already in progress). No bar: nothing was assigned.`}
      type="bar"
      data={{
        labels: its.map((i) => labels.get(i.iterationId)?.short ?? i.name),
        datasets: [
          {
            type: "bar",
            label: "Readiness rate %",
            data: its.map((i) => i.readiness.rate),
            backgroundColor: PALETTE.teal,
            yAxisID: "pct",
            order: 1,
          },
          {
            type: "line",
            label: "Stories assigned",
            data: its.map((i) => i.readiness.stories),
            borderColor: PALETTE.grey,
            backgroundColor: PALETTE.grey,
            borderDash: [5, 4],
            yAxisID: "stories",
            order: 0,
          },
        ],
      }}
      options={{
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: pctTooltip },
        scales: { pct: percentAxis("left", "Ready"), stories: countAxis("Stories assigned", "right") },
      }}
      table={{
        head: ["Iteration", "Stories assigned", "Ready", "Readiness rate %"],
        rows: its.map((i) => [
          labels.get(i.iterationId)?.long ?? i.name,
          i.readiness.stories,
          i.readiness.ready,
          i.readiness.rate,
        ]),
      }}
      fileParts={fileParts}
      empty={its.length === 0 ? "No iteration has started yet." : null}
    />
  );
}

function AcceptanceChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const labels = iterationLabels(data);
  const its = data.iterations;
  return (
    <ChartCard
      name="acceptance"
      title="Story Acceptance Rate per iteration"
      summary="Stories the PO accepted ÷ stories planned at the iteration's start; scope added during it is shown apart. No bar: nothing was planned."
      type="bar"
      data={{
        labels: its.map((i) => labels.get(i.iterationId)?.short ?? i.name),
        datasets: [
          {
            type: "bar",
            label: "Acceptance rate %",
            data: its.map((i) => i.acceptanceRate),
            backgroundColor: PALETTE.ok,
            yAxisID: "pct",
          },
          {
            type: "bar",
            label: "Stories added mid-iteration",
            data: its.map((i) => i.added.stories),
            backgroundColor: PALETTE.warnSoft,
            borderColor: PALETTE.warn,
            borderWidth: 1,
            yAxisID: "stories",
          },
        ],
      }}
      options={{
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: pctTooltip },
        scales: { pct: percentAxis("left", "Accepted"), stories: countAxis("Stories added", "right") },
      }}
      table={{
        head: [
          "Iteration",
          "Planned stories",
          "Accepted",
          "Acceptance rate %",
          "Added stories",
          "Added accepted",
          "Removed",
          "Carried over",
        ],
        rows: its.map((i) => [
          labels.get(i.iterationId)?.long ?? i.name,
          i.planned.stories,
          i.accepted.stories,
          i.acceptanceRate,
          i.added.stories,
          i.added.accepted,
          i.removed,
          i.carriedOver,
        ]),
      }}
      fileParts={fileParts}
      empty={its.length === 0 ? "No iteration has started yet." : null}
    />
  );
}

const REWORK_COLOURS: Record<keyof typeof REWORK_REASON_LABELS, string> = {
  unclear_criteria: PALETTE.warn,
  inadequate_refinement: PALETTE.accentSoft,
  defect: PALETTE.danger,
  changed_requirement: PALETTE.teal,
  other: PALETTE.grey,
  unknown: PALETTE.greySoft,
};

function ReworkChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const pis: PiResult[] = data.pis;
  const reasons = (Object.keys(REWORK_REASON_LABELS) as (keyof typeof REWORK_REASON_LABELS)[]).filter((reason) =>
    pis.some((p) => p.rework.reasons.some((x) => x.reason === reason && x.count > 0)),
  );
  const countOf = (p: PiResult, reason: string) => p.rework.reasons.find((x) => x.reason === reason)?.count ?? 0;
  return (
    <ChartCard
      name="rework"
      title="Rework Ratio per PI"
      summary="Stories moved back from done or accepted (or split after acceptance) ÷ stories completed; the bars count them by reason."
      type="bar"
      data={{
        labels: pis.map((p) => p.name),
        datasets: [
          ...reasons.map((reason) => ({
            type: "bar" as const,
            label: REWORK_REASON_LABELS[reason],
            data: pis.map((p) => countOf(p, reason)),
            backgroundColor: REWORK_COLOURS[reason],
            stack: "reasons",
            yAxisID: "y",
          })),
          {
            type: "line" as const,
            label: "Rework ratio %",
            data: pis.map((p) => p.rework.ratio),
            borderColor: PALETTE.accent,
            backgroundColor: PALETTE.accent,
            yAxisID: "pct",
          },
        ],
      }}
      options={{
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: pctTooltip },
        scales: {
          x: { stacked: true },
          y: { ...countAxis("Stories reworked"), stacked: true },
          pct: { ...percentAxis("right", "Rework ratio"), suggestedMax: 30 },
        },
      }}
      table={{
        head: [
          "PI",
          "Completed",
          "Reworked",
          "Reopenings",
          "Rework ratio %",
          ...reasons.map((x) => REWORK_REASON_LABELS[x]),
        ],
        rows: pis.map((p) => [
          p.name,
          p.rework.completed,
          p.rework.reworked,
          p.rework.reopenings,
          p.rework.ratio,
          ...reasons.map((x) => countOf(p, x)),
        ]),
      }}
      fileParts={fileParts}
      empty={pis.length === 0 ? "No PI has started yet." : null}
    />
  );
}

function BurnUpChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const days = data.burnUp;
  return (
    <ChartCard
      name="burnup"
      title={`${data.pi.name} burn-up`}
      summary="Points of the stories in the PI's iterations each day (scope), and of those, points done or accepted."
      type="line"
      data={{
        labels: days.map((d) => shortDate(d.date)),
        datasets: [
          {
            label: "Scope (points)",
            data: days.map((d) => d.scope),
            borderColor: PALETTE.grey,
            backgroundColor: PALETTE.grey,
            pointRadius: 0,
          },
          {
            label: "Done (points)",
            data: days.map((d) => d.done),
            borderColor: PALETTE.ok,
            backgroundColor: "rgb(19 122 71 / 12%)",
            fill: "origin",
            pointRadius: 0,
          },
        ],
      }}
      options={{
        interaction: { mode: "index", intersect: false },
        scales: { y: countAxis("Points") },
      }}
      table={{ head: ["Date", "Scope (points)", "Done (points)"], rows: days.map((d) => [d.date, d.scope, d.done]) }}
      fileParts={fileParts}
      empty={days.length === 0 ? `${data.pi.name} has not started by ${data.asOf}.` : null}
    />
  );
}

function BurnDownChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const b = data.burnDown;
  const days = b?.days ?? [];
  return (
    <ChartCard
      name="burndown"
      title={b ? `${data.pi.name} ${b.name} burn-down` : "Iteration burn-down"}
      summary="Points of the iteration's stories not yet done each day, against the straight line to zero."
      type="line"
      data={{
        labels: days.map((d) => shortDate(d.date)),
        datasets: [
          {
            label: "Remaining (points)",
            data: days.map((d) => d.remaining),
            borderColor: PALETTE.accent,
            backgroundColor: PALETTE.accent,
            pointRadius: 2,
          },
          {
            label: "Ideal (points)",
            data: days.map((d) => d.ideal),
            borderColor: PALETTE.grey,
            backgroundColor: PALETTE.grey,
            borderDash: [5, 4],
            pointRadius: 0,
          },
        ],
      }}
      options={{ interaction: { mode: "index", intersect: false }, scales: { y: countAxis("Points") } }}
      table={{
        head: ["Date", "Remaining (points)", "Ideal (points)"],
        rows: days.map((d) => [d.date, d.remaining, d.ideal]),
      }}
      fileParts={[...fileParts, b?.name ?? null]}
      empty={b === null ? "No iteration of this PI has started yet." : null}
    />
  );
}

/** Bottom to top: the finished states first, so the bands rise as work flows from new to accepted. */
const CFD_COLOURS: Record<StoryState, string> = {
  new: PALETTE.greySoft,
  refining: "#c7cbfb",
  ready: PALETTE.accentSoft,
  in_progress: PALETTE.warnSoft,
  done: PALETTE.okSoft,
  accepted: PALETTE.ok,
  split: "#eceef2",
};

function CfdChart({ data, fileParts }: { data: MetricsDashboard; fileParts: FileParts }) {
  const days = data.cfd;
  const states = STORY_STATES.filter((s) => s !== "split" || days.some((d) => (d.counts.split ?? 0) > 0));
  const stacked = [...states].reverse();
  return (
    <ChartCard
      name="cfd"
      title="Cumulative flow"
      summary="Stories in each state at the end of each day: widening bands show where work waits."
      type="line"
      tall
      data={{
        labels: days.map((d) => shortDate(d.date)),
        datasets: stacked.map((s, n) => ({
          label: stateLabel(s),
          data: days.map((d) => d.counts[s] ?? 0),
          borderColor: CFD_COLOURS[s],
          backgroundColor: CFD_COLOURS[s],
          fill: n === 0 ? "origin" : "-1",
          pointRadius: 0,
          borderWidth: 1,
        })),
      }}
      options={{
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { reverse: true },
          tooltip: { itemSort: (a, b) => b.datasetIndex - a.datasetIndex },
        },
        scales: { y: { ...countAxis("Stories"), stacked: true } },
      }}
      table={{
        head: ["Date", ...states.map((s) => stateLabel(s))],
        rows: days.map((d) => [d.date, ...states.map((s) => d.counts[s] ?? 0)]),
      }}
      fileParts={fileParts}
      empty={days.length === 0 ? `${data.pi.name} has not started by ${data.asOf}.` : null}
    />
  );
}

// ── Flow ──────────────────────────────────────────────────────────────────────────────────────────────────────────

const TYPE_COLOURS: Record<string, string> = {
  business: PALETTE.accent,
  enabler: PALETTE.teal,
  defect: PALETTE.danger,
  debt: PALETTE.warn,
};

function FlowView({ data, fileParts, allTeams }: { data: MetricsDashboard; fileParts: FileParts; allTeams: string }) {
  const f = data.flow;
  const p = f.time.percentiles;
  const labels = iterationLabels(data);
  const distribution = f.distribution.filter((d) => d.count > 0);
  return (
    <div className="metrics-body" data-testid="metrics-flow">
      <Scope data={data} allTeams={allTeams} />
      <p className="hint metrics-period">
        Flow over {shortDate(f.from)} – {shortDate(f.to)}, of the stories finished in it or in progress at its end.
      </p>
      <div className="metric-tiles">
        <Tile
          testId="flow-velocity"
          label="Flow velocity"
          value={f.velocity.total}
          text={plural(f.velocity.total, "story", "stories")}
          detail="Stories finished in the period."
        />
        <Tile
          testId="flow-time"
          label="Flow time (p85)"
          value={p?.p85 ?? null}
          text={p ? `${numberText(p.p85)} days` : NO_DATA}
          detail={
            p
              ? `50% within ${numberText(p.p50)} days, 85% within ${numberText(p.p85)}, 95% within ${numberText(p.p95)}; average ${numberText(f.time.average)} over ${plural(f.time.count, "story", "stories")}.`
              : "No story finished in the period."
          }
        />
        <Tile
          testId="flow-load"
          label="Flow load"
          value={f.load.current}
          text={plural(f.load.current, "story", "stories")}
          detail={`In progress at the end of the period; ${numberText(f.load.average)} on average a day.`}
        />
        <Tile
          testId="flow-efficiency"
          label="Flow efficiency"
          value={f.efficiency.percent}
          detail={`${numberText(f.efficiency.activeDays)} active days, ${numberText(f.efficiency.blockedDays)} blocked (waiting) days of the finished stories.`}
        />
        <Tile
          testId="flow-predictability"
          label="Flow predictability"
          value={f.predictability}
          tone={f.predictability === null ? undefined : f.predictability >= 80 ? "ok" : "warn"}
          detail="ART predictability of the PI's objectives."
        />
      </div>
      <div className="metrics-charts">
        <ChartCard
          name="distribution"
          title="Flow distribution"
          summary="Share of each type among the stories finished in the period or in progress at its end."
          type="doughnut"
          data={{
            labels: distribution.map((d) => TYPE_LABELS[d.type] ?? d.type),
            datasets: [
              {
                label: "Stories",
                data: distribution.map((d) => d.count),
                backgroundColor: distribution.map((d) => TYPE_COLOURS[d.type] ?? PALETTE.grey),
                borderColor: "#ffffff",
              },
            ],
          }}
          options={{ plugins: { legend: { position: "right" } } }}
          table={{
            head: ["Type", "Stories", "Share %"],
            rows: f.distribution.map((d) => [TYPE_LABELS[d.type] ?? d.type, d.count, d.percent]),
          }}
          fileParts={fileParts}
          empty={distribution.length === 0 ? "No story finished or in progress in the period." : null}
        />
        <ChartCard
          name="flow-velocity"
          title="Flow velocity per iteration"
          summary={`Stories finished in each iteration: ${plural(f.velocity.total, "story", "stories")} in all.`}
          type="bar"
          data={{
            labels: f.velocity.perIteration.map((i) => labels.get(i.iterationId)?.short ?? i.name),
            datasets: [
              {
                label: "Stories finished",
                data: f.velocity.perIteration.map((i) => i.count),
                backgroundColor: PALETTE.accent,
              },
            ],
          }}
          options={{ scales: { y: countAxis("Stories") } }}
          table={{
            head: ["Iteration", "Stories finished"],
            rows: f.velocity.perIteration.map((i) => [labels.get(i.iterationId)?.long ?? i.name, i.count]),
          }}
          fileParts={fileParts}
          empty={f.velocity.perIteration.length === 0 ? "No iteration in the period yet." : null}
        />
        <ChartCard
          name="flow-time"
          title="Flow time"
          summary="Days from first in progress to first done of the stories finished in the period: this share finished within so many days."
          type="bar"
          data={{
            labels: ["50%", "85%", "95%"],
            datasets: [
              {
                label: "Days",
                data: p ? [p.p50, p.p85, p.p95] : [],
                backgroundColor: [PALETTE.okSoft, PALETTE.accentSoft, PALETTE.warnSoft],
                borderColor: [PALETTE.ok, PALETTE.accent, PALETTE.warn],
                borderWidth: 1,
              },
            ],
          }}
          options={{ indexAxis: "y", scales: { x: countAxis("Days") } }}
          table={{
            head: ["Percentile", "Days"],
            rows: [
              ["p50", p?.p50 ?? null],
              ["p85", p?.p85 ?? null],
              ["p95", p?.p95 ?? null],
              ["average", f.time.average],
              ["stories", f.time.count],
            ],
          }}
          fileParts={fileParts}
          empty={p ? null : "No story finished in the period."}
        >
          {p && (
            <dl className="metrics-percentiles" data-testid="flow-percentiles">
              <div>
                <dt>p50</dt>
                <dd data-value={p.p50}>{numberText(p.p50)} days</dd>
              </div>
              <div>
                <dt>p85</dt>
                <dd data-value={p.p85}>{numberText(p.p85)} days</dd>
              </div>
              <div>
                <dt>p95</dt>
                <dd data-value={p.p95}>{numberText(p.p95)} days</dd>
              </div>
            </dl>
          )}
        </ChartCard>
        <ChartCard
          name="flow-load"
          title="Flow load"
          summary="Stories in progress at the end of each day."
          type="line"
          data={{
            labels: f.load.days.map((d) => shortDate(d.date)),
            datasets: [
              {
                label: "In progress",
                data: f.load.days.map((d) => d.count),
                borderColor: PALETTE.warn,
                backgroundColor: "rgb(212 138 26 / 14%)",
                fill: "origin",
                pointRadius: 0,
                stepped: true,
              },
            ],
          }}
          options={{ interaction: { mode: "index", intersect: false }, scales: { y: countAxis("Stories") } }}
          table={{ head: ["Date", "In progress"], rows: f.load.days.map((d) => [d.date, d.count]) }}
          fileParts={fileParts}
          empty={f.load.days.length === 0 ? "The period has no days yet." : null}
        />
        <ChartCard
          name="flow-efficiency"
          title="Flow efficiency"
          summary={`Active time ÷ flow time of the stories finished in the period: ${percentText(f.efficiency.percent)}.`}
          type="bar"
          data={{
            labels: ["Finished stories"],
            datasets: [
              { label: "Active days", data: [f.efficiency.activeDays], backgroundColor: PALETTE.ok, stack: "days" },
              {
                label: "Blocked days",
                data: [f.efficiency.blockedDays],
                backgroundColor: PALETTE.dangerSoft,
                stack: "days",
              },
            ],
          }}
          options={{
            indexAxis: "y",
            scales: { x: { ...countAxis("Days"), stacked: true }, y: { stacked: true } },
          }}
          table={{
            head: ["Measure", "Value"],
            rows: [
              ["Flow efficiency %", f.efficiency.percent],
              ["Active days", f.efficiency.activeDays],
              ["Blocked days", f.efficiency.blockedDays],
            ],
          }}
          fileParts={fileParts}
          empty={f.efficiency.activeDays + f.efficiency.blockedDays === 0 ? "No story finished in the period." : null}
        />
        <ChartCard
          name="predictability"
          title="Predictability per PI"
          summary="Actual ÷ planned business value of the PI objectives; 80–100% is predictable."
          type="bar"
          data={{
            labels: data.pis.map((x) => x.name),
            datasets: [
              {
                label: "Predictability %",
                data: data.pis.map((x) => x.predictability),
                backgroundColor: data.pis.map((x) =>
                  x.predictability !== null && x.predictability >= 80 ? PALETTE.ok : PALETTE.warnSoft,
                ),
              },
            ],
          }}
          options={{ plugins: { tooltip: pctTooltip }, scales: { y: percentAxis("left", "Predictability") } }}
          table={{ head: ["PI", "Predictability %"], rows: data.pis.map((x) => [x.name, x.predictability]) }}
          fileParts={fileParts}
          empty={data.pis.length === 0 ? "No PI has started yet." : null}
        />
      </div>
    </div>
  );
}

// ── Forecast ──────────────────────────────────────────────────────────────────────────────────────────────────────

const LIKELIHOOD_LABELS: Record<"p95" | "p85" | "p50" | "unlikely", string> = {
  p95: "95% likely",
  p85: "85% likely",
  p50: "50% likely",
  unlikely: "Unlikely",
};

/** How many of the ranked stories show before "Show all". */
const BACKLOG_SHOWN = 40;

function ForecastView({
  data,
  trials,
  fileParts,
  teams,
  pis,
}: {
  data: Forecast;
  trials: number;
  fileParts: FileParts;
  teams: Team[];
  pis: readonly { id: string; name: string }[];
}) {
  const [all, setAll] = useState(false);
  const fit = data.fit;
  const teamName = new Map(teams.map((t) => [t.key, t.name]));
  const piNames = new Map(pis.map((p) => [p.id, p.name]));
  const backlog = fit ? (all ? fit.backlog : fit.backlog.slice(0, BACKLOG_SHOWN)) : [];
  const featureTable: DataTable = {
    head: ["Feature", "Title", "Remaining stories", "50% by", "85% by", "95% by", "Problem"],
    rows: data.features.map((f) => [
      f.key,
      f.title,
      f.remaining,
      f.dates?.p50 ?? null,
      f.dates?.p85 ?? null,
      f.dates?.p95 ?? null,
      f.problem,
    ]),
  };
  return (
    <div className="metrics-body" data-testid="metrics-forecast">
      <TrialsForm trials={trials} />
      <p className="metrics-assumption" data-testid="forecast-assumption">
        {data.assumption}
      </p>
      <p className="hint">
        As of {shortDate(data.asOf)}, {data.trials.toLocaleString("en")} trials, drawing on{" "}
        {data.teams.length === 0
          ? "no team's history"
          : data.teams
              .map((t) => `${t.name}: ${plural(t.finished, "story", "stories")} finished over ${plural(t.days, "day")}`)
              .join("; ")}
        .
      </p>
      <section className="metrics-card" aria-labelledby="forecast-fit-title" data-testid="forecast-fit">
        <h3 id="forecast-fit-title" className="metrics-card-title">
          What fits in {fit ? (piNames.get(fit.piId) ?? "the PI") : "the PI"}
        </h3>
        {!fit ? (
          <p className="muted">No PI is running or ahead at the as-of date to forecast into.</p>
        ) : (
          <>
            <p className="hint">
              {plural(fit.daysLeft, "day")} left. Of the{" "}
              {plural(fit.backlog.length, "ranked open story", "ranked open stories")} from the top, done by the PI's
              end:
            </p>
            <div className="metric-tiles metric-tiles-compact">
              {(["p50", "p85", "p95"] as const).map((k) => (
                <div key={k} className="metric-tile" data-testid={`forecast-fit-${k}`} data-value={fit.stories[k]}>
                  <h4 className="metric-label">{k.slice(1)}% likely</h4>
                  <p className="metric-value">{plural(fit.stories[k], "story", "stories")}</p>
                </div>
              ))}
            </div>
            <ol className="forecast-backlog" data-testid="forecast-backlog">
              {backlog.map((s) => (
                <li key={s.key} className="forecast-row" data-key={s.key} data-likelihood={s.likelihood}>
                  <span className={`likelihood-badge likelihood-${s.likelihood}`}>
                    {LIKELIHOOD_LABELS[s.likelihood]}
                  </span>
                  <a href={itemHref(s.key)} onClick={onLinkClick} className="forecast-key">
                    {s.key}
                  </a>
                  <span className="forecast-title">{s.title}</span>
                  <span className="muted">{teamName.get(s.teamKey) ?? s.teamKey}</span>
                </li>
              ))}
            </ol>
            {fit.backlog.length > BACKLOG_SHOWN && (
              <button type="button" className="button button-small" onClick={() => setAll((v) => !v)}>
                {all ? "Show the top only" : `Show all ${fit.backlog.length}`}
              </button>
            )}
          </>
        )}
      </section>
      <section className="metrics-card" aria-labelledby="forecast-features-title" data-testid="forecast-features">
        <header className="metrics-card-head">
          <h3 id="forecast-features-title" className="metrics-card-title">
            When features are done
          </h3>
          <div className="metrics-card-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => downloadCsv(featureTable, fileNameOf([...fileParts, "feature-forecast"], "csv"))}
              data-testid="forecast-csv"
            >
              CSV
            </button>
          </div>
        </header>
        {data.features.length === 0 ? (
          <p className="muted">No open feature with stories to forecast.</p>
        ) : (
          <div className="metrics-table-wrap">
            <table className="metrics-table metrics-table-text" data-testid="forecast-features-table">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col" className="num">
                    Remaining stories
                  </th>
                  <th scope="col">50% by</th>
                  <th scope="col">85% by</th>
                  <th scope="col">95% by</th>
                </tr>
              </thead>
              <tbody>
                {data.features.map((f) => (
                  <tr key={f.key} data-key={f.key}>
                    <th scope="row">
                      <a href={itemHref(f.key)} onClick={onLinkClick} className="forecast-key">
                        {f.key}
                      </a>{" "}
                      {f.title}
                    </th>
                    <td className="num">{f.remaining}</td>
                    {f.dates ? (
                      <>
                        <td>{f.dates.p50}</td>
                        <td>{f.dates.p85}</td>
                        <td>{f.dates.p95}</td>
                      </>
                    ) : (
                      <td colSpan={3} className="muted">
                        {f.problem ?? NO_DATA}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** The number of Monte Carlo trials: more is steadier and slower; sent when the form is submitted. */
function TrialsForm({ trials }: { trials: number }) {
  const [value, setValue] = useState(String(trials));
  useEffect(() => setValue(String(trials)), [trials]);
  const n = Number(value);
  const valid = Number.isInteger(n) && n >= 100 && n <= MAX_TRIALS;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) setSearch({ trials: n === DEFAULT_TRIALS ? null : String(n) });
  };
  return (
    <form className="metrics-trials" onSubmit={submit}>
      <label className="plan-picker">
        <span>Trials</span>
        <input
          type="number"
          className="input input-number"
          min={100}
          max={MAX_TRIALS}
          step={100}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={!valid}
          data-testid="forecast-trials"
        />
      </label>
      <button type="submit" className="button button-small" disabled={!valid || n === trials}>
        Run
      </button>
      {!valid && <span className="field-error">Between 100 and {MAX_TRIALS.toLocaleString("en")} trials.</span>}
    </form>
  );
}

// ── Inspect & adapt ───────────────────────────────────────────────────────────────────────────────────────────────

function InspectAdaptView({ data, fileParts }: { data: InspectAdapt; fileParts: FileParts }) {
  const rows = [...data.teams, { ...data.train, name: data.train.name || "Whole train" }];
  const table: DataTable = {
    head: [
      "Team",
      "Predictability %",
      "Acceptance rate %",
      "Rework ratio %",
      "Velocity (points)",
      "Say/do %",
      "Flow time p85 (days)",
      "Flow efficiency %",
      "Throughput (stories)",
    ],
    rows: rows.map((t) => [
      t.name,
      t.predictability,
      t.acceptanceRate,
      t.reworkRatio,
      t.velocity,
      t.sayDo,
      t.flowTimeP85,
      t.flowEfficiency,
      t.throughput,
    ]),
  };
  return (
    <div className="metrics-body" data-testid="metrics-inspect">
      <p className="metrics-scope">
        <strong>Inspect & adapt</strong> · {data.pi.name} ({shortDate(data.pi.startDate)} – {shortDate(data.pi.endDate)}
        ) · as of {shortDate(data.asOf)}
      </p>
      <section className="metrics-card" aria-labelledby="ia-title">
        <header className="metrics-card-head">
          <h3 id="ia-title" className="metrics-card-title">
            Every team side by side
          </h3>
          <div className="metrics-card-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => downloadCsv(table, fileNameOf(fileParts, "csv"))}
              data-testid="ia-csv"
            >
              CSV
            </button>
          </div>
        </header>
        <div className="metrics-table-wrap">
          <table className="metrics-table" data-testid="ia-table">
            <thead>
              <tr>
                {table.head.map((h, n) => (
                  <th key={h} scope="col" className={n > 0 ? "num" : ""}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((t, n) => {
                const train = n === rows.length - 1;
                return (
                  <tr key={train ? "*train" : t.key} className={train ? "is-total" : ""} data-team={train ? "" : t.key}>
                    <th scope="row">{t.name}</th>
                    <td className="num">{percentText(t.predictability)}</td>
                    <td className="num">{percentText(t.acceptanceRate)}</td>
                    <td className="num">{percentText(t.reworkRatio)}</td>
                    <td className="num">{numberText(t.velocity)}</td>
                    <td className="num">{percentText(t.sayDo)}</td>
                    <td className="num">{numberText(t.flowTimeP85)}</td>
                    <td className="num">{percentText(t.flowEfficiency)}</td>
                    <td className="num">{t.throughput}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <div className="metrics-charts">
        <ChartCard
          name="inspect"
          title="Predictability and acceptance per team"
          summary="ART predictability of each team's PI objectives beside its Story Acceptance Rate. No bar: no data."
          type="bar"
          data={{
            labels: rows.map((t) => t.name),
            datasets: [
              { label: "Predictability %", data: rows.map((t) => t.predictability), backgroundColor: PALETTE.accent },
              { label: "Acceptance rate %", data: rows.map((t) => t.acceptanceRate), backgroundColor: PALETTE.ok },
            ],
          }}
          options={{
            interaction: { mode: "index", intersect: false },
            plugins: { tooltip: pctTooltip },
            scales: { y: percentAxis("left", "Percent") },
          }}
          table={{
            head: ["Team", "Predictability %", "Acceptance rate %"],
            rows: rows.map((t) => [t.name, t.predictability, t.acceptanceRate]),
          }}
          fileParts={fileParts}
          empty={rows.length === 0 ? "No team yet." : null}
        />
      </div>
    </div>
  );
}
