// The one way the web app talks to the server: JSON over /api/v1 with the session cookie (changes echo the session's
// CSRF token), turning problem documents (RFC 9457) into ApiError with the code, the per-field messages and, on a
// version conflict, the item as it is now. A 401 means the session is over: the app shows the sign-in page.
import type {
  Account,
  ApiToken,
  Art,
  AuditKind,
  AuditPage,
  Comment,
  FindingDismissal,
  HistoryPage,
  Item,
  ItemDetail,
  ItemQuality,
  NewApiToken,
  PasswordLink,
  Person,
  Placement,
  QualityCheck,
  QualityDraft,
  QualityRule,
  Relation,
  RoleHolder,
  Session,
  TeamAlignment,
  TeamRefinement,
  WholeBacklog,
  WsjfGrid,
  WsjfOrderPreview,
} from "./types";

export const API = "/api/v1";
const CSRF_HEADER = "X-CSRF-Token";

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  /** On a 409 version conflict: the item as it is now. */
  readonly current: Item | undefined;
  /** On a 429: how many seconds to wait. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: Record<string, unknown> | null) {
    const detail = typeof body?.detail === "string" ? body.detail : `The server answered ${status}.`;
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = typeof body?.code === "string" ? body.code : "unknown";
    this.errors = Array.isArray(body?.errors) ? (body.errors as FieldError[]) : [];
    this.current = body?.current && typeof body.current === "object" ? (body.current as Item) : undefined;
    this.retryAfter = typeof body?.retryAfter === "number" ? body.retryAfter : undefined;
  }

  /** The message for one field (`title`, `acceptanceCriteria.2`, …), if the server named it. */
  fieldMessage(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** The item version the change was made on; sent as If-Match. */
  version?: number;
  signal?: AbortSignal;
}

/** The session's CSRF token, which every change made with the session cookie must echo (from GET /session). */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Calls that answer 401 as part of their job (a wrong password), not because the session ended. */
const SIGN_IN_PATHS = new Set(["/session", "/setup", "/password-links/redeem"]);

let onUnauthenticated: () => void = () => undefined;

/** What to do when the server says nobody is signed in (the session ended or was revoked): show the sign-in page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.version !== undefined) headers["If-Match"] = `"${options.version}"`;
  if (method !== "GET" && csrfToken) headers[CSRF_HEADER] = csrfToken;
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  return fetch(`${API}${path}`, init);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(path, options);
  let body = res.status === 204 ? null : await readBody(res);
  // The CSRF token this page holds is stale (e.g. someone signed in again in another tab): fetch the session's
  // current one and try once more.
  if (
    res.status === 403 &&
    (body as { reason?: unknown } | null)?.reason === "csrf" &&
    (options.method ?? "GET") !== "GET"
  ) {
    const session = await readBody(await send("/session", {}));
    const token = (session as { csrfToken?: string } | null)?.csrfToken;
    if (token && token !== csrfToken) {
      csrfToken = token;
      res = await send(path, options);
      body = res.status === 204 ? null : await readBody(res);
    }
  }
  if (res.ok) return (res.status === 204 ? undefined : body) as T;
  if (res.status === 401 && !SIGN_IN_PATHS.has(path)) onUnauthenticated();
  throw new ApiError(res.status, body as Record<string, unknown> | null);
}

const enc = encodeURIComponent;

export interface BacklogFilters {
  state?: string;
  type?: string;
  label?: string;
  team?: string;
  pi?: string;
  q?: string;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : "";
}

/** Remembers the CSRF token of a session the server handed out. */
const withSession = (session: Session): Session => {
  setCsrfToken(session.csrfToken);
  return session;
};

