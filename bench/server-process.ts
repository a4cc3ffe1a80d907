// Runs `trainyard serve` in a child process on a free port, so the benchmark's client and the server never share an
// event loop. Uses the built CLI (dist/cli/main.js) when it is newer than every source file, else the sources via tsx.
import { type ChildProcess, spawn } from "node:child_process";
import { cliEntry } from "../scripts/cli-entry.js";

export interface ServerProcess {
  url: string;
  /** "dist" or "tsx": how the server was started. */
  via: "dist" | "tsx";
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/** Starts a server on `databaseUrl` and resolves once it prints the address it serves at. */
export async function startServerProcess(root: string, databaseUrl: string): Promise<ServerProcess> {
  const { via, args: entry } = cliEntry(root);
  // TRAINYARD_BENCH_PROFILE=<dir>: each server writes a CPU profile there when it stops.
  const profile = process.env.TRAINYARD_BENCH_PROFILE;
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
      ...entry,
      "--database",
      databaseUrl,
      "serve",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
    ],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "warn", DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`the server did not start within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${e.message}\n${output}`));
    };
    const exited = (code: number | null) => fail(new Error(`the server exited with code ${code} before it was ready`));
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /Trainyard is serving at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.off("exit", exited);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", exited);
  });
  return { url, via, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
