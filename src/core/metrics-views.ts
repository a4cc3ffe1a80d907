// What the metrics screens, the API and the CLI show: the shapes the metric functions of `metrics.ts` and
// `forecast.ts` return, assembled per team (or the whole train) and PI. A number that cannot be computed (nothing
// planned, nothing finished) is null, shown as "no data" — never 0% or 100%.

import type { ItemType, StoryState } from "./work-item.js";

/** Why a story needed rework, when the person who moved it back said so. */
export const REWORK_REASONS = [
  "unclear_criteria",
  "inadequate_refinement",
  "defect",
  "changed_requirement",
  "other",
] as const;
export type ReworkReason = (typeof REWORK_REASONS)[number];
export const REWORK_REASON_LABELS: Record<ReworkReason | "unknown", string> = {
  unclear_criteria: "Unclear acceptance criteria",
  inadequate_refinement: "Inadequate refinement",
  defect: "Defect",
  changed_requirement: "Changed requirement",
  other: "Other",
  unknown: "Not recorded",
};

/** One team's (or the train's) result for one iteration, as of the iteration's end or the as-of date if earlier. */
export interface IterationResult {
  iterationId: string;
  piId: string;
  name: string;
  number: number;
  startDate: string;
  endDate: string;
  /** Whether the iteration had ended at the as-of date (a running one shows its result so far). */
  completed: boolean;
  /** Stories in the iteration when it started (open ones); a story split during it is replaced by its parts. */
  planned: { stories: number; points: number };
  /** Of those, the ones the PO had accepted by its end. */
  accepted: { stories: number; points: number };
  /** Stories brought in after it started, reported apart; `accepted` of them too. */
  added: { stories: number; points: number; accepted: number };
  /** Planned at start, then taken out of the iteration (or the team) before its end, not accepted. */
  removed: number;
  /** Open stories in it at its end: carried over to a later iteration or back to the backlog. */
  carriedOver: number;
  /** Story Acceptance Rate: accepted ÷ planned, in percent; null when nothing was planned. */
  acceptanceRate: number | null;
  /** Points of the iteration's stories done or accepted by its end (planned or added). */
  velocity: number;
  /** Points of the planned stories done or accepted by its end. */
  plannedDone: number;
  /** Say/do: plannedDone ÷ points planned at start, in percent; null when nothing with points was planned. */
  sayDo: number | null;
  /** Stories of the team(s) that moved back from done or accepted during the iteration. */
  reworked: number;
  /**
   * Backlog Readiness Rate (assigned form) as the iteration began: of the open stories assigned to it and the next
   * development iterations of the horizon, those ready or in progress.
   */
  readiness: AssignedReadiness;
}

export interface AssignedReadiness {
  stories: number;
  ready: number;
  /** ready ÷ stories, in percent; null when none was assigned. */
  rate: number | null;
}

export interface PiResult {
  piId: string;
  name: string;
  startDate: string;
  endDate: string;
  /** Σ accepted ÷ Σ planned over its iterations so far, in percent; null when nothing was planned. */
  acceptanceRate: number | null;
  velocity: number;
  sayDo: number | null;
  rework: ReworkRatio;
  /** Σ ready ÷ Σ assigned over its iterations' readiness at their start, in percent. */
  readiness: number | null;
  /** ART predictability from the PI objectives (the team's, or the train's); null until actual values are given. */
  predictability: number | null;
}

export interface ReworkRatio {
  /** Stories that moved back from done or accepted (or were split after acceptance) in the period. */
  reworked: number;
  /** How many times stories moved back (a story reopened twice counts twice here, once above). */
  reopenings: number;
  /** Distinct stories that reached done or accepted in the period. */
  completed: number;
  /** reworked ÷ completed, in percent; null when nothing was completed. */
  ratio: number | null;
  reasons: { reason: ReworkReason | "unknown"; count: number }[];
}

export interface Readiness {
  /** The next development iterations counted (those starting after the as-of date). */
  horizon: { iterations: number; iterationIds: string[] };
  /** Form 1: the stories assigned to those iterations; ready ÷ assigned, in percent. */
  assigned: { stories: number; ready: number; rate: number | null };
  /** Form 2: the top of the ranked backlog filling the team's capacity for those iterations (its velocity, else the capacity set). */
  ranked: { capacity: number | null; stories: number; ready: number; rate: number | null };
  /** Ready points ÷ average velocity, in iterations (healthy ≥ 2); null without a velocity. */
  depth: number | null;
  readyPoints: number;
}

