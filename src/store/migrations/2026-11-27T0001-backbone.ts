// The backbone: trains, teams, people, PIs, work items with ranks, relations, comments and history.
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  // Rank keys compare as bytes: PostgreSQL must not sort them by a locale.
  const rankType = pg ? sql`text collate "C"` : sql`text`;
  const serial = pg ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;

  await db.schema
    .createTable("arts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("next_number", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("teams")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("teams_art_key", ["art_id", "key"])
    .execute();
  await db.schema
    .createTable("people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("pis")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addUniqueConstraint("pis_art_name", ["art_id", "name"])
    .execute();
  await db.schema
    .createTable("iterations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pi_id", "text", (c) => c.notNull().references("pis.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addUniqueConstraint("iterations_pi_number", ["pi_id", "number"])
    .execute();
  await db.schema
    .createTable("items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("enabler_kind", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("benefit_hypothesis", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("acceptance_criteria", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("parent_id", "text", (c) => c.references("items.id"))
    .addColumn("team_id", "text", (c) => c.references("teams.id"))
    .addColumn("pi_id", "text", (c) => c.references("pis.id"))
    .addColumn("iteration_id", "text", (c) => c.references("iterations.id"))
    .addColumn("points", "real")
    .addColumn("owner_id", "text", (c) => c.references("people.id"))
    .addColumn("labels", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("team_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("backlog", "text", (c) => c.notNull())
    .addColumn("rank", rankType, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .addUniqueConstraint("items_backlog_rank", ["backlog", "rank"])
    .execute();
  await db.schema.createIndex("items_parent").on("items").column("parent_id").execute();
  await db.schema.createIndex("items_art_level").on("items").columns(["art_id", "level"]).execute();
  await db.schema
    .createTable("relations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("from_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("to_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addUniqueConstraint("relations_unique", ["kind", "from_id", "to_id"])
    .execute();
  await db.schema.createIndex("relations_to").on("relations").column("to_id").execute();
  await db.schema
    .createTable("comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("author_id", "text", (c) => c.references("people.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("comments_item").on("comments").column("item_id").execute();
  await db.schema
    .createTable("events")
    .addColumn("id", serial)
    .addColumn("art_id", "text", (c) => c.notNull())
    .addColumn("item_id", "text", (c) => c.notNull())
    .addColumn("team_id", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("field", "text")
    .addColumn("old_value", "text")
    .addColumn("new_value", "text")
    .addColumn("actor_id", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_item").on("events").columns(["item_id", "id"]).execute();
  await db.schema.createIndex("events_team_at").on("events").columns(["team_id", "at"]).execute();
  await db.schema.createIndex("events_art_at").on("events").columns(["art_id", "at"]).execute();
}
