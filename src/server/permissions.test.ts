// The permission matrix of docs/permissions.md, held against the live API: every route of the OpenAPI document has a
// row, every row names a real route, and every cell is what the API answers that role — on SQLite and PostgreSQL.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, TEST_PASSWORD, type TestApp, type TestUser } from "../../test/test-app.js";
import { operator } from "../core/permissions.js";
import { revealEstimation } from "../use-cases/reveal-estimation.js";
import { seedDemo } from "../use-cases/seed-demo.js";
import { startEstimationSession } from "../use-cases/start-estimation-session.js";
import { PUBLIC_ROUTES } from "./auth.js";

const COLUMNS = [
  "admin",
  "rte",
  "product_manager",
  "product_owner",
  "business_owner",
  "team_member",
  "viewer",
  "outsider",
  "anonymous",
] as const;
type Column = (typeof COLUMNS)[number];
const CELLS = ["allow", "deny", "hidden", "unknown"];

interface Row {
  route: string;
  target: string;
  cells: Record<Column, string>;
}

const MATRIX_FILE = new URL("../../docs/permissions.md", import.meta.url);

/** The table's header cells and rows: the first markdown table whose first column is `route`. */
function readMatrix(): { header: string[]; rows: Row[] } {
  const lines = readFileSync(MATRIX_FILE, "utf8").split("\n");
  const cellsOf = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim().replace(/^`|`$/g, ""));
  const start = lines.findIndex((l) => /^\|\s*route\s*\|/.test(l));
  if (start < 0) return { header: [], rows: [] };
  const header = cellsOf(lines[start] as string);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith("|")) break;
    const [route = "", target = "", ...cells] = cellsOf(line);
    rows.push({
      route,
      target,
      cells: Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i] ?? "(missing)"])) as Record<Column, string>,
    });
  }
  return { header, rows };
}

const matrix = readMatrix();
const keyOf = (row: { route: string; target: string }) => `${row.route} | ${row.target}`;

/** An item as the builders need it: its key and the version an edit must name. */
interface ItemRef {
  key: string;
  version: number;
}

/** The train, the people of the columns and the helpers that make a fresh thing for each request. */
interface Fixture {
  t: TestApp;
  people: Record<Column, TestUser | null>;
  /** An account with no roles: "another account" and "another person". */
  spare: TestUser;
  next(): number;
  feature(extra?: object): Promise<ItemRef>;
  story(team: "core" | "web", extra?: object): Promise<ItemRef>;
  relate(from: ItemRef, to: ItemRef): Promise<string>;
  invite(): Promise<{ id: string; link: string }>;
  tokenOf(user: TestUser): Promise<string>;
}

/** One request as one person sends it. */
interface Probe {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** For `unknown` cells: the body field naming what the person may not see. */
  field?: string;
  /** What an allowed request answers when that is not a 2xx (POST /setup with an administrator present). */
  allowed?: number;
}

type Build = (fx: Fixture, who: TestUser | null) => Promise<Probe> | Probe;

const ifMatch = (item: ItemRef) => ({ "If-Match": `"${item.version}"` });
const feature = (extra: object = {}) => ({ art: "PAY", level: "feature", title: "A feature", ...extra });
const story = (team: string, extra: object = {}) => ({
  art: "PAY",
  level: "story",
  title: "A story",
  teamId: team,
  ...extra,
});
const get = (path: string) => ({ method: "GET", path });

const patch = async (item: Promise<ItemRef>, body: object): Promise<Probe> => {
  const i = await item;
  return { method: "PATCH", path: `/items/${i.key}`, headers: ifMatch(i), body };
};
const move = async (item: Promise<ItemRef>): Promise<Probe> => {
  const i = await item;
  return { method: "POST", path: `/items/${i.key}/move`, headers: ifMatch(i), body: { position: "top" } };
};
const comment = async (item: Promise<ItemRef>): Promise<Probe> => ({
  method: "POST",
  path: `/items/${(await item).key}/comments`,
  body: { body: "Looks right to me." },
});
const relation = async (from: Promise<ItemRef>, to: Promise<ItemRef>): Promise<Probe> => ({
  method: "POST",
  path: `/items/${(await from).key}/relations`,
  body: { kind: "relates_to", target: (await to).key },
  field: "target",
});
const unrelate = async (fx: Fixture, from: Promise<ItemRef>, to: Promise<ItemRef>): Promise<Probe> => {
  const [f, o] = [await from, await to];
  return { method: "DELETE", path: `/items/${f.key}/relations/${await fx.relate(f, o)}` };
};
const create = (body: object): Probe => ({ method: "POST", path: "/items", body, field: "art" });
const splitProbe = async (item: Promise<ItemRef>): Promise<Probe> => {
  const i = await item;
  return {
    method: "POST",
    path: `/items/${i.key}/split`,
    body: { version: i.version, stories: [{ title: "Part one" }, { title: "Part two" }] },
  };
};
const breakdownProbe = async (feature: Promise<ItemRef>, team: string): Promise<Probe> => ({
  method: "POST",
  path: `/items/${(await feature).key}/breakdown`,
  body: { stories: [{ title: "A story of the feature", teamId: team }] },
});

