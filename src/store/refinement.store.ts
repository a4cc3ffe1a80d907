// Refinement: each team's settings (versioned), quality findings dismissed with a reason, and the narrow reads the
// story quality check and the Definition of Ready need over a whole train — a handful of queries, never one per story.
import { sql } from "kysely";
import { toCriteria } from "../core/acceptance-criteria.js";
import { type RefinementSettings, refinementSettingsOf } from "../core/readiness.js";
import type { QualityRule, StoryForCheck } from "../core/story-quality.js";
import type { ItemState, ItemType, StoryState } from "../core/work-item.js";
import type { Db } from "./schema.js";

/** A team's settings and the version an edit must name; a team that never saved any has the defaults at version 0. */
export interface StoredRefinement {
  teamId: string;
  settings: RefinementSettings;
  version: number;
}

export async function findTeamRefinement(db: Db, teamId: string): Promise<StoredRefinement> {
  return (await teamRefinements(db, [teamId])).get(teamId) as StoredRefinement;
}

/** The settings of each of these teams (defaults, version 0, for a team without a row). */
export async function teamRefinements(db: Db, teamIds: readonly string[]): Promise<Map<string, StoredRefinement>> {
  const rows =
    teamIds.length === 0
      ? []
      : await db
          .selectFrom("team_refinement")
          .select(["team_id", "settings", "version"])
          .where("team_id", "in", teamIds)
          .execute();
  const stored = new Map(rows.map((r) => [r.team_id, r]));
  return new Map(
    teamIds.map((id) => {
      const row = stored.get(id);
      return [
        id,
        {
          teamId: id,
          settings: refinementSettingsOf(row ? JSON.parse(row.settings) : null),
          version: row?.version ?? 0,
        },
      ];
    }),
  );
}

/**
 * Saves a team's settings if they are still at `expectedVersion` (0: never saved), bumping the version. False, writing
 * nothing, when someone saved them first.
 */
