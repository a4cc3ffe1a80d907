// Customer feedback on an ART (who said what, through which channel, how much it weighs) and its links to items.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("feedback")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("customer", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("weight", "integer", (c) => c.notNull())
    .addColumn("received_on", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema.createIndex("feedback_art_created").on("feedback").columns(["art_id", "created_at"]).execute();
  await db.schema
    .createTable("feedback_links")
    .addColumn("feedback_id", "text", (c) => c.notNull().references("feedback.id"))
    .addColumn("item_id", "text", (c) => c.notNull().references("items.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addPrimaryKeyConstraint("feedback_links_pair", ["feedback_id", "item_id"])
    .execute();
  await db.schema.createIndex("feedback_links_item").on("feedback_links").column("item_id").execute();
}
