// Prioritization: the WSJF estimation grid (JSON and CSV), applying WSJF order with pins (a preview first), carrying
// feature rank down to a team backlog, and undoing either in one step.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AlignInput, alignTeamBacklog } from "../../use-cases/align-team-backlog.js";
import { applyWsjfOrder, WsjfOrderInput } from "../../use-cases/apply-wsjf-order.js";
import type { Deps } from "../../use-cases/deps.js";
import { wsjfCsv } from "../../use-cases/export-wsjf-csv.js";
import { listWsjf, WsjfQuery } from "../../use-cases/list-wsjf.js";
import { undoReorder } from "../../use-cases/undo-reorder.js";
import type { AppEnv } from "../auth.js";
import { AlignmentSchema, WsjfGridSchema, WsjfOrderSchema } from "../schemas.js";
import { ArtParam, errors, json, jsonBody } from "./common.js";

const TeamParams = ArtParam.extend({ team: z.string().min(1).max(100) });

export function wsjfRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/wsjf",
      tags: ["Prioritization"],
      summary: "The WSJF estimation grid of a program backlog: inputs, Cost of Delay, WSJF, anchoring, agreement",
      request: { params: ArtParam, query: WsjfQuery },
      responses: { 200: json(WsjfGridSchema, "The grid, in rank order"), ...errors },
    }),
    async (c) => c.json(await listWsjf(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/wsjf.csv",
      tags: ["Prioritization"],
      summary: "The WSJF estimation grid as CSV (for a spreadsheet or a workshop)",
      request: { params: ArtParam, query: WsjfQuery },
      responses: {
        200: { description: "CSV, one row per item in rank order", content: { "text/csv": { schema: z.string() } } },
        ...errors,
      },
    }),
    async (c) => {
      const { art } = c.req.valid("param");
      const grid = await listWsjf(deps, c.get("actor"), art, c.req.valid("query"));
      const csv = wsjfCsv(grid);
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", `attachment; filename="${art}-${grid.level}-wsjf.csv"`);
      return c.body(csv, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/wsjf/order",
      tags: ["Prioritization"],
      summary: "Apply WSJF order to a program backlog (or preview it with dryRun); pinned items keep their places",
      description:
        "Ties break by Cost of Delay, then current rank; unscored items go after the scored ones. Applied, it is one " +
        "change: undo it with POST /arts/{art}/reorders/{reorderId}/undo.",
      request: { params: ArtParam, ...jsonBody(WsjfOrderInput) },
      responses: { 200: json(WsjfOrderSchema, "Every item's current and new position"), ...errors },
    }),
    async (c) => c.json(await applyWsjfOrder(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/reorders/{reorder}/undo",
      tags: ["Prioritization"],
      summary: "Undo a reorder (WSJF order or a team alignment) in one step, if none of its items changed since",
      request: { params: ArtParam.extend({ reorder: z.string().min(1).max(100) }) },
      responses: {
        200: json(z.object({ reorderId: z.string().nullable(), moved: z.number().int() }), "Undone"),
        ...errors,
        409: errors[400],
      },
    }),
    async (c) => {
      const { art, reorder } = c.req.valid("param");
      return c.json(await undoReorder(deps, c.get("actor"), art, reorder), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/teams/{team}/alignment",
      tags: ["Prioritization"],
      summary: "How far a team backlog has drifted from the program's feature rank, and the aligned order",
      request: { params: TeamParams },
      responses: { 200: json(AlignmentSchema, "Drift and the aligned order (nothing changed)"), ...errors },
    }),
    async (c) => {
      const { art, team } = c.req.valid("param");
      return c.json(await alignTeamBacklog(deps, c.get("actor"), art, team, { dryRun: true }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/teams/{team}/alignment",
      tags: ["Prioritization"],
      summary:
        "Carry feature rank down: order the team's stories by their feature's program rank (one undoable change)",
      request: { params: TeamParams, ...jsonBody(AlignInput) },
      responses: { 200: json(AlignmentSchema, "The aligned order"), ...errors },
    }),
    async (c) => {
      const { art, team } = c.req.valid("param");
      return c.json(await alignTeamBacklog(deps, c.get("actor"), art, team, c.req.valid("json")), 200);
    },
  );
}
