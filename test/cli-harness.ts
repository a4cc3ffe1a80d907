/**
 * The trainyard command run as a user runs it, for the CLI tests: a real process (`node dist/cli/main.js` when the
 * build is fresh, as after `npm test`'s build, else `node --import tsx src/cli/main.ts`) with no database, server or
 * token from the caller's environment and a config folder with no saved login, a fresh SQLite database, and a real
 * server on it. The scratch folder goes when the test file ends.
 *
 * @example
 * const cli = cliHarness("trainyard-health-cli-");
 * const db = await cli.sqliteDatabase();
 * const server = await cli.startServer(db);
 * const r = await cli.run(["--database", db, "health", "PAY"]);
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { cliEntry } from "../scripts/cli-entry.js";
import { type RunningServer, startServer } from "../src/server/serve.js";
import { testDatabases } from "./databases.js";

/** What one run of the command did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  /** A folder removed after the test file. */
  scratch: string;
  /** The environment of every run. */
  env: NodeJS.ProcessEnv;
  /** Runs the command with `stdin` piped in (and closed) and `home` as its config folder. */
  run(args: string[], options?: { stdin?: string; home?: string }): Promise<CliRun>;
  /** The URL of a fresh, empty SQLite database. */
  sqliteDatabase(): Promise<string>;
  /** A server on a free port of 127.0.0.1 over `databaseUrl`; the caller closes it. */
  startServer(databaseUrl: string): Promise<RunningServer>;
}

/** The repository, where every run starts. */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The command line of a run: node on the built CLI when it is fresh, else with tsx on the sources. */
const entry = cliEntry(fileURLToPath(new URL("..", import.meta.url))).args;
export const cliCommand = (args: string[]): [string, ...string[]] => [process.execPath, ...entry, ...args];

/** A harness whose scratch folder is named from `prefix`; `env` adds to (or overrides) the environment of runs. */
export function cliHarness(prefix: string, env: Record<string, string> = {}): CliHarness {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const { DATABASE_URL: _d, TRAINYARD_SERVER: _s, TRAINYARD_TOKEN: _t, ...inherited } = process.env;
  const baseEnv: NodeJS.ProcessEnv = {
    ...inherited,
    LOG_LEVEL: "silent",
    TRAINYARD_PASSWORD_COST: "14",
    XDG_CONFIG_HOME: join(scratch, "nobody"),
    ...env,
  };

  return {
    scratch,
    env: baseEnv,
    run: (args, options = {}) =>
      new Promise((resolve) => {
        const [node, ...rest] = cliCommand(args);
        const child = execFile(
          node,
          rest,
          { cwd: repoRoot, env: { ...baseEnv, ...(options.home ? { XDG_CONFIG_HOME: options.home } : {}) } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin?.end(options.stdin ?? "");
      }),
    sqliteDatabase: () => {
      const sqlite = testDatabases.find((d) => d.name === "sqlite");
      if (!sqlite) throw new Error("SQLite is always among the test databases");
      return sqlite.createUrl();
    },
    startServer: (databaseUrl) =>
      startServer({
        port: 0,
        host: "127.0.0.1",
        databaseUrl,
        logLevel: "silent",
        webDir: mkdtempSync(join(scratch, "web-")),
        passwordCost: 14,
        trustProxy: false,
      }),
  };
}
