// The PI planning benchmark (issue 6): two trains of the same 10 teams, each with a PI of five development iterations
// and an IP one. The board train's PI holds 200 features with 2,000 stories planned into its iterations, capacities,
// 300 dependencies (mostly across teams) and milestones: its program board is read over HTTP (p95 ≤ 150 ms). The
// proposal train's PI holds 200 features with 5,000 candidate stories and 300 dependencies under a 70/20/10
// allocation: the plan proposal is asked for over HTTP and computed in process by `proposePlan` (each ≤ 1 s). Each
// train holds only its own PI, so neither measurement reads the other's items. Written through the use cases.
import { operator } from "../src/core/permissions.js";
import { type PlanInput, type PlanStory, proposePlan } from "../src/core/plan-proposal.js";
import { LIMITS } from "../src/core/work-item.js";
import type { DemoSource, SourceIssue } from "../src/demo/demo-source.js";
import { weightedPick } from "../src/demo/seeded-random.js";
import { createItems } from "../src/use-cases/create-items.js";
import { changeDependency, createDependency } from "../src/use-cases/dependencies.js";
import type { Deps } from "../src/use-cases/deps.js";
import type { CreateItemInput } from "../src/use-cases/item-input.js";
import { addMilestone, updatePi } from "../src/use-cases/pi-settings.js";
import { addPerson, addProgramIncrement, createTrain } from "../src/use-cases/set-up-train.js";
import { setCapacity } from "../src/use-cases/team-capacity.js";
import { type LatencySummary, summarize } from "./stats.js";

export const PLANNING_BUDGET = { boardP95Ms: 150, proposalP95Ms: 1000, proposePlanP95Ms: 1000 };

export interface PlanningShape {
  teams: number;
  /** Development iterations per PI (an IP iteration follows). */
  iterations: number;
  /** Features of each PI. */
  features: number;
  /** Stories of the board's PI, all planned into its development iterations. */
  boardStories: number;
  /** Stories of the proposal's PI: the candidates the planner places. */
  candidateStories: number;
  /** Dependencies per PI. */
  dependencies: number;
}

export const PLANNING_TRAIN: PlanningShape = {
  teams: 10,
  iterations: 5,
  features: 200,
  boardStories: 2_000,
  candidateStories: 5_000,
  dependencies: 300,
};

/** The two trains' keys. */
export const PLANNING_ARTS = { board: "BOARD", proposal: "PROPOSE" } as const;
const TEAM_NAMES = ["Atlas", "Borealis", "Comet", "Dynamo", "Eclipse", "Falcon", "Gemini", "Helios", "Ion", "Juno"];
const POINTS = [1, 2, 3, 3, 5, 5, 5, 8, 8, 13];
const STORY_TYPES = [
  ["business", 70],
  ["enabler", 15],
  ["defect", 10],
  ["debt", 5],
] as const;
const MEMBERS = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatma", "Gus", "Hiro"];

/** A dependency between two items of the plan, by level and index. */
export interface PlannedDependency {
  level: "feature" | "story";
  consumer: number;
  provider: number;
  needed: string;
  /** "PI name/number" or null. */
  neededBy: string | null;
  /** Committed to this iteration ("PI name/number"), or still requested. */
  committedTo: string | null;
}

export interface PlanningPi {
  art: { key: string; name: string };
  name: string;
  startDate: string;
  features: CreateItemInput[];
  /** `parentIndex` points into this PI's features. */
  stories: (CreateItemInput & { parentIndex: number })[];
  dependencies: PlannedDependency[];
  /** Per team key and iteration number: points, or people. */
  capacity: {
    team: string;
    iteration: number;
    points: number | null;
    members: { name: string; availability: number; daysOff: number }[];
  }[];
  milestones: { name: string; date: string }[];
}

export interface PlanningTrainPlan {
  teams: { key: string; name: string }[];
  board: PlanningPi;
  proposal: PlanningPi;
}

