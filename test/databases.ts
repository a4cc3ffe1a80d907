/**
 * The databases every store and API test runs against: SQLite always, PostgreSQL when the global setup
 * (`test/global-setup.ts`) provided a server. Each `createUrl()` returns a `DATABASE_URL` for a fresh,
 * empty database:
 *
 * - SQLite: a plain absolute file path in a temporary directory (the file does not exist yet).
 * - PostgreSQL: `postgres://postgres@127.0.0.1:<port>/trainyard_test_<pid>_<random>` — a database
 *   created with `CREATE DATABASE` on the test server.
 *
 * PostgreSQL is omitted (never skipped: skipped tests fail CI) when no server is available; the global
 * setup prints the warning once. With `TRAINYARD_REQUIRE_PG=1` a missing server is an error instead.
 *
 * @example
 * describeEachDatabase("items store", (db) => {
 *   let url: string;
 *   beforeEach(async () => {
 *     url = await db.createUrl();
 *   });
 *   it("starts empty", async () => { ... });
 * });
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, inject } from "vitest";

export type TestDatabaseName = "sqlite" | "postgres";

export interface TestDatabase {
  readonly name: TestDatabaseName;
  /** Creates a fresh, empty database and returns its `DATABASE_URL`. Dropped by `dropAll()`. */
  createUrl(): Promise<string>;
}

/** Admin URL of the PostgreSQL test server, or null when PostgreSQL is not available. */
export const pgAdminUrl: string | null = resolvePgAdminUrl();

let sqliteDir: string | undefined;
let sqliteCount = 0;
let adminClient: Promise<pg.Client> | undefined;
const createdPgDatabases: string[] = [];

const sqlite: TestDatabase = {
  name: "sqlite",
  async createUrl() {
    sqliteDir ??= mkdtempSync(join(tmpdir(), "trainyard-sqlite-"));
    sqliteCount += 1;
    return join(sqliteDir, `test-${sqliteCount}.db`);
  },
};

function postgres(adminUrl: string): TestDatabase {
  return {
    name: "postgres",
    async createUrl() {
      const name = `trainyard_test_${process.pid}_${randomUUID().slice(0, 8)}`;
      const client = await connectAdmin(adminUrl);
      await client.query(`CREATE DATABASE "${name}"`);
      createdPgDatabases.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

/** The databases to run each store/API suite against: `[sqlite]` or `[sqlite, postgres]`. */
export const testDatabases: readonly TestDatabase[] = pgAdminUrl ? [sqlite, postgres(pgAdminUrl)] : [sqlite];

/**
 * Drops every database created by `createUrl()` in this test file (PostgreSQL: `DROP DATABASE`; SQLite:
 * the temporary directory). Call it from `afterAll` after the code under test has closed its connections;
 * `describeEachDatabase` does so for you. A database still in use is reported as a leak (the error names
 * it) rather than dropped by force, because forcing would crash the open pool with an unhandled error.
 */
export async function dropAll(): Promise<void> {
  const client = await adminClient?.catch(() => undefined);
  adminClient = undefined;
  const inUse: string[] = [];
  try {
    if (client) {
      for (const name of createdPgDatabases.splice(0)) {
        try {
          // PostgreSQL waits up to 5 s for the backends of just-closed connections to exit.
          await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        } catch (error) {
          if (!(error instanceof Error && "code" in error && error.code === "55006")) throw error;
          inUse.push(name);
        }
      }
    }
  } finally {
    await client?.end().catch(() => undefined);
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
    sqliteDir = undefined;
  }
  if (inUse.length > 0) {
    throw new Error(
      `Test database(s) ${inUse.join(", ")} still have open connections after the tests: ` +
        "close every store or pool the tests opened (e.g. `await db.destroy()` in afterEach/afterAll).",
    );
  }
}

/**
 * Declares the suite `body` once per test database (`"<title> on sqlite"`, `"<title> on postgres"`) and
 * registers `afterAll(dropAll)`. Call it at the top level of a test file.
 */
export function describeEachDatabase(title: string, body: (db: TestDatabase) => void): void {
  describe.each(testDatabases)(`${title} on $name`, (db) => body(db));
  afterAll(dropAll);
}

function resolvePgAdminUrl(): string | null {
  // null: the global setup found no server (and warned). undefined: it did not run; use the environment.
  const injected: string | null | undefined = inject("pgAdminUrl");
  const url = injected === undefined ? (process.env.TRAINYARD_TEST_PG_URL ?? null) : injected;
  if (!url && process.env.TRAINYARD_REQUIRE_PG === "1") {
    throw new Error(
      "TRAINYARD_REQUIRE_PG=1 but no PostgreSQL server was provided to the tests (see test/global-setup.ts)",
    );
  }
  if (injected === undefined && !url) {
    console.warn("⚠ No PostgreSQL test server (test/global-setup.ts did not run): tests run against SQLite only.");
  }
  return url;
}

function connectAdmin(adminUrl: string): Promise<pg.Client> {
  adminClient ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      return client;
    } catch (error) {
      adminClient = undefined;
      throw error;
    }
  })();
  return adminClient;
}