/** The calls the screens make, one per route. */
export const api = {
  session: () => request<Session>("/session").then(withSession),
  signIn: (input: { email: string; password: string }) =>
    request<Session>("/session", { method: "POST", body: input }).then(withSession),
  signOut: () => request<void>("/session", { method: "DELETE" }).finally(() => setCsrfToken(null)),
  createFirstAdmin: (input: { name: string; email: string; password: string }) =>
    request<Session>("/setup", { method: "POST", body: input }).then(withSession),
  redeemLink: (input: { link: string; password: string }) =>
    request<Session>("/password-links/redeem", { method: "POST", body: input }).then(withSession),
  changePassword: (input: { currentPassword: string; newPassword: string }) =>
    request<void>("/me/password", { method: "POST", body: input }),
  tokens: () => request<{ items: ApiToken[] }>("/tokens"),
  createToken: (name: string) => request<NewApiToken>("/tokens", { method: "POST", body: { name } }),
  revokeToken: (id: string) => request<void>(`/tokens/${enc(id)}`, { method: "DELETE" }),
  users: () => request<{ items: Account[] }>("/users"),
  invite: (input: { name: string; email: string; admin: boolean }) =>
    request<{ account: Account; link: PasswordLink }>("/users", { method: "POST", body: input }),
  updateUser: (id: string, changes: { admin?: boolean; active?: boolean }) =>
    request<Account>(`/users/${enc(id)}`, { method: "PATCH", body: changes }),
  resetPassword: (id: string) => request<PasswordLink>(`/users/${enc(id)}/password-reset`, { method: "POST" }),
  roles: (art: string) => request<{ items: RoleHolder[] }>(`/arts/${enc(art)}/roles`),
  grantRole: (art: string, input: { person: string; role: string; team?: string }) =>
    request<RoleHolder>(`/arts/${enc(art)}/roles`, { method: "POST", body: input }),
  revokeRole: (art: string, grant: string) =>
    request<void>(`/arts/${enc(art)}/roles/${enc(grant)}`, { method: "DELETE" }),
  audit: (filters: { kind?: AuditKind | undefined; cursor?: number | undefined; limit?: number }) =>
    request<AuditPage>(
      `/audit${query({ kind: filters.kind, cursor: filters.cursor?.toString(), limit: String(filters.limit ?? 100) })}`,
    ),
  artHistory: (art: string, filters: { team?: string | undefined; from?: string; cursor?: number | undefined }) =>
    request<HistoryPage>(
      `/arts/${enc(art)}/history${query({ team: filters.team, from: filters.from, cursor: filters.cursor?.toString(), limit: "1000" })}`,
    ),
  arts: () => request<{ items: Art[] }>("/arts"),
  createArt: (input: { key: string; name: string; teams: { key: string; name: string }[] }) =>
    request<Art>("/arts", { method: "POST", body: input }),
  loadDemo: () => request<{ artKey: string }>("/demo", { method: "POST" }),
  people: () => request<{ items: Person[] }>("/people"),
  programBacklog: (art: string, level: string, filters: BacklogFilters, signal?: AbortSignal) =>
    request<WholeBacklog>(`/arts/${enc(art)}/backlog/all${query({ level, ...filters })}`, signal ? { signal } : {}),
  teamBacklog: (art: string, team: string, filters: BacklogFilters, signal?: AbortSignal) =>
    request<WholeBacklog>(
      `/arts/${enc(art)}/teams/${enc(team)}/backlog/all${query({ ...filters, team: undefined })}`,
      signal ? { signal } : {},
    ),
  item: (ref: string) => request<ItemDetail>(`/items/${enc(ref)}`),
  createItem: (input: Record<string, unknown>) => request<Item>("/items", { method: "POST", body: input }),
  updateItem: (key: string, version: number, changes: Record<string, unknown>) =>
    request<Item>(`/items/${enc(key)}`, { method: "PATCH", body: changes, version }),
  moveItem: (key: string, placement: Placement, version: number) =>
    request<Item>(`/items/${enc(key)}/move`, { method: "POST", body: { ...placement, version } }),
  history: (key: string) => request<HistoryPage>(`/items/${enc(key)}/history?limit=1000`),
  comment: (key: string, body: string) =>
    request<Comment>(`/items/${enc(key)}/comments`, { method: "POST", body: { body } }),
  relate: (key: string, kind: string, target: string) =>
    request<Relation>(`/items/${enc(key)}/relations`, { method: "POST", body: { kind, target } }),
  wsjf: (art: string, level: string, signal?: AbortSignal) =>
    request<WsjfGrid>(`/arts/${enc(art)}/wsjf${query({ level })}`, signal ? { signal } : {}),
  /** Where the grid downloads as CSV (a plain link: the session cookie goes with it). */
  wsjfCsvUrl: (art: string, level: string) => `${API}/arts/${enc(art)}/wsjf.csv${query({ level })}`,
  wsjfOrder: (art: string, input: { level: string; pinned: string[]; dryRun: boolean }) =>
    request<WsjfOrderPreview>(`/arts/${enc(art)}/wsjf/order`, { method: "POST", body: input }),
  undoReorder: (art: string, reorderId: string) =>
    request<{ reorderId: string | null; moved: number }>(`/arts/${enc(art)}/reorders/${enc(reorderId)}/undo`, {
      method: "POST",
    }),
  alignment: (art: string, team: string, signal?: AbortSignal) =>
    request<TeamAlignment>(`/arts/${enc(art)}/teams/${enc(team)}/alignment`, signal ? { signal } : {}),
  align: (art: string, team: string) =>
    request<TeamAlignment>(`/arts/${enc(art)}/teams/${enc(team)}/alignment`, {
      method: "POST",
      body: { dryRun: false },
    }),
  unrelate: (key: string, relationId: string) =>
    request<void>(`/items/${enc(key)}/relations/${enc(relationId)}`, { method: "DELETE" }),
  /** The live quality check of a story as it is being edited (and its readiness, when a team is given). */
  qualityCheck: (art: string, draft: QualityDraft, signal?: AbortSignal) =>
    request<QualityCheck>(`/arts/${enc(art)}/quality/check`, {
      method: "POST",
      body: draft,
      ...(signal ? { signal } : {}),
    }),
  itemQuality: (key: string, signal?: AbortSignal) =>
    request<ItemQuality>(`/items/${enc(key)}/quality`, signal ? { signal } : {}),
  dismissFinding: (key: string, rule: QualityRule, reason: string) =>
    request<FindingDismissal>(`/items/${enc(key)}/quality/dismissals`, { method: "POST", body: { rule, reason } }),
  restoreFinding: (key: string, rule: QualityRule) =>
    request<void>(`/items/${enc(key)}/quality/dismissals/${enc(rule)}`, { method: "DELETE" }),
  teamRefinement: (art: string, team: string, signal?: AbortSignal) =>
    request<TeamRefinement>(`/arts/${enc(art)}/teams/${enc(team)}/refinement`, signal ? { signal } : {}),
};