/** How to make each row's request: keyed "route | target" exactly as in the table. */
const BUILDERS: Record<string, Build> = {
  "GET /health | –": () => get("/health"),
  "GET /openapi.json | –": () => get("/openapi.json"),
  "GET /session | –": () => get("/session"),
  "POST /session | valid credentials (their own; anonymous: another account's)": (fx, who) => {
    const account = who ?? fx.spare;
    return { method: "POST", path: "/session", body: { email: account.email, password: account.password } };
  },
  "POST /setup | a first administrator, when there is one already": (fx) => ({
    method: "POST",
    path: "/setup",
    body: { name: "Second Admin", email: `second.admin.${fx.next()}@example.com`, password: TEST_PASSWORD },
    allowed: 409,
  }),
  "POST /password-links/redeem | a new invitation link": async (fx) => ({
    method: "POST",
    path: "/password-links/redeem",
    body: { link: (await fx.invite()).link, password: "a brand new passphrase" },
  }),
  "DELETE /session | –": () => ({ method: "DELETE", path: "/session" }),
  "GET /me | –": () => get("/me"),
  "POST /me/password | their own password": (fx, who) => {
    const password = (who ?? fx.spare).password;
    return { method: "POST", path: "/me/password", body: { currentPassword: password, newPassword: password } };
  },
  "GET /tokens | their own tokens": () => get("/tokens"),
  "POST /tokens | a new token of their own": () => ({ method: "POST", path: "/tokens", body: { name: "matrix" } }),
  "DELETE /tokens/{token} | their own token": async (fx, who) => ({
    method: "DELETE",
    path: `/tokens/${await fx.tokenOf(who ?? fx.spare)}`,
  }),
  "DELETE /tokens/{token} | another person's token": async (fx) => ({
    method: "DELETE",
    path: `/tokens/${await fx.tokenOf(fx.spare)}`,
  }),
  "GET /users | –": () => get("/users"),
  "POST /users | a new person": (fx) => {
    const n = fx.next();
    return { method: "POST", path: "/users", body: { name: `Newcomer ${n}`, email: `newcomer.${n}@example.com` } };
  },
  "PATCH /users/{user} | another account": (fx) => ({
    method: "PATCH",
    path: `/users/${fx.spare.id}`,
    body: { active: true },
  }),
  "POST /users/{user}/password-reset | another account": (fx) => ({
    method: "POST",
    path: `/users/${fx.spare.id}/password-reset`,
  }),
  "GET /arts/{art}/roles | ART PAY": () => get("/arts/PAY/roles"),
  "POST /arts/{art}/roles | ART PAY": async (fx) => ({
    method: "POST",
    path: "/arts/PAY/roles",
    body: { person: (await fx.invite()).id, role: "viewer" },
  }),
  "DELETE /arts/{art}/roles/{grant} | a role on ART PAY": async (fx) => {
    const grant = await fx.t.call("POST", "/arts/PAY/roles", { person: (await fx.invite()).id, role: "viewer" });
    expect(grant.status).toBe(201);
    return { method: "DELETE", path: `/arts/PAY/roles/${grant.body.id}` };
  },
  "GET /audit | –": () => get("/audit"),
  "GET /check | –": () => get("/check"),
  "POST /demo | –": () => ({ method: "POST", path: "/demo" }),
  "GET /arts | –": () => get("/arts"),
  "POST /arts | a new ART": (fx) => ({ method: "POST", path: "/arts", body: { key: `NEW${fx.next()}`, name: "New" } }),
  "GET /arts/{art} | ART PAY": () => get("/arts/PAY"),
  "POST /arts/{art}/teams | ART PAY": (fx) => ({
    method: "POST",
    path: "/arts/PAY/teams",
    body: { key: `team${fx.next()}`, name: "New team" },
  }),
  "POST /arts/{art}/pis | ART PAY": (fx) => ({
    method: "POST",
    path: "/arts/PAY/pis",
    body: { name: `Matrix PI ${fx.next()}`, startDate: "2027-01-04" },
  }),
  "GET /arts/{art}/history | ART PAY": () => get("/arts/PAY/history"),
  "GET /people | –": () => get("/people"),
  "POST /people | a new person": (fx) => {
    const n = fx.next();
    return { method: "POST", path: "/people", body: { name: `Person ${n}`, email: `person.${n}@example.com` } };
  },
  "GET /arts/{art}/backlog | ART PAY": () => get("/arts/PAY/backlog"),
  "GET /arts/{art}/backlog/all | ART PAY": () => get("/arts/PAY/backlog/all"),
  "GET /arts/{art}/teams/{team}/backlog | their team (core)": () => get("/arts/PAY/teams/core/backlog"),
  "GET /arts/{art}/teams/{team}/backlog | another team (web)": () => get("/arts/PAY/teams/web/backlog"),
  "GET /arts/{art}/teams/{team}/backlog/all | their team (core)": () => get("/arts/PAY/teams/core/backlog/all"),
  "GET /arts/{art}/teams/{team}/backlog/all | another team (web)": () => get("/arts/PAY/teams/web/backlog/all"),
  "GET /arts/{art}/events | ART PAY": () => get("/arts/PAY/events"),
  "POST /items | a feature": () => create(feature()),
  "POST /items | a feature at the top of the backlog": () => create(feature({ placement: { position: "top" } })),
  "POST /items | a story of their team": () => create(story("core")),
  "POST /items | a story at the top of their team's backlog": () =>
    create(story("core", { placement: { position: "top" } })),
  "POST /items | a story of another team": () => create(story("web")),
  "GET /items/{item} | a feature": async (fx) => get(`/items/${(await fx.feature()).key}`),
  "GET /items/{item} | a story of their team": async (fx) => get(`/items/${(await fx.story("core")).key}`),
  "GET /items/{item} | a story of another team": async (fx) => get(`/items/${(await fx.story("web")).key}`),
  "PATCH /items/{item} | a feature": (fx) => patch(fx.feature(), { title: "Renamed" }),
  "PATCH /items/{item} | a story of their team": (fx) => patch(fx.story("core"), { points: 3 }),
  "PATCH /items/{item} | a story of their team, accepting it": (fx) => patch(fx.story("core"), { state: "accepted" }),
  "PATCH /items/{item} | an accepted story of their team, reopening it": (fx) =>
    patch(fx.story("core", { state: "accepted" }), { state: "done" }),
  "PATCH /items/{item} | a story of their team, handing it to another team": (fx) =>
    patch(fx.story("core"), { teamId: "web" }),
  "PATCH /items/{item} | a story of another team": (fx) => patch(fx.story("web"), { points: 3 }),
  "POST /items/{item}/move | a feature": (fx) => move(fx.feature()),
  "POST /items/{item}/move | a story of their team": (fx) => move(fx.story("core")),
  "POST /items/{item}/move | a story of another team": (fx) => move(fx.story("web")),
  "GET /items/{item}/history | a feature": async (fx) => get(`/items/${(await fx.feature()).key}/history`),
  "GET /items/{item}/history | a story of their team": async (fx) =>
    get(`/items/${(await fx.story("core")).key}/history`),
  "GET /items/{item}/history | a story of another team": async (fx) =>
    get(`/items/${(await fx.story("web")).key}/history`),
  "POST /items/{item}/comments | a feature": (fx) => comment(fx.feature()),
  "POST /items/{item}/comments | a story of their team": (fx) => comment(fx.story("core")),
  "POST /items/{item}/comments | a story of another team": (fx) => comment(fx.story("web")),
  "POST /items/{item}/relations | a feature, to another feature": (fx) => relation(fx.feature(), fx.feature()),
  "POST /items/{item}/relations | a story of their team, to a feature": (fx) =>
    relation(fx.story("core"), fx.feature()),
  "POST /items/{item}/relations | a story of their team, to a story of another team": (fx) =>
    relation(fx.story("core"), fx.story("web")),
  "POST /items/{item}/relations | a story of another team, to a feature": (fx) =>
    relation(fx.story("web"), fx.feature()),
  "DELETE /items/{item}/relations/{relation} | a relation of a feature": (fx) =>
    unrelate(fx, fx.feature(), fx.feature()),
  "DELETE /items/{item}/relations/{relation} | a relation of a story of their team": (fx) =>
    unrelate(fx, fx.story("core"), fx.feature()),
  "DELETE /items/{item}/relations/{relation} | a relation of a story of another team": (fx) =>
    unrelate(fx, fx.story("web"), fx.feature()),
  "GET /items/{item}/split-suggestions | a story of their team": async (fx) =>
    get(`/items/${(await fx.story("core")).key}/split-suggestions`),
  "GET /items/{item}/split-suggestions | a story of another team": async (fx) =>
    get(`/items/${(await fx.story("web")).key}/split-suggestions`),
  "POST /items/{item}/split | a story of their team": (fx) => splitProbe(fx.story("core")),
  "POST /items/{item}/split | a story of another team": (fx) => splitProbe(fx.story("web")),
  "GET /items/{item}/breakdown | a feature": async (fx) => get(`/items/${(await fx.feature()).key}/breakdown`),
  "POST /items/{item}/breakdown | a feature, into stories of their team": (fx) => breakdownProbe(fx.feature(), "core"),
  "POST /items/{item}/breakdown | a feature, into stories of another team": (fx) => breakdownProbe(fx.feature(), "web"),
  "PATCH /items/{item} | a feature's user-business value": (fx) => patch(fx.feature(), { businessValue: 8 }),
  "PATCH /items/{item} | a feature's job size": (fx) => patch(fx.feature(), { jobSize: 5 }),
  "PATCH /items/{item} | a feature's Cost of Delay per week": (fx) => patch(fx.feature(), { costOfDelayPerWeek: 5000 }),
  "GET /arts/{art}/wsjf | ART PAY": () => get("/arts/PAY/wsjf?level=feature"),
  "GET /arts/{art}/wsjf.csv | ART PAY": () => get("/arts/PAY/wsjf.csv?level=feature"),
  "GET /arts/{art}/economics | ART PAY": () => get("/arts/PAY/economics?level=feature"),
  "GET /arts/{art}/health | ART PAY": () => get("/arts/PAY/health"),
  "GET /arts/{art}/health | their team (core)": () => ({ ...get("/arts/PAY/health?team=core"), field: "team" }),
  "GET /arts/{art}/health | another team (web)": () => ({ ...get("/arts/PAY/health?team=web"), field: "team" }),
  "GET /arts/{art}/metrics | ART PAY": () => get("/arts/PAY/metrics"),
  "GET /arts/{art}/metrics | their team (core)": () => ({ ...get("/arts/PAY/metrics?team=core"), field: "team" }),
  "GET /arts/{art}/metrics | another team (web)": () => ({ ...get("/arts/PAY/metrics?team=web"), field: "team" }),
  "GET /arts/{art}/forecast | ART PAY": () => get("/arts/PAY/forecast"),
  "GET /arts/{art}/forecast | their team (core)": () => ({ ...get("/arts/PAY/forecast?team=core"), field: "team" }),
  "GET /arts/{art}/forecast | another team (web)": () => ({ ...get("/arts/PAY/forecast?team=web"), field: "team" }),
  "GET /arts/{art}/inspect-adapt | ART PAY": () => get("/arts/PAY/inspect-adapt"),
  "POST /arts/{art}/wsjf/order | ART PAY's features": () => ({
    method: "POST",
    path: "/arts/PAY/wsjf/order",
    body: { level: "feature" },
  }),
  "POST /arts/{art}/reorders/{reorder}/undo | a WSJF reorder of ART PAY's features": async (fx) => ({
    method: "POST",
    path: `/arts/PAY/reorders/${await wsjfReorder(fx)}/undo`,
  }),
  "GET /arts/{art}/teams/{team}/alignment | their team (core)": () => get("/arts/PAY/teams/core/alignment"),
  "GET /arts/{art}/teams/{team}/alignment | another team (web)": () => get("/arts/PAY/teams/web/alignment"),
  "POST /arts/{art}/teams/{team}/alignment | their team (core)": () => ({
    method: "POST",
    path: "/arts/PAY/teams/core/alignment",
    body: {},
  }),
  "POST /arts/{art}/teams/{team}/alignment | another team (web)": () => ({
    method: "POST",
    path: "/arts/PAY/teams/web/alignment",
    body: {},
  }),
  "GET /arts/{art}/feedback | ART PAY": () => get("/arts/PAY/feedback"),
  "POST /arts/{art}/feedback | ART PAY": () => ({ method: "POST", path: "/arts/PAY/feedback", body: FEEDBACK }),
  "GET /arts/{art}/feedback/review | ART PAY": () => get("/arts/PAY/feedback/review"),
  "GET /items/{item}/feedback | a feature": async (fx) => get(`/items/${(await fx.feature()).key}/feedback`),
  "GET /items/{item}/feedback | a story of another team": async (fx) =>
    get(`/items/${(await fx.story("web")).key}/feedback`),
  "POST /items/{item}/feedback | a feature": (fx) => linkFeedback(fx, fx.feature()),
  "POST /items/{item}/feedback | a story of their team": (fx) => linkFeedback(fx, fx.story("core")),
  "POST /items/{item}/feedback | a story of another team": (fx) => linkFeedback(fx, fx.story("web")),
  "DELETE /items/{item}/feedback/{feedback} | feedback linked to a feature": (fx) => unlinkFeedback(fx, fx.feature()),
  "DELETE /items/{item}/feedback/{feedback} | feedback linked to a story of their team": (fx) =>
    unlinkFeedback(fx, fx.story("core")),
  "GET /arts/{art}/estimation-sessions | ART PAY": () => get("/arts/PAY/estimation-sessions"),
  "POST /arts/{art}/estimation-sessions | ART PAY's features, all four inputs": async (fx) => ({
    method: "POST",
    path: "/arts/PAY/estimation-sessions",
    body: { title: "PI 2 features", items: [(await fx.feature()).key], participants: [] },
  }),
  "POST /arts/{art}/estimation-sessions | ART PAY's features, user-business value only": async (fx) => ({
    method: "POST",
    path: "/arts/PAY/estimation-sessions",
    body: { title: "Value", inputs: ["businessValue"], items: [(await fx.feature()).key], participants: [] },
  }),
  "GET /estimation-sessions/{session} | a session they take part in": async (fx, who) =>
    get(`/estimation-sessions/${(await takingPart(fx, who)).id}`),
  "GET /estimation-sessions/{session} | a session they do not take part in": async (fx) =>
    get(`/estimation-sessions/${(await estimationSession(fx, fx.spare.id, [])).id}`),
  "PUT /estimation-sessions/{session}/scores | a session they take part in": async (fx, who) =>
    scoreProbe(await takingPart(fx, who)),
  "PUT /estimation-sessions/{session}/scores | a session they do not take part in": async (fx) =>
    scoreProbe(await estimationSession(fx, fx.spare.id, [])),
  "POST /estimation-sessions/{session}/participants | a session they facilitate": async (fx, who) =>
    inviteProbe(fx, await facilitating(fx, who)),
  "POST /estimation-sessions/{session}/participants | a session they take part in": async (fx, who) =>
    inviteProbe(fx, await takingPart(fx, who)),
  "DELETE /estimation-sessions/{session}/participants/{person} | a session they facilitate": async (fx, who) => {
    const other = who === fx.people.admin ? (fx.people.viewer as TestUser) : (fx.people.admin as TestUser);
    const s = await estimationSession(fx, who?.id ?? fx.spare.id, [other.id]);
    return { method: "DELETE", path: `/estimation-sessions/${s.id}/participants/${other.id}` };
  },
  "DELETE /estimation-sessions/{session}/participants/{person} | a session they take part in": async (fx, who) => {
    const s = await takingPart(fx, who);
    return { method: "DELETE", path: `/estimation-sessions/${s.id}/participants/${who?.id ?? fx.people.admin?.id}` };
  },
  "POST /estimation-sessions/{session}/reveal | a session they facilitate": async (fx, who) =>
    sessionAction(await facilitating(fx, who), "reveal"),
  "POST /estimation-sessions/{session}/reveal | a session they take part in": async (fx, who) =>
    sessionAction(await takingPart(fx, who), "reveal"),
  "POST /estimation-sessions/{session}/revote | a session they facilitate": async (fx, who) =>
    sessionAction(await facilitating(fx, who, { revealed: true }), "revote"),
  "POST /estimation-sessions/{session}/revote | a session they take part in": async (fx, who) =>
    sessionAction(await takingPart(fx, who, { revealed: true }), "revote"),
  "POST /estimation-sessions/{session}/close | a session they facilitate": async (fx, who) =>
    sessionAction(await facilitating(fx, who), "close"),
  "POST /estimation-sessions/{session}/close | a session they take part in": async (fx, who) =>
    sessionAction(await takingPart(fx, who), "close"),
  "POST /estimation-sessions/{session}/confirm | user-business value in a session they facilitate": async (fx, who) =>
    confirmProbe(await facilitating(fx, who, { revealed: true, inputs: ["businessValue"] })),
  "POST /estimation-sessions/{session}/confirm | a session they take part in": async (fx, who) =>
    confirmProbe(await takingPart(fx, who, { revealed: true, inputs: ["businessValue"] })),
  "GET /arts/{art}/teams/{team}/refinement | their team (core)": () => get("/arts/PAY/teams/core/refinement"),
  "GET /arts/{art}/teams/{team}/refinement | another team (web)": () => get("/arts/PAY/teams/web/refinement"),
  "PUT /arts/{art}/teams/{team}/refinement | their team (core)": (fx) => refinementProbe(fx, "core"),
  "PUT /arts/{art}/teams/{team}/refinement | another team (web)": (fx) => refinementProbe(fx, "web"),
  "POST /arts/{art}/quality/check | a draft story of their team (core)": () => draftCheck("core"),
  "POST /arts/{art}/quality/check | a draft story of another team (web)": () => draftCheck("web"),
  "GET /arts/{art}/quality | ART PAY": () => get("/arts/PAY/quality"),
  "GET /arts/{art}/quality | another team (web)": () => ({ ...get("/arts/PAY/quality?team=web"), field: "team" }),
  "GET /items/{item}/quality | a story of their team": async (fx) =>
    get(`/items/${(await fx.story("core")).key}/quality`),
  "GET /items/{item}/quality | a story of another team": async (fx) =>
    get(`/items/${(await fx.story("web")).key}/quality`),
  "POST /items/{item}/quality/dismissals | a finding on a story of their team": (fx) =>
    dismissProbe(fx.story("core", { title: "Refunds" })),
  "POST /items/{item}/quality/dismissals | a finding on a story of another team": (fx) =>
    dismissProbe(fx.story("web", { title: "Refunds" })),
  "DELETE /items/{item}/quality/dismissals/{rule} | a dismissed finding on a story of their team": (fx) =>
    restoreProbe(fx, fx.story("core", { title: "Refunds" })),
  "DELETE /items/{item}/quality/dismissals/{rule} | a dismissed finding on a story of another team": (fx) =>
    restoreProbe(fx, fx.story("web", { title: "Refunds" })),
  "GET /arts/{art}/dependencies | ART PAY": () => get("/arts/PAY/dependencies"),
  "POST /arts/{art}/dependencies | a story of their team depending on a feature": async (fx) => ({
    method: "POST",
    path: "/arts/PAY/dependencies",
    body: { consumer: (await fx.story("core")).key, provider: (await fx.feature()).key, needed: "an API" },
  }),
  "GET /dependencies/{dependency} | a story of their team depending on a feature": async (fx) =>
    get(`/dependencies/${(await dependency(fx, fx.story("core"), fx.feature())).id}`),
  "PATCH /dependencies/{dependency} | committing a story of their team a feature depends on": async (fx) => {
    const d = await dependency(fx, fx.feature(), fx.story("core"));
    return {
      method: "PATCH",
      path: `/dependencies/${d.id}`,
      body: { version: d.version, state: "committed", plannedIteration: "PI 1/2" },
    };
  },
  "DELETE /dependencies/{dependency} | a story of their team depending on a feature": async (fx) => {
    const d = await dependency(fx, fx.story("core"), fx.feature());
    return { method: "DELETE", path: `/dependencies/${d.id}?version=${d.version}` };
  },
  "GET /arts/{art}/pis/{pi}/board | ART PAY": () => get("/arts/PAY/pis/PI%201/board"),
  "GET /arts/{art}/pis/{pi}/plan/proposal | ART PAY": () => get("/arts/PAY/pis/PI%201/plan/proposal"),
  "POST /arts/{art}/pis/{pi}/plan/accept | a story of their team": async (fx) => {
    const s = await fx.story("core");
    return {
      method: "POST",
      path: "/arts/PAY/pis/PI%201/plan/accept",
      body: { moves: [{ item: s.key, iteration: "PI 1/3", version: s.version }] },
    };
  },
  "PATCH /arts/{art}/pis/{pi} | the allocation policy of a PI": async (fx) => {
    const pi = await freshPi(fx);
    return {
      method: "PATCH",
      path: `/arts/PAY/pis/${pi.id}`,
      body: { version: pi.version, allocation: { business: 70, enabler: 20, maintenance: 10 } },
    };
  },
  "PATCH /arts/{art}/pis/{pi} | the name of a PI": async (fx) => {
    const pi = await freshPi(fx);
    return {
      method: "PATCH",
      path: `/arts/PAY/pis/${pi.id}`,
      body: { version: pi.version, name: `${pi.name} (renamed)` },
    };
  },
  "GET /arts/{art}/pis/{pi}/milestones | PI 1": () => get("/arts/PAY/pis/PI%201/milestones"),
  "POST /arts/{art}/pis/{pi}/milestones | PI 1": () => ({
    method: "POST",
    path: "/arts/PAY/pis/PI%201/milestones",
    body: { name: "System demo", date: "2026-11-20" },
  }),
  "DELETE /arts/{art}/pis/{pi}/milestones/{id} | a milestone of PI 1": async (fx) => {
    const r = await fx.t.call("POST", "/arts/PAY/pis/PI%201/milestones", { name: "Demo", date: "2026-11-20" });
    if (r.status !== 201) throw new Error(`could not add a milestone: ${r.status} ${JSON.stringify(r.body)}`);
    return { method: "DELETE", path: `/arts/PAY/pis/PI%201/milestones/${r.body.id}` };
  },
  "GET /arts/{art}/pis/{pi}/capacity | PI 1": () => get("/arts/PAY/pis/PI%201/capacity"),
  "GET /arts/{art}/pis/{pi}/capacity | another team (web)": () => ({
    ...get("/arts/PAY/pis/PI%201/capacity?team=web"),
    field: "team",
  }),
  "PUT /arts/{art}/teams/{team}/capacity/{iterationId} | their team (core)": (fx) => capacityProbe(fx, "core"),
  "PUT /arts/{art}/teams/{team}/capacity/{iterationId} | another team (web)": (fx) => capacityProbe(fx, "web"),
  "GET /arts/{art}/pis/{pi}/plan | PI 1": () => get("/arts/PAY/pis/PI%201/plan"),
  "GET /arts/{art}/pis/{pi}/plan | another team (web)": () => ({
    ...get("/arts/PAY/pis/PI%201/plan?team=web"),
    field: "team",
  }),
  "GET /arts/{art}/pis/{pi}/objectives | PI 1": () => get("/arts/PAY/pis/PI%201/objectives"),
  "POST /arts/{art}/pis/{pi}/objectives | an objective of their team (core)": () => objectiveProbe("core"),
  "POST /arts/{art}/pis/{pi}/objectives | an objective of another team (web)": () => objectiveProbe("web"),
  "POST /arts/{art}/pis/{pi}/objectives | an objective of the train": () => objectiveProbe(null),
  "PATCH /objectives/{id} | the title of an objective of their team (core)": async (fx) => {
    const o = await objective(fx, "core");
    return { method: "PATCH", path: `/objectives/${o.id}`, body: { version: o.version, title: "Payouts in a day" } };
  },
  "PATCH /objectives/{id} | the title of an objective of another team (web)": async (fx) => {
    const o = await objective(fx, "web");
    return { method: "PATCH", path: `/objectives/${o.id}`, body: { version: o.version, title: "Payouts in a day" } };
  },
  "PATCH /objectives/{id} | the planned value of an objective of their team (core)": async (fx) => {
    const o = await objective(fx, "core");
    return { method: "PATCH", path: `/objectives/${o.id}`, body: { version: o.version, plannedValue: 8 } };
  },
  "DELETE /objectives/{id} | an objective of their team (core)": async (fx) => {
    const o = await objective(fx, "core");
    return { method: "DELETE", path: `/objectives/${o.id}?version=${o.version}` };
  },
  "GET /arts/{art}/risks | ART PAY": () => get("/arts/PAY/risks"),
  "POST /arts/{art}/risks | a risk of their team (core)": () => ({
    method: "POST",
    path: "/arts/PAY/risks",
    body: { title: "Bank API limits", teamId: "core" },
    field: "teamId",
  }),
  "POST /arts/{art}/risks | a risk of the train": () => ({
    method: "POST",
    path: "/arts/PAY/risks",
    body: { title: "Auditor availability" },
  }),
  "PATCH /risks/{id} | a risk of their team (core)": async (fx) => {
    const r = await risk(fx, "core");
    return { method: "PATCH", path: `/risks/${r.id}`, body: { version: r.version, roam: "owned" } };
  },
  "PATCH /risks/{id} | a risk of another team (web)": async (fx) => {
    const r = await risk(fx, "web");
    return { method: "PATCH", path: `/risks/${r.id}`, body: { version: r.version, roam: "owned" } };
  },
  "DELETE /risks/{id} | a risk of their team (core)": async (fx) => {
    const r = await risk(fx, "core");
    return { method: "DELETE", path: `/risks/${r.id}?version=${r.version}` };
  },
  "GET /arts/{art}/pis/{pi}/confidence | PI 1": () => get("/arts/PAY/pis/PI%201/confidence"),
  "PUT /arts/{art}/pis/{pi}/confidence | a vote for their team (core)": () => voteProbe("core"),
  "PUT /arts/{art}/pis/{pi}/confidence | a vote for another team (web)": () => voteProbe("web"),
  "PUT /arts/{art}/pis/{pi}/confidence | a vote for the train": () => voteProbe("train"),
};

