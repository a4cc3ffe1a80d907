// Collaborative WSJF estimation sessions: the session, its items in order, its participants, each person's private
// score per item × input × round, and the values the facilitator confirmed.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("estimation_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("inputs", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("round", "integer", (c) => c.notNull())
    .addColumn("facilitator_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revealed_at", "text")
    .addColumn("closed_at", "text")
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("estimation_sessions_art_created")
    .on("estimation_sessions")
    .columns(["art_id", "created_at"])
    .execute();
  await db.schema
    .createTable("estimation_items")
    .addColumn("session_id", "text", (c) => c.notNull().references("estimation_sessions.id"))
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("estimation_items_pair", ["session_id", "item_id"])
    .execute();
  await db.schema
    .createTable("estimation_participants")
    .addColumn("session_id", "text", (c) => c.notNull().references("estimation_sessions.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("added_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("estimation_participants_pair", ["session_id", "person_id"])
    .execute();
  await db.schema
    .createIndex("estimation_participants_person")
    .on("estimation_participants")
    .column("person_id")
    .execute();
  await db.schema
    .createTable("estimation_scores")
    .addColumn("session_id", "text", (c) => c.notNull().references("estimation_sessions.id"))
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("input", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("round", "integer", (c) => c.notNull())
    .addColumn("value", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("estimation_scores_cell", ["session_id", "item_id", "input", "person_id", "round"])
    .execute();
  await db.schema
    .createTable("estimation_confirmations")
    .addColumn("session_id", "text", (c) => c.notNull().references("estimation_sessions.id"))
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("input", "text", (c) => c.notNull())
    .addColumn("value", "integer", (c) => c.notNull())
    .addColumn("confirmed_by", "text", (c) => c.notNull().references("people.id"))
    .addColumn("confirmed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("estimation_confirmations_cell", ["session_id", "item_id", "input"])
    .execute();
}
