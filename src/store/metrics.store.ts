// What the metrics read: an ART's stories as they are now (of some teams, or having left them), and their history
// events of the tracked fields since an instant, in a few narrow queries.
import { sql } from "kysely";
import type {
  BacklogTop,
  DayRecord,
  FieldChange,
  IterationOutcome,
  MetricStory,
  ReworkNote,
  StorySnapshot,
  TrackedField,
} from "../core/metrics.js";
import { TRACKED_FIELDS } from "../core/metrics.js";
import type { ItemType, StoryState } from "../core/work-item.js";
import { isPostgres } from "./dialect.js";
import type { Db } from "./schema.js";

/** The ART's stories that moved into or out of one of these teams at some time. */
async function movedStories(db: Db, artId: string, teamIds: readonly string[]): Promise<string[]> {
  const was = teamIds.map((id) => JSON.stringify(id));
  const rows = await db
    .selectFrom("events")
    .select("events.item_id")
    .distinct()
    .where("events.art_id", "=", artId)
    .where("events.field", "=", "teamId")
    .where((eb) => eb.or([eb("events.old_value", "in", was), eb("events.new_value", "in", was)]))
    .execute();
  return rows.map((r) => r.item_id);
}

/** Ids in slices a query's parameters can hold on either database. */
const slices = (ids: readonly string[], size = 500) =>
  Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));

/**
 * What the metrics read of an ART for some of its teams: their stories (see `storiesOf`) and the history of those
 * stories in a window (see `historyOf`).
 */
export async function readMetrics(
  db: Db,
  artId: string,
  teamIds: readonly string[],
  window: HistoryWindow,
): Promise<{ stories: MetricStory[]; changes: FieldChange[]; notes: ReworkNote[] }> {
  if (teamIds.length === 0) return { stories: [], changes: [], notes: [] };
  const moved = await movedStories(db, artId, teamIds);
  const [stories, history] = await Promise.all([
    storiesOf(db, teamIds, moved),
    historyOf(db, artId, teamIds, moved, window),
  ]);
  return { stories, ...history };
}

/** The stories that are, or have been, in one of these teams (team ids are unique across ARTs); `moved` as said. */
async function storiesOf(db: Db, teamIds: readonly string[], moved: readonly string[]): Promise<MetricStory[]> {
  return [
    ...(await storyRows(db).where("items.team_id", "in", teamIds).execute()),
    ...(
      await Promise.all(
        slices(moved).map((ids) =>
          storyRows(db)
            .where("items.id", "in", ids)
            .where((eb) => eb.or([eb("items.team_id", "is", null), eb("items.team_id", "not in", teamIds)]))
            .execute(),
        ),
      )
    ).flat(),
  ].map(toStory);
}

/** What the metrics read of a story, with the story it was split from. */
const storyRows = (db: Db) =>
  db
    .selectFrom("items")
    .leftJoin("relations", (j) => j.onRef("relations.from_id", "=", "items.id").on("relations.kind", "=", "split_from"))
    .select([
      "items.id",
      "items.key",
      "items.title",
      "items.type",
      "items.parent_id",
      "items.created_at",
      "items.state",
      "items.team_id",
      "items.iteration_id",
      "items.points",
      "items.blocked_reason",
      "items.rank",
      "relations.to_id as split_from",
    ])
    .where("items.level", "=", "story");
type StoryRow = Awaited<ReturnType<ReturnType<typeof storyRows>["execute"]>>[number];

const toStory = (r: StoryRow): MetricStory => ({
  id: r.id,
  key: r.key,
  title: r.title,
  type: r.type as ItemType,
  parentId: r.parent_id,
  splitFrom: r.split_from ?? null,
  createdAt: r.created_at,
  state: r.state as StoryState,
  teamId: r.team_id,
  iterationId: r.iteration_id,
  points: r.points === null ? null : Number(r.points),
  blockedReason: r.blocked_reason,
  rank: r.rank,
});

/** These stories, in slices. */
const storiesById = async (db: Db, ids: readonly string[]) =>
  (await Promise.all(slices(ids).map((slice) => storyRows(db).where("items.id", "in", slice).execute())))
    .flat()
    .map(toStory);

const decode = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/** The changes of some fields after an instant. */
const eventsOf = (db: Db, fields: readonly string[], after: string) =>
  db
    .selectFrom("events")
    .select(["events.id", "events.item_id", "events.field", "events.old_value", "events.new_value", "events.at"])
    .where("events.field", "in", fields)
    .where("events.at", ">", after);