/**
 * Plans the planning benchmark's train from real issue text; both PIs start after `today`, so every iteration is open
 * to the planner. The same source, shape, random sequence and date always give the same plan.
 */
export function planPlanningTrain(
  source: DemoSource,
  shape: PlanningShape,
  random: () => number,
  today: Date,
): PlanningTrainPlan {
  if (source.issues.length === 0) throw new Error("the data directory has no story-points issues");
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let next = Math.floor(random() * source.issues.length);
  const issue = (): SourceIssue => source.issues[next++ % source.issues.length] as SourceIssue;
  const teams = Array.from({ length: shape.teams }, (_, i) => {
    const name = TEAM_NAMES[i] ?? `Team ${i + 1}`;
    return { key: name.toUpperCase().replace(/\W/g, ""), name };
  });
  const firstMonday = mondayAfter(today, 7);
  const weeks = (shape.iterations + 1) * 2;

  const planPi = (art: string, name: string, startDate: string, storyCount: number, board: boolean): PlanningPi => {
    const ref = (n: number) => `${name}/${n}`;
    const features: CreateItemInput[] = Array.from({ length: shape.features }, (_, i) => {
      const text = issue();
      const own = i % shape.teams;
      const shared = random() < 0.3 ? [(own + 1 + Math.floor(random() * (shape.teams - 1))) % shape.teams] : [];
      return {
        art,
        level: "feature",
        type: random() < 0.2 ? "enabler" : "business",
        title: clip(text.title, LIMITS.title),
        description: clip(text.description, 500),
        state: "implementing",
        teamIds: [...new Set([own, ...shared])].map((t) => teams[t]?.key ?? ""),
        piId: name,
        labels: [text.project],
      };
    });
    const stories = Array.from({ length: storyCount }, () => {
      const text = issue();
      const parentIndex = Math.floor(random() * shape.features);
      const teamIds = features[parentIndex]?.teamIds ?? [];
      const team = pick(teamIds);
      const roll = random();
      // The board's stories are all planned; the proposal's: some started (locked), some planned, most not yet.
      const planned = board || roll < 0.3;
      const state = board
        ? pick(["ready", "in_progress", "done", "refining"])
        : roll < 0.1
          ? "in_progress"
          : pick(["new", "refining", "ready"]);
      return {
        art,
        level: "story" as const,
        type: weightedPick(random, STORY_TYPES),
        title: clip(text.title, LIMITS.title),
        description: clip(text.description, 500),
        state,
        teamId: team,
        parentIndex,
        points: random() < 0.03 ? null : pick(POINTS),
        ...(planned ? { iterationId: ref(1 + Math.floor(random() * shape.iterations)) } : {}),
        labels: [text.project],
      };
    });
    const teamOfStory = (i: number) => stories[i]?.teamId;
    const dependencies: PlannedDependency[] = [];
    const seen = new Set<string>();
    while (dependencies.length < shape.dependencies) {
      const level = random() < 0.25 ? "feature" : "story";
      const count = level === "feature" ? features.length : stories.length;
      const consumer = Math.floor(random() * count);
      const provider = Math.floor(random() * count);
      const teamOf = (i: number) => (level === "feature" ? features[i]?.teamIds?.[0] : teamOfStory(i));
      const crossTeam = random() < 0.9;
      if (consumer === provider || (teamOf(consumer) !== teamOf(provider)) !== crossTeam) continue;
      const key = `${level}:${consumer}>${provider}`;
      if (seen.has(key) || seen.has(`${level}:${provider}>${consumer}`)) continue;
      seen.add(key);
      const by = 2 + Math.floor(random() * (shape.iterations - 1));
      dependencies.push({
        level,
        consumer,
        provider,
        needed: `The API of ${level} ${provider} available on staging`,
        neededBy: random() < 0.7 ? ref(by) : null,
        committedTo: random() < 0.4 ? ref(Math.max(1, by - 1)) : null,
      });
    }
    // Half the teams count their people (24, one in eight half time, a few days off), half enter points.
    const capacity = teams.flatMap((team, t) =>
      Array.from({ length: shape.iterations }, (_, i) => ({
        team: team.key,
        iteration: i + 1,
        points: t % 2 === 1 ? (board ? 200 : 220) : null,
        members:
          t % 2 === 1
            ? []
            : Array.from({ length: MEMBERS.length * 3 }, (_, j) => ({
                name: `${MEMBERS[j % MEMBERS.length]} ${team.name} ${Math.floor(j / MEMBERS.length) + 1}`,
                availability: j % MEMBERS.length === 0 ? 50 : 100,
                daysOff: random() < 0.2 ? 1 + Math.floor(random() * 3) : 0,
              })),
      })),
    );
    const day = (offset: number) => addDays(startDate, offset);
    const milestones = [
      { name: "PI Planning", date: day(0) },
      { name: "Beta release", date: day(14 * 3 - 3) },
      { name: "PI System Demo", date: day(14 * shape.iterations + 1) },
    ];
    return {
      art: { key: art, name: board ? "Board Benchmark Train" : "Proposal Benchmark Train" },
      name,
      startDate,
      features,
      stories,
      dependencies,
      capacity,
      milestones,
    };
  };

  const boardStart = firstMonday;
  const proposalStart = addDays(firstMonday, weeks * 7);
  return {
    teams,
    board: planPi(PLANNING_ARTS.board, "PI 1", boardStart, shape.boardStories, true),
    proposal: planPi(PLANNING_ARTS.proposal, "PI 2", proposalStart, shape.candidateStories, false),
  };
}

