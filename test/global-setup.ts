/**
 * Vitest global setup: makes a PostgreSQL server available to the tests.
 *
 * - With `TRAINYARD_TEST_PG_URL` set, that server is used (a postgres:// URL to an admin database).
 * - Otherwise a throwaway PostgreSQL 15 cluster (binaries from `TRAINYARD_PG_BIN`, default
 *   /usr/lib/postgresql/15/bin) is started in a temporary directory on a free port of
 *   127.0.0.1 (as the `postgres` user when running as root), and stopped and deleted in teardown.
 * - If no server can be reached, the run fails when `TRAINYARD_REQUIRE_PG=1` (CI); otherwise it warns
 *   once and the tests run against SQLite only.
 *
 * The admin URL reaches tests through `inject("pgAdminUrl")` (see `test/databases.ts`) and child
 * processes through `process.env.TRAINYARD_TEST_PG_URL`.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server for tests, or null when PostgreSQL is unavailable. */
    pgAdminUrl: string | null;
  }
}

/** Where initdb and pg_ctl live; `TRAINYARD_PG_BIN` overrides it (e.g. another PostgreSQL version). */
const PG_BIN = process.env.TRAINYARD_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const STARTUP_TIMEOUT_MS = 60_000;
const run = promisify(execFile);

interface LocalCluster {
  readonly url: string;
  stop(): Promise<void>;
  /** Synchronous last-resort stop for `process.on("exit")`. */
  stopSync(): void;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const required = process.env.TRAINYARD_REQUIRE_PG === "1";
  const previousEnvUrl = process.env.TRAINYARD_TEST_PG_URL;
  let cluster: LocalCluster | undefined;
  let url: string | null = null;

  try {
    if (previousEnvUrl) {
      await waitForServer(previousEnvUrl, 10_000);
      url = previousEnvUrl;
    } else {
      cluster = await startLocalCluster();
      url = cluster.url;
    }
  } catch (error) {
    const source = previousEnvUrl
      ? `the server in TRAINYARD_TEST_PG_URL (${redact(previousEnvUrl)}) is not reachable`
      : `a temporary PostgreSQL 15 cluster could not be started from ${PG_BIN}`;
    const message = `PostgreSQL for tests: ${source}: ${errorText(error)}`;
    if (required) {
      const hint = previousEnvUrl
        ? "Start that server or unset TRAINYARD_TEST_PG_URL."
        : "Install PostgreSQL 15, set TRAINYARD_PG_BIN, or set TRAINYARD_TEST_PG_URL.";
      throw new Error(`${message}\nTRAINYARD_REQUIRE_PG=1, so the run fails. ${hint}`);
    }
    console.warn(
      `\n⚠ ${message}\n⚠ Tests run against SQLite only (set TRAINYARD_REQUIRE_PG=1 to make this an error).\n`,
    );
  }

  project.provide("pgAdminUrl", url);
  if (url) process.env.TRAINYARD_TEST_PG_URL = url;

  const onExit = () => cluster?.stopSync();
  process.once("exit", onExit);

  return async () => {
    process.off("exit", onExit);
    if (previousEnvUrl === undefined) delete process.env.TRAINYARD_TEST_PG_URL;
    else process.env.TRAINYARD_TEST_PG_URL = previousEnvUrl;
    await cluster?.stop();
  };
}

async function startLocalCluster(): Promise<LocalCluster> {
  if (!existsSync(join(PG_BIN, "initdb"))) throw new Error(`${PG_BIN}/initdb not found`);

  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? lookupUser("postgres") : undefined;
  const dir = await mkdtemp(join(tmpdir(), "trainyard-pg-"));
  const dataDir = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  // PostgreSQL refuses to run as root; the postgres user must own the whole directory.
  if (owner) await chown(dir, owner.uid, owner.gid);

  const pgCtl = (args: string[]) => commandAs(owner !== undefined, join(PG_BIN, "pg_ctl"), args);
  let started = false;
  const stopSync = () => {
    if (started) {
      started = false;
      try {
        const [file, args] = pgCtl(["stop", "-D", dataDir, "-m", "immediate", "-w"]);
        execFileSync(file, args, { stdio: "ignore", cwd: dir });
      } catch {
        // Already stopped.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [initFile, initArgs] = commandAs(owner !== undefined, join(PG_BIN, "initdb"), [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    await run(initFile, initArgs, { cwd: dir });

    // A free port can be taken between probing and binding; retry a few times.
    let lastError: unknown;
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      const port = await findFreePort();
      const options = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-c unix_socket_directories=${dir}`,
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=200",
      ].join(" ");
      const [file, args] = pgCtl(["start", "-D", dataDir, "-l", logFile, "-o", options, "-w", "-t", "60"]);
      try {
        await run(file, args, { cwd: dir });
        started = true;
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        await waitForServer(url, STARTUP_TIMEOUT_MS);
        return {
          url,
          stopSync,
          async stop() {
            if (started) {
              started = false;
              const [stopFile, stopArgs] = pgCtl(["stop", "-D", dataDir, "-m", "fast", "-w"]);
              await run(stopFile, stopArgs, { cwd: dir }).catch(() => undefined);
            }
            await rm(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`${errorText(lastError)}\n--- postgres.log ---\n${await readTail(logFile)}`);
  } catch (error) {
    stopSync();
    throw error;
  }
}

/** Runs `file args` as the postgres user when `asPostgres`, otherwise as the current user. */
function commandAs(asPostgres: boolean, file: string, args: string[]): [string, string[]] {
  if (!asPostgres) return [file, args];
  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((path) => existsSync(path));
  if (runuser) return [runuser, ["-u", "postgres", "--", file, ...args]];
  const quoted = [file, ...args].map((part) => `'${part.replaceAll("'", `'\\''`)}'`).join(" ");
  return ["su", ["postgres", "-s", "/bin/sh", "-c", quoted]];
}

function lookupUser(name: string): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(`running as root, but there is no '${name}' user to run PostgreSQL as`);
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}

/** Polls until `select 1` succeeds on `url`, or throws the last connection error after `timeoutMs`. */
async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function readTail(file: string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const stderr = "stderr" in error && typeof error.stderr === "string" ? error.stderr.trim() : "";
  return stderr ? `${error.message.split("\n")[0]}\n${stderr}` : error.message;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
