// Plans the demo release train: a pure function from the real source data (Jira issues, user stories), a seeded
// random generator and today's date to the ART's teams, people, PIs, portfolio and program backlog, team backlogs,
// dependencies, comments and state history. Writing the plan to a database is someone else's job; this module
// does no I/O and reads no clock, so the same seed and date always give the same train.

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
  type TeamKey,
} from "./demo-catalog.js";
import type { DemoSource, SourceIssue } from "./demo-source.js";

/** Feature, capability and epic states (the ART Kanban), and story states, as the core defines them. */
export {
  PROGRAM_STATES as FEATURE_STATES,
  WORKFLOW_STORY_STATES as STORY_STATES,
} from "../core/work-item.js";

import type { UrgencyProfile } from "../core/economics.js";
import type { StoryState } from "../core/work-item.js";

export type { StoryState };

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
  /** For stories: "<PI name>/<iteration number>" when planned in the current PI, null otherwise. */
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

export interface DemoTrainPlan {
  art: { key: string; name: string };
  teams: Array<{ key: string; name: string }>;
  /** `teams` lists the team keys a Product Owner or team member works with (empty for train-level roles). */
  people: Array<{ name: string; email: string; role: string; teams: string[] }>;
  pis: Array<{
    name: string;
    startDate: string;
    iterations: Array<{ name: string; number: number; startDate: string; endDate: string }>;
  }>;
  epics: PlanItem[];
  capabilities: PlanItem[];
  features: PlanItem[];
  stories: PlanItem[];
  /** "from depends on to", between items of different teams. */
  dependencies: Array<{ from: string; to: string }>;
  comments: Array<{ item: string; author: string; body: string }>;
  /**
   * State transitions to replay, in order, after every item is created in its `state`. An item's current state is
   * the last entry for it here, or its `state` when it has none (see `finalStates`). Includes rework: stories moved
   * from accepted back to in_progress.
   */
  history: Array<{ item: string; actor: string; state: string }>;
}

type Random = () => number;

const DAY_MS = 86_400_000;
const ITERATION_DAYS = 14;
const ITERATIONS_PER_PI = 5;
const PI_COUNT = 2;
/** The first PI starts on the Monday on or before this many days ago, which puts today in its third iteration. */
const FIRST_PI_STARTED_DAYS_AGO = 35;
const HISTORY_TARGET = 50;

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
 * PI started about five weeks before `today`, so today falls in its third iteration.
 *
 * @example
 * const plan = planDemoTrain(await loadDemoSource(defaultDataDir()), mulberry32(7), new Date());
 */
