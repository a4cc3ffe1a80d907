// Wires a running Trainyard: the store for a database URL, migrated, and the dependencies every use case gets.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_PASSWORD_COST, newSecret } from "./security/credentials.js";
import { settleSetting } from "./store/accounts.store.js";
import { listenForChanges } from "./store/changes.store.js";
import { isPostgresUrl, migrate, openStore, type Store, sqlitePath } from "./store/db.js";
import type { Deps } from "./use-cases/deps.js";
import { createLiveChanges } from "./use-cases/live-changes.js";

export interface Runtime {
  store: Store;
  deps: Deps;
  close(): Promise<void>;
}

/** The project's root folder, from src/ or dist/ alike. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface RuntimeOptions {
  poolSize?: number;
  /** PostgreSQL: statements running longer are cancelled (see `openStore`). */
  statementTimeoutMs?: number;
  /** scrypt's cost for new password hashes (a power of two); OWASP's 17 unless configured. */
  passwordCost?: number;
}

export async function openRuntime(databaseUrl: string, options: RuntimeOptions = {}): Promise<Runtime> {
  if (!isPostgresUrl(databaseUrl)) {
    const path = sqlitePath(databaseUrl);
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const store = openStore(databaseUrl, options);
  let key: string;
  try {
    await migrate(store.db);
    // The server key is made by whichever server starts first and shared through the database; it never leaves it.
    key = await settleSetting(store.db, "server_key", newSecret());
  } catch (e) {
    await store.close();
    throw e;
  }
  const listen = store.listen;
  const deps: Deps = {
    db: store.db,
    clock: () => new Date(),
    newId: randomUUID,
    changes: createLiveChanges(store.db, {
      notifications: listen ? (heard) => listenForChanges(listen, heard) : undefined,
    }),
    auth: { key, passwordCost: options.passwordCost ?? DEFAULT_PASSWORD_COST },
  };
  return {
    store,
    deps,
    close: async () => {
      await deps.changes.close();
      await store.close();
    },
  };
}
