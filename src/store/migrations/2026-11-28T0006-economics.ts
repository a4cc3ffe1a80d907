// The economic view on items (program levels only, all optional): a quantified Cost of Delay per week, an urgency
// profile (expedite, fixed_date, standard, intangible), the fixed date of a fixed-date item, and a duration in weeks.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("items").addColumn("cost_of_delay_per_week", "double precision").execute();
  await db.schema.alterTable("items").addColumn("urgency", "text").execute();
  await db.schema.alterTable("items").addColumn("fixed_date", "text").execute();
  await db.schema.alterTable("items").addColumn("duration_weeks", "double precision").execute();
}