export interface LoadedPlanningPi {
  art: string;
  pi: string;
  features: number;
  stories: number;
  dependencies: number;
}

export interface LoadedPlanningTrain {
  board: LoadedPlanningPi;
  proposal: LoadedPlanningPi;
  seconds: number;
}

/** Writes the two planning trains through the use cases, as the operator. */
export async function loadPlanningTrain(deps: Deps, plan: PlanningTrainPlan): Promise<LoadedPlanningTrain> {
  const started = performance.now();
  const actor = operator();
  await addPerson(deps, { name: "Bench Planner", email: "planner@plan.bench" }, actor);
  const load = async (pi: PlanningPi): Promise<LoadedPlanningPi> => {
    const art = pi.art.key;
    await createTrain(deps, { key: art, name: pi.art.name, teams: plan.teams }, actor);
    const [epic] = await createItems(deps, [{ art, level: "epic", title: "Planning benchmark" }], actor);
    await addProgramIncrement(
      deps,
      art,
      { name: pi.name, startDate: pi.startDate, iterations: PLANNING_TRAIN.iterations + 1, iterationWeeks: 2 },
      actor,
    );
    const features = await createItems(
      deps,
      pi.features.map((f) => ({ ...f, parentId: epic?.key })),
      actor,
    );
    const stories = [];
    for (let i = 0; i < pi.stories.length; i += 2_500) {
      const batch = pi.stories
        .slice(i, i + 2_500)
        .map(({ parentIndex, ...s }) => ({ ...s, parentId: features[parentIndex]?.key }));
      stories.push(...(await createItems(deps, batch, actor)));
    }
    for (const d of pi.dependencies) {
      const ends = d.level === "feature" ? features : stories;
      const created = await createDependency(deps, actor, art, {
        consumer: ends[d.consumer]?.key ?? "",
        provider: ends[d.provider]?.key ?? "",
        needed: d.needed,
        neededBy: d.neededBy,
      });
      if (d.committedTo) {
        await changeDependency(deps, actor, created.id, {
          version: created.version,
          state: "committed",
          plannedIteration: d.committedTo,
        });
      }
    }
    for (const c of pi.capacity) {
      await setCapacity(deps, actor, art, c.team, `${pi.name}/${c.iteration}`, {
        version: 0,
        ...(c.points === null ? { members: c.members.map((m) => ({ ...m, personId: null })) } : { points: c.points }),
      });
    }
    for (const m of pi.milestones) await addMilestone(deps, actor, art, pi.name, m);
    return {
      art,
      pi: pi.name,
      features: features.length,
      stories: stories.length,
      dependencies: pi.dependencies.length,
    };
  };
  const board = await load(plan.board);
  const proposal = await load(plan.proposal);
  await updatePi(deps, actor, plan.proposal.art.key, plan.proposal.name, {
    version: 1,
    allocation: { business: 70, enabler: 20, maintenance: 10 },
  });
  return { board, proposal, seconds: (performance.now() - started) / 1000 };
}

