// PI planning: which iterations are Innovation & Planning ones, each PI's capacity allocation policy (versioned), a
// team's capacity per iteration, the planning details of every "depends on" relation (what is needed, by when, its
// state), milestones, PI objectives with business value, ROAMed risks, and confidence votes.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("iterations")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("development"))
    .execute();
  await sql`update iterations set kind = 'ip' where name like 'IP%'`.execute(db);
  await db.schema
    .alterTable("pis")
    .addColumn("allocation", "text", (c) => c.notNull().defaultTo("null"))
    .execute();
  await db.schema
    .alterTable("pis")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("team_capacity")
    .addColumn("team_id", "text", (c) => c.notNull().references("teams.id"))
    .addColumn("iteration_id", "text", (c) => c.notNull().references("iterations.id"))
    .addColumn("members", "text", (c) => c.notNull())
    .addColumn("points", "real")
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .addPrimaryKeyConstraint("team_capacity_pk", ["team_id", "iteration_id"])
    .execute();

  // One row per "depends_on" relation (same id): the consumer is the relation's from item, the provider its to item.
  await db.schema
    .createTable("dependencies")
    .addColumn("id", "text", (c) => c.primaryKey().references("relations.id"))
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("needed", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("needed_by_iteration_id", "text", (c) => c.references("iterations.id"))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("requested"))
    .addColumn("planned_iteration_id", "text", (c) => c.references("iterations.id"))
    .addColumn("decline_reason", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema.createIndex("dependencies_art").on("dependencies").column("art_id").execute();
  await sql`insert into dependencies (id, art_id, updated_at)
    select r.id, i.art_id, r.created_at from relations r join items i on i.id = r.from_id
    where r.kind = 'depends_on'`.execute(db);

  await db.schema
    .createTable("milestones")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pi_id", "text", (c) => c.notNull().references("pis.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema.createIndex("milestones_pi").on("milestones").column("pi_id").execute();

  await db.schema
    .createTable("pi_objectives")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pi_id", "text", (c) => c.notNull().references("pis.id"))
    .addColumn("team_id", "text", (c) => c.references("teams.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("committed", "integer", (c) => c.notNull())
    .addColumn("planned_value", "integer")
    .addColumn("actual_value", "integer")
    .addColumn("feature_ids", "text", (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema.createIndex("pi_objectives_pi").on("pi_objectives").column("pi_id").execute();

  await db.schema
    .createTable("risks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("art_id", "text", (c) => c.notNull().references("arts.id"))
    .addColumn("pi_id", "text", (c) => c.references("pis.id"))
    .addColumn("team_id", "text", (c) => c.references("teams.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("roam", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.references("people.id"))
    .addColumn("item_ids", "text", (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("people.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("people.id"))
    .execute();
  await db.schema.createIndex("risks_art").on("risks").column("art_id").execute();

  // scope_id: a team's id, or the ART's id for the train's vote.
  await db.schema
    .createTable("confidence_votes")
    .addColumn("pi_id", "text", (c) => c.notNull().references("pis.id"))
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("value", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("confidence_votes_pk", ["pi_id", "scope_id", "person_id"])
    .execute();
}
