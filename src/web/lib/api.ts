// The one way the web app talks to the server: JSON over /api/v1, naming who is acting, and turning problem documents
// (RFC 9457) into ApiError with the code, the per-field messages and, on a version conflict, the item as it is now.
import type { Art, Comment, HistoryPage, Item, ItemDetail, Person, Placement, Relation, WholeBacklog } from "./types";

export const API = "/api/v1";
const PERSON_KEY = "trainyard.person";
const PERSON_HEADER = "X-Trainyard-Person";

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

  constructor(status: number, body: Record<string, unknown> | null) {
    const detail = typeof body?.detail === "string" ? body.detail : `The server answered ${status}.`;
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = typeof body?.code === "string" ? body.code : "unknown";
    this.errors = Array.isArray(body?.errors) ? (body.errors as FieldError[]) : [];
    this.current = body?.current && typeof body.current === "object" ? (body.current as Item) : undefined;
  }

  /** The message for one field (`title`, `acceptanceCriteria.2`, …), if the server named it. */
  fieldMessage(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

/** Who the user said they are ("who am I"), remembered in this browser. */
export function currentPersonId(): string | null {
  try {
    return localStorage.getItem(PERSON_KEY);
  } catch {
    return null;
  }
}

export function setCurrentPersonId(id: string | null): void {
  try {
    if (id) localStorage.setItem(PERSON_KEY, id);
    else localStorage.removeItem(PERSON_KEY);
  } catch {
    // Storage can be unavailable (private modes); the choice then lasts for this page only.
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  /** The item version the change was made on; sent as If-Match. */
  version?: number;
  signal?: AbortSignal;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.version !== undefined) headers["If-Match"] = `"${options.version}"`;
  const person = currentPersonId();
  if (person) headers[PERSON_HEADER] = person;
  const init: RequestInit = { method: options.method ?? "GET", headers };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const res = await fetch(`${API}${path}`, init);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const error = new ApiError(res.status, body as Record<string, unknown> | null);
    // The person this browser remembers is gone (e.g. a new database): forget them and try again anonymously.
    if (person && error.errors.some((e) => e.path === PERSON_HEADER)) {
      setCurrentPersonId(null);
      return request<T>(path, options);
    }
    throw error;
  }
  return body as T;
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

/** The calls the screens make, one per route. */
export const api = {
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
  unrelate: (key: string, relationId: string) =>
    request<void>(`/items/${enc(key)}/relations/${enc(relationId)}`, { method: "DELETE" }),
};
