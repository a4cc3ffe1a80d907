// Metrics: a story (or any item) can be blocked, with what it waits on (null when not blocked); and an index to read
// an ART's history of one field in time order (a team's state changes over a period, for flow and rework), and one
// to read a team's stories.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("items").addColumn("blocked_reason", "text").execute();
  await db.schema.createIndex("events_art_field_at").on("events").columns(["art_id", "field", "at"]).execute();
  await db.schema.createIndex("items_team_level").on("items").columns(["team_id", "level"]).execute();
}
