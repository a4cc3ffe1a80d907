// The benchmark's release train: a pure function from the real backlog text (story-points/*.csv, user-stories/*.txt)
// and a seeded random generator to the inputs `createItems` takes, level by level. Parents are named by their index in
// the level above; the caller swaps in the keys the items got once that level exists. Program items carry WSJF inputs.
import { LIMITS, PROGRAM_STATES, WORKFLOW_STORY_STATES } from "../src/core/work-item.js";
import { WSJF_INPUTS, WSJF_SCALE } from "../src/core/wsjf.js";
import type { DemoSource, SourceIssue } from "../src/demo/demo-source.js";
import type { CreateItemInput } from "../src/use-cases/item-input.js";

export interface TrainShape {
  /** Items in all: program items plus stories. */
  items: number;
  teams: number;
  pis: number;
  /** Stories of the first team, whose whole backlog the slim-list measurement reads. */
  bigTeamStories: number;
  /** Features, when not the usual share (1 in 50 items are program items, 90 % of those features). */
  features?: number;
}

/**
 * 50,000 items: 40 epics, 60 capabilities, exactly 1,000 features (the WSJF measurements' backlog); 48,900 stories,
 * 5,000 of them in the first team.
 */
export const LARGE_TRAIN: TrainShape = { items: 50_000, teams: 10, pis: 5, bigTeamStories: 5_000, features: 1_000 };
/** The same shape at 1,000 items, the baseline moves at 50,000 are compared with. */
export const SMALL_TRAIN: TrainShape = { items: 1_000, teams: 10, pis: 5, bigTeamStories: 100 };

/** An item input whose parent is still an index into the level above. */
export type PlannedItem = Omit<CreateItemInput, "parentId"> & { parentIndex?: number };

export interface TrainPlan {
  art: { key: string; name: string };
  teams: { key: string; name: string }[];
  people: { name: string; email: string }[];
  pis: { name: string; startDate: string; iterations: number; iterationWeeks: number }[];
  epics: PlannedItem[];
  capabilities: PlannedItem[];
  /** Features' parentIndex points into capabilities when `featureParents[i]` is "capability", else into epics. */
  features: PlannedItem[];
  featureParents: ("epic" | "capability")[];
  /** Stories' parentIndex points into features. */
  stories: PlannedItem[];
}

const TEAM_NAMES = [
  "Atlas",
  "Borealis",
  "Comet",
  "Dynamo",
  "Eclipse",
  "Falcon",
  "Gemini",
  "Helios",
  "Ion",
  "Juno",
  "Kepler",
  "Lyra",
];
const PEOPLE = [
  "Ada Moreau",
  "Bram Visser",
  "Chiara Russo",
  "Dev Patel",
  "Elif Kaya",
  "Femi Adeyemi",
  "Greta Lund",
  "Hugo Martin",
];
const ENABLER_KINDS = ["exploration", "architecture", "infrastructure", "compliance"] as const;

/**
 * Plans a train of `shape.items` items from real issue text. The same source, shape and random sequence always give
 * the same plan.
 */
