// Starts the HTTP server: the API and the web app on one port.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import pino from "pino";
import { type Config, ConfigError } from "../config.js";
import { openRuntime, PROJECT_ROOT, type Runtime } from "../runtime.js";
import type { Deps } from "../use-cases/deps.js";
import { forgetOldChanges } from "../use-cases/live-changes.js";
import { needsFirstAdmin } from "../use-cases/manage-accounts.js";
import { sealMetrics } from "../use-cases/seal-metrics.js";
import { seedDemo } from "../use-cases/seed-demo.js";
import { createApp } from "./app.js";

export interface RunningServer {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  // Credentials never reach the log, whatever a future log line includes.
  const log = pino({
    level: config.logLevel,
    name: "trainyard",
    redact: {
      paths: [
        "*.password",
        "*.currentPassword",
        "*.newPassword",
        "*.token",
        "*.link",
        "*.authorization",
        "*.cookie",
        "*.headers.authorization",
        "*.headers.cookie",
        "key",
        "*.key",
      ],
      censor: "[redacted]",
    },
  });
  const runtime = await openRuntime(config.databaseUrl, { passwordCost: config.passwordCost, ...config.database });
  // Until someone owns the server, only this machine may reach the page that makes its first administrator.
  if (!isLoopback(config.host) && (await needsFirstAdmin(runtime.deps))) {
    await runtime.close();
    throw new ConfigError(
      `Trainyard has no administrator yet, so it listens only on this machine (127.0.0.1), not on ${config.host}. ` +
        "Create one first, on the first-run page or with `trainyard user create --admin --email you@example.com --name 'Your Name'`.",
    );
  }
  const webDir = config.webDir ?? join(PROJECT_ROOT, "dist", "web");
  if (!existsSync(join(webDir, "index.html"))) log.warn({ webDir }, "the web app is not built; serving the API only");
  const app = createApp({
    deps: runtime.deps,
    log,
    databaseKind: runtime.store.kind,
    webDir,
    seedDemo: (by) => seedDemo(runtime.deps, { by }),
    trustProxy: config.trustProxy,
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, database: runtime.store.kind }, "Trainyard is serving");
  const sealing = keepRecords(runtime.deps, log);
  return {
    url,
    runtime,
    close: async () => {
      await sealing.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) (server as { closeAllConnections(): void }).closeAllConnections();
      });
      await runtime.close();
    },
  };
}

/** How often a server checks that each ART's metrics records are kept up to yesterday. */
const SEAL_EVERY_MS = 10 * 60_000;

/**
 * Keeps the ARTs' metrics day records (see seal-metrics) and forgets the change log's old entries (see live-changes):
 * now, then every few minutes, one run at a time.
 */
function keepRecords(deps: Deps, log: pino.Logger) {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= sealMetrics(deps)
      .then(
        (arts) => {
          if (arts.length) log.info({ arts }, "metrics records kept");
        },
        (err: unknown) => log.error({ err }, "keeping the metrics records failed"),
      )
      .then(() => forgetOldChanges(deps))
      .then(
        () => {},
        (err: unknown) => log.error({ err }, "forgetting old changes failed"),
      )
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, SEAL_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** Whether `host` is this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
