// `trainyard backup <file>`: a consistent copy of the SQLite database, taken online while the server keeps writing.
import { AppError } from "../core/errors.js";
import type { Store } from "../store/db.js";

/** Copies the database with SQLite's online backup API; returns the pages written. PostgreSQL has pg_dump for this. */
export async function backupDatabase(store: Store, file: string): Promise<number> {
  if (!store.sqlite) {
    throw new AppError("invalid", "backup copies the embedded SQLite database; back up PostgreSQL with pg_dump.");
  }
  const result = await store.sqlite.backup(file);
  return result.totalPages;
}
