// Trains, their teams and PIs, and the people who work on them.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../../use-cases/deps.js";
import { HistoryQuery, listHistory } from "../../use-cases/item-history.js";
import {
  addPerson,
  addProgramIncrement,
  addTeam,
  CreateTrainInput,
  createTrain,
  getTrain,
  listPeopleOnTrains,
  listTrains,
  PersonInput,
  ProgramIncrementInput,
  TeamInput,
} from "../../use-cases/set-up-train.js";
import type { AppEnv } from "../auth.js";
import { ArtSchema, HistoryPageSchema, PersonSchema, PiSchema, TeamSchema } from "../schemas.js";
import { ArtParam, errors, json, jsonBody } from "./common.js";

export function trainRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts",
      tags: ["Trains"],
      summary: "Every ART with its teams, PIs and iterations",
      responses: { 200: json(z.object({ items: z.array(ArtSchema) }), "The trains") },
    }),
    async (c) => c.json({ items: await listTrains(deps, c.get("actor")) }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/arts",
      tags: ["Trains"],
      summary: "Create a train with its teams",
      request: jsonBody(CreateTrainInput),
      responses: { 201: json(ArtSchema, "The new train"), ...errors, 409: errors[400] },
    }),
    async (c) => c.json(await createTrain(deps, c.req.valid("json"), c.get("actor")), 201),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}",
      tags: ["Trains"],
      summary: "One ART",
      request: { params: ArtParam },
      responses: { 200: json(ArtSchema, "The train"), ...errors },
    }),
    async (c) => c.json(await getTrain(deps, c.req.valid("param").art, c.get("actor")), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/teams",
      tags: ["Trains"],
      summary: "Add a team to an ART",
      request: { params: ArtParam, ...jsonBody(TeamInput) },
      responses: { 201: json(TeamSchema, "The new team"), ...errors, 409: errors[400] },
    }),
    async (c) => c.json(await addTeam(deps, c.req.valid("param").art, c.req.valid("json"), c.get("actor")), 201),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/pis",
      tags: ["Trains"],
      summary: "Add a program increment with its iterations (the last is the IP iteration)",
      request: { params: ArtParam, ...jsonBody(ProgramIncrementInput) },
      responses: { 201: json(PiSchema, "The new PI"), ...errors, 409: errors[400] },
    }),
    async (c) =>
      c.json(await addProgramIncrement(deps, c.req.valid("param").art, c.req.valid("json"), c.get("actor")), 201),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/history",
      tags: ["Trains"],
      summary: "History of an ART, optionally of one team, in a time range",
      request: { params: ArtParam, query: HistoryQuery.omit({ art: true }) },
      responses: { 200: json(HistoryPageSchema, "Events, oldest first"), ...errors },
    }),
    async (c) =>
      c.json(await listHistory(deps, c.get("actor"), { ...c.req.valid("query"), art: c.req.valid("param").art }), 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/people",
      tags: ["People"],
      summary: "Everyone",
      responses: { 200: json(z.object({ items: z.array(PersonSchema) }), "People") },
    }),
    async (c) => c.json({ items: await listPeopleOnTrains(deps, c.get("actor")) }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/people",
      tags: ["People"],
      summary: "Add a person",
      request: jsonBody(PersonInput),
      responses: { 201: json(PersonSchema, "The new person"), ...errors, 409: errors[400] },
    }),
    async (c) => c.json(await addPerson(deps, c.req.valid("json"), c.get("actor")), 201),
  );
}
