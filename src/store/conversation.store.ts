// Comments on items and relations between items.
import type { Selectable } from "kysely";
import type { Comment } from "../core/item-views.js";
import type { RelationKind } from "../core/work-item.js";
import type { Db, RelationTable } from "./schema.js";

export interface Relation {
  id: string;
  kind: RelationKind;
  fromId: string;
  toId: string;
  createdAt: string;
  createdBy: string | null;
}

export async function insertComment(db: Db, c: Comment): Promise<void> {
  await db
    .insertInto("comments")
    .values({ id: c.id, item_id: c.itemId, author_id: c.authorId, body: c.body, created_at: c.createdAt })
    .execute();
}

export async function listComments(db: Db, itemId: string): Promise<Comment[]> {
  const rows = await db
    .selectFrom("comments")
    .selectAll()
    .where("item_id", "=", itemId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    authorId: r.author_id,
    body: r.body,
    createdAt: r.created_at,
  }));
}

export async function insertRelations(db: Db, relations: readonly Relation[]): Promise<void> {
  if (relations.length === 0) return;
  await db
    .insertInto("relations")
    .values(
      relations.map((r) => ({
        id: r.id,
        kind: r.kind,
        from_id: r.fromId,
        to_id: r.toId,
        created_at: r.createdAt,
        created_by: r.createdBy,
      })),
    )
    .execute();
}

/** Removes a relation, and with a "depends_on" one its dependency row (same id). */
export async function deleteRelation(db: Db, id: string): Promise<void> {
  await db.deleteFrom("dependencies").where("id", "=", id).execute();
  await db.deleteFrom("relations").where("id", "=", id).execute();
}

/** Relations where the item is either end. */
export async function relationsOf(db: Db, itemId: string): Promise<Relation[]> {
  const rows = await db
    .selectFrom("relations")
    .selectAll()
    .where((eb) => eb.or([eb("from_id", "=", itemId), eb("to_id", "=", itemId)]))
    .orderBy("created_at")
    .execute();
  return rows.map(toRelation);
}

export async function findRelation(db: Db, id: string): Promise<Relation | undefined> {
  const row = await db.selectFrom("relations").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRelation(row);
}

function toRelation(r: Selectable<RelationTable>): Relation {
  return {
    id: r.id,
    kind: r.kind as RelationKind,
    fromId: r.from_id,
    toId: r.to_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}
