// PI planning: a PI's settings (name, allocation policy; versioned), its milestones, each team's capacity per
// iteration (versioned; version 0 = never set), PI objectives, risks, confidence votes, and the narrow reads the
// planning view needs over a PI (its stories and features) — a handful of queries, never one per story.
import type { Selectable } from "kysely";
import type { CapacityMember } from "../core/pi-planning.js";
import type { Milestone, Objective, PlanCard, Risk } from "../core/planning-views.js";
import type { AllocationPolicy } from "../core/train.js";
import type { ItemType } from "../core/work-item.js";
import type { WsjfInputs } from "../core/wsjf.js";
import type { Db, PiObjectiveTable, RiskTable } from "./schema.js";

// ── PIs and milestones ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * Writes a PI's name and allocation policy if it is still at `expectedVersion`, bumping the version. False, writing
 * nothing, when someone changed it first.
 */
export async function updatePi(
  db: Db,
  pi: { id: string; name: string; allocation: AllocationPolicy | null },
  expectedVersion: number,
): Promise<boolean> {
  const result = await db
    .updateTable("pis")
    .set({ name: pi.name, allocation: JSON.stringify(pi.allocation), version: expectedVersion + 1 })
    .where("id", "=", pi.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The ART a PI belongs to. */
export async function artOfPi(db: Db, piId: string): Promise<string | undefined> {
  const row = await db.selectFrom("pis").select("art_id").where("id", "=", piId).executeTakeFirst();
  return row?.art_id;
}

/** A PI's milestones by date. */
export async function listMilestones(db: Db, piId: string): Promise<Milestone[]> {
  const rows = await db
    .selectFrom("milestones")
    .selectAll()
    .where("pi_id", "=", piId)
    .orderBy("date")
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    piId: r.pi_id,
    name: r.name,
    date: r.date,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}

export async function insertMilestone(db: Db, m: Milestone): Promise<void> {
  await db
    .insertInto("milestones")
    .values({ id: m.id, pi_id: m.piId, name: m.name, date: m.date, created_at: m.createdAt, created_by: m.createdBy })
    .execute();
}

/** Removes a milestone of a PI; false when it has none by that id. */
export async function deleteMilestone(db: Db, piId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("milestones").where("pi_id", "=", piId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── Capacity ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A team's capacity set for one iteration: its people, or points set directly. */
export interface StoredCapacity {
  teamId: string;
  iterationId: string;
  members: CapacityMember[];
  points: number | null;
  /** 0 while it was never set. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The capacities set for these teams in these iterations (pairs never set are absent), keyed `team/iteration`. */
export async function teamCapacities(
  db: Db,
  teamIds: readonly string[],
  iterationIds: readonly string[],
): Promise<Map<string, StoredCapacity>> {
  if (teamIds.length === 0 || iterationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("team_capacity")
    .selectAll()
    .where("team_id", "in", teamIds)
    .where("iteration_id", "in", iterationIds)
    .execute();
  return new Map(
    rows.map((r) => [
      capacityKey(r.team_id, r.iteration_id),
      {
        teamId: r.team_id,
        iterationId: r.iteration_id,
        members: JSON.parse(r.members) as CapacityMember[],
        points: r.points === null ? null : Number(r.points),
        version: r.version,
        updatedAt: r.updated_at,
        updatedBy: r.updated_by,
      },
    ]),
  );
}

export const capacityKey = (teamId: string, iterationId: string) => `${teamId}/${iterationId}`;

/**
 * Saves a team's capacity in an iteration if it is still at `expectedVersion` (0: never set), bumping the version.
 * False, writing nothing, when someone saved it first.
 */
export async function saveTeamCapacity(
  db: Db,
  save: {
    teamId: string;
    iterationId: string;
    members: CapacityMember[];
    points: number | null;
    at: string;
    by: string | null;
  },
  expectedVersion: number,
): Promise<boolean> {
  const members = JSON.stringify(save.members);
  if (expectedVersion === 0) {
    const result = await db
      .insertInto("team_capacity")
      .values({
        team_id: save.teamId,
        iteration_id: save.iterationId,
        members,
        points: save.points,
        version: 1,
        updated_at: save.at,
        updated_by: save.by,
      })
      .onConflict((oc) => oc.columns(["team_id", "iteration_id"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const result = await db
    .updateTable("team_capacity")
    .set({ members, points: save.points, version: expectedVersion + 1, updated_at: save.at, updated_by: save.by })
    .where("team_id", "=", save.teamId)
    .where("iteration_id", "=", save.iterationId)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── The planning view's reads ────────────────────────────────────────────────────────────────────────────────────

/** A story as the planning view shows it: its card, with its team and PI. */
export interface PlanStoryRow extends PlanCard {
  teamId: string;
  piId: string | null;
}

/**
 * The stories of these teams that belong to a PI's plan, in team then rank order: those in one of its iterations, and
 * those in no iteration that are in the PI or under one of its features.
 */
export async function planStories(
  db: Db,
  artId: string,
  pi: { id: string; iterationIds: readonly string[] },
  teamIds: readonly string[],
): Promise<PlanStoryRow[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom("items as s")
    .leftJoin("items as f", "f.id", "s.parent_id")
    .select([
      "s.id",
      "s.key",
      "s.title",
      "s.team_id",
      "s.points",
      "s.state",
      "s.type",
      "s.parent_id",
      "f.key as feature_key",
      "f.pi_id as feature_pi_id",
      "s.iteration_id",
      "s.pi_id",
      "s.blocked_reason",
      "s.rank",
      "s.version",
    ])
    .where("s.art_id", "=", artId)
    .where("s.level", "=", "story")
    .where("s.team_id", "in", teamIds)
    .where((eb) =>
      eb.or([
        ...(pi.iterationIds.length > 0 ? [eb("s.iteration_id", "in", pi.iterationIds)] : []),
        eb.and([eb("s.iteration_id", "is", null), eb.or([eb("s.pi_id", "=", pi.id), eb("f.pi_id", "=", pi.id)])]),
      ]),
    )
    .orderBy("s.team_id")
    .orderBy("s.rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    teamId: r.team_id as string,
    points: r.points === null ? null : Number(r.points),
    state: r.state,
    type: r.type as ItemType,
    featureId: r.parent_id,
    featureKey: r.feature_key,
    iterationId: r.iteration_id,
    piId: r.pi_id,
    blockedReason: r.blocked_reason,
    rank: r.rank,
    version: r.version,
  }));
}

/** A feature as the planning view lists it. */
export interface PlanFeatureRow extends WsjfInputs {
  id: string;
  key: string;
  title: string;
  teamIds: string[];
  state: string;
}

/** The features of an ART that are in a PI, or that are named (the parents of its planned stories), in rank order. */
export async function planFeatures(
  db: Db,
  artId: string,
  piId: string,
  alsoIds: readonly string[],
): Promise<PlanFeatureRow[]> {
  const rows = await db
    .selectFrom("items")
    .select([
      "id",
      "key",
      "title",
      "team_ids",
      "state",
      "business_value",
      "time_criticality",
      "risk_reduction",
      "job_size",
    ])
    .where("art_id", "=", artId)
    .where("level", "=", "feature")
    .where((eb) => eb.or([eb("pi_id", "=", piId), ...(alsoIds.length > 0 ? [eb("id", "in", alsoIds)] : [])]))
    .orderBy("rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    teamIds: JSON.parse(r.team_ids) as string[],
    state: r.state,
    businessValue: r.business_value,
    timeCriticality: r.time_criticality,
    riskReduction: r.risk_reduction,
    jobSize: r.job_size,
  }));
}

/** Items by id with what a planning record shows of them, keyed by id. */
export async function itemSummaries(
  db: Db,
  ids: readonly string[],
): Promise<
  Map<string, { id: string; key: string; title: string; level: string; artId: string; teamId: string | null }>
> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("items")
    .select(["id", "key", "title", "level", "art_id", "team_id"])
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, key: r.key, title: r.title, level: r.level, artId: r.art_id, teamId: r.team_id },
    ]),
  );
}

// ── PI objectives ─────────────────────────────────────────────────────────────────────────────────────────────

/** An objective as stored: the view's fields with its features' ids, its position and who wrote it when. */
export interface StoredObjective extends Omit<Objective, "features"> {
  featureIds: string[];
  position: number;
  createdAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

const toObjective = (r: Selectable<PiObjectiveTable>): StoredObjective => ({
  id: r.id,
  piId: r.pi_id,
  teamId: r.team_id,
  title: r.title,
  description: r.description,
  committed: Number(r.committed) === 1,
  plannedValue: r.planned_value,
  actualValue: r.actual_value,
  featureIds: JSON.parse(r.feature_ids) as string[],
  position: r.position,
  version: r.version,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});
const objectiveRow = (o: StoredObjective) => ({
  pi_id: o.piId,
  team_id: o.teamId,
  title: o.title,
  description: o.description,
  committed: o.committed ? 1 : 0,
  planned_value: o.plannedValue,
  actual_value: o.actualValue,
  feature_ids: JSON.stringify(o.featureIds),
  position: o.position,
  version: o.version,
  created_at: o.createdAt,
  created_by: o.createdBy,
  updated_at: o.updatedAt,
  updated_by: o.updatedBy,
});

/** A PI's objectives in the order they were written. */
export async function listObjectives(db: Db, piId: string): Promise<StoredObjective[]> {
  const rows = await db
    .selectFrom("pi_objectives")
    .selectAll()
    .where("pi_id", "=", piId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toObjective);
}

export async function findObjective(db: Db, id: string): Promise<StoredObjective | undefined> {
  const row = await db.selectFrom("pi_objectives").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toObjective(row) : undefined;
}

/** The position after a PI's last objective. */
export async function nextObjectivePosition(db: Db, piId: string): Promise<number> {
  const row = await db
    .selectFrom("pi_objectives")
    .select((eb) => eb.fn.max("position").as("last"))
    .where("pi_id", "=", piId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

export async function insertObjective(db: Db, o: StoredObjective): Promise<void> {
  await db
    .insertInto("pi_objectives")
    .values({ id: o.id, ...objectiveRow(o) })
    .execute();
}

/** Writes an objective if it is still at `expectedVersion` (the new one carries the next version); false otherwise. */
export async function updateObjective(db: Db, next: StoredObjective, expectedVersion: number): Promise<boolean> {
  const result = await db
    .updateTable("pi_objectives")
    .set(objectiveRow(next))
    .where("id", "=", next.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes an objective if it is still at `expectedVersion`; false otherwise. */
export async function deleteObjective(db: Db, id: string, expectedVersion: number): Promise<boolean> {
  const result = await db
    .deleteFrom("pi_objectives")
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── Risks ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A risk as stored: the view's fields with its ROAM state as written, its owner's and items' ids, and who wrote it when. */
export interface StoredRisk extends Omit<Risk, "roam" | "owner" | "items"> {
  roam: string;
  ownerId: string | null;
  itemIds: string[];
  createdAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

const toRisk = (r: Selectable<RiskTable>): StoredRisk => ({
  id: r.id,
  artId: r.art_id,
  piId: r.pi_id,
  teamId: r.team_id,
  title: r.title,
  description: r.description,
  roam: r.roam,
  ownerId: r.owner_id,
  itemIds: JSON.parse(r.item_ids) as string[],
  version: r.version,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});
const riskRow = (r: StoredRisk) => ({
  art_id: r.artId,
  pi_id: r.piId,
  team_id: r.teamId,
  title: r.title,
  description: r.description,
  roam: r.roam,
  owner_id: r.ownerId,
  item_ids: JSON.stringify(r.itemIds),
  version: r.version,
  created_at: r.createdAt,
  created_by: r.createdBy,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

/** An ART's risks, oldest first, optionally of one PI. */
export async function listRisks(db: Db, artId: string, filter: { piId?: string } = {}): Promise<StoredRisk[]> {
  let q = db.selectFrom("risks").selectAll().where("art_id", "=", artId);
  if (filter.piId !== undefined) q = q.where("pi_id", "=", filter.piId);
  return (await q.orderBy("created_at").orderBy("id").execute()).map(toRisk);
}

export async function findRisk(db: Db, id: string): Promise<StoredRisk | undefined> {
  const row = await db.selectFrom("risks").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRisk(row) : undefined;
}

export async function insertRisk(db: Db, r: StoredRisk): Promise<void> {
  await db
    .insertInto("risks")
    .values({ id: r.id, ...riskRow(r) })
    .execute();
}

/** Writes a risk if it is still at `expectedVersion` (the new one carries the next version); false otherwise. */
export async function updateRisk(db: Db, next: StoredRisk, expectedVersion: number): Promise<boolean> {
  const result = await db
    .updateTable("risks")
    .set(riskRow(next))
    .where("id", "=", next.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes a risk if it is still at `expectedVersion`; false otherwise. */
export async function deleteRisk(db: Db, id: string, expectedVersion: number): Promise<boolean> {
  const result = await db
    .deleteFrom("risks")
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── Confidence votes ──────────────────────────────────────────────────────────────────────────────────────────

export interface ConfidenceVote {
  scopeId: string;
  personId: string;
  value: number;
}

/** Every vote cast in a PI: for a team (scopeId = team id) or the train (scopeId = ART id). */
export async function listVotes(db: Db, piId: string): Promise<ConfidenceVote[]> {
  const rows = await db
    .selectFrom("confidence_votes")
    .select(["scope_id", "person_id", "value"])
    .where("pi_id", "=", piId)
    .orderBy("at")
    .execute();
  return rows.map((r) => ({ scopeId: r.scope_id, personId: r.person_id, value: r.value }));
}

/** Casts a person's vote, replacing the one they cast before for the same PI and scope. */
export async function castVote(
  db: Db,
  vote: { piId: string; scopeId: string; personId: string; value: number; at: string },
): Promise<void> {
  await db
    .insertInto("confidence_votes")
    .values({ pi_id: vote.piId, scope_id: vote.scopeId, person_id: vote.personId, value: vote.value, at: vote.at })
    .onConflict((oc) => oc.columns(["pi_id", "scope_id", "person_id"]).doUpdateSet({ value: vote.value, at: vote.at }))
    .execute();
}
