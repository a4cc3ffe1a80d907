// A team's stories of one iteration in rank order (its iteration board, the backlog filtered by iteration): read
// from an index instead of walking the whole team backlog.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("items_backlog_iteration")
    .on("items")
    .columns(["backlog", "iteration_id", "rank"])
    .execute();
}
