// Accounts and security: sign-in credentials for people, roles on ARTs and teams, sessions, personal API tokens,
// one-time password links (invitations and resets), the audit log, and server secrets made on first start.
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = isPostgres(db)
    ? sql`bigint generated always as identity primary key`
    : sql`integer primary key autoincrement`;

  await db.schema
    .createTable("accounts")
    .addColumn("person_id", "text", (c) => c.primaryKey().references("people.id"))
    .addColumn("password_hash", "text")
    .addColumn("admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("failed_sign_ins", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("password_changed_at", "text")
    .execute();
  await db.schema
    .createTable("role_grants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("team_id", "text", (c) => c.references("teams.id"))
    /** The ART's id for a role on the ART, the team's id for a role on a team: what makes a grant unique. */
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addUniqueConstraint("role_grants_unique", ["person_id", "role", "scope_id"])
    .execute();
  await db.schema.createIndex("role_grants_art").on("role_grants").columns(["art_id"]).execute();
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_person").on("sessions").columns(["person_id"]).execute();
  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("hint", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("api_tokens_person").on("api_tokens").columns(["person_id"]).execute();
  await db.schema
    .createTable("password_links")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema
    .createTable("audit_log")
    .addColumn("id", serial)
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("subject_id", "text")
    .addColumn("art_id", "text")
    .addColumn("ip", "text")
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").columns(["at"]).execute();
  await db.schema.createIndex("audit_log_ip").on("audit_log").columns(["kind", "ip", "at"]).execute();
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}
