// Customer feedback: recording and listing an ART's feedback, the feedback review (what to re-score), and linking
// feedback to items.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Feedback } from "../../core/feedback.js";
import type { Deps } from "../../use-cases/deps.js";
import { itemFeedback } from "../../use-cases/item-feedback.js";
import { LinkFeedbackInput, linkFeedback, unlinkFeedback } from "../../use-cases/link-feedback.js";
import { FeedbackQuery, listArtFeedback } from "../../use-cases/list-feedback.js";
import { FeedbackInput, recordFeedback } from "../../use-cases/record-feedback.js";
import { feedbackReview } from "../../use-cases/review-feedback.js";
import type { AppEnv } from "../auth.js";
import {
  FeedbackLinkSchema,
  FeedbackListSchema,
  FeedbackReviewSchema,
  ItemFeedbackSchema,
  RecordedFeedbackSchema,
} from "../schemas.js";
import { ArtParam, conflictErrors, errors, ItemParam, json, jsonBody } from "./common.js";

/** Exactly the fields of feedback that leave the server. */
const presentFeedback = (f: Feedback) => ({
  id: f.id,
  artId: f.artId,
  source: f.source,
  customer: f.customer,
  body: f.body,
  weight: f.weight,
  receivedOn: f.receivedOn,
  createdAt: f.createdAt,
  createdBy: f.createdBy,
});

export function feedbackRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/feedback",
      tags: ["Feedback"],
      summary: "An ART's customer feedback, newest first, with the items each is linked to",
      request: { params: ArtParam, query: FeedbackQuery },
      responses: { 200: json(FeedbackListSchema, "The feedback"), ...errors },
    }),
    async (c) => {
      const { items } = await listArtFeedback(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("query"));
      return c.json({ items: items.map((f) => ({ ...presentFeedback(f), items: f.items })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/feedback",
      tags: ["Feedback"],
      summary: "Record customer feedback (optionally linked to items at once)",
      request: { params: ArtParam, ...jsonBody(FeedbackInput) },
      responses: { 201: json(RecordedFeedbackSchema, "The feedback recorded"), ...errors },
    }),
    async (c) => {
      const f = await recordFeedback(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json"));
      return c.json({ ...presentFeedback(f), items: f.items }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/feedback/review",
      tags: ["Feedback"],
      summary: "Program items whose feedback arrived after their value was last estimated: what to re-score",
      request: { params: ArtParam },
      responses: { 200: json(FeedbackReviewSchema, "Heaviest new feedback first"), ...errors },
    }),
    async (c) => c.json(await feedbackReview(deps, c.get("actor"), c.req.valid("param").art), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{item}/feedback",
      tags: ["Feedback"],
      summary: "The feedback linked to an item, with its total weight",
      request: { params: ItemParam },
      responses: { 200: json(ItemFeedbackSchema, "The item's feedback"), ...errors },
    }),
    async (c) => {
      const f = await itemFeedback(deps, c.get("actor"), c.req.valid("param").item);
      return c.json({ ...f, items: f.items.map((x) => ({ ...presentFeedback(x), linkedAt: x.linkedAt })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/feedback",
      tags: ["Feedback"],
      summary: "Link feedback of the item's ART to the item",
      request: { params: ItemParam, ...jsonBody(LinkFeedbackInput) },
      responses: { 201: json(FeedbackLinkSchema, "Linked"), ...errors, 409: conflictErrors[409] },
    }),
    async (c) => c.json(await linkFeedback(deps, c.get("actor"), c.req.valid("param").item, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/items/{item}/feedback/{feedback}",
      tags: ["Feedback"],
      summary: "Unlink feedback from the item (the feedback stays)",
      request: { params: ItemParam.extend({ feedback: z.string().min(1).max(100) }) },
      responses: { 204: { description: "Unlinked" }, ...errors },
    }),
    async (c) => {
      const { item, feedback } = c.req.valid("param");
      await unlinkFeedback(deps, c.get("actor"), item, feedback);
      return c.body(null, 204);
    },
  );
}
