// Administering people: accounts (invite, reset a password, make administrator, deactivate), roles on ARTs and
// teams, and the audit trail.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AuditQuery, listAuditTrail } from "../../use-cases/audit-trail.js";
import type { Deps } from "../../use-cases/deps.js";
import { GrantInput, grantRole, listRoles, revokeRole } from "../../use-cases/grant-roles.js";
import {
  AccountPatch,
  InviteInput,
  inviteUser,
  listAccounts,
  type PasswordLink,
  resetPassword,
  updateAccount,
} from "../../use-cases/manage-accounts.js";
import { type AppEnv, isHttps } from "../auth.js";
import { AccountSchema, AuditPageSchema, PasswordLinkSchema, RoleHolderSchema } from "../schemas.js";
import { ArtParam, errors, json, jsonBody } from "./common.js";

const UserParam = z.object({
  user: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "user", in: "path" }, description: "The person's id or email" }),
});

export function accountRoutes(app: OpenAPIHono<AppEnv>, deps: Deps, options: { trustProxy: boolean }) {
  /** The link a person opens to set their password: the secret rides in the fragment, which browsers never send. */
  const linkUrl = (c: Context, link: PasswordLink) => {
    const url = new URL(c.req.url);
    const host = (options.trustProxy && c.req.header("x-forwarded-host")) || url.host;
    return {
      purpose: link.purpose,
      url: `${isHttps(c, options.trustProxy) ? "https" : "http"}://${host}/welcome#${link.secret}`,
      expiresAt: link.expiresAt,
    };
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/users",
      tags: ["Accounts"],
      summary: "Every account with its roles (administrators); active accounts to grant roles to (RTEs)",
      responses: { 200: json(z.object({ items: z.array(AccountSchema) }), "The accounts"), ...errors },
    }),
    async (c) => c.json({ items: await listAccounts(deps, c.get("actor")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/users",
      tags: ["Accounts"],
      summary: "Invite someone: an account and a one-time link (valid a week) for them to set their password",
      request: jsonBody(InviteInput),
      responses: {
        201: json(z.object({ account: AccountSchema, link: PasswordLinkSchema }), "The account and its link"),
        ...errors,
        409: errors[400],
      },
    }),
    async (c) => {
      const { account, link } = await inviteUser(deps, c.get("actor"), c.req.valid("json"), c.get("origin"));
      return c.json({ account, link: linkUrl(c, link) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/users/{user}",
      tags: ["Accounts"],
      summary: "Make or remove an administrator; deactivate (ends sessions and tokens) or reactivate an account",
      request: { params: UserParam, ...jsonBody(AccountPatch) },
      responses: { 200: json(AccountSchema, "The account"), ...errors, 409: errors[400] },
    }),
    async (c) =>
      c.json(
        await updateAccount(deps, c.get("actor"), c.req.valid("param").user, c.req.valid("json"), c.get("origin")),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/users/{user}/password-reset",
      tags: ["Accounts"],
      summary: "Reset someone's password: a one-time link (valid a day) for them to set a new one",
      request: { params: UserParam },
      responses: { 201: json(PasswordLinkSchema, "The link"), ...errors, 409: errors[400] },
    }),
    async (c) => {
      const link = await resetPassword(deps, c.get("actor"), c.req.valid("param").user, c.get("origin"));
      return c.json(linkUrl(c, link), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/arts/{art}/roles",
      tags: ["Accounts"],
      summary: "Who holds which role on an ART and its teams",
      request: { params: ArtParam },
      responses: { 200: json(z.object({ items: z.array(RoleHolderSchema) }), "The roles"), ...errors },
    }),
    async (c) => c.json({ items: await listRoles(deps, c.get("actor"), c.req.valid("param").art) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/arts/{art}/roles",
      tags: ["Accounts"],
      summary: "Grant a role on the ART, or with `team` on one of its teams",
      request: { params: ArtParam, ...jsonBody(GrantInput) },
      responses: { 201: json(RoleHolderSchema, "The grant"), ...errors, 409: errors[400] },
    }),
    async (c) =>
      c.json(
        await grantRole(deps, c.get("actor"), c.req.valid("param").art, c.req.valid("json"), c.get("origin")),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/arts/{art}/roles/{grant}",
      tags: ["Accounts"],
      summary: "Revoke a role",
      request: { params: ArtParam.extend({ grant: z.string().min(1).max(100) }) },
      responses: { 204: { description: "Revoked" }, ...errors },
    }),
    async (c) => {
      const { art, grant } = c.req.valid("param");
      await revokeRole(deps, c.get("actor"), art, grant, c.get("origin"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/audit",
      tags: ["Accounts"],
      summary: "The audit trail, newest first: sign-ins and failures, account, role and token events",
      description: "Every backlog change with its author is the ART's history: GET /arts/{art}/history.",
      request: { query: AuditQuery },
      responses: { 200: json(AuditPageSchema, "One page of the trail"), ...errors },
    }),
    async (c) => c.json(await listAuditTrail(deps, c.get("actor"), c.req.valid("query")), 200),
  );
}
