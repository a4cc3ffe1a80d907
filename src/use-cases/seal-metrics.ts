// Keeps each ART's metrics day records (DayRecord in core/metrics.ts), a projection of history: per scope (each team,
// and the whole train) a record of every day that is over, each iteration's stories as it began, and each finished
// iteration's result. Nothing written later can change them, since history is only ever appended at the present; so
// today's dashboard reads them and what changed today, instead of replaying the trend's history. Kept a few minutes
// after midnight (UTC) by every server (see serve.ts), and rebuilt whole after history is written with earlier dates
// (the demo, the bench). Without them, or for an earlier date, the dashboard replays history: the same numbers.
import {
  DAY_MS,
  dayRecords,
  daysBetween,
  emptyRecord,
  endOfDay,
  everyDay,
  historiesByIteration,
  type IterationOutcome,
  instant,
  iterationResult,
  type StoryHistory,
  snapshotAt,
  storyHistories,
} from "../core/metrics.js";
import type { Art, Iteration } from "../core/train.js";
import {
  changedStories,
  dayRecordsOf,
  type IterationStart,
  iterationStories,
  keptIterations,
  readMetrics,
  type Sealed,
  sealedThrough,
  writeSealed,
} from "../store/metrics.store.js";
import { findArt, listArts } from "../store/train.store.js";
import type { Deps } from "./deps.js";

/** The scope of the whole train's records. */
export const TRAIN = "*";
/** How long after midnight a day is kept: writes stamped just before it have landed by then. */
const SETTLE_MS = 5 * 60_000;
/** Beyond this many days to catch up, the records are rebuilt from the whole history instead. */
const CATCH_UP_DAYS = 14;

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** The last day that can be kept at `now`: yesterday, once it has settled. */
export const lastDayToKeep = (now: number) => dateOf(now - SETTLE_MS - DAY_MS);

/** Keeps every ART's records up to the last day that can be kept; returns the ARTs brought up to date. */
export async function sealMetrics(deps: Deps): Promise<string[]> {
  const sealed: string[] = [];
  for (const art of await listArts(deps.db)) if (await sealArt(deps, art.id)) sealed.push(art.key);
  return sealed;
}

/**
 * Keeps an ART's records up to the last day that can be kept: day by day from the last one kept, or rebuilt from its
 * whole history (`rebuild`, or when none are kept or they are far behind). Returns whether anything was written.
 */
export async function sealArt(deps: Deps, artId: string, options: { rebuild?: boolean } = {}): Promise<boolean> {
  const last = lastDayToKeep(deps.clock().getTime());
  const through = options.rebuild ? null : await sealedThrough(deps.db, artId);
  if (through !== null && through >= last) return false;
  const art = await findArt(deps.db, artId);
  if (!art) return false;
  if (through === null || daysBetween(through, endOfDay(last)).length > CATCH_UP_DAYS) {
    await rebuild(deps, art, last);
  } else {
    for (const day of daysBetween(through, endOfDay(last)).slice(1)) await sealDay(deps, art, day);
  }
  return true;
}

const developmentIterations = (art: Art) =>
  art.pis.flatMap((p) => p.iterations.filter((i) => i.kind === "development"));

/** An iteration's stories as it began, from their histories. */
function startOf(histories: readonly StoryHistory[], iteration: Iteration): IterationStart[] {
  const start: IterationStart[] = [];
  for (const h of histories) {
    const s = snapshotAt(h, instant(iteration.startDate));
    if (s?.iterationId === iteration.id) start.push([h.story.id, s.teamId, s.state, s.points]);
  }
  return start;
}

/** An iteration's result for each scope, from the histories of its stories. */
function resultsOf(art: Art, histories: readonly StoryHistory[], iteration: Iteration) {
  const end = endOfDay(iteration.endDate);
  const results: Record<string, IterationOutcome> = {
    [TRAIN]: iterationResult(histories, iteration, new Set(art.teams.map((t) => t.id)), end),
  };
  for (const t of art.teams) results[t.id] = iterationResult(histories, iteration, new Set([t.id]), end);
  return results;
}

