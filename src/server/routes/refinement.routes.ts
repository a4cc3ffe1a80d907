// Refinement: the live quality check of a story being written, the quality report of a team or a train, a story's
// findings and readiness, dismissing and restoring findings, and each team's refinement settings (quality rules,
// Definition of Ready, ready policy).
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { READY_CONDITIONS, READY_POLICIES } from "../../core/readiness.js";
import { QUALITY_RULES } from "../../core/story-quality.js";
import { STORY_STATES } from "../../core/work-item.js";
import { checkStoryDraft, StoryDraftInput } from "../../use-cases/check-story-quality.js";
import type { Deps } from "../../use-cases/deps.js";
import { DismissInput, dismissFinding, restoreFinding } from "../../use-cases/dismiss-finding.js";
import { QualityQuery, qualityReport } from "../../use-cases/quality-report.js";
import { itemQuality } from "../../use-cases/story-readiness.js";
import { getTeamRefinement, TeamRefinementInput, updateTeamRefinement } from "../../use-cases/team-refinement.js";
import type { AppEnv } from "../auth.js";
import { ArtParam, errors, ItemParam, json, jsonBody } from "./common.js";

const rule = z.enum(QUALITY_RULES);

const findingFields = z.object({
  rule,
  severity: z.enum(["error", "warning"]),
  message: z.string().describe("What is wrong with this story, naming what triggered it"),
  why: z.string().describe("Why the rule matters"),
  fix: z.string().describe("A concrete suggestion"),
  highlights: z
    .array(
      z.object({
        field: z.enum(["title", "description", "acceptanceCriteria"]),
        index: z.number().int().optional().describe("The criterion's position, for acceptanceCriteria"),
        start: z.number().int(),
        end: z.number().int(),
      }),
    )
    .describe("The words that triggered the finding: character ranges of the title, description or a criterion"),
  relatedKeys: z.array(z.string()).describe("Other stories the finding is about (a near-duplicate, a dependency)"),
});
export const FindingSchema = findingFields.openapi("Finding");
const ReportedFindingSchema = findingFields
  .extend({ words: z.array(z.string()).describe("The words each highlight points at") })
  .openapi("ReportedFinding");

export const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    checks: z.array(
      z.object({
        id: z.string().describe("A built-in condition, or the id of one of the team's manual items"),
        label: z.string(),
        met: z.boolean(),
        detail: z.string().describe("What is there, or what is missing"),
        manual: z.boolean().describe("One of the team's own items, ticked on the story (readyChecks)"),
      }),
    ),
    missing: z.array(z.string()).describe("The labels of the checks not met"),
  })
  .openapi("Readiness");

const DismissedSchema = z.object({
  rule,
  reason: z.string(),
  by: z.string().nullable().describe("Who dismissed it (a person id)"),
  at: z.string(),
  finding: FindingSchema.nullable().describe("The finding as it would be now; null when the rule finds nothing now"),
});

const QualityCheckSchema = z
  .object({
    findings: z.array(FindingSchema),
    readiness: ReadinessSchema.nullable().describe("Against the team's Definition of Ready; null without a team"),
  })
  .openapi("QualityCheck");

const QualityReportSchema = z
  .object({
    stories: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        title: z.string(),
        teamId: z.string().nullable(),
        state: z.enum(STORY_STATES),
        points: z.number().nullable(),
        findings: z.array(ReportedFindingSchema),
        dismissed: z.array(rule).describe("Rules whose finding was dismissed on this story"),
      }),
    ),
    byRule: z.record(rule, z.number().int()).describe("Findings per rule"),
    checked: z.number().int().describe("Stories checked (those not done, accepted or closed as split)"),
  })
  .openapi("QualityReport");

const ItemQualitySchema = z
  .object({
    findings: z.array(FindingSchema).describe("Open findings (dismissed ones left out)"),
    dismissed: z.array(DismissedSchema),
    readiness: ReadinessSchema,
  })
  .openapi("ItemQuality");

const DismissalSchema = DismissedSchema.extend({ id: z.string(), itemId: z.string(), key: z.string() }).openapi(
  "FindingDismissal",
);

