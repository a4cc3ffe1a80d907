// Wires a running Trainyard: the store for a database URL, migrated, and the dependencies every use case gets.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isPostgresUrl, migrate, openStore, type Store, sqlitePath } from "./store/db.js";
import { createLocalChangeFeed, type Deps } from "./use-cases/deps.js";

export interface Runtime {
  store: Store;
  deps: Deps;
  close(): Promise<void>;
}

/** The project's root folder, from src/ or dist/ alike. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export async function openRuntime(databaseUrl: string, options: { poolSize?: number } = {}): Promise<Runtime> {
  if (!isPostgresUrl(databaseUrl)) {
    const path = sqlitePath(databaseUrl);
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const store = openStore(databaseUrl, options);
  try {
    await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  const deps: Deps = { db: store.db, clock: () => new Date(), newId: randomUUID, changes: createLocalChangeFeed() };
  return { store, deps, close: () => store.close() };
}
