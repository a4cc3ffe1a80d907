// Reorders: a backlog put in a new order at once (WSJF order, a team aligned to the program), kept for undo; and the
// reads and writes of a whole backlog's order they need.
import { sql } from "kysely";
import { sqliteOf } from "./dialect.js";
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
 * Gives items new rank keys (bumping their versions). `current` is the whole backlog with its keys before the change.
 * The unique (backlog, rank) index must never see two equal keys mid-way, so the items whose present key is another
 * item's new key first move to temporary keys that sort after every real key. (The new keys never equal the key of an
 * item that keeps its own.) SQLite runs one prepared statement per item; PostgreSQL one statement over two arrays.
 */
export async function writeRanks(
  db: Db,
  backlog: string,
  current: readonly { id: string; rank: string }[],
  changes: ReadonlyMap<string, string>,
  at: string,
  by: string | null,
): Promise<void> {
  const rankNow = new Map(current.map((c) => [c.id, c.rank]));
  const newKeys = new Set(changes.values());
  const blocking = [...changes.keys()].filter((id) => {
    const rank = rankNow.get(id);
    return rank === undefined || newKeys.has(rank);
  });
  const sqlite = sqliteOf(db);
  if (sqlite) {
    const park = sqlite.prepare("update items set rank = '~' || id where id = ? and backlog = ?");
    for (const id of blocking) park.run(id, backlog);
    const write = sqlite.prepare(
      "update items set rank = ?, version = version + 1, updated_at = ?, updated_by = ? where id = ? and backlog = ?",
    );
    for (const [id, rank] of changes) write.run(rank, at, by, id, backlog);
    return;
  }
  if (blocking.length > 0) {
    await sql`update items set rank = '~' || id where backlog = ${backlog} and id = any(${blocking})`.execute(db);
  }
  await sql`update items set rank = v.rank, version = items.version + 1, updated_at = ${at}, updated_by = ${by}
    from unnest(${[...changes.keys()]}::text[], ${[...changes.values()]}::text[]) as v(id, rank)
    where items.backlog = ${backlog} and items.id = v.id`.execute(db);
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
