// The economic view of prioritization: quantified Cost of Delay, urgency profiles and CD3, with the WSJF order beside
// the CD3 order and each fixed-date item's cost-of-delay curve.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../../use-cases/deps.js";
import { EconomicsQuery, listEconomics } from "../../use-cases/list-economics.js";
import type { AppEnv } from "../auth.js";
import { EconomicsSchema } from "../schemas.js";
import { ArtParam, errors, json } from "./common.js";

export function economicsRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/economics",
      tags: ["Prioritization"],
      summary: "The economic view of a program backlog: Cost of Delay per week, urgency, CD3, WSJF and CD3 orders",
      description:
        "CD3 = Cost of Delay per week ÷ duration in weeks. The CD3 order puts expedite items first, then the highest " +
        "CD3 (ties by Cost of Delay per week, then rank), items without CD3 last. Fixed-date items get their latest " +
        "start, slack and a curve of the cost of delay incurred by the week work starts.",
      request: { params: ArtParam, query: EconomicsQuery },
      responses: { 200: json(EconomicsSchema, "Every item in rank order, both orders and the curves"), ...errors },
    }),
    async (c) => c.json(await listEconomics(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );
}
