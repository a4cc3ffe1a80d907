// WSJF inputs on items (relative estimates, nullable until given), and reorders: a whole backlog put in a new order
// at once (applying WSJF order, aligning a team to the program) as one change that can be undone.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ["business_value", "time_criticality", "risk_reduction", "job_size"]) {
    await db.schema.alterTable("items").addColumn(column, "integer").execute();
  }
  await db.schema
    .createTable("reorders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("backlog", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    /** JSON: [{ id, rank, version }] of every item before, in rank order. */
    .addColumn("before", "text", (c) => c.notNull())
    /** JSON: [{ id, rank, version }] of every item after, in rank order. */
    .addColumn("after", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("undone_at", "text")
    .addColumn("undone_by", "text")
    .execute();
  await db.schema.createIndex("reorders_backlog").on("reorders").columns(["backlog", "at"]).execute();
}