/**
 * The planner's input for the proposal PI, built from the plan in memory as the use case builds it from the
 * database: features in creation order give the priority, a team's stories follow in order; started stories are
 * locked; a feature at either end of a dependency stands for its stories.
 */
export function proposalInput(plan: PlanningTrainPlan, shape: PlanningShape = PLANNING_TRAIN): PlanInput {
  const pi = plan.proposal;
  const iterationId = (n: number) => `${pi.name}/${n}`;
  const iterations = Array.from({ length: shape.iterations + 1 }, (_, i) => ({
    id: iterationId(i + 1),
    order: i + 1,
    name: i === shape.iterations ? `IP ${i + 1}` : `Iteration ${i + 1}`,
    open: i < shape.iterations,
  }));
  const capacity: PlanInput["capacity"] = {};
  for (const c of pi.capacity) {
    const points =
      c.points ??
      c.members.reduce((sum, m) => sum + Math.max(0, Math.round((8 * m.availability) / 100) - m.daysOff), 0);
    capacity[c.team] = { ...capacity[c.team], [iterationId(c.iteration)]: points };
  }
  const stories: PlanStory[] = pi.stories
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.parentIndex - b.s.parentIndex || a.i - b.i)
    .map(({ s, i }, priority) => ({
      id: `s${i}`,
      key: `${pi.art.key}-${i}`,
      teamId: s.teamId ?? "",
      points: s.points ?? null,
      type: s.type ?? "business",
      featureId: `f${s.parentIndex}`,
      priority,
      iterationId: s.iterationId ?? null,
      locked: s.state === "in_progress",
    }));
  const storiesOf = new Map<number, string[]>();
  for (const [i, s] of pi.stories.entries())
    storiesOf.set(s.parentIndex, [...(storiesOf.get(s.parentIndex) ?? []), `s${i}`]);
  const endIds = (level: "feature" | "story", index: number) =>
    level === "feature" ? (storiesOf.get(index) ?? []) : [`s${index}`];
  return {
    iterations,
    capacity,
    stories,
    dependencies: pi.dependencies.map((d, i) => ({
      id: `d${i}`,
      consumerIds: endIds(d.level, d.consumer),
      providerIds: endIds(d.level, d.provider),
      neededBy: d.neededBy ? Number(d.neededBy.split("/").pop()) : null,
    })),
    allocation: { business: 70, enabler: 20, maintenance: 10 },
  };
}

/** Times `proposePlan` on `input`, `runs` times after `warmup` unmeasured runs; returns the last proposal's counts. */
export function measureProposePlan(
  input: PlanInput,
  runs = 20,
  warmup = 3,
): { summary: LatencySummary; placed: number; moved: number; unplaced: number } {
  const samples: number[] = [];
  let last = proposePlan(input);
  for (let r = 0; r < warmup + runs; r++) {
    const started = performance.now();
    last = proposePlan(input);
    if (r >= warmup) samples.push(performance.now() - started);
  }
  return {
    summary: summarize(samples),
    placed: last.placements.filter((p) => p.to !== null).length,
    moved: last.placements.filter((p) => p.to !== p.from).length,
    unplaced: last.unplaced.length,
  };
}

function mondayAfter(today: Date, days: number): string {
  const from = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + days * 86_400_000;
  const toMonday = (8 - new Date(from).getUTCDay()) % 7;
  return new Date(from + toMonday * 86_400_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