export function planTrain(source: DemoSource, shape: TrainShape, random: () => number, artKey = "BENCH"): TrainPlan {
  if (source.issues.length === 0) throw new Error("the data directory has no story-points issues");
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let next = Math.floor(random() * source.issues.length);
  const issue = (): SourceIssue => source.issues[next++ % source.issues.length] as SourceIssue;

  const teams = Array.from({ length: shape.teams }, (_, i) => {
    const name = TEAM_NAMES[i % TEAM_NAMES.length] ?? `Team ${i + 1}`;
    const suffix = i < TEAM_NAMES.length ? "" : `${Math.floor(i / TEAM_NAMES.length) + 1}`;
    return { key: `${name.toUpperCase()}${suffix}`, name: `${name}${suffix ? ` ${suffix}` : ""}` };
  });
  const people = PEOPLE.map((name) => ({ name, email: `${name.split(" ")[0]?.toLowerCase()}@bench.example` }));
  const pis = Array.from({ length: shape.pis }, (_, i) => ({
    name: `PI 27.${i + 1}`,
    startDate: addWeeks("2027-01-04", i * 10),
    iterations: 5,
    iterationWeeks: 2,
  }));
  const iterationRef = () => `${pick(pis).name}/${1 + Math.floor(random() * 5)}`;

  const usual = Math.max(3, Math.round(shape.items / 50));
  const epicCount = Math.max(1, Math.round(usual * 0.04));
  const capabilityCount = Math.max(1, Math.round(usual * 0.06));
  const featureCount = shape.features ?? usual - epicCount - capabilityCount;
  const storyCount = shape.items - epicCount - capabilityCount - featureCount;

  const programItem = (level: "epic" | "capability" | "feature"): PlannedItem => {
    const text = issue();
    const enabler = random() < 0.2;
    return {
      art: artKey,
      level,
      type: enabler ? "enabler" : "business",
      ...(enabler ? { enablerKind: pick(ENABLER_KINDS) } : {}),
      title: clip(text.title, LIMITS.title),
      description: clip(text.description, LIMITS.description),
      benefitHypothesis: random() < 0.5 ? benefitOf(text) : "",
      state: pick(PROGRAM_STATES),
      labels: [text.project],
      ownerId: pick(people).email,
    };
  };

  const epics = Array.from({ length: epicCount }, () => programItem("epic"));
  const capabilities = Array.from({ length: capabilityCount }, () => ({
    ...programItem("capability"),
    parentIndex: Math.floor(random() * epicCount),
  }));
  const featureParents: ("epic" | "capability")[] = [];
  const featureTeams: number[][] = [];
  const features = Array.from({ length: featureCount }, (_, i) => {
    const underCapability = random() < 0.7;
    featureParents.push(underCapability ? "capability" : "epic");
    // Every team gets features of its own; most features are shared by one or two more teams.
    const own = i % shape.teams;
    const shared = Array.from({ length: Math.floor(random() * 3) }, () => Math.floor(random() * shape.teams));
    const teamIndexes = [...new Set([own, ...shared])];
    featureTeams.push(teamIndexes);
    return {
      ...programItem("feature"),
      parentIndex: Math.floor(random() * (underCapability ? capabilityCount : epicCount)),
      teamIds: teamIndexes.map((t) => teams[t]?.key ?? ""),
      piId: pick(pis).name,
      points: pick([20, 40, 60, 100, 150]),
    };
  });
  const featuresOfTeam = teams.map((_, t) => featureTeams.flatMap((ts, f) => (ts.includes(t) ? [f] : [])));

  const storiesPerTeam = splitStories(storyCount, shape.teams, shape.bigTeamStories);
  const stories: PlannedItem[] = [];
  storiesPerTeam.forEach((count, t) => {
    for (let s = 0; s < count; s++) {
      const text = issue();
      const planned = random() < 0.6;
      stories.push({
        art: artKey,
        level: "story",
        type: random() < 0.12 ? "defect" : random() < 0.05 ? "debt" : "business",
        title: clip(text.title, LIMITS.title),
        description: clip(text.description, LIMITS.description),
        acceptanceCriteria: criteriaOf(text, random),
        state: pick(WORKFLOW_STORY_STATES),
        teamId: teams[t]?.key ?? "",
        parentIndex: pick(featuresOfTeam[t] ?? [0]),
        points: Math.min(text.points, LIMITS.points),
        ...(planned ? { iterationId: iterationRef() } : {}),
        labels: random() < 0.3 ? [text.project, pick(["ux", "api", "perf", "security", "tech-debt"])] : [text.project],
      });
    }
  });
  // Interleave the teams' stories, as a train's backlog grows over time, so bulk batches span teams.
  shuffle(stories, random);
  // Scored last, so the rest of the plan is what the same seed gave before program items had WSJF inputs.
  for (const item of [...epics, ...capabilities, ...features]) Object.assign(item, wsjfInputsOf(random));
  return {
    art: { key: artKey, name: "Benchmark Train" },
    teams,
    people,
    pis,
    epics,
    capabilities,
    features,
    featureParents,
    stories,
  };
}

/**
 * WSJF inputs drawn evenly from the scale, in the backlog's creation order (so its rank and WSJF are unrelated); about
 * one item in ten has one input still to estimate.
 */
function wsjfInputsOf(random: () => number): Partial<Record<(typeof WSJF_INPUTS)[number], number>> {
  const missing = random() < 0.1 ? WSJF_INPUTS[Math.floor(random() * WSJF_INPUTS.length)] : undefined;
  return Object.fromEntries(
    WSJF_INPUTS.filter((input) => input !== missing).map((input) => [
      input,
      WSJF_SCALE[Math.floor(random() * WSJF_SCALE.length)] as number,
    ]),
  );
}

/** `total` stories over `teams` teams, the first holding exactly `first`, the rest as even as can be. */
function splitStories(total: number, teams: number, first: number): number[] {
  const rest = total - first;
  const others = teams - 1;
  return [first, ...Array.from({ length: others }, (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0))];
}

/** Up to three acceptance criteria from the issue's own description lines; none for about half the stories. */
function criteriaOf(issue: SourceIssue, random: () => number): string[] {
  if (random() < 0.5) return [];
  const lines = issue.description
    .split(/\n|(?<=\.)\s+/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 12 && l.length <= LIMITS.criterion);
  return lines.slice(0, 1 + Math.floor(random() * 3));
}

function benefitOf(issue: SourceIssue): string {
  return `Users of ${issue.project} no longer run into: ${clip(issue.title, 200)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

function addWeeks(date: string, weeks: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
}

function shuffle<T>(list: T[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
}
