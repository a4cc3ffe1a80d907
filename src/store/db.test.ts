// The SQLite file shared by several processes (a server and CLI runs): a transaction that reads and then writes is
// never left unable to write because another connection committed in between.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { migrate, openStore } from "./db.js";

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

it("leaves merging the title search index to the housekeeping thread, and writes go on while it merges", async () => {
  const store = openStore(join(folder, "titles.db"));
  try {
    await migrate(store.db);
    // FTS5 merges no segments inside the writes that add them (a large merge made a write wait up to 200 ms)...
    const config = await sql<{ v: number }>`select v from item_titles_config where k = 'automerge'`.execute(store.db);
    expect(config.rows.map((r) => Number(r.v))).toEqual([0]);
    await sql`insert into arts (id, key, name, next_number, created_at) values ('a', 'PAY', 'Payments', 1, '')`.execute(
      store.db,
    );
    await sql`insert into items (id, art_id, number, key, level, type, title, state, backlog, rank, created_at, updated_at)
      values ('i', 'a', 1, 'PAY-1', 'feature', 'feature', 'First', 'funnel', 'art:a:feature', 'a0', '', '')`.execute(
      store.db,
    );
    // ...the housekeeping thread does, every quarter second, on its own connection: each write below, a transaction
    // of its own, waits for its merge step rather than failing, and the index stays right.
    for (let i = 0; i < 300; i++) {
      await sql`update items set title = ${`Title number ${i}`} where id = 'i'`.execute(store.db);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 300));
    }
    const found = (q: string) =>
      sql<{ n: number }>`select count(*) as n from item_titles where item_titles match ${q}`.execute(store.db);
    expect(Number((await found('"number 299"')).rows[0]?.n)).toBe(1);
    expect(Number((await found('"number 298"')).rows[0]?.n)).toBe(0);
  } finally {
    await store.close();
  }
});
