// Backlog health and flow metrics, each a pure function over the stories as they are now and their history events.
// History is the source of truth: a story's state, team, iteration, points, blocked reason and rank at any instant is
// its current value with every later change undone (the old value of the first change after that instant). So every
// metric can be asked "as of" any date. The formulas are those of domain.md, one line each in docs/metrics.md.

import { percentile } from "./forecast.js";
import type {
  AssignedReadiness,
  BurnDownDay,
  BurnUpDay,
  CfdDay,
  FlowMetrics,
  IterationResult,
  Readiness,
  ReworkRatio,
  ReworkReason,
  VelocityStats,
} from "./metrics-views.js";
import { REWORK_REASONS } from "./metrics-views.js";
import type { Iteration } from "./train.js";
import { ITEM_TYPES, type ItemType, STORY_STATES, type StoryState } from "./work-item.js";

export const DAY_MS = 86_400_000;
/** The fields whose history the metrics read. */
export const TRACKED_FIELDS = ["state", "teamId", "iterationId", "points", "blockedReason", "rank"] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];
/** How many upcoming iterations the readiness rate looks at unless asked otherwise. */
export const DEFAULT_HORIZON = 2;
/** Velocity for capacity and depth: the average of the last three completed iterations. */
export const RECENT_ITERATIONS = 3;

const FINISHED: readonly string[] = ["done", "accepted"];
const CLOSED: readonly string[] = ["done", "accepted", "split"];
const EARLIER: readonly string[] = ["new", "refining", "ready", "in_progress"];
const READY: readonly string[] = ["ready", "in_progress"];

/** A story as it is now, with what the metrics read of it. */
export interface MetricStory {
  id: string;
  key: string;
  title: string;
  type: ItemType;
  /** Its feature. */
  parentId: string | null;
  /** The story it was split from, if it is a part of a split. */
  splitFrom: string | null;
  createdAt: string;
  state: StoryState;
  teamId: string | null;
  iterationId: string | null;
  points: number | null;
  blockedReason: string | null;
  rank: string;
}

/** One change of a tracked field (an `updated` or `moved` history event). */
export interface FieldChange {
  itemId: string;
  field: TrackedField;
  oldValue: unknown;
  newValue: unknown;
  at: string;
  /** Orders changes made at the same instant (the event's id); else the order given. */
  order?: number;
}

/** Why a story was moved back (a `rework` history event, written with the state change). */
export interface ReworkNote {
  itemId: string;
  at: string;
  reason: string | null;
}

interface Change {
  at: number;
  order: number;
  old: unknown;
  next: unknown;
}

/** The fields a snapshot holds. */
const SNAPSHOT_FIELDS = ["state", "teamId", "iterationId", "points", "blockedReason"] as const;

/** One story's history, ready to be asked what it was at any instant. */
export interface StoryHistory {
  story: MetricStory;
  created: number;
  changes: Record<TrackedField, Change[]>;
  reasons: Map<number, ReworkReason | null>;
  /** Every iteration it has been in. */
  iterations: Set<string>;
  /** Every team it has been in. */
  teams: Set<string>;
  /** When any field but its rank changed, in time order: its snapshot is the same from one to the next. */
  moments: number[];
  /** When it moved back from done or accepted (or was split after acceptance), with the reason given. */
  reworks: { at: number; reason: ReworkReason | null }[];
  /** When it reached done or accepted from unfinished work. */
  finishes: number[];
  /** When it was first in progress, and last left it (Infinity while it still is); null if never. */
  active: { from: number; to: number } | null;
}

/** What a story was at one instant. */
export interface StorySnapshot {
  state: StoryState;
  teamId: string | null;
  iterationId: string | null;
  points: number | null;
  blocked: boolean;
}