type EventQuery = ReturnType<typeof eventsOf>;
type EventRow = Awaited<ReturnType<EventQuery["execute"]>>[number];

export interface HistoryWindow {
  /** Changes after this instant (ISO) are read... */
  since: string;
  /** ...but rank changes only after this one: a rank is only ever asked for at the instant the metrics are as of. */
  rankSince: string;
  /** Whether the teams are all of the ART's: then the ART's whole history is read, not the teams'. */
  wholeArt: boolean;
}

/**
 * The tracked-field changes (and rework reasons) of those teams' stories in a window: all a metric needs to know each
 * story at any instant from then on. A team's events are those written while a story was the team's, and every event
 * of a story that moved into or out of it.
 */
async function historyOf(
  db: Db,
  artId: string,
  teamIds: readonly string[],
  moved: readonly string[],
  window: HistoryWindow,
): Promise<{ changes: FieldChange[]; notes: ReworkNote[] }> {
  // Two reads per scope (ranks have their own window), each simple enough for the database to use one index.
  const read = (where: (q: EventQuery) => EventQuery) =>
    Promise.all([
      where(eventsOf(db, [...TRACKED_FIELDS.filter((f) => f !== "rank"), "reason"], window.since)).execute(),
      where(eventsOf(db, ["rank"], window.rankSince)).execute(),
    ]).then((both) => both.flat());
  let rows: EventRow[];
  if (window.wholeArt) rows = await read((q) => q.where("events.art_id", "=", artId));
  else {
    // The events written while a story was one of the teams' (team ids are unique across ARTs), and every event of
    // the stories that moved.
    const own = await read((q) => q.where("events.team_id", "in", teamIds));
    const ofMoved = await Promise.all(slices(moved).map((ids) => read((q) => q.where("events.item_id", "in", ids))));
    const seen = new Set(own.map((r) => Number(r.id)));
    rows = [...own, ...ofMoved.flat().filter((r) => !seen.has(Number(r.id)))];
  }
  return decodeEvents([...rows, ...(await earlierEvents(db, finishedOrReopened(rows), window.since))]);
}

const FINISHED_VALUES = new Set(['"done"', '"accepted"']);

/** The stories these events finish or move back from done or accepted: whose flow reaches back before them. */
const finishedOrReopened = (rows: readonly EventRow[]) => [
  ...new Set(
    rows
      .filter(
        (r) =>
          r.field === "state" && (FINISHED_VALUES.has(r.new_value ?? "") || FINISHED_VALUES.has(r.old_value ?? "")),
      )
      .map((r) => r.item_id),
  ),
];

/** These stories' events up to an instant (see `finishedOrReopened`). */
const earlierEvents = async (db: Db, ids: readonly string[], until: string) =>
  (
    await Promise.all(
      slices(ids).map((slice) =>
        eventsOf(db, SNAPSHOT_EVENTS, "")
          .where("events.item_id", "in", slice)
          .where("events.at", "<=", until)
          .execute(),
      ),
    )
  ).flat();

/** Events as field changes and rework reasons. */
function decodeEvents(rows: readonly EventRow[]): { changes: FieldChange[]; notes: ReworkNote[] } {
  const changes: FieldChange[] = [];
  const notes: ReworkNote[] = [];
  for (const r of rows) {
    if (r.field === "reason") {
      const value = decode(r.new_value) as { reason?: string | null } | null;
      notes.push({ itemId: r.item_id, at: r.at, reason: value?.reason ?? null });
    } else {
      changes.push({
        itemId: r.item_id,
        field: r.field as TrackedField,
        oldValue: decode(r.old_value),
        newValue: decode(r.new_value),
        at: r.at,
        order: Number(r.id),
      });
    }
  }
  return { changes, notes };
}

/** The tracked fields but rank, and rework reasons: what a story's snapshots and daily record are made of. */
const SNAPSHOT_EVENTS = [...TRACKED_FIELDS.filter((f) => f !== "rank"), "reason"];

/** The ART's stories changed since an instant, with their changes then; see `changedStories`. */
export interface ChangedStories {
  stories: MetricStory[];
  changes: FieldChange[];
  notes: ReworkNote[];
  /** The stories whose history before the instant was read too: those finished or reopened since. */
  reachedBack: string[];
}

/** Which of an ART's events since an instant a read took in: how many, up to which id. */
export interface EventsRead {
  count: number;
  last: number;
}

