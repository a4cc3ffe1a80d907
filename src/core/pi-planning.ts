// PI planning arithmetic: a team's capacity per iteration (SAFe's normalized points or set directly), load against it,
// the train's capacity allocation by kind of work against the PM's policy, cross-team dependencies (their states, the
// changes allowed between them, their health from the plan, where an item lands, cycles), the ART predictability
// measure, ROAM states for risks, and the fist-of-five confidence vote.
// Pure: no clock, no I/O; the server, the CLI, the planner and the web app all count the same way.
import type { AllocationPolicy, WorkKind } from "./train.js";
import { WORK_KINDS } from "./train.js";
import type { ItemType } from "./work-item.js";

/** SAFe's normalized start: points per full-time developer-tester per 2-week (10 working days) iteration. */
export const NORMALIZED_POINTS = 8;

/** A person on a team for one iteration: how much of their time the team has, and their days off in it. */
export interface CapacityMember {
  name: string;
  personId: string | null;
  /** % of their time on the team, 0..100. */
  availability: number;
  /** Vacation or holiday days in the iteration. */
  daysOff: number;
}

const DAY = 86_400_000;

function parseDay(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

/**
 * The working days (Monday to Friday) from start to end, both included (yyyy-mm-dd); 0 when the end is before the start.
 * @example workingDays("2026-01-05", "2026-01-16") === 10
 */
export function workingDays(startDate: string, endDate: string): number {
  const start = parseDay(startDate);
  const end = parseDay(endDate);
  if (start === null || end === null || end < start) return 0;
  const days = Math.round((end - start) / DAY) + 1;
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  const firstDay = new Date(start).getUTCDay();
  for (let i = 0; i < days % 7; i++) {
    const weekday = (firstDay + i) % 7;
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

/**
 * A team's capacity from its people, SAFe's way: each person brings 8 points per 10 working days at full time, scaled by
 * their availability, minus one point per day off (never below 0).
 * @example normalizedCapacity([{ name: "Ann", personId: null, availability: 100, daysOff: 2 }], 10) === 6
 */
export function normalizedCapacity(members: readonly CapacityMember[], workingDays: number): number {
  let total = 0;
  for (const m of members) {
    const base = Math.round(NORMALIZED_POINTS * (m.availability / 100) * (workingDays / 10));
    total += Math.max(0, base - m.daysOff);
  }
  return total;
}

export interface Capacity {
  points: number | null;
  /** "points" when the team set its capacity directly, "people" when it is computed from its members, null when unset. */
  source: "points" | "people" | null;
}

/** A team's capacity in one iteration: points it set win, else what its people bring (when any), else not set. */
export function capacityOf(
  set: { members: readonly CapacityMember[]; points: number | null } | null,
  workingDays: number,
): Capacity {
  if (set === null) return { points: null, source: null };
  if (set.points !== null) return { points: set.points, source: "points" };
  if (set.members.length > 0) return { points: normalizedCapacity(set.members, workingDays), source: "people" };
  return { points: null, source: null };
}

/** A story as planning counts it. */
export interface PlannedStory {
  id: string;
  points: number | null;
  state: string;
  type: ItemType;
}

const counts = (s: PlannedStory) => s.state !== "split";

/**
 * The load of an iteration: the points of the stories planned in it (a story closed as split carries no work), how many
 * of them are not estimated yet, and whether the load is over the capacity.
 */
export function loadOf(
  stories: readonly PlannedStory[],
  capacity: number | null,
): { load: number; unestimated: number; stories: number; overloaded: boolean } {
  let load = 0;
  let unestimated = 0;
  let planned = 0;
  for (const s of stories) {
    if (!counts(s)) continue;
    planned++;
    if (s.points === null) unestimated++;
    else load += s.points;
  }
  return { load, unestimated, stories: planned, overloaded: capacity !== null && load > capacity };
}

/** The kind of work an item is for capacity allocation: business, enabler, or maintenance (defects and debt). */
export const workKindOf = (type: ItemType): WorkKind =>
  type === "business" ? "business" : type === "enabler" ? "enabler" : "maintenance";

export const WORK_KIND_LABELS: Record<WorkKind, string> = {
  business: "Business",
  enabler: "Enabler",
  maintenance: "Maintenance (defects, debt)",
};

export interface AllocationShare {
  kind: WorkKind;
  points: number;
  /** Of the planned points, 0..1 (0 when nothing is planned). */
  share: number;
  /** The policy's share, 0..1, or null without a policy. */
  policyShare: number | null;
  /** policyShare × capacity: the most points of this kind the policy allows. */
  limit: number | null;
  over: boolean;
}

/**
 * How the planned points split between business, enabler and maintenance work, each against the share of the capacity
 * the policy reserves for it (over = more points planned than the policy's share of the capacity).
 */
export function allocationOf(
  stories: readonly PlannedStory[],
  capacity: number,
  policy: AllocationPolicy | null,
): AllocationShare[] {
  const points: Record<WorkKind, number> = { business: 0, enabler: 0, maintenance: 0 };
  for (const s of stories) if (counts(s) && s.points !== null) points[workKindOf(s.type)] += s.points;
  const total = points.business + points.enabler + points.maintenance;
  return WORK_KINDS.map((kind) => {
    const policyShare = policy ? policy[kind] / 100 : null;
    const limit = policyShare === null ? null : policyShare * capacity;
    return {
      kind,
      points: points[kind],
      share: total > 0 ? points[kind] / total : 0,
      policyShare,
      limit,
      over: limit !== null && points[kind] > limit + 1e-9,
    };
  });
}

/** What is wrong with an allocation policy (shares must be whole percents 0..100 adding up to 100), or null. */
export function allocationProblem(policy: AllocationPolicy): string | null {
  for (const kind of WORK_KINDS) {
    const v = policy[kind];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 100) {
      return `the ${kind} share must be a whole percent from 0 to 100`;
    }
  }
  const sum = WORK_KINDS.reduce((a, k) => a + policy[k], 0);
  if (sum !== 100) return `the shares add up to ${sum}%, not 100%`;
  return null;
}

export const DEPENDENCY_STATES = ["requested", "committed", "delivered", "declined"] as const;
export type DependencyState = (typeof DEPENDENCY_STATES)[number];
export const DEPENDENCY_HEALTH = ["healthy", "at_risk", "conflict", "unplanned", "declined"] as const;
export type DependencyHealth = (typeof DEPENDENCY_HEALTH)[number];

export const DEPENDENCY_STATE_LABELS: Record<DependencyState, string> = {
  requested: "Requested",
  committed: "Committed",
  delivered: "Delivered",
  declined: "Declined",
};
export const DEPENDENCY_HEALTH_LABELS: Record<DependencyHealth, string> = {
  healthy: "Healthy",
  at_risk: "At risk",
  conflict: "Conflict",
  unplanned: "Unplanned",
  declined: "Declined",
};

/**
 * Why a dependency may not go from one state to another with these fields, or null. The providing team commits to an
 * iteration, delivers what it committed, or declines with a reason; a declined or committed dependency can be asked
 * for again (requested); a delivered one can be reopened as committed. Staying in a state only checks its fields.
 */
export function dependencyChangeProblem(
  from: DependencyState,
  to: DependencyState,
  d: { plannedIteration: number | null; declineReason: string | null },
): { field: string; message: string } | null {
  if (to === "delivered" && from !== "committed" && from !== "delivered") {
    return { field: "state", message: "only a committed dependency can be delivered; commit it to an iteration first" };
  }
  if (from === "delivered" && to === "declined") {
    return { field: "state", message: "a delivered dependency cannot be declined; reopen it as committed instead" };
  }
  if (from === "delivered" && to === "requested") {
    return {
      field: "state",
      message: "a delivered dependency is reopened as committed, with the iteration it now lands in",
    };
  }
  if (to === "committed" && d.plannedIteration === null) {
    return { field: "plannedIteration", message: "committing needs the iteration the provider plans to deliver in" };
  }
  if (to === "declined" && (d.declineReason === null || d.declineReason.trim() === "")) {
    return { field: "declineReason", message: "declining needs a reason the consuming team can act on" };
  }
  return null;
}

/**
 * A dependency's health from the plan (iterations as ordinals across the ART, null = not planned). The deadline is the
 * earlier of the needed-by iteration and the consumer's iteration: a provider after it is in conflict, in it at risk,
 * before it healthy. Delivered is healthy, declined is declined, a provider not planned is unplanned.
 */
export function dependencyHealth(d: {
  state: DependencyState;
  provider: number | null;
  consumer: number | null;
  neededBy: number | null;
}): DependencyHealth {
  if (d.state === "delivered") return "healthy";
  if (d.state === "declined") return "declined";
  if (d.provider === null) return "unplanned";
  const deadlines = [d.neededBy, d.consumer].filter((n): n is number => n !== null);
  if (deadlines.length === 0) return "healthy";
  const deadline = Math.min(...deadlines);
  if (d.provider > deadline) return "conflict";
  if (d.provider === deadline) return "at_risk";
  return "healthy";
}

/**
 * Where an item lands in the plan: a story's iteration; for a feature, its latest story iteration when it provides
 * (`"last"`: done only when all of it is) or its earliest when it consumes (`"first"`: needed from its first story).
 */
export function landing(iterations: readonly (number | null)[], end: "first" | "last"): number | null {
  let found: number | null = null;
  for (const it of iterations) {
    if (it === null) continue;
    if (found === null || (end === "last" ? it > found : it < found)) found = it;
  }
  return found;
}

/**
 * The strongly connected groups of a directed graph over nodes 0..count-1 (Tarjan's algorithm, iterative, so deep
 * chains cannot overflow the stack); every node is in exactly one group, groups come out in a fixed order for a fixed
 * graph.
 */
export function stronglyConnected(count: number, next: readonly (readonly number[])[]): number[][] {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const groups: number[][] = [];
  const work: { node: number; edge: number }[] = [];
  let counter = 0;
  const visit = (v: number) => {
    index[v] = counter;
    low[v] = counter;
    counter++;
    stack.push(v);
    onStack[v] = 1;
    work.push({ node: v, edge: 0 });
  };
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; edge: number };
      const v = frame.node;
      const edges = next[v] ?? [];
      if (frame.edge < edges.length) {
        const w = edges[frame.edge++] as number;
        if (index[w] === -1) visit(w);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node] as number, low[v] as number);
      if (low[v] === index[v]) {
        const group: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          group.push(w);
        } while (w !== v);
        groups.push(group);
      }
    }
  }
  return groups;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The dependency cycles among items: each group of items that depend on one another round in a circle (more than one
 * item, or an item depending on itself), as the ids of the dependencies inside that group — sorted, groups ordered by
 * their first id.
 */