export interface VelocityStats {
  /** Completed iterations, oldest first. */
  iterations: { iterationId: string; name: string; points: number }[];
  average: number | null;
  /** Population standard deviation of the points. */
  deviation: number | null;
  min: number | null;
  max: number | null;
  /** Average of the last three completed iterations (what capacity planning uses). */
  recentAverage: number | null;
}

export interface Percentiles {
  p50: number;
  p85: number;
  p95: number;
}

export interface FlowMetrics {
  /** The period: the PI's start to its end (or the as-of date). */
  from: string;
  to: string;
  /** Share of each type among stories finished in the period or in progress at its end. */
  distribution: { type: ItemType; count: number; percent: number }[];
  /** Stories finished per iteration of the period, and in all. */
  velocity: { total: number; perIteration: { iterationId: string; name: string; count: number }[] };
  /** Days from first in progress to first done, of the stories finished in the period. */
  time: { count: number; average: number | null; percentiles: Percentiles | null };
  /** Stories in progress at the end of each day of the period. */
  load: { current: number; average: number | null; days: { date: string; count: number }[] };
  /** Σ active time ÷ Σ flow time of the stories finished in the period, in percent (blocked time is waiting). */
  efficiency: { percent: number | null; activeDays: number; blockedDays: number };
  /** ART predictability of the PI (the team's objectives, or the train's). */
  predictability: number | null;
}

export interface BurnUpDay {
  date: string;
  /** Points of the stories in the PI's iterations that day. */
  scope: number;
  /** Of those, points done or accepted. */
  done: number;
}

export interface BurnDownDay {
  date: string;
  /** Points of the iteration's stories not yet done. */
  remaining: number;
  /** The straight line from the points at its start to zero at its end. */
  ideal: number;
}

export interface CfdDay {
  date: string;
  counts: Record<StoryState, number>;
}

/** Everything the team (or train) dashboard shows for one PI, as of one date. */
export interface MetricsDashboard {
  art: { key: string; name: string };
  /** The team, or null for the whole train. */
  team: { key: string; name: string } | null;
  pi: { id: string; name: string; startDate: string; endDate: string };
  asOf: string;
  /** Every iteration of the ART's PIs up to this one that had started by the as-of date, oldest first (trends). */
  iterations: IterationResult[];
  /** The same per PI. */
  pis: PiResult[];
  readiness: Readiness;
  velocity: VelocityStats;
  /** Rework in this PI so far. */
  rework: ReworkRatio;
  flow: FlowMetrics;
  burnUp: BurnUpDay[];
  /** The burn-down of the PI's iteration running at the as-of date (or its last started one). */
  burnDown: { iterationId: string; name: string; days: BurnDownDay[] } | null;
  cfd: CfdDay[];
}

/** A Monte Carlo forecast's answer at three likelihoods. */
export interface ForecastDates {
  p50: string;
  p85: string;
  p95: string;
}

export interface FeatureForecast {
  key: string;
  title: string;
  /** Open stories of the feature. */
  remaining: number;
  /** When its remaining stories (and every story ranked above them in their teams' backlogs) will be done. */
  dates: ForecastDates | null;
  /** Why there is no forecast, when there is none. */
  problem: string | null;
}

export interface Forecast {
  asOf: string;
  trials: number;
  /** The assumption, in a sentence a POPM can check. */
  assumption: string;
  /** The daily throughput samples (stories finished per day) each team's simulation draws from. */
  teams: { key: string; name: string; days: number; finished: number }[];
  /** How much of the ranked backlog fits in the rest of the PI: stories (from the top) done with this likelihood. */
  fit: {
    piId: string;
    daysLeft: number;
    stories: { p50: number; p85: number; p95: number };
    /** The ranked open stories, top first, each with the highest likelihood it is done by the PI's end. */
    backlog: { key: string; title: string; teamKey: string; likelihood: "p95" | "p85" | "p50" | "unlikely" }[];
  } | null;
  features: FeatureForecast[];
}

/** The inspect & adapt view: one row per team, side by side, for one PI. */
export interface InspectAdapt {
  pi: { id: string; name: string; startDate: string; endDate: string };
  asOf: string;
  teams: {
    key: string;
    name: string;
    predictability: number | null;
    acceptanceRate: number | null;
    reworkRatio: number | null;
    velocity: number;
    sayDo: number | null;
    flowTimeP85: number | null;
    flowEfficiency: number | null;
    throughput: number;
  }[];
  train: InspectAdapt["teams"][number];
}