/**
 * The ART's stories created or changed (a field but rank) since an instant, with their changes since then; and, for
 * those finished or moved back from finished since then, all their history (see `finishedOrReopened`). With the
 * events it took in (`read`).
 *
 * Given an earlier read (`before`), only what the events after it add: the stories they create or change, with those
 * events; the history before the instant of those they finish or reopen (but the `reachedBack` ones); and, as they are
 * now, the stories any other of its events is about (a rank or a title, say): `touched`; `from` is the id it read
 * after (0: it read everything). `whole` says whether the earlier read and this one hold every event: on PostgreSQL
 * an id is taken before its transaction commits, so an event may commit after a later one was read; then the count
 * tells, and the caller reads everything again.
 */
export async function changedStories(
  db: Db,
  artId: string,
  since: string,
  before?: EventsRead & { reachedBack: ReadonlySet<string> },
): Promise<ChangedStories & { read: EventsRead; from: number; whole: boolean; changed: string[]; touched: string[] }> {
  // The count and the events in one snapshot: on SQLite events commit in the order of their ids, so bounding the
  // read by the last id is enough; on PostgreSQL, one repeatable-read transaction.
  const readEvents = async (db: Db) => {
    const read = await eventsSince(db, artId, since);
    const after = before && before.last <= read.last ? before.last : 0;
    const range = <Q extends EventQuery>(q: Q) =>
      q.where("events.art_id", "=", artId).where("events.id", ">", after).where("events.id", "<=", read.last) as Q;
    const all = db
      .selectFrom("events")
      .select(["events.id", "events.item_id", "events.field", "events.old_value", "events.new_value", "events.at"])
      .where("events.at", ">", since);
    const [recent, created, others] = await Promise.all([
      range(eventsOf(db, SNAPSHOT_EVENTS, since)).execute(),
      range(all.where("events.kind", "=", "created")).execute(),
      after ? range(all).execute() : [],
    ]);
    return {
      read,
      recent,
      created,
      others,
      from: after,
      whole: !after || before?.count === read.count - others.length,
    };
  };
  const { read, recent, created, others, from, whole } =
    isPostgres(db) && !db.isTransaction
      ? await db.transaction().setIsolationLevel("repeatable read").execute(readEvents)
      : await readEvents(db);
  const changed = [...new Set([...recent.map((r) => r.item_id), ...created.map((r) => r.item_id)])];
  const isChanged = new Set(changed);
  const touched = [...new Set(others.map((r) => r.item_id))].filter((id) => !isChanged.has(id));
  const reachedBack = finishedOrReopened(recent).filter((id) => !before?.reachedBack.has(id));
  const [stories, earlier] = await Promise.all([
    storiesById(db, [...changed, ...touched]),
    earlierEvents(db, reachedBack, since),
  ]);
  return { stories, ...decodeEvents([...recent, ...earlier]), reachedBack, read, from, whole, changed, touched };
}

/** How many events the ART has had since an instant, and the last one's id. */
async function eventsSince(db: Db, artId: string, since: string): Promise<EventsRead> {
  const row = await db
    .selectFrom("events")
    .select((eb) => [eb.fn.countAll<number | string>().as("count"), eb.fn.max<number | string | null>("id").as("last")])
    .where("art_id", "=", artId)
    .where("at", ">", since)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), last: Number(row?.last ?? 0) };
}

/**
 * An iteration's stories and their changes since an instant: those in it now and those that moved into or out of it
 * since — enough to know each as it was at any instant since.
 */
export async function iterationStories(
  db: Db,
  artId: string,
  iterationId: string,
  since: string,
): Promise<{ stories: MetricStory[]; changes: FieldChange[]; notes: ReworkNote[] }> {
  const value = JSON.stringify(iterationId);
  const [now, moved] = await Promise.all([
    storyRows(db).where("items.iteration_id", "=", iterationId).execute(),
    eventsOf(db, ["iterationId"], since)
      .where("events.art_id", "=", artId)
      .where((eb) => eb.or([eb("events.old_value", "=", value), eb("events.new_value", "=", value)]))
      .execute(),
  ]);
  const there = new Set(now.map((r) => r.id));
  const elsewhere = [...new Set(moved.map((r) => r.item_id))].filter((id) => !there.has(id));
  const [others, events] = await Promise.all([
    storiesById(db, elsewhere),
    Promise.all(
      slices([...there, ...elsewhere]).map((slice) =>
        eventsOf(db, SNAPSHOT_EVENTS, since).where("events.item_id", "in", slice).execute(),
      ),
    ),
  ]);
  return { stories: [...now.map(toStory), ...others], ...decodeEvents(events.flat()) };
}

