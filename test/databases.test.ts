/** Proves the test harness gives every suite a fresh, usable database on SQLite and on PostgreSQL. */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { beforeEach, expect, it } from "vitest";
import { describeEachDatabase, pgAdminUrl, testDatabases } from "./databases.js";

it("runs PostgreSQL whenever TRAINYARD_REQUIRE_PG=1", () => {
  const names = testDatabases.map((db) => db.name);
  expect(names).toContain("sqlite");
  if (process.env.TRAINYARD_REQUIRE_PG === "1") expect(names).toContain("postgres");
  expect(names.includes("postgres")).toBe(pgAdminUrl !== null);
});

describeEachDatabase("the test database harness", (db) => {
  let url: string;

  beforeEach(async () => {
    url = await db.createUrl();
  });

  it("gives each call a different database", async () => {
    expect(await db.createUrl()).not.toBe(url);
  });

  if (db.name === "sqlite") {
    it("returns a plain path where SQLite can create a database", () => {
      expect(url).not.toMatch(/^[a-z]+:/);
      expect(existsSync(url)).toBe(false);
      const sqlite = new Database(url);
      try {
        expect(sqlite.prepare("select 1 as one").get()).toEqual({ one: 1 });
      } finally {
        sqlite.close();
      }
      expect(existsSync(url)).toBe(true);
    });
  }

  if (db.name === "postgres") {
    it("returns the URL of an empty PostgreSQL database that accepts queries", async () => {
      expect(url).toMatch(/^postgres(ql)?:\/\//);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const one = await client.query("select 1 as one");
        expect(one.rows).toEqual([{ one: 1 }]);
        const current = await client.query<{ name: string }>("select current_database() as name");
        expect(url.endsWith(`/${current.rows[0]?.name}`)).toBe(true);
        const tables = await client.query("select 1 from pg_tables where schemaname = 'public'");
        expect(tables.rowCount).toBe(0);
      } finally {
        await client.end();
      }
    });
  }
});
