// Dependencies (the planning details of each "depends_on" relation) and the lean reads that PI planning works from:
// the items at either end of a dependency and where their stories land, a PI's features and stories for the program
// board and the proposed plan, its teams' capacity rows and its milestones. Only the columns each view needs.
import type { Selectable } from "kysely";
import type { CapacityMember } from "../core/pi-planning.js";
import type { BoardMilestone } from "../core/planning-views.js";
import type { ItemType, Level } from "../core/work-item.js";
import type { Db, DependencyTable } from "./schema.js";

/** A dependency: its relation's ends (consumer = the item that depends, provider = the one it depends on) and details. */
export interface DependencyRow {
  id: string;
  artId: string;
  consumerId: string;
  providerId: string;
  needed: string;
  neededByIterationId: string | null;
  state: string;
  plannedIterationId: string | null;
  declineReason: string | null;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

const DEPENDENCY_COLUMNS = [
  "dependencies.id",
  "dependencies.art_id",
  "relations.from_id",
  "relations.to_id",
  "dependencies.needed",
  "dependencies.needed_by_iteration_id",
  "dependencies.state",
  "dependencies.planned_iteration_id",
  "dependencies.decline_reason",
  "dependencies.version",
  "dependencies.updated_at",
  "dependencies.updated_by",
] as const;

/** A dependency's row with its relation's ends. */
type DependencyDbRow = Selectable<DependencyTable> & { from_id: string; to_id: string };

const toDependency = (r: DependencyDbRow): DependencyRow => ({
  id: r.id,
  artId: r.art_id,
  consumerId: r.from_id,
  providerId: r.to_id,
  needed: r.needed,
  neededByIterationId: r.needed_by_iteration_id,
  state: r.state,
  plannedIterationId: r.planned_iteration_id,
  declineReason: r.decline_reason,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The dependency row of a new "depends_on" relation (inserted with it, in the same transaction). */
export async function insertDependency(
  db: Db,
  d: { id: string; artId: string; needed: string; neededByIterationId: string | null; at: string; by: string | null },
): Promise<void> {
  await db
    .insertInto("dependencies")
    .values({
      id: d.id,
      art_id: d.artId,
      needed: d.needed,
      needed_by_iteration_id: d.neededByIterationId,
      state: "requested",
      planned_iteration_id: null,
      decline_reason: null,
      version: 1,
      updated_at: d.at,
      updated_by: d.by,
    })
    .execute();
}

export async function findDependency(db: Db, id: string): Promise<DependencyRow | undefined> {
  const row = await db
    .selectFrom("dependencies")
    .innerJoin("relations", "relations.id", "dependencies.id")
    .select(DEPENDENCY_COLUMNS)
    .where("dependencies.id", "=", id)
    .executeTakeFirst();
  return row && toDependency(row);
}

/** Every dependency of an ART, oldest first. */
export async function dependenciesOfArt(db: Db, artId: string): Promise<DependencyRow[]> {
  const rows = await db
    .selectFrom("dependencies")
    .innerJoin("relations", "relations.id", "dependencies.id")
    .select(DEPENDENCY_COLUMNS)
    .where("dependencies.art_id", "=", artId)
    .orderBy("relations.created_at")
    .orderBy("dependencies.id")
    .execute();
  return rows.map(toDependency);
}

/** Writes a dependency's new details if it is still at `expectedVersion`; false (nothing written) when it is not. */
export async function updateDependency(db: Db, next: DependencyRow, expectedVersion: number): Promise<boolean> {
  const result = await db
    .updateTable("dependencies")
    .set({
      needed: next.needed,
      needed_by_iteration_id: next.neededByIterationId,
      state: next.state,
      planned_iteration_id: next.plannedIterationId,
      decline_reason: next.declineReason,
      version: next.version,
      updated_at: next.updatedAt,
      updated_by: next.updatedBy,
    })
    .where("id", "=", next.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a dependency row if it is still at `version`; false (nothing deleted) when it is not. */
export async function deleteDependencyAt(db: Db, id: string, version: number): Promise<boolean> {
  const result = await db
    .deleteFrom("dependencies")
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** An item as planning sees it: where it is, what it weighs, whom it belongs to. */
export interface PlanItemRow {
  id: string;
  key: string;
  title: string;
  level: Level;
  type: ItemType;
  state: string;
  teamId: string | null;
  teamIds: string[];
  parentId: string | null;
  piId: string | null;
  iterationId: string | null;
  points: number | null;
  rank: string;
  version: number;
}

const PLAN_ITEM_COLUMNS = [
  "id",
  "key",
  "title",
  "level",
  "type",
  "state",
  "team_id",
  "team_ids",
  "parent_id",
  "pi_id",
  "iteration_id",
  "points",
  "rank",
  "version",
] as const;

interface PlanItemDbRow {
  id: string;
  key: string;
  title: string;
  level: string;
  type: string;
  state: string;
  team_id: string | null;
  team_ids: string;
  parent_id: string | null;
  pi_id: string | null;
  iteration_id: string | null;
  points: number | null;
  rank: string;
  version: number;
}

const toPlanItem = (r: PlanItemDbRow): PlanItemRow => ({
  id: r.id,
  key: r.key,
  title: r.title,
  level: r.level as Level,
  type: r.type as ItemType,
  state: r.state,
  teamId: r.team_id,
  teamIds: JSON.parse(r.team_ids) as string[],
  parentId: r.parent_id,
  piId: r.pi_id,
  iterationId: r.iteration_id,
  points: r.points,
  rank: r.rank,
  version: r.version,
});

/** An ART's stories as planning reads them, leaving out those closed as split. */
const storiesOfArt = (db: Db, artId: string) =>
  db
    .selectFrom("items")
    .select(PLAN_ITEM_COLUMNS)
    .where("art_id", "=", artId)
    .where("level", "=", "story")
    .where("state", "<>", "split");

/** The items at the ends of an ART's dependencies, and the stories (not closed as split) of the features among them. */
export async function dependencyEnds(
  db: Db,
  artId: string,
): Promise<{ items: PlanItemRow[]; featureStories: PlanItemRow[] }> {
  const endIds = db
    .selectFrom("relations")
    .innerJoin("dependencies", "dependencies.id", "relations.id")
    .where("dependencies.art_id", "=", artId);
  const [items, featureStories] = await Promise.all([
    db
      .selectFrom("items")
      .select(PLAN_ITEM_COLUMNS)
      .where("art_id", "=", artId)
      .where((eb) =>
        eb.or([eb("id", "in", endIds.select("relations.from_id")), eb("id", "in", endIds.select("relations.to_id"))]),
      )
      .execute(),
    storiesOfArt(db, artId)
      .where((eb) =>
        eb.or([
          eb("parent_id", "in", endIds.select("relations.from_id")),
          eb("parent_id", "in", endIds.select("relations.to_id")),
        ]),
      )
      .execute(),
  ]);
  return { items: items.map(toPlanItem), featureStories: featureStories.map(toPlanItem) };
}

/**
 * A PI's program items and stories: the features assigned to the PI or with a story in it, and the stories (not closed
 * as split) assigned to the PI (every story in one of its iterations is) or under one of those features; each in rank
 * order.
 */
export async function piPlanItems(
  db: Db,
  artId: string,
  piId: string,
): Promise<{ features: (PlanItemRow & WsjfColumns)[]; stories: PlanItemRow[] }> {
  const storiesInPi = db
    .selectFrom("items")
    .select("parent_id")
    .where("art_id", "=", artId)
    .where("level", "=", "story")
    .where("pi_id", "=", piId)
    .where("parent_id", "is not", null);
  const featuresOfPi = db
    .selectFrom("items")
    .select("id")
    .where("art_id", "=", artId)
    .where("level", "=", "feature")
    .where("pi_id", "=", piId);
  const [features, stories] = await Promise.all([
    db
      .selectFrom("items")
      .select([...PLAN_ITEM_COLUMNS, "business_value", "time_criticality", "risk_reduction", "job_size"])
      .where("art_id", "=", artId)
      .where("level", "=", "feature")
      .where((eb) => eb.or([eb("pi_id", "=", piId), eb("id", "in", storiesInPi)]))
      .orderBy("rank")
      .execute(),
    storiesOfArt(db, artId)
      .where((eb) => eb.or([eb("pi_id", "=", piId), eb("parent_id", "in", featuresOfPi)]))
      .orderBy("backlog")
      .orderBy("rank")
      .execute(),
  ]);
  return {
    features: features.map((f) => ({
      ...toPlanItem(f),
      businessValue: f.business_value,
      timeCriticality: f.time_criticality,
      riskReduction: f.risk_reduction,
      jobSize: f.job_size,
    })),
    stories: stories.map(toPlanItem),
  };
}

export interface WsjfColumns {
  businessValue: number | null;
  timeCriticality: number | null;
  riskReduction: number | null;
  jobSize: number | null;
}

/** A team's capacity as set for one iteration: people or points (see `capacityOf` in the core). */
export interface CapacityRow {
  teamId: string;
  iterationId: string;
  members: CapacityMember[];
  points: number | null;
}

/** The capacity rows set for these iterations (any team). */
export async function capacityRows(db: Db, iterationIds: readonly string[]): Promise<CapacityRow[]> {
  if (iterationIds.length === 0) return [];
  const rows = await db
    .selectFrom("team_capacity")
    .select(["team_id", "iteration_id", "members", "points"])
    .where("iteration_id", "in", iterationIds)
    .execute();
  return rows.map((r) => ({
    teamId: r.team_id,
    iterationId: r.iteration_id,
    members: JSON.parse(r.members) as CapacityMember[],
    points: r.points,
  }));
}

export async function milestonesOf(db: Db, piId: string): Promise<BoardMilestone[]> {
  return db
    .selectFrom("milestones")
    .select(["id", "name", "date"])
    .where("pi_id", "=", piId)
    .orderBy("date")
    .orderBy("name")
    .execute();
}
