// Cross-team dependencies (list with health and cycles, create, change, remove), the program board of a PI, and the
// plan the tool proposes for a PI with accepting it, over dependencies.ts, program-board.ts and propose-plan.ts.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { DEPENDENCY_HEALTH, DEPENDENCY_STATES } from "../../core/pi-planning.js";
import { ITERATION_KINDS, WORK_KINDS } from "../../core/train.js";
import { LEVELS } from "../../core/work-item.js";
import {
  ChangeDependencyInput,
  CreateDependencyInput,
  changeDependency,
  createDependency,
  DependencyQuery,
  getDependency,
  listDependencies,
  removeDependency,
} from "../../use-cases/dependencies.js";
import type { Deps } from "../../use-cases/deps.js";
import { BoardQuery, programBoard } from "../../use-cases/program-board.js";
import { AcceptPlanInput, acceptPlan, ProposalQuery, proposePlanFor } from "../../use-cases/propose-plan.js";
import type { AppEnv } from "../auth.js";
import { presentItem } from "../presenters.js";
import { ItemSchema } from "../schemas.js";
import { ArtParam, conflictErrors, errors, json, jsonBody } from "./common.js";

const IterRefSchema = z
  .object({ id: z.string(), name: z.string(), number: z.number().int(), piId: z.string() })
  .openapi("IterationRef");

const DepEndSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    title: z.string(),
    level: z.enum(LEVELS),
    state: z.string(),
    teamId: z
      .string()
      .nullable()
      .describe("A story's team; a feature's team where it lands (the last for a provider), else its first team"),
    iteration: IterRefSchema.nullable().describe(
      "Where it lands: a story's iteration; a feature's latest (provider) or earliest (consumer) story iteration",
    ),
  })
  .openapi("DependencyEnd");

export const DependencySchema = z
  .object({
    id: z.string().describe("The id of its depends_on relation"),
    consumer: DepEndSchema.describe("The item that depends"),
    provider: DepEndSchema.describe("The item it depends on"),
    needed: z.string(),
    neededBy: IterRefSchema.nullable(),
    state: z.enum(DEPENDENCY_STATES),
    plannedIteration: IterRefSchema.nullable().describe("Where the provider committed to deliver it"),
    declineReason: z.string().nullable(),
    health: z
      .enum(DEPENDENCY_HEALTH)
      .describe(
        "From the plan: conflict (provider after the needed-by or the consumer's iteration), at_risk (the same), healthy (earlier, or delivered), unplanned, declined",
      ),
    crossTeam: z.boolean(),
    inCycle: z.boolean(),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi("Dependency");

const DependencyListSchema = z
  .object({
    dependencies: z.array(DependencySchema),
    cycles: z.array(z.array(z.string())).describe("Cycles touching a listed dependency: the ids of the dependencies"),
    uncommittedCrossTeam: z.number().int().describe("Listed cross-team dependencies still only requested"),
  })
  .openapi("DependencyList");

const ProgramBoardSchema = z
  .object({
    pi: z.object({ id: z.string(), name: z.string(), startDate: z.string(), endDate: z.string() }),
    iterations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        number: z.number().int(),
        startDate: z.string(),
        endDate: z.string(),
        kind: z.enum(ITERATION_KINDS),
      }),
    ),
    teams: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
    milestones: z.array(z.object({ id: z.string(), name: z.string(), date: z.string() })),
    features: z.array(
      z.object({
        featureId: z.string(),
        key: z.string(),
        title: z.string(),
        state: z.string(),
        teamId: z.string().nullable(),
        iterationId: z
          .string()
          .nullable()
          .describe("The last iteration its stories of this team land in; null: in the PI but not planned"),
        stories: z.number().int(),
        points: z.number(),
        wsjf: z.number().nullable(),
      }),
    ),
    dependencies: z.array(DependencySchema).describe("Those with an end in the PI"),
    load: z.array(
      z.object({
        teamId: z.string(),
        iterationId: z.string(),
        capacity: z.number().nullable(),
        load: z.number(),
        unestimated: z.number().int(),
        stories: z.number().int(),
        overloaded: z.boolean(),
      }),
    ),
  })
  .openapi("ProgramBoard");

const ProposalItemSchema = z.object({
  id: z.string(),
  key: z.string(),
  title: z.string(),
  points: z.number().nullable(),
  teamId: z.string(),
  version: z.number().int(),
});