export const instant = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
/** The instant a day ends (the next day's midnight, UTC). */
export const endOfDay = (date: string): number => instant(date) + DAY_MS;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const percent = (part: number, whole: number) => (whole > 0 ? round((part / whole) * 100) : null);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Each story with its changes in time order (events may come in any order). */
export function storyHistories(
  stories: readonly MetricStory[],
  changes: readonly FieldChange[],
  notes: readonly ReworkNote[] = [],
): StoryHistory[] {
  const byId = new Map<string, StoryHistory>();
  for (const story of stories) {
    byId.set(story.id, {
      story,
      created: instant(story.createdAt),
      changes: { state: [], teamId: [], iterationId: [], points: [], blockedReason: [], rank: [] },
      reasons: new Map(),
      iterations: new Set(),
      teams: new Set(),
      moments: [],
      reworks: [],
      finishes: [],
      active: null,
    });
  }
  changes.forEach((c, i) => {
    byId
      .get(c.itemId)
      ?.changes[c.field].push({ at: instant(c.at), order: c.order ?? i, old: c.oldValue, next: c.newValue });
  });
  for (const n of notes) {
    const reason = (REWORK_REASONS as readonly string[]).includes(n.reason ?? "") ? (n.reason as ReworkReason) : null;
    byId.get(n.itemId)?.reasons.set(instant(n.at), reason);
  }
  for (const h of byId.values()) {
    for (const list of Object.values(h.changes))
      if (list.length > 1) list.sort((a, b) => a.at - b.at || a.order - b.order);
    settle(h);
  }
  return [...byId.values()];
}

/** A field's value just after `t`: changes at or before `t` have happened, later ones are undone. */
export function valueAt(h: StoryHistory, field: TrackedField, t: number): unknown {
  for (const c of h.changes[field]) if (c.at > t) return c.old;
  return h.story[field];
}

/** What the story was at `t`, or null before it existed. */
export function snapshotAt(h: StoryHistory, t: number): StorySnapshot | null {
  if (h.created > t) return null;
  return {
    state: valueAt(h, "state", t) as StoryState,
    teamId: valueAt(h, "teamId", t) as string | null,
    iterationId: valueAt(h, "iterationId", t) as string | null,
    points: valueAt(h, "points", t) as number | null,
    blocked: valueAt(h, "blockedReason", t) !== null,
  };
}

/** The teams a metric counts: one, or those of the train. */
export type TeamScope = ReadonlySet<string>;

/** Whether a story was one of the teams' at that instant. */
const ofScope = (s: StorySnapshot | null, teams: TeamScope): s is StorySnapshot =>
  s !== null && s.teamId !== null && teams.has(s.teamId);

/** Whether a story has ever been one of the teams': the others count for nothing, so each metric skips them first. */
const touches = (h: StoryHistory, teams: TeamScope): boolean => {
  for (const team of h.teams) if (teams.has(team)) return true;
  return false;
};

/** Whether the story existed and was one of the teams' at `t`. */
const ofTeamsAt = (h: StoryHistory, teams: TeamScope, t: number): boolean => {
  if (h.created > t) return false;
  const team = valueAt(h, "teamId", t);
  return typeof team === "string" && teams.has(team);
};

/**
 * The story's snapshot at each of these instants (in time order) — `visit(index, snapshot)` — worked out again only
 * where one of its changes falls between two of them: a daily series costs a story its changes, not its days.
 */
function eachInstant(
  h: StoryHistory,
  instants: readonly number[],
  visit: (index: number, s: StorySnapshot | null) => void,
): void {
  let snapshot: StorySnapshot | null = null;
  let validUntil = Number.NEGATIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < instants.length; i++) {
    const t = instants[i] as number;
    if (t >= validUntil) {
      snapshot = snapshotAt(h, t);
      while (m < h.moments.length && (h.moments[m] as number) <= t) m++;
      validUntil = Math.min(
        h.moments[m] ?? Number.POSITIVE_INFINITY,
        h.created > t ? h.created : Number.POSITIVE_INFINITY,
      );
    }
    visit(i, snapshot);
  }
}

