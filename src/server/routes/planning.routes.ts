// PI planning: a PI's settings (name, capacity allocation policy) and milestones, each team's capacity per iteration
// with its velocity, the planning view (load against capacity, unplanned stories, allocation), PI objectives with
// business value and predictability, the train's risks (ROAM) and the confidence vote.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ROAM_STATES } from "../../core/pi-planning.js";
import { WORK_KINDS } from "../../core/train.js";
import { ITEM_TYPES } from "../../core/work-item.js";
import { getConfidence, VoteInput, voteConfidence } from "../../use-cases/confidence-vote.js";
import type { Deps } from "../../use-cases/deps.js";
import {
  addObjective,
  DeleteQuery,
  listPiObjectives,
  ObjectiveInput,
  removeObjective,
  UpdateObjectiveInput,
  updateObjective,
} from "../../use-cases/pi-objectives.js";
import {
  addMilestone,
  listPiMilestones,
  MilestoneInput,
  removeMilestone,
  UpdatePiInput,
  updatePi,
} from "../../use-cases/pi-settings.js";
import {
  addRisk,
  listArtRisks,
  RiskInput,
  RiskQuery,
  removeRisk,
  UpdateRiskInput,
  updateRisk,
} from "../../use-cases/risks.js";
import { CapacityQuery, getCapacity, SetCapacityInput, setCapacity } from "../../use-cases/team-capacity.js";
import { teamPlan } from "../../use-cases/team-plan.js";
import type { AppEnv } from "../auth.js";
import { PiSchema } from "../schemas.js";
import { ArtParam, errors, json, jsonBody } from "./common.js";

const ref = z.string().min(1).max(100);
const PiParams = ArtParam.extend({ pi: ref.openapi({ description: "PI id or name (URL-encoded)" }) });
const TeamParams = ArtParam.extend({ team: ref });
const IdParam = z.object({ id: ref });

const stale = {
  ...errors,
  409: { ...errors[400], description: "Changed by someone else since the given version; `currentVersion` is now" },
};

const CapacitySchema = z
  .object({
    points: z.number().nullable().describe("Points the team can take on; null when nothing is set"),
    source: z.enum(["points", "people"]).nullable().describe("Set directly in points, or from the team's people"),
  })
  .openapi("Capacity");

const CapacityMemberSchema = z
  .object({
    name: z.string(),
    personId: z.string().nullable(),
    availability: z.number().describe("% of their time on the team"),
    daysOff: z.number().describe("Vacation and holiday days in the iteration"),
  })
  .openapi("CapacityMember");

const CapacityEntrySchema = z
  .object({
    iterationId: z.string(),
    workingDays: z.number().int(),
    members: z.array(CapacityMemberSchema),
    points: z.number().nullable().describe("Points set directly (win over the people)"),
    capacity: CapacitySchema,
    version: z.number().int().describe("Name it when setting the capacity; 0 while never set"),
  })
  .openapi("CapacityEntry");

const VelocitySchema = z
  .object({
    average: z.number().nullable().describe("Average of the last three completed iterations with points"),
    recent: z.array(z.object({ iterationId: z.string(), name: z.string(), points: z.number() })),
  })
  .openapi("Velocity");

const TeamCapacitySchema = z
  .object({
    teams: z.array(
      z.object({ teamId: z.string(), iterations: z.array(CapacityEntrySchema), velocity: VelocitySchema }),
    ),
  })
  .openapi("TeamCapacities");

const PlanCardSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    title: z.string(),
    points: z.number().nullable(),
    state: z.string(),
    type: z.enum(ITEM_TYPES),
    featureId: z.string().nullable(),
    featureKey: z.string().nullable(),
    iterationId: z.string().nullable(),
    blockedReason: z.string().nullable().describe("What the story waits on (blocked); null when it is not blocked"),
    rank: z.string(),
    version: z.number().int(),
  })
  .openapi("PlanCard");

const AllocationShareSchema = z
  .object({
    kind: z.enum(WORK_KINDS),
    points: z.number(),
    share: z.number().describe("Of the points planned, 0–1"),
    policyShare: z.number().nullable().describe("The policy's share, 0–1"),
    limit: z.number().nullable().describe("The policy's share of the capacity, in points"),
    over: z.boolean(),
  })
  .openapi("AllocationShare");

