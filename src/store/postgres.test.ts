// PostgreSQL in production: several servers starting at once on one empty database migrate it once, under the
// migrator's advisory lock; a statement running past the statement timeout is cancelled, and a request that hits it
// is answered 503 with Retry-After rather than left waiting.
import { Hono } from "hono";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { dropAll, testDatabases } from "../../test/databases.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { problemFor } from "../server/problems.js";
import { isTimeout, migrations, openStore } from "./db.js";

afterAll(dropAll);

describe.each(testDatabases.filter((d) => d.name === "postgres"))("PostgreSQL in production", (database) => {
  it("several servers starting at once on an empty database run each migration once", async () => {
    const url = await database.createUrl();
    const runtimes = await Promise.all(Array.from({ length: 4 }, () => openRuntime(url, { passwordCost: 14 })));
    try {
      const db = (runtimes[0] as Runtime).deps.db;
      const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(ran.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
      // One server key for all of them: made by whichever started first, read by the others.
      expect(new Set(runtimes.map((r) => r.deps.auth.key)).size).toBe(1);
    } finally {
      await Promise.all(runtimes.map((r) => r.close()));
    }
  });

  it("cancels a statement that runs past the statement timeout, and says it timed out", async () => {
    const store = openStore(await database.createUrl(), { statementTimeoutMs: 200 });
    try {
      const error = await sql`select pg_sleep(2)`.execute(store.db).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isTimeout(error)).toBe(true);
      // The pool's other statements are unaffected.
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      await store.close();
    }
  });
});

it("answers a request the database gave up on with 503 and Retry-After, not 500", async () => {
  const app = new Hono();
  app.get("/slow", () => {
    throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
  });
  const logged: Error[] = [];
  app.onError((err, c) => problemFor(err, c, (e) => logged.push(e)));
  const response = await app.request("/slow");
  expect(response.status).toBe(503);
  expect(response.headers.get("Retry-After")).toBe("1");
  expect(await response.json()).toMatchObject({ code: "unavailable", status: 503 });
  expect(logged).toEqual([]);
  expect(isTimeout(new Error("something else"))).toBe(false);
});