/** What every metric asks of a story's history, worked out once. */
function settle(h: StoryHistory): void {
  if (h.story.iterationId) h.iterations.add(h.story.iterationId);
  for (const c of h.changes.iterationId) {
    if (typeof c.old === "string") h.iterations.add(c.old);
    if (typeof c.next === "string") h.iterations.add(c.next);
  }
  if (h.story.teamId) h.teams.add(h.story.teamId);
  for (const c of h.changes.teamId) {
    if (typeof c.old === "string") h.teams.add(c.old);
    if (typeof c.next === "string") h.teams.add(c.next);
  }
  const moments = new Set<number>();
  for (const field of SNAPSHOT_FIELDS) for (const c of h.changes[field]) moments.add(c.at);
  h.moments = [...moments].sort((a, b) => a - b);
  let from: number | null = null;
  let to = h.story.state === "in_progress" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const c of h.changes.state) {
    const old = c.old as string;
    const next = c.next as string;
    if ((FINISHED.includes(old) && EARLIER.includes(next)) || (old === "accepted" && next === "split")) {
      h.reworks.push({ at: c.at, reason: h.reasons.get(c.at) ?? null });
    }
    if (FINISHED.includes(next) && !CLOSED.includes(old)) h.finishes.push(c.at);
    if (next === "in_progress" && from === null) from = c.at;
    if (old === "in_progress" && to !== Number.POSITIVE_INFINITY) to = Math.max(to, c.at);
  }
  if (from === null && (h.changes.state[0]?.old ?? h.story.state) === "in_progress") from = h.created;
  h.active = from === null ? null : { from, to };
}

/**
 * One iteration's result for a team (or the train), as of `asOf` if the iteration is still running then: planned at
 * its start, accepted by its end, scope added and removed, carry-over, velocity, say/do. `histories` need only hold
 * the stories ever in the iteration (others count for nothing); its rework is `reworkRatio` over its dates.
 */
export function iterationResult(
  histories: readonly StoryHistory[],
  iteration: Iteration,
  teams: TeamScope,
  asOf: number,
): Omit<IterationResult, "reworked" | "readiness"> {
  const start = instant(iteration.startDate);
  const end = Math.min(endOfDay(iteration.endDate), asOf);
  const completed = endOfDay(iteration.endDate) <= asOf;
  const inIteration = (s: StorySnapshot | null): s is StorySnapshot =>
    ofScope(s, teams) && s.iterationId === iteration.id;
  const planned = new Map<string, StoryHistory>();
  const atEnd = new Map<string, StorySnapshot>();
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    const first = snapshotAt(h, start);
    if (inIteration(first) && !CLOSED.includes(first.state)) planned.set(h.story.id, h);
    const last = snapshotAt(h, end);
    if (inIteration(last)) atEnd.set(h.story.id, last);
  }
  // A planned story split during the iteration is replaced by its parts still in it.
  for (const h of histories) {
    const from = h.story.splitFrom;
    const original = from ? planned.get(from) : undefined;
    if (original && valueAt(original, "state", end) === "split" && atEnd.has(h.story.id)) planned.set(h.story.id, h);
  }
  for (const [id, h] of planned) if (valueAt(h, "state", end) === "split") planned.delete(id);

  const pointsAtStart = (h: StoryHistory) => (snapshotAt(h, start)?.points ?? valueAt(h, "points", end) ?? 0) as number;
  let plannedPoints = 0;
  let acceptedStories = 0;
  let acceptedPoints = 0;
  let plannedDonePoints = 0;
  let removed = 0;
  for (const [id, h] of planned) {
    plannedPoints += pointsAtStart(h);
    const last = atEnd.get(id);
    if (!last) removed++;
    else if (last.state === "accepted") {
      acceptedStories++;
      acceptedPoints += last.points ?? 0;
    }
    if (last && FINISHED.includes(last.state)) plannedDonePoints += last.points ?? 0;
  }
  let added = 0;
  let addedPoints = 0;
  let addedAccepted = 0;
  let carriedOver = 0;
  let velocity = 0;
  for (const h of histories) {
    const last = atEnd.get(h.story.id);
    if (!last || last.state === "split") continue;
    const before = snapshotAt(h, start);
    const isPlanned = planned.has(h.story.id);
    // Done before the iteration began: earlier work, not this iteration's.
    if (!isPlanned && before && inIteration(before) && CLOSED.includes(before.state)) continue;
    if (!isPlanned) {
      added++;
      addedPoints += last.points ?? 0;
      if (last.state === "accepted") addedAccepted++;
    }
    if (FINISHED.includes(last.state)) velocity += last.points ?? 0;
    else carriedOver++;
  }
  return {
    iterationId: iteration.id,
    piId: iteration.piId,
    name: iteration.name,
    number: iteration.number,
    startDate: iteration.startDate,
    endDate: iteration.endDate,
    completed,
    planned: { stories: planned.size, points: plannedPoints },
    accepted: { stories: acceptedStories, points: acceptedPoints },
    added: { stories: added, points: addedPoints, accepted: addedAccepted },
    removed,
    carriedOver: completed ? carriedOver : 0,
    acceptanceRate: percent(acceptedStories, planned.size),
    velocity,
    plannedDone: plannedDonePoints,
    sayDo: percent(plannedDonePoints, plannedPoints),
  };
}

