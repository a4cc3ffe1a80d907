// The metrics' daily records, a projection of history kept once a day is over (see src/use-cases/seal-metrics.ts):
// per ART, scope (a team's id, or "*" for the whole train) and day, what the stories were at its end and what happened
// during it; per iteration, its stories as it began and, once it is over, its result per scope; per ART, the last day
// kept. And two indexes today's dashboard reads by: an iteration's stories, and the top of a team's ranked backlog.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("metric_days")
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("record", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("metric_days_pk", ["art_id", "scope", "day"])
    .execute();
  await db.schema
    .createTable("metric_iterations")
    .addColumn("iteration_id", "text", (c) => c.primaryKey().references("iterations.id"))
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("start", "text", (c) => c.notNull())
    .addColumn("results", "text")
    .execute();
  await db.schema
    .createTable("metric_seals")
    .addColumn("art_id", "text", (c) => c.primaryKey().references("arts.id"))
    .addColumn("through", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("items_iteration").on("items").column("iteration_id").execute();
  // Partial and covering: a team's open stories not yet in progress, in rank order, with what the top of them counts.
  // A query must say which stories in these very words (literals, not parameters) for the database to use it.
  await db.schema
    .createIndex("items_team_backlog")
    .on("items")
    .columns(["team_id", "rank", "state", "points"])
    .where(sql<boolean>`level = 'story' and state in ('new', 'refining', 'ready')`)
    .execute();
}
