// Which database a connection speaks, for the few statements that differ between SQLite and PostgreSQL; and, on SQLite,
// the connection itself for writes of many rows, where one prepared statement run per row beats any single statement.
import type SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  type KyselyPlugin,
  PostgresAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import type { Database } from "./schema.js";

export function isPostgres(db: { getExecutor(): { adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Carries the SQLite connection along with a Kysely instance and every transaction made from it (plugins travel with
 * the executor); it leaves queries and results alone.
 */
export class SqliteConnection implements KyselyPlugin {
  constructor(readonly sqlite: SQLite.Database) {}
  transformQuery: KyselyPlugin["transformQuery"] = (args) => args.node;
  transformResult: KyselyPlugin["transformResult"] = async (args) => args.result;
}

/**
 * The SQLite connection under the transaction `db` (null on PostgreSQL). SQLite has one connection, so statements run
 * on it while the transaction holds it are part of the transaction; outside one, another request's transaction may hold
 * the connection between its awaits, so asking there is a bug.
 */
export function sqliteOf(db: Kysely<Database>): SQLite.Database | null {
  const plugin = db.getExecutor().plugins.find((p) => p instanceof SqliteConnection);
  if (!plugin) return null;
  if (!db.isTransaction) throw new Error("Writing many rows on SQLite happens inside a transaction.");
  return (plugin as SqliteConnection).sqlite;
}

/**
 * SQLite whose transactions take the write lock when they begin (`begin immediate`) rather than at their first write.
 * Another process on the same file (the CLI beside a server, two CLI runs) then waits its turn under the busy timeout;
 * with SQLite's default, a transaction that read before another process committed could not write at all ("database
 * is locked", at once, whatever the timeout). Within one process nothing changes: there is one connection, taken by
 * one transaction at a time.
 */
export class SqliteWriteFirstDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new WriteFirstDriver(this.#config);
  }
}

class WriteFirstDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}
