// Health, integrity check, and the first-run choices (the demo train).
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../core/errors.js";
import { mustBeAdmin } from "../../use-cases/authorize.js";
import { checkTrain } from "../../use-cases/check-train.js";
import { countTrains } from "../../use-cases/set-up-train.js";
import type { AppOptions } from "../app.js";
import type { AppEnv } from "../auth.js";
import { CheckReportSchema } from "../schemas.js";
import { errors, json } from "./common.js";

export function systemRoutes(app: OpenAPIHono<AppEnv>, options: AppOptions) {
  const { deps } = options;
  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["System"],
      summary: "Is the server up and its database reachable",
      responses: {
        200: json(z.object({ status: z.literal("ok"), database: z.string(), version: z.string() }), "Healthy"),
      },
    }),
    async (c) => {
      await countTrains(deps);
      return c.json({ status: "ok" as const, database: options.databaseKind, version: "0.1.0" }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/check",
      tags: ["System"],
      summary: "Verify rank integrity and the hierarchy rules of every backlog",
      responses: { 200: json(CheckReportSchema, "What was checked and any problems") },
    }),
    async (c) => c.json(await checkTrain(deps, c.get("actor")), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/demo",
      tags: ["System"],
      summary: "Load the demo train",
      responses: { 201: json(z.object({ artKey: z.string() }), "The demo train's key"), ...errors, 409: errors[400] },
    }),
    async (c) => {
      const actor = c.get("actor");
      mustBeAdmin(actor);
      if (!options.seedDemo) throw new AppError("unavailable", "This server cannot load the demo train.");
      return c.json(await options.seedDemo(actor), 201);
    },
  );
}
