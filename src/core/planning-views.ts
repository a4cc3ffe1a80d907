// What the PI planning screens and the API show: dependencies and their ends, the program board, a team's plan and
// capacity, milestones, PI objectives and predictability, risks, the confidence vote and a proposed plan. Types only;
// shared by the use cases, the stores that return these shapes and the web app.
import type {
  AllocationShare,
  Capacity,
  CapacityMember,
  confidenceOf,
  DependencyHealth,
  DependencyState,
  predictability,
  Roam,
} from "./pi-planning.js";
import type { PlanProposal } from "./plan-proposal.js";
import type { AllocationPolicy, Iteration, ProgramIncrement } from "./train.js";
import type { ItemType, Level } from "./work-item.js";

// ── Dependencies ────────────────────────────────────────────────────────────────────────────────────────────────────

/** An iteration as dependencies, plans and proposals name it. */
export interface IterRef {
  id: string;
  name: string;
  number: number;
  piId: string;
}

/** One end of a dependency: the item, its team and where it lands in the plan. */
export interface DepEnd {
  id: string;
  key: string;
  title: string;
  level: Level;
  state: string;
  /** A story's team; a feature's where it lands (the last team for a provider, the first for a consumer), else its first team. */
  teamId: string | null;
  /** Where it lands: a story's iteration; a feature's latest (provider) or earliest (consumer) story iteration. */
  iteration: IterRef | null;
}

export interface Dependency {
  id: string;
  consumer: DepEnd;
  provider: DepEnd;
  needed: string;
  neededBy: IterRef | null;
  state: DependencyState;
  plannedIteration: IterRef | null;
  declineReason: string | null;
  health: DependencyHealth;
  crossTeam: boolean;
  inCycle: boolean;
  version: number;
  updatedAt: string;
}

export interface DependencyList {
  dependencies: Dependency[];
  /** Dependency cycles (the ids of the dependencies in each) that touch a listed dependency. */
  cycles: string[][];
  /** Listed cross-team dependencies still only requested: to settle before iteration planning. */
  uncommittedCrossTeam: number;
}

// ── Milestones and the program board ────────────────────────────────────────────────────────────────────────────────

export interface Milestone {
  id: string;
  piId: string;
  name: string;
  /** yyyy-mm-dd */
  date: string;
  createdAt: string;
  createdBy: string | null;
}

/** An iteration as a column of the program board. */
export type BoardIteration = Omit<Iteration, "piId">;

/** A milestone as the program board marks it. */
export type BoardMilestone = Pick<Milestone, "id" | "name" | "date">;

export interface BoardFeature {
  featureId: string;
  key: string;
  title: string;
  state: string;
  /** Null for a feature of the PI with no team yet. */
  teamId: string | null;
  /** The last iteration of the PI its stories of this team land in; null = in the PI but not planned (yet). */
  iterationId: string | null;
  stories: number;
  points: number;
  wsjf: number | null;
}

export interface BoardLoad {
  teamId: string;
  iterationId: string;
  capacity: number | null;
  load: number;
  unestimated: number;
  stories: number;
  overloaded: boolean;
}

export interface ProgramBoard {
  pi: { id: string; name: string; startDate: string; endDate: string };
  iterations: BoardIteration[];
  teams: { id: string; key: string; name: string }[];
  milestones: BoardMilestone[];
  features: BoardFeature[];
  dependencies: Dependency[];
  load: BoardLoad[];
}

// ── A team's plan and capacity ──────────────────────────────────────────────────────────────────────────────────────

/** A story as a card on the planning view. */
export interface PlanCard {
  id: string;
  key: string;
  title: string;
  points: number | null;
  state: string;
  type: ItemType;
  featureId: string | null;
  featureKey: string | null;
  iterationId: string | null;
  /** What the story waits on (blocked), or null. */
  blockedReason: string | null;
  rank: string;
  version: number;
}

/** One iteration of one team: its capacity, the load planned into it, and its stories. */
export interface PlanIterationView {
  iterationId: string;
  capacity: Capacity;
  load: number;
  unestimated: number;
  overloaded: boolean;
  stories: PlanCard[];
}

/** A team's velocity: the points it finished in its most recent completed iterations, and their average. */
export interface Velocity {
  /** The average of the last three completed iterations with points, or null. */
  average: number | null;
  recent: { iterationId: string; name: string; points: number }[];
}

export interface TeamPlanView {
  teamId: string;
  key: string;
  name: string;
  iterations: PlanIterationView[];
  /** The team's open stories of the PI (its features' or the PI's own) not in an iteration, in rank order. */
  unplanned: PlanCard[];
  velocity: Velocity;
}

/** Every team's iterations of a PI, load against capacity, and the PI's allocation. */
export interface PiPlanView {
  pi: ProgramIncrement;
  teams: TeamPlanView[];
  allocation: {
    policy: AllocationPolicy | null;
    /** The capacity of the teams shown over the PI's development iterations (those with a capacity). */
    capacity: number;
    shares: AllocationShare[];
  };
  features: { id: string; key: string; title: string; wsjf: number | null; teamIds: string[]; state: string }[];
}

/** One team's capacity in one iteration. */
export interface CapacityEntry {
  iterationId: string;
  workingDays: number;
  members: CapacityMember[];
  points: number | null;
  capacity: Capacity;
  /** 0 while never set. */
  version: number;
}

export interface TeamCapacity {
  teamId: string;
  iterations: CapacityEntry[];
  velocity: Velocity;
}

// ── A proposed plan ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface ProposalItem {
  id: string;
  key: string;
  title: string;
  points: number | null;
  teamId: string;
  version: number;
}

export interface ProposedMove {
  item: ProposalItem;
  from: IterRef | null;
  to: IterRef | null;
  /** Why this iteration, in one sentence. */
  reason: string;
}

/** One team × open iteration: its load before and after the proposal. */
export type LoadChange = PlanProposal["load"][number];

export interface PlanProposalView {
  moves: ProposedMove[];
  /** Candidate stories the proposal leaves where they are. */
  kept: number;
  unplaced: { item: ProposalItem; reason: string }[];
  load: LoadChange[];
  /** The work kinds' share of the points planned in the PI's open iterations after the proposal. */
  allocation: AllocationShare[];
}

// ── PI objectives, risks and the confidence vote ────────────────────────────────────────────────────────────────────

export interface Objective {
  id: string;
  piId: string;
  teamId: string | null;
  title: string;
  description: string;
  committed: boolean;
  plannedValue: number | null;
  actualValue: number | null;
  features: { id: string; key: string; title: string }[];
  version: number;
  updatedAt: string;
}

export type Predictability = ReturnType<typeof predictability>;

export interface ObjectivesView {
  objectives: Objective[];
  predictability: { teams: ({ teamId: string } & Predictability)[]; train: Predictability };
}

export interface Risk {
  id: string;
  artId: string;
  piId: string | null;
  teamId: string | null;
  title: string;
  description: string;
  roam: Roam;
  owner: { id: string; name: string } | null;
  items: { id: string; key: string; title: string }[];
  version: number;
  updatedAt: string;
}

export interface RiskList {
  risks: Risk[];
  /** How many of the risks listed (before the roam filter) are in each ROAM state. */
  counts: Record<Roam, number>;
}

/** The votes of a team or the train, and one's own (null until cast). */
export type Confidence = ReturnType<typeof confidenceOf> & { mine: number | null };

export interface ConfidenceView {
  teams: ({ teamId: string } & Confidence)[];
  train: Confidence;
}