const scopesOf = (art: Art) => [
  { key: TRAIN, teams: new Set(art.teams.map((t) => t.id)) },
  ...art.teams.map((t) => ({ key: t.id, teams: new Set([t.id]) })),
];

/** Works out every record of the ART up to `last` from its whole history, and keeps them instead of any kept before. */
async function rebuild(deps: Deps, art: Art, last: string): Promise<void> {
  const teamIds = art.teams.map((t) => t.id);
  // Ranks are not recorded: none is read.
  const read = await readMetrics(deps.db, art.id, teamIds, { since: "", rankSince: "9999", wholeArt: true });
  const histories = storyHistories(read.stories, read.changes, read.notes);
  const firstPi = art.pis.map((p) => p.startDate).sort()[0];
  const firstStory = histories.reduce((a, h) => Math.min(a, h.created), Number.POSITIVE_INFINITY);
  const starts = [firstPi ? instant(firstPi) - DAY_MS : Number.POSITIVE_INFINITY, firstStory].filter(Number.isFinite);
  const from = starts.length ? dateOf(Math.min(...starts, instant(last))) : last;
  const to = endOfDay(last);
  const byIteration = historiesByIteration(histories);
  const iterations = developmentIterations(art);
  const sealed: Sealed = {
    through: last,
    days: scopesOf(art).flatMap((scope) =>
      dayRecords(histories, scope.teams, from, to).map((record) => ({ scope: scope.key, record })),
    ),
    starts: iterations
      .filter((i) => instant(i.startDate) <= to)
      .map((i) => ({ iterationId: i.id, start: startOf(byIteration.get(i.id) ?? [], i) })),
    results: iterations
      .filter((i) => endOfDay(i.endDate) <= to)
      .map((i) => ({ iterationId: i.id, results: resultsOf(art, byIteration.get(i.id) ?? [], i) })),
  };
  await deps.db.transaction().execute((tx) => writeSealed(tx, art.id, sealed, true));
}

/** Keeps one more day after the last one kept: from its record, the stories changed on the day. */
async function sealDay(deps: Deps, art: Art, day: string): Promise<void> {
  const before = dateOf(instant(day) - 1);
  const scopes = scopesOf(art);
  const dayStart = iso(instant(day) - 1);
  const [records, changed] = await Promise.all([
    dayRecordsOf(
      deps.db,
      art.id,
      scopes.map((s) => s.key),
      before,
      before,
    ),
    changedStories(deps.db, art.id, dayStart),
  ]);
  const histories = storyHistories(changed.stories, changed.changes, changed.notes);
  const days = scopes.map((scope) => {
    const prev = everyDay(records.get(scope.key) ?? [], before, before)[0] ?? emptyRecord(before);
    const [record] = dayRecords(histories, scope.teams, day, endOfDay(day), prev);
    return { scope: scope.key, record: record ?? emptyRecord(day) };
  });
  // The iterations begun by the day's end (the next day's too) or over by then, not kept yet: usually the one
  // beginning or ending, and any of a PI added with dates in the past.
  const kept = await keptIterations(deps.db, art.id);
  const iterations = developmentIterations(art);
  const starts = await Promise.all(
    iterations
      .filter((i) => instant(i.startDate) <= endOfDay(day) && !kept.started.has(i.id))
      .map(async (i) => ({ iterationId: i.id, start: startOf(await iterationHistories(deps, art, i), i) })),
  );
  const results = await Promise.all(
    iterations
      .filter((i) => endOfDay(i.endDate) <= endOfDay(day) && !kept.finished.has(i.id))
      .map(async (i) => ({ iterationId: i.id, results: resultsOf(art, await iterationHistories(deps, art, i), i) })),
  );
  await deps.db.transaction().execute((tx) => writeSealed(tx, art.id, { through: day, days, starts, results }, false));
}

/** The histories of an iteration's stories since it began. */
async function iterationHistories(deps: Deps, art: Art, iteration: Iteration): Promise<StoryHistory[]> {
  const read = await iterationStories(deps.db, art.id, iteration.id, iso(instant(iteration.startDate) - 1));
  return storyHistories(read.stories, read.changes, read.notes);
}
