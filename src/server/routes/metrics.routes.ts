// Backlog health and flow metrics: the team (or train) dashboard of a PI as of a date, Monte Carlo forecasts, and
// the inspect & adapt view. Formulas: docs/metrics.md.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { REWORK_REASONS } from "../../core/metrics-views.js";
import { ITEM_TYPES, STORY_STATES } from "../../core/work-item.js";
import type { Deps } from "../../use-cases/deps.js";
import { forecast, inspectAdapt, MetricsQuery, metricsDashboard } from "../../use-cases/metrics.js";
import type { AppEnv } from "../auth.js";
import { ArtParam, errors, json } from "./common.js";

const percent = (what: string) => z.number().nullable().describe(`${what}, in percent; null when there is no data`);
const count = z.object({ stories: z.number().int(), points: z.number() });
const piRef = z.object({ id: z.string(), name: z.string(), startDate: z.string(), endDate: z.string() });

const IterationResultSchema = z
  .object({
    iterationId: z.string(),
    piId: z.string(),
    name: z.string(),
    number: z.number().int(),
    startDate: z.string(),
    endDate: z.string(),
    completed: z.boolean().describe("Ended by the as-of date; a running one shows its result so far"),
    planned: count.describe("Open stories in the iteration at its start (a story split in it: its parts)"),
    accepted: count.describe("Of the planned, accepted by the PO by its end"),
    added: count.extend({ accepted: z.number().int() }).describe("Brought in after the start, reported apart"),
    removed: z.number().int().describe("Planned, then taken out before the end"),
    carriedOver: z.number().int().describe("Open at its end (completed iterations)"),
    acceptanceRate: percent("Story Acceptance Rate: accepted ÷ planned"),
    velocity: z.number().describe("Points of its stories done or accepted by its end"),
    plannedDone: z.number().describe("Points of the planned stories done or accepted by its end"),
    sayDo: percent("Say/do: plannedDone ÷ planned points"),
    reworked: z.number().int().describe("Stories moved back from done or accepted during it"),
    readiness: z
      .object({ stories: z.number().int(), ready: z.number().int(), rate: percent("ready ÷ stories") })
      .describe(
        "Backlog Readiness Rate (assigned form) as it began: its open stories and the next iterations' of the horizon, and those ready",
      ),
  })
  .openapi("IterationResult");

const ReworkSchema = z
  .object({
    reworked: z.number().int(),
    reopenings: z.number().int(),
    completed: z.number().int(),
    ratio: percent("Rework Ratio: reworked ÷ completed"),
    reasons: z.array(z.object({ reason: z.enum([...REWORK_REASONS, "unknown"]), count: z.number().int() })),
  })
  .openapi("ReworkRatio");

const PiResultSchema = piRef
  .extend({
    piId: z.string(),
    acceptanceRate: percent("Σ accepted ÷ Σ planned over its iterations"),
    velocity: z.number(),
    sayDo: percent("Σ planned done ÷ Σ planned points"),
    readiness: percent("Σ ready ÷ Σ assigned over its iterations' readiness as each began"),
    rework: ReworkSchema,
    predictability: percent("ART predictability from the PI objectives"),
  })
  .omit({ id: true })
  .openapi("PiResult");

const percentiles = z.object({ p50: z.number(), p85: z.number(), p95: z.number() });

