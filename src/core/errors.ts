// The one error type of the domain: a stable code from a closed set, a message a person can act on, optional field details.
// The core never names an HTTP status; the server maps codes to statuses in one table.

export type ErrorCode =
  | "invalid"
  | "not_found"
  | "conflict"
  | "version_required"
  | "unauthenticated"
  | "forbidden"
  | "rate_limited"
  | "unavailable";

export interface FieldIssue {
  /** Dotted path of the field, e.g. `title` or `acceptanceCriteria.2`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldIssue[];
  /** Extra data for the caller, e.g. the current state of an item after a version conflict. */
  readonly data: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: FieldIssue[]; data?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields ?? [];
    this.data = options.data;
  }
}

export const invalid = (path: string, message: string): AppError =>
  new AppError("invalid", `${path}: ${message}`, { fields: [{ path, message }] });

export const notFound = (what: string, ref: string): AppError => new AppError("not_found", `No ${what} '${ref}'.`);

/** One `invalid` error naming every field that is wrong. */
export const invalidFields = (fields: FieldIssue[]): AppError =>
  new AppError("invalid", fields.map((f) => `${f.path}: ${f.message}`).join("; "), { fields });
