// The one table from error codes to HTTP statuses, and the RFC 9457 problem documents every error becomes.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { AppError, type ErrorCode, invalidFields } from "../core/errors.js";
import type { WorkItem } from "../core/work-item.js";
import { isTimeout } from "../store/db.js";
import { fieldIssues } from "../use-cases/item-input.js";
import { presentItem } from "./presenters.js";

type ProblemCode = ErrorCode | "too_large";

const STATUS: Record<ProblemCode, ContentfulStatusCode> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  version_required: 428,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  unavailable: 503,
  too_large: 413,
};

const TITLE: Record<ProblemCode, string> = {
  invalid: "Invalid request",
  not_found: "Not found",
  conflict: "Conflict",
  version_required: "Version required",
  unauthenticated: "Sign-in required",
  forbidden: "Forbidden",
  rate_limited: "Too many attempts",
  unavailable: "Service unavailable",
  too_large: "Request too large",
};

export function problem(c: Context, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) {
  c.header("Content-Type", "application/problem+json");
  const status = STATUS[code];
  const current = extra.current as WorkItem | undefined;
  if (current) c.header("ETag", `"${current.version}"`);
  if (typeof extra.retryAfter === "number") c.header("Retry-After", String(extra.retryAfter));
  return c.body(
    JSON.stringify({
      type: `https://trainyard.dev/problems/${code}`,
      title: TITLE[code],
      status,
      detail,
      code,
      ...extra,
      ...(current ? { current: presentItem(current) } : {}),
    }),
    status,
  );
}

/** Hono's onError: domain errors by their code, framework errors by their status, anything else as a 500 logged once. */
export function problemFor(err: Error, c: Context, log: (err: Error) => void) {
  if (err instanceof AppError) {
    return problem(c, err.code, err.message, {
      ...(err.fields.length ? { errors: err.fields } : {}),
      ...(err.data ?? {}),
    });
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return problem(c, "too_large", "The request body is larger than the server accepts.");
    if (status === 415) {
      return problem(c, "invalid", "Send the body as JSON.", {
        errors: [{ path: "Content-Type", message: "expected application/json" }],
      });
    }
    if (status === 400)
      return problem(c, "invalid", err.message || "Malformed request", {
        errors: [{ path: "(body)", message: err.message || "malformed JSON" }],
      });
    return problem(c, status === 404 ? "not_found" : "invalid", err.message);
  }
  if (isTimeout(err)) {
    return problem(c, "unavailable", "The database took too long to answer; try again in a moment.", { retryAfter: 1 });
  }
  log(err);
  c.header("Content-Type", "application/problem+json");
  return c.body(
    JSON.stringify({
      type: "about:blank",
      title: "Internal error",
      status: 500,
      detail: "Something went wrong on the server.",
      code: "internal",
    }),
    500,
  );
}

/** The validation hook of every route: zod issues become one `invalid` problem naming each field. */
export function validationFailed(error: ZodError, target: string): AppError {
  const fields = fieldIssues(error, target === "json" ? "(body)" : `(${target})`);
  return invalidFields(fields);
}
