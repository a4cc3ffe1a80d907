// Items: create, open, edit (with If-Match), move, history, comments and relations.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { CommentInput, commentOnItem } from "../../use-cases/comment-on-item.js";
import { createItem } from "../../use-cases/create-items.js";
import type { Deps } from "../../use-cases/deps.js";
import { getItem } from "../../use-cases/get-item.js";
import { listHistory } from "../../use-cases/item-history.js";
import { CreateItemInput, UpdateItemInput } from "../../use-cases/item-input.js";
import { MoveItemInput, moveItem } from "../../use-cases/move-item.js";
import { RelateInput, relateItems, unrelateItems } from "../../use-cases/relate-items.js";
import { updateItem } from "../../use-cases/update-item.js";
import type { AppEnv } from "../auth.js";
import { etagOf, presentItem } from "../presenters.js";
import { CommentSchema, HistoryPageSchema, ItemDetailSchema, ItemSchema, RelationSchema } from "../schemas.js";
import { conflictErrors, errors, IfMatchHeader, ItemParam, ifMatchVersion, json, jsonBody } from "./common.js";

export function itemRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/items",
      tags: ["Items"],
      summary: "Create an item (at the bottom of its backlog unless placed)",
      request: jsonBody(CreateItemInput),
      responses: { 201: json(ItemSchema, "The new item"), ...errors },
    }),
    async (c) => {
      const item = await createItem(deps, c.req.valid("json"), c.get("actor"));
      c.header("ETag", etagOf(item.version));
      c.header("Location", `/api/v1/items/${item.key}`);
      return c.json(presentItem(item), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{item}",
      tags: ["Items"],
      summary: "Open an item: fields, ancestors, children, relations, comments",
      request: { params: ItemParam },
      responses: { 200: json(ItemDetailSchema, "The item and its surroundings"), ...errors },
    }),
    async (c) => {
      const detail = await getItem(deps, c.req.valid("param").item, c.get("actor"));
      c.header("ETag", etagOf(detail.item.version));
      return c.json({ ...detail, item: presentItem(detail.item) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/items/{item}",
      tags: ["Items"],
      summary: "Edit an item's fields",
      description:
        "Send If-Match with the item's ETag (or a `version` field). A stale version changes nothing and gets 409.",
      request: { params: ItemParam, headers: IfMatchHeader, ...jsonBody(UpdateItemInput) },
      responses: { 200: json(ItemSchema, "The item after the edit"), ...conflictErrors },
    }),
    async (c) => {
      const version = ifMatchVersion(c.req.valid("header")["if-match"]);
      const item = await updateItem(deps, c.req.valid("param").item, c.req.valid("json"), c.get("actor"), version);
      c.header("ETag", etagOf(item.version));
      return c.json(presentItem(item), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/move",
      tags: ["Items"],
      summary: "Move an item to the top or bottom of its backlog, or before or after another item of it",
      request: { params: ItemParam, headers: IfMatchHeader, ...jsonBody(MoveItemInput) },
      responses: { 200: json(ItemSchema, "The moved item"), ...conflictErrors },
    }),
    async (c) => {
      const version = ifMatchVersion(c.req.valid("header")["if-match"]);
      const item = await moveItem(deps, c.req.valid("param").item, c.req.valid("json"), c.get("actor"), version);
      c.header("ETag", etagOf(item.version));
      return c.json(presentItem(item), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/items/{item}/history",
      tags: ["Items"],
      summary: "An item's history: who changed what, when, from what to what",
      request: {
        params: ItemParam,
        query: z.object({
          cursor: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
      },
      responses: { 200: json(HistoryPageSchema, "Events, oldest first"), ...errors },
    }),
    async (c) =>
      c.json(
        await listHistory(deps, c.get("actor"), { ...c.req.valid("query"), item: c.req.valid("param").item }),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/comments",
      tags: ["Items"],
      summary: "Comment on an item (markdown)",
      request: { params: ItemParam, ...jsonBody(CommentInput) },
      responses: { 201: json(CommentSchema, "The comment"), ...errors },
    }),
    async (c) => c.json(await commentOnItem(deps, c.req.valid("param").item, c.req.valid("json"), c.get("actor")), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/items/{item}/relations",
      tags: ["Items"],
      summary: "Relate the item to another: depends_on, blocks, relates_to, split_from, duplicates",
      request: { params: ItemParam, ...jsonBody(RelateInput) },
      responses: {
        201: json(RelationSchema, "The relation, as seen from this item"),
        ...errors,
        409: conflictErrors[409],
      },
    }),
    async (c) => {
      const relation = await relateItems(deps, c.req.valid("param").item, c.req.valid("json"), c.get("actor"));
      return c.json(relation, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/items/{item}/relations/{relation}",
      tags: ["Items"],
      summary: "Remove a relation",
      request: { params: ItemParam.extend({ relation: z.string().min(1).max(100) }) },
      responses: { 204: { description: "Removed" }, ...errors },
    }),
    async (c) => {
      const { item, relation } = c.req.valid("param");
      await unrelateItems(deps, item, relation, c.get("actor"));
      return c.body(null, 204);
    },
  );
}
