// Work items: reading and writing items, their ranks, labels and teams. The only SQL about items.
import { sql } from "kysely";
import { toCriteria } from "../core/acceptance-criteria.js";
import type { EconomicItem, UrgencyProfile } from "../core/economics.js";
import type { ItemState, ItemType, Level, WorkItem } from "../core/work-item.js";
import { isPostgres } from "./dialect.js";
import type { Db, ItemTable } from "./schema.js";

type ItemRow = ItemTable;

function toItem(row: ItemRow): WorkItem {
  return {
    id: row.id,
    artId: row.art_id,
    number: row.number,
    key: row.key,
    level: row.level as Level,
    type: row.type as ItemType,
    enablerKind: row.enabler_kind as WorkItem["enablerKind"],
    title: row.title,
    description: row.description,
    benefitHypothesis: row.benefit_hypothesis,
    acceptanceCriteria: toCriteria(JSON.parse(row.acceptance_criteria)),
    state: row.state as ItemState,
    parentId: row.parent_id,
    teamId: row.team_id,
    teamIds: JSON.parse(row.team_ids) as string[],
    piId: row.pi_id,
    iterationId: row.iteration_id,
    points: row.points,
    businessValue: row.business_value,
    timeCriticality: row.time_criticality,
    riskReduction: row.risk_reduction,
    jobSize: row.job_size,
    costOfDelayPerWeek: row.cost_of_delay_per_week,
    urgency: row.urgency as UrgencyProfile | null,
    fixedDate: row.fixed_date,
    durationWeeks: row.duration_weeks,
    labels: JSON.parse(row.labels) as string[],
    ownerId: row.owner_id,
    readyChecks: JSON.parse(row.ready_checks) as string[],
    blockedReason: row.blocked_reason,
    backlog: row.backlog,
    rank: row.rank,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toRow(item: WorkItem): ItemRow {
  return {
    id: item.id,
    art_id: item.artId,
    number: item.number,
    key: item.key,
    level: item.level,
    type: item.type,
    enabler_kind: item.enablerKind,
    title: item.title,
    description: item.description,
    benefit_hypothesis: item.benefitHypothesis,
    acceptance_criteria: JSON.stringify(item.acceptanceCriteria),
    state: item.state,
    parent_id: item.parentId,
    team_id: item.teamId,
    pi_id: item.piId,
    iteration_id: item.iterationId,
    points: item.points,
    business_value: item.businessValue,
    time_criticality: item.timeCriticality,
    risk_reduction: item.riskReduction,
    job_size: item.jobSize,
    cost_of_delay_per_week: item.costOfDelayPerWeek,
    urgency: item.urgency,
    fixed_date: item.fixedDate,
    duration_weeks: item.durationWeeks,
    owner_id: item.ownerId,
    labels: JSON.stringify(item.labels),
    team_ids: JSON.stringify(item.teamIds),
    ready_checks: JSON.stringify(item.readyChecks),
    blocked_reason: item.blockedReason,
    backlog: item.backlog,
    rank: item.rank,
    version: item.version,
    created_at: item.createdAt,
    created_by: item.createdBy,
    updated_at: item.updatedAt,
    updated_by: item.updatedBy,
  };
}

/** Rows per INSERT statement: keeps every statement under SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function insertItems(db: Db, items: readonly WorkItem[]): Promise<void> {
  for (const part of chunks(items, INSERT_CHUNK)) {
    await db.insertInto("items").values(part.map(toRow)).execute();
  }
}

/** Loads items by id or key (e.g. `PAY-42`). */
export async function findItems(db: Db, refs: readonly string[]): Promise<WorkItem[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom("items")
    .selectAll()
    .where((eb) => eb.or([eb("id", "in", refs), eb("key", "in", refs)]))
    .execute();
  return rows.map(toItem);
}

export async function findItem(db: Db, ref: string): Promise<WorkItem | undefined> {
  return (await findItems(db, [ref]))[0];
}

/**
 * Writes an item's new field values if its version is still `expectedVersion`, bumping the version.
 * Returns false (and writes nothing) when someone else changed it first.
 */
export async function updateItem(db: Db, next: WorkItem, expectedVersion: number): Promise<boolean> {
  const { id: _id, ...row } = toRow(next);
  const result = await db
    .updateTable("items")
    .set(row)
    .where("id", "=", next.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Serializes rank changes within one backlog until the transaction ends, so two concurrent moves never compute a key
 * from the same neighbours. SQLite already runs one writer at a time.
 */
export async function lockBacklog(db: Db, backlog: string): Promise<void> {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(hashtext(${backlog}))`.execute(db);
}

/** The nearest rank key below or above `rank` in a backlog, skipping `exceptId` (the item being moved). */
export async function neighbourRank(
  db: Db,
  backlog: string,
  rank: string,
  side: "below" | "above",
  exceptId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom("items")
    .select("rank")
    .where("backlog", "=", backlog)
    .where("rank", side === "below" ? "<" : ">", rank)
    .where("id", "!=", exceptId)
    .orderBy("rank", side === "below" ? "desc" : "asc")
    .limit(1)
    .executeTakeFirst();
  return row?.rank ?? null;
}

/** The first or last rank key of a backlog, skipping `exceptId`. */
export async function edgeRank(
  db: Db,
  backlog: string,
  edge: "first" | "last",
  exceptId: string | null,
): Promise<string | null> {
  let q = db
    .selectFrom("items")
    .select("rank")
    .where("backlog", "=", backlog)
    .orderBy("rank", edge === "first" ? "asc" : "desc")
    .limit(1);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst())?.rank ?? null;
}

/** Item ids of a backlog in rank order (for respacing and checks). */
export async function backlogOrder(db: Db, backlog: string): Promise<{ id: string; rank: string }[]> {
  return db.selectFrom("items").select(["id", "rank"]).where("backlog", "=", backlog).orderBy("rank").execute();
}

/**
 * Rewrites every key of a backlog to `ranks` (same order). Keys are first moved to a temporary prefix that sorts
 * after every real key so that the unique (backlog, rank) index never sees two equal keys mid-way.
 */
export async function respaceBacklog(db: Db, backlog: string, ids: readonly string[], ranks: readonly string[]) {
  await db
    .updateTable("items")
    .set({ rank: sql<string>`${"~"} || rank` })
    .where("backlog", "=", backlog)
    .execute();
  for (let i = 0; i < ids.length; i++) {
    await db
      .updateTable("items")
      .set({ rank: ranks[i] as string })
      .where("id", "=", ids[i] as string)
      .execute();
  }
}

/** Distinct backlogs and their sizes, for checks. */
export async function backlogs(db: Db): Promise<{ backlog: string; count: number }[]> {
  const rows = await db
    .selectFrom("items")
    .select(["backlog", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("backlog")
    .execute();
  return rows.map((r) => ({ backlog: r.backlog, count: Number(r.count) }));
}

/** Child count and points of each given parent, read from the (parent, points) index alone. */
export async function childTotals(db: Db, parentIds: readonly string[]) {
  const totals = new Map<string, { count: number; points: number }>();
  for (let i = 0; i < parentIds.length; i += 5000) {
    const rows = await db
      .selectFrom("items")
      .select([
        "parent_id",
        (eb) => eb.fn.countAll<number>().as("count"),
        (eb) => eb.fn.sum<number | null>("points").as("points"),
      ])
      .where("parent_id", "in", parentIds.slice(i, i + 5000))
      .groupBy("parent_id")
      .execute();
    for (const r of rows) totals.set(r.parent_id as string, { count: Number(r.count), points: Number(r.points ?? 0) });
  }
  return totals;
}

/** An item's children: grouped by team (stories) and in rank order within each backlog. */
export async function childrenOf(db: Db, parentId: string): Promise<WorkItem[]> {
  const rows = await db
    .selectFrom("items")
    .leftJoin("teams", "teams.id", "items.team_id")
    .selectAll("items")
    .where("items.parent_id", "=", parentId)
    .orderBy("teams.name")
    .orderBy("items.backlog")
    .orderBy("items.rank")
    .execute();
  return rows.map(toItem);
}

/** Next item number of an ART, reserving `count` numbers. */
export async function reserveNumbers(db: Db, artId: string, count: number): Promise<number> {
  const row = await db
    .updateTable("arts")
    .set((eb) => ({ next_number: eb("next_number", "+", count) }))
    .where("id", "=", artId)
    .returning("next_number")
    .executeTakeFirstOrThrow();
  return row.next_number - count;
}

/** Every item's hierarchy and rank fields, for integrity checks. */
export async function allItemPlacements(db: Db) {
  const rows = await db
    .selectFrom("items")
    .select(["id", "key", "art_id", "level", "state", "team_id", "parent_id", "backlog", "rank"])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    artId: r.art_id,
    level: r.level as Level,
    state: r.state,
    teamId: r.team_id,
    parentId: r.parent_id,
    backlog: r.backlog,
    rank: r.rank,
  }));
}

/** Where an item is ranked, by id or key: the narrow read a placement needs. */
export async function findPlacement(db: Db, ref: string) {
  return db
    .selectFrom("items")
    .select(["id", "key", "backlog", "rank"])
    .where((eb) => eb.or([eb("id", "=", ref), eb("key", "=", ref)]))
    .executeTakeFirst();
}

/**
 * Writes an item's new rank if its version is still `expectedVersion`, bumping the version; only the rank columns and
 * the version change, so only the backlog's rank index is touched. False when someone else changed the item first.
 */
export async function writeRank(
  db: Db,
  move: { id: string; backlog: string; rank: string; updatedAt: string; updatedBy: string | null },
  expectedVersion: number,
): Promise<boolean> {
  const result = await db
    .updateTable("items")
    .set((eb) => ({
      backlog: move.backlog,
      rank: move.rank,
      version: eb("version", "+", 1),
      updated_at: move.updatedAt,
      updated_by: move.updatedBy,
    }))
    .where("id", "=", move.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A backlog's items in rank order with only what the economic view needs: WSJF inputs and the economic fields. */
export async function backlogEconomics(db: Db, backlog: string): Promise<EconomicItem[]> {
  const rows = await db
    .selectFrom("items")
    .select([
      "id",
      "key",
      "title",
      "type",
      "version",
      "business_value",
      "time_criticality",
      "risk_reduction",
      "job_size",
      "cost_of_delay_per_week",
      "urgency",
      "fixed_date",
      "duration_weeks",
    ])
    .where("backlog", "=", backlog)
    .orderBy("rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    type: r.type,
    version: r.version,
    inputs: {
      businessValue: r.business_value,
      timeCriticality: r.time_criticality,
      riskReduction: r.risk_reduction,
      jobSize: r.job_size,
    },
    economics: {
      costOfDelayPerWeek: r.cost_of_delay_per_week,
      urgency: r.urgency as UrgencyProfile | null,
      fixedDate: r.fixed_date,
      durationWeeks: r.duration_weeks,
    },
  }));
}