/** A team's open stories not yet in progress, in the very words of the index that reads them (items_team_backlog). */
const OPEN_STORIES = sql<boolean>`level = 'story' and state in ('new', 'refining', 'ready')`;

/**
 * The top of each team's ranked backlog (its open stories not yet in progress, in rank order) that fills the points
 * asked of it: its stories down to the first that reaches them (`topOfBacklog` in the core), counted by the database.
 */
export async function backlogTopsOf(db: Db, points: ReadonlyMap<string, number>): Promise<Map<string, BacklogTop>> {
  const tops = await Promise.all(
    [...points].map(async ([teamId, capacity]) => {
      const ranked = db
        .selectFrom("items")
        .select([
          "state",
          sql<
            number | null
          >`sum(coalesce(points, 0)) over (order by ${sql.ref("rank")} rows between unbounded preceding and 1 preceding)`.as(
            "before",
          ),
        ])
        .where("team_id", "=", teamId)
        .where(OPEN_STORIES);
      const row = await db
        .selectFrom(ranked.as("ranked"))
        .select([
          sql<number>`count(*)`.as("stories"),
          sql<number>`coalesce(sum(case when state = 'ready' then 1 else 0 end), 0)`.as("ready"),
        ])
        .where(sql`coalesce(before, 0)`, "<", capacity)
        .executeTakeFirst();
      return [teamId, { stories: Number(row?.stories ?? 0), ready: Number(row?.ready ?? 0) }] as const;
    }),
  );
  return new Map(tops);
}

/** An open story in a team's ranked backlog, as a forecast works through it. */
export interface QueuedStory {
  key: string;
  title: string;
  /** Its feature. */
  parentId: string | null;
  iterationId: string | null;
}