export function dependencyCycles(deps: readonly { id: string; consumerId: string; providerId: string }[]): string[][] {
  const sorted = [...deps].sort((a, b) => byText(a.id, b.id));
  const ids = [...new Set(sorted.flatMap((d) => [d.consumerId, d.providerId]))].sort(byText);
  const at = new Map(ids.map((id, i) => [id, i]));
  const next: number[][] = ids.map(() => []);
  for (const d of sorted) next[at.get(d.consumerId) as number]?.push(at.get(d.providerId) as number);
  const groupOf = new Int32Array(ids.length);
  const sizes: number[] = [];
  stronglyConnected(ids.length, next).forEach((group, g) => {
    sizes.push(group.length);
    for (const n of group) groupOf[n] = g;
  });
  const cycles = new Map<number, string[]>();
  for (const d of sorted) {
    const c = at.get(d.consumerId) as number;
    const p = at.get(d.providerId) as number;
    const g = groupOf[c] as number;
    if (groupOf[p] !== g) continue;
    if ((sizes[g] as number) === 1 && c !== p) continue;
    const list = cycles.get(g);
    if (list) list.push(d.id);
    else cycles.set(g, [d.id]);
  }
  return [...cycles.values()].sort((a, b) => byText(a[0] as string, b[0] as string));
}

