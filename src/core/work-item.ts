// Work items of a release train: the four levels, their types, states and parent rules, and the limits on their text.
// Pure: shared by the server, the CLI and the web app.
import type { Criterion } from "./acceptance-criteria.js";
import { type EconomicInputs, economicProblems } from "./economics.js";
import { isOnScale, WSJF_INPUTS, WSJF_SCALE, type WsjfInput } from "./wsjf.js";

export const LEVELS = ["epic", "capability", "feature", "story"] as const;
export type Level = (typeof LEVELS)[number];

export const ITEM_TYPES = ["business", "enabler", "defect", "debt"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const ENABLER_KINDS = ["exploration", "architecture", "infrastructure", "compliance"] as const;
export type EnablerKind = (typeof ENABLER_KINDS)[number];

/** The ART Kanban states, used by epics, capabilities and features. */
export const PROGRAM_STATES = [
  "funnel",
  "analyzing",
  "backlog",
  "implementing",
  "validating",
  "deploying",
  "releasing",
  "done",
] as const;
/**
 * A team's story states; `accepted` is the Product Owner's. `split` closes a story that was split into others: set
 * only by splitting, never counted as done work.
 */
export const STORY_STATES = ["new", "refining", "ready", "in_progress", "done", "accepted", "split"] as const;
/** The states of a story whose work is over (finished, or closed as split): not refined, checked or split any more. */
export const CLOSED_STORY_STATES: readonly ItemState[] = ["done", "accepted", "split"];
export const isClosedStory = (state: string): boolean => (CLOSED_STORY_STATES as readonly string[]).includes(state);

/** The story states a person picks from; `split` is reached only by splitting the story. */
export const WORKFLOW_STORY_STATES = STORY_STATES.filter((s) => s !== "split");
export type ProgramState = (typeof PROGRAM_STATES)[number];
export type StoryState = (typeof STORY_STATES)[number];
export type ItemState = ProgramState | StoryState;

export const STATE_LABELS: Record<ItemState, string> = {
  funnel: "Funnel",
  analyzing: "Analyzing",
  backlog: "Backlog",
  implementing: "Implementing",
  validating: "Validating on staging",
  deploying: "Deploying",
  releasing: "Releasing",
  done: "Done",
  new: "New",
  refining: "Refining",
  ready: "Ready",
  in_progress: "In progress",
  accepted: "Accepted",
  split: "Closed as split",
};

export const RELATION_KINDS = ["depends_on", "relates_to", "split_from", "duplicates"] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/** How a relation reads from each end: `A depends on B` is `B blocks A`. */
export const RELATION_LABELS: Record<RelationKind, { outgoing: string; incoming: string }> = {
  depends_on: { outgoing: "depends on", incoming: "blocks" },
  relates_to: { outgoing: "relates to", incoming: "relates to" },
  split_from: { outgoing: "split from", incoming: "split into" },
  duplicates: { outgoing: "duplicates", incoming: "duplicated by" },
};

export const LIMITS = {
  title: 255,
  description: 20_000,
  benefitHypothesis: 2_000,
  criterion: 1_000,
  criteria: 50,
  labels: 20,
  label: 40,
  comment: 10_000,
  name: 120,
  points: 1_000,
  pageSize: 500,
  /** What a blocked item waits on. */
  blockedReason: 500,
  /** The note given with a story's rework reason. */
  reworkNote: 1_000,
} as const;

export function statesOf(level: Level): readonly ItemState[] {
  return level === "story" ? STORY_STATES : PROGRAM_STATES;
}

export function initialState(level: Level): ItemState {
  return level === "story" ? "new" : "funnel";
}

export function isStateOf(level: Level, state: string): state is ItemState {
  return (statesOf(level) as readonly string[]).includes(state);
}

/** The levels an item of `level` may have as its parent (a capability is optional between epic and feature). */
export function allowedParentLevels(level: Level): readonly Level[] {
  switch (level) {
    case "epic":
      return [];
    case "capability":
      return ["epic"];
    case "feature":
      return ["epic", "capability"];
    case "story":
      return ["feature"];
  }
}

/** Why `level` cannot sit under a parent of `parentLevel`, or null when it can. */
export function parentProblem(level: Level, parentLevel: Level): string | null {
  const allowed = allowedParentLevels(level);
  if (allowed.includes(parentLevel)) return null;
  if (allowed.length === 0) return `an ${level} has no parent`;
  return `a ${level}'s parent must be ${allowed.map((l) => `a ${l}`).join(" or ")}, not a ${parentLevel}`;
}

/** Which backlog an item is ranked in: a team backlog for stories, the ART's backlog of its level otherwise. */
export function backlogOf(item: { level: Level; artId: string; teamId: string | null }): string {
  if (item.level === "story") {
    if (!item.teamId) throw new Error("a story belongs to a team backlog");
    return `team:${item.teamId}`;
  }
  return `art:${item.artId}:${item.level}`;
}

/** The team id of a team backlog key, or null for an ART backlog. */
export function teamOfBacklog(backlog: string): string | null {
  return backlog.startsWith("team:") ? backlog.slice(5) : null;
}

export function itemKey(artKey: string, number: number): string {
  return `${artKey}-${number}`;
}

export const ART_KEY_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
export const TEAM_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$/;

/** A work item as the domain sees it. */
export interface WorkItem {
  id: string;
  artId: string;
  number: number;
  key: string;
  level: Level;
  type: ItemType;
  enablerKind: EnablerKind | null;
  title: string;
  description: string;
  benefitHypothesis: string;
  acceptanceCriteria: Criterion[];
  state: ItemState;
  parentId: string | null;
  teamId: string | null;
  teamIds: string[];
  piId: string | null;
  iterationId: string | null;
  points: number | null;
  /** WSJF inputs (program items only): relative estimates on the modified Fibonacci scale, null until given. */
  businessValue: number | null;
  timeCriticality: number | null;
  riskReduction: number | null;
  jobSize: number | null;
  /** Economic view (program items only, optional): Cost of Delay in money per week, urgency profile, fixed date, duration. */
  costOfDelayPerWeek: EconomicInputs["costOfDelayPerWeek"];
  urgency: EconomicInputs["urgency"];
  fixedDate: EconomicInputs["fixedDate"];
  durationWeeks: EconomicInputs["durationWeeks"];
  labels: string[];
  ownerId: string | null;
  /** Ids of the team's manual Definition-of-Ready items ticked on this story. */
  readyChecks: string[];
  /**
   * What the item waits on outside its team's control (another team, a supplier, an environment), or null when it is
   * not blocked. Time blocked is not active time in flow efficiency.
   */
  blockedReason: string | null;
  backlog: string;
  rank: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/**
 * A story with nothing of its own yet (no text, team, parent, estimate; state new; not ranked): what a new or drafted
 * story starts from, given its id, ART and when and by whom it is made.
 */
export function blankStory(id: string, artId: string, at = "", by: string | null = null): WorkItem {
  return {
    id,
    artId,
    number: 0,
    key: "",
    level: "story",
    type: "business",
    enablerKind: null,
    title: "",
    description: "",
    benefitHypothesis: "",
    acceptanceCriteria: [],
    state: initialState("story"),
    parentId: null,
    teamId: null,
    teamIds: [],
    piId: null,
    iterationId: null,
    points: null,
    businessValue: null,
    timeCriticality: null,
    riskReduction: null,
    jobSize: null,
    costOfDelayPerWeek: null,
    urgency: null,
    fixedDate: null,
    durationWeeks: null,
    labels: [],
    ownerId: null,
    readyChecks: [],
    blockedReason: null,
    backlog: "",
    rank: "",
    version: 1,
    createdAt: at,
    createdBy: by,
    updatedAt: at,
    updatedBy: by,
  };
}

/** The fields a person edits; everything else is derived or kept by the system. */
export const EDITABLE_FIELDS = [
  "type",
  "enablerKind",
  "title",
  "description",
  "benefitHypothesis",
  "acceptanceCriteria",
  "state",
  "parentId",
  "teamId",
  "teamIds",
  "piId",
  "iterationId",
  "points",
  "labels",
  "ownerId",
  "businessValue",
  "timeCriticality",
  "riskReduction",
  "jobSize",
  "costOfDelayPerWeek",
  "urgency",
  "fixedDate",
  "durationWeeks",
  "readyChecks",
  "blockedReason",
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type ItemChanges = Partial<Pick<WorkItem, EditableField>>;

/** The fields that differ between an item and a set of changes, in EDITABLE_FIELDS order. */
export function changedFields(item: WorkItem, changes: ItemChanges): EditableField[] {
  return EDITABLE_FIELDS.filter((f) => f in changes && !sameValue(item[f], changes[f]));
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Why a person may not move an item from state `from` (null when creating it) to `to`, or null when they may: only
 * splitting a story closes it as split, and a split story stays closed (the stories it was split into carry the work).
 */
export function stateChangeProblem(from: ItemState | null, to: ItemState): string | null {
  if (from === "split") return "the story was closed as split; its stories carry the work";
  if (to === "split") return "a story is closed as split by splitting it (POST /items/{item}/split)";
  return null;
}

/** The states a story is finished in; moving it back from one of them to a workflow state before is rework. */
export const FINISHED_STORY_STATES = ["done", "accepted"] as const;
/** The states a finished story can be moved back to (rework). */
export const REWORK_STORY_STATES = ["new", "refining", "ready", "in_progress"] as const;

/**
 * Whether moving an item of `level` from state `from` to `to` moves a finished story back (rework): from done or
 * accepted to new, refining, ready or in progress.
 *
 * @example
 * isMoveBack("story", "accepted", "in_progress"); // true
 * isMoveBack("story", "accepted", "done"); // false: still finished
 */
export function isMoveBack(level: Level, from: string, to: string): boolean {
  return (
    level === "story" &&
    (FINISHED_STORY_STATES as readonly string[]).includes(from) &&
    (REWORK_STORY_STATES as readonly string[]).includes(to)
  );
}

/** Rules an item must satisfy on its own (its level's states, enabler kind only on enablers, team only on stories). */
export function itemProblems(
  item: Pick<WorkItem, "level" | "type" | "enablerKind" | "state" | "teamId" | "teamIds"> &
    Partial<Pick<WorkItem, WsjfInput | "blockedReason">> &
    Partial<EconomicInputs>,
): {
  path: string;
  message: string;
}[] {
  const problems: { path: string; message: string }[] = [];
  if (!isStateOf(item.level, item.state)) {
    problems.push({ path: "state", message: `a ${item.level} is one of ${statesOf(item.level).join(", ")}` });
  }
  if (item.enablerKind && item.type !== "enabler") {
    problems.push({ path: "enablerKind", message: "only an enabler has an enabler kind" });
  }
  if (item.level === "story" && !item.teamId) {
    problems.push({ path: "teamId", message: "a story belongs to a team" });
  }
  if (item.level !== "story" && item.teamId) {
    problems.push({ path: "teamId", message: `a ${item.level} is not in a team backlog; use teamIds` });
  }
  if (item.level === "story" && item.teamIds.length > 0) {
    problems.push({ path: "teamIds", message: "a story has one team: use teamId" });
  }
  for (const input of WSJF_INPUTS) {
    const value = item[input];
    if (value === undefined || value === null) continue;
    if (item.level === "story") problems.push({ path: input, message: "stories are not scored by WSJF: features are" });
    else if (!isOnScale(value)) problems.push({ path: input, message: `one of ${WSJF_SCALE.join(", ")}` });
  }
  if (typeof item.blockedReason === "string") {
    if (!item.blockedReason.trim()) {
      problems.push({ path: "blockedReason", message: "say what it waits on, or unblock it (null)" });
    } else if (item.blockedReason.length > LIMITS.blockedReason) {
      problems.push({ path: "blockedReason", message: `at most ${LIMITS.blockedReason} characters` });
    }
  }
  problems.push(...economicProblems(item));
  return problems;
}
