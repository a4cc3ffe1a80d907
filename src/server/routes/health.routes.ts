// The backlog health check of a train and its team backlogs: readiness against the next two iterations' capacity,
// ready depth, quality findings by rule and the problems to work on, each linked to its items.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { HEALTH_PROBLEM_KINDS } from "../../core/backlog-health.js";
import { QUALITY_RULES } from "../../core/story-quality.js";
import { backlogHealth, HealthQuery } from "../../use-cases/backlog-health.js";
import type { Deps } from "../../use-cases/deps.js";
import type { AppEnv } from "../auth.js";
import { ArtParam, errors, json } from "./common.js";

const rate = z
  .object({
    ready: z.number().int().describe("Stories in state ready"),
    of: z.number().int().describe("Stories considered"),
    rate: z.number().nullable().describe("ready ÷ of, three decimals; null (no data, not 0 %) when none considered"),
  })
  .openapi("ReadinessRate");

const iteration = z.object({ id: z.string(), name: z.string(), startDate: z.string(), endDate: z.string() });

const readyDepth = z.object({
  points: z.number().describe("Points of the ready stories"),
  iterations: z.number().nullable().describe("Ready points ÷ capacity per iteration; null without a capacity"),
  healthy: z.boolean().nullable().describe("Two iterations deep or more; null without a capacity"),
});

const qualityCount = z.object({
  rule: z.enum(QUALITY_RULES),
  label: z.string(),
  count: z.number().int().describe("Stories with a finding of this rule (dismissed findings left out)"),
  keys: z.array(z.string()),
});

const problem = z
  .object({
    kind: z.enum(HEALTH_PROBLEM_KINDS),
    rule: z.enum(QUALITY_RULES).nullable().describe("The quality rule, for kind quality"),
    label: z.string(),
    severity: z.enum(["error", "warning"]),
    items: z.array(z.object({ key: z.string(), title: z.string() })).describe("The items the problem is about"),
  })
  .openapi("HealthProblem");

const TeamHealthSchema = z
  .object({
    team: z.object({ id: z.string(), key: z.string(), name: z.string() }),
    horizon: z.array(iteration).describe("The next two iterations: those starting after today, by start date"),
    velocity: z.number().nullable().describe("Average points of the last three completed iterations with any"),
    capacityPerIteration: z.object({
      points: z.number().nullable(),
      source: z.enum(["velocity", "set"]).nullable().describe("The team's velocity, else its set capacity, else none"),
    }),
    readiness: z.object({
      planned: rate.describe("Unstarted stories planned for the next two iterations: ready ÷ planned"),
      ranked: rate
        .extend({ capacityPoints: z.number().nullable().describe("2 × capacity: the points the window fills") })
        .describe("The top of the ranked backlog filling two iterations of capacity: ready ÷ those"),
    }),
    readyDepth,
    openStories: z.number().int().describe("Stories not done, accepted or closed as split"),
    quality: z.array(qualityCount),
    problems: z.array(problem),
  })
  .openapi("TeamHealth");

const TrainHealthSchema = z
  .object({
    teams: z.number().int(),
    horizon: z.array(iteration),
    capacityPerIteration: z.number().nullable().describe("Σ capacity of the teams that have one"),
    teamsWithoutCapacity: z.array(z.string()).describe("Keys of the teams with neither velocity nor a set capacity"),
    readiness: z.object({ planned: rate, ranked: rate }).describe("The teams' counts added up, then divided"),
    readyDepth,
    openStories: z.number().int(),
    quality: z.array(qualityCount),
    problems: z.array(problem),
  })
  .openapi("TrainHealth");

export const BacklogHealthSchema = z
  .object({
    asOf: z.string().describe("The day of the check (yyyy-mm-dd)"),
    teams: z.array(TeamHealthSchema),
    train: TrainHealthSchema,
  })
  .openapi("BacklogHealth");

export function healthRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/health",
      tags: ["Refinement"],
      summary: "The backlog health check of each team backlog the caller may see (or one team) and of the train",
      description:
        "Backlog Readiness Rate in both forms (stories planned for the next two iterations; the top of the ranked " +
        "backlog filling two iterations of capacity), ready depth (ready points ÷ capacity, healthy ≥ 2), quality " +
        "findings by rule, oversized stories, stories without a feature, features without stories and stale items. " +
        "Capacity is the team's average velocity, else its set capacity. Formulas: docs/refinement.md.",
      request: { params: ArtParam, query: HealthQuery },
      responses: { 200: json(BacklogHealthSchema, "Each team's health and the train's"), ...errors },
    }),
    async (c) => c.json(await backlogHealth(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );
}
