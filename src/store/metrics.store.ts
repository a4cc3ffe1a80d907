// What the metrics read: an ART's stories as they are now (of some teams, or having left them), and their history
// events of the tracked fields since an instant, in a few narrow queries.
import type { FieldChange, MetricStory, ReworkNote, TrackedField } from "../core/metrics.js";
import { TRACKED_FIELDS } from "../core/metrics.js";
import type { ItemType, StoryState } from "../core/work-item.js";
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
  const stories = () =>
    db
      .selectFrom("items")
      .leftJoin("relations", (j) =>
        j.onRef("relations.from_id", "=", "items.id").on("relations.kind", "=", "split_from"),
      )
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
  const rows = [
    ...(await stories().where("items.team_id", "in", teamIds).execute()),
    ...(
      await Promise.all(
        slices(moved).map((ids) =>
          stories()
            .where("items.id", "in", ids)
            .where((eb) => eb.or([eb("items.team_id", "is", null), eb("items.team_id", "not in", teamIds)]))
            .execute(),
        ),
      )
    ).flat(),
  ];
  return rows.map((r) => ({
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
  }));
}

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