const TeamRefinementSchema = z
  .object({
    teamId: z.string(),
    settings: z.object({
      quality: z.object({
        disabled: z.array(rule),
        smallMaxPoints: z.number(),
        velocityShare: z.number(),
        duplicateSimilarity: z.number(),
      }),
      definitionOfReady: z.object({
        conditions: z.array(z.enum(READY_CONDITIONS)),
        manual: z.array(z.object({ id: z.string(), label: z.string() })),
      }),
      readyPolicy: z.enum(READY_POLICIES),
      capacityPerIteration: z.number().nullable(),
      staleAfterDays: z.number().int(),
    }),
    version: z.number().int().describe("Name it when saving; 0 while the team has never saved settings"),
  })
  .openapi("TeamRefinement");

const TeamParams = ArtParam.extend({ team: z.string().min(1).max(100) });

export function refinementRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/quality/check",
      tags: ["Refinement"],
      summary: "Check a story while it is being written: its findings, and its readiness when a team is given",
      description:
        "Nothing is written. Name the story being edited (`item`) to leave it out of its own duplicates and count its " +
        "dependencies; its dismissed findings are left out.",
      request: { params: ArtParam, ...jsonBody(StoryDraftInput) },
      responses: { 200: json(QualityCheckSchema, "The findings and readiness"), ...errors },
    }),
    async (c) =>
      c.json(await checkStoryDraft(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/quality",
      tags: ["Refinement"],
      summary: "The quality report of a train's or a team's stories still to be built, in ranked order",
      request: { params: ArtParam, query: QualityQuery },
      responses: { 200: json(QualityReportSchema, "The stories with findings, and the findings per rule"), ...errors },
    }),
    async (c) => c.json(await qualityReport(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{item}/quality",
      tags: ["Refinement"],
      summary: "A story's open findings, its dismissed ones with their reasons, and its readiness",
      request: { params: ItemParam },
      responses: { 200: json(ItemQualitySchema, "The story's quality"), ...errors },
    }),
    async (c) => c.json(await itemQuality(deps, c.get("actor"), c.req.valid("param").item), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/quality/dismissals",
      tags: ["Refinement"],
      summary: "Dismiss one of a story's findings with a reason (kept in its history)",
      request: { params: ItemParam, ...jsonBody(DismissInput) },
      responses: {
        201: json(DismissalSchema, "Dismissed"),
        ...errors,
        409: { ...errors[400], description: "That finding is dismissed already" },
      },
    }),
    async (c) =>
      c.json(await dismissFinding(deps, c.get("actor"), c.req.valid("param").item, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/items/{item}/quality/dismissals/{rule}",
      tags: ["Refinement"],
      summary: "Restore a dismissed finding: it counts again",
      request: { params: ItemParam.extend({ rule: z.string().min(1).max(40) }) },
      responses: { 204: { description: "Restored" }, ...errors },
    }),
    async (c) => {
      const { item, rule } = c.req.valid("param");
      await restoreFinding(deps, c.get("actor"), item, rule);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/teams/{team}/refinement",
      tags: ["Refinement"],
      summary: "A team's refinement settings: quality rules and thresholds, Definition of Ready, ready policy",
      request: { params: TeamParams },
      responses: { 200: json(TeamRefinementSchema, "The settings (the defaults, version 0, until saved)"), ...errors },
    }),
    async (c) => {
      const { art, team } = c.req.valid("param");
      return c.json(await getTeamRefinement(deps, c.get("actor"), art, team), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/arts/{art}/teams/{team}/refinement",
      tags: ["Refinement"],
      summary: "Replace a team's refinement settings, naming the version read",
      description: "A stale version changes nothing and gets 409. Manual items sent without an id get one.",
      request: { params: TeamParams, ...jsonBody(TeamRefinementInput) },
      responses: {
        200: json(TeamRefinementSchema, "The settings saved"),
        ...errors,
        409: { ...errors[400], description: "Changed by someone else since the given version" },
      },
    }),
    async (c) => {
      const { art, team } = c.req.valid("param");
      return c.json(await updateTeamRefinement(deps, c.get("actor"), art, team, c.req.valid("json")), 200);
    },
  );
}
