// The CLI's one HTTP client for a Trainyard server: typed calls to /api/v1 with a personal API token (or, only while
// logging in, a session cookie and its CSRF token). Problem documents come back as the same AppError the use cases
// throw, so the CLI prints them and picks exit codes the same way in both modes.

import type { EconomicsView } from "../core/economics.js";
import { AppError, type ErrorCode, type FieldIssue, invalid } from "../core/errors.js";
import type { EstimationSessionSummary, EstimationSessionView } from "../core/estimation.js";
import type { Forecast, InspectAdapt, MetricsDashboard } from "../core/metrics-views.js";
import type { SplitSuggestion } from "../core/story-splitting.js";
import type { Art, ProgramIncrement } from "../core/train.js";
import { CSRF_HEADER, SESSION_COOKIE } from "../server/auth.js";
import type { TeamAlignment } from "../use-cases/align-team-backlog.js";
import type { ApiToken } from "../use-cases/api-tokens.js";
import type { WsjfOrderPreview } from "../use-cases/apply-wsjf-order.js";
import type { BacklogHealth } from "../use-cases/backlog-health.js";
import type { BreakdownDrafts } from "../use-cases/break-down-feature.js";
import type { CheckReport } from "../use-cases/check-train.js";
import type { ConfidenceView } from "../use-cases/confidence-vote.js";
import type { Dependency, DependencyList } from "../use-cases/dependencies.js";
import type { RecordedDismissal } from "../use-cases/dismiss-finding.js";
import type { BacklogPage, BacklogScope } from "../use-cases/list-backlog.js";
import type { FeedbackEntry } from "../use-cases/list-feedback.js";
import type { WsjfGrid } from "../use-cases/list-wsjf.js";
import type { Account } from "../use-cases/manage-accounts.js";
import type { Objective, ObjectivesView } from "../use-cases/pi-objectives.js";
import type { ProgramBoard } from "../use-cases/program-board.js";
import type { PlanProposalView } from "../use-cases/propose-plan.js";
import type { QualityReport } from "../use-cases/quality-report.js";
import type { FeedbackReviewRow } from "../use-cases/review-feedback.js";
import type { Risk, RiskList } from "../use-cases/risks.js";
import type { ItemQuality } from "../use-cases/story-readiness.js";
import type { CapacityEntry, TeamCapacity } from "../use-cases/team-capacity.js";
import type { PiPlanView } from "../use-cases/team-plan.js";
import type { TeamRefinement } from "../use-cases/team-refinement.js";
import type {
  Backend,
  FeedbackLinkView,
  ItemDetailView,
  ItemView,
  RecordedFeedback,
  SplitResultView,
} from "./backend.js";

const API = "/api/v1";
const TIMEOUT_MS = 60_000;

const ERROR_CODES: readonly ErrorCode[] = [
  "invalid",
  "not_found",
  "conflict",
  "version_required",
  "unauthenticated",
  "forbidden",
  "rate_limited",
  "unavailable",
];
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: "invalid",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  428: "version_required",
  429: "rate_limited",
  503: "unavailable",
};

/** How requests prove who is making them. */
export type Credentials = { token: string } | { cookie: string; csrfToken: string } | null;

export type NewToken = ApiToken & { token: string };

/**
 * A server's base URL as the CLI keeps it: http(s), no trailing slash, no `/api/v1`.
 * @example normalizeServer("http://127.0.0.1:4300/api/v1/") === "http://127.0.0.1:4300"
 */
export function normalizeServer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid("server", `'${raw}' is not a URL: say e.g. http://127.0.0.1:4300`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid("server", "use an http:// or https:// URL");
  if (url.username || url.password) throw invalid("server", "leave credentials out of the URL");
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return `${url.origin}${path}`;
}

/** The problem document of a failed response as an AppError (or a plain Error for anything else). */
async function failure(res: Response, server: string): Promise<Error> {
  const text = await res.text();
  let body: { code?: unknown; detail?: unknown; errors?: unknown } | null = null;
  try {
    body = JSON.parse(text);
  } catch {}
  const code =
    typeof body?.code === "string" && ERROR_CODES.includes(body.code as ErrorCode)
      ? (body.code as ErrorCode)
      : CODE_OF_STATUS[res.status];
  const detail = typeof body?.detail === "string" ? body.detail : null;
  if (!code) return new Error(detail ?? `${server} answered HTTP ${res.status} ${res.statusText}.`);
  const fields = Array.isArray(body?.errors)
    ? (body.errors as unknown[]).filter(
        (f): f is FieldIssue =>
          typeof f === "object" && f !== null && "path" in f && "message" in f && typeof f.message === "string",
      )
    : [];
  const retryAfter = res.headers.get("retry-after");
  const message = detail ?? `${server} answered HTTP ${res.status} ${res.statusText}.`;
  return new AppError(
    code,
    retryAfter && code === "rate_limited" ? `${message} Try again in ${retryAfter} s.` : message,
    {
      fields,
    },
  );
}