/** A fresh PI of PAY, made by the administrator: its id, name and version. */
async function freshPi(fx: Fixture): Promise<{ id: string; name: string; version: number }> {
  const r = await fx.t.call("POST", "/arts/PAY/pis", { name: `PI x${fx.next()}`, startDate: "2027-01-04" });
  if (r.status !== 201) throw new Error(`could not add a PI: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
/** Setting a team's capacity in PI 1's first iteration, on the version the administrator reads now. */
async function capacityProbe(fx: Fixture, team: string): Promise<Probe> {
  const r = await fx.t.call("GET", `/arts/PAY/pis/PI%201/capacity?team=${team}`);
  const entry = r.body.teams[0].iterations[0];
  return {
    method: "PUT",
    path: `/arts/PAY/teams/${team}/capacity/${entry.iterationId}`,
    body: { version: entry.version, points: 20 },
  };
}
const objectiveProbe = (team: string | null): Probe => ({
  method: "POST",
  path: "/arts/PAY/pis/PI%201/objectives",
  body: { teamId: team, title: "Refunds in a day", committed: true },
  field: "teamId",
});
/** A fresh objective of a team in PI 1, written by the administrator. */
async function objective(fx: Fixture, team: string): Promise<{ id: string; version: number }> {
  const r = await fx.t.call("POST", "/arts/PAY/pis/PI%201/objectives", { teamId: team, title: "Refunds in a day" });
  if (r.status !== 201) throw new Error(`could not write an objective: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
/** A fresh risk of a team, recorded by the administrator. */
async function risk(fx: Fixture, team: string): Promise<{ id: string; version: number }> {
  const r = await fx.t.call("POST", "/arts/PAY/risks", { title: "Bank API limits", teamId: team });
  if (r.status !== 201) throw new Error(`could not record a risk: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const voteProbe = (scope: string): Probe => ({
  method: "PUT",
  path: "/arts/PAY/pis/PI%201/confidence",
  body: { scope, value: 4 },
  field: "scope",
});

/** A fresh dependency of `consumer` on `provider`, made by the administrator. */
async function dependency(
  fx: Fixture,
  consumer: Promise<ItemRef>,
  provider: Promise<ItemRef>,
): Promise<{ id: string; version: number }> {
  const body = { consumer: (await consumer).key, provider: (await provider).key, needed: "an API" };
  const r = await fx.t.call("POST", "/arts/PAY/dependencies", body);
  if (r.status !== 201) throw new Error(`could not create a dependency: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Saving a team's refinement settings as they are, on the version the administrator reads now. */
const refinementProbe = async (fx: Fixture, team: string): Promise<Probe> => {
  const current = await fx.t.call("GET", `/arts/PAY/teams/${team}/refinement`);
  return {
    method: "PUT",
    path: `/arts/PAY/teams/${team}/refinement`,
    body: { settings: current.body.settings, version: current.body.version },
  };
};
const draftCheck = (team: string): Probe => ({
  method: "POST",
  path: "/arts/PAY/quality/check",
  body: { title: "As a payer, I want to pay by card", teamId: team },
  field: "teamId",
});
/** "Refunds" is free text: the well-formed rule finds no role and no goal. */
const dismissProbe = async (item: Promise<ItemRef>): Promise<Probe> => ({
  method: "POST",
  path: `/items/${(await item).key}/quality/dismissals`,
  body: { rule: "well_formed", reason: "A title the team reads at a glance" },
});
const restoreProbe = async (fx: Fixture, item: Promise<ItemRef>): Promise<Probe> => {
  const i = await item;
  const r = await fx.t.call("POST", `/items/${i.key}/quality/dismissals`, { rule: "well_formed", reason: "Known" });
  if (r.status !== 201) throw new Error(`could not dismiss: ${r.status} ${JSON.stringify(r.body)}`);
  return { method: "DELETE", path: `/items/${i.key}/quality/dismissals/well_formed` };
};

interface SessionRef {
  id: string;
  item: ItemRef;
}
interface SessionOptions {
  revealed?: boolean;
  inputs?: string[];
}

/**
 * A fresh estimation session on one new feature, started (and revealed, if asked) at the database in the name of
 * `facilitator`, with `participants`.
 */
async function estimationSession(
  fx: Fixture,
  facilitator: string,
  participants: string[],
  options: SessionOptions = {},
): Promise<SessionRef> {
  const item = await fx.feature();
  const deps = fx.t.runtime.deps;
  const body = {
    title: "Estimation",
    items: [item.key],
    participants,
    ...(options.inputs ? { inputs: options.inputs } : {}),
  };
  const s = await startEstimationSession(deps, operator(facilitator), "PAY", body);
  if (options.revealed) await revealEstimation(deps, operator(facilitator), s.id);
  return { id: s.id, item };
}
/** A session of the spare person with `who` taking part (unless they cannot see PAY). */
const takingPart = (fx: Fixture, who: TestUser | null, options?: SessionOptions) =>
  estimationSession(fx, fx.spare.id, who && who !== fx.people.outsider ? [who.id] : [], options);
/** A session `who` facilitates (the spare person's, for anonymous). */
const facilitating = (fx: Fixture, who: TestUser | null, options?: SessionOptions) =>
  estimationSession(fx, who?.id ?? fx.spare.id, [], options);
const sessionAction = (s: SessionRef, action: string): Probe => ({
  method: "POST",
  path: `/estimation-sessions/${s.id}/${action}`,
});
const scoreProbe = (s: SessionRef): Probe => ({
  method: "PUT",
  path: `/estimation-sessions/${s.id}/scores`,
  body: { scores: [{ item: s.item.key, input: "jobSize", value: 5 }] },
});
const inviteProbe = (fx: Fixture, s: SessionRef): Probe => ({
  method: "POST",
  path: `/estimation-sessions/${s.id}/participants`,
  body: { person: fx.people.admin?.id },
});
const confirmProbe = (s: SessionRef): Probe => ({
  method: "POST",
  path: `/estimation-sessions/${s.id}/confirm`,
  body: { values: [{ item: s.item.key, input: "businessValue", value: 8, version: s.item.version }] },
});

const FEEDBACK = { source: "support ticket", customer: "Acme Bank", body: "Refunds are slow.", weight: 5 };

/** Fresh feedback on PAY recorded by the administrator, linked to `linkTo` if given; returns its id. */
async function newFeedback(fx: Fixture, linkTo?: ItemRef): Promise<string> {
  const r = await fx.t.call("POST", "/arts/PAY/feedback", { ...FEEDBACK, ...(linkTo ? { items: [linkTo.key] } : {}) });
  if (r.status !== 201) throw new Error(`could not record feedback: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}
const linkFeedback = async (fx: Fixture, item: Promise<ItemRef>): Promise<Probe> => {
  const i = await item;
  return { method: "POST", path: `/items/${i.key}/feedback`, body: { feedbackId: await newFeedback(fx) } };
};
const unlinkFeedback = async (fx: Fixture, item: Promise<ItemRef>): Promise<Probe> => {
  const i = await item;
  return { method: "DELETE", path: `/items/${i.key}/feedback/${await newFeedback(fx, i)}` };
};

/**
 * A fresh reorder of PAY's features to undo, made by the administrator: a low-WSJF feature, then a high-WSJF one below
 * it, so applying WSJF order has to move something.
 */
async function wsjfReorder(fx: Fixture): Promise<string> {
  await fx.feature({ businessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: 20 });
  await fx.feature({ businessValue: 20, timeCriticality: 20, riskReduction: 20, jobSize: 1 });
  const applied = await fx.t.call("POST", "/arts/PAY/wsjf/order", { level: "feature" });
  if (applied.status !== 200 || !applied.body.reorderId) {
    throw new Error(`could not apply WSJF order: ${applied.status} ${JSON.stringify(applied.body)}`);
  }
  return applied.body.reorderId;
}

interface Answer {
  status: number;
  body: { code?: string; detail?: string; errors?: { path: string }[] } | null;
}

/** Sends a probe as `who` (their API token; nobody for null). A stream's body is not read, only its status. */
async function send(t: TestApp, who: TestUser | null, probe: Probe): Promise<Answer> {
  const init: RequestInit = {
    method: probe.method,
    headers: {
      ...(probe.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(who ? { authorization: `Bearer ${who.token}` } : {}),
      ...probe.headers,
    },
  };
  if (probe.body !== undefined) init.body = JSON.stringify(probe.body);
  const res = await t.app.request(`/api/v1${probe.path}`, init);
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, body: null };
  }
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: res.status, body: null };
  }
}

/** What is wrong with an answer, given the cell, or null when it is what the matrix says. */
function misfit(cell: string, column: Column, probe: Probe, answer: Answer): string | null {
  const { status, body } = answer;
  const got = `got ${status}${body?.detail ? ` (${body.detail})` : ""}`;
  switch (cell) {
    case "allow": {
      const ok = probe.allowed !== undefined ? status === probe.allowed : status >= 200 && status < 300;
      return ok ? null : `expected it to be carried out${probe.allowed ? ` (${probe.allowed})` : ""}, ${got}`;
    }
    case "deny": {
      const expected = column === "anonymous" ? 401 : 403;
      return status === expected ? null : `expected ${expected}, ${got}`;
    }
    case "hidden":
      return status === 404 ? null : `expected 404, ${got}`;
    case "unknown": {
      if (!probe.field) return "the builder names no field for an `unknown` cell";
      const named = body?.errors?.some((e) => e.path === probe.field) ?? false;
      return status === 400 && named ? null : `expected 400 naming ${probe.field}, ${got}`;
    }
    default:
      return `"${cell}" is not one of ${CELLS.join(", ")}`;
  }
}

/** Whether a probe's method and path are an instance of the row's route, e.g. `GET /items/PAY-3` of `GET /items/{item}`. */
function isInstanceOf(probe: Probe, route: string): boolean {
  const [method, template = ""] = route.split(" ");
  const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return probe.method === method && pattern.test(probe.path.split("?")[0] as string);
}

describe("the permission matrix in docs/permissions.md", () => {
  it("has the documented columns and only the documented cell values", () => {
    expect(matrix.header).toEqual(["route", "target", ...COLUMNS]);
    expect(matrix.rows.length).toBeGreaterThan(0);
    const odd = matrix.rows.flatMap((r) =>
      COLUMNS.filter((c) => !CELLS.includes(r.cells[c])).map((c) => `${keyOf(r)} / ${c}: ${r.cells[c]}`),
    );
    expect(odd).toEqual([]);
  });

  it("names each route and target once", () => {
    const keys = matrix.rows.map(keyOf);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it("has a request for every row, and no request for a row it lacks", () => {
    const keys = new Set(matrix.rows.map(keyOf));
    expect(matrix.rows.map(keyOf).filter((k) => !BUILDERS[k])).toEqual([]);
    expect(Object.keys(BUILDERS).filter((k) => !keys.has(k))).toEqual([]);
  });

  it("lets anonymous callers through exactly on the public routes, and everyone else there too", () => {
    const open = new Set(matrix.rows.filter((r) => r.cells.anonymous === "allow").map((r) => r.route));
    expect([...open].sort()).toEqual([...PUBLIC_ROUTES].sort());
    const closedToSomeone = matrix.rows.filter(
      (r) => PUBLIC_ROUTES.has(r.route) && COLUMNS.some((c) => r.cells[c] !== "allow"),
    );
    expect(closedToSomeone.map(keyOf)).toEqual([]);
  });
});

describeEachDatabase("the permission matrix against the API", (database) => {
  let fx: Fixture;

  beforeAll(async () => {
    fx = await buildFixture(await database.createUrl());
  });
  afterAll(async () => {
    await fx?.t.close();
  });

  it("has a row for every route of the OpenAPI document, and no row for a route the document lacks", async () => {
    const doc = await send(fx.t, null, get("/openapi.json"));
    const paths = (doc.body as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
    const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    const routes = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => methods.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    // The document does not describe itself, but it is a route all the same (it just answered).
    expect(doc.status).toBe(200);
    routes.push("GET /openapi.json");
    expect(routes.length).toBeGreaterThan(30);
    const documented = new Set(matrix.rows.map((r) => r.route));
    expect(routes.filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !routes.includes(r)).sort()).toEqual([]);
  });

  for (const row of matrix.rows) {
    it(`answers ${row.route} on ${row.target} for each role as the matrix says`, async () => {
      const build = BUILDERS[keyOf(row)];
      expect(build, `no request for "${keyOf(row)}" in BUILDERS`).toBeDefined();
      if (!build) return;
      const wrong: string[] = [];
      for (const column of COLUMNS) {
        const who = fx.people[column];
        const probe = await build(fx, who);
        expect(isInstanceOf(probe, row.route), `${probe.method} ${probe.path} is not ${row.route}`).toBe(true);
        const problem = misfit(row.cells[column], column, probe, await send(fx.t, who, probe));
        if (problem) wrong.push(`${column}: ${problem}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});

/** ART PAY (teams core and web) and ART OTHER, one person per column, and helpers that make what a request needs. */
async function buildFixture(url: string): Promise<Fixture> {
  const t: TestApp = await openTestApp(url, { seedDemo: () => seedDemo(t.runtime.deps, {}) });
  await createSmallTrain(t);
  const other = await t.call("POST", "/arts", {
    key: "OTHER",
    name: "Other Train",
    teams: [{ key: "ops", name: "Ops" }],
  });
  expect(other.status).toBe(201);
  const people: Record<Column, TestUser | null> = {
    admin: t.admin,
    rte: await t.user("Rita Rte", [{ art: "PAY", role: "rte" }]),
    product_manager: await t.user("Paula Pm", [{ art: "PAY", role: "product_manager" }]),
    product_owner: await t.user("Pete Po", [{ art: "PAY", role: "product_owner", team: "core" }]),
    business_owner: await t.user("Bea Bo", [{ art: "PAY", role: "business_owner" }]),
    team_member: await t.user("Tom Tm", [{ art: "PAY", role: "team_member", team: "core" }]),
    viewer: await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]),
    outsider: await t.user("Otto Outsider", [{ art: "OTHER", role: "viewer" }]),
    anonymous: null,
  };
  const spare = await t.user("Sam Spare");
  let counter = 0;

  const made = async (body: object): Promise<ItemRef> => {
    const r = await t.call("POST", "/items", body);
    if (r.status !== 201) throw new Error(`could not create ${JSON.stringify(body)}: ${r.status} ${r.body?.detail}`);
    return { key: r.body.key, version: r.body.version };
  };
  return {
    t,
    people,
    spare,
    next: () => ++counter,
    feature: (extra) => made(feature(extra)),
    story: (team, extra) => made(story(team, extra)),
    async relate(from, to) {
      const r = await t.call("POST", `/items/${from.key}/relations`, { kind: "relates_to", target: to.key });
      if (r.status !== 201) throw new Error(`could not relate ${from.key} to ${to.key}: ${r.status}`);
      return r.body.id;
    },
    async invite() {
      const n = ++counter;
      const r = await t.call("POST", "/users", { name: `Invitee ${n}`, email: `invitee.${n}@example.com` });
      if (r.status !== 201) throw new Error(`could not invite: ${r.status} ${r.body?.detail}`);
      return { id: r.body.account.id, link: String(r.body.link.url).split("#")[1] as string };
    },
    async tokenOf(user) {
      const r = await t.as(user)("POST", "/tokens", { name: "to revoke" });
      if (r.status !== 201) throw new Error(`could not make a token: ${r.status}`);
      return r.body.id;
    },
  };
}
