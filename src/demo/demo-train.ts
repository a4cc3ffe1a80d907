// Plans the demo release train: a pure function from the real source data (Jira issues, user stories), a seeded
// random generator and today's date to the ART's teams, people, PIs (a finished one, the current one and the next),
// portfolio and program backlog, team backlogs, dependencies, comments and a dated history of every iteration so far.
// Writing the plan to a database is someone else's job; this module does no I/O and reads no clock, so the same seed
// and date always give the same train.

import {
  type CatalogFeature,
  type CatalogItem,
  DEMO_ART,
  DEMO_CAPABILITIES,
  DEMO_EPICS,
  DEMO_FEATURES,
  DEMO_PEOPLE,
  DEMO_TEAMS,
  type DemoRole,
  type EnablerKind,
  type FeatureState,
  FINISHED_FEATURES,
  type TeamKey,
} from "./demo-catalog.js";
import { type HistoryEntry, planIterationHistory } from "./demo-history.js";
import type { DemoSource, SourceIssue } from "./demo-source.js";

/** Feature, capability and epic states (the ART Kanban), and story states, as the core defines them. */
export {
  PROGRAM_STATES as FEATURE_STATES,
  WORKFLOW_STORY_STATES as STORY_STATES,
} from "../core/work-item.js";

import type { UrgencyProfile } from "../core/economics.js";
import type { ReworkReason } from "../core/metrics-views.js";
import type { StoryState } from "../core/work-item.js";
import { mulberry32, pick, type Random, randomInt, shuffle, weightedPick } from "./seeded-random.js";

export type { HistoryEntry, StoryState };

/** The modified Fibonacci scale story points are rounded to. */
export const STORY_POINT_SCALE = [1, 2, 3, 5, 8, 13, 20, 40] as const;

/** Stories larger than this do not fit an iteration; issues estimated above it are not used. */
export const MAX_STORY_POINTS = 13;
export const MAX_DESCRIPTION_LENGTH = 2000;

export interface PlanItem {
  /** Unique, stable reference within the plan: E1…, C1…, F1…, S1…. */
  ref: string;
  level: "epic" | "capability" | "feature" | "story";
  type: "business" | "enabler" | "defect" | "debt";
  enablerKind?: EnablerKind;
  title: string;
  description: string;
  benefitHypothesis?: string;
  acceptanceCriteria: string[];
  /** The state the item is created in; `history` moves some items on from here. */
  state: string;
  parent?: string;
  team?: string;
  teams?: string[];
  pi?: string;
  /** For stories: "<PI name>/<iteration number>" of the iteration it is created in (finished or current PI), else null. */
  iteration?: string | null;
  points?: number | null;
  labels: string[];
  owner?: string;
  /** WSJF inputs (program items only), on the modified Fibonacci scale; null or absent while not yet estimated. */
  businessValue?: number | null;
  timeCriticality?: number | null;
  riskReduction?: number | null;
  jobSize?: number | null;
  /** The economic view (program items only, optional): Cost of Delay per week, urgency profile, date, duration. */
  costOfDelayPerWeek?: number | null;
  urgency?: UrgencyProfile | null;
  fixedDate?: string | null;
  durationWeeks?: number | null;
}

export interface DemoPi {
  name: string;
  startDate: string;
  iterations: Array<{ name: string; number: number; startDate: string; endDate: string }>;
}

