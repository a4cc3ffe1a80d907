// The backlog health check of a team and of a train: how much of the ranked backlog is ready against the next two
// iterations' capacity (the Backlog Readiness Rate in both of domain.md's forms, and the ready-backlog depth), with
// quality findings by rule, oversized stories, stories without a feature, features without stories and stale items,
// each problem linked to its items. Pure: the clock, velocity and settings come in as arguments.
import { groupBy } from "./collections.js";
import { QUALITY_RULES, type QualityRule, RULE_INFO, type Severity } from "./story-quality.js";
import { CLOSED_STORY_STATES, type StoryState } from "./work-item.js";

/** How many upcoming iterations the readiness rates and the ranked window look ahead. */
export const HEALTH_HORIZON = 2;
/** A ready backlog this many iterations deep or deeper is healthy. */
export const HEALTHY_READY_DEPTH = 2;
/** Program states in which a feature is expected to have stories. */
export const FEATURE_STATES_WITH_STORIES = ["analyzing", "backlog", "implementing"] as const;

const DAY = 86_400_000;
/** Story states that no longer need refining: started, finished or closed as split. */
const STARTED_OR_CLOSED: readonly string[] = ["in_progress", "done", "accepted", "split"];
/** Story states of finished or closed work. */
const FINISHED: readonly string[] = CLOSED_STORY_STATES;

/** What the health check needs of a story. */
export interface HealthStory {
  id: string;
  key: string;
  title: string;
  state: StoryState;
  points: number | null;
  parentId: string | null;
  iterationId: string | null;
  /** ISO-8601 timestamp of the last change. */
  updatedAt: string;
}

export interface HealthIteration {
  id: string;
  name: string;
  /** yyyy-mm-dd */
  startDate: string;
  endDate: string;
}

/** A story's quality findings, as the quality report lists them (the rules that fired, dismissed ones left out). */
export interface StoryFindings {
  key: string;
  title: string;
  rules: readonly QualityRule[];
}

/** The thresholds of a team the health check uses (its refinement settings). */
export interface HealthSettings {
  /** Points per iteration; used when the team has no velocity yet. */
  capacityPerIteration: number | null;
  staleAfterDays: number;
  smallMaxPoints: number;
  velocityShare: number;
}

export interface TeamHealthInput {
  team: { id: string; key: string; name: string };
  /** The team's stories in rank order. */
  stories: readonly HealthStory[];
  /** The ART's iterations, in any order. */
  iterations: readonly HealthIteration[];
  /** Average points per iteration over its recent iterations, or null with no history. */
  velocity: number | null;
  settings: HealthSettings;
  findings: readonly StoryFindings[];
  /** ISO-8601 timestamp of now. */
  now: string;
}

/** A Backlog Readiness Rate: ready stories ÷ stories considered; rate null (no data, not 0 %) when none are. */
export interface ReadinessRate {
  ready: number;
  of: number;
  rate: number | null;
}

export interface ItemRef {
  key: string;
  title: string;
}

export const HEALTH_PROBLEM_KINDS = [
  "no_capacity",
  "shallow_ready_backlog",
  "not_ready_planned",
  "quality",
  "oversized",
  "no_feature",
  "stale",
  "features_without_stories",
  "stale_features",
] as const;
export type HealthProblemKind = (typeof HEALTH_PROBLEM_KINDS)[number];

/** One problem of a backlog, linked to the items it is about (none for a team-wide one such as no capacity). */
export interface HealthProblem {
  kind: HealthProblemKind;
  /** The quality rule, for kind `quality`. */
  rule: QualityRule | null;
  label: string;
  severity: Severity;
  items: ItemRef[];
}

export interface QualityCount {
  rule: QualityRule;
  label: string;
  count: number;
  keys: string[];
}

export interface ReadyDepth {
  /** Points of the ready stories. */
  points: number;
  /** Ready points ÷ capacity per iteration, in iterations; null without a capacity. */
  iterations: number | null;
  /** Depth ≥ 2 iterations; null without a capacity. */
  healthy: boolean | null;
}

export interface TeamHealth {
  team: { id: string; key: string; name: string };
  /** The next iterations the rates look at (iterations starting after today, by start date). */
  horizon: HealthIteration[];
  velocity: number | null;
  capacityPerIteration: { points: number | null; source: "velocity" | "set" | null };
  readiness: {
    /** (a) Of the not-yet-started stories planned for the next two iterations, how many are ready. */
    planned: ReadinessRate;
    /** (b) Of the top of the ranked backlog that fills two iterations of capacity, how many are ready. */
    ranked: ReadinessRate & { capacityPoints: number | null };
  };
  readyDepth: ReadyDepth;
  /** Open stories: not done, accepted or closed as split. */
  openStories: number;
  quality: QualityCount[];
  problems: HealthProblem[];
}