/** Rework Ratio over [from, to): stories moved back from done or accepted ÷ stories that reached done or accepted. */
export function reworkRatio(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  from: number,
  to: number,
): ReworkRatio {
  return reworkRatios(histories, teams, [{ from, to }])[0] as ReworkRatio;
}

/** The Rework Ratio of each of these periods (they may overlap), in one pass over the histories. */
export function reworkRatios(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  periods: readonly { from: number; to: number }[],
): ReworkRatio[] {
  const counts = periods.map(() => ({
    reworked: new Set<string>(),
    completed: new Set<string>(),
    reasons: new Map<ReworkReason | "unknown", number>(),
    reopenings: 0,
  }));
  const within = (at: number) => periods.flatMap((p, i) => (at >= p.from && at < p.to ? [i] : []));
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    for (const r of h.reworks) {
      const hits = within(r.at);
      if (hits.length === 0 || !ofTeamsAt(h, teams, r.at)) continue;
      for (const i of hits) {
        const c = counts[i] as (typeof counts)[number];
        c.reworked.add(h.story.id);
        c.reopenings++;
        const reason = r.reason ?? "unknown";
        c.reasons.set(reason, (c.reasons.get(reason) ?? 0) + 1);
      }
    }
    for (const at of h.finishes) {
      const hits = within(at);
      if (hits.length === 0 || !ofTeamsAt(h, teams, at)) continue;
      for (const i of hits) counts[i]?.completed.add(h.story.id);
    }
  }
  return counts.map((c) => ({
    reworked: c.reworked.size,
    reopenings: c.reopenings,
    completed: c.completed.size,
    ratio: percent(c.reworked.size, c.completed.size),
    reasons: [...c.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
  }));
}

/**
 * Backlog Readiness Rate, assigned form, at `t`: of the teams' open stories assigned to these iterations, those ready
 * (or already in progress). `histories` need only hold the stories ever in them.
 */
export function assignedReadiness(
  histories: readonly StoryHistory[],
  iterationIds: ReadonlySet<string>,
  teams: TeamScope,
  t: number,
): AssignedReadiness {
  let stories = 0;
  let ready = 0;
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    const s = snapshotAt(h, t);
    if (!ofScope(s, teams) || !s.iterationId || !iterationIds.has(s.iterationId) || CLOSED.includes(s.state)) continue;
    stories++;
    if (READY.includes(s.state)) ready++;
  }
  return { stories, ready, rate: percent(ready, stories) };
}

