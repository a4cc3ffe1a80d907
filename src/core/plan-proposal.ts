// The planner: drafts an iteration plan for a PI's open iterations — a proposal the POPMs review and accept in whole or in
// part, never a silent change. Pure and deterministic: the same input (in any array order) gives the same proposal.
//
// The rules, in order:
// - Locked stories (in progress, done, accepted, or in an iteration that is not open) never move; those in an open
//   iteration use up its capacity, and their points count toward their kind of work's allocation first.
// - The other stories (the candidates) are decided one by one in priority order (ties by id). A story that others
//   depend on is decided before them: when a consumer comes up while one of its providers is still undecided, that
//   provider is decided first ("taken early because … depends on it").
// - A story stays in the open iteration it is already in when it still fits there (room left, after its providers,
//   before its needed-by and its consumers): the proposal keeps the team's own plan and only fills the gaps. Otherwise
//   it goes to the earliest open iteration with room (capacity − load ≥ its points) that is after the latest iteration
//   of every provider it depends on, and strictly before the needed-by iteration of every dependency it provides for
//   and before every consumer already in an iteration. An iteration with no capacity set has no room.
// - With an allocation policy, each kind of work (business, enabler, maintenance) may hold at most its share of the
//   train's capacity for the PI (all teams, all its iterations), counting locked stories (anywhere in the PI) first.
// - A story that cannot be placed gets `to: null` in `placements` (taken out of its iteration when it was in one) and is
//   listed in `unplaced` with the reason: not estimated, no capacity set, waits on a provider that cannot be placed,
//   its kind's allocation is full, it is in a dependency cycle, or no open iteration has room within its bounds.
// - Dependency ends that are not among the input's stories are ignored (the planner cannot know where they land), and so
//   is a locked story that is in no iteration.
import { type AllocationShare, stronglyConnected, workKindOf } from "./pi-planning.js";
import { type AllocationPolicy, WORK_KINDS, type WorkKind } from "./train.js";
import type { ItemType } from "./work-item.js";

export interface PlanIteration {
  id: string;
  /** Ordinal across the ART. */
  order: number;
  name: string;
  /** Not started, and a development iteration. */
  open: boolean;
}
export interface PlanStory {
  id: string;
  key: string;
  teamId: string;
  points: number | null;
  type: ItemType;
  featureId: string | null;
  /** 0 = first; the use case orders by feature WSJF (or rank), then team rank. */
  priority: number;
  iterationId: string | null;
  /** In progress, done, accepted, or in an iteration that is not open. */
  locked: boolean;
}
export interface PlanDependency {
  id: string;
  /** Stories; a feature expands to its stories. */
  consumerIds: string[];
  providerIds: string[];
  /** Iteration order. */
  neededBy: number | null;
  /** The consumer item's key (e.g. a feature's) for reasons; else the first consumer story's key is named. */
  consumerKey?: string;
}
export interface PlanInput {
  iterations: PlanIteration[];
  /** teamId → iterationId → points (null = not set). */
  capacity: Record<string, Record<string, number | null>>;
  stories: PlanStory[];
  dependencies: PlanDependency[];
  allocation: AllocationPolicy | null;
  /** Team names for reasons ("no capacity set for team Core"); the team's id is named without it. */
  teams?: { id: string; key?: string; name: string }[];
}
export interface Placement {
  storyId: string;
  from: string | null;
  to: string | null;
  /** One sentence a POPM reads on hover: its place in the order and what decided the iteration. */
  reason: string;
}
export interface PlanProposal {
  /** Every candidate, in priority order; `to: null` when it cannot be placed (then also in `unplaced`). */
  placements: Placement[];
  unplaced: { storyId: string; reason: string }[];
  /** Every team × open iteration (teams by id, iterations in order): load before and after the proposal. */
  load: { teamId: string; iterationId: string; capacity: number | null; before: number; after: number }[];
  /** The train's total capacity in the PI's iterations (unset counts 0): what the allocation shares are of. */
  capacity: number;
  /** Each kind of work's points in the open iterations after the proposal, against the policy's share of `capacity`. */
  allocation: AllocationShare[];
}