export interface HealthFeature {
  id: string;
  key: string;
  title: string;
  state: string;
  updatedAt: string;
  /** Its stories, not counting those closed as split. */
  stories: number;
}

export interface TrainHealth {
  teams: number;
  horizon: HealthIteration[];
  /** Σ capacity of the teams that have one. */
  capacityPerIteration: number | null;
  /** Keys of the teams with no capacity (no velocity and none set). */
  teamsWithoutCapacity: string[];
  readiness: { planned: ReadinessRate; ranked: ReadinessRate };
  readyDepth: ReadyDepth;
  openStories: number;
  quality: QualityCount[];
  problems: HealthProblem[];
}

// ---- the formulas (one line each; docs/refinement.md quotes them)

/** A rate rounded to three decimals; null when nothing is counted. */
export const rate = (ready: number, of: number): number | null =>
  of === 0 ? null : Math.round((ready / of) * 1000) / 1000;

/** Capacity per iteration: the team's average velocity when above 0, else its set capacity, else none. */
export const capacityOf = (velocity: number | null, set: number | null): TeamHealth["capacityPerIteration"] =>
  velocity !== null && velocity > 0
    ? { points: velocity, source: "velocity" }
    : set !== null
      ? { points: set, source: "set" }
      : { points: null, source: null };

/** Ready depth = ready points ÷ capacity per iteration, in iterations (two decimals); null without capacity above 0. */
export const readyDepthOf = (readyPoints: number, capacity: number | null): number | null =>
  capacity === null || capacity <= 0 ? null : Math.round((readyPoints / capacity) * 100) / 100;

/** A story is oversized above the team's small limit or above velocityShare × its average velocity (when above 0). */
export const oversizedLimit = (s: Pick<HealthSettings, "smallMaxPoints" | "velocityShare">, velocity: number | null) =>
  velocity === null || velocity <= 0 ? s.smallMaxPoints : Math.min(s.smallMaxPoints, s.velocityShare * velocity);

/** An item is stale when it was last changed staleAfterDays or more whole days before now. */
export const isStale = (updatedAt: string, now: string, staleAfterDays: number): boolean =>
  Math.floor((Date.parse(now) - Date.parse(updatedAt)) / DAY) >= staleAfterDays;

/** The next iterations: those starting after today, by start date, the first `count`. */
export const upcomingIterations = (iterations: readonly HealthIteration[], today: string, count = HEALTH_HORIZON) =>
  iterations
    .filter((it) => it.startDate > today)
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .slice(0, count);

/** The ranked window: unstarted stories in rank order while the points before each stay below the target. */
export function rankedWindow<T extends { points: number | null }>(ranked: readonly T[], targetPoints: number): T[] {
  const window: T[] = [];
  let before = 0;
  for (const story of ranked) {
    if (before >= targetPoints) break;
    window.push(story);
    before += story.points ?? 0;
  }
  return window;
}

// ---- a team

const ref = (s: { key: string; title: string }): ItemRef => ({ key: s.key, title: s.title });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const storyCount = (n: number) => plural(n, "story", "stories");
const sumPoints = (stories: readonly { points: number | null }[]) =>
  stories.reduce((sum, s) => sum + (s.points ?? 0), 0);

/** Quality findings counted by rule, in the rules' order; rules with no finding left out. */
export function qualityByRule(findings: readonly StoryFindings[]): QualityCount[] {
  return QUALITY_RULES.flatMap((rule) => {
    const keys = findings.filter((f) => f.rules.includes(rule)).map((f) => f.key);
    return keys.length === 0 ? [] : [{ rule, label: RULE_INFO[rule].label, count: keys.length, keys }];
  });
}

function qualityProblems(findings: readonly StoryFindings[]): HealthProblem[] {
  return QUALITY_RULES.flatMap((rule): HealthProblem[] => {
    const items = findings.filter((f) => f.rules.includes(rule)).map(ref);
    if (items.length === 0) return [];
    const info = RULE_INFO[rule];
    return [{ kind: "quality", rule, label: `Quality: ${info.label}`, severity: info.severity, items }];
  });
}

