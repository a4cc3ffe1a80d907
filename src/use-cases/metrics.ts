// Backlog health and flow metrics for a team or the whole train, for a PI, as of a date: the dashboard, the Monte
// Carlo forecasts and the inspect & adapt view. Read-only. Today's read the ART's kept day records (seal-metrics.ts),
// today's changes and what is as it is now; an earlier date's replay the teams' history since the earliest PI shown.
// Either way every number is worked out by the pure metric functions of the core, and both ways agree.
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
  assignedReadinessOf,
  type BacklogTop,
  backlogTops,
  burnDownOf,
  burnUpOf,
  cumulativeFlowOf,
  DAY_MS,
  type DayRecord,
  DEFAULT_HORIZON,
  dailyThroughput,
  dayRecords,
  emptyRecord,
  endOfDay,
  everyDay,
  flowMetricsOf,
  historiesByIteration,
  horizonCapacity,
  type IterationOutcome,
  type IterationStory,
  instant,
  iterationOutcome,
  iterationResult,
  type ReadinessInput,
  rankedBacklogsAt,
  readinessOf,
  reworkRatiosOf,
  type StoryHistory,
  type StorySnapshot,
  snapshotAt,
  storyHistories,
  type TeamScope,
  upcomingIterations,
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
import {
  backlogTopsOf,
  dayRecordsOf,
  iterationSeals,
  iterationStoriesNow,
  openStoriesInRankOrder,
  type QueuedStory,
  readMetrics,
  sealedThrough,
} from "../store/metrics.store.js";
import { itemSummaries, listObjectives, teamCapacities } from "../store/planning.store.js";
import type { Actor } from "./authorize.js";
import { type Deps, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { findVisibleArt, teamsToShow } from "./pi-settings.js";
import { TRAIN } from "./seal-metrics.js";
import { storiesChangedSince } from "./todays-changes.js";

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

/** What every metrics read starts from: the teams, the PI, the trend's PIs and the instant. */
interface Frame {
  art: Art;
  teams: Team[];
  scope: TeamScope;
  pi: ProgramIncrement;
  /** The PIs of the trend, oldest first, ending with `pi`. */
  trend: ProgramIncrement[];
  asOf: string;
  /** Whether `asOf` is today: the metrics are as of now. */
  today: boolean;
  at: number;
  query: MetricsQuery;
}

/** What the metrics read of history: the stories' histories, and those of the stories ever in each iteration. */
interface Loaded extends Frame {
  histories: StoryHistory[];
  byIteration: Map<string, StoryHistory[]>;
}

async function frame(deps: Deps, actor: Actor, artRef: string, input: unknown): Promise<Frame> {
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
  return { art, teams, scope: new Set(teams.map((t) => t.id)), pi, trend, asOf, today: asOf === today, at, query };
}

/**
 * Reads the history the metrics replay: since the day before the earliest PI of the trend (`trend`), or only what a
 * forecast asks of it — the stories as they are at the instant and what they finished in the sample weeks
 * (`throughput`).
 */
async function replay(deps: Deps, f: Frame, reading: "trend" | "throughput" = "trend"): Promise<Loaded> {
  const samplesFrom = f.at - SAMPLE_DAYS * DAY_MS;
  const since = new Date(
    reading === "trend" ? Math.min(instant(trendStart(f)), samplesFrom) : samplesFrom - 1,
  ).toISOString();
  const teamIds = [...f.scope];
  const read = await readMetrics(deps.db, f.art.id, teamIds, {
    since,
    rankSince: new Date(f.at - 1).toISOString(),
    wholeArt: teamIds.length === f.art.teams.length,
  });
  const histories = storyHistories(read.stories, read.changes, read.notes);
  return { ...f, histories, byIteration: historiesByIteration(histories) };
}

/** The first day the trend reads: the day before its first PI began (readiness is taken as an iteration begins). */
const trendStart = (f: Frame) => dayBefore((f.trend[0] ?? f.pi).startDate);
const dayBefore = (date: string) => new Date(instant(date) - DAY_MS).toISOString().slice(0, 10);
const dayAfter = (date: string) => new Date(endOfDay(date)).toISOString().slice(0, 10);

const development = (pi: ProgramIncrement) => pi.iterations.filter((i) => i.kind === "development");

/** A period's dates, ending at `asOf` if it has not ended by then. */
const period = (f: Frame, p: { startDate: string; endDate: string }) => ({
  from: p.startDate,
  to: [p.endDate, f.asOf].sort()[0] as string,
});

/** The ART's development iterations in time order. */
const developmentIterations = (art: Art) =>
  art.pis.flatMap(development).sort((a, b) => a.startDate.localeCompare(b.startDate));

/** The trend's development iterations that had started by the instant. */
const startedIterations = (f: Frame) => f.trend.flatMap(development).filter((i) => instant(i.startDate) < f.at);

/**
 * What a dashboard is worked out from, for its teams: the day records from the day before the trend began, each
 * started iteration's outcome, each team's recent velocity and ranked backlog at the instant.
 */
interface Source {
  records: DayRecord[];
  outcomes: Map<string, IterationOutcome>;
  velocity: Map<string, number | null>;
  tops: Map<string, BacklogTop>;
}

/**
 * A dashboard's source for some of the teams (all of them unless said), from history replayed; with each team's
 * velocity and the top of its ranked backlog if the readiness rate is wanted (`plan`).
 */
function replayed(l: Loaded, scope: TeamScope = l.scope, plan: Plan | null = null): Source {
  const outcomes = (scope: TeamScope) =>
    new Map(
      startedIterations(l).map((i) => [i.id, iterationResult(l.byIteration.get(i.id) ?? [], i, scope, l.at)] as const),
    );
  const teams = plan ? l.teams.filter((t) => scope.has(t.id)) : [];
  const velocity = new Map(teams.map((t) => [t.id, recentVelocity([...outcomes(new Set([t.id])).values()])] as const));
  return {
    records: dayRecords(l.histories, scope, trendStart(l), l.at),
    outcomes: outcomes(scope),
    velocity,
    tops: plan
      ? backlogTops(
          rankedBacklogsAt(l.histories, new Set(teams.map((t) => t.id)), l.at - 1),
          { ...plan, velocity },
          l.at,
        )
      : new Map(),
  };
}

/** Whose kept records: a team's (its id), or the whole train's (`TRAIN`), and the teams they count. */
interface Scope {
  key: string;
  teams: TeamScope;
}

/** What the kept records give: a scope's day records from the trend's start, and each started iteration's outcome. */
interface Kept {
  records(scope: Scope): DayRecord[];
  outcomes(scope: Scope): Map<string, IterationOutcome>;
}

/**
 * The kept day records of these scopes (see seal-metrics) from a day up to today, today's worked out from its
 * changes; or null where they cannot serve: an earlier date, or days kept only up to before yesterday.
 */
async function keptDays(
  deps: Deps,
  f: Frame,
  scopes: readonly Scope[],
  from: string,
): Promise<((scope: Scope) => DayRecord[]) | null> {
  if (!f.today) return null;
  const through = await sealedThrough(deps.db, f.art.id);
  if (through === null || through < dayBefore(dayBefore(f.asOf))) return null;
  const first = [from, through].sort()[0] as string;
  const [kept, changed] = await Promise.all([
    dayRecordsOf(
      deps.db,
      f.art.id,
      scopes.map((s) => s.key),
      first,
      through,
    ),
    storiesChangedSince(deps.db, f.art.id, new Date(endOfDay(through) - 1).toISOString()),
  ]);
  const histories = storyHistories(changed.stories, changed.changes, changed.notes);
  return (scope) => {
    const filled = everyDay(kept.get(scope.key) ?? [], first, through);
    const live = dayRecords(histories, scope.teams, dayAfter(through), f.at, filled.at(-1) ?? emptyRecord(through));
    return [...filled, ...live].filter((r) => r.day >= from);
  };
}

/**
 * The ART's kept records for the frame (see `keptDays`), with the day records of these scopes from the trend's start
 * and each started iteration's outcome; null where they cannot serve, or a started iteration's start or result is not
 * kept. The running iteration's stories are read as they are now; `alongside` reads whatever else is wanted at the same
 * time, from the completed iterations' outcomes.
 */
async function readKept<T>(
  deps: Deps,
  f: Frame,
  withRecords: readonly Scope[],
  alongside: (completed: (scope: Scope) => IterationOutcome[]) => Promise<T>,
): Promise<(Kept & { alongside: T }) | null> {
  const iterations = startedIterations(f);
  const running = iterations.filter((i) => endOfDay(i.endDate) > f.at);
  const seals = await iterationSeals(
    deps.db,
    iterations.map((i) => i.id),
    running.map((i) => i.id),
  );
  if (iterations.some((i) => (running.includes(i) ? !seals.get(i.id)?.start : !seals.get(i.id)?.results))) return null;
  // A team without a result was made after the iteration was over: it had nothing in it.
  const completed = (i: Iteration, scope: Scope) =>
    seals.get(i.id)?.results?.[scope.key] ?? iterationOutcome([], i, scope.teams, f.at);
  const [records, now, also] = await Promise.all([
    keptDays(deps, f, withRecords, trendStart(f)),
    Promise.all(running.map((i) => runningStories(deps, i, seals.get(i.id)?.start ?? []))),
    alongside((scope) => iterations.filter((i) => !running.includes(i)).map((i) => completed(i, scope))),
  ]);
  if (!records) return null;
  return {
    records,
    outcomes: (scope) =>
      new Map(
        iterations.map((i) => {
          const k = running.indexOf(i);
          return [i.id, k >= 0 ? iterationOutcome(now[k] ?? [], i, scope.teams, f.at) : completed(i, scope)] as const;
        }),
      ),
    alongside: also,
  };
}

/**
 * A dashboard's source from the ART's kept records (see `readKept`), for one team or the whole train; the top of each
 * team's ranked backlog is read as it is now.
 */
async function keptSource(deps: Deps, f: Frame, plan: Plan): Promise<Source | null> {
  const team = f.query.team ? (f.teams[0] as Team) : null;
  if (!team && f.scope.size !== f.art.teams.length) return null;
  const scope = { key: team?.id ?? TRAIN, teams: f.scope };
  const kept = await readKept(deps, f, [scope], async (completed) => {
    const velocity = new Map(
      f.teams.map((t) => [t.id, recentVelocity(completed({ key: t.id, teams: new Set([t.id]) }))] as const),
    );
    const input = { ...plan, velocity };
    const upcoming = upcomingIterations(input, f.at);
    const wanted = new Map<string, number>();
    for (const t of f.teams) {
      const points = horizonCapacity(t.id, upcoming, input);
      if (points !== null) wanted.set(t.id, points);
    }
    return { velocity, tops: await backlogTopsOf(deps.db, wanted) };
  });
  if (!kept) return null;
  return { records: kept.records(scope), outcomes: kept.outcomes(scope), ...kept.alongside };
}

/** A running iteration's stories: as it began (kept) and as they are now. */
async function runningStories(
  deps: Deps,
  iteration: Iteration,
  start: readonly [string, string | null, StorySnapshot["state"], number | null][],
): Promise<IterationStory[]> {
  const atStart = new Map(
    start.map(([id, teamId, state, points]) => [
      id,
      { state, teamId, iterationId: iteration.id, points, blocked: false } as StorySnapshot,
    ]),
  );
  const planned = start.filter(([, , state]) => !["done", "accepted", "split"].includes(state)).map(([id]) => id);
  return (await iterationStoriesNow(deps.db, iteration.id, planned)).map((s) => ({
    id: s.id,
    splitFrom: s.splitFrom,
    start: atStart.get(s.id) ?? null,
    end: s.now,
  }));
}

const recentVelocity = (outcomes: readonly IterationOutcome[]) => velocityStats(outcomes).recentAverage;

/**
 * Each started development iteration of the trend: its outcome, its rework and the readiness of the horizon as it
 * began (as the day before ended).
 */
function iterationResults(f: Frame, source: Source): IterationResult[] {
  const iterations = startedIterations(f);
  const reworks = reworkRatiosOf(
    source.records,
    iterations.map((i) => period(f, i)),
  );
  const all = developmentIterations(f.art);
  const horizon = f.query.horizon ?? DEFAULT_HORIZON;
  const readinessAtStart = (i: Iteration) => {
    const ahead = all.slice(all.findIndex((a) => a.id === i.id)).slice(0, horizon);
    const before = dayBefore(i.startDate);
    return assignedReadinessOf(
      source.records.find((r) => r.day === before),
      new Set(ahead.map((a) => a.id)),
    );
  };
  return iterations.map((i, k) => ({
    ...(source.outcomes.get(i.id) as IterationOutcome),
    reworked: reworks[k]?.reworked ?? 0,
    readiness: readinessAtStart(i),
  }));
}

/** Each PI's results, from its iterations' (see `iterationResults`), its rework and its objectives' predictability. */
function piResults(
  f: Frame,
  source: Source,
  pis: readonly ProgramIncrement[],
  results: readonly IterationResult[],
  predictable: readonly (number | null)[],
): PiResult[] {
  const reworks = reworkRatiosOf(
    source.records,
    pis.map((pi) => period(f, pi)),
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
const objectiveTeams = (f: Frame) => (f.query.team ? f.teams : null);

/**
 * Everything the team (or train) dashboard shows for a PI, as of a date. Today's dashboard reads the ART's kept day
 * records (see seal-metrics) when they are there; otherwise, and for an earlier date, history is replayed. Both give
 * the same numbers (`replay` forces the second, for tests that compare them).
 */
export async function metricsDashboard(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
  options: { replay?: boolean } = {},
): Promise<MetricsDashboard> {
  const f = await frame(deps, actor, artRef, input);
  const iterations = developmentIterations(f.art);
  const horizon = f.query.horizon ?? DEFAULT_HORIZON;
  const upcoming = iterations.filter((i) => instant(i.startDate) > f.at).slice(0, horizon);
  const plan: Plan = {
    iterations,
    teams: f.teams.map((t) => t.id),
    capacity: await capacities(deps, f.teams, upcoming),
    horizon,
  };
  const source =
    (!options.replay && (await keptSource(deps, f, plan))) || replayed(await replay(deps, f), f.scope, plan);
  return dashboardOf(deps, f, source, plan);
}

/** What the readiness rate is worked out for, but velocity: the ART's iterations, the teams, their capacity. */
type Plan = Omit<ReadinessInput, "velocity">;

async function dashboardOf(deps: Deps, f: Frame, source: Source, plan: Plan): Promise<MetricsDashboard> {
  const { pi, at } = f;
  const iterations = iterationResults(f, source);
  const predictable = await Promise.all(f.trend.map((p) => predictabilityOf(deps, p, objectiveTeams(f))));
  const pis = piResults(f, source, f.trend, iterations, predictable);
  const current = pis.at(-1) as PiResult;
  const piDays = period(f, pi);
  const ofPi = source.records.filter((r) => r.day <= piDays.to);
  const running =
    development(pi).find((i) => instant(i.startDate) < at && at <= endOfDay(i.endDate)) ??
    development(pi)
      .filter((i) => instant(i.startDate) < at)
      .at(-1);
  return {
    art: { key: f.art.key, name: f.art.name },
    team: f.query.team ? { key: (f.teams[0] as Team).key, name: (f.teams[0] as Team).name } : null,
    pi: { id: pi.id, name: pi.name, startDate: pi.startDate, endDate: pi.endDate },
    asOf: f.asOf,
    iterations,
    pis,
    readiness: readinessOf(
      source.records.at(-1) ?? emptyRecord(f.asOf),
      source.tops,
      { ...plan, velocity: source.velocity },
      at,
    ),
    velocity: velocityStats(iterations),
    rework: current.rework,
    flow: flowMetricsOf(ofPi, { ...piDays, iterations: development(pi) }, current.predictability),
    burnUp: burnUpOf(ofPi, pi),
    burnDown: running
      ? { iterationId: running.id, name: running.name, days: burnDownOf(source.records, running) }
      : null,
    cfd: cumulativeFlowOf(ofPi, pi),
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

/** What a forecast works from: each team's and the teams' daily throughput, each team's open stories in rank order. */
interface ForecastInput {
  samples: Map<string, number[]>;
  trainSamples: number[];
  queues: Map<string, QueuedStory[]>;
}

function replayedForecastInput(l: Loaded): ForecastInput {
  // In the teams' order, as every forecast walks them (they share one stream of random numbers).
  const queues = new Map<string, { rank: string; story: QueuedStory }[]>(l.teams.map((t) => [t.id, []]));
  for (const h of l.histories) {
    const s = snapshotAt(h, l.at);
    if (!s || s.teamId === null || ["done", "accepted", "split"].includes(s.state)) continue;
    const { key, title, parentId } = h.story;
    queues.get(s.teamId)?.push({
      rank: valueAt(h, "rank", l.at) as string,
      story: { key, title, parentId, iterationId: s.iterationId },
    });
  }
  return {
    samples: new Map(
      l.teams.map((t) => [t.id, dailyThroughput(l.histories, new Set([t.id]), l.at, SAMPLE_DAYS)] as const),
    ),
    trainSamples: dailyThroughput(l.histories, l.scope, l.at, SAMPLE_DAYS),
    queues: new Map(
      [...queues].map(([team, q]) => [
        team,
        q.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map((e) => e.story),
      ]),
    ),
  };
}

/**
 * A forecast's input from the kept day records (the stories each team finished on each day) and the stories as they
 * are now; null where the records cannot serve (see `keptDays`).
 */
async function keptForecastInput(deps: Deps, f: Frame): Promise<ForecastInput | null> {
  const team = f.query.team ? (f.teams[0] as Team) : null;
  if (!team && f.scope.size !== f.art.teams.length) return null;
  const teams = f.teams.map((t) => ({ key: t.id, teams: new Set([t.id]) as TeamScope }));
  const train = { key: TRAIN, teams: f.scope };
  const from = new Date(endOfDay(f.asOf) - SAMPLE_DAYS * DAY_MS).toISOString().slice(0, 10);
  const [records, queues] = await Promise.all([
    keptDays(deps, f, team ? teams : [...teams, train], from),
    openStoriesInRankOrder(deps.db, [...f.scope]),
  ]);
  if (!records) return null;
  const throughput = (scope: Scope) => records(scope).map((r) => r.finished.length);
  const samples = new Map(teams.map((scope) => [scope.key, throughput(scope)] as const));
  return { samples, trainSamples: team ? (samples.get(team.id) as number[]) : throughput(train), queues };
}

const ASSUMPTION =
  "Each team finishes its stories in rank order, at a pace drawn day by day from its own last six weeks " +
  "(stories done or accepted per calendar day); nothing else changes.";

/**
 * Monte Carlo forecasts: how much of the ranked backlog fits in the rest of the PI, and when features finish. Today's
 * read the kept day records and the stories as they are; otherwise history is replayed (`replay` forces it, as in
 * `metricsDashboard`).
 */
export async function forecast(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
  options: { replay?: boolean } = {},
): Promise<Forecast> {
  const f = await frame(deps, actor, artRef, input);
  const { samples, trainSamples, queues } =
    (!options.replay && (await keptForecastInput(deps, f))) ||
    replayedForecastInput(await replay(deps, f, "throughput"));
  const trials = f.query.trials ?? DEFAULT_TRIALS;
  const random = seededRandom(1);
  // The PI's features: those with open stories planned in its iterations.
  const piIterations = new Set(f.pi.iterations.map((i) => i.id));
  const ofPi = new Set<string>();
  for (const queue of queues.values()) {
    for (const s of queue) if (s.parentId && s.iterationId && piIterations.has(s.iterationId)) ofPi.add(s.parentId);
  }
  const daysLeft = Math.max(0, Math.round((endOfDay(f.pi.endDate) - endOfDay(f.asOf)) / DAY_MS));
  const within = daysLeft > 0 ? storiesWithin(trainSamples, daysLeft, trials, random) : null;
  const likelihood = (i: number, fit: Percentiles): Likelihood =>
    i < fit.p95 ? "p95" : i < fit.p85 ? "p85" : i < fit.p50 ? "p50" : "unlikely";
  const teamOf = new Map(f.teams.map((t) => [t.id, t]));
  const oneTeam = f.teams.length === 1 ? (f.teams[0] as Team) : null;
  const backlog =
    within && oneTeam
      ? (queues.get(oneTeam.id) ?? []).slice(0, Math.max(within.p50, 0) + 20).map((s, i) => ({
          key: s.key,
          title: s.title,
          teamKey: oneTeam.key,
          likelihood: likelihood(i, within),
        }))
      : [];

  // The PI's features: where in each team's queue their last open story sits; one walk per team and trial serves all.
  const positions = new Map<string, Map<string, number>>();
  const remaining = new Map<string, number>();
  for (const [teamId, queue] of queues) {
    queue.forEach((s, i) => {
      if (!s.parentId || !ofPi.has(s.parentId)) return;
      const byTeam = positions.get(s.parentId) ?? new Map<string, number>();
      byTeam.set(teamId, i + 1);
      positions.set(s.parentId, byTeam);
      remaining.set(s.parentId, (remaining.get(s.parentId) ?? 0) + 1);
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
          ? { p50: addDays(f.asOf, likely.p50), p85: addDays(f.asOf, likely.p85), p95: addDays(f.asOf, likely.p95) }
          : null,
        problem: likely
          ? null
          : `${[...byTeam.keys()].map((t) => teamOf.get(t)?.name ?? t).join(", ")} finished too little in the last six weeks to forecast from`,
      };
    })
    .sort((a, b) => (a.dates?.p85 ?? "9999").localeCompare(b.dates?.p85 ?? "9999") || a.key.localeCompare(b.key));
  return {
    asOf: f.asOf,
    trials,
    assumption: ASSUMPTION,
    teams: f.teams.map((t) => {
      const s = samples.get(t.id) ?? [];
      return { key: t.key, name: t.name, days: s.length, finished: sum(s) };
    }),
    fit: within ? { piId: f.pi.id, daysLeft, stories: within, backlog } : null,
    features,
  };
}

/**
 * Inspect & adapt: each team's PI side by side, and the train's. From the kept records today, else history replayed
 * (`replay` forces it, as in `metricsDashboard`).
 */
export async function inspectAdapt(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
  options: { replay?: boolean } = {},
): Promise<InspectAdapt> {
  const f = await frame(deps, actor, artRef, { ...(input as object), pis: 1 });
  const { pi } = f;
  const scopes = [
    ...f.teams.map((t) => ({ key: t.id, teams: new Set([t.id]) as TeamScope })),
    { key: TRAIN, teams: f.scope },
  ];
  const wholeArt = f.scope.size === f.art.teams.length;
  const kept = !options.replay && wholeArt ? await readKept(deps, f, scopes, async () => null) : null;
  const l = kept ? null : await replay(deps, f);
  const sourceOf = (scope: Scope): Source =>
    kept
      ? { records: kept.records(scope), outcomes: kept.outcomes(scope), velocity: new Map(), tops: new Map() }
      : replayed(l as Loaded, scope.teams);
  const objectives = await listObjectives(deps.db, pi.id);
  const row = (key: string, name: string, scope: Scope, objectiveTeams: ReadonlySet<string> | null) => {
    const source = sourceOf(scope);
    const results = iterationResults(f, source);
    const result = piResults(f, source, [pi], results, [
      predictability(
        objectiveTeams ? objectives.filter((o) => o.teamId !== null && objectiveTeams.has(o.teamId)) : objectives,
      ).percent,
    ])[0] as PiResult;
    const flow = flowMetricsOf(source.records, { ...period(f, pi), iterations: development(pi) }, null);
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
    asOf: f.asOf,
    teams: f.teams.map((t, k) => row(t.key, t.name, scopes[k] as Scope, new Set([t.id]))),
    train: row(f.art.key, f.art.name, { key: TRAIN, teams: f.scope }, null),
  };
}
