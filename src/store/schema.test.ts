// A snapshot of the schema the migrations build on SQLite: a change to it must be a new migration, on purpose.
import { afterAll, expect, it } from "vitest";
import { migrate, openStore } from "./db.js";

const store = openStore(":memory:");
afterAll(() => store.close());

it("the migrations build the schema in the snapshot", async () => {
  expect(await migrate(store.db)).toEqual([
    "2026-11-27T0001-backbone",
    "2026-11-27T0002-child-totals-index",
    "2026-11-27T0003-accounts",
    "2026-11-27T0004-wsjf",
    "2026-11-28T0005-feedback",
    "2026-11-28T0006-economics",
    "2026-11-28T0007-estimation-sessions",
    "2026-11-28T0008-refinement",
    "2026-11-28T0009-pi-planning",
    "2026-11-29T0010-metrics",
    "2026-11-29T0011-metric-days",
    "2026-11-29T0012-change-log",
    "2026-11-29T0013-iteration-backlog",
    "2026-11-29T0014-title-search",
  ]);
  const rows = store.sqlite
    ?.prepare(
      "select type, name, sql from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%' order by type, name",
    )
    .all() as { type: string; name: string; sql: string | null }[];
  expect(rows.map((r) => `${r.type} ${r.name}: ${r.sql ?? ""}`).join("\n")).toMatchSnapshot();
});

it("running the migrations again changes nothing", async () => {
  expect(await migrate(store.db)).toEqual([]);
});
