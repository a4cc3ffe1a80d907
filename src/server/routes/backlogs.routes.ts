// Backlogs: the ART's program backlog (and its epics and capabilities) and each team's backlog, in rank order.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../../use-cases/deps.js";
import { BacklogQuery, listBacklog, listWholeBacklog } from "../../use-cases/list-backlog.js";
import type { AppEnv } from "../auth.js";
import { BacklogPageSchema, WholeBacklogSchema } from "../schemas.js";
import { ArtParam, errors, json } from "./common.js";

const TeamParam = ArtParam.extend({
  team: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "team", in: "path" }, description: "Team id or key" }),
});
const WholeQuery = BacklogQuery.omit({ cursor: true, limit: true });

export function backlogRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/backlog",
      tags: ["Backlogs"],
      summary: "The program backlog (features and enablers; ?level=epic|capability for those), one page in rank order",
      request: { params: ArtParam, query: BacklogQuery },
      responses: { 200: json(BacklogPageSchema, "One page; pass nextCursor as cursor for the next"), ...errors },
    }),
    async (c) =>
      c.json(await listBacklog(deps, c.get("actor"), { art: c.req.valid("param").art }, c.req.valid("query")), 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/backlog/all",
      tags: ["Backlogs"],
      summary: "The whole program backlog in one response, as slim rows",
      request: { params: ArtParam, query: WholeQuery },
      responses: { 200: json(WholeBacklogSchema, "Every row in rank order"), ...errors },
    }),
    async (c) => {
      const items = await listWholeBacklog(
        deps,
        c.get("actor"),
        { art: c.req.valid("param").art },
        c.req.valid("query"),
      );
      return c.json({ items, total: items.length }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/teams/{team}/backlog",
      tags: ["Backlogs"],
      summary: "A team backlog: its stories, one page in rank order",
      request: { params: TeamParam, query: BacklogQuery.omit({ level: true }) },
      responses: { 200: json(BacklogPageSchema, "One page; pass nextCursor as cursor for the next"), ...errors },
    }),
    async (c) => c.json(await listBacklog(deps, c.get("actor"), c.req.valid("param"), c.req.valid("query")), 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/teams/{team}/backlog/all",
      tags: ["Backlogs"],
      summary: "A whole team backlog in one response, as slim rows",
      request: { params: TeamParam, query: WholeQuery.omit({ level: true }) },
      responses: { 200: json(WholeBacklogSchema, "Every row in rank order"), ...errors },
    }),
    async (c) => {
      const items = await listWholeBacklog(deps, c.get("actor"), c.req.valid("param"), c.req.valid("query"));
      return c.json({ items, total: items.length }, 200);
    },
  );
}
