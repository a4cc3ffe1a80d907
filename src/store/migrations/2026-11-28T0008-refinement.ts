// Refinement: the manual Definition-of-Ready items ticked on a story, each team's refinement settings (quality rules
// switched off, thresholds, Definition of Ready, ready policy), quality findings dismissed with a reason, and an index
// to find an ART's latest history event.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("items")
    .addColumn("ready_checks", "text", (c) => c.notNull().defaultTo(sql`'[]'`))
    .execute();
  await db.schema
    .createTable("team_refinement")
    .addColumn("team_id", "text", (c) => c.primaryKey().references("teams.id"))
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema
    .createTable("finding_dismissals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addUniqueConstraint("finding_dismissals_item_rule", ["item_id", "rule"])
    .execute();
  await db.schema.createIndex("finding_dismissals_art").on("finding_dismissals").column("art_id").execute();
  // The latest history event of an ART in one index step: how a cache of its stories knows it is still current.
  await db.schema.createIndex("events_art_id").on("events").columns(["art_id", "id"]).execute();
}