/** The health of one team's backlog. */
export function teamHealth(input: TeamHealthInput): TeamHealth {
  const { stories, settings, velocity, now } = input;
  const today = now.slice(0, 10);
  const horizon = upcomingIterations(input.iterations, today);
  const horizonIds = new Set(horizon.map((it) => it.id));
  const open = stories.filter((s) => !FINISHED.includes(s.state));
  const unstarted = stories.filter((s) => !STARTED_OR_CLOSED.includes(s.state));
  const isReady = (s: HealthStory) => s.state === "ready";

  const planned = unstarted.filter((s) => s.iterationId !== null && horizonIds.has(s.iterationId));
  const plannedReady = planned.filter(isReady).length;

  const capacity = capacityOf(velocity, settings.capacityPerIteration);
  const capacityPoints = capacity.points === null ? null : HEALTH_HORIZON * capacity.points;
  const window = capacityPoints === null ? [] : rankedWindow(unstarted, capacityPoints);
  const windowReady = window.filter(isReady).length;

  const readyPoints = sumPoints(unstarted.filter(isReady));
  const depth = readyDepthOf(readyPoints, capacity.points);

  const problems: HealthProblem[] = [];
  if (depth === null) {
    problems.push({
      kind: "no_capacity",
      rule: null,
      label:
        capacity.points === null
          ? "No capacity: no velocity yet and no capacity per iteration set"
          : `Capacity is ${capacity.points} points per iteration: set one, or wait for velocity`,
      severity: "warning",
      items: [],
    });
  } else if (depth < HEALTHY_READY_DEPTH) {
    problems.push({
      kind: "shallow_ready_backlog",
      rule: null,
      label: `Ready backlog covers ${depth} iterations (healthy: ${HEALTHY_READY_DEPTH} or more)`,
      severity: depth < 1 ? "error" : "warning",
      items: window.filter((s) => !isReady(s)).map(ref),
    });
  }
  const notReadyPlanned = planned.filter((s) => !isReady(s));
  if (notReadyPlanned.length > 0) {
    problems.push({
      kind: "not_ready_planned",
      rule: null,
      label: `${storyCount(notReadyPlanned.length)} planned for the next ${HEALTH_HORIZON} iterations not ready`,
      severity: "warning",
      items: notReadyPlanned.map(ref),
    });
  }
  problems.push(...qualityProblems(input.findings));
  const limit = oversizedLimit(settings, velocity);
  const oversized = open.filter((s) => s.points !== null && s.points > limit);
  if (oversized.length > 0) {
    problems.push({
      kind: "oversized",
      rule: null,
      label: `${storyCount(oversized.length)} larger than ${Math.round(limit * 10) / 10} points`,
      severity: "warning",
      items: oversized.map(ref),
    });
  }
  const orphans = open.filter((s) => s.parentId === null);
  if (orphans.length > 0) {
    problems.push({
      kind: "no_feature",
      rule: null,
      label: `${storyCount(orphans.length)} without a feature`,
      severity: "warning",
      items: orphans.map(ref),
    });
  }
  const stale = open.filter((s) => isStale(s.updatedAt, now, settings.staleAfterDays));
  if (stale.length > 0) {
    problems.push({
      kind: "stale",
      rule: null,
      label: `${storyCount(stale.length)} not updated for ${settings.staleAfterDays} days or more`,
      severity: "warning",
      items: stale.map(ref),
    });
  }

  return {
    team: input.team,
    horizon,
    velocity,
    capacityPerIteration: capacity,
    readiness: {
      planned: { ready: plannedReady, of: planned.length, rate: rate(plannedReady, planned.length) },
      ranked: { ready: windowReady, of: window.length, rate: rate(windowReady, window.length), capacityPoints },
    },
    readyDepth: {
      points: readyPoints,
      iterations: depth,
      healthy: depth === null ? null : depth >= HEALTHY_READY_DEPTH,
    },
    openStories: open.length,
    quality: qualityByRule(input.findings),
    problems,
  };
}

// ---- a train

/** Options of the train-level checks: when now is, and when a feature counts as stale. */
export interface TrainHealthOptions {
  now: string;
  staleAfterDays: number;
  /** The next iterations (the same for every team), for a train with no teams listed. */
  horizon?: HealthIteration[];
}