export function planDemoTrain(source: DemoSource, random: Random, today: Date): DemoTrainPlan {
  const calendar = planCalendar(today);
  const currentPi = calendar.pis[0];
  const nextPi = calendar.pis[1];
  if (!currentPi || !nextPi) throw new Error("The calendar must have two PIs.");

  const rankedFeatures = rankFeatures(DEMO_FEATURES, random);
  const refs = new Map<string, string>([
    ...DEMO_EPICS.map((epic, i) => [epic.id, `E${i + 1}`] as const),
    ...DEMO_CAPABILITIES.map((capability, i) => [capability.id, `C${i + 1}`] as const),
    ...rankedFeatures.map((feature, i) => [feature.id, `F${i + 1}`] as const),
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

  const features: PlanItem[] = rankedFeatures.map((feature) => {
    const storyTeams = stories.filter((story) => story.feature === feature).map((story) => story.team);
    const pi = feature.horizon === "current" ? currentPi.name : feature.horizon === "next" ? nextPi.name : undefined;
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
  const { history, reworked } = planHistory(features, storyItems, stories, calendar.currentIteration, random);
  const comments = planComments({
    features,
    rankedFeatures,
    stories,
    reworked,
    dependencies,
    nextPiName: nextPi.name,
    currentPiName: currentPi.name,
    random,
  });

  // Scored last, so the scores draw on the generator without changing anything planned before them.
  const scoredFeatures = priceFeatures(scoreFeatures(features, rankedFeatures, random), rankedFeatures, calendar.pis);

  return {
    art: { ...DEMO_ART },
    teams: DEMO_TEAMS.map((team) => ({ key: team.key, name: team.name })),
    people: DEMO_PEOPLE.map((person) => ({ ...person, teams: [...person.teams] })),
    pis: calendar.pis,
    epics: scorePortfolio(epics, random),
    capabilities: scorePortfolio(capabilities, random),
    features: scoredFeatures,
    stories: storyItems,
    dependencies,
    comments,
    history,
  };
}

/** Each item's state after `history` is replayed on top of the states the items are created in. */
export function finalStates(plan: DemoTrainPlan): Map<string, string> {
  const states = new Map<string, string>();
  for (const item of [...plan.epics, ...plan.capabilities, ...plan.features, ...plan.stories]) {
    states.set(item.ref, item.state);
  }
  for (const entry of plan.history) states.set(entry.item, entry.state);
  return states;
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
  return { pis, currentIteration };
}

/**
 * The PI just before `pi`: the same shape of iterations, ending the day before `pi` starts, named by the same rule.
 * The demo's planning data (objectives with actual business value) gives the train one finished PI.
 */
export function piBefore(pi: DemoTrainPlan["pis"][number]): DemoTrainPlan["pis"][number] {
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
 * load is spread over the PI. Stories of features outside the current PI get null.
 */
function assignIterations(
  placed: ReadonlyArray<{ feature: CatalogFeature; featureRank: number; text: StoryText; index: number }>,
): Array<number | null> {
  const result: Array<number | null> = placed.map(() => null);
  const loads = new Map<TeamKey, number[]>();
  const order = placed
    .map((entry, i) => ({ ...entry, i, window: windowOf(entry.feature) }))
    .filter((entry) => entry.window !== undefined)
    .sort((a, b) =>
      compareKeys([a.window?.[1] ?? 0, a.featureRank, a.index], [b.window?.[1] ?? 0, b.featureRank, b.index]),
    );
  for (const entry of order) {
    if (!entry.window) continue;
    const load = loads.get(entry.text.team) ?? [0, 0, 0, 0, 0, 0];
    loads.set(entry.text.team, load);
    let best = entry.window[0];
    for (let n = entry.window[0]; n <= entry.window[1]; n++) if ((load[n] ?? 0) < (load[best] ?? 0)) best = n;
    load[best] = (load[best] ?? 0) + entry.text.points;
    result[entry.i] = best;
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
  return random() < 0.75 ? "ready" : "refining";
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

/**
 * About fifty transitions: features moving one column right, a few stories reworked after acceptance, and this
 * iteration's stories moving from ready towards accepted. Items that get history are created one step earlier.
 */
function planHistory(
  features: PlanItem[],
  storyItems: PlanItem[],
  stories: readonly RankedStory[],
  currentIteration: number,
  random: Random,
): { history: DemoTrainPlan["history"]; reworked: Set<string> } {
  const history: DemoTrainPlan["history"] = [];
  const pm = personWithRole("product_manager");

  const movedKinds = new Set<string>();
  for (const feature of features) {
    const previous = PREVIOUS_FEATURE_STATE[feature.state as FeatureState];
    if (!previous || movedKinds.has(feature.state)) continue;
    movedKinds.add(feature.state);
    history.push({ item: feature.ref, actor: pm.email, state: feature.state });
    feature.state = previous;
  }

  const itemOf = new Map(storyItems.map((item) => [item.ref, item]));
  const accepted = (past: boolean) =>
    shuffle(
      random,
      stories.filter(
        (s) =>
          s.state === "accepted" &&
          s.iteration !== null &&
          (past ? s.iteration < currentIteration : s.iteration === currentIteration),
      ),
    );
  const reworked = new Set<string>();
  for (const story of accepted(true).slice(0, 2)) {
    reworked.add(story.ref);
    history.push(
      { item: story.ref, actor: memberOf(story.team).email, state: "in_progress" },
      { item: story.ref, actor: memberOf(story.team).email, state: "done" },
      { item: story.ref, actor: productOwnerOf(story.team).email, state: "accepted" },
    );
  }
  for (const story of accepted(false).slice(0, 2)) {
    reworked.add(story.ref);
    history.push({ item: story.ref, actor: memberOf(story.team).email, state: "in_progress" });
    const item = itemOf.get(story.ref);
    if (item) item.owner = memberOf(story.team).email;
  }

  const progressing = shuffle(
    random,
    stories.filter((s) => s.iteration === currentIteration && isStarted(s.state) && !reworked.has(s.ref)),
  );
  for (const story of progressing) {
    if (history.length >= HISTORY_TARGET) break;
    const steps: StoryState[] =
      story.state === "in_progress"
        ? ["in_progress"]
        : story.state === "done"
          ? ["in_progress", "done"]
          : ["in_progress", "done", "accepted"];
    for (const state of steps) {
      const actor = state === "accepted" ? productOwnerOf(story.team) : memberOf(story.team);
      history.push({ item: story.ref, actor: actor.email, state });
    }
    const item = itemOf.get(story.ref);
    if (item) item.state = "ready";
  }
  return { history, reworked };
}

interface CommentInput {
  features: readonly PlanItem[];
  rankedFeatures: readonly CatalogFeature[];
  stories: readonly RankedStory[];
  reworked: ReadonlySet<string>;
  dependencies: DemoTrainPlan["dependencies"];
  currentPiName: string;
  nextPiName: string;
  random: Random;
}

/** About thirty comments in the voices of the train's roles, each tied to what the item shows. */
function planComments(input: CommentInput): DemoTrainPlan["comments"] {
  const { features, rankedFeatures, stories, reworked, dependencies, currentPiName, nextPiName, random } = input;
  const comments: DemoTrainPlan["comments"] = [];
  const pm = personWithRole("product_manager");
  const rte = personWithRole("release_train_engineer");
  const bo = personWithRole("business_owner");
  const teamName = (key: string) => DEMO_TEAMS.find((team) => team.key === key)?.name ?? key;
  const featureByRef = new Map(features.map((item, i) => [item.ref, { item, catalog: rankedFeatures[i] }]));
  const storyByRef = new Map(stories.map((story) => [story.ref, story]));
  const say = (item: string, author: { email: string }, body: string) =>
    comments.push({ item, author: author.email, body });

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

  for (const ref of reworked) {
    const story = storyByRef.get(ref);
    if (story) {
      say(
        ref,
        productOwnerOf(story.team),
        "Moving this back to in progress: on staging the second scenario fails. We accepted it too early; let's add that scenario as a criterion.",
      );
    }
  }

  const sample = (filter: (story: RankedStory) => boolean, count: number) =>
    shuffle(random, stories.filter(filter)).slice(0, count);
  for (const story of sample((s) => s.type === "defect" && s.state === "in_progress", 3)) {
    say(
      story.ref,
      memberOf(story.team),
      "Reproduced on the current build; the steps in the description still apply. Fix in review.",
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
    );
  }
  for (const story of sample((s) => s.state === "accepted" && s.iteration !== null && !reworked.has(s.ref), 3)) {
    say(
      story.ref,
      productOwnerOf(story.team),
      `Accepted at the Iteration ${story.iteration} review after the demo on staging.`,
    );
  }
  return comments;
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

// ── Seeded choices ─────────────────────────────────────────────────────────────────────────────────────────────

function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = a;
  }
  return copy;
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("Cannot pick from an empty list.");
  return item;
}

function weightedPick<T>(random: Random, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll < 0) return value;
  }
  const last = options.at(-1);
  if (!last) throw new Error("Cannot pick from no options.");
  return last[0];
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