const PlanProposalSchema = z
  .object({
    moves: z.array(
      z.object({
        item: ProposalItemSchema,
        from: IterRefSchema.nullable(),
        to: IterRefSchema.nullable(),
        reason: z.string().describe("Why this iteration: order, room left, dependency, allocation"),
      }),
    ),
    kept: z.number().int().describe("Candidate stories left where they are"),
    unplaced: z.array(z.object({ item: ProposalItemSchema, reason: z.string() })),
    load: z.array(
      z.object({
        teamId: z.string(),
        iterationId: z.string(),
        capacity: z.number().nullable(),
        before: z.number(),
        after: z.number(),
      }),
    ),
    allocation: z.array(
      z.object({
        kind: z.enum(WORK_KINDS),
        points: z.number(),
        share: z.number(),
        policyShare: z.number().nullable(),
        limit: z.number().nullable(),
        over: z.boolean(),
      }),
    ),
  })
  .openapi("PlanProposal");

const PiParams = ArtParam.extend({
  pi: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "pi", in: "path" }, example: "PI 1", description: "PI id or name (URL-encoded)" }),
});
const DependencyParam = z.object({
  dependency: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "dependency", in: "path" }, description: "Dependency id" }),
});
const VersionQuery = z.object({
  version: z.coerce.number().int().positive().optional().describe("The version removed"),
});

const stale = (what: string) => ({
  ...conflictErrors[409],
  description: `Changed by someone else since the given version; \`${what}\` is it now`,
});

export function dependencyRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/dependencies",
      tags: ["Planning"],
      summary:
        "An ART's dependencies with their health from the plan, the cycles among them, the uncommitted cross-team ones",
      request: { params: ArtParam, query: DependencyQuery },
      responses: { 200: json(DependencyListSchema, "The dependencies the person may see, oldest first"), ...errors },
    }),
    async (c) =>
      c.json(await listDependencies(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/dependencies",
      tags: ["Planning"],
      summary: "Create a dependency: the consumer depends on the provider (a depends_on relation with its details)",
      request: { params: ArtParam, ...jsonBody(CreateDependencyInput) },
      responses: {
        201: json(DependencySchema, "The dependency"),
        ...errors,
        409: { ...conflictErrors[409], description: "The consumer depends on the provider already" },
      },
    }),
    async (c) =>
      c.json(await createDependency(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/dependencies/{dependency}",
      tags: ["Planning"],
      summary: "One dependency with its health",
      request: { params: DependencyParam },
      responses: { 200: json(DependencySchema, "The dependency"), ...errors },
    }),
    async (c) => c.json(await getDependency(deps, c.get("actor"), c.req.valid("param").dependency), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/dependencies/{dependency}",
      tags: ["Planning"],
      summary: "Change a dependency: what is needed by when, or its state (commit to an iteration, deliver, decline)",
      request: { params: DependencyParam, ...jsonBody(ChangeDependencyInput) },
      responses: { 200: json(DependencySchema, "The dependency"), ...errors, 409: stale("dependency") },
    }),
    async (c) =>
      c.json(await changeDependency(deps, c.get("actor"), c.req.valid("param").dependency, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/dependencies/{dependency}",
      tags: ["Planning"],
      summary: "Remove a dependency and its depends_on relation",
      request: { params: DependencyParam, query: VersionQuery },
      responses: {
        204: { description: "Removed" },
        ...errors,
        409: stale("dependency"),
        428: conflictErrors[428],
      },
    }),
    async (c) => {
      await removeDependency(deps, c.get("actor"), c.req.valid("param").dependency, c.req.valid("query").version);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/board",
      tags: ["Planning"],
      summary: "The program board of a PI: features where their stories land per team, milestones, dependencies, load",
      request: { params: PiParams, query: BoardQuery },
      responses: { 200: json(ProgramBoardSchema, "The board"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await programBoard(deps, c.get("actor"), art, pi, c.req.valid("query")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/plan/proposal",
      tags: ["Planning"],
      summary: "A proposed iteration plan for a PI: the moves, why each, what cannot be placed; nothing is written",
      request: { params: PiParams, query: ProposalQuery },
      responses: { 200: json(PlanProposalSchema, "The proposal"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await proposePlanFor(deps, c.get("actor"), art, pi, c.req.valid("query")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/pis/{pi}/plan/accept",
      tags: ["Planning"],
      summary:
        "Accept moves of a proposed plan (all or some) in one transaction, each on the version it was proposed on",
      request: { params: PiParams, ...jsonBody(AcceptPlanInput) },
      responses: {
        200: json(z.object({ items: z.array(ItemSchema) }).openapi("AcceptedPlan"), "The stories moved"),
        ...errors,
        409: { ...conflictErrors[409], description: "A story changed since its version: nothing was written" },
      },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      const items = await acceptPlan(deps, c.get("actor"), art, pi, c.req.valid("json"));
      return c.json({ items: items.map(presentItem) }, 200);
    },
  );
}