const PlanSchema = z
  .object({
    pi: PiSchema,
    teams: z.array(
      z.object({
        teamId: z.string(),
        key: z.string(),
        name: z.string(),
        iterations: z.array(
          z.object({
            iterationId: z.string(),
            capacity: CapacitySchema,
            load: z.number().describe("Points of the stories planned there (not split)"),
            unestimated: z.number().int().describe("Stories planned there without points"),
            overloaded: z.boolean(),
            stories: z.array(PlanCardSchema),
          }),
        ),
        unplanned: z.array(PlanCardSchema).describe("Open stories of the PI not in an iteration, in rank order"),
        velocity: VelocitySchema,
      }),
    ),
    allocation: z.object({
      policy: z.object({ business: z.number(), enabler: z.number(), maintenance: z.number() }).nullable(),
      capacity: z.number().describe("The teams' capacity over the PI's development iterations"),
      shares: z.array(AllocationShareSchema),
    }),
    features: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        title: z.string(),
        wsjf: z.number().nullable(),
        teamIds: z.array(z.string()),
        state: z.string(),
      }),
    ),
  })
  .openapi("PiPlan");

const MilestoneSchema = z
  .object({
    id: z.string(),
    piId: z.string(),
    name: z.string(),
    date: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi("Milestone");

const ItemRefSchema = z.object({ id: z.string(), key: z.string(), title: z.string() });

const ObjectiveSchema = z
  .object({
    id: z.string(),
    piId: z.string(),
    teamId: z.string().nullable().describe("null: the train's objective"),
    title: z.string(),
    description: z.string(),
    committed: z.boolean(),
    plannedValue: z.number().int().nullable(),
    actualValue: z.number().int().nullable(),
    features: z.array(ItemRefSchema),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi("PiObjective");

const PredictabilitySchema = z
  .object({
    planned: z.number().describe("Planned business value of the committed objectives"),
    actual: z.number().describe("Actual business value of all objectives"),
    percent: z.number().nullable(),
    band: z.enum(["below", "predictable", "above"]).nullable().describe("Against SAFe's 80–100% band"),
  })
  .openapi("Predictability");

const ObjectivesSchema = z
  .object({
    objectives: z.array(ObjectiveSchema),
    predictability: z.object({
      teams: z.array(PredictabilitySchema.extend({ teamId: z.string() })),
      train: PredictabilitySchema,
    }),
  })
  .openapi("PiObjectives");

const RiskSchema = z
  .object({
    id: z.string(),
    artId: z.string(),
    piId: z.string().nullable(),
    teamId: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    roam: z.enum(ROAM_STATES),
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    items: z.array(ItemRefSchema),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi("Risk");

const RisksSchema = z
  .object({
    risks: z.array(RiskSchema),
    counts: z.record(z.enum(ROAM_STATES), z.number().int()).describe("Per ROAM state, before the roam filter"),
  })
  .openapi("RiskList");

const ConfidenceResultSchema = z.object({
  votes: z.number().int(),
  average: z.number().nullable(),
  distribution: z.array(z.number().int()).describe("How many voted 1, 2, 3, 4 and 5"),
  mine: z.number().int().nullable().describe("Your own vote"),
});
const ConfidenceSchema = z
  .object({
    teams: z.array(ConfidenceResultSchema.extend({ teamId: z.string() })),
    train: ConfidenceResultSchema,
  })
  .openapi("Confidence");

export function planningRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "patch",
      path: "/arts/{art}/pis/{pi}",
      tags: ["Planning"],
      summary: "Rename a PI or set its capacity allocation policy, naming the version read",
      description:
        "The name needs `configure_train`; the allocation policy (`business`, `enabler`, `maintenance` percents adding " +
        "up to 100, or null) `edit_program`.",
      request: { params: PiParams, ...jsonBody(UpdatePiInput) },
      responses: { 200: json(PiSchema, "The PI"), ...stale },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await updatePi(deps, c.get("actor"), art, pi, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/milestones",
      tags: ["Planning"],
      summary: "A PI's milestones by date",
      request: { params: PiParams },
      responses: { 200: json(z.object({ milestones: z.array(MilestoneSchema) }), "The milestones"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json({ milestones: await listPiMilestones(deps, c.get("actor"), art, pi) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/pis/{pi}/milestones",
      tags: ["Planning"],
      summary: "Add a milestone to a PI, on a date within it",
      request: { params: PiParams, ...jsonBody(MilestoneInput) },
      responses: { 201: json(MilestoneSchema, "The milestone"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await addMilestone(deps, c.get("actor"), art, pi, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/arts/{art}/pis/{pi}/milestones/{id}",
      tags: ["Planning"],
      summary: "Remove a milestone",
      request: { params: PiParams.extend({ id: ref }) },
      responses: { 204: { description: "Removed" }, ...errors },
    }),
    async (c) => {
      const { art, pi, id } = c.req.valid("param");
      await removeMilestone(deps, c.get("actor"), art, pi, id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/capacity",
      tags: ["Planning"],
      summary: "Each team's capacity in each iteration of a PI (the teams one may see, or `team`), with its velocity",
      request: { params: PiParams, query: CapacityQuery },
      responses: { 200: json(TeamCapacitySchema, "The capacities"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await getCapacity(deps, c.get("actor"), art, pi, c.req.valid("query")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/arts/{art}/teams/{team}/capacity/{iterationId}",
      tags: ["Planning"],
      summary: "Set a team's capacity in an iteration: its people, or points set directly",
      description:
        "The iteration is its id or 'PI name/number' (URL-encoded). Fields left out keep their value. Name the version " +
        "read (0 while never set); a stale one changes nothing and gets 409.",
      request: { params: TeamParams.extend({ iterationId: ref }), ...jsonBody(SetCapacityInput) },
      responses: { 200: json(CapacityEntrySchema, "The team's capacity in that iteration"), ...stale },
    }),
    async (c) => {
      const { art, team, iterationId } = c.req.valid("param");
      return c.json(await setCapacity(deps, c.get("actor"), art, team, iterationId, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/plan",
      tags: ["Planning"],
      summary: "The planning view of a PI: load against capacity per team and iteration, unplanned stories, allocation",
      description: "Move a story with `PATCH /items/{item}` and its `iterationId`.",
      request: { params: PiParams, query: CapacityQuery },
      responses: { 200: json(PlanSchema, "The plan"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await teamPlan(deps, c.get("actor"), art, pi, c.req.valid("query")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/objectives",
      tags: ["Planning"],
      summary: "A PI's objectives (the train's and those of the teams one may see) and predictability",
      request: { params: PiParams },
      responses: { 200: json(ObjectivesSchema, "The objectives"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await listPiObjectives(deps, c.get("actor"), art, pi), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/pis/{pi}/objectives",
      tags: ["Planning"],
      summary: "Write a PI objective of a team or of the train",
      description: "Needs `plan_pi` on the team (the ART for the train's); a planned value `score_business_value` too.",
      request: { params: PiParams, ...jsonBody(ObjectiveInput) },
      responses: { 201: json(ObjectiveSchema, "The objective"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await addObjective(deps, c.get("actor"), art, pi, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/objectives/{id}",
      tags: ["Planning"],
      summary: "Change a PI objective, naming the version read",
      description: "Planned and actual value need `score_business_value`; the other fields `plan_pi` on the team.",
      request: { params: IdParam, ...jsonBody(UpdateObjectiveInput) },
      responses: { 200: json(ObjectiveSchema, "The objective"), ...stale },
    }),
    async (c) => c.json(await updateObjective(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/objectives/{id}",
      tags: ["Planning"],
      summary: "Remove a PI objective, naming the version read",
      request: { params: IdParam, query: DeleteQuery },
      responses: { 204: { description: "Removed" }, ...stale },
    }),
    async (c) => {
      await removeObjective(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("query"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/risks",
      tags: ["Planning"],
      summary: "An ART's risks (the train's and those of the teams one may see), with counts per ROAM state",
      request: { params: ArtParam, query: RiskQuery },
      responses: { 200: json(RisksSchema, "The risks, oldest first"), ...errors },
    }),
    async (c) => c.json(await listArtRisks(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/risks",
      tags: ["Planning"],
      summary: "Record a risk of the train or of a team",
      request: { params: ArtParam, ...jsonBody(RiskInput) },
      responses: { 201: json(RiskSchema, "The risk"), ...errors },
    }),
    async (c) => c.json(await addRisk(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/risks/{id}",
      tags: ["Planning"],
      summary: "Change a risk (ROAM it, give it an owner…), naming the version read",
      request: { params: IdParam, ...jsonBody(UpdateRiskInput) },
      responses: { 200: json(RiskSchema, "The risk"), ...stale },
    }),
    async (c) => c.json(await updateRisk(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/risks/{id}",
      tags: ["Planning"],
      summary: "Remove a risk, naming the version read",
      request: { params: IdParam, query: DeleteQuery },
      responses: { 204: { description: "Removed" }, ...stale },
    }),
    async (c) => {
      await removeRisk(deps, c.get("actor"), c.req.valid("param").id, c.req.valid("query"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/pis/{pi}/confidence",
      tags: ["Planning"],
      summary: "The confidence vote of a PI: per team one may see and for the train, with one's own votes",
      request: { params: PiParams },
      responses: { 200: json(ConfidenceSchema, "The vote"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await getConfidence(deps, c.get("actor"), art, pi), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/arts/{art}/pis/{pi}/confidence",
      tags: ["Planning"],
      summary: "Vote 1–5 for a team or the train (fist of five); a later vote replaces one's earlier one",
      request: { params: PiParams, ...jsonBody(VoteInput) },
      responses: { 200: json(ConfidenceSchema, "The vote"), ...errors },
    }),
    async (c) => {
      const { art, pi } = c.req.valid("param");
      return c.json(await voteConfidence(deps, c.get("actor"), art, pi, c.req.valid("json")), 200);
    },
  );
}
