// Who is behind each API request, and whether they may make it at all: a personal API token (Authorization: Bearer)
// or a session cookie. Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token and, when the
// browser says where they come from, come from this server's own origin. Only the few public routes (health, the
// API document, signing in, the first administrator, password links) answer without either.
import { timingSafeEqual } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_MAX_MS } from "../core/account.js";
import { AppError } from "../core/errors.js";
import type { Actor, Member } from "../core/permissions.js";
import { authenticateSession, authenticateToken } from "../use-cases/authenticate.js";
import type { Deps } from "../use-cases/deps.js";
import type { NewSession, RequestOrigin } from "../use-cases/sign-in.js";

export type AppEnv = {
  Variables: {
    /** The signed-in person; routes that need someone read it through `memberOf`. */
    member: Member | null;
    actor: Actor;
    /** The session cookie's value, when the request came with one that is valid. */
    sessionToken: string | null;
    /** That session's CSRF token, which its writes must echo. */
    csrfToken: string | null;
    origin: RequestOrigin;
    /** Checks the request's credentials again (long-lived streams do, so sign-out or a lost role ends them). */
    reauthenticate: () => Promise<Member | null>;
  };
};

export const SESSION_COOKIE = "trainyard_session";
export const CSRF_HEADER = "X-CSRF-Token";

/** Routes anyone may call, signed in or not (method and path under /api/v1). Everything else needs a person. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  "GET /health",
  "GET /openapi.json",
  "GET /session",
  "POST /session",
  "POST /setup",
  "POST /password-links/redeem",
]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface AuthOptions {
  /** Trust X-Forwarded-For and X-Forwarded-Proto (a TLS-terminating proxy in front). */
  trustProxy: boolean;
}

function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // in-process requests (tests) have no socket
  }
}

export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The route key of a request: its method and path below /api/v1. */
export const routeKey = (c: Context) => `${c.req.method} ${c.req.path.replace(/^\/api\/v1/, "") || "/"}`;

export function authMiddleware(deps: Deps, options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin: RequestOrigin = { ip: clientIp(c, options.trustProxy) };
    c.set("origin", origin);
    c.set("member", null);
    c.set("sessionToken", null);
    c.set("csrfToken", null);

    if (!SAFE_METHODS.has(c.req.method)) checkOrigin(c);
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = getCookie(c, SESSION_COOKIE);
    c.set("reauthenticate", async () => null);
    if (bearer) {
      c.set("reauthenticate", () => authenticateToken(deps, bearer, origin));
      const member = await authenticateToken(deps, bearer, origin);
      if (!member) throw new AppError("unauthenticated", "This API token is not valid: it is unknown or revoked.");
      c.set("member", member);
    } else if (cookie) {
      const session = await authenticateSession(deps, cookie);
      if (session) {
        if (!SAFE_METHODS.has(c.req.method)) checkCsrf(c, session.csrfToken);
        c.set("reauthenticate", async () => (await authenticateSession(deps, cookie))?.member ?? null);
        c.set("member", session.member);
        c.set("sessionToken", cookie);
        c.set("csrfToken", session.csrfToken);
      } else if (!PUBLIC_ROUTES.has(routeKey(c))) {
        deleteCookie(c, SESSION_COOKIE, { path: "/" });
      }
    }
    const member = c.get("member");
    if (!member && !PUBLIC_ROUTES.has(routeKey(c))) {
      c.header("WWW-Authenticate", 'Bearer realm="trainyard"');
      throw new AppError("unauthenticated", "Sign in first, or send a personal API token as a Bearer token.");
    }
    if (member) c.set("actor", member);
    await next();
  };
}

/** A browser names the page a write comes from; a write from another site's page is refused, signed in or not. */
function checkOrigin(c: Context): void {
  const from = c.req.header("origin");
  if (from && from !== new URL(c.req.url).origin && from !== forwardedOrigin(c)) {
    throw new AppError("forbidden", "This request came from another site.", { data: { reason: "csrf" } });
  }
}

function checkCsrf(c: Context, expected: string): void {
  const sent = c.req.header(CSRF_HEADER);
  if (!sent || !same(sent, expected)) {
    throw new AppError("forbidden", `Send the session's CSRF token in ${CSRF_HEADER} with every change.`, {
      data: { reason: "csrf" },
    });
  }
}

function forwardedOrigin(c: Context): string | null {
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
  return proto && host ? `${proto}://${host}` : null;
}

/** The signed-in person; only public routes can get here without one, and they don't call this. */
export function memberOf(c: Context<AppEnv>): Member {
  const member = c.get("member");
  if (!member) throw new AppError("unauthenticated", "Sign in first.");
  return member;
}

/** Hands a new session to the browser: an HttpOnly, SameSite cookie, Secure over TLS. */
export function setSessionCookie(c: Context, session: NewSession, trustProxy: boolean): void {
  setCookie(c, SESSION_COOKIE, session.sessionToken, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c, trustProxy),
    path: "/",
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}
