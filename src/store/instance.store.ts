// A whole Trainyard instance as rows: every table but the derived ones, read in pages and written back in an order
// that satisfies every foreign key, on either database. What `trainyard export` and `trainyard import` move.
import { sql } from "kysely";
import { isPostgres } from "./dialect.js";
import type { Db } from "./schema.js";

/**
 * The tables an export holds, each after the ones it refers to (items refer to items too: parents come first, see
 * `LEVEL_ORDER`). The metrics' day records are left out: they are derived from history and rebuilt after an import.
 */
export const INSTANCE_TABLES = [
  "people",
  "accounts",
  "api_tokens",
  "arts",
  "audit_log",
  "pis",
  "iterations",
  "teams",
  "items",
  "comments",
  "confidence_votes",
  "relations",
  "dependencies",
  "estimation_sessions",
  "estimation_confirmations",
  "estimation_items",
  "estimation_participants",
  "estimation_scores",
  "events",
  "feedback",
  "feedback_links",
  "finding_dismissals",
  "milestones",
  "password_links",
  "pi_objectives",
  "reorders",
  "risks",
  "role_grants",
  "sessions",
  "settings",
  "team_capacity",
  "team_refinement",
] as const;
export type InstanceTable = (typeof INSTANCE_TABLES)[number];

/**
 * Tables not exported: the metrics' records, worked out from the others, and the change log of the last day, which
 * only open screens need (they refresh after an import).
 */
export const DERIVED_TABLES = ["metric_days", "metric_iterations", "metric_seals", "change_log"] as const;

/** Items are written parents first: an item's parent is always of a level before its own. */
export const LEVEL_ORDER = ["epic", "capability", "feature", "story"];

/** Rows are read and written this many at a time. */
const PAGE = 500;

/** A table's columns, in the database's order. */
export async function columnsOf(db: Db): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.map((t) => [t.name, t.columns.map((c) => c.name)]));
}

/**
 * Every row of a table in a stable order, page by page: by `id` where it has one (read onwards from the last id),
 * else by all its columns (tables without an id are small).
 */
export async function* rowsOf(db: Db, table: InstanceTable, columns: readonly string[]): AsyncGenerator<unknown[]> {
  const select = (q: ReturnType<typeof from>) => q.select(columns.map((c) => sql.ref(c).as(c)));
  const from = () => db.selectFrom(sql.table(table).as("t"));
  if (columns.includes("id")) {
    let after: unknown = null;
    for (;;) {
      let q = select(from()).orderBy(sql.ref("id")).limit(PAGE);
      if (after !== null) q = q.where(sql.ref("id"), ">", after);
      const rows = (await q.execute()) as Record<string, unknown>[];
      for (const r of rows) yield columns.map((c) => r[c] ?? null);
      if (rows.length < PAGE) return;
      after = rows.at(-1)?.id ?? null;
    }
  }
  let q = select(from());
  for (const c of columns) q = q.orderBy(sql.ref(c));
  for (const r of (await q.execute()) as Record<string, unknown>[]) yield columns.map((c) => r[c] ?? null);
}

/**
 * Whether any of the instance's tables holds a row, but its settings: a server makes its own key when it first opens
 * a database (an import puts the exported one in its place, see `clearSettings`).
 */
export async function hasAnyRow(db: Db): Promise<boolean> {
  for (const table of INSTANCE_TABLES) {
    if (table === "settings") continue;
    const row = await db.selectFrom(sql.table(table).as("t")).select(sql.lit(1).as("one")).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/** Removes the settings a database was opened with, for those of an import. */
export async function clearSettings(db: Db): Promise<void> {
  await db.deleteFrom("settings").execute();
}

/** Writes rows of a table, a page at a time, keeping the ids they carry. Run in a transaction. */
export async function insertRows(
  db: Db,
  table: InstanceTable,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  // Ids the database would otherwise make itself (PostgreSQL identity columns) are kept as they were.
  const overriding = isPostgres(db) && columns.includes("id") ? sql`overriding system value` : sql``;
  const size = Math.max(1, Math.min(PAGE, Math.floor(30_000 / Math.max(1, columns.length))));
  for (let i = 0; i < rows.length; i += size) {
    const values = rows.slice(i, i + size).map((row) => sql`(${sql.join(columns.map((_, k) => row[k] ?? null))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) ${overriding} values ${sql.join(values)}`.execute(
      db,
    );
  }
}

/** After ids were written as they were: PostgreSQL's identity columns (of these tables with an id) go on from the largest. */
export async function continueIds(db: Db, tables: readonly InstanceTable[]): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of tables) {
    const { rows } = await sql<{
      sequence: string | null;
    }>`select pg_get_serial_sequence(${table}, 'id') as sequence`.execute(db);
    const sequence = rows[0]?.sequence;
    if (!sequence) continue;
    await sql`select setval(${sequence}, coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
      db,
    );
  }
}
