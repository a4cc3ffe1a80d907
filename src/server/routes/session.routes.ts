// Signing in and out, the first administrator, password links, and one's own account: password and API tokens.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createToken, listTokens, revokeToken, TokenInput } from "../../use-cases/api-tokens.js";
import type { Deps } from "../../use-cases/deps.js";
import {
  ChangePasswordInput,
  changePassword,
  createFirstAdmin,
  FirstAdminInput,
  getOwnAccount,
  needsFirstAdmin,
  SetPasswordInput,
  setPasswordWithLink,
} from "../../use-cases/manage-accounts.js";
import { type NewSession, SignInInput, signIn, signOut } from "../../use-cases/sign-in.js";
import { type AppEnv, clearSessionCookie, memberOf, setSessionCookie } from "../auth.js";
import { AccountSchema, ApiTokenSchema, SessionSchema } from "../schemas.js";
import { errors, json, jsonBody } from "./common.js";

const signedInErrors = {
  ...errors,
  429: { ...errors[400], description: "Too many failed sign-ins from this address" },
};

export function sessionRoutes(app: OpenAPIHono<AppEnv>, deps: Deps, options: { trustProxy: boolean }) {
  const started = async (c: Parameters<typeof setSessionCookie>[0], session: NewSession) => {
    setSessionCookie(c, session, options.trustProxy);
    return {
      signedIn: true,
      needsFirstAdmin: false,
      account: await getOwnAccount(deps, session.personId),
      csrfToken: session.csrfToken,
    };
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/session",
      tags: ["Session"],
      summary:
        "Who is signed in (with the CSRF token for changes), or whether the first administrator is still to come",
      responses: { 200: json(SessionSchema, "The session") },
    }),
    async (c) => {
      const member = c.get("member");
      const csrfToken = c.get("csrfToken");
      if (!member) return c.json({ signedIn: false, needsFirstAdmin: await needsFirstAdmin(deps) }, 200);
      return c.json(
        {
          signedIn: true,
          needsFirstAdmin: false,
          account: await getOwnAccount(deps, member.personId),
          ...(csrfToken ? { csrfToken } : {}),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/session",
      tags: ["Session"],
      summary: "Sign in with email and password: sets the session cookie",
      description:
        "Every failure answers the same 401, whether or not the account exists. After five failures in a row an " +
        "account locks for 30 s, doubling up to 15 minutes; an address with 20 failures in 15 minutes gets 429.",
      request: jsonBody(SignInInput),
      responses: { 200: json(SessionSchema, "Signed in"), ...signedInErrors },
    }),
    async (c) => c.json(await started(c, await signIn(deps, c.req.valid("json"), c.get("origin"))), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/session",
      tags: ["Session"],
      summary: "Sign out: ends this session",
      responses: { 204: { description: "Signed out" }, ...errors },
    }),
    async (c) => {
      const token = c.get("sessionToken");
      if (token) await signOut(deps, token, memberOf(c).personId, c.get("origin"));
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/setup",
      tags: ["Session"],
      summary: "Create the first administrator (only while there is none) and sign them in",
      request: jsonBody(FirstAdminInput),
      responses: { 201: json(SessionSchema, "The administrator, signed in"), ...errors, 409: errors[400] },
    }),
    async (c) => c.json(await started(c, await createFirstAdmin(deps, c.req.valid("json"), c.get("origin"))), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/password-links/redeem",
      tags: ["Session"],
      summary: "Set a password with a one-time link (an invitation or a reset) and sign in",
      request: jsonBody(SetPasswordInput),
      responses: { 200: json(SessionSchema, "Signed in with the new password"), ...errors },
    }),
    async (c) => c.json(await started(c, await setPasswordWithLink(deps, c.req.valid("json"), c.get("origin"))), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["Session"],
      summary: "One's own account and roles",
      responses: { 200: json(AccountSchema, "The account"), ...errors },
    }),
    async (c) => c.json(await getOwnAccount(deps, memberOf(c).personId), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/me/password",
      tags: ["Session"],
      summary: "Change one's password (ends one's other sessions)",
      request: jsonBody(ChangePasswordInput),
      responses: { 204: { description: "Changed" }, ...errors },
    }),
    async (c) => {
      await changePassword(deps, memberOf(c).personId, c.req.valid("json"), c.get("sessionToken"), c.get("origin"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/tokens",
      tags: ["Session"],
      summary: "One's personal API tokens (never the tokens themselves)",
      responses: { 200: json(z.object({ items: z.array(ApiTokenSchema) }), "The tokens"), ...errors },
    }),
    async (c) => c.json({ items: await listTokens(deps, memberOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/tokens",
      tags: ["Session"],
      summary: "Make a personal API token: shown once, in this response",
      request: jsonBody(TokenInput),
      responses: {
        201: json(
          ApiTokenSchema.extend({ token: z.string().describe("Send as Authorization: Bearer <token>") }),
          "The token",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { token, info } = await createToken(deps, memberOf(c), c.req.valid("json"), c.get("origin"));
      return c.json({ ...info, token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/tokens/{token}",
      tags: ["Session"],
      summary: "Revoke a personal API token (an administrator may revoke anyone's)",
      request: { params: z.object({ token: z.string().min(1).max(100) }) },
      responses: { 204: { description: "Revoked" }, ...errors },
    }),
    async (c) => {
      await revokeToken(deps, memberOf(c), c.req.valid("param").token, c.get("origin"));
      return c.body(null, 204);
    },
  );
}