/** The teams rolled up (rates and depth summed over teams), plus features without stories and stale features. */
export function trainHealth(
  teams: readonly TeamHealth[],
  features: readonly HealthFeature[],
  options: TrainHealthOptions,
): TrainHealth {
  const sum = (f: (t: TeamHealth) => number) => teams.reduce((n, t) => n + f(t), 0);
  const withCapacity = teams.filter((t) => t.readyDepth.iterations !== null);
  const capacity = withCapacity.reduce((n, t) => n + (t.capacityPerIteration.points ?? 0), 0);
  const readyPoints = withCapacity.reduce((n, t) => n + t.readyDepth.points, 0);
  const depth = withCapacity.length === 0 ? null : readyDepthOf(readyPoints, capacity);
  const plannedReady = sum((t) => t.readiness.planned.ready);
  const plannedOf = sum((t) => t.readiness.planned.of);
  const rankedReady = sum((t) => t.readiness.ranked.ready);
  const rankedOf = sum((t) => t.readiness.ranked.of);

  const problems = rollUpProblems(teams);
  const empty = features.filter(
    (f) => (FEATURE_STATES_WITH_STORIES as readonly string[]).includes(f.state) && f.stories === 0,
  );
  if (empty.length > 0) {
    problems.push({
      kind: "features_without_stories",
      rule: null,
      label: `${plural(empty.length, "feature")} in analysis, backlog or implementation without stories`,
      severity: "warning",
      items: empty.map(ref),
    });
  }
  const stale = features.filter((f) => f.state !== "done" && isStale(f.updatedAt, options.now, options.staleAfterDays));
  if (stale.length > 0) {
    problems.push({
      kind: "stale_features",
      rule: null,
      label: `${plural(stale.length, "feature")} not updated for ${options.staleAfterDays} days or more`,
      severity: "warning",
      items: stale.map(ref),
    });
  }

  return {
    teams: teams.length,
    horizon: teams[0]?.horizon ?? options.horizon ?? [],
    capacityPerIteration: withCapacity.length === 0 ? null : capacity,
    teamsWithoutCapacity: teams.filter((t) => t.readyDepth.iterations === null).map((t) => t.team.key),
    readiness: {
      planned: { ready: plannedReady, of: plannedOf, rate: rate(plannedReady, plannedOf) },
      ranked: { ready: rankedReady, of: rankedOf, rate: rate(rankedReady, rankedOf) },
    },
    readyDepth: {
      points: readyPoints,
      iterations: depth,
      healthy: depth === null ? null : depth >= HEALTHY_READY_DEPTH,
    },
    openStories: sum((t) => t.openStories),
    quality: rollUpQuality(teams),
    problems,
  };
}

/** The teams' quality counts added up per rule. */
function rollUpQuality(teams: readonly TeamHealth[]): QualityCount[] {
  const byRule = groupBy(
    teams.flatMap((t) => t.quality),
    (q) => q.rule,
  );
  return QUALITY_RULES.flatMap((rule) => {
    const counts = byRule.get(rule);
    if (!counts) return [];
    const keys = counts.flatMap((q) => q.keys);
    return [{ rule, label: RULE_INFO[rule].label, count: keys.length, keys }];
  });
}

/** The teams' item problems (not the team-wide capacity and depth) merged by kind and rule, items in team order. */
function rollUpProblems(teams: readonly TeamHealth[]): HealthProblem[] {
  const itemProblems = teams.flatMap((t) =>
    t.problems.filter((p) => p.kind !== "no_capacity" && p.kind !== "shallow_ready_backlog"),
  );
  const merged = groupBy(itemProblems, (p) => `${p.kind}:${p.rule ?? ""}`);
  const order = (p: HealthProblem) =>
    HEALTH_PROBLEM_KINDS.indexOf(p.kind) * 100 + (p.rule === null ? 0 : QUALITY_RULES.indexOf(p.rule));
  return [...merged.values()]
    .map((group): HealthProblem => {
      const first = group[0] as HealthProblem;
      const items = group.flatMap((p) => p.items);
      return { ...first, label: trainLabel(first, items.length, group), items };
    })
    .sort((a, b) => order(a) - order(b));
}

/** A merged problem's label: the count restated for the train (a team's thresholds differ, so they are left out). */
function trainLabel(p: HealthProblem, n: number, group: readonly HealthProblem[]): string {
  if (group.length === 1) return p.label;
  const count = storyCount(n);
  switch (p.kind) {
    case "not_ready_planned":
      return `${count} planned for the next ${HEALTH_HORIZON} iterations not ready`;
    case "oversized":
      return `${count} larger than their team's small limit`;
    case "no_feature":
      return `${count} without a feature`;
    case "stale":
      return `${count} not updated for their team's stale limit or longer`;
    default:
      return p.label;
  }
}