/** Each team's open stories (in progress too) as they are now, in rank order. */
export async function openStoriesInRankOrder(db: Db, teamIds: readonly string[]): Promise<Map<string, QueuedStory[]>> {
  const queues = new Map<string, { rank: string; story: QueuedStory }[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return new Map();
  const stories = db
    .selectFrom("items")
    .select(["team_id", "rank", "key", "title", "parent_id", "iteration_id"])
    .where("team_id", "in", teamIds);
  // Two reads, each by an index: those not yet started (by the ranked backlog's), those in progress.
  const rows = [
    ...(await stories.where(OPEN_STORIES).execute()),
    ...(await stories.where("level", "=", "story").where("state", "=", "in_progress").execute()),
  ];
  for (const r of rows) {
    queues.get(r.team_id as string)?.push({
      rank: r.rank,
      story: { key: r.key, title: r.title, parentId: r.parent_id, iterationId: r.iteration_id },
    });
  }
  return new Map(
    [...queues].map(([team, q]) => [
      team,
      q.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map((e) => e.story),
    ]),
  );
}

/**
 * An iteration's stories as they are now, and `also` (its planned ones, wherever they went): what its outcome so far
 * reads of them.
 */
export async function iterationStoriesNow(
  db: Db,
  iterationId: string,
  also: readonly string[],
): Promise<{ id: string; splitFrom: string | null; now: StorySnapshot }[]> {
  const rows = () =>
    db
      .selectFrom("items")
      .leftJoin("relations", (j) =>
        j.onRef("relations.from_id", "=", "items.id").on("relations.kind", "=", "split_from"),
      )
      .select([
        "items.id",
        "items.state",
        "items.team_id",
        "items.iteration_id",
        "items.points",
        "items.blocked_reason",
        "relations.to_id as split_from",
      ])
      .where("items.level", "=", "story");
  const there = await rows().where("items.iteration_id", "=", iterationId).execute();
  const ids = new Set(there.map((r) => r.id));
  const elsewhere = (
    await Promise.all(
      slices(also.filter((id) => !ids.has(id))).map((slice) => rows().where("items.id", "in", slice).execute()),
    )
  ).flat();
  return [...there, ...elsewhere].map((r) => ({
    id: r.id,
    splitFrom: r.split_from ?? null,
    now: {
      state: r.state as StoryState,
      teamId: r.team_id,
      iterationId: r.iteration_id,
      points: r.points === null ? null : Number(r.points),
      blocked: r.blocked_reason !== null,
    },
  }));
}

/** The last day whose records the ART keeps, or null. */
export async function sealedThrough(db: Db, artId: string): Promise<string | null> {
  const row = await db.selectFrom("metric_seals").select("through").where("art_id", "=", artId).executeTakeFirst();
  return row?.through ?? null;
}

/** The kept records of these scopes from one day to another (both included), per scope in day order. */
export async function dayRecordsOf(
  db: Db,
  artId: string,
  scopes: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, DayRecord[]>> {
  const rows = await db
    .selectFrom("metric_days")
    .select(["scope", "record"])
    .where("art_id", "=", artId)
    .where("scope", "in", scopes)
    .where("day", ">=", from)
    .where("day", "<=", to)
    .orderBy("day")
    .execute();
  const records = new Map<string, DayRecord[]>(scopes.map((s) => [s, []]));
  for (const r of rows) records.get(r.scope)?.push(JSON.parse(r.record) as DayRecord);
  return records;
}

/** The ART's iterations kept: their results per scope once over, and (those asked) their stories as they began. */
export interface IterationSeal {
  /** Only if asked for. */
  start: IterationStart[] | null;
  results: Record<string, IterationOutcome> | null;
}
/** A story in an iteration as it began. */
export type IterationStart = [id: string, teamId: string | null, state: StoryState, points: number | null];

export async function iterationSeals(
  db: Db,
  iterationIds: readonly string[],
  startsOf: readonly string[],
): Promise<Map<string, IterationSeal>> {
  if (iterationIds.length === 0) return new Map();
  const [rows, starts] = await Promise.all([
    db
      .selectFrom("metric_iterations")
      .select(["iteration_id", "results"])
      .where("iteration_id", "in", iterationIds)
      .execute(),
    startsOf.length === 0
      ? []
      : db
          .selectFrom("metric_iterations")
          .select(["iteration_id", "start"])
          .where("iteration_id", "in", startsOf)
          .execute(),
  ]);
  const start = new Map(starts.map((r) => [r.iteration_id, JSON.parse(r.start) as IterationStart[]]));
  return new Map(
    rows.map((r) => [
      r.iteration_id,
      {
        start: start.get(r.iteration_id) ?? null,
        results: r.results === null ? null : (JSON.parse(r.results) as Record<string, IterationOutcome>),
      },
    ]),
  );
}

/** The ART's iterations kept as they began, and those whose results are kept. */
export async function keptIterations(db: Db, artId: string): Promise<{ started: Set<string>; finished: Set<string> }> {
  const rows = await db
    .selectFrom("metric_iterations")
    .select(["iteration_id", sql<number>`case when results is null then 0 else 1 end`.as("finished")])
    .where("art_id", "=", artId)
    .execute();
  return {
    started: new Set(rows.map((r) => r.iteration_id)),
    finished: new Set(rows.filter((r) => Number(r.finished) === 1).map((r) => r.iteration_id)),
  };
}

/** What a seal writes: records of days, iterations as they began or their results, and the last day kept. */
export interface Sealed {
  through: string;
  days: { scope: string; record: DayRecord }[];
  starts: { iterationId: string; start: IterationStart[] }[];
  results: { iterationId: string; results: Record<string, IterationOutcome> }[];
}

/** Keeps what a seal worked out; `replace` drops what the ART kept before. Run in a transaction. */
export async function writeSealed(db: Db, artId: string, sealed: Sealed, replace: boolean): Promise<void> {
  if (replace) {
    await db.deleteFrom("metric_days").where("art_id", "=", artId).execute();
    await db.deleteFrom("metric_iterations").where("art_id", "=", artId).execute();
  }
  const days = sealed.days.map((d) => ({
    art_id: artId,
    scope: d.scope,
    day: d.record.day,
    record: JSON.stringify(d.record),
  }));
  for (let i = 0; i < days.length; i += 200) {
    await db
      .insertInto("metric_days")
      .values(days.slice(i, i + 200))
      .onConflict((oc) => oc.columns(["art_id", "scope", "day"]).doNothing())
      .execute();
  }
  for (const s of sealed.starts) {
    await db
      .insertInto("metric_iterations")
      .values({ iteration_id: s.iterationId, art_id: artId, start: JSON.stringify(s.start), results: null })
      .onConflict((oc) => oc.column("iteration_id").doNothing())
      .execute();
  }
  for (const r of sealed.results) {
    await db
      .updateTable("metric_iterations")
      .set({ results: JSON.stringify(r.results) })
      .where("iteration_id", "=", r.iterationId)
      .execute();
  }
  await db
    .insertInto("metric_seals")
    .values({ art_id: artId, through: sealed.through })
    .onConflict((oc) => oc.column("art_id").doUpdateSet({ through: sealed.through }))
    .execute();
}