const EPSILON = 1e-9;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${suffix}`;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10));
const pts = (n: number) => `${fmt(n)} ${n === 1 ? "point" : "points"}`;

/** Bounds on a story's iteration and what set them. */
interface Bounds {
  /** Earliest allowed iteration order, and the provider that sets it. */
  lo: number;
  loWhy: { key: string; order: number } | null;
  /** Iteration orders strictly below this one are allowed. */
  hi: number;
  hiWhy: { key: string; needed: boolean } | null;
}

/**
 * Drafts an iteration plan: stories in priority order into the earliest open iteration with room, providers before
 * their consumers and needed-by iterations, within the capacity allocation; the rest listed with the reason.
 */
export function proposePlan(input: PlanInput): PlanProposal {
  const iterations = [...input.iterations].sort((a, b) => a.order - b.order || byText(a.id, b.id));
  const open = iterations.filter((i) => i.open);
  const orderOf = new Map(iterations.map((i) => [i.id, i.order]));
  const nameAt = new Map<number, string>();
  for (const i of iterations) if (!nameAt.has(i.order)) nameAt.set(i.order, i.name);
  const iterationName = (order: number) => nameAt.get(order) ?? `iteration ${order}`;
  const openAt = new Map(open.map((i, k) => [i.id, k]));

  const teamLabel = new Map((input.teams ?? []).map((t) => [t.id, t.name]));
  const teamName = (id: string) => teamLabel.get(id) ?? id;

  const stories = [...input.stories].sort((a, b) => byText(a.id, b.id));
  const storyById = new Map(stories.map((s) => [s.id, s]));
  const keyOf = (id: string) => storyById.get(id)?.key ?? id;
  const byPriority = (a: PlanStory, b: PlanStory) => a.priority - b.priority || byText(a.id, b.id);
  const candidates = stories.filter((s) => !s.locked).sort(byPriority);
  const position = new Map(candidates.map((s, i) => [s.id, i + 1]));

  // Capacity and load per team × open iteration.
  const teamIds = [...new Set([...Object.keys(input.capacity), ...stories.map((s) => s.teamId)])].sort(byText);
  const capacity = new Map<string, (number | null)[]>();
  const used = new Map<string, number[]>();
  const before = new Map<string, number[]>();
  for (const t of teamIds) {
    const set = input.capacity[t];
    capacity.set(
      t,
      open.map((i) => set?.[i.id] ?? null),
    );
    used.set(t, new Array(open.length).fill(0));
    before.set(t, new Array(open.length).fill(0));
  }
  // The allocation is of the whole PI, as the Plan screen shows it: every iteration's capacity, and every locked story
  // in any of its iterations (done work of started iterations included).
  const totalCapacity = teamIds.reduce(
    (sum, t) => sum + iterations.reduce((a, i) => a + (input.capacity[t]?.[i.id] ?? 0), 0),
    0,
  );
  const kindPoints: Record<WorkKind, number> = { business: 0, enabler: 0, maintenance: 0 };
  const policy = input.allocation;
  const limitOf = (kind: WorkKind) => (policy ? (policy[kind] / 100) * totalCapacity : null);

  // Where each story ends up (iteration order; null = in none). Locked stories are where they are.
  const at = new Map<string, number | null>();
  for (const s of stories) {
    const k = s.iterationId === null ? undefined : openAt.get(s.iterationId);
    const points = s.points ?? 0;
    if (k !== undefined) {
      const was = before.get(s.teamId) as number[];
      was[k] = (was[k] as number) + points;
    }
    if (!s.locked) continue;
    at.set(s.id, s.iterationId === null ? null : (orderOf.get(s.iterationId) ?? null));
    if (s.iterationId !== null && orderOf.has(s.iterationId)) kindPoints[workKindOf(s.type)] += points;
    if (k !== undefined) {
      const load = used.get(s.teamId) as number[];
      load[k] = (load[k] as number) + points;
    }
  }

  // Dependencies as story lists, each list in priority order.
  const deps = [...input.dependencies]
    .sort((a, b) => byText(a.id, b.id))
    .map((d) => {
      const known = (ids: string[]) =>
        [...new Set(ids)]
          .map((id) => storyById.get(id))
          .filter((s): s is PlanStory => s !== undefined)
          .sort(byPriority)
          .map((s) => s.id);
      return { ...d, consumers: known(d.consumerIds), providers: known(d.providerIds) };
    });
  const asConsumer = new Map<string, number[]>();
  const asProvider = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, id: string, d: number) => {
    const list = map.get(id);
    if (list) list.push(d);
    else map.set(id, [d]);
  };
  deps.forEach((d, i) => {
    for (const c of d.consumers) add(asConsumer, c, i);
    for (const p of d.providers) add(asProvider, p, i);
  });

  // Dependency cycles: stories and dependencies as nodes, provider → dependency → consumer.
  const storyIndex = new Map(stories.map((s, i) => [s.id, i]));
  const next: number[][] = [...stories.map(() => [] as number[]), ...deps.map(() => [] as number[])];
  deps.forEach((d, i) => {
    for (const p of d.providers) next[storyIndex.get(p) as number]?.push(stories.length + i);
    for (const c of d.consumers) next[stories.length + i]?.push(storyIndex.get(c) as number);
  });
  // Each story on a cycle → the stories of its cycle (one shared list per cycle, in priority order).
  const cycleWith = new Map<string, PlanStory[]>();
  for (const group of stronglyConnected(next.length, next)) {
    if (group.length < 2) continue;
    const members = group
      .filter((n) => n < stories.length)
      .map((n) => stories[n] as PlanStory)
      .sort(byPriority);
    for (const s of members) cycleWith.set(s.id, members);
  }

  const decided = new Map<string, { to: string | null; reason: string; unplaced: string | null }>();
  const pulledBy = new Map<string, string>();

  const boundsOf = (s: PlanStory): Bounds | { waitsOn: string } => {
    const b: Bounds = { lo: Number.NEGATIVE_INFINITY, loWhy: null, hi: Number.POSITIVE_INFINITY, hiWhy: null };
    for (const d of asConsumer.get(s.id) ?? []) {
      for (const p of (deps[d] as (typeof deps)[number]).providers) {
        if (p === s.id) continue;
        const done = decided.get(p);
        if (done && done.to === null && !(storyById.get(p) as PlanStory).locked) return { waitsOn: keyOf(p) };
        const order = at.get(p) ?? null;
        if (order !== null && order + 1 > b.lo) {
          b.lo = order + 1;
          b.loWhy = { key: keyOf(p), order };
        }
      }
    }
    for (const d of asProvider.get(s.id) ?? []) {
      const dep = deps[d] as (typeof deps)[number];
      if (dep.neededBy !== null && dep.neededBy < b.hi) {
        b.hi = dep.neededBy;
        b.hiWhy = { key: dep.consumerKey ?? keyOf(dep.consumers[0] ?? dep.id), needed: true };
      }
      for (const c of dep.consumers) {
        const order = at.get(c) ?? null;
        if (order !== null && order < b.hi) {
          b.hi = order;
          b.hiWhy = { key: keyOf(c), needed: false };
        }
      }
    }
    return b;
  };

  /** Where a story goes (an open iteration's index and why), or why it cannot be placed. */
  const placeOf = (s: PlanStory): { k: number; why: string } | { refused: string } => {
    const cycle = cycleWith.get(s.id);
    if (cycle) {
      const others = cycle.length - 1;
      if (others === 0) return { refused: "dependency cycle: it depends on itself" };
      const shown = cycle
        .slice(0, 4)
        .filter((m) => m.id !== s.id)
        .slice(0, 3)
        .map((m) => m.key);
      const more = others > 3 ? ` and ${others - 3} more` : "";
      return { refused: `dependency cycle with ${shown.join(", ")}${more}` };
    }
    if (s.points === null) return { refused: "not estimated" };
    const points = s.points;
    const caps = capacity.get(s.teamId) as (number | null)[];
    if (open.length === 0) return { refused: "no open iteration to plan into" };
    if (caps.every((c) => c === null)) return { refused: `no capacity set for team ${teamName(s.teamId)}` };
    const bounds = boundsOf(s);
    if ("waitsOn" in bounds) return { refused: `waits on ${bounds.waitsOn}, which cannot be placed` };
    const kind = workKindOf(s.type);
    const limit = limitOf(kind);
    if (limit !== null && kindPoints[kind] + points > limit + EPSILON) {
      return { refused: `${kind} allocation full (${policy?.[kind]}% = ${pts(limit)})` };
    }
    const load = used.get(s.teamId) as number[];
    const within = (k: number) => {
      const order = (open[k] as PlanIteration).order;
      return order >= bounds.lo && order < bounds.hi;
    };
    const fits = (k: number) => {
      const cap = caps[k] ?? null;
      return cap !== null && cap - (load[k] as number) >= points - EPSILON;
    };
    const current = s.iterationId === null ? undefined : openAt.get(s.iterationId);
    if (current !== undefined && within(current) && fits(current)) {
      return { k: current, why: `stays in ${(open[current] as PlanIteration).name}: still fits` };
    }
    for (let k = 0; k < open.length; k++) {
      if (!within(k) || !fits(k)) continue;
      const name = (open[k] as PlanIteration).name;
      const skipped = open.slice(0, k).some((i) => i.order >= bounds.lo && i.order < bounds.hi);
      const provider = bounds.loWhy !== null && (open[0] as PlanIteration).order < bounds.lo ? bounds.loWhy : null;
      const why = provider
        ? `${name} is the earliest ${skipped ? "with room " : ""}after ${provider.key} in ${iterationName(provider.order)}`
        : skipped
          ? `${name} is the earliest iteration with room`
          : `${name} is the first open iteration and has room`;
      return { k, why };
    }
    const after = bounds.loWhy ? `after ${iterationName(bounds.loWhy.order)} (${bounds.loWhy.key} lands there)` : null;
    const needs = bounds.hiWhy?.needed ? `needed by ${bounds.hiWhy.key}` : `${bounds.hiWhy?.key} is planned there`;
    const beforeText = bounds.hiWhy ? `before ${iterationName(bounds.hi)} (${needs})` : null;
    const range = [after, beforeText].filter((t) => t !== null).join(" and ");
    if (!open.some((_, k) => within(k))) return { refused: `no open iteration ${range}` };
    if (range === "") return { refused: `no room in ${teamName(s.teamId)} for ${pts(points)} in any open iteration` };
    return { refused: `no room in ${teamName(s.teamId)} ${range}` };
  };

  /** Decides one story and books its points where it goes. */
  const decide = (s: PlanStory): void => {
    const nth = `${ordinal(position.get(s.id) as number)} in priority order`;
    const pulled = pulledBy.get(s.id);
    const lead = pulled ? `${nth}, taken early because ${keyOf(pulled)} depends on it` : nth;
    const outcome = placeOf(s);
    if ("refused" in outcome) {
      decided.set(s.id, { to: null, reason: `${lead}; not placed: ${outcome.refused}.`, unplaced: outcome.refused });
      at.set(s.id, null);
      return;
    }
    const points = s.points as number;
    const caps = capacity.get(s.teamId) as (number | null)[];
    const load = used.get(s.teamId) as number[];
    const iteration = open[outcome.k] as PlanIteration;
    load[outcome.k] = (load[outcome.k] as number) + points;
    kindPoints[workKindOf(s.type)] += points;
    at.set(s.id, iteration.order);
    const cap = caps[outcome.k] as number;
    const left = `${fmt(cap - (load[outcome.k] as number))} of ${pts(cap)} left in ${teamName(s.teamId)}`;
    decided.set(s.id, { to: iteration.id, reason: `${lead}; ${outcome.why} (${left}).`, unplaced: null });
  };

  for (const c of candidates) {
    const stack = [c.id];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as string;
      if (decided.has(top)) {
        stack.pop();
        continue;
      }
      const story = storyById.get(top) as PlanStory;
      const pending: PlanStory[] = [];
      if (!cycleWith.has(top)) {
        for (const d of asConsumer.get(top) ?? []) {
          for (const p of (deps[d] as (typeof deps)[number]).providers) {
            const provider = storyById.get(p) as PlanStory;
            if (p !== top && !provider.locked && !decided.has(p)) pending.push(provider);
          }
        }
      }
      if (pending.length === 0) {
        stack.pop();
        decide(story);
        continue;
      }
      pending.sort(byPriority);
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = (pending[i] as PlanStory).id;
        if (!pulledBy.has(p)) pulledBy.set(p, top);
        stack.push(p);
      }
    }
  }

  const placements: Placement[] = [];
  const unplaced: { storyId: string; reason: string }[] = [];
  for (const s of candidates) {
    const d = decided.get(s.id) as { to: string | null; reason: string; unplaced: string | null };
    placements.push({ storyId: s.id, from: s.iterationId, to: d.to, reason: d.reason });
    if (d.unplaced !== null) unplaced.push({ storyId: s.id, reason: d.unplaced });
  }
  const load: PlanProposal["load"] = [];
  for (const t of teamIds) {
    open.forEach((i, k) => {
      load.push({
        teamId: t,
        iterationId: i.id,
        capacity: (capacity.get(t) as (number | null)[])[k] ?? null,
        before: (before.get(t) as number[])[k] as number,
        after: (used.get(t) as number[])[k] as number,
      });
    });
  }
  const planned = kindPoints.business + kindPoints.enabler + kindPoints.maintenance;
  const allocation: AllocationShare[] = WORK_KINDS.map((kind) => {
    const limit = limitOf(kind);
    return {
      kind,
      points: kindPoints[kind],
      share: planned > 0 ? kindPoints[kind] / planned : 0,
      policyShare: policy ? policy[kind] / 100 : null,
      limit,
      over: limit !== null && kindPoints[kind] > limit + EPSILON,
    };
  });
  return { placements, unplaced, load, capacity: totalCapacity, allocation };
}
