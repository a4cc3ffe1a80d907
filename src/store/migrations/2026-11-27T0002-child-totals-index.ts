// Child totals (a feature's story count and points) read from an index alone, not from scattered story rows.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("items_parent_points").on("items").columns(["parent_id", "points"]).execute();
  await db.schema.dropIndex("items_parent").execute();
}
