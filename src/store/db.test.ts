// The SQLite file shared by several processes (a server and CLI runs): a transaction that reads and then writes is
// never left unable to write because another connection committed in between.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { openStore } from "./db.js";

const folder = mkdtempSync(join(tmpdir(), "trainyard-db-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it("a transaction holds the write lock from its start, so another connection waits rather than cutting in", async () => {
  const file = join(folder, "shared.db");
  const store = openStore(file);
  const other = new SQLite(file);
  other.pragma("busy_timeout = 0");
  try {
    await sql`create table tally (n integer not null)`.execute(store.db);
    await sql`insert into tally (n) values (1)`.execute(store.db);

    let otherWrite: unknown = null;
    await store.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number }>`select n from tally`.execute(trx);
      try {
        other.prepare("update tally set n = 100").run();
      } catch (error) {
        otherWrite = error;
      }
      await sql`update tally set n = ${(rows[0]?.n ?? 0) + 1}`.execute(trx);
    });

    expect((otherWrite as { code?: string } | null)?.code).toBe("SQLITE_BUSY");
    expect(other.prepare("select n from tally").get()).toEqual({ n: 2 });
    other.prepare("update tally set n = n + 1").run();
    expect(other.prepare("select n from tally").get()).toEqual({ n: 3 });
  } finally {
    other.close();
    await store.close();
  }
});
