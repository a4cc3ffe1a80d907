// Moving a whole instance between databases: the demo train on SQLite, exported, imported into an empty SQLite or
// PostgreSQL database and exported again gives the same rows, table by table; the metrics read the same; a database
// that is not empty, a cut-off file or one from another schema is refused with nothing written.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { columnsOf, DERIVED_TABLES, hasAnyRow, INSTANCE_TABLES } from "../store/instance.store.js";
import { commentOnItem } from "./comment-on-item.js";
import { listBacklog } from "./list-backlog.js";
import { metricsDashboard } from "./metrics.js";
import { exportInstance, importInstance } from "./move-instance.js";
import { seedDemo } from "./seed-demo.js";

const folder = mkdtempSync(join(tmpdir(), "trainyard-move-"));
let source: Runtime;
let exported: string[];

beforeAll(async () => {
  source = await openRuntime(join(folder, "source.db"), { passwordCost: 14 });
  await seedDemo(source.deps, {});
  exported = await exportLines(source);
}, 120_000);
afterAll(async () => {
  await source.close();
  rmSync(folder, { recursive: true, force: true });
});

async function exportLines(rt: Runtime): Promise<string[]> {
  const lines: string[] = [];
  await exportInstance(rt.deps, (line) => {
    lines.push(line);
  });
  return lines;
}

async function* linesOf(lines: readonly string[]) {
  yield* lines;
}

/** Each table's rows as objects by column name, in the export's order (the header's date left out). */
function tablesOf(lines: readonly string[]) {
  const tables = new Map<string, Record<string, unknown>[]>();
  let columns: string[] = [];
  let rows: Record<string, unknown>[] = [];
  for (const line of lines.slice(1)) {
    const value = JSON.parse(line);
    if (Array.isArray(value)) rows.push(Object.fromEntries(columns.map((c, i) => [c, value[i]])));
    else if (value.table) {
      columns = value.columns;
      rows = [];
      tables.set(value.table, rows);
    }
  }
  return tables;
}

it("holds every table of Trainyard but those worked out from the others", async () => {
  // Nor the search index of titles (SQLite's FTS5 tables, migration 0014): its triggers fill it as items are imported.
  const tables = [...(await columnsOf(source.deps.db)).keys()].filter(
    (t) => !t.startsWith("kysely_") && !t.startsWith("item_titles"),
  );
  expect(tables.sort()).toEqual([...INSTANCE_TABLES, ...DERIVED_TABLES].sort());
  const counts = JSON.parse(exported.at(-1) as string).rows as Record<string, number>;
  for (const table of ["arts", "items", "events", "accounts", "comments", "pi_objectives", "risks", "team_capacity"]) {
    expect(counts[table], table).toBeGreaterThan(0);
  }
});

describeEachDatabase("an instance moved", (database) => {
  let target: Runtime;
  beforeAll(async () => {
    target = await openRuntime(await database.createUrl(), { passwordCost: 14 });
  });
  afterAll(() => target.close());

  it("into an empty database exports again row for row as it was, and reads the same metrics", async () => {
    const counts = await importInstance(target.deps, linesOf(exported));
    expect(counts.items).toBeGreaterThan(100);
    const again = await exportLines(target);
    const before = tablesOf(exported);
    const after = tablesOf(again);
    expect([...after.keys()]).toEqual([...before.keys()]);
    // Row order follows each database's collation of ids; the rows are what must be the same.
    const sorted = (rows: Record<string, unknown>[] = []) => rows.map((r) => JSON.stringify(r)).sort();
    for (const [table, rows] of before) expect(sorted(after.get(table)), table).toEqual(sorted(rows));
    const dashboard = (rt: Runtime) => metricsDashboard(rt.deps, operator(), "DPT", {});
    expect(await dashboard(target)).toEqual(await dashboard(source));
    // Searching titles finds the same items (on SQLite, from the index the import filled).
    const search = async (rt: Runtime, q: string) =>
      (await listBacklog(rt.deps, operator(), { art: "DPT" }, { q, limit: 500 })).items.map((i) => i.key);
    for (const q of ["kafka", "for", "dpt-1", "Bus"])
      expect(await search(target, q), q).toEqual(await search(source, q));
    expect((await search(target, "kafka")).length).toBeGreaterThan(0);
  });

  it("goes on numbering history after the events it brought", async () => {
    const before = tablesOf(exported);
    await commentOnItem(target.deps, "DPT-1", { body: "After the move" }, operator());
    const after = tablesOf(await exportLines(target));
    expect(after.get("comments")).toHaveLength((before.get("comments")?.length ?? 0) + 1);
    // Its history event took the next id (on PostgreSQL, the identity column goes on after the imported ones).
    const ids = (after.get("events") ?? []).map((e) => e.id as number);
    expect(ids).toHaveLength((before.get("events")?.length ?? 0) + 1);
    expect(ids.at(-1)).toBe(Math.max(...(before.get("events") ?? []).map((e) => e.id as number)) + 1);
  });

  it("refuses a database that is not empty, a file cut off, another schema — and writes nothing", async () => {
    await expect(importInstance(target.deps, linesOf(exported))).rejects.toThrow(/not empty/);
    const fresh = await openRuntime(await database.createUrl(), { passwordCost: 14 });
    try {
      await expect(importInstance(fresh.deps, linesOf(exported.slice(0, -1)))).rejects.toThrow(/ends early/);
      expect(await hasAnyRow(fresh.deps.db)).toBe(false);
      const header = { ...JSON.parse(exported[0] as string), schema: "2026-01-01T0000-older" };
      await expect(importInstance(fresh.deps, linesOf([JSON.stringify(header), ...exported.slice(1)]))).rejects.toThrow(
        /schema 2026-01-01T0000-older/,
      );
      await expect(importInstance(fresh.deps, linesOf(['{"format":"other"}']))).rejects.toThrow(/not a Trainyard/);
      expect(await hasAnyRow(fresh.deps.db)).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});
