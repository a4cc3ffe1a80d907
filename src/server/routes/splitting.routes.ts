// Splitting a story (suggestions, then the split itself) and breaking a feature down into stories (drafts, then the
// stories created), over the use cases in split-story.ts and break-down-feature.ts.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { SPLIT_PATTERNS } from "../../core/story-splitting.js";
import { BreakdownInput, breakDownFeature, breakdownDrafts } from "../../use-cases/break-down-feature.js";
import type { Deps } from "../../use-cases/deps.js";
import { SplitStoryInput, splitStory, splitSuggestions } from "../../use-cases/split-story.js";
import type { AppEnv } from "../auth.js";
import { presentItem } from "../presenters.js";
import { ItemSchema } from "../schemas.js";
import { conflictErrors, errors, IfMatchHeader, ItemParam, ifMatchVersion, json, jsonBody } from "./common.js";

const CriterionSchema = z.object({ text: z.string(), met: z.boolean() });
const ProposedStorySchema = z.object({
  title: z.string(),
  description: z.string(),
  acceptanceCriteria: z.array(CriterionSchema).describe("The original's criteria moved to this story"),
  points: z.number().nullable().describe("Null: each new story is estimated afresh"),
});

export const SplitSuggestionsSchema = z
  .object({
    suggestions: z.array(
      z.object({
        pattern: z.enum(SPLIT_PATTERNS),
        label: z.string(),
        rationale: z.string().describe("The cue found in the story and why it suggests this split"),
        stories: z.array(ProposedStorySchema),
      }),
    ),
  })
  .openapi("SplitSuggestions");

export const SplitResultSchema = z
  .object({
    original: ItemSchema.describe("The story, closed as split"),
    stories: z.array(ItemSchema).describe("The new stories, in rank order where the original was"),
  })
  .openapi("SplitResult");

export const BreakdownDraftsSchema = z
  .object({
    drafts: z.array(
      ProposedStorySchema.extend({
        points: z.null(),
        teamId: z.string().nullable().describe("The feature's first team"),
      }),
    ),
    teams: z
      .array(z.object({ id: z.string(), key: z.string(), name: z.string() }))
      .describe("The feature's teams, or every team of the ART when it names none"),
  })
  .openapi("BreakdownDrafts");

export const BreakdownResultSchema = z
  .object({ stories: z.array(ItemSchema).describe("The new stories, in the order given") })
  .openapi("BreakdownResult");

export function splittingRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{item}/split-suggestions",
      tags: ["Refinement"],
      summary: "Suggested splits of a story: the pattern, the cue behind it, and concrete stories with criteria moved",
      request: { params: ItemParam },
      responses: { 200: json(SplitSuggestionsSchema, "Suggestions, strongest cue first"), ...errors },
    }),
    async (c) => c.json(await splitSuggestions(deps, c.req.valid("param").item, c.get("actor")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/split",
      tags: ["Refinement"],
      summary: "Split a story into 2 to 10 stories that take its rank; the story is closed as split",
      description:
        "The new stories keep the story's team, parent feature, type, PI and iteration, are linked to it as `split " +
        "from`, and take its place in the team backlog in the order given. Send the story's version (If-Match or " +
        "`version`); a stale one, or a story done, accepted or split already, gets 409.",
      request: { params: ItemParam, headers: IfMatchHeader, ...jsonBody(SplitStoryInput) },
      responses: { 201: json(SplitResultSchema, "The closed story and its new stories"), ...conflictErrors },
    }),
    async (c) => {
      const version = ifMatchVersion(c.req.valid("header")["if-match"]);
      const r = await splitStory(deps, c.req.valid("param").item, c.req.valid("json"), c.get("actor"), version);
      return c.json({ original: presentItem(r.original), stories: r.stories.map(presentItem) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{item}/breakdown",
      tags: ["Refinement"],
      summary: "Story drafts for a feature, from its acceptance criteria, workflow steps or title",
      request: { params: ItemParam },
      responses: { 200: json(BreakdownDraftsSchema, "Drafts and the teams they may go to"), ...errors },
    }),
    async (c) => c.json(await breakdownDrafts(deps, c.req.valid("param").item, c.get("actor")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/breakdown",
      tags: ["Refinement"],
      summary: "Create stories under a feature in one step, ranked under the feature in each team backlog",
      request: { params: ItemParam, ...jsonBody(BreakdownInput) },
      responses: { 201: json(BreakdownResultSchema, "The new stories"), ...errors },
    }),
    async (c) => {
      const r = await breakDownFeature(deps, c.req.valid("param").item, c.req.valid("json"), c.get("actor"));
      return c.json({ stories: r.stories.map(presentItem) }, 201);
    },
  );
}