/** Velocity across completed iterations: each one's points, the average, spread and recent average. */
export function velocityStats(results: readonly IterationResult[]): VelocityStats {
  const done = results.filter((r) => r.completed);
  const points = done.map((r) => r.velocity);
  const average = points.length ? points.reduce((a, b) => a + b, 0) / points.length : null;
  const recent = points.slice(-RECENT_ITERATIONS);
  return {
    iterations: done.map((r) => ({ iterationId: r.iterationId, name: r.name, points: r.velocity })),
    average: average === null ? null : round(average),
    deviation:
      average === null ? null : round(Math.sqrt(points.reduce((a, p) => a + (p - average) ** 2, 0) / points.length)),
    min: points.length ? Math.min(...points) : null,
    max: points.length ? Math.max(...points) : null,
    recentAverage: recent.length ? round(recent.reduce((a, b) => a + b, 0) / recent.length) : null,
  };
}

export interface ReadinessInput {
  /** The ART's development iterations, in time order. */
  iterations: readonly Iteration[];
  /** Teams to count (one, or all of the train's). */
  teams: readonly string[];
  /** Capacity in points per team and iteration (`team/iteration`), where set. */
  capacity: ReadonlyMap<string, number>;
  /** Each team's recent average velocity, or null. */
  velocity: ReadonlyMap<string, number | null>;
  horizon: number;
}

/**
 * Backlog Readiness Rate as of `t`, both forms: ready ÷ the stories assigned to the next `horizon` iterations, and
 * ready ÷ the top of each team's ranked backlog that fills its capacity for them; and ready-backlog depth.
 */
export function readiness(histories: readonly StoryHistory[], input: ReadinessInput, t: number): Readiness {
  const upcoming = input.iterations.filter((i) => instant(i.startDate) > t).slice(0, input.horizon);
  const upcomingIds = new Set(upcoming.map((i) => i.id));
  const teams = new Set(input.teams);
  let assigned = 0;
  let assignedReady = 0;
  let readyPoints = 0;
  const open = new Map<string, { rank: string; points: number; ready: boolean }[]>();
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    const s = snapshotAt(h, t);
    if (!s || s.teamId === null || !teams.has(s.teamId) || CLOSED.includes(s.state)) continue;
    const ready = READY.includes(s.state);
    if (s.iterationId && upcomingIds.has(s.iterationId)) {
      assigned++;
      if (ready) assignedReady++;
    }
    if (s.state === "ready") readyPoints += s.points ?? 0;
    if (s.state === "in_progress") continue;
    const list = open.get(s.teamId) ?? [];
    list.push({ rank: valueAt(h, "rank", t) as string, points: s.points ?? 0, ready });
    open.set(s.teamId, list);
  }
  let capacityTotal: number | null = 0;
  let ranked = 0;
  let rankedReady = 0;
  let velocityTotal = 0;
  for (const team of teams) {
    const velocity = input.velocity.get(team) ?? null;
    if (velocity !== null) velocityTotal += velocity;
    // As the health check counts it: the team's velocity, else the capacity it set for every one of them.
    const set = upcoming.map((i) => input.capacity.get(`${team}/${i.id}`));
    const capacity =
      velocity !== null
        ? velocity * upcoming.length
        : set.length > 0 && set.every((c) => c !== undefined)
          ? set.reduce<number>((a, c) => a + (c ?? 0), 0)
          : null;
    if (capacity === null) {
      capacityTotal = null;
      continue;
    }
    if (capacityTotal !== null) capacityTotal += capacity;
    let filled = 0;
    for (const s of (open.get(team) ?? []).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))) {
      if (filled >= capacity) break;
      filled += s.points;
      ranked++;
      if (s.ready) rankedReady++;
    }
  }
  return {
    horizon: { iterations: upcoming.length, iterationIds: upcoming.map((i) => i.id) },
    assigned: { stories: assigned, ready: assignedReady, rate: percent(assignedReady, assigned) },
    ranked: {
      capacity: capacityTotal,
      stories: ranked,
      ready: rankedReady,
      rate: capacityTotal === null ? null : percent(rankedReady, ranked),
    },
    depth: velocityTotal > 0 ? round(readyPoints / velocityTotal) : null,
    readyPoints,
  };
}

