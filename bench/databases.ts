// Fresh, empty databases for one benchmark run, removed afterwards: SQLite files in a temporary directory, or (given a
// postgres:// URL) databases created on that server with CREATE DATABASE and dropped with DROP DATABASE.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { isPostgresUrl } from "../src/store/db.js";

export interface BenchDatabases {
  kind: "sqlite" | "postgres";
  /** A DATABASE_URL for a new, empty database named after `label`. */
  create(label: string): Promise<string>;
  /** Removes every database `create` made. Call after every connection to them is closed. */
  dropAll(): Promise<void>;
}

export function benchDatabases(serverUrl: string | undefined): BenchDatabases {
  return serverUrl && isPostgresUrl(serverUrl) ? postgresDatabases(serverUrl) : sqliteDatabases();
}

function sqliteDatabases(): BenchDatabases {
  const dir = mkdtempSync(join(tmpdir(), "trainyard-bench-"));
  return {
    kind: "sqlite",
    create: async (label) => join(dir, `${label}.db`),
    dropAll: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresDatabases(serverUrl: string): BenchDatabases {
  const created: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    kind: "postgres",
    async create(label) {
      const name = `trainyard_bench_${label}_${randomUUID().slice(0, 8)}`;
      await admin((c) => c.query(`CREATE DATABASE "${name}"`));
      created.push(name);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropAll() {
      const names = created.splice(0);
      if (names.length === 0) return;
      await admin(async (c) => {
        for (const name of names) await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
    },
  };
}
