// Backlog health and flow metrics for a team or the whole train, for a PI, as of a date: the dashboard, the Monte
// Carlo forecasts and the inspect & adapt view. Read-only. The stories of the teams and their history since the
// earliest PI shown are read once; every number is then worked out by the pure metric functions of the core.
import { z } from "zod";
import { invalid } from "../core/errors.js";
import {
  addDays,
  DEFAULT_TRIALS,
  finishDays,
  likelyDays,
  SAMPLE_DAYS,
  seededRandom,
  storiesWithin,
} from "../core/forecast.js";
import {
  assignedReadiness,
  burnDown,
  burnUp,
  cumulativeFlow,
  DAY_MS,
  DEFAULT_HORIZON,
  dailyThroughput,
  endOfDay,
  flowMetrics,
  instant,
  iterationResult,
  readiness,
  reworkRatios,
  type StoryHistory,
  snapshotAt,
  storyHistories,
  type TeamScope,
  valueAt,
  velocityStats,
} from "../core/metrics.js";
import type {
  FeatureForecast,
  Forecast,
  InspectAdapt,
  IterationResult,
  MetricsDashboard,
  Percentiles,
  PiResult,
  ReworkRatio,
} from "../core/metrics-views.js";
import { capacityOf, predictability, workingDays } from "../core/pi-planning.js";
import type { Art, Iteration, ProgramIncrement, Team } from "../core/train.js";
import { readMetrics } from "../store/metrics.store.js";
import { itemSummaries, listObjectives, teamCapacities } from "../store/planning.store.js";
import type { Actor } from "./authorize.js";
import { type Deps, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { findVisibleArt, teamsToShow } from "./pi-settings.js";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as yyyy-mm-dd");
const whole = (min: number, max: number) =>
  z.coerce.number().int("a whole number").min(min, `${min} to ${max}`).max(max, `${min} to ${max}`);

export const MetricsQuery = z.object({
  team: z.string().trim().min(1).max(100).optional().describe("A team's key; omitted: the whole train"),
  pi: z.string().trim().min(1).max(100).optional().describe("A PI's id or name; omitted: the PI running at asOf"),
  asOf: date.optional().describe("Recompute everything from history as it stood at the end of this day"),
  horizon: whole(1, 6)
    .optional()
    .describe(`Upcoming iterations the readiness rate covers (default ${DEFAULT_HORIZON})`),
  pis: whole(1, 10).optional().describe("How many PIs of trend to show, up to the chosen one (default 3)"),
  trials: whole(100, 100_000).optional().describe(`Monte Carlo trials (default ${DEFAULT_TRIALS})`),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;
type Likelihood = NonNullable<Forecast["fit"]>["backlog"][number]["likelihood"];

/** What every metrics read starts from: the teams, the PI, the instant, and the stories' histories. */
interface Loaded {
  art: Art;
  teams: Team[];
  scope: TeamScope;
  pi: ProgramIncrement;
  /** The PIs of the trend, oldest first, ending with `pi`. */
  trend: ProgramIncrement[];
  asOf: string;
  at: number;
  histories: StoryHistory[];
  /** The histories of the stories ever in each iteration. */
  byIteration: Map<string, StoryHistory[]>;
  query: MetricsQuery;
}

/**
 * Reads what the metrics need: the history since the earliest PI of the trend (`trend`), or only what a forecast
 * asks of it — the stories as they are at the instant and what they finished in the sample weeks (`throughput`).
 */
async function load(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
  reading: "trend" | "throughput" = "trend",
): Promise<Loaded> {
  const query = parseInput(MetricsQuery, input);
  const art = await findVisibleArt(deps.db, actor, artRef);
  const teams = teamsToShow(actor, art, query.team);
  const nowAt = deps.clock().getTime();
  const today = now(deps).slice(0, 10);
  const asOf = query.asOf ?? today;
  if (Number.isNaN(instant(asOf))) throw invalid("asOf", "not a date");
  if (asOf > today) throw invalid("asOf", `the future has no history yet: at most ${today}`);
  const at = Math.min(endOfDay(asOf), nowAt);
  const pis = [...art.pis].sort((a, b) => a.startDate.localeCompare(b.startDate));
  const started = pis.filter((p) => p.startDate <= asOf);
  const pi = query.pi
    ? pis.find((p) => p.id === query.pi || p.name === query.pi)
    : (started.find((p) => p.endDate >= asOf) ?? started.at(-1) ?? pis[0]);
  if (!pi) throw invalid("pi", query.pi ? `no PI '${query.pi}' in ${art.key}` : `${art.key} has no PI yet`);
  const trend = pis.filter((p) => p.startDate <= pi.startDate).slice(-(query.pis ?? 3));
  const first = trend[0] ?? pi;
  const samplesFrom = at - SAMPLE_DAYS * DAY_MS;
  const since = new Date(
    (reading === "trend" ? Math.min(instant(first.startDate), samplesFrom) : samplesFrom) - 1,
  ).toISOString();
  const teamIds = teams.map((t) => t.id);
  const read = await readMetrics(deps.db, art.id, teamIds, {
    since,
    rankSince: new Date(at).toISOString(),
    wholeArt: teamIds.length === art.teams.length,
  });
  const histories = storyHistories(read.stories, read.changes, read.notes);
  const byIteration = new Map<string, StoryHistory[]>();
  for (const h of histories) {
    for (const id of h.iterations) {
      const list = byIteration.get(id);
      if (list) list.push(h);
      else byIteration.set(id, [h]);
    }
  }
  return { art, teams, scope: new Set(teamIds), pi, trend, asOf, at, histories, byIteration, query };
}

const development = (pi: ProgramIncrement) => pi.iterations.filter((i) => i.kind === "development");
const inIterations = (l: Loaded, iterations: readonly Iteration[]) => [
  ...new Set(iterations.flatMap((i) => l.byIteration.get(i.id) ?? [])),
];

/** A period's instants, ending at `asOf` if it has not ended by then. */
const period = (l: Loaded, p: { startDate: string; endDate: string }) => ({
  from: instant(p.startDate),
  to: Math.min(endOfDay(p.endDate), l.at),
});

/** The ART's development iterations in time order. */
const developmentIterations = (art: Art) =>
  art.pis.flatMap(development).sort((a, b) => a.startDate.localeCompare(b.startDate));

/**
 * Each started development iteration of the trend's PIs, for the teams in `scope`; with its rework and the readiness
 * of the horizon as it began, unless only velocity is wanted (`full` false).
 */
function iterationResults(l: Loaded, scope: TeamScope, full = true): IterationResult[] {
  const iterations = l.trend.flatMap(development).filter((i) => instant(i.startDate) < l.at);
  const reworks = full
    ? reworkRatios(
        l.histories,
        scope,
        iterations.map((i) => period(l, i)),
      )
    : [];
  const all = developmentIterations(l.art);
  const horizon = l.query.horizon ?? DEFAULT_HORIZON;
  const readinessAtStart = (i: Iteration) => {
    const ahead = all.slice(all.findIndex((a) => a.id === i.id)).slice(0, horizon);
    return assignedReadiness(inIterations(l, ahead), new Set(ahead.map((a) => a.id)), scope, instant(i.startDate));
  };
  return iterations.map((i, k) => ({
    ...iterationResult(l.byIteration.get(i.id) ?? [], i, scope, l.at),
    reworked: reworks[k]?.reworked ?? 0,
    readiness: full ? readinessAtStart(i) : { stories: 0, ready: 0, rate: null },
  }));
}

/** Each PI's results, from its iterations' (see `iterationResults`), its rework and its objectives' predictability. */
function piResults(
  l: Loaded,
  scope: TeamScope,
  pis: readonly ProgramIncrement[],
  results: readonly IterationResult[],
  predictable: readonly (number | null)[],
): PiResult[] {
  const reworks = reworkRatios(
    l.histories,
    scope,
    pis.map((pi) => period(l, pi)),
  );
  return pis.map((pi, k) => piResult(pi, results, reworks[k] as ReworkRatio, predictable[k] ?? null));
}

async function predictabilityOf(deps: Deps, pi: ProgramIncrement, teams: readonly Team[] | null) {
  const objectives = await listObjectives(deps.db, pi.id);
  const ids = teams ? new Set(teams.map((t) => t.id)) : null;
  return predictability(ids ? objectives.filter((o) => o.teamId !== null && ids.has(o.teamId)) : objectives).percent;
}

const sum = (ns: readonly number[]) => ns.reduce((a, b) => a + b, 0);
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

function piResult(
  pi: ProgramIncrement,
  results: readonly IterationResult[],
  rework: ReworkRatio,
  predictable: number | null,
): PiResult {
  const own = results.filter((r) => r.piId === pi.id);
  const planned = sum(own.map((r) => r.planned.stories));
  const plannedPoints = sum(own.map((r) => r.planned.points));
  return {
    piId: pi.id,
    name: pi.name,
    startDate: pi.startDate,
    endDate: pi.endDate,
    acceptanceRate: rate(sum(own.map((r) => r.accepted.stories)), planned),
    velocity: sum(own.map((r) => r.velocity)),
    sayDo: rate(sum(own.map((r) => r.plannedDone)), plannedPoints),
    readiness: rate(sum(own.map((r) => r.readiness.ready)), sum(own.map((r) => r.readiness.stories))),
    rework,
    predictability: predictable,
  };
}

/** The whole-train view counts every team the actor sees; its objectives then include the train's own. */
const objectiveTeams = (l: Loaded) => (l.query.team ? l.teams : null);

/** Everything the team (or train) dashboard shows for a PI, as of a date. */
export async function metricsDashboard(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
): Promise<MetricsDashboard> {
  const l = await load(deps, actor, artRef, input);
  const { pi, at, scope } = l;
  const iterations = iterationResults(l, scope);
  const predictable = await Promise.all(l.trend.map((p) => predictabilityOf(deps, p, objectiveTeams(l))));
  const pis = piResults(l, scope, l.trend, iterations, predictable);
  const current = pis.at(-1) as PiResult;
  const allIterations = developmentIterations(l.art);
  const horizon = l.query.horizon ?? DEFAULT_HORIZON;
  const upcoming = allIterations.filter((i) => instant(i.startDate) > at).slice(0, horizon);
  const capacity = await capacities(deps, l.teams, upcoming);
  const velocity = new Map(
    l.teams.map((t) => [t.id, velocityStats(iterationResults(l, new Set([t.id]), false)).recentAverage] as const),
  );
  const piEnd = Math.min(endOfDay(pi.endDate), at);
  const piStories = inIterations(l, pi.iterations);
  const running =
    development(pi).find((i) => instant(i.startDate) < at && at <= endOfDay(i.endDate)) ??
    development(pi)
      .filter((i) => instant(i.startDate) < at)
      .at(-1);
  return {
    art: { key: l.art.key, name: l.art.name },
    team: l.query.team ? { key: (l.teams[0] as Team).key, name: (l.teams[0] as Team).name } : null,
    pi: { id: pi.id, name: pi.name, startDate: pi.startDate, endDate: pi.endDate },
    asOf: l.asOf,
    iterations,
    pis,
    readiness: readiness(
      l.histories,
      { iterations: allIterations, teams: [...scope], capacity, velocity, horizon },
      at,
    ),
    velocity: velocityStats(iterations),
    rework: current.rework,
    flow: flowMetrics(
      l.histories,
      scope,
      { from: pi.startDate, to: piEnd, iterations: development(pi) },
      current.predictability,
    ),
    burnUp: burnUp(piStories, scope, pi, piEnd),
    burnDown: running
      ? {
          iterationId: running.id,
          name: running.name,
          days: burnDown(l.byIteration.get(running.id) ?? [], scope, running, at),
        }
      : null,
    cfd: cumulativeFlow(piStories, scope, pi, piEnd),
  };
}

/** Capacity in points per `team/iteration` for these iterations, where the team set it. */
async function capacities(deps: Deps, teams: readonly Team[], iterations: readonly Iteration[]) {
  const stored = await teamCapacities(
    deps.db,
    teams.map((t) => t.id),
    iterations.map((i) => i.id),
  );
  const points = new Map<string, number>();
  for (const i of iterations) {
    for (const t of teams) {
      const key = `${t.id}/${i.id}`;
      const set = stored.get(key);
      const capacity = capacityOf(set ?? null, workingDays(i.startDate, i.endDate)).points;
      if (capacity !== null) points.set(key, capacity);
    }
  }
  return points;
}

const ASSUMPTION =
  "Each team finishes its stories in rank order, at a pace drawn day by day from its own last six weeks " +
  "(stories done or accepted per calendar day); nothing else changes.";

/** Monte Carlo forecasts: how much of the ranked backlog fits in the rest of the PI, and when features finish. */
export async function forecast(deps: Deps, actor: Actor, artRef: string, input: unknown): Promise<Forecast> {
  const l = await load(deps, actor, artRef, input, "throughput");
  const trials = l.query.trials ?? DEFAULT_TRIALS;
  const random = seededRandom(1);
  const samples = new Map(
    l.teams.map((t) => [t.id, dailyThroughput(l.histories, new Set([t.id]), l.at, SAMPLE_DAYS)] as const),
  );
  // Each team's open stories as they are now, in rank order: the queue the forecast works through.
  const queues = new Map<string, StoryHistory[]>();
  // The PI's features: those with open stories planned in its iterations.
  const piIterations = new Set(l.pi.iterations.map((i) => i.id));
  const ofPi = new Set<string>();
  for (const h of l.histories) {
    const s = snapshotAt(h, l.at);
    if (!s || s.teamId === null || !l.scope.has(s.teamId) || ["done", "accepted", "split"].includes(s.state)) continue;
    if (h.story.parentId && s.iterationId && piIterations.has(s.iterationId)) ofPi.add(h.story.parentId);
    const queue = queues.get(s.teamId) ?? [];
    queue.push(h);
    queues.set(s.teamId, queue);
  }
  for (const queue of queues.values()) {
    queue.sort((a, b) => {
      const ra = valueAt(a, "rank", l.at) as string;
      const rb = valueAt(b, "rank", l.at) as string;
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    });
  }
  const daysLeft = Math.max(0, Math.round((endOfDay(l.pi.endDate) - endOfDay(l.asOf)) / DAY_MS));
  const trainSamples = dailyThroughput(l.histories, l.scope, l.at, SAMPLE_DAYS);
  const within = daysLeft > 0 ? storiesWithin(trainSamples, daysLeft, trials, random) : null;
  const likelihood = (i: number, fit: Percentiles): Likelihood =>
    i < fit.p95 ? "p95" : i < fit.p85 ? "p85" : i < fit.p50 ? "p50" : "unlikely";
  const teamOf = new Map(l.teams.map((t) => [t.id, t]));
  const oneTeam = l.teams.length === 1 ? (l.teams[0] as Team) : null;
  const backlog =
    within && oneTeam
      ? (queues.get(oneTeam.id) ?? []).slice(0, Math.max(within.p50, 0) + 20).map((h, i) => ({
          key: h.story.key,
          title: h.story.title,
          teamKey: oneTeam.key,
          likelihood: likelihood(i, within),
        }))
      : [];

  // The PI's features: where in each team's queue their last open story sits; one walk per team and trial serves all.
  const positions = new Map<string, Map<string, number>>();
  const remaining = new Map<string, number>();
  for (const [teamId, queue] of queues) {
    queue.forEach((h, i) => {
      if (!h.story.parentId || !ofPi.has(h.story.parentId)) return;
      const byTeam = positions.get(h.story.parentId) ?? new Map<string, number>();
      byTeam.set(teamId, i + 1);
      positions.set(h.story.parentId, byTeam);
      remaining.set(h.story.parentId, (remaining.get(h.story.parentId) ?? 0) + 1);
    });
  }
  const featureIds = [...positions.keys()];
  const days = new Map<string, Map<string, Float64Array>>();
  for (const [teamId] of queues) {
    const wanted = featureIds.filter((f) => positions.get(f)?.has(teamId));
    const targets = wanted.map((f) => positions.get(f)?.get(teamId) ?? 0);
    const result = finishDays(samples.get(teamId) ?? [], targets, trials, random);
    days.set(teamId, new Map(wanted.map((f, i) => [f, result[i] as Float64Array])));
  }
  const summaries = await itemSummaries(deps.db, featureIds);
  const features: FeatureForecast[] = featureIds
    .map((id) => {
      const byTeam = positions.get(id) as Map<string, number>;
      const latest = new Float64Array(trials);
      for (const teamId of byTeam.keys()) {
        const d = days.get(teamId)?.get(id) as Float64Array;
        for (let t = 0; t < trials; t++) latest[t] = Math.max(latest[t] as number, d[t] as number);
      }
      const likely = likelyDays(latest);
      const summary = summaries.get(id);
      return {
        key: summary?.key ?? id,
        title: summary?.title ?? "",
        remaining: remaining.get(id) ?? 0,
        dates: likely
          ? { p50: addDays(l.asOf, likely.p50), p85: addDays(l.asOf, likely.p85), p95: addDays(l.asOf, likely.p95) }
          : null,
        problem: likely
          ? null
          : `${[...byTeam.keys()].map((t) => teamOf.get(t)?.name ?? t).join(", ")} finished too little in the last six weeks to forecast from`,
      };
    })
    .sort((a, b) => (a.dates?.p85 ?? "9999").localeCompare(b.dates?.p85 ?? "9999") || a.key.localeCompare(b.key));
  return {
    asOf: l.asOf,
    trials,
    assumption: ASSUMPTION,
    teams: l.teams.map((t) => {
      const s = samples.get(t.id) ?? [];
      return { key: t.key, name: t.name, days: s.length, finished: sum(s) };
    }),
    fit: within ? { piId: l.pi.id, daysLeft, stories: within, backlog } : null,
    features,
  };
}

/** Inspect & adapt: each team's PI side by side, and the train's. */
export async function inspectAdapt(deps: Deps, actor: Actor, artRef: string, input: unknown): Promise<InspectAdapt> {
  const l = await load(deps, actor, artRef, { ...(input as object), pis: 1 });
  const { pi, at } = l;
  const piEnd = Math.min(endOfDay(pi.endDate), at);
  const objectives = await listObjectives(deps.db, pi.id);
  const row = (key: string, name: string, scope: TeamScope, objectiveTeams: ReadonlySet<string> | null) => {
    const results = iterationResults(l, scope);
    const result = piResults(l, scope, [pi], results, [
      predictability(
        objectiveTeams ? objectives.filter((o) => o.teamId !== null && objectiveTeams.has(o.teamId)) : objectives,
      ).percent,
    ])[0] as PiResult;
    const flow = flowMetrics(l.histories, scope, { from: pi.startDate, to: piEnd, iterations: development(pi) }, null);
    return {
      key,
      name,
      predictability: result.predictability,
      acceptanceRate: result.acceptanceRate,
      reworkRatio: result.rework.ratio,
      velocity: result.velocity,
      sayDo: result.sayDo,
      flowTimeP85: flow.time.percentiles?.p85 ?? null,
      flowEfficiency: flow.efficiency.percent,
      throughput: flow.velocity.total,
    };
  };
  return {
    pi: { id: pi.id, name: pi.name, startDate: pi.startDate, endDate: pi.endDate },
    asOf: l.asOf,
    teams: l.teams.map((t) => row(t.key, t.name, new Set([t.id]), new Set([t.id]))),
    train: row(l.art.key, l.art.name, l.scope, null),
  };
}
