// The change log: every change a screen is told about, with an id in the order its transaction committed (per ART),
// so a server reads what it has not sent yet and a client that reconnects catches up from the last id it saw. Kept
// for a day (see src/store/changes.store.ts).
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = isPostgres(db)
    ? sql`bigint generated always as identity primary key`
    : sql`integer primary key autoincrement`;
  await db.schema
    .createTable("change_log")
    .addColumn("id", serial)
    .addColumn("art_id", "text", (c) => c.notNull())
    .addColumn("change", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("change_log_art").on("change_log").columns(["art_id", "id"]).execute();
  await db.schema.createIndex("change_log_at").on("change_log").column("at").execute();
}
