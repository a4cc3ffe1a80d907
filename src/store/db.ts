// Opens the database a DATABASE_URL names: PostgreSQL for postgres:// URLs, an embedded SQLite file otherwise.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { SqliteConnection, SqliteWriteFirstDialect } from "./dialect.js";
import * as backbone from "./migrations/2026-11-27T0001-backbone.js";
import * as childTotalsIndex from "./migrations/2026-11-27T0002-child-totals-index.js";
import * as accounts from "./migrations/2026-11-27T0003-accounts.js";
import * as wsjfInputs from "./migrations/2026-11-27T0004-wsjf.js";
import * as feedback from "./migrations/2026-11-28T0005-feedback.js";
import * as economics from "./migrations/2026-11-28T0006-economics.js";
import * as estimationSessions from "./migrations/2026-11-28T0007-estimation-sessions.js";
import * as refinement from "./migrations/2026-11-28T0008-refinement.js";
import * as piPlanning from "./migrations/2026-11-28T0009-pi-planning.js";
import * as metrics from "./migrations/2026-11-29T0010-metrics.js";
import * as metricDays from "./migrations/2026-11-29T0011-metric-days.js";
import * as changeLog from "./migrations/2026-11-29T0012-change-log.js";
import * as iterationBacklog from "./migrations/2026-11-29T0013-iteration-backlog.js";
import * as titleSearch from "./migrations/2026-11-29T0014-title-search.js";
import type { Database } from "./schema.js";

const require = createRequire(import.meta.url);

export type DatabaseKind = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The SQLite connection, for online backups; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  /** PostgreSQL: listens on a channel (see `listenOn`); null on SQLite, where one server is all there is. */
  listen: Listen | null;
  close(): Promise<void>;
}

/**
 * Calls `heard` with each notification's payload on `channel`, and with null after the connection dropped and came
 * back (notifications sent meanwhile are lost). Resolves, once listening, to how to stop.
 */
export type Listen = (channel: string, heard: (payload: string | null) => void) => Promise<() => Promise<void>>;

/** Every migration, in order. Add-only: a shipped migration is never edited. */
export const migrations = {
  "2026-11-27T0001-backbone": backbone,
  "2026-11-27T0002-child-totals-index": childTotalsIndex,
  "2026-11-27T0003-accounts": accounts,
  "2026-11-27T0004-wsjf": wsjfInputs,
  "2026-11-28T0005-feedback": feedback,
  "2026-11-28T0006-economics": economics,
  "2026-11-28T0007-estimation-sessions": estimationSessions,
  "2026-11-28T0008-refinement": refinement,
  "2026-11-28T0009-pi-planning": piPlanning,
  "2026-11-29T0010-metrics": metrics,
  "2026-11-29T0011-metric-days": metricDays,
  "2026-11-29T0012-change-log": changeLog,
  "2026-11-29T0013-iteration-backlog": iterationBacklog,
  "2026-11-29T0014-title-search": titleSearch,
};

/** How often SQLite's write-ahead log is copied back into the database file, outside any request. */
const CHECKPOINT_EVERY_MS = 2_000;
const MERGE_EVERY_MS = 250;
const MERGE_PAGES = 32;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Whether an error is the database giving up on a statement that ran too long (PostgreSQL's statement timeout) or on
 * a connection it could not get in time: the request may succeed if tried again.
 */
export function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    (error as { code?: string }).code === "57014" || /timeout exceeded when trying to connect/i.test(error.message)
  );
}

/** The SQLite file a URL names: a plain path, `file:path` or `sqlite:path`. */
export function sqlitePath(url: string): string {
  return url.replace(/^(file|sqlite):(\/\/)?/, "");
}

/** How a store connects: PostgreSQL's pool size and statement timeout (SQLite has one connection and no timeout). */
export interface StoreOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
}

