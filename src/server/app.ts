// The HTTP API (under /api/v1, with its OpenAPI 3.1 document) and the web app, served by one Hono app.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import type { Actor } from "../core/permissions.js";
import type { Deps } from "../use-cases/deps.js";
import { type AppEnv, authMiddleware } from "./auth.js";
import { problem, problemFor, validationFailed } from "./problems.js";
import { accountRoutes } from "./routes/accounts.routes.js";
import { backlogRoutes } from "./routes/backlogs.routes.js";
import { dependencyRoutes } from "./routes/dependencies.routes.js";
import { economicsRoutes } from "./routes/economics.routes.js";
import { estimationRoutes } from "./routes/estimation.routes.js";
import { eventRoutes } from "./routes/events.routes.js";
import { feedbackRoutes } from "./routes/feedback.routes.js";
import { healthRoutes } from "./routes/health.routes.js";
import { itemRoutes } from "./routes/items.routes.js";
import { metricsRoutes } from "./routes/metrics.routes.js";
import { planningRoutes } from "./routes/planning.routes.js";
import { refinementRoutes } from "./routes/refinement.routes.js";
import { sessionRoutes } from "./routes/session.routes.js";
import { splittingRoutes } from "./routes/splitting.routes.js";
import { systemRoutes } from "./routes/system.routes.js";
import { trainRoutes } from "./routes/trains.routes.js";
import { wsjfRoutes } from "./routes/wsjf.routes.js";
import { webApp } from "./web.js";

export interface AppOptions {
  deps: Deps;
  log: Logger;
  databaseKind: string;
  /** The built web app to serve at /, if any. */
  webDir?: string | undefined;
  /** Loads the demo train (the first-run page's second choice). */
  seedDemo?: (by: Actor) => Promise<{ artKey: string }>;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-For/-Proto/-Host. */
  trustProxy?: boolean;
  /** How often live-change streams send a heartbeat and check their credentials again (default 15 s). */
  heartbeatMs?: number;
}

/** Largest request body accepted: a whole item with long description and criteria fits many times over. */
export const MAX_BODY_BYTES = 256 * 1024;

const API_HEADERS: readonly [string, string][] = [
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cache-Control", "no-store"],
];

export function createApp(options: AppOptions) {
  const { deps, log } = options;
  const auth = { trustProxy: options.trustProxy ?? false };
  const api = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(result.error, result.target);
    },
  });
  api.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problem(c, "too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  // API answers are data, never pages: nothing may frame, sniff, cache or run them. Set before the route answers, so
  // they cost nothing per response (a route may still choose its own Cache-Control).
  api.use("*", async (c, next) => {
    for (const [name, value] of API_HEADERS) c.header(name, value);
    await next();
  });
  api.use("*", authMiddleware(deps, auth));
  sessionRoutes(api, deps, auth);
  accountRoutes(api, deps, auth);
  systemRoutes(api, options);
  trainRoutes(api, deps);
  backlogRoutes(api, deps);
  itemRoutes(api, deps);
  wsjfRoutes(api, deps);
  feedbackRoutes(api, deps);
  estimationRoutes(api, deps);
  economicsRoutes(api, deps);
  splittingRoutes(api, deps);
  refinementRoutes(api, deps);
  planningRoutes(api, deps);
  healthRoutes(api, deps);
  metricsRoutes(api, deps);
  dependencyRoutes(api, deps);
  eventRoutes(api, deps, options.heartbeatMs);
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Trainyard API",
      version: "1.0.0",
      description:
        "The ranked, linked backlogs of a SAFe release train. Errors are RFC 9457 problem documents with a stable `code`. " +
        "Edits carry the version they were made on (If-Match or a `version` field); a stale one gets 409 with the current item.",
    },
    servers: [{ url: "/api/v1" }],
  });
  api.notFound((c) => problem(c, "not_found", `No API route ${c.req.method} ${c.req.path}.`));
  api.onError((err, c) => problemFor(err, c, (e) => log.error({ err: e }, "unhandled error")));

  const app = new OpenAPIHono();
  app.route("/api/v1", api);
  app.onError((err, c) => problemFor(err, c, (e) => log.error({ err: e }, "unhandled error")));
  if (options.webDir) app.route("/", webApp(options.webDir));
  return app;
}

export type App = ReturnType<typeof createApp>;
