// Collaborative WSJF estimation sessions: starting and listing an ART's sessions, opening one, inviting, scoring,
// revealing, another round, confirming values onto the items, and closing.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { closeEstimationSession } from "../../use-cases/close-estimation-session.js";
import { ConfirmInput, confirmEstimation } from "../../use-cases/confirm-estimation.js";
import type { Deps } from "../../use-cases/deps.js";
import { InviteInput, inviteToEstimation, removeFromEstimation } from "../../use-cases/invite-to-estimation.js";
import { listEstimationSessionsOf, openEstimationSession } from "../../use-cases/open-estimation-session.js";
import { revealEstimation } from "../../use-cases/reveal-estimation.js";
import { RevoteInput, revoteEstimation } from "../../use-cases/revote-estimation.js";
import { ScoreInput, scoreEstimation } from "../../use-cases/score-estimation.js";
import { StartEstimationInput, startEstimationSession } from "../../use-cases/start-estimation-session.js";
import type { AppEnv } from "../auth.js";
import { EstimationSessionListSchema, EstimationSessionViewSchema, ProblemSchema } from "../schemas.js";
import { ArtParam, errors, json, jsonBody } from "./common.js";

const SessionParam = z.object({
  session: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "session", in: "path" }, description: "Estimation session id" }),
});

const tags = ["Estimation"];
const view = json(EstimationSessionViewSchema, "The session as the caller sees it");
const stateErrors = {
  ...errors,
  409: {
    description: "The session is in the wrong state for this (the message names it), or changed meanwhile",
    content: { "application/problem+json": { schema: ProblemSchema } },
  },
} as const;

export function estimationRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/estimation-sessions",
      tags,
      summary: "The ART's estimation sessions the caller may open, newest first",
      request: { params: ArtParam },
      responses: { 200: json(EstimationSessionListSchema, "The sessions"), ...errors },
    }),
    async (c) => c.json(await listEstimationSessionsOf(deps, c.get("actor"), c.req.valid("param").art), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/estimation-sessions",
      tags,
      summary: "Start an estimation session on program items of one level (needs the right to estimate each input)",
      request: { params: ArtParam, ...jsonBody(StartEstimationInput) },
      responses: { 201: json(EstimationSessionViewSchema, "The session started"), ...errors },
    }),
    async (c) =>
      c.json(await startEstimationSession(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/estimation-sessions/{session}",
      tags,
      summary: "An estimation session: before reveal only your own scores, the vote counts and who has finished",
      request: { params: SessionParam },
      responses: { 200: view, ...errors },
    }),
    async (c) => c.json(await openEstimationSession(deps, c.get("actor"), c.req.valid("param").session), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/estimation-sessions/{session}/participants",
      tags,
      summary: "Invite a person who can see the ART (the facilitator's)",
      request: { params: SessionParam, ...jsonBody(InviteInput) },
      responses: { 200: view, ...stateErrors },
    }),
    async (c) =>
      c.json(await inviteToEstimation(deps, c.get("actor"), c.req.valid("param").session, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/estimation-sessions/{session}/participants/{person}",
      tags,
      summary: "Remove a participant and their scores (the facilitator's)",
      request: {
        params: SessionParam.extend({
          person: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: "person", in: "path" }, description: "Person id" }),
        }),
      },
      responses: { 200: view, ...stateErrors },
    }),
    async (c) => {
      const { session, person } = c.req.valid("param");
      return c.json(await removeFromEstimation(deps, c.get("actor"), session, person), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/estimation-sessions/{session}/scores",
      tags,
      summary: "Set your own scores (participants, while scoring); a null value withdraws one",
      request: { params: SessionParam, ...jsonBody(ScoreInput) },
      responses: { 200: view, ...stateErrors },
    }),
    async (c) =>
      c.json(await scoreEstimation(deps, c.get("actor"), c.req.valid("param").session, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/estimation-sessions/{session}/reveal",
      tags,
      summary: "Reveal the scores to every participant (the facilitator's)",
      request: { params: SessionParam },
      responses: { 200: view, ...stateErrors },
    }),
    async (c) => c.json(await revealEstimation(deps, c.get("actor"), c.req.valid("param").session), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/estimation-sessions/{session}/revote",
      tags,
      summary: "Another round for some or all items: their unconfirmed scores are cleared (the facilitator's)",
      request: { params: SessionParam, ...jsonBody(RevoteInput, "Send {} to vote on every item again") },
      responses: { 200: view, ...stateErrors },
    }),
    async (c) =>
      c.json(await revoteEstimation(deps, c.get("actor"), c.req.valid("param").session, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/estimation-sessions/{session}/confirm",
      tags,
      summary: "Confirm values (the proposal unless given) onto the items, in one transaction (the facilitator's)",
      request: { params: SessionParam, ...jsonBody(ConfirmInput) },
      responses: {
        200: view,
        ...stateErrors,
        409: {
          description:
            "The session is not revealed, or an item changed since the given version (`current` is the item)",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
      },
    }),
    async (c) =>
      c.json(await confirmEstimation(deps, c.get("actor"), c.req.valid("param").session, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/estimation-sessions/{session}/close",
      tags,
      summary: "Close the session (the facilitator's)",
      request: { params: SessionParam },
      responses: { 200: view, ...stateErrors },
    }),
    async (c) => c.json(await closeEstimationSession(deps, c.get("actor"), c.req.valid("param").session), 200),
  );
}
