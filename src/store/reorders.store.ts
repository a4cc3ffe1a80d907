// Reorders: a backlog put in a new order at once (WSJF order, a team aligned to the program), kept for undo; and the
// reads and writes of a whole backlog's order they need.
import { sql } from "kysely";
import type { Db } from "./schema.js";

export interface Placed {
  id: string;
  rank: string;
  version: number;
}

export interface Reorder {
  id: string;
  artId: string;
  backlog: string;
  kind: string;
  before: Placed[];
  after: Placed[];
  at: string;
  actorId: string | null;
  undoneAt: string | null;
}

/** A backlog's items in rank order, with what ordering them needs: WSJF inputs and parents. */
export async function backlogCandidates(db: Db, backlog: string) {
  const rows = await db
    .selectFrom("items")
    .select([
      "id",
      "key",
      "title",
      "type",
      "state",
      "parent_id",
      "team_ids",
      "business_value",
      "time_criticality",
      "risk_reduction",
      "job_size",
      "rank",
      "version",
    ])
    .where("backlog", "=", backlog)
    .orderBy("rank")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    type: r.type,
    state: r.state,
    parentId: r.parent_id,
    teamIds: JSON.parse(r.team_ids) as string[],
    inputs: {
      businessValue: r.business_value,
      timeCriticality: r.time_criticality,
      riskReduction: r.risk_reduction,
      jobSize: r.job_size,
    },
    rank: r.rank,
    version: r.version,
  }));
}

/** Parent ids of a backlog's items, in rank order (a team backlog's stories and their features). */
export async function backlogParents(db: Db, backlog: string): Promise<{ id: string; parentId: string | null }[]> {
  const rows = await db
    .selectFrom("items")
    .select(["id", "parent_id", "rank", "version"])
    .where("backlog", "=", backlog)
    .orderBy("rank")
    .execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
}

/**
 * Gives items new rank keys (bumping their versions), first moving them to temporary keys that sort after every real
 * key, so the unique (backlog, rank) index never sees two equal keys mid-way.
 */
export async function writeRanks(
  db: Db,
  backlog: string,
  changes: ReadonlyMap<string, string>,
  at: string,
  by: string | null,
): Promise<void> {
  const ids = [...changes.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable("items")
      .set({ rank: sql<string>`${"~"} || id` })
      .where("backlog", "=", backlog)
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
  }
  for (const [id, rank] of changes) {
    await db
      .updateTable("items")
      .set((eb) => ({ rank, version: eb("version", "+", 1), updated_at: at, updated_by: by }))
      .where("id", "=", id)
      .execute();
  }
}

export async function insertReorder(db: Db, r: Reorder): Promise<void> {
  await db
    .insertInto("reorders")
    .values({
      id: r.id,
      art_id: r.artId,
      backlog: r.backlog,
      kind: r.kind,
      before: JSON.stringify(r.before),
      after: JSON.stringify(r.after),
      at: r.at,
      actor_id: r.actorId,
      undone_at: null,
      undone_by: null,
    })
    .execute();
}

export async function findReorder(db: Db, id: string): Promise<Reorder | undefined> {
  const r = await db.selectFrom("reorders").selectAll().where("id", "=", id).executeTakeFirst();
  return (
    r && {
      id: r.id,
      artId: r.art_id,
      backlog: r.backlog,
      kind: r.kind,
      before: JSON.parse(r.before) as Placed[],
      after: JSON.parse(r.after) as Placed[],
      at: r.at,
      actorId: r.actor_id,
      undoneAt: r.undone_at,
    }
  );
}

/** Marks a reorder undone; false if it was undone already (by a concurrent request). */
export async function markUndone(db: Db, id: string, at: string, by: string | null): Promise<boolean> {
  const r = await db
    .updateTable("reorders")
    .set({ undone_at: at, undone_by: by })
    .where("id", "=", id)
    .where("undone_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
