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

/** The histories of the stories ever in each iteration. */
export function historiesByIteration(histories: readonly StoryHistory[]): Map<string, StoryHistory[]> {
  const byIteration = new Map<string, StoryHistory[]>();
  for (const h of histories) {
    for (const id of h.iterations) {
      const list = byIteration.get(id);
      if (list) list.push(h);
      else byIteration.set(id, [h]);
    }
  }
  return byIteration;
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

/** A story of an iteration: what it was at the iteration's start and at its end (null: it did not exist yet). */
export interface IterationStory {
  id: string;
  /** The story it was split from, if it is a part of a split. */
  splitFrom: string | null;
  start: StorySnapshot | null;
  end: StorySnapshot | null;
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
): IterationOutcome {
  const start = instant(iteration.startDate);
  const end = Math.min(endOfDay(iteration.endDate), asOf);
  const stories = histories
    .filter((h) => touches(h, teams))
    .map((h) => ({
      id: h.story.id,
      splitFrom: h.story.splitFrom,
      start: snapshotAt(h, start),
      end: snapshotAt(h, end),
    }));
  return iterationOutcome(stories, iteration, teams, asOf);
}

export type IterationOutcome = Omit<IterationResult, "reworked" | "readiness">;

/**
 * `iterationResult` from the iteration's stories as they were at its start and at its end (or `asOf`): those in it
 * at either instant, and those planned at its start wherever they went.
 */
export function iterationOutcome(
  stories: readonly IterationStory[],
  iteration: Iteration,
  teams: TeamScope,
  asOf: number,
): IterationOutcome {
  const completed = endOfDay(iteration.endDate) <= asOf;
  const inIteration = (s: StorySnapshot | null): s is StorySnapshot =>
    ofScope(s, teams) && s.iterationId === iteration.id;
  const planned = new Map<string, IterationStory>();
  const atEnd = new Map<string, StorySnapshot>();
  for (const story of stories) {
    if (inIteration(story.start) && !CLOSED.includes(story.start.state)) planned.set(story.id, story);
    if (inIteration(story.end)) atEnd.set(story.id, story.end);
  }
  // A planned story split during the iteration is replaced by its parts still in it.
  for (const story of stories) {
    const original = story.splitFrom ? planned.get(story.splitFrom) : undefined;
    if (original?.end?.state === "split" && atEnd.has(story.id)) planned.set(story.id, story);
  }
  for (const [id, story] of planned) if (story.end?.state === "split") planned.delete(id);

  const pointsAtStart = (story: IterationStory) => story.start?.points ?? story.end?.points ?? 0;
  let plannedPoints = 0;
  let acceptedStories = 0;
  let acceptedPoints = 0;
  let plannedDonePoints = 0;
  let removed = 0;
  for (const [id, story] of planned) {
    plannedPoints += pointsAtStart(story);
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
  for (const story of stories) {
    const last = atEnd.get(story.id);
    if (!last || last.state === "split") continue;
    const isPlanned = planned.has(story.id);
    // Done before the iteration began: earlier work, not this iteration's.
    if (!isPlanned && inIteration(story.start) && CLOSED.includes(story.start.state)) continue;
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

// Daily records. Every daily series, and the flow and rework metrics, are read from one record per day: what the
// teams' stories were at its end, and what happened to them during it. A day's record follows from the day before's
// and the stories that changed on the day (`nextDay`); once the day is over nothing can change it, since history is
// only ever appended at the present. So the records can be kept (see seal-metrics) as well as worked out again.

/** Stories and their points. */
export type Tally = [stories: number, points: number];

export interface DayRecord {
  /** The day (yyyy-mm-dd); its record is as of its end, or of the instant it was made if that came first. */
  day: string;
  /** At the end of the day, per iteration ("" for none) and state: the stories and their points. */
  stories: Record<string, Partial<Record<StoryState, Tally>>>;
  /** At the end of the day: the stories in progress, per type. */
  inProgress: Partial<Record<ItemType, number>>;
  /** At the end of the day: the stories in progress that had been finished before (moved back), by key, with type. */
  reopened: [key: string, type: ItemType][];
  /** Stories finished for the first time during the day, with their flow time and time blocked in it (ms). */
  finished: [key: string, type: ItemType, flowTime: number | null, blocked: number][];
  /** Stories that reached done or accepted from unfinished work during the day, but those `finished` (for short). */
  completed: string[];
  /** Moves back from done or accepted during the day, with the reason given. */
  reworked: [key: string, reason: ReworkReason | null][];
}

const copyStories = (stories: DayRecord["stories"]): DayRecord["stories"] =>
  Object.fromEntries(
    Object.entries(stories).map(([iteration, states]) => [
      iteration,
      Object.fromEntries(Object.entries(states).map(([state, [n, p]]) => [state, [n, p]])),
    ]),
  );

function count(record: DayRecord, type: ItemType, s: StorySnapshot, sign: 1 | -1): void {
  const key = s.iterationId ?? "";
  const states = record.stories[key] ?? {};
  const [n, p] = states[s.state] ?? [0, 0];
  if (n + sign === 0) delete states[s.state];
  else states[s.state] = [n + sign, p + sign * (s.points ?? 0)];
  if (Object.keys(states).length === 0) delete record.stories[key];
  else record.stories[key] = states;
  if (s.state !== "in_progress") return;
  const wip = (record.inProgress[type] ?? 0) + sign;
  if (wip === 0) delete record.inProgress[type];
  else record.inProgress[type] = wip;
}

/**
 * The record of `day` (up to `to` if the day has not ended by then) for the teams, from the record of the day before
 * (null: start from nothing, and `changed` must hold every story) and the histories of the stories that changed on the
 * day — created, or a field but rank changed. The histories must reach back to the day's start (further, to a story's
 * first change into progress, for those finished for the first time on the day).
 */
export function nextDay(
  prev: DayRecord | null,
  changed: Iterable<StoryHistory>,
  teams: TeamScope,
  day: string,
  to: number,
): DayRecord {
  const from = instant(day);
  const end = Math.min(endOfDay(day), to);
  const record: DayRecord = {
    day,
    stories: copyStories(prev?.stories ?? {}),
    inProgress: { ...prev?.inProgress },
    reopened: [],
    finished: [],
    completed: [],
    reworked: [],
  };
  const reopened = new Map(prev?.reopened);
  const completed = new Set<string>();
  const during = (at: number) => at >= from && at < end;
  for (const h of changed) {
    if (!touches(h, teams)) continue;
    // Stories are known by key in a record: shorter than their ids, and as unique.
    const { key: id, type } = h.story;
    const was = prev ? snapshotAt(h, from - 1) : null;
    if (ofScope(was, teams)) count(record, type, was, -1);
    reopened.delete(id);
    const is = snapshotAt(h, end - 1);
    if (ofScope(is, teams)) {
      count(record, type, is, 1);
      if (is.state === "in_progress" && (h.finishes[0] ?? end) < end) reopened.set(id, type);
    }
    const flow = flowOf(h);
    if (flow.finish !== null && during(flow.finish) && ofTeamsAt(h, teams, flow.finish)) {
      const time = flow.start !== null && flow.start <= flow.finish ? flow.finish - flow.start : null;
      record.finished.push([id, type, time, flow.blocked]);
    }
    for (const at of h.finishes) if (during(at) && ofTeamsAt(h, teams, at)) completed.add(id);
    for (const r of h.reworks) if (during(r.at) && ofTeamsAt(h, teams, r.at)) record.reworked.push([id, r.reason]);
  }
  record.reopened = [...reopened];
  for (const [key] of record.finished) completed.delete(key);
  record.completed = [...completed];
  return record;
}

/**
 * The records of the days from `from` (a date) to the day of `to` (an instant), worked out from the histories; from
 * the record of the day before `from` if given (then the histories need only hold the stories changed since).
 */
export function dayRecords(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  from: string,
  to: number,
  before: DayRecord | null = null,
): DayRecord[] {
  const days = daysBetween(from, to);
  const first = instant(from);
  const changedOn = days.map(() => new Set<StoryHistory>());
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    for (const t of [h.created, ...h.moments]) {
      const d = Math.floor((t - first) / DAY_MS);
      if (d >= (before ? 0 : 1) && d < days.length) changedOn[d]?.add(h);
    }
  }
  const records: DayRecord[] = [];
  let prev = before;
  days.forEach((day, d) => {
    prev = nextDay(prev, prev === null ? histories : (changedOn[d] as Set<StoryHistory>), teams, day, to);
    records.push(prev);
  });
  return records;
}

/** A record of a day on which nothing was there and nothing happened. */
export const emptyRecord = (day: string): DayRecord => ({
  day,
  stories: {},
  inProgress: {},
  reopened: [],
  finished: [],
  completed: [],
  reworked: [],
});

/**
 * A record for each day from `from` to `to` (dates, both included): those given, and for a day without one, the
 * stories as the day before left them (or none) with nothing happening.
 */
export function everyDay(records: readonly DayRecord[], from: string, to: string): DayRecord[] {
  const byDay = new Map(records.map((r) => [r.day, r]));
  let last: DayRecord | undefined = records.filter((r) => r.day < from).at(-1);
  return daysBetween(from, endOfDay(to)).map((day) => {
    const r = byDay.get(day) ?? { ...emptyRecord(day), ...(last && pick(last)) };
    last = r;
    return r;
  });
}
const pick = (r: DayRecord) => ({ stories: r.stories, inProgress: r.inProgress, reopened: r.reopened });

/** The records of the days from one date to another, both included. */
const recordsBetween = (records: readonly DayRecord[], from: string, to: string) =>
  records.filter((r) => r.day >= from && r.day <= to);

/** The stories and points of these iterations at the end of a day, those in `states` only if given. */
function tally(record: DayRecord | undefined, iterationIds: Iterable<string>, states?: readonly string[]): Tally {
  let stories = 0;
  let points = 0;
  for (const id of iterationIds) {
    for (const [state, [n, p]] of Object.entries(record?.stories[id] ?? {})) {
      if (states && !states.includes(state)) continue;
      stories += n;
      points += p;
    }
  }
  return [stories, points];
}

const OPEN: readonly string[] = ["new", "refining", "ready", "in_progress"];

/**
 * Backlog Readiness Rate, assigned form, at the end of a day's record: of the open stories assigned to these
 * iterations, those ready (or already in progress).
 */
export function assignedReadinessOf(
  record: DayRecord | undefined,
  iterationIds: ReadonlySet<string>,
): AssignedReadiness {
  const [stories] = tally(record, iterationIds, OPEN);
  const [ready] = tally(record, iterationIds, READY);
  return { stories, ready, rate: percent(ready, stories) };
}

/** `assignedReadinessOf` the teams' stories at `t`, from their histories. */
export function assignedReadiness(
  histories: readonly StoryHistory[],
  iterationIds: ReadonlySet<string>,
  teams: TeamScope,
  t: number,
): AssignedReadiness {
  return assignedReadinessOf(recordAt(histories, teams, t), iterationIds);
}

/** A record of the stories as they were at `t` (what happened during its day is left out). */
const recordAt = (histories: readonly StoryHistory[], teams: TeamScope, t: number) =>
  nextDay(null, histories, teams, dateOf(t), t + 1);

/** Rework Ratio over [from, to): stories moved back from done or accepted ÷ stories that reached done or accepted. */
export function reworkRatio(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  from: number,
  to: number,
): ReworkRatio {
  return reworkRatios(histories, teams, [{ from, to }])[0] as ReworkRatio;
}

/** The Rework Ratio of each of these periods (from midnight to midnight, or `to`), from the histories. */
export function reworkRatios(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  periods: readonly { from: number; to: number }[],
): ReworkRatio[] {
  if (periods.length === 0) return [];
  const from = Math.min(...periods.map((p) => p.from));
  const to = Math.max(...periods.map((p) => p.to));
  const records = dayRecords(histories, teams, dateOf(from), to);
  return reworkRatiosOf(
    records,
    periods.map((p) => ({ from: dateOf(p.from), to: dateOf(p.to - 1) })),
  );
}

/** The Rework Ratio of each of these periods (dates, both included), from the days' records. */
export function reworkRatiosOf(
  records: readonly DayRecord[],
  periods: readonly { from: string; to: string }[],
): ReworkRatio[] {
  return periods.map((p) => {
    const reworked = new Set<string>();
    const completed = new Set<string>();
    const reasons = new Map<ReworkReason | "unknown", number>();
    let reopenings = 0;
    for (const r of recordsBetween(records, p.from, p.to)) {
      for (const [id, reason] of r.reworked) {
        reworked.add(id);
        reopenings++;
        reasons.set(reason ?? "unknown", (reasons.get(reason ?? "unknown") ?? 0) + 1);
      }
      for (const id of r.completed) completed.add(id);
      for (const [id] of r.finished) completed.add(id);
    }
    return {
      reworked: reworked.size,
      reopenings,
      completed: completed.size,
      ratio: percent(reworked.size, completed.size),
      reasons: [...reasons].map(([reason, n]) => ({ reason, count: n })).sort((a, b) => b.count - a.count),
    };
  });
}

/** Velocity across completed iterations: each one's points, the average, spread and recent average. */
export function velocityStats(results: readonly IterationOutcome[]): VelocityStats {
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

/** A team's open story, not yet in progress, in rank order: what the ranked form of readiness walks. */
export interface RankedStory {
  points: number;
  ready: boolean;
}

/** The top of a team's ranked backlog: how many stories, and how many of them ready. */
export interface BacklogTop {
  stories: number;
  ready: number;
}

/** Each of the teams' open stories not yet in progress at `t`, in rank order. */
export function rankedBacklogsAt(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  t: number,
): Map<string, RankedStory[]> {
  const queues = new Map<string, { rank: string; story: RankedStory }[]>([...teams].map((team) => [team, []]));
  for (const h of histories) {
    if (!touches(h, teams)) continue;
    const s = snapshotAt(h, t);
    if (!ofScope(s, teams) || !["new", "refining", "ready"].includes(s.state)) continue;
    queues
      .get(s.teamId as string)
      ?.push({ rank: valueAt(h, "rank", t) as string, story: { points: s.points ?? 0, ready: s.state === "ready" } });
  }
  return new Map(
    [...queues].map(([team, q]) => [
      team,
      q.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map((s) => s.story),
    ]),
  );
}

/** The top of a ranked backlog that fills `capacity` points: its stories down to the first that reaches it. */
export function topOfBacklog(queue: readonly RankedStory[], capacity: number): BacklogTop {
  let filled = 0;
  let stories = 0;
  let ready = 0;
  for (const s of queue) {
    if (filled >= capacity) break;
    filled += s.points;
    stories++;
    if (s.ready) ready++;
  }
  return { stories, ready };
}

/**
 * Backlog Readiness Rate as of `t`, both forms: ready ÷ the stories assigned to the next `horizon` iterations, and
 * ready ÷ the top of each team's ranked backlog that fills its capacity for them; and ready-backlog depth.
 */
export function readiness(histories: readonly StoryHistory[], input: ReadinessInput, t: number): Readiness {
  const teams = new Set(input.teams);
  return readinessOf(
    recordAt(histories, teams, t),
    backlogTops(rankedBacklogsAt(histories, teams, t), input, t),
    input,
    t,
  );
}

/** The top of each team's ranked backlog that fills its capacity for the upcoming iterations (where it has one). */
export function backlogTops(
  queues: ReadonlyMap<string, readonly RankedStory[]>,
  input: ReadinessInput,
  t: number,
): Map<string, BacklogTop> {
  const upcoming = upcomingIterations(input, t);
  const tops = new Map<string, BacklogTop>();
  for (const team of input.teams) {
    const capacity = horizonCapacity(team, upcoming, input);
    if (capacity !== null) tops.set(team, topOfBacklog(queues.get(team) ?? [], capacity));
  }
  return tops;
}

/** The upcoming iterations the readiness rate covers at `t`. */
export const upcomingIterations = (input: ReadinessInput, t: number) =>
  input.iterations.filter((i) => instant(i.startDate) > t).slice(0, input.horizon);

/**
 * A team's capacity in points for the upcoming iterations, as the health check counts it: its velocity for each, else
 * the capacity it set for every one of them; null if neither.
 */
export function horizonCapacity(team: string, upcoming: readonly Iteration[], input: ReadinessInput): number | null {
  const velocity = input.velocity.get(team) ?? null;
  if (velocity !== null) return velocity * upcoming.length;
  const set = upcoming.map((i) => input.capacity.get(`${team}/${i.id}`));
  return set.length > 0 && set.every((c) => c !== undefined) ? set.reduce<number>((a, c) => a + (c ?? 0), 0) : null;
}

/**
 * `readiness` from a record of the stories at `t` and the top of each team's ranked backlog that fills its capacity
 * (see `backlogTops`).
 */
export function readinessOf(
  record: DayRecord,
  tops: ReadonlyMap<string, BacklogTop>,
  input: ReadinessInput,
  t: number,
): Readiness {
  const upcoming = upcomingIterations(input, t);
  const assigned = assignedReadinessOf(record, new Set(upcoming.map((i) => i.id)));
  const readyPoints = tally(record, Object.keys(record.stories), ["ready"])[1];
  let capacityTotal: number | null = 0;
  let ranked = 0;
  let rankedReady = 0;
  let velocityTotal = 0;
  for (const team of input.teams) {
    const velocity = input.velocity.get(team) ?? null;
    if (velocity !== null) velocityTotal += velocity;
    const capacity = horizonCapacity(team, upcoming, input);
    if (capacity === null) {
      capacityTotal = null;
      continue;
    }
    if (capacityTotal !== null) capacityTotal += capacity;
    ranked += tops.get(team)?.stories ?? 0;
    rankedReady += tops.get(team)?.ready ?? 0;
  }
  return {
    horizon: { iterations: upcoming.length, iterationIds: upcoming.map((i) => i.id) },
    assigned,
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
  const records = dayRecords(histories, teams, period.from, period.to);
  return flowMetricsOf(records, { ...period, to: dateOf(period.to - 1) }, predictability);
}

/** `flowMetrics` over the days from `from` to `to` (dates, both included), from the days' records. */
export function flowMetricsOf(
  records: readonly DayRecord[],
  period: { from: string; to: string; iterations: readonly Iteration[] },
  predictability: number | null,
): FlowMetrics {
  const days = recordsBetween(records, period.from, period.to);
  const times: number[] = [];
  let flowTotal = 0;
  let blockedTotal = 0;
  const perIteration = period.iterations.map((i) => ({ iterationId: i.id, name: i.name, count: 0 }));
  const types = new Map<ItemType, number>();
  const finished = new Set<string>();
  for (const r of days) {
    const index = period.iterations.findIndex((i) => r.day >= i.startDate && r.day <= i.endDate);
    for (const [id, type, time, blocked] of r.finished) {
      finished.add(id);
      types.set(type, (types.get(type) ?? 0) + 1);
      if (index >= 0) (perIteration[index] as { count: number }).count++;
      if (time === null) continue;
      times.push(time / DAY_MS);
      flowTotal += time;
      blockedTotal += blocked;
    }
  }
  const last = days.at(-1);
  for (const [type, n] of Object.entries(last?.inProgress ?? {})) {
    types.set(type as ItemType, (types.get(type as ItemType) ?? 0) + n);
  }
  // A story finished in the period and in progress again at its end counts once.
  for (const [id, type] of last?.reopened ?? []) {
    if (finished.has(id)) types.set(type, (types.get(type) ?? 0) - 1);
  }
  const load = days.map((r) => ({
    date: r.day,
    count: Object.values(r.inProgress).reduce((a, n) => a + n, 0),
  }));
  const counted = [...types.values()].reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  return {
    from: period.from,
    to: last?.day ?? period.to,
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
  return burnUpOf(dayRecords(histories, teams, pi.startDate, to), pi);
}

/** `burnUp` from the records of the PI's days. */
export function burnUpOf(
  records: readonly DayRecord[],
  pi: { startDate: string; iterations: readonly Iteration[] },
): BurnUpDay[] {
  const ids = pi.iterations.map((i) => i.id);
  return records
    .filter((r) => r.day >= pi.startDate)
    .map((r) => ({
      date: r.day,
      scope: tally(r, ids, [...OPEN, ...FINISHED])[1],
      done: tally(r, ids, FINISHED)[1],
    }));
}

/** Each day of an iteration up to `to`: points of its stories not yet done, beside the ideal line. */
export function burnDown(
  histories: readonly StoryHistory[],
  teams: TeamScope,
  iteration: Iteration,
  to: number,
): BurnDownDay[] {
  const dayBefore = dateOf(instant(iteration.startDate) - 1);
  return burnDownOf(dayRecords(histories, teams, dayBefore, Math.min(to, endOfDay(iteration.endDate))), iteration);
}

/**
 * `burnDown` from the records of the iteration's days and of the day before it (its points at the start: the ideal
 * line starts there).
 */
export function burnDownOf(records: readonly DayRecord[], iteration: Iteration): BurnDownDay[] {
  const dayBefore = dateOf(instant(iteration.startDate) - 1);
  const [, atStart] = tally(
    records.find((r) => r.day === dayBefore),
    [iteration.id],
    OPEN,
  );
  const length = Math.max(1, (endOfDay(iteration.endDate) - instant(iteration.startDate)) / DAY_MS);
  return recordsBetween(records, iteration.startDate, iteration.endDate).map((r, d) => ({
    date: r.day,
    remaining: tally(r, [iteration.id], OPEN)[1],
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
  return cumulativeFlowOf(dayRecords(histories, teams, pi.startDate, to), pi);
}

/** `cumulativeFlow` from the records of the PI's days. */
export function cumulativeFlowOf(
  records: readonly DayRecord[],
  pi: { startDate: string; iterations: readonly Iteration[] },
): CfdDay[] {
  const ids = pi.iterations.map((i) => i.id);
  return records
    .filter((r) => r.day >= pi.startDate)
    .map((r) => ({
      date: r.day,
      counts: Object.fromEntries(STORY_STATES.map((state) => [state, tally(r, ids, [state])[0]])) as Record<
        StoryState,
        number
      >,
    }));
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