/** The ends of the days from `from` (a date) up to and including the day of `to` (an instant), as dates. */
export function daysBetween(from: string, to: number): string[] {
  const days: string[] = [];
  for (let t = instant(from); t < to; t += DAY_MS) days.push(dateOf(t));
  return days;
}

/** What each story of the teams was at the end of each of these days (or at `to`, if earlier), while it was theirs. */
function eachDay(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  dates: readonly string[],
  to: number,
  visit: (day: number, s: StorySnapshot) => void,
): void {
  const ends = dates.map((d) => Math.min(endOfDay(d), to) - 1);
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    eachInstant(h, ends, (d, s) => {
      if (ofScope(s, teams)) visit(d, s);
    });
  }
}

/** The flow of one story: first in progress, first done or accepted, and the time blocked between them. */
function flowOf(h: StoryHistory): { start: number | null; finish: number | null; blocked: number } {
  const start = h.active?.from ?? null;
  const finish = h.finishes[0] ?? null;
  if (start === null || finish === null || finish < start) return { start, finish, blocked: 0 };
  let blocked = 0;
  let since: number | null = valueAt(h, "blockedReason", start) !== null ? start : null;
  for (const c of h.changes.blockedReason) {
    if (c.at <= start || c.at > finish) continue;
    if (c.next !== null && since === null) since = c.at;
    if (c.next === null && since !== null) {
      blocked += c.at - since;
      since = null;
    }
  }
  if (since !== null) blocked += finish - since;
  return { start, finish, blocked };
}

/**
 * SAFe's six flow metrics over [from, to) for a team (or the train): distribution, velocity, time, load, efficiency,
 * and predictability (given, from the PI objectives).
 */
export function flowMetrics(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  period: { from: string; to: number; iterations: readonly Iteration[] },
  predictability: number | null,
): FlowMetrics {
  const from = instant(period.from);
  const to = period.to;
  const times: number[] = [];
  let flowTotal = 0;
  let blockedTotal = 0;
  const perIteration = period.iterations.map((i) => ({ iterationId: i.id, name: i.name, count: 0 }));
  const types = new Map<ItemType, number>();
  const days = daysBetween(period.from, to);
  const active: StoryHistory[] = [];
  const load = days.map((date) => ({ date, count: 0 }));
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    const flow = flowOf(h);
    const finished =
      flow.finish !== null && flow.finish >= from && flow.finish < to && ofTeamsAt(h, teams, flow.finish);
    const atEnd = snapshotAt(h, to - 1);
    const inProgress = ofScope(atEnd, teams) && atEnd.state === "in_progress";
    if (finished || inProgress) types.set(h.story.type, (types.get(h.story.type) ?? 0) + 1);
    if (finished && flow.finish !== null) {
      const index = period.iterations.findIndex(
        (i) => flow.finish !== null && flow.finish >= instant(i.startDate) && flow.finish < endOfDay(i.endDate),
      );
      if (index >= 0) (perIteration[index] as { count: number }).count++;
      if (flow.start !== null && flow.start <= flow.finish) {
        const time = flow.finish - flow.start;
        times.push(time / DAY_MS);
        flowTotal += time;
        blockedTotal += flow.blocked;
      }
    }
    if (h.active && h.active.to >= from && h.active.from < to) active.push(h);
  }
  eachDay(active, teams, days, to, (d, s) => {
    if (s.state === "in_progress") (load[d] as { count: number }).count++;
  });
  const counted = [...types.values()].reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  return {
    from: period.from,
    to: dateOf(to - 1),
    distribution: ITEM_TYPES.map((type) => ({
      type,
      count: types.get(type) ?? 0,
      percent: percent(types.get(type) ?? 0, counted) ?? 0,
    })),
    velocity: { total: perIteration.reduce((a, i) => a + i.count, 0), perIteration },
    time: {
      count: times.length,
      average: times.length ? round(times.reduce((a, b) => a + b, 0) / times.length) : null,
      percentiles: times.length
        ? { p50: round(percentile(times, 50)), p85: round(percentile(times, 85)), p95: round(percentile(times, 95)) }
        : null,
    },
    load: {
      current: load.at(-1)?.count ?? 0,
      average: load.length ? round(load.reduce((a, d) => a + d.count, 0) / load.length) : null,
      days: load,
    },
    efficiency: {
      percent: percent(flowTotal - blockedTotal, flowTotal),
      activeDays: round((flowTotal - blockedTotal) / DAY_MS),
      blockedDays: round(blockedTotal / DAY_MS),
    },
    predictability,
  };
}