export interface ObjectiveValue {
  committed: boolean;
  plannedValue: number | null;
  actualValue: number | null;
}

export type PredictabilityBand = "below" | "predictable" | "above";

/** The band of a predictability percent: below 80, predictable from 80 to 100, above over 100. */
export function predictabilityBand(percent: number): PredictabilityBand {
  if (percent < 80) return "below";
  if (percent > 100) return "above";
  return "predictable";
}

/**
 * The ART predictability measure: the actual business value of all objectives (committed and uncommitted) over the
 * planned business value of the committed ones, in percent; null while no committed objective has a planned value, or
 * while no objective has been given its actual value yet (a PI under way is not "0 % predictable").
 * @example predictability([{ committed: true, plannedValue: 10, actualValue: 8 }]).percent === 80
 */
export function predictability(objectives: readonly ObjectiveValue[]): {
  planned: number;
  actual: number;
  percent: number | null;
  band: PredictabilityBand | null;
} {
  let planned = 0;
  let actual = 0;
  let assessed = false;
  for (const o of objectives) {
    if (o.committed && o.plannedValue !== null) planned += o.plannedValue;
    if (o.actualValue !== null) {
      actual += o.actualValue;
      assessed = true;
    }
  }
  const percent = planned > 0 && assessed ? (actual / planned) * 100 : null;
  return { planned, actual, percent, band: percent === null ? null : predictabilityBand(percent) };
}

/** A risk's ROAM state: not yet discussed, or Resolved, Owned, Accepted, Mitigated. */
export const ROAM_STATES = ["unroamed", "resolved", "owned", "accepted", "mitigated"] as const;
export type Roam = (typeof ROAM_STATES)[number];
export const ROAM_LABELS: Record<Roam, string> = {
  unroamed: "Not ROAMed",
  resolved: "Resolved",
  owned: "Owned",
  accepted: "Accepted",
  mitigated: "Mitigated",
};

/** Fist of five: votes from 1 (no confidence) to 5 (very confident). */
export const CONFIDENCE_VALUES = [1, 2, 3, 4, 5] as const;

/**
 * A confidence vote's result: how many voted, the average (null without votes) and how many gave each of 1..5 fingers.
 * Values outside 1..5 are not votes and are left out.
 */
export function confidenceOf(votes: readonly number[]): {
  votes: number;
  average: number | null;
  distribution: [number, number, number, number, number];
} {
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let sum = 0;
  let n = 0;
  for (const v of votes) {
    if (!Number.isInteger(v) || v < 1 || v > 5) continue;
    distribution[v - 1] = (distribution[v - 1] as number) + 1;
    sum += v;
    n++;
  }
  return { votes: n, average: n > 0 ? sum / n : null, distribution };
}
