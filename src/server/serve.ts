// Starts the HTTP server: the API and the web app on one port.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import pino from "pino";
import type { Config } from "../config.js";
import { openRuntime, PROJECT_ROOT, type Runtime } from "../runtime.js";
import { seedDemo } from "../use-cases/seed-demo.js";
import { createApp } from "./app.js";

export interface RunningServer {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const log = pino({ level: config.logLevel, name: "trainyard" });
  const runtime = await openRuntime(config.databaseUrl, { passwordCost: config.passwordCost });
  const webDir = config.webDir ?? join(PROJECT_ROOT, "dist", "web");
  if (!existsSync(join(webDir, "index.html"))) log.warn({ webDir }, "the web app is not built; serving the API only");
  const app = createApp({
    deps: runtime.deps,
    log,
    databaseKind: runtime.store.kind,
    webDir,
    seedDemo: () => seedDemo(runtime.deps, {}),
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
  return {
    url,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) (server as { closeAllConnections(): void }).closeAllConnections();
      });
      await runtime.close();
    },
  };
}
