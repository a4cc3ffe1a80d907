// A whole Trainyard instance — every train, person, account and change of history — as one JSON Lines file, and back:
// how a team that started on the embedded SQLite file moves to PostgreSQL (or back) without losing anything. The format
// is in docs/deploy.md. An import goes into an empty database in one transaction: all of it or nothing.
import { AppError } from "../core/errors.js";
import { migrations } from "../store/db.js";
import {
  clearSettings,
  columnsOf,
  continueIds,
  hasAnyRow,
  INSTANCE_TABLES,
  type InstanceTable,
  insertRows,
  LEVEL_ORDER,
  rowsOf,
} from "../store/instance.store.js";
import { listArts } from "../store/train.store.js";
import { type Deps, now } from "./deps.js";
import { sealArt } from "./seal-metrics.js";

export const EXPORT_FORMAT = "trainyard-instance";
export const EXPORT_VERSION = 1;
/** The schema an export was taken from: the last migration its database had run. */
const SCHEMA = Object.keys(migrations).sort().at(-1) as string;

interface Header {
  format: string;
  version: number;
  schema: string;
  exportedAt: string;
}
interface TableStart {
  table: string;
  columns: string[];
}
interface End {
  end: true;
  rows: Record<string, number>;
}

/** Writes the instance line by line to `write`; returns how many rows of each table. */
export async function exportInstance(
  deps: Deps,
  write: (line: string) => Promise<void> | void,
): Promise<Record<string, number>> {
  const header: Header = { format: EXPORT_FORMAT, version: EXPORT_VERSION, schema: SCHEMA, exportedAt: now(deps) };
  await write(JSON.stringify(header));
  const columns = await columnsOf(deps.db);
  const counts: Record<string, number> = {};
  for (const table of INSTANCE_TABLES) {
    const names = columns.get(table) ?? [];
    await write(JSON.stringify({ table, columns: names } satisfies TableStart));
    counts[table] = 0;
    for await (const row of rowsOf(deps.db, table, names)) {
      await write(JSON.stringify(row));
      counts[table]++;
    }
  }
  await write(JSON.stringify({ end: true, rows: counts } satisfies End));
  return counts;
}

const bad = (line: number, message: string) => new AppError("invalid", `Line ${line} of the export: ${message}`);

/**
 * Reads an export (its lines, in order) into this instance's empty database, in one transaction, then works out the
 * metrics' day records of each train. Returns how many rows of each table.
 */
export async function importInstance(deps: Deps, lines: AsyncIterable<string>): Promise<Record<string, number>> {
  if (await hasAnyRow(deps.db)) {
    throw new AppError("conflict", "This database is not empty: import into a new, empty database.");
  }
  const counts = await deps.db.transaction().execute(async (tx) => {
    const known = await columnsOf(tx);
    const counts: Record<string, number> = {};
    let n = 0;
    let header: Header | null = null;
    let end: End | null = null;
    let table: { name: InstanceTable; columns: string[]; rows: unknown[][] } | null = null;
    const flush = async (all: boolean) => {
      if (!table || (!all && table.rows.length < 1_000) || table.name === "items") return;
      await insertRows(tx, table.name, table.columns, table.rows);
      table.rows = [];
    };
    const finish = async () => {
      if (!table) return;
      if (table.name === "items") {
        // Parents first: every item's parent is of an earlier level.
        const level = table.columns.indexOf("level");
        table.rows.sort((a, b) => LEVEL_ORDER.indexOf(String(a[level])) - LEVEL_ORDER.indexOf(String(b[level])));
        await insertRows(tx, table.name, table.columns, table.rows);
        table.rows = [];
      }
      await flush(true);
    };
    for await (const raw of lines) {
      n++;
      if (raw.trim() === "") continue;
      if (end) throw bad(n, "there is more after its end");
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw bad(n, "not JSON");
      }
      if (!header) {
        header = value as Header;
        if (header?.format !== EXPORT_FORMAT || header.version !== EXPORT_VERSION) {
          throw bad(n, `not a Trainyard export (format ${EXPORT_FORMAT}, version ${EXPORT_VERSION})`);
        }
        if (header.schema !== SCHEMA) {
          throw bad(
            n,
            `taken from a Trainyard at schema ${header.schema}; this one is at ${SCHEMA}. Use the same version.`,
          );
        }
        continue;
      }
      if (Array.isArray(value)) {
        if (!table) throw bad(n, "a row before any table");
        if (value.length !== table.columns.length) {
          throw bad(n, `a row of ${value.length} values for ${table.columns.length} columns of ${table.name}`);
        }
        table.rows.push(value);
        counts[table.name] = (counts[table.name] ?? 0) + 1;
        await flush(false);
        continue;
      }
      const entry = value as Partial<TableStart & End>;
      if (entry.end === true) {
        await finish();
        table = null;
        end = entry as End;
        continue;
      }
      if (typeof entry.table !== "string" || !Array.isArray(entry.columns)) throw bad(n, "neither a table nor a row");
      await finish();
      const name = entry.table as InstanceTable;
      if (!INSTANCE_TABLES.includes(name)) throw bad(n, `no table '${entry.table}' in Trainyard`);
      const columns = entry.columns.map(String);
      const unknown = columns.filter((c) => !known.get(name)?.includes(c));
      if (unknown.length) throw bad(n, `${name} has no column ${unknown.join(", ")}`);
      // The server key (and any setting) travels with the instance: tokens, sessions and links stay valid.
      if (name === "settings") await clearSettings(tx);
      table = { name, columns, rows: [] };
      counts[name] = 0;
    }
    if (!header) throw new AppError("invalid", "The export is empty.");
    if (!end) throw new AppError("invalid", "The export ends early: its last line is missing. Nothing was imported.");
    for (const [name, rows] of Object.entries(end.rows)) {
      if ((counts[name] ?? 0) !== rows) {
        throw new AppError("invalid", `The export says ${rows} rows of ${name} but holds ${counts[name] ?? 0}.`);
      }
    }
    await continueIds(
      tx,
      INSTANCE_TABLES.filter((t) => known.get(t)?.includes("id")),
    );
    return counts;
  });
  for (const art of await listArts(deps.db)) await sealArt(deps, art.id, { rebuild: true });
  return counts;
}