export function openStore(url: string, options: StoreOptions = {}): Store {
  if (isPostgresUrl(url)) {
    // Bigints (the history ids) and numerics come back as numbers.
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    pg.types.setTypeParser(700, (v) => Number.parseFloat(v));
    pg.types.setTypeParser(701, (v) => Number.parseFloat(v));
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      application_name: "trainyard",
      // A request never waits on the database for ever: a slow statement is cancelled (see `isTimeout`), a
      // transaction left idle is ended, and waiting for a connection gives up.
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: 10_000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: "postgres", sqlite: null, listen: listenOn(url), close: () => db.destroy() };
  }
  const sqlite = new SQLite(sqlitePath(url));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -65536");
  sqlite.pragma("mmap_size = 268435456");
  // Checkpoints run on a timer, on a second connection in a worker thread, rather than inside whichever commit crosses
  // the threshold or on the server's own thread: no request waits for one.
  sqlite.pragma("wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(sqlitePath(url));
  const db = new Kysely<Database>({
    dialect: new SqliteWriteFirstDialect({ database: preparedOnce(sqlite) }),
    plugins: [new SqliteConnection(sqlite)],
  });
  return {
    db,
    kind: "sqlite",
    sqlite,
    listen: null,
    close: async () => {
      await checkpointer?.terminate();
      await db.destroy();
    },
  };
}

/** Statements kept prepared, by their SQL: preparing one costs about as much as running it. */
const PREPARED_STATEMENTS = 2_000;

/**
 * The SQLite connection as Kysely sees it, with each statement prepared once and reused (the most recently used
 * ones kept). A statement is never run twice at once: SQLite runs one query at a time and nothing streams rows.
 */
function preparedOnce(sqlite: SQLite.Database): { close(): void; prepare(sql: string): SQLite.Statement } {
  const prepared = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = prepared.get(sql);
      if (statement) prepared.delete(sql);
      else {
        statement = sqlite.prepare(sql);
        if (prepared.size >= PREPARED_STATEMENTS) prepared.delete(prepared.keys().next().value as string);
      }
      prepared.set(sql, statement);
      return statement;
    },
  };
}

/** PostgreSQL's LISTEN, on a connection of its own outside the pool, connected again a second after it drops. */
function listenOn(url: string): Listen {
  return async (channel, heard) => {
    let client: pg.Client | null = null;
    let stopped = false;
    let retrying = false;
    const connect = async () => {
      const c = new pg.Client({ connectionString: url, application_name: "trainyard-listen" });
      c.on("notification", (n) => heard(n.payload ?? ""));
      c.on("error", () => retry(c));
      c.on("end", () => retry(c));
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
      client = c;
    };
    const retry = (dropped: pg.Client) => {
      if (stopped || retrying || (client !== null && client !== dropped)) return;
      retrying = true;
      client = null;
      dropped.end().catch(() => {});
      setTimeout(() => {
        retrying = false;
        connect().then(
          () => heard(null),
          () => retry(dropped),
        );
      }, 1_000).unref();
    };
    await connect();
    return async () => {
      stopped = true;
      await client?.end();
    };
  };
}

/**
 * Housekeeping of the database file, from a worker thread with its own connection, so that none of it runs on the
 * server's thread or inside a request's write. None for an in-memory database.
 * - Every CHECKPOINT_EVERY_MS, copies the write-ahead log back into the database file (a passive checkpoint never
 *   blocks the server's reads or writes).
 * - Every MERGE_EVERY_MS, merges a little of the title search index (`item_titles`, migration 0014): each write adds a
 *   small segment to it, and merging them inside writes (FTS5's automerge, turned off there) made one write in a
 *   hundred wait up to 200 ms for a large merge. A step writes at most MERGE_PAGES pages, a few milliseconds; merging
 *   8 segments of a level at a time (`usermerge`) cost less in all than FTS5's own merging (measured over 6,000 edits).
 */
function startCheckpointer(path: string): Worker | null {
  if (path === ":memory:" || path === "") return null;
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     const Database = require(workerData.module);
     const db = new Database(workerData.path, { fileMustExist: true });
     db.pragma("busy_timeout = 5000");
     setInterval(() => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} }, workerData.every);
     let merge = null;
     setInterval(() => {
       try {
         merge ??= db.prepare("insert into item_titles (item_titles, rank) values ('merge', " + workerData.pages + ")");
         merge.run();
       } catch {}
     }, workerData.mergeEvery);`,
    {
      eval: true,
      workerData: {
        module: require.resolve("better-sqlite3"),
        path,
        every: CHECKPOINT_EVERY_MS,
        mergeEvery: MERGE_EVERY_MS,
        pages: MERGE_PAGES,
      },
    },
  );
  worker.unref();
  return worker;
}

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
