// Which database a connection speaks, for the few statements that differ between SQLite and PostgreSQL.
import { PostgresAdapter } from "kysely";

export function isPostgres(db: { getExecutor(): { adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