const enc = encodeURIComponent;

export class ApiClient implements Backend {
  constructor(
    readonly server: string,
    private readonly credentials: Credentials,
  ) {}

  /** Signs in with email and password: a client on the new session (to make a token with, then sign out). */
  static async signIn(
    server: string,
    email: string,
    password: string,
  ): Promise<{ client: ApiClient; account: Account }> {
    const anonymous = new ApiClient(server, null);
    const res = await anonymous.send("POST", "/session", { email, password });
    const body = (await res.json()) as { account?: Account; csrfToken?: string };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie || !body.csrfToken || !body.account) {
      throw new Error(`${server} signed in without a session cookie; is it a Trainyard server?`);
    }
    return { client: new ApiClient(server, { cookie, csrfToken: body.csrfToken }), account: body.account };
  }

  /** Sends one request and returns the response when it succeeded; a failure throws its problem as an AppError. */
  private async send(method: string, path: string, body?: unknown, accept = "application/json"): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.credentials && "token" in this.credentials) headers.authorization = `Bearer ${this.credentials.token}`;
    if (this.credentials && "cookie" in this.credentials) {
      headers.cookie = this.credentials.cookie;
      headers[CSRF_HEADER] = this.credentials.csrfToken;
    }
    let res: Response;
    try {
      res = await fetch(`${this.server}${API}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: "error",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
      const why = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
      throw new AppError("unavailable", `Cannot reach the Trainyard server at ${this.server} (${why}).`);
    }
    if (!res.ok) throw await failure(res, this.server);
    return res;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${this.server} did not answer with JSON: is it a Trainyard server?`);
    }
  }

  signOut = () => this.call<void>("DELETE", "/session");
  me = () => this.call<Account>("GET", "/me");
  listArts = async () => (await this.call<{ items: Art[] }>("GET", "/arts")).items;

  listTokens = async () => (await this.call<{ items: ApiToken[] }>("GET", "/tokens")).items;
  createToken = (name: string) => this.call<NewToken>("POST", "/tokens", { name });
  revokeToken = (id: string) => this.call<void>("DELETE", `/tokens/${enc(id)}`);

  listBacklog = (scope: BacklogScope, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    const path =
      "team" in scope ? `/arts/${enc(scope.art)}/teams/${enc(scope.team)}/backlog` : `/arts/${enc(scope.art)}/backlog`;
    return this.call<BacklogPage>("GET", qs ? `${path}?${qs}` : path);
  };
  getItem = (ref: string) => this.call<ItemDetailView>("GET", `/items/${enc(ref)}`);
  createItem = (input: Record<string, unknown>) => this.call<ItemView>("POST", "/items", input);
  moveItem = (ref: string, input: Record<string, unknown>) =>
    this.call<ItemView>("POST", `/items/${enc(ref)}/move`, input);
  checkTrain = () => this.call<CheckReport>("GET", "/check");

  scoreItem = async (ref: string, inputs: Record<string, number | string | null>, version?: number) => {
    const on = version ?? (await this.getItem(ref)).item.version;
    return this.call<ItemView>("PATCH", `/items/${enc(ref)}`, { ...inputs, version: on });
  };
  wsjfGrid = (art: string, level: string) =>
    this.call<WsjfGrid>("GET", `/arts/${enc(art)}/wsjf?${new URLSearchParams({ level })}`);
  economics = (art: string, level: string, asOf?: string) =>
    this.call<EconomicsView>(
      "GET",
      `/arts/${enc(art)}/economics?${new URLSearchParams({ level, ...(asOf ? { asOf } : {}) })}`,
    );
  backlogHealth = (art: string, team?: string) =>
    this.call<BacklogHealth>("GET", `/arts/${enc(art)}/health${team ? `?${new URLSearchParams({ team })}` : ""}`);
  metrics = (art: string, query: Record<string, string>) =>
    this.call<MetricsDashboard>("GET", `/arts/${enc(art)}/metrics?${new URLSearchParams(query)}`);
  forecast = (art: string, query: Record<string, string>) =>
    this.call<Forecast>("GET", `/arts/${enc(art)}/forecast?${new URLSearchParams(query)}`);
  inspectAdapt = (art: string, query: Record<string, string>) =>
    this.call<InspectAdapt>("GET", `/arts/${enc(art)}/inspect-adapt?${new URLSearchParams(query)}`);
  wsjfCsv = async (art: string, level: string) =>
    (
      await this.send("GET", `/arts/${enc(art)}/wsjf.csv?${new URLSearchParams({ level })}`, undefined, "text/csv")
    ).text();
  applyWsjfOrder = (art: string, input: { level: string; pinned: string[]; dryRun: boolean }) =>
    this.call<WsjfOrderPreview>("POST", `/arts/${enc(art)}/wsjf/order`, input);
  undoReorder = (art: string, reorderId: string) =>
    this.call<{ reorderId: string | null; moved: number }>("POST", `/arts/${enc(art)}/reorders/${enc(reorderId)}/undo`);
  alignTeam = (art: string, team: string, input: { dryRun: boolean }) => {
    const path = `/arts/${enc(art)}/teams/${enc(team)}/alignment`;
    return input.dryRun ? this.call<TeamAlignment>("GET", path) : this.call<TeamAlignment>("POST", path, input);
  };
  recordFeedback = (art: string, input: Record<string, unknown>) =>
    this.call<RecordedFeedback>("POST", `/arts/${enc(art)}/feedback`, input);
  listFeedback = (art: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<{ items: FeedbackEntry[] }>("GET", `/arts/${enc(art)}/feedback${qs ? `?${qs}` : ""}`);
  };
  feedbackReview = (art: string) =>
    this.call<{ items: FeedbackReviewRow[] }>("GET", `/arts/${enc(art)}/feedback/review`);
  linkFeedback = (item: string, feedbackId: string) =>
    this.call<FeedbackLinkView>("POST", `/items/${enc(item)}/feedback`, { feedbackId });
  listEstimationSessions = (art: string) =>
    this.call<{ items: EstimationSessionSummary[] }>("GET", `/arts/${enc(art)}/estimation-sessions`);
  estimationSession = (session: string) =>
    this.call<EstimationSessionView>("GET", `/estimation-sessions/${enc(session)}`);
  startEstimationSession = (art: string, input: Record<string, unknown>) =>
    this.call<EstimationSessionView>("POST", `/arts/${enc(art)}/estimation-sessions`, input);
  scoreEstimation = (session: string, scores: Record<string, unknown>[]) =>
    this.call<EstimationSessionView>("PUT", `/estimation-sessions/${enc(session)}/scores`, { scores });
  steerEstimation = (session: string, action: "reveal" | "close") =>
    this.call<EstimationSessionView>("POST", `/estimation-sessions/${enc(session)}/${action}`);
  revoteEstimation = (session: string, items?: string[]) =>
    this.call<EstimationSessionView>("POST", `/estimation-sessions/${enc(session)}/revote`, items ? { items } : {});
  confirmEstimation = (session: string, values: Record<string, unknown>[]) =>
    this.call<EstimationSessionView>("POST", `/estimation-sessions/${enc(session)}/confirm`, { values });
  splitSuggestions = (ref: string) =>
    this.call<{ suggestions: SplitSuggestion[] }>("GET", `/items/${enc(ref)}/split-suggestions`);
  splitStory = (ref: string, input: Record<string, unknown>) =>
    this.call<SplitResultView>("POST", `/items/${enc(ref)}/split`, input);
  breakdownDrafts = (ref: string) => this.call<BreakdownDrafts>("GET", `/items/${enc(ref)}/breakdown`);
  breakDownFeature = (ref: string, input: Record<string, unknown>) =>
    this.call<{ stories: ItemView[] }>("POST", `/items/${enc(ref)}/breakdown`, input);
  editItem = async (ref: string, fields: Record<string, unknown>, version?: number) => {
    const on = version ?? (await this.getItem(ref)).item.version;
    return this.call<ItemView>("PATCH", `/items/${enc(ref)}`, { ...fields, version: on });
  };
  qualityReport = (art: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<QualityReport>("GET", `/arts/${enc(art)}/quality${qs ? `?${qs}` : ""}`);
  };
  itemQuality = (ref: string) => this.call<ItemQuality>("GET", `/items/${enc(ref)}/quality`);
  dismissFinding = (ref: string, input: { rule: string; reason: string }) =>
    this.call<RecordedDismissal>("POST", `/items/${enc(ref)}/quality/dismissals`, input);
  restoreFinding = (ref: string, rule: string) =>
    this.call<void>("DELETE", `/items/${enc(ref)}/quality/dismissals/${enc(rule)}`);
  teamRefinement = (art: string, team: string) =>
    this.call<TeamRefinement>("GET", `/arts/${enc(art)}/teams/${enc(team)}/refinement`);
  updateTeamRefinement = (art: string, team: string, input: Record<string, unknown>) =>
    this.call<TeamRefinement>("PUT", `/arts/${enc(art)}/teams/${enc(team)}/refinement`, input);
  listDependencies = (art: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<DependencyList>("GET", `/arts/${enc(art)}/dependencies${qs ? `?${qs}` : ""}`);
  };
  getDependency = (id: string) => this.call<Dependency>("GET", `/dependencies/${enc(id)}`);
  createDependency = (art: string, input: Record<string, unknown>) =>
    this.call<Dependency>("POST", `/arts/${enc(art)}/dependencies`, input);
  changeDependency = (id: string, input: Record<string, unknown>) =>
    this.call<Dependency>("PATCH", `/dependencies/${enc(id)}`, input);
  removeDependency = (id: string, version: number) =>
    this.call<void>("DELETE", `/dependencies/${enc(id)}?${new URLSearchParams({ version: String(version) })}`);
  programBoard = (art: string, pi: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<ProgramBoard>("GET", `/arts/${enc(art)}/pis/${enc(pi)}/board${qs ? `?${qs}` : ""}`);
  };
  proposePlan = (art: string, pi: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<PlanProposalView>("GET", `/arts/${enc(art)}/pis/${enc(pi)}/plan/proposal${qs ? `?${qs}` : ""}`);
  };
  acceptPlan = (art: string, pi: string, input: Record<string, unknown>) =>
    this.call<{ items: ItemView[] }>("POST", `/arts/${enc(art)}/pis/${enc(pi)}/plan/accept`, input);
  train = (art: string) => this.call<Art>("GET", `/arts/${enc(art)}`);
  createPi = (art: string, input: Record<string, unknown>) =>
    this.call<ProgramIncrement>("POST", `/arts/${enc(art)}/pis`, input);
  updatePi = (art: string, pi: string, input: Record<string, unknown>) =>
    this.call<ProgramIncrement>("PATCH", `/arts/${enc(art)}/pis/${enc(pi)}`, input);
  capacity = (art: string, pi: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<{ teams: TeamCapacity[] }>(
      "GET",
      `/arts/${enc(art)}/pis/${enc(pi)}/capacity${qs ? `?${qs}` : ""}`,
    );
  };
  setCapacity = (art: string, team: string, iteration: string, input: Record<string, unknown>) =>
    this.call<CapacityEntry>("PUT", `/arts/${enc(art)}/teams/${enc(team)}/capacity/${enc(iteration)}`, input);
  piPlan = (art: string, pi: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<PiPlanView>("GET", `/arts/${enc(art)}/pis/${enc(pi)}/plan${qs ? `?${qs}` : ""}`);
  };
  objectives = (art: string, pi: string) =>
    this.call<ObjectivesView>("GET", `/arts/${enc(art)}/pis/${enc(pi)}/objectives`);
  addObjective = (art: string, pi: string, input: Record<string, unknown>) =>
    this.call<Objective>("POST", `/arts/${enc(art)}/pis/${enc(pi)}/objectives`, input);
  updateObjective = (id: string, input: Record<string, unknown>) =>
    this.call<Objective>("PATCH", `/objectives/${enc(id)}`, input);
  removeObjective = (id: string, version: number) =>
    this.call<void>("DELETE", `/objectives/${enc(id)}?version=${version}`);
  risks = (art: string, query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return this.call<RiskList>("GET", `/arts/${enc(art)}/risks${qs ? `?${qs}` : ""}`);
  };
  addRisk = (art: string, input: Record<string, unknown>) => this.call<Risk>("POST", `/arts/${enc(art)}/risks`, input);
  updateRisk = (id: string, input: Record<string, unknown>) => this.call<Risk>("PATCH", `/risks/${enc(id)}`, input);
  removeRisk = (id: string, version: number) => this.call<void>("DELETE", `/risks/${enc(id)}?version=${version}`);
  confidence = (art: string, pi: string) =>
    this.call<ConfidenceView>("GET", `/arts/${enc(art)}/pis/${enc(pi)}/confidence`);
  voteConfidence = (art: string, pi: string, input: Record<string, unknown>) =>
    this.call<ConfidenceView>("PUT", `/arts/${enc(art)}/pis/${enc(pi)}/confidence`, input);
}