export interface DemoTrainPlan {
  art: { key: string; name: string };
  teams: Array<{ key: string; name: string }>;
  /** `teams` lists the team keys a Product Owner or team member works with (empty for train-level roles). */
  people: Array<{ name: string; email: string; role: string; teams: string[] }>;
  /** The PI that ended the day before the current one: its features and stories are the train's track record. */
  finishedPi: DemoPi;
  /** The current PI (today is in its third iteration) and the next one. */
  pis: DemoPi[];
  /** When every item is created (an ISO instant): before the finished PI starts, so its iterations are planned. */
  createdAt: string;
  epics: PlanItem[];
  capabilities: PlanItem[];
  features: PlanItem[];
  stories: PlanItem[];
  /** "from depends on to", between items of different teams. */
  dependencies: Array<{ from: string; to: string }>;
  /** Comments, each at an instant (ISO) before today. */
  comments: Array<{ item: string; author: string; body: string; at: string }>;
  /**
   * Changes to replay after every item is created in its `state` and `iteration`, in time order, each at its own
   * instant before today: state moves, moves into or out of iterations, being blocked and unblocked, and rework
   * (a move back from done or accepted, with its reason). An item's current state is the last state given for it
   * here, or its `state` when none is (see `finalStates`); likewise its iteration (`finalIterations`).
   */
  history: HistoryEntry[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ITERATION_DAYS = 14;
const ITERATIONS_PER_PI = 5;
const PI_COUNT = 2;
/** The first PI starts on the Monday on or before this many days ago, which puts today in its third iteration. */
const FIRST_PI_STARTED_DAYS_AGO = 35;
/** Stories a team plans into an iteration of the finished PI (a few more join or leave during it). */
const FINISHED_STORIES: readonly [number, number] = [6, 8];

/** How many stories a feature gets (±1), by its state: features further along are split further. */
const STORIES_PER_FEATURE: Record<FeatureState, number> = {
  funnel: 0,
  analyzing: 4,
  backlog: 8,
  implementing: 11,
  validating: 9,
  deploying: 7,
  releasing: 7,
  done: 7,
};

/** Iterations of the current PI that hold a feature's stories, by the feature's state. */
const ITERATION_WINDOW: Partial<Record<FeatureState, readonly [number, number]>> = {
  done: [1, 2],
  releasing: [1, 2],
  deploying: [1, 2],
  validating: [1, 3],
  implementing: [1, 4],
};

const PREVIOUS_FEATURE_STATE: Partial<Record<FeatureState, FeatureState>> = {
  validating: "implementing",
  deploying: "validating",
  releasing: "deploying",
  done: "releasing",
};

/**
 * Plans the demo train from the real source data.
 *
 * Pure: `random` (e.g. `mulberry32(seed)`) is the only source of variation and `today` fixes the calendar; the first
 * PI started about five weeks before `today`, so today falls in its third iteration, and a finished PI precedes it.
 *
 * @example
 * const plan = planDemoTrain(await loadDemoSource(defaultDataDir()), mulberry32(7), new Date());
 */
export function planDemoTrain(source: DemoSource, random: Random, today: Date): DemoTrainPlan {
  const calendar = planCalendar(today);
  const currentPi = calendar.pis[0];
  const nextPi = calendar.pis[1];
  if (!currentPi || !nextPi) throw new Error("The calendar must have two PIs.");
  const finishedPi = piBefore(currentPi);

  const rankedFeatures = rankFeatures(DEMO_FEATURES, random);
  const catalogFeatures = [...rankedFeatures, ...FINISHED_FEATURES];
  const refs = new Map<string, string>([
    ...DEMO_EPICS.map((epic, i) => [epic.id, `E${i + 1}`] as const),
    ...DEMO_CAPABILITIES.map((capability, i) => [capability.id, `C${i + 1}`] as const),
    ...catalogFeatures.map((feature, i) => [feature.id, `F${i + 1}`] as const),
  ]);
  const refOf = (id: string): string => {
    const ref = refs.get(id);
    if (!ref) throw new Error(`The demo catalog refers to an unknown item '${id}'.`);
    return ref;
  };

  const drafts = draftStories(source, rankedFeatures, random, calendar.currentIteration);
  const stories = rankStories(drafts, calendar.currentIteration).map((draft, i) => ({ ...draft, ref: `S${i + 1}` }));

  const pm = personWithRole("product_manager");
  const epics = DEMO_EPICS.map((epic) => portfolioItem(epic, "epic", refOf(epic.id), undefined, pm.email));
  const capabilities = DEMO_CAPABILITIES.map((capability) =>
    portfolioItem(
      capability,
      "capability",
      refOf(capability.id),
      capability.parent && refOf(capability.parent),
      pm.email,
    ),
  );

  const features: PlanItem[] = catalogFeatures.map((feature) => {
    const storyTeams = stories.filter((story) => story.feature === feature).map((story) => story.team);
    const finished = FINISHED_FEATURES.includes(feature);
    const pi = finished
      ? finishedPi.name
      : feature.horizon === "current"
        ? currentPi.name
        : feature.horizon === "next"
          ? nextPi.name
          : undefined;
    return {
      ref: refOf(feature.id),
      level: "feature",
      type: feature.type,
      ...(feature.enablerKind ? { enablerKind: feature.enablerKind } : {}),
      title: feature.title,
      description: feature.description,
      benefitHypothesis: feature.benefitHypothesis,
      acceptanceCriteria: [...feature.acceptanceCriteria],
      state: feature.state,
      parent: refOf(feature.parent),
      teams: unique([feature.team, ...storyTeams]),
      ...(pi ? { pi } : {}),
      labels: [...feature.labels],
      owner: pm.email,
    };
  });

  const storyItems: PlanItem[] = stories.map((story) => ({
    ref: story.ref,
    level: "story",
    type: story.type,
    ...(story.enablerKind ? { enablerKind: story.enablerKind } : {}),
    title: story.title,
    description: story.description,
    acceptanceCriteria: story.criteria,
    state: story.state,
    parent: refOf(story.feature.id),
    team: story.team,
    ...(story.iteration === null ? {} : { pi: currentPi.name }),
    iteration: story.iteration === null ? null : iterationRef(currentPi.name, story.iteration),
    points: story.points,
    labels: story.labels,
    ...(isStarted(story.state) ? { owner: memberOf(story.team).email } : {}),
  }));

  const dependencies = planDependencies(rankedFeatures, stories, refOf, random);
  // The finished PI and every iteration's history draw on a generator of their own, seeded from this one.
  const later = mulberry32(Math.floor(random() * 4_294_967_296));
  const finishedStories = planFinishedStories(source, finishedPi, stories, refOf, later, storyItems.length);
  const { history, reworks } = planHistory({
    calendar,
    finishedPi,
    storyItems,
    finishedStories,
    features,
    dependencies,
    random: later,
  });
  settleDrafts(stories, storyItems, history, currentPi.name);
  const comments = planComments({
    features,
    rankedFeatures,
    stories,
    reworks: reworks.filter((r) => r.at >= `${currentPi.startDate}T00:00:00.000Z`),
    history,
    dependencies,
    nextPiName: nextPi.name,
    currentPiName: currentPi.name,
    random,
  });

  // Scored last, so the scores draw on the generator without changing anything planned before them.
  const scoredFeatures = priceFeatures(scoreFeatures(features, catalogFeatures, random), catalogFeatures, calendar.pis);

  return {
    art: { ...DEMO_ART },
    teams: DEMO_TEAMS.map((team) => ({ key: team.key, name: team.name })),
    people: DEMO_PEOPLE.map((person) => ({ ...person, teams: [...person.teams] })),
    finishedPi,
    pis: calendar.pis,
    createdAt: new Date(Date.parse(`${finishedPi.startDate}T09:00:00Z`) - 3 * DAY_MS).toISOString(),
    epics: scorePortfolio(epics, random),
    capabilities: scorePortfolio(capabilities, random),
    features: scoredFeatures,
    stories: [...storyItems, ...finishedStories],
    dependencies,
    comments: dateComments(comments, currentPi.startDate, calendar.cutoff),
    history,
  };
}

/** Each item's state after `history` is replayed on top of the states the items are created in. */
export function finalStates(plan: DemoTrainPlan): Map<string, string> {
  const states = new Map<string, string>();
  for (const item of [...plan.epics, ...plan.capabilities, ...plan.features, ...plan.stories]) {
    states.set(item.ref, item.state);
  }
  for (const entry of plan.history) if (entry.state !== undefined) states.set(entry.item, entry.state);
  return states;
}

/** Each story's iteration ("<PI name>/<number>", or null) after `history` is replayed on the ones it is created in. */
export function finalIterations(plan: DemoTrainPlan): Map<string, string | null> {
  const iterations = new Map<string, string | null>();
  for (const story of plan.stories) iterations.set(story.ref, story.iteration ?? null);
  for (const entry of plan.history) if (entry.iteration !== undefined) iterations.set(entry.item, entry.iteration);
  return iterations;
}

/**
 * Rounds an estimate to the nearest value of `STORY_POINT_SCALE`, the larger one on a tie.
 *
 * @example
 * roundToStoryScale(4); // 5
 * roundToStoryScale(10); // 8
 */
export function roundToStoryScale(points: number): number {
  let best: number = STORY_POINT_SCALE[0];
  for (const value of STORY_POINT_SCALE) {
    if (Math.abs(value - points) <= Math.abs(best - points)) best = value;
  }
  return best;
}

/** The iteration reference stories carry: "<PI name>/<iteration number>". */
export function iterationRef(piName: string, iterationNumber: number): string {
  return `${piName}/${iterationNumber}`;
}

// ── Calendar ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Calendar {
  pis: DemoTrainPlan["pis"];
  /** The iteration of the first PI that contains today. */
  currentIteration: number;
  /** Today's first instant (UTC): the history is all before it. */
  cutoff: number;
}

function planCalendar(today: Date): Calendar {
  const todayMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const anchor = todayMs - FIRST_PI_STARTED_DAYS_AGO * DAY_MS;
  const daysSinceMonday = (new Date(anchor).getUTCDay() + 6) % 7;
  const firstStart = anchor - daysSinceMonday * DAY_MS;
  const piDays = ITERATION_DAYS * ITERATIONS_PER_PI;

  const pis: DemoTrainPlan["pis"] = [];
  for (let p = 0; p < PI_COUNT; p++) {
    const start = firstStart + p * piDays * DAY_MS;
    const iterations = [];
    for (let i = 0; i < ITERATIONS_PER_PI; i++) {
      const iterationStart = start + i * ITERATION_DAYS * DAY_MS;
      iterations.push({
        name: i === ITERATIONS_PER_PI - 1 ? "IP Iteration" : `Iteration ${i + 1}`,
        number: i + 1,
        startDate: isoDate(iterationStart),
        endDate: isoDate(iterationStart + (ITERATION_DAYS - 1) * DAY_MS),
      });
    }
    pis.push({ name: piName(start), startDate: isoDate(start), iterations });
  }
  const currentIteration = Math.floor((todayMs - firstStart) / (ITERATION_DAYS * DAY_MS)) + 1;
  return { pis, currentIteration, cutoff: todayMs };
}

/**
 * The PI just before `pi`: the same shape of iterations, ending the day before `pi` starts, named by the same rule.
 * The demo train's finished PI, whose stories, history and assessed objectives give it a track record.
 */
export function piBefore(pi: DemoPi): DemoPi {
  const start = Date.parse(`${pi.startDate}T00:00:00Z`) - ITERATION_DAYS * ITERATIONS_PER_PI * DAY_MS;
  const iterations = pi.iterations.map((iteration, i) => {
    const iterationStart = start + i * ITERATION_DAYS * DAY_MS;
    return {
      name: iteration.name,
      number: iteration.number,
      startDate: isoDate(iterationStart),
      endDate: isoDate(iterationStart + (ITERATION_DAYS - 1) * DAY_MS),
    };
  });
  return { name: piName(start), startDate: isoDate(start), iterations };
}

/** "PI 25.3": the year and which ten-week slot of that year the PI starts in. */
function piName(startMs: number): string {
  const start = new Date(startMs);
  const year = start.getUTCFullYear();
  const slot = Math.floor((startMs - Date.UTC(year, 0, 1)) / (ITERATION_DAYS * ITERATIONS_PER_PI * DAY_MS)) + 1;
  return `PI ${String(year % 100).padStart(2, "0")}.${slot}`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ── Program backlog ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Program backlog order: features in flight this PI, then the next PI's, then those in analysis, then the funnel,
 * with finished features last; within each group the teams take turns so the top of the backlog spans the train.
 */
function rankFeatures(features: readonly CatalogFeature[], random: Random): CatalogFeature[] {
  const group = (feature: CatalogFeature): number => {
    if (feature.state === "done") return 4;
    if (feature.horizon === "current") return 0;
    if (feature.horizon === "next") return 1;
    return feature.state === "analyzing" ? 2 : 3;
  };
  const ranked: CatalogFeature[] = [];
  for (let g = 0; g <= 4; g++) {
    const teamOrder = shuffle(
      random,
      DEMO_TEAMS.map((team) => team.key),
    );
    const queues = teamOrder.map((team) => features.filter((f) => group(f) === g && f.team === team));
    while (queues.some((queue) => queue.length > 0)) {
      for (const queue of queues) {
        const next = queue.shift();
        if (next) ranked.push(next);
      }
    }
  }
  return ranked;
}

function portfolioItem(
  item: CatalogItem,
  level: "epic" | "capability",
  ref: string,
  parent: string | undefined,
  owner: string,
): PlanItem {
  return {
    ref,
    level,
    type: item.type,
    ...(item.enablerKind ? { enablerKind: item.enablerKind } : {}),
    title: item.title,
    description: item.description,
    benefitHypothesis: item.benefitHypothesis,
    acceptanceCriteria: [...item.acceptanceCriteria],
    state: item.state,
    ...(parent ? { parent } : {}),
    labels: [...item.labels],
    owner,
  };
}

// ── WSJF scores ────────────────────────────────────────────────────────────────────────────────────────────────

type Weighted = ReadonlyArray<readonly [number, number]>;

/** Time criticality by horizon: this PI's work is urgent, the next PI's less so, later work hardly at all. */
const TIME_CRITICALITY: Record<CatalogFeature["horizon"], Weighted> = {
  current: [
    [5, 1],
    [8, 3],
    [13, 3],
    [20, 1],
  ],
  next: [
    [2, 1],
    [3, 2],
    [5, 3],
    [8, 2],
  ],
  later: [
    [1, 3],
    [2, 2],
    [3, 1],
  ],
};
const BUSINESS_VALUE: Record<"business" | "other", Weighted> = {
  business: [
    [3, 1],
    [5, 2],
    [8, 3],
    [13, 2],
    [20, 1],
  ],
  other: [
    [1, 2],
    [2, 2],
    [3, 2],
    [5, 1],
  ],
};
const RISK_REDUCTION: Record<"business" | "other", Weighted> = {
  business: [
    [1, 3],
    [2, 3],
    [3, 2],
    [5, 1],
  ],
  other: [
    [5, 1],
    [8, 2],
    [13, 2],
    [20, 1],
  ],
};
const JOB_SIZE: Weighted = [
  [1, 1],
  [2, 2],
  [3, 3],
  [5, 3],
  [8, 2],
  [13, 1],
  [20, 1],
];

/**
 * The features' WSJF inputs as the train estimated them: value by type (enablers reduce risk instead), urgency by
 * horizon, sizes spread over the scale, each column anchored at 1. Funnel features are not sized yet, and the first
 * feature in analysis still waits for its user-business value, so a few rows of the grid show what is missing. The
 * backlog's rank (by horizon) is not WSJF order, so applying it has something to do.
 */
function scoreFeatures(features: readonly PlanItem[], catalog: readonly CatalogFeature[], random: Random): PlanItem[] {
  const waitingForValue = catalog.find((f) => f.state === "analyzing")?.id;
  const scored = features.map((feature, i) => {
    const source = catalog[i] as CatalogFeature;
    const kind = source.type === "business" ? "business" : "other";
    return {
      ...feature,
      businessValue: source.id === waitingForValue ? null : weightedPick(random, BUSINESS_VALUE[kind]),
      timeCriticality: weightedPick(random, TIME_CRITICALITY[source.state === "done" ? "later" : source.horizon]),
      riskReduction: weightedPick(random, RISK_REDUCTION[kind]),
      jobSize: source.state === "funnel" ? null : weightedPick(random, JOB_SIZE),
    };
  });
  return anchorColumns(scored);
}

/** The economic view of ten features: Cost of Delay per week, urgency profile, duration (weeks), which PI's end is due. */
const ECONOMICS: {
  costOfDelayPerWeek: number;
  urgency: UrgencyProfile;
  durationWeeks: number;
  due?: { pi: number; iteration: "last" | number };
}[] = [
  { costOfDelayPerWeek: 24_000, urgency: "fixed_date", durationWeeks: 3, due: { pi: 0, iteration: "last" } },
  { costOfDelayPerWeek: 15_000, urgency: "standard", durationWeeks: 4 },
  { costOfDelayPerWeek: 40_000, urgency: "expedite", durationWeeks: 1.5 },
  { costOfDelayPerWeek: 9_000, urgency: "standard", durationWeeks: 2 },
  { costOfDelayPerWeek: 18_000, urgency: "fixed_date", durationWeeks: 5, due: { pi: 1, iteration: 3 } },
  { costOfDelayPerWeek: 2_000, urgency: "intangible", durationWeeks: 3 },
  { costOfDelayPerWeek: 12_000, urgency: "standard", durationWeeks: 6 },
  { costOfDelayPerWeek: 1_500, urgency: "intangible", durationWeeks: 2.5 },
  { costOfDelayPerWeek: 30_000, urgency: "fixed_date", durationWeeks: 8, due: { pi: 1, iteration: "last" } },
  { costOfDelayPerWeek: 6_000, urgency: "standard", durationWeeks: 1 },
];

/**
 * Gives the first ten features not yet done (in rank order) their economic view: a few fixed-date ones due at the end
 * of an iteration of the demo PIs, one to expedite, some intangible, the rest standard. Draws nothing from the
 * generator, so everything planned before stays the same.
 */
function priceFeatures(
  features: PlanItem[],
  catalog: readonly CatalogFeature[],
  pis: DemoTrainPlan["pis"],
): PlanItem[] {
  const open = features.filter((_, i) => catalog[i]?.state !== "done").slice(0, ECONOMICS.length);
  open.forEach((feature, n) => {
    const { due, ...economics } = ECONOMICS[n] as (typeof ECONOMICS)[number];
    const iterations = pis[due?.pi ?? 0]?.iterations ?? [];
    const iteration = due?.iteration === "last" ? iterations.at(-1) : iterations[(due?.iteration ?? 1) - 1];
    Object.assign(feature, { ...economics, fixedDate: due ? (iteration?.endDate ?? null) : null });
  });
  return features;
}

/** Epics and capabilities: all four inputs, larger jobs, each column anchored at 1. */
function scorePortfolio(items: readonly PlanItem[], random: Random): PlanItem[] {
  return anchorColumns(
    items.map((item) => {
      const kind = item.type === "business" ? "business" : "other";
      return {
        ...item,
        businessValue: weightedPick(random, BUSINESS_VALUE[kind]),
        timeCriticality: weightedPick(random, TIME_CRITICALITY.next),
        riskReduction: weightedPick(random, RISK_REDUCTION[kind]),
        jobSize: weightedPick(random, JOB_SIZE.slice(3)),
      };
    }),
  );
}

/** SAFe anchors each column at its smallest item: wherever a column's smallest estimate is not 1, it becomes 1. */
function anchorColumns(items: PlanItem[]): PlanItem[] {
  for (const input of ["businessValue", "timeCriticality", "riskReduction", "jobSize"] as const) {
    const given = items.filter((item) => typeof item[input] === "number");
    const smallest = Math.min(...given.map((item) => item[input] as number));
    const first = given.find((item) => item[input] === smallest);
    if (first && smallest !== 1) first[input] = 1;
  }
  return items;
}

// ── Team backlogs ──────────────────────────────────────────────────────────────────────────────────────────────

interface DraftStory {
  feature: CatalogFeature;
  /** Position of the story within its feature's stories. */
  index: number;
  featureRank: number;
  team: TeamKey;
  title: string;
  description: string;
  points: number;
  type: PlanItem["type"];
  enablerKind?: EnablerKind;
  labels: string[];
  criteria: string[];
  /** Iteration number within the current PI, or null when not planned in it. */
  iteration: number | null;
  state: StoryState;
}

interface StoryText {
  team: TeamKey;
  title: string;
  description: string;
  points: number;
  kind: StoryKind;
}

type StoryKind = "business" | "documentation" | "defect" | "debt" | "spike" | "architecture" | "userStory";

function draftStories(
  source: DemoSource,
  rankedFeatures: readonly CatalogFeature[],
  random: Random,
  currentIteration: number,
): DraftStory[] {
  const teamOfProject = new Map<string, TeamKey>();
  for (const team of DEMO_TEAMS) for (const project of team.projects) teamOfProject.set(project, team.key);
  const issuesByProject = new Map<string, SourceIssue[]>();
  for (const issue of source.issues) {
    if (!isUsableIssue(issue)) continue;
    const list = issuesByProject.get(issue.project) ?? [];
    list.push(issue);
    issuesByProject.set(issue.project, list);
  }
  const usedTitles = new Set<string>();

  // Catalog order decides which feature gets an issue that matches two features' themes.
  const texts = new Map<CatalogFeature, StoryText[]>();
  for (const feature of DEMO_FEATURES) {
    const base = STORIES_PER_FEATURE[feature.state];
    const wanted = base === 0 ? 0 : base + randomInt(random, -1, 1);
    const perSource = Math.ceil(wanted / feature.sources.length);
    const chosen: StoryText[] = [];
    for (const storySource of feature.sources) {
      const quota = Math.min(perSource, wanted - chosen.length);
      if (storySource.kind === "issues") {
        const pool = storySource.projects.flatMap((project) =>
          (issuesByProject.get(project) ?? []).filter((issue) => storySource.match.test(issue.title)),
        );
        let taken = 0;
        for (const issue of shuffle(random, pool)) {
          if (taken >= quota) break;
          if (usedTitles.has(issue.title)) continue;
          // Most real stories have a description; keep a few without, as real backlogs do.
          if (issue.description.length < 40 && random() > 0.15) continue;
          usedTitles.add(issue.title);
          taken++;
          chosen.push({
            team: teamOfProject.get(issue.project) ?? feature.team,
            title: issue.title,
            description: trimDescription(issue.description),
            points: roundToStoryScale(issue.points),
            kind: classifyIssue(issue.title),
          });
        }
      } else {
        const pool = source.userStories.filter((story) => storySource.match.test(story) && !usedTitles.has(story));
        for (const story of shuffle(random, pool).slice(0, quota)) {
          usedTitles.add(story);
          chosen.push({
            team: feature.team,
            title: story,
            description: "",
            points: weightedPick(random, [
              [1, 2],
              [2, 3],
              [3, 4],
              [5, 3],
              [8, 1],
            ]),
            kind: "userStory",
          });
        }
      }
    }
    texts.set(feature, chosen);
  }

  const placed = rankedFeatures.flatMap((feature, featureRank) =>
    (texts.get(feature) ?? []).map((text, index) => ({ feature, featureRank, text, index })),
  );
  const iterations = assignIterations(placed);
  return placed.map(({ feature, featureRank, text, index }, i) => {
    const iteration = iterations[i] ?? null;
    const kind = kindInfo(text.kind);
    const label = feature.labels[0] ?? feature.id;
    return {
      feature,
      index,
      featureRank,
      team: text.team,
      title: text.title,
      description: text.description,
      points: text.points,
      type: kind.type,
      ...(kind.enablerKind ? { enablerKind: kind.enablerKind } : {}),
      labels: text.kind === "spike" ? [label, "spike"] : [label],
      criteria: storyCriteria(random, text, feature),
      iteration,
      state: storyState(random, feature, iteration, currentIteration),
    };
  });
}

/**
 * Iterations of the current PI for the stories of its features: each story goes, within its feature's window, to the
 * iteration where its team has the fewest points so far, features that finish early placed first, so every team's
 * load is spread over the PI. Stories of features outside the current PI get null. Where a feature needs or provides
 * another team's work, its lead team's stories alone open (needing) or close (providing) it on the program board: the
 * other teams' stories of it join an iteration later, or finish an iteration earlier.
 */
function assignIterations(
  placed: ReadonlyArray<{ feature: CatalogFeature; featureRank: number; text: StoryText; index: number }>,
): Array<number | null> {
  const result: Array<number | null> = placed.map(() => null);
  const loads = new Map<TeamKey, number[]>();
  const providers = new Set(DEMO_FEATURES.flatMap((f) => f.dependsOn ?? []));
  // The iterations the lead team's stories of each feature span, once placed (they are placed before the others).
  const leads = new Map<CatalogFeature, [number, number]>();
  const windowFor = (feature: CatalogFeature, team: TeamKey): readonly [number, number] | undefined => {
    const window = windowOf(feature);
    const lead = leads.get(feature);
    if (!window || team === feature.team || !lead) return window;
    const first = feature.dependsOn?.length ? Math.max(window[0], lead[0] + 1) : window[0];
    const last = providers.has(feature.id) ? Math.min(window[1], lead[1] - 1) : window[1];
    return first <= last ? [first, last] : window;
  };
  const order = placed
    .map((entry, i) => ({ ...entry, i, window: windowOf(entry.feature), lead: entry.text.team === entry.feature.team }))
    .filter((entry) => entry.window !== undefined)
    .sort((a, b) =>
      compareKeys(
        [a.window?.[1] ?? 0, a.featureRank, a.lead ? 0 : 1, a.index],
        [b.window?.[1] ?? 0, b.featureRank, b.lead ? 0 : 1, b.index],
      ),
    );
  for (const entry of order) {
    const window = windowFor(entry.feature, entry.text.team);
    if (!window) continue;
    const load = loads.get(entry.text.team) ?? [0, 0, 0, 0, 0, 0];
    loads.set(entry.text.team, load);
    let best = window[0];
    for (let n = window[0]; n <= window[1]; n++) if ((load[n] ?? 0) < (load[best] ?? 0)) best = n;
    load[best] = (load[best] ?? 0) + entry.text.points;
    result[entry.i] = best;
    if (entry.lead) {
      const span = leads.get(entry.feature);
      leads.set(entry.feature, span ? [Math.min(span[0], best), Math.max(span[1], best)] : [best, best]);
    }
  }
  return result;
}

function windowOf(feature: CatalogFeature): readonly [number, number] | undefined {
  return feature.horizon === "current" ? ITERATION_WINDOW[feature.state] : undefined;
}

function isUsableIssue(issue: SourceIssue): boolean {
  return (
    issue.points > 0 &&
    issue.points <= 40 &&
    roundToStoryScale(issue.points) <= MAX_STORY_POINTS &&
    issue.title.length >= 12 &&
    issue.title.length <= 120
  );
}

function trimDescription(description: string): string {
  if (description.length <= MAX_DESCRIPTION_LENGTH) return description;
  const cut = description.slice(0, MAX_DESCRIPTION_LENGTH - 1);
  const lastSpace = cut.search(/\s\S*$/);
  return `${(lastSpace > MAX_DESCRIPTION_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

const SPIKE =
  /\bspike\b|^(investigate|research|evaluate|explore|prototype|assess|study)\b|^\w+: (investigate|compare|research)\b|\bpoc\b|proof of concept/i;
const DEBT =
  /flaky|^(refactor|clean ?up|cleanup|remove|drop|upgrade|migrate|rename|replace|deprecate|simplify|consolidate|move)\b|technical debt/i;
const DEFECT =
  /\b(fails?|failed|failing|failures?|crash(es|ed)?|errors?|exceptions?|npe|broken|bug|leaks?|wrong|incorrect(ly)?|doesn'?t|does not|don'?t|isn'?t|is not|cannot|can'?t|unable|can not|regression|hangs?|missing|not working|no longer)\b|^fix\b/i;
const ARCHITECTURE = /^design\b|design doc|architecture/i;
const DOCUMENTATION =
  /^(doc|docs|document|documentation|documented)\b|\b(user guide|getting started guide|reference guide|readme)\b/i;

function classifyIssue(title: string): StoryKind {
  if (SPIKE.test(title)) return "spike";
  if (DEBT.test(title)) return "debt";
  if (DEFECT.test(title)) return "defect";
  if (ARCHITECTURE.test(title)) return "architecture";
  if (DOCUMENTATION.test(title)) return "documentation";
  return "business";
}

function kindInfo(kind: StoryKind): { type: PlanItem["type"]; enablerKind?: EnablerKind } {
  switch (kind) {
    case "spike":
      return { type: "enabler", enablerKind: "exploration" };
    case "architecture":
      return { type: "enabler", enablerKind: "architecture" };
    case "defect":
      return { type: "defect" };
    case "debt":
      return { type: "debt" };
    default:
      return { type: "business" };
  }
}

function storyState(
  random: Random,
  feature: CatalogFeature,
  iteration: number | null,
  currentIteration: number,
): StoryState {
  if (iteration === null) {
    if (feature.horizon === "next") {
      return weightedPick<StoryState>(random, [
        ["ready", 35],
        ["refining", 40],
        ["new", 25],
      ]);
    }
    return weightedPick<StoryState>(random, [
      ["refining", 40],
      ["new", 60],
    ]);
  }
  if (feature.state === "done" || feature.state === "releasing" || feature.state === "deploying") return "accepted";
  if (iteration < currentIteration) return random() < 0.92 ? "accepted" : "done";
  if (feature.state === "validating") return random() < 0.5 ? "accepted" : "done";
  if (iteration === currentIteration) {
    return weightedPick<StoryState>(random, [
      ["in_progress", 40],
      ["done", 20],
      ["accepted", 15],
      ["ready", 25],
    ]);
  }
  // Iterations still to come are mostly refined already: enough for a Backlog Readiness Rate worth talking about.
  return weightedPick<StoryState>(random, [
    ["ready", 55],
    ["refining", 33],
    ["new", 12],
  ]);
}

/** Acceptance criteria for a story: one or more of its kind's, the first always a Given/When/Then. */
function storyCriteria(random: Random, text: StoryText, feature: CatalogFeature): string[] {
  const given = `Given ${feature.context}`;
  if (text.kind === "userStory") return userStoryCriteria(random, text.title);
  const pools: Record<Exclude<StoryKind, "userStory">, string[]> = {
    business: [
      pick(random, [
        `${given}, when the scenario in the description is run on the staging build, then the result is the one the description asks for.`,
        `${given}, when the Product Owner walks through "${text.title}" on staging, then every case named in the description behaves as described.`,
        `${given}, when the change is used as the description explains, then the outcome is visible without a restart or manual workaround.`,
      ]),
      `${given}, when a configuration written before this change is loaded, then it behaves as it did before.`,
      "An automated test for the new behaviour runs in CI and passes.",
      "The reference documentation describes the new behaviour with an example.",
    ],
    documentation: [
      `${given}, when a new team member follows the page step by step, then they reach the described result without asking for help.`,
      "Every command and example on the page has been run against the current release.",
      "The page is linked from the getting-started chapter.",
    ],
    defect: [
      `${given} and the steps to reproduce in the description, when the steps are repeated on the fixed build, then the reported failure does not occur.`,
      "A regression test that failed before the fix passes after it.",
      `${given}, when the same failure condition occurs, then the error message names the cause and the affected item.`,
    ],
    debt: [
      `${given}, when the change is merged, then the full test suite passes with no change to user-visible behaviour.`,
      "The code path being replaced is removed in the same change.",
      "No new compiler or deprecation warnings appear in the build output.",
    ],
    spike: [
      "Findings and a recommendation are written up and walked through with the team before the iteration ends.",
      `Follow-up stories are added under "${feature.title}" and estimated by the team.`,
      `The spike stops at its timebox of ${text.points} points; open questions are listed, not investigated further.`,
    ],
    architecture: [
      `${given}, when the proposed design is applied, then existing public APIs keep working unchanged.`,
      "A design document with the options considered and the chosen approach is reviewed by every team it affects.",
    ],
  };
  const [first = "", ...rest] = pools[text.kind];
  const count = randomInt(random, 1, Math.min(3, rest.length + 1));
  return [first, ...shuffle(random, rest).slice(0, count - 1)];
}

const USER_STORY = /^As an? ([^,]+?),? I want (?:to )?(.+?)(?:,? so that (.+?))?\.?$/i;

function userStoryCriteria(random: Random, story: string): string[] {
  const match = USER_STORY.exec(story);
  const role = match?.[1]?.trim() ?? "user";
  const goal = (match?.[2] ?? "use this function").replace(/^be able to /i, "").replace(/^be /i, "am ");
  const benefit = match?.[3]?.trim();
  const outcome = benefit ? lowerFirst(benefit) : "the result is saved and shown to the other users of the rulebase";
  const aRole = `${/^[aeiou]/i.test(role) ? "an" : "a"} ${role}`;
  const signingUp = /sign ?(up|in)|log ?in|register/i.test(goal);
  const given = signingUp ? `Given I am ${aRole} without an account` : `Given I am signed in as ${aRole}`;
  const criteria = [`${given}, when I ${goal}, then ${outcome}.`];
  if (random() < 0.6) {
    criteria.push(
      signingUp
        ? "An automated acceptance test covers this scenario and runs in CI."
        : `Given I am not signed in, when I try to ${goal}, then I am asked to sign in first.`,
    );
  }
  return criteria;
}

function lowerFirst(text: string): string {
  return /^I\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Team backlog order: the current iteration and the rest of the PI first, then unplanned stories by feature rank
 * (ready before refining before new), then finished iterations.
 */
function rankStories(drafts: readonly DraftStory[], currentIteration: number): DraftStory[] {
  const stateOrder: Record<StoryState, number> = {
    in_progress: 0,
    ready: 1,
    refining: 2,
    new: 3,
    done: 4,
    accepted: 5,
    split: 6,
  };
  const key = (story: DraftStory): number[] => {
    if (story.iteration === null) return [1, 0, story.featureRank, stateOrder[story.state], story.index];
    if (story.iteration >= currentIteration) return [0, story.iteration, story.featureRank, story.index, 0];
    return [2, story.iteration, story.featureRank, story.index, 0];
  };
  return [...drafts].sort((a, b) => compareKeys(key(a), key(b)));
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

// ── Dependencies, history, comments ────────────────────────────────────────────────────────────────────────────

type RankedStory = DraftStory & { ref: string };

const STORY_DEPENDENCIES = 6;

/** The catalog's feature dependencies, and for the first few of them a story of each side that carries it. */
function planDependencies(
  rankedFeatures: readonly CatalogFeature[],
  stories: readonly RankedStory[],
  refOf: (id: string) => string,
  random: Random,
): DemoTrainPlan["dependencies"] {
  const byId = new Map(rankedFeatures.map((feature) => [feature.id, feature]));
  const dependencies: DemoTrainPlan["dependencies"] = [];
  const storyDependencies: DemoTrainPlan["dependencies"] = [];
  for (const from of rankedFeatures) {
    for (const toId of from.dependsOn ?? []) {
      const to = byId.get(toId);
      if (!to || to.team === from.team) continue;
      dependencies.push({ from: refOf(from.id), to: refOf(to.id) });
      if (storyDependencies.length >= STORY_DEPENDENCIES) continue;
      const needing = stories.filter((s) => s.feature === from && s.team === from.team && s.state !== "accepted");
      const providing = stories.filter((s) => s.feature === to && s.team === to.team);
      const preferPlanned = (list: RankedStory[]) => {
        const planned = list.filter((story) => story.iteration !== null);
        return planned.length > 0 ? planned : list;
      };
      if (needing.length === 0 || providing.length === 0) continue;
      const fromStory = pick(random, preferPlanned(needing));
      const toStory = pick(random, preferPlanned(providing));
      storyDependencies.push({ from: fromStory.ref, to: toStory.ref });
    }
  }
  return [...dependencies, ...storyDependencies];
}

interface CommentInput {
  features: readonly PlanItem[];
  rankedFeatures: readonly CatalogFeature[];
  /** The current PI's stories and the backlog, as they end after the history. */
  stories: readonly RankedStory[];
  /** Moves back for rework in the current PI, in time order. */
  reworks: ReadonlyArray<{ item: string; at: string; reason: ReworkReason }>;
  history: readonly HistoryEntry[];
  dependencies: DemoTrainPlan["dependencies"];
  currentPiName: string;
  nextPiName: string;
  random: Random;
}

/** A planned comment: at `after` (just after the change it answers), or at a time `dateComments` gives it. */
type PlannedComment = { item: string; author: string; body: string; after?: string };

/** What the Product Owner says when moving a story back, by the reason. */
const REWORK_COMMENTS: Record<ReworkReason, string> = {
  unclear_criteria:
    "Moving this back to in progress: on staging the second scenario fails. We accepted it too early; let's add that scenario as a criterion.",
  defect:
    "Moving this back: it fails on staging with the production configuration. Please add the regression test with the fix.",
  inadequate_refinement:
    "Moving this back: existing data needs migrating too. Let's walk through the data at refinement next time.",
  changed_requirement:
    "Moving this back after the System Demo: the Business Owners want archived items included. Scope agreed with the team.",
  other: "Moving this back so we can pair on the review comments before it ships.",
};

/** About thirty comments in the voices of the train's roles, each tied to what the item shows. */
function planComments(input: CommentInput): PlannedComment[] {
  const { features, rankedFeatures, stories, reworks, history, dependencies, currentPiName, nextPiName, random } =
    input;
  const comments: PlannedComment[] = [];
  const lastEntry = new Map<string, HistoryEntry>();
  for (const entry of history) if (entry.state !== undefined) lastEntry.set(`${entry.item} ${entry.state}`, entry);
  const when = (item: string, state: string) => lastEntry.get(`${item} ${state}`)?.at;
  const pm = personWithRole("product_manager");
  const rte = personWithRole("release_train_engineer");
  const bo = personWithRole("business_owner");
  const teamName = (key: string) => DEMO_TEAMS.find((team) => team.key === key)?.name ?? key;
  const featureByRef = new Map(features.map((item, i) => [item.ref, { item, catalog: rankedFeatures[i] }]));
  const storyByRef = new Map(stories.map((story) => [story.ref, story]));
  const say = (item: string, author: { email: string }, body: string, after?: string) =>
    comments.push({ item, author: author.email, body, ...(after ? { after } : {}) });

  for (const dependency of dependencies.slice(0, 5)) {
    const from = featureByRef.get(dependency.from);
    const to = featureByRef.get(dependency.to);
    if (from?.catalog && to?.catalog) {
      say(
        dependency.from,
        rte,
        `On the program board: ${teamName(from.catalog.team)} needs "${to.item.title}" from ${teamName(to.catalog.team)} ` +
          "before they can finish this. Please raise it at the ART sync if the date moves.",
      );
    }
    const fromStory = storyByRef.get(dependency.from);
    const toStory = storyByRef.get(dependency.to);
    if (fromStory && toStory) {
      const neededBy = fromStory.iteration === null ? `in ${nextPiName}` : `by Iteration ${fromStory.iteration}`;
      say(
        dependency.to,
        rte,
        `${teamName(fromStory.team)} needs this ${neededBy} for ${fromStory.ref}; it is a string on the program board.`,
      );
    }
  }

  const inFlight = features.filter((f) => f.pi === currentPiName && f.state === "implementing");
  for (const feature of inFlight.slice(0, 2)) {
    say(
      feature.ref,
      bo,
      "Two of our largest customers named this at the last quarterly review, so time criticality stays high for us. " +
        "I will score it that way at the WSJF session.",
    );
  }
  for (const feature of features.filter((f) => f.pi === nextPiName).slice(0, 3)) {
    say(
      feature.ref,
      pm,
      `Benefit hypothesis reviewed with the Business Owners. Teams, please bring job-size estimates to the WSJF session before ${nextPiName} planning.`,
    );
  }
  for (const feature of features.filter((f) => f.state === "analyzing").slice(0, 2)) {
    say(
      feature.ref,
      pm,
      `Lean business case drafted. Waiting for the usage numbers from ${currentPiName} before this moves to the backlog.`,
    );
  }
  for (const feature of inFlight.slice(2, 4)) {
    const lead = featureByRef.get(feature.ref)?.catalog?.team ?? "";
    say(
      feature.ref,
      productOwnerOf(lead),
      `Feature workshop held with ${teamName(lead)}: the first stories are split and estimated; the rest wait for the spike.`,
    );
  }

  const reworked = new Set<string>();
  for (const rework of reworks) {
    const story = storyByRef.get(rework.item);
    if (!story || reworked.has(story.ref) || reworked.size >= 4) continue;
    reworked.add(story.ref);
    say(story.ref, productOwnerOf(story.team), REWORK_COMMENTS[rework.reason], rework.at);
  }

  const sample = (filter: (story: RankedStory) => boolean, count: number) =>
    shuffle(random, stories.filter(filter)).slice(0, count);
  for (const story of sample((s) => s.type === "defect" && s.state === "in_progress", 3)) {
    say(
      story.ref,
      memberOf(story.team),
      "Reproduced on the current build; the steps in the description still apply. Fix in review.",
      when(story.ref, "in_progress"),
    );
  }
  for (const story of sample((s) => s.description === "" && (s.state === "new" || s.state === "refining"), 3)) {
    say(
      story.ref,
      productOwnerOf(story.team),
      "Before this goes to iteration planning, can we write down what done looks like? The title alone leaves the expected result open.",
    );
  }
  for (const story of sample((s) => s.points >= 8 && (s.state === "ready" || s.state === "refining"), 3)) {
    say(
      story.ref,
      memberOf(story.team),
      `This looks bigger than ${story.points} points once you read the description. Could we split it by workflow step, so the first step ships on its own?`,
    );
  }
  for (const story of sample((s) => s.enablerKind === "exploration" && s.state === "accepted", 2)) {
    say(
      story.ref,
      memberOf(story.team),
      "Findings are in the team wiki; follow-up stories are added under the same feature.",
      when(story.ref, "accepted"),
    );
  }
  for (const story of sample((s) => s.state === "accepted" && s.iteration !== null && !reworked.has(s.ref), 3)) {
    say(
      story.ref,
      productOwnerOf(story.team),
      `Accepted at the Iteration ${story.iteration} review after the demo on staging.`,
      when(story.ref, "accepted"),
    );
  }
  return comments;
}

// ── The finished PI and the history ────────────────────────────────────────────────────────────────────────────

/**
 * The finished PI's stories: for each team's finished feature, 6–8 stories in each of its development iterations,
 * drawn from real issues no other story uses, their points adding up to about what the team plans per iteration in
 * the current PI, varying by ±20 % from one iteration to the next. They end accepted; the history gets them there.
 */
function planFinishedStories(
  source: DemoSource,
  pi: DemoPi,
  taken: readonly RankedStory[],
  refOf: (id: string) => string,
  random: Random,
  refOffset: number,
): PlanItem[] {
  const usedTitles = new Set(taken.map((story) => story.title));
  const stories: PlanItem[] = [];
  for (const feature of FINISHED_FEATURES) {
    const pool: SourceIssue[] = [];
    for (const storySource of feature.sources) {
      if (storySource.kind !== "issues") continue;
      const matching = source.issues.filter(
        (issue) =>
          storySource.projects.includes(issue.project) &&
          storySource.match.test(issue.title) &&
          isUsableIssue(issue) &&
          issue.description.length >= 40,
      );
      pool.push(...shuffle(random, matching));
    }
    const planned = taken.filter((story) => story.team === feature.team && story.iteration !== null);
    const iterations = new Set(planned.map((story) => story.iteration)).size;
    const load = planned.reduce((sum, story) => sum + story.points, 0) / Math.max(1, iterations);
    const velocity = Math.max(15, Math.round(load * (0.85 + 0.15 * random())));
    const label = feature.labels[0] ?? feature.id;
    for (const iteration of pi.iterations.slice(0, -1)) {
      const target = Math.round(velocity * (0.8 + 0.4 * random()));
      let count = 0;
      let points = 0;
      while (pool.length > 0 && (count < FINISHED_STORIES[0] || (points < target && count < FINISHED_STORIES[1]))) {
        // Of the next few issues, the one whose size best fits what the iteration still has room for.
        const wanted = (target - points) / Math.max(1, FINISHED_STORIES[0] + 1 - count);
        const window = pool.slice(0, 30);
        const issue = window.reduce((a, b) =>
          Math.abs(roundToStoryScale(b.points) - wanted) < Math.abs(roundToStoryScale(a.points) - wanted) ? b : a,
        );
        pool.splice(pool.indexOf(issue), 1);
        if (usedTitles.has(issue.title)) continue;
        usedTitles.add(issue.title);
        const text: StoryText = {
          team: feature.team,
          title: issue.title,
          description: trimDescription(issue.description),
          points: roundToStoryScale(issue.points),
          kind: classifyIssue(issue.title),
        };
        count++;
        points += text.points;
        const kind = kindInfo(text.kind);
        stories.push({
          ref: `S${refOffset + stories.length + 1}`,
          level: "story",
          type: kind.type,
          ...(kind.enablerKind ? { enablerKind: kind.enablerKind } : {}),
          title: text.title,
          description: text.description,
          acceptanceCriteria: storyCriteria(random, text, feature),
          state: "accepted",
          parent: refOf(feature.id),
          team: text.team,
          pi: pi.name,
          iteration: iterationRef(pi.name, iteration.number),
          points: text.points,
          labels: text.kind === "spike" ? [label, "spike"] : [label],
          owner: memberOf(text.team).email,
        });
      }
    }
  }
  return stories;
}

interface HistoryInput {
  calendar: Calendar;
  finishedPi: DemoPi;
  storyItems: PlanItem[];
  finishedStories: readonly PlanItem[];
  features: PlanItem[];
  dependencies: DemoTrainPlan["dependencies"];
  random: Random;
}

/**
 * The train's history in time order: every story of an iteration that has started, in the finished PI and the
 * current one, from planned to its final state (see `planIterationHistory`); the finished PI's features from the
 * backlog into implementation at its start and to done once their last story is accepted; and one feature of each
 * later column of the ART Kanban moved on during the running iteration. Items are created where their history
 * starts (stories ready, joining their iteration late ones outside it).
 */
function planHistory(input: HistoryInput): {
  history: HistoryEntry[];
  reworks: Array<{ item: string; at: string; reason: ReworkReason }>;
} {
  const { calendar, finishedPi, storyItems, finishedStories, features, dependencies, random } = input;
  const current = calendar.pis[0] as DemoPi;
  const development = (pi: DemoPi) =>
    pi.iterations.slice(0, -1).map((it) => ({
      ref: iterationRef(pi.name, it.number),
      startDate: it.startDate,
      endDate: it.endDate,
    }));
  const iterations = [...development(finishedPi), ...development(current)].filter(
    (it) => Date.parse(`${it.startDate}T00:00:00Z`) < calendar.cutoff,
  );
  const started = new Set(iterations.map((it) => it.ref));
  const items = [...storyItems, ...finishedStories];
  // Dependencies keep their ends where the program board shows them: their stories, and their features' stories.
  const ends = new Set(dependencies.flatMap((d) => [d.from, d.to]));
  const fixed = new Set(items.filter((s) => ends.has(s.ref) || ends.has(s.parent ?? "")).map((s) => s.ref));
  const { history, created, reworks } = planIterationHistory(
    {
      iterations,
      stories: items
        .filter((item) => item.iteration && started.has(item.iteration))
        .map((item) => ({
          ref: item.ref,
          team: item.team as string,
          points: item.points ?? 0,
          iteration: item.iteration as string,
          final: item.state as StoryState,
          fixed: fixed.has(item.ref),
        })),
      cutoff: calendar.cutoff,
      memberOf: (team) => memberOf(team).email,
      productOwnerOf: (team) => productOwnerOf(team).email,
      blockers: blockersOf,
    },
    random,
  );
  const byRef = new Map(items.map((item) => [item.ref, item]));
  for (const [ref, start] of created) {
    const item = byRef.get(ref);
    if (!item) continue;
    item.state = start.state;
    item.iteration = start.iteration;
    if (start.iteration === null) delete item.pi;
  }

  const pm = personWithRole("product_manager").email;
  const at = (ms: number) => new Date(Math.min(ms, calendar.cutoff - 60_000)).toISOString();
  const entries: HistoryEntry[] = [];
  const lastAccepted = new Map<string, number>();
  for (const entry of history) {
    const parent = byRef.get(entry.item)?.parent;
    if (entry.state === "accepted" && parent) lastAccepted.set(parent, Date.parse(entry.at));
  }
  const systemDemo = Date.parse(`${finishedPi.iterations.at(-1)?.startDate}T15:00:00Z`) + DAY_MS;
  for (const feature of features.filter((f) => f.pi === finishedPi.name)) {
    feature.state = "backlog";
    entries.push(
      { item: feature.ref, actor: pm, at: `${finishedPi.startDate}T10:00:00.000Z`, state: "implementing" },
      {
        item: feature.ref,
        actor: pm,
        at: at(Math.max(systemDemo, (lastAccepted.get(feature.ref) ?? 0) + 2 * HOUR_MS)),
        state: "done",
      },
    );
  }
  const running = current.iterations[calendar.currentIteration - 1] ?? current.iterations[0];
  const movedKinds = new Set<string>();
  for (const feature of features) {
    const previous = PREVIOUS_FEATURE_STATE[feature.state as FeatureState];
    if (!previous || movedKinds.has(feature.state) || feature.pi === finishedPi.name) continue;
    movedKinds.add(feature.state);
    const day = Date.parse(`${running?.startDate}T15:00:00Z`) + movedKinds.size * DAY_MS;
    entries.push({ item: feature.ref, actor: pm, at: at(day), state: feature.state });
    feature.state = previous;
  }
  return { history: [...history, ...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)), reworks };
}

/** What a blocked story of a team waits on: another team, the customer, an environment, a review, a vendor. */
function blockersOf(team: string): string[] {
  const others = DEMO_TEAMS.filter((t) => t.key !== team).map((t) => t.name);
  return [
    `Waiting on ${others[0]} to deploy their API change to staging`,
    `Waiting on ${others[2]} to review the interface change`,
    "Waiting for test data from the pilot customer",
    "The staging environment is down after the database upgrade",
    "Waiting on the security review of the new endpoint",
    "Waiting for the vendor's sandbox credentials",
  ];
}

/** Brings the current PI's drafts to where their history leaves them (state and iteration), for the comments. */
function settleDrafts(
  stories: RankedStory[],
  items: readonly PlanItem[],
  history: readonly HistoryEntry[],
  pi: string,
) {
  const byRef = new Map(items.map((item) => [item.ref, item]));
  const finals = new Map<string, { state?: string; iteration?: string | null }>();
  for (const entry of history) {
    const final = finals.get(entry.item) ?? {};
    if (entry.state !== undefined) final.state = entry.state;
    if (entry.iteration !== undefined) final.iteration = entry.iteration;
    finals.set(entry.item, final);
  }
  for (const story of stories) {
    const item = byRef.get(story.ref);
    const final = finals.get(story.ref) ?? {};
    story.state = (final.state ?? item?.state ?? story.state) as StoryState;
    const iteration = final.iteration !== undefined ? final.iteration : (item?.iteration ?? null);
    story.iteration = iteration?.startsWith(`${pi}/`) ? Number(iteration.slice(pi.length + 1)) : null;
  }
}

/**
 * Gives each comment its instant: just after the change it answers, or else spread evenly over the working hours
 * (9:00 to 17:00 UTC, Monday to Friday) from the current PI's first day to the day before today.
 */
function dateComments(comments: readonly PlannedComment[], from: string, cutoff: number): DemoTrainPlan["comments"] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.max(1, Math.floor((cutoff - start) / DAY_MS));
  const loose = comments.filter((c) => !c.after).length;
  let n = 0;
  return comments.map(({ after, ...comment }) => {
    let ms: number;
    if (after) ms = Math.min(Date.parse(after) + 20 * 60_000, cutoff - 60_000);
    else {
      const position = (++n / (loose + 1)) * days;
      let day = start + Math.floor(position) * DAY_MS;
      const weekday = new Date(day).getUTCDay();
      if (weekday === 6) day -= DAY_MS;
      if (weekday === 0) day -= 2 * DAY_MS;
      ms = Math.max(start, day) + (9 + (position % 1) * 8) * HOUR_MS;
    }
    return { ...comment, at: new Date(Math.floor(ms / 60_000) * 60_000).toISOString() };
  });
}

// ── People ─────────────────────────────────────────────────────────────────────────────────────────────────────

function personWithRole(role: DemoRole): { name: string; email: string } {
  const person = DEMO_PEOPLE.find((p) => p.role === role);
  if (!person) throw new Error(`The demo catalog has no ${role}.`);
  return person;
}

function memberOf(team: string): { name: string; email: string } {
  return (
    DEMO_PEOPLE.find((p) => p.role === "team_member" && p.teams.some((t) => t === team)) ??
    personWithRole("team_member")
  );
}

function productOwnerOf(team: string): { name: string; email: string } {
  return (
    DEMO_PEOPLE.find((p) => p.role === "product_owner" && p.teams.some((t) => t === team)) ??
    personWithRole("product_owner")
  );
}

function isStarted(state: string): boolean {
  return state === "in_progress" || state === "done" || state === "accepted";
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