export async function saveTeamRefinement(
  db: Db,
  save: { teamId: string; settings: RefinementSettings; at: string; by: string | null },
  expectedVersion: number,
): Promise<boolean> {
  const settings = JSON.stringify(save.settings);
  if (expectedVersion === 0) {
    const result = await db
      .insertInto("team_refinement")
      .values({ team_id: save.teamId, settings, version: 1, updated_at: save.at, updated_by: save.by })
      .onConflict((oc) => oc.column("team_id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const result = await db
    .updateTable("team_refinement")
    .set({ settings, version: expectedVersion + 1, updated_at: save.at, updated_by: save.by })
    .where("team_id", "=", save.teamId)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A quality finding (a story × a rule) someone dismissed, and why. */
export interface Dismissal {
  id: string;
  artId: string;
  itemId: string;
  rule: QualityRule;
  reason: string;
  createdAt: string;
  createdBy: string | null;
}

type DismissalRow = {
  id: string;
  art_id: string;
  item_id: string;
  rule: string;
  reason: string;
  created_at: string;
  created_by: string | null;
};
const toDismissal = (r: DismissalRow): Dismissal => ({
  id: r.id,
  artId: r.art_id,
  itemId: r.item_id,
  rule: r.rule as QualityRule,
  reason: r.reason,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The dismissals of one item, or of every item of an ART, oldest first. */
export async function listDismissals(db: Db, of: { itemId: string } | { artId: string }): Promise<Dismissal[]> {
  let q = db.selectFrom("finding_dismissals").selectAll().orderBy("created_at").orderBy("id");
  q = "itemId" in of ? q.where("item_id", "=", of.itemId) : q.where("art_id", "=", of.artId);
  return (await q.execute()).map(toDismissal);
}

/** Records a dismissal; false (nothing written) when that item's finding of that rule is dismissed already. */
export async function insertDismissal(db: Db, d: Dismissal): Promise<boolean> {
  const result = await db
    .insertInto("finding_dismissals")
    .values({
      id: d.id,
      art_id: d.artId,
      item_id: d.itemId,
      rule: d.rule,
      reason: d.reason,
      created_at: d.createdAt,
      created_by: d.createdBy,
    })
    .onConflict((oc) => oc.columns(["item_id", "rule"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Removes an item's dismissal of a rule; returns what was removed, if there was one. */
export async function deleteDismissal(db: Db, itemId: string, rule: string): Promise<Dismissal | undefined> {
  const row = await db
    .deleteFrom("finding_dismissals")
    .where("item_id", "=", itemId)
    .where("rule", "=", rule)
    .returningAll()
    .executeTakeFirst();
  return row ? toDismissal(row) : undefined;
}

/** An item a story depends on, with where it is planned, its state and whether it is finished. */
export interface Dependency {
  key: string;
  iterationOrder: number | null;
  finished: boolean;
  state: ItemState;
}

/** A story as the quality check reads it, with what the reports and the Definition of Ready add. */
export interface StoryRow extends StoryForCheck {
  state: StoryState;
  rank: string;
  readyChecks: string[];
  iterationId: string | null;
  dependsOn: Dependency[];
}

export interface StoryFilter {
  /** Only the stories of these teams. */
  teamIds?: readonly string[];
  /** Only these stories (ids). */
  ids?: readonly string[];
  /** Leave out stories in these states. */
  exceptStates?: readonly StoryState[];
}

/** Whether an item counts as finished work: a story done or accepted, a program item done. */
export const isFinished = (level: string, state: string): boolean =>
  level === "story" ? state === "done" || state === "accepted" : state === "done";

/**
 * The iterations of an ART in time order (by start date, then number): each one's place (0 = the earliest), and the
 * ids of those completed before `today` (yyyy-mm-dd), oldest first.
 */
export async function iterationOrder(
  db: Db,
  artId: string,
  today?: string,
): Promise<{ order: Map<string, number>; completed: string[] }> {
  const rows = await db
    .selectFrom("iterations")
    .innerJoin("pis", "pis.id", "iterations.pi_id")
    .select(["iterations.id", "iterations.end_date"])
    .where("pis.art_id", "=", artId)
    .orderBy("iterations.start_date")
    .orderBy("iterations.number")
    .execute();
  return {
    order: new Map(rows.map((r, i) => [r.id, i])),
    completed: today === undefined ? [] : rows.filter((r) => r.end_date < today).map((r) => r.id),
  };
}

/**
 * An ART's stories as the quality check needs them (in backlog, then rank order), each with its dependencies (the
 * targets' iteration order, state and whether finished) and its own iteration order. Three queries, whatever the
 * number of stories.
 */
export async function storiesForCheck(
  db: Db,
  artId: string,
  filter: StoryFilter = {},
  /** The ART's iteration order, when the caller has it already (else read here). */
  iterations?: Map<string, number>,
): Promise<StoryRow[]> {
  if (filter.teamIds?.length === 0 || filter.ids?.length === 0) return [];
  let stories = db
    .selectFrom("items")
    .select([
      "id",
      "key",
      "team_id",
      "type",
      "title",
      "description",
      "acceptance_criteria",
      "points",
      "parent_id",
      "iteration_id",
      "state",
      "rank",
      "ready_checks",
    ])
    .where("art_id", "=", artId)
    .where("level", "=", "story")
    .orderBy("backlog")
    .orderBy("rank");
  let dependencies = db
    .selectFrom("relations")
    .innerJoin("items as f", "f.id", "relations.from_id")
    .innerJoin("items as t", "t.id", "relations.to_id")
    .select(["relations.from_id", "t.key", "t.level", "t.state", "t.iteration_id"])
    .where("relations.kind", "=", "depends_on")
    .where("f.art_id", "=", artId)
    .where("f.level", "=", "story")
    .orderBy("relations.created_at")
    .orderBy("t.key");
  if (filter.teamIds) {
    stories = stories.where("team_id", "in", filter.teamIds);
    dependencies = dependencies.where("f.team_id", "in", filter.teamIds);
  }
  if (filter.ids) {
    stories = stories.where("id", "in", filter.ids);
    dependencies = dependencies.where("f.id", "in", filter.ids);
  }
  if (filter.exceptStates?.length) {
    stories = stories.where("state", "not in", filter.exceptStates);
    dependencies = dependencies.where("f.state", "not in", filter.exceptStates);
  }
  const [rows, deps, order] = await Promise.all([
    stories.execute(),
    dependencies.execute(),
    iterations ?? iterationOrder(db, artId).then((o) => o.order),
  ]);
  const placeOf = (iterationId: string | null) => (iterationId === null ? null : (order.get(iterationId) ?? null));
  const dependsOn = new Map<string, Dependency[]>();
  for (const d of deps) {
    const list = dependsOn.get(d.from_id) ?? [];
    list.push({
      key: d.key,
      iterationOrder: placeOf(d.iteration_id),
      finished: isFinished(d.level, d.state),
      state: d.state as ItemState,
    });
    dependsOn.set(d.from_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    teamId: r.team_id,
    type: r.type as ItemType,
    title: r.title,
    description: r.description,
    acceptanceCriteria: toCriteria(JSON.parse(r.acceptance_criteria)),
    points: r.points,
    parentId: r.parent_id,
    iterationId: r.iteration_id,
    iterationOrder: placeOf(r.iteration_id),
    dependsOn: dependsOn.get(r.id) ?? [],
    state: r.state as StoryState,
    rank: r.rank,
    readyChecks: JSON.parse(r.ready_checks) as string[],
  }));
}

/**
 * Each team's velocity history on an ART: the points of its stories done or accepted in each iteration completed
 * before `today` (yyyy-mm-dd), oldest iteration first (0 where it finished nothing). Teams that never finished a
 * story in a completed iteration are absent.
 */
export async function teamVelocities(
  db: Db,
  artId: string,
  today: string,
  /** The ids of the ART's completed iterations, oldest first, when the caller has them already. */
  completedIterations?: readonly string[],
): Promise<Map<string, number[]>> {
  const completed = completedIterations ?? (await iterationOrder(db, artId, today)).completed;
  const velocities = new Map<string, number[]>();
  if (completed.length === 0) return velocities;
  const rows = await db
    .selectFrom("items")
    .select(["team_id", "iteration_id", (eb) => eb.fn.sum<number | null>("points").as("points")])
    .where("art_id", "=", artId)
    .where("level", "=", "story")
    .where("state", "in", ["done", "accepted"])
    .where("iteration_id", "in", completed)
    .groupBy(["team_id", "iteration_id"])
    .execute();
  const place = new Map(completed.map((id, i) => [id, i]));
  for (const r of rows) {
    if (r.team_id === null || r.iteration_id === null) continue;
    const points = velocities.get(r.team_id) ?? completed.map(() => 0);
    points[place.get(r.iteration_id) as number] = Number(r.points ?? 0);
    velocities.set(r.team_id, points);
  }
  return velocities;
}

/**
 * A fingerprint of an ART's stories that changes whenever one is created or changed: the ART's latest history event
 * (every write records one, in the same transaction) — how a cache of them knows it is still current, even when
 * another process wrote. One step down the (art_id, id) index.
 */
export async function storiesFingerprint(db: Db, artId: string): Promise<string> {
  const row = await db
    .selectFrom("events")
    .select((eb) => eb.fn.max("id").as("latest"))
    .where("art_id", "=", artId)
    .executeTakeFirst();
  return String(row?.latest ?? 0);
}

/** How much of a description is read to find its first line: all a story's statement can take from it. */
const DESCRIPTION_HEAD = 1000;

/**
 * An ART's stories (not closed as split) with only what comparing another story with them needs: their team, type,
 * title and the first line of their description. No criteria, estimates or dependencies.
 */
export async function storiesToCompare(db: Db, artId: string): Promise<StoryForCheck[]> {
  const rows = await db
    .selectFrom("items")
    .select([
      "id",
      "key",
      "team_id",
      "type",
      "title",
      sql<string>`substr(description, 1, ${sql.lit(DESCRIPTION_HEAD)})`.as("description"),
    ])
    .where("art_id", "=", artId)
    .where("level", "=", "story")
    .where("state", "!=", "split")
    .orderBy("backlog")
    .orderBy("rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    teamId: r.team_id,
    type: r.type as ItemType,
    title: r.title,
    description: r.description.split("\n", 1)[0] ?? "",
    acceptanceCriteria: [],
    points: null,
    parentId: null,
    iterationOrder: null,
    dependsOn: [],
  }));
}