export const MetricsDashboardSchema = z
  .object({
    art: z.object({ key: z.string(), name: z.string() }),
    team: z.object({ key: z.string(), name: z.string() }).nullable().describe("null: the whole train"),
    pi: piRef,
    asOf: z.string(),
    iterations: z.array(IterationResultSchema),
    pis: z.array(PiResultSchema),
    readiness: z.object({
      horizon: z.object({ iterations: z.number().int(), iterationIds: z.array(z.string()) }),
      assigned: z.object({ stories: z.number().int(), ready: z.number().int(), rate: percent("ready ÷ assigned") }),
      ranked: z.object({
        capacity: z.number().nullable(),
        stories: z.number().int(),
        ready: z.number().int(),
        rate: percent("ready ÷ the top of the ranked backlog filling the capacity"),
      }),
      depth: z.number().nullable().describe("Ready points ÷ average velocity, in iterations"),
      readyPoints: z.number(),
    }),
    velocity: z.object({
      iterations: z.array(z.object({ iterationId: z.string(), name: z.string(), points: z.number() })),
      average: z.number().nullable(),
      deviation: z.number().nullable(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      recentAverage: z.number().nullable(),
    }),
    rework: ReworkSchema,
    flow: z.object({
      from: z.string(),
      to: z.string(),
      distribution: z.array(z.object({ type: z.enum(ITEM_TYPES), count: z.number().int(), percent: z.number() })),
      velocity: z.object({
        total: z.number().int(),
        perIteration: z.array(z.object({ iterationId: z.string(), name: z.string(), count: z.number().int() })),
      }),
      time: z.object({
        count: z.number().int(),
        average: z.number().nullable(),
        percentiles: percentiles.nullable().describe("Flow time in days"),
      }),
      load: z.object({
        current: z.number().int(),
        average: z.number().nullable(),
        days: z.array(z.object({ date: z.string(), count: z.number().int() })),
      }),
      efficiency: z.object({
        percent: percent("Active time ÷ flow time"),
        activeDays: z.number(),
        blockedDays: z.number(),
      }),
      predictability: percent("ART predictability"),
    }),
    burnUp: z.array(z.object({ date: z.string(), scope: z.number(), done: z.number() })),
    burnDown: z
      .object({
        iterationId: z.string(),
        name: z.string(),
        days: z.array(z.object({ date: z.string(), remaining: z.number(), ideal: z.number() })),
      })
      .nullable(),
    cfd: z.array(
      z.object({ date: z.string(), counts: z.object(Object.fromEntries(STORY_STATES.map((s) => [s, z.number()]))) }),
    ),
  })
  .openapi("MetricsDashboard");

const likelihoods = z.object({ p50: z.string(), p85: z.string(), p95: z.string() });

export const ForecastSchema = z
  .object({
    asOf: z.string(),
    trials: z.number().int(),
    assumption: z.string(),
    teams: z.array(z.object({ key: z.string(), name: z.string(), days: z.number().int(), finished: z.number() })),
    fit: z
      .object({
        piId: z.string(),
        daysLeft: z.number().int(),
        stories: percentiles.describe("Stories finished by the PI's end with 50/85/95% likelihood"),
        backlog: z.array(
          z.object({
            key: z.string(),
            title: z.string(),
            teamKey: z.string(),
            likelihood: z.enum(["p95", "p85", "p50", "unlikely"]),
          }),
        ),
      })
      .nullable(),
    features: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        remaining: z.number().int(),
        dates: likelihoods.nullable().describe("Done by these dates with 50/85/95% likelihood"),
        problem: z.string().nullable(),
      }),
    ),
  })
  .openapi("Forecast");

const inspectRow = z.object({
  key: z.string(),
  name: z.string(),
  predictability: percent("ART predictability"),
  acceptanceRate: percent("Story Acceptance Rate"),
  reworkRatio: percent("Rework Ratio"),
  velocity: z.number(),
  sayDo: percent("Say/do"),
  flowTimeP85: z.number().nullable().describe("85th percentile flow time, days"),
  flowEfficiency: percent("Flow efficiency"),
  throughput: z.number().int().describe("Stories finished in the PI"),
});

export const InspectAdaptSchema = z
  .object({ pi: piRef, asOf: z.string(), teams: z.array(inspectRow), train: inspectRow })
  .openapi("InspectAdapt");

export function metricsRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/metrics",
      tags: ["Metrics"],
      summary: "Backlog health and flow metrics of a team (or the train) for a PI, as of a date",
      description:
        "Backlog Readiness Rate (both forms), ready-backlog depth, Story Acceptance Rate per iteration and PI " +
        "(scope added mid-iteration apart), Rework Ratio with reasons, velocity and its spread, say/do, ART " +
        "predictability, SAFe's six flow metrics, PI burn-up, iteration burn-down and cumulative flow — every " +
        "number recomputed from history as it stood at the end of `asOf`. Formulas: docs/metrics.md.",
      request: { params: ArtParam, query: MetricsQuery.omit({ trials: true }) },
      responses: { 200: json(MetricsDashboardSchema, "The dashboard"), ...errors },
    }),
    async (c) =>
      c.json(await metricsDashboard(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/forecast",
      tags: ["Metrics"],
      summary: "Monte Carlo forecasts from each team's throughput: what fits in the PI, when features finish",
      request: { params: ArtParam, query: MetricsQuery.omit({ horizon: true, pis: true }) },
      responses: { 200: json(ForecastSchema, "The forecast, with its assumption"), ...errors },
    }),
    async (c) => c.json(await forecast(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/inspect-adapt",
      tags: ["Metrics"],
      summary: "Inspect & adapt: predictability, acceptance, rework and flow of each team's PI side by side",
      request: { params: ArtParam, query: MetricsQuery.pick({ pi: true, asOf: true }) },
      responses: { 200: json(InspectAdaptSchema, "One row per team, and the train's"), ...errors },
    }),
    async (c) => c.json(await inspectAdapt(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );
}