/** Each day of a PI up to `to`: points of the stories in its iterations, and of those done or accepted. */
export function burnUp(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  pi: { startDate: string; iterations: readonly Iteration[] },
  to: number,
): BurnUpDay[] {
  const ids = new Set(pi.iterations.map((i) => i.id));
  const dates = daysBetween(pi.startDate, to);
  const days = dates.map((date) => ({ date, scope: 0, done: 0 }));
  eachDay(histories, teams, dates, to, (d, s) => {
    if (!s.iterationId || !ids.has(s.iterationId) || s.state === "split") return;
    const day = days[d] as BurnUpDay;
    day.scope += s.points ?? 0;
    if (FINISHED.includes(s.state)) day.done += s.points ?? 0;
  });
  return days;
}

/** Each day of an iteration up to `to`: points of its stories not yet done, beside the ideal line. */
export function burnDown(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  iteration: Iteration,
  to: number,
): BurnDownDay[] {
  const start = instant(iteration.startDate);
  const length = Math.max(1, (endOfDay(iteration.endDate) - start) / DAY_MS);
  let atStart = 0;
  for (const h of histories) {
    const s = snapshotAt(h, start);
    if (ofScope(s, teams) && s.iterationId === iteration.id && !CLOSED.includes(s.state)) atStart += s.points ?? 0;
  }
  const dates = daysBetween(iteration.startDate, Math.min(to, endOfDay(iteration.endDate)));
  const remaining = dates.map(() => 0);
  eachDay(histories, teams, dates, to, (d, s) => {
    if (s.iterationId === iteration.id && !CLOSED.includes(s.state)) {
      remaining[d] = (remaining[d] as number) + (s.points ?? 0);
    }
  });
  return dates.map((date, d) => ({
    date,
    remaining: remaining[d] as number,
    ideal: round(atStart * (1 - (d + 1) / length)),
  }));
}

/** Cumulative flow: each day of a PI up to `to`, how many of its stories were in each state. */
export function cumulativeFlow(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  pi: { startDate: string; iterations: readonly Iteration[] },
  to: number,
): CfdDay[] {
  const ids = new Set(pi.iterations.map((i) => i.id));
  const dates = daysBetween(pi.startDate, to);
  const days = dates.map((date) => ({
    date,
    counts: Object.fromEntries(STORY_STATES.map((s) => [s, 0])) as Record<StoryState, number>,
  }));
  eachDay(histories, teams, dates, to, (d, s) => {
    if (s.iterationId && ids.has(s.iterationId)) (days[d] as CfdDay).counts[s.state]++;
  });
  return days;
}

/** Stories a team (or the train) finished on each of the `days` days ending with the day of `t`, oldest first. */
export function dailyThroughput(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  t: number,
  days: number,
): number[] {
  const end = endOfDay(dateOf(t));
  const start = end - days * DAY_MS;
  const counts = new Array<number>(days).fill(0);
  for (const h of histories) {
    const first = h.finishes[0];
    if (first === undefined || first < start || first >= end || !ofTeamsAt(h, teams, first)) continue;
    const day = Math.floor((first - start) / DAY_MS);
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return counts;
}
