// The Metrics screen in a real browser with the demo train: a team's dashboard shows the seed's three metrics —
// Backlog Readiness Rate (assigned), Story Acceptance Rate and Rework Ratio — equal to what this test works out on
// its own from the raw items and their history (never from the metrics endpoint), with domain.md's formulas; the
// whole train's charts draw and show their numbers as a table and a CSV file; the forecast states its assumption;
// and an as-of date in the past shows the acceptance rate as it stood then — with no console errors or CSP violations.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface ApiIteration {
  id: string;
  piId: string;
  name: string;
  number: number;
  startDate: string;
  endDate: string;
  kind: string;
}
interface ApiPi {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
  iterations: ApiIteration[];
}
interface ApiArt {
  id: string;
  key: string;
  teams: { id: string; key: string; name: string }[];
  pis: ApiPi[];
}
interface Row {
  id: string;
  key: string;
  level: string;
  state: string;
  teamId: string | null;
  iterationId: string | null;
}
interface Event {
  itemId: string;
  kind: string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  at: string;
}

const DAY = 86_400_000;
const CLOSED = ["done", "accepted", "split"];
const FINISHED = ["done", "accepted"];
const EARLIER = ["new", "refining", "ready", "in_progress"];
const TRACKED = ["state", "teamId", "iterationId"] as const;
type Field = (typeof TRACKED)[number];

/** A date's first instant (UTC), and the instant it ends (the next day's midnight). */
const startOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const endOf = (date: string) => startOf(date) + DAY;
/** As the API rounds percentages: to one decimal. */
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A story as it is now, with its changes of state, team and iteration, oldest first. */
interface Story {
  row: Row;
  created: number;
  changes: { field: Field; old: unknown; at: number }[];
  stateChanges: { old: string; next: string; at: number }[];
}

/** A field's value just after `t`: the current value with every later change undone, newest first. */
function valueAt(s: Story, field: Field, t: number): unknown {
  let value: unknown = s.row[field];
  for (const c of [...s.changes].reverse()) {
    if (c.at <= t) break;
    if (c.field === field) value = c.old;
  }
  return value;
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let art: ApiArt;
let stories: Story[];
const cspViolations: string[] = [];

async function loadRawData(): Promise<void> {
  art = (await server.api<{ items: ApiArt[] }>("/arts")).items[0] as ApiArt;
  const rows: Row[] = [];
  for (const team of art.teams) {
    const page = await server.api<{ items: Row[] }>(`/arts/${art.key}/teams/${team.key}/backlog/all`);
    rows.push(...page.items.filter((r) => r.level === "story"));
  }
  const events: Event[] = [];
  let cursor: number | null = null;
  do {
    const page: { items: Event[]; nextCursor: number | null } = await server.api(
      `/arts/${art.key}/history?limit=1000${cursor === null ? "" : `&cursor=${cursor}`}`,
    );
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  const byItem = new Map<string, Event[]>();
  for (const e of events) byItem.set(e.itemId, [...(byItem.get(e.itemId) ?? []), e]);
  stories = rows.map((row) => {
    const own = (byItem.get(row.id) ?? []).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const created = own.find((e) => e.kind === "created");
    const updates = own.filter((e) => e.kind === "updated" && TRACKED.includes(e.field as Field));
    return {
      row,
      created: created ? Date.parse(created.at) : Number.NEGATIVE_INFINITY,
      changes: updates.map((e) => ({ field: e.field as Field, old: e.oldValue, at: Date.parse(e.at) })),
      stateChanges: updates
        .filter((e) => e.field === "state")
        .map((e) => ({ old: String(e.oldValue), next: String(e.newValue), at: Date.parse(e.at) })),
    };
  });
}

const developmentIterations = () =>
  art.pis
    .flatMap((p) => p.iterations)
    .filter((i) => i.kind === "development")
    .sort((a, b) => a.startDate.localeCompare(b.startDate));

/** The PI a dashboard opens for an as-of date: the one running then, else the latest started. */
function piAt(asOf: string): ApiPi {
  const started = [...art.pis]
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .filter((p) => p.startDate <= asOf);
  const pi = started.find((p) => p.endDate >= asOf) ?? started.at(-1);
  if (!pi) throw new Error(`no PI had started by ${asOf}`);
  return pi;
}

/**
 * Story Acceptance Rate of one iteration for a team, as of instant `at`: of the open stories in the iteration and
 * the team at its start, those accepted at its end.
 */
function acceptance(
  iteration: ApiIteration,
  teamId: string,
  at: number,
): { planned: number; accepted: number; rate: number | null } {
  const start = startOf(iteration.startDate);
  const end = Math.min(endOf(iteration.endDate), at);
  let planned = 0;
  let accepted = 0;
  for (const s of stories) {
    if (s.created > start) continue;
    if (valueAt(s, "iterationId", start) !== iteration.id || valueAt(s, "teamId", start) !== teamId) continue;
    if (CLOSED.includes(valueAt(s, "state", start) as string)) continue;
    planned++;
    if (valueAt(s, "state", end) === "accepted") accepted++;
  }
  return { planned, accepted, rate: percent(accepted, planned) };
}

/** The acceptance the dashboard shows as of `asOf`: the latest finished iteration with stories planned (else the latest). */
function latestAcceptance(
  teamId: string,
  asOf: string,
  at: number,
): { iteration: ApiIteration | null; rate: number | null } {
  const pi = piAt(asOf);
  const finished = developmentIterations().filter(
    (i) => endOf(i.endDate) <= at && (art.pis.find((p) => p.id === i.piId)?.startDate ?? "") <= pi.startDate,
  );
  const results = finished.map((i) => ({ iteration: i, ...acceptance(i, teamId, at) }));
  const chosen = [...results].reverse().find((r) => r.planned > 0) ?? results.at(-1);
  return chosen ? { iteration: chosen.iteration, rate: chosen.rate } : { iteration: null, rate: null };
}

/** The PI's Story Acceptance Rate so far: Σ accepted ÷ Σ planned over its development iterations started by `at`. */
function piAcceptance(teamId: string, pi: ApiPi, at: number): number | null {
  const started = pi.iterations.filter((i) => i.kind === "development" && startOf(i.startDate) < at);
  const results = started.map((i) => acceptance(i, teamId, at));
  return percent(
    results.reduce((n, r) => n + r.accepted, 0),
    results.reduce((n, r) => n + r.planned, 0),
  );
}

/** Rework Ratio of the team in the PI up to `at`: stories moved back from done or accepted ÷ stories completed. */
function rework(teamId: string, pi: ApiPi, at: number): number | null {
  const from = startOf(pi.startDate);
  const to = Math.min(endOf(pi.endDate), at);
  const reworked = new Set<string>();
  const completed = new Set<string>();
  for (const s of stories) {
    for (const c of s.stateChanges) {
      if (c.at < from || c.at >= to || valueAt(s, "teamId", c.at) !== teamId) continue;
      if ((FINISHED.includes(c.old) && EARLIER.includes(c.next)) || (c.old === "accepted" && c.next === "split")) {
        reworked.add(s.row.id);
      }
      if (FINISHED.includes(c.next) && !CLOSED.includes(c.old)) completed.add(s.row.id);
    }
  }
  return percent(reworked.size, completed.size);
}

/** Backlog Readiness Rate (assigned) now: ready or in progress ÷ open stories in the next two development iterations. */
function readinessAssigned(teamId: string, now: number): number | null {
  const next = new Set(
    developmentIterations()
      .filter((i) => startOf(i.startDate) > now)
      .slice(0, 2)
      .map((i) => i.id),
  );
  const assigned = stories.filter(
    (s) =>
      s.row.teamId === teamId &&
      s.row.iterationId !== null &&
      next.has(s.row.iterationId) &&
      !CLOSED.includes(s.row.state),
  );
  return percent(
    assigned.filter((s) => s.row.state === "ready" || s.row.state === "in_progress").length,
    assigned.length,
  );
}

/**
 * Backlog Readiness Rate (assigned) as an iteration began: of the team's open stories in it and the next development
 * iteration at its start, those ready or in progress.
 */
function readinessAtStart(iteration: ApiIteration, teamId: string): number | null {
  const all = developmentIterations();
  const ahead = new Set(
    all
      .slice(all.findIndex((i) => i.id === iteration.id))
      .slice(0, 2)
      .map((i) => i.id),
  );
  const start = startOf(iteration.startDate);
  const assigned = stories.filter(
    (s) =>
      s.created <= start &&
      valueAt(s, "teamId", start) === teamId &&
      ahead.has(valueAt(s, "iterationId", start) as string) &&
      !CLOSED.includes(valueAt(s, "state", start) as string),
  );
  const ready = assigned.filter((s) => ["ready", "in_progress"].includes(valueAt(s, "state", start) as string));
  return percent(ready.length, assigned.length);
}

/** A tile's raw number (null for none) and its text. */
async function tile(p: Page, testId: string): Promise<{ value: number | null; text: string }> {
  const el = p.getByTestId(testId);
  const raw = await el.getAttribute("data-value");
  const text = (await el.getByTestId("metric-text").textContent()) ?? "";
  return { value: raw === null || raw === "" ? null : Number(raw), text };
}

const shownAs = (value: number | null) => (value === null ? "no data" : `${Math.round(value)}%`);

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true }), openBrowser()]);
  await server.signIn(browser.context);
  page = await browser.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await loadRawData();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the Metrics screen in the browser", () => {
  let teamKey: string;
  let teamId: string;

  it("shows a team's seed metrics equal to those worked out from its items and their history", async () => {
    const now = Date.now();
    const today = isoDay(now);
    // The team with the most to show: one whose latest finished iteration had stories planned, if any has.
    const team =
      art.teams.find((t) => latestAcceptance(t.id, today, now).rate !== null) ?? (art.teams[0] as ApiArt["teams"][0]);
    teamKey = team.key;
    teamId = team.id;
    const expected = {
      readiness: readinessAssigned(team.id, now),
      acceptance: latestAcceptance(team.id, today, now).rate,
      acceptanceInPi: piAcceptance(team.id, piAt(today), now),
      rework: rework(team.id, piAt(today), now),
    };

    await page.goto(`${server.url}/arts/${art.key}/metrics?team=${team.key}`);
    await page.getByTestId("metrics-dashboard").waitFor();
    expect(await page.getByTestId("metrics-scope").textContent()).toContain(team.name);
    expect(await page.getByTestId("nav-metrics").getAttribute("aria-current")).toBe("page");

    const readiness = await tile(page, "metric-readiness-assigned");
    const accepted = await tile(page, "metric-acceptance");
    const reworked = await tile(page, "metric-rework");
    const inPi = await page.getByTestId("metric-acceptance-pi").getAttribute("data-value");
    expect({
      readiness: readiness.value,
      acceptance: accepted.value,
      acceptanceInPi: inPi ? Number(inPi) : null,
      rework: reworked.value,
    }).toEqual(expected);
    expect(readiness.text).toBe(shownAs(expected.readiness));
    expect(accepted.text).toBe(shownAs(expected.acceptance));
    expect(reworked.text).toBe(shownAs(expected.rework));
    for (const id of [
      "metric-readiness-ranked",
      "metric-depth",
      "metric-velocity",
      "metric-say-do",
      "metric-predictability",
    ]) {
      const shown = await tile(page, id);
      if (shown.value === null) expect(shown.text).toBe("no data");
      else expect(shown.text).not.toBe("no data");
    }
  });

  it("charts the team's readiness as each iteration of its PIs began, as worked out from history", async () => {
    const now = Date.now();
    const chart = page.getByTestId("chart-readiness");
    await chart.getByTestId("chart-table-toggle").click();
    const rows = chart.getByTestId("chart-table").locator("tbody tr");
    await eventually(() => rows.count()).toBeGreaterThan(1);
    const started = developmentIterations().filter((i) => startOf(i.startDate) < now);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.lastElementChild?.textContent ?? ""));
    const expected = started.slice(-shown.length).map((i) => readinessAtStart(i, teamId));
    expect(expected.some((r) => r !== null)).toBe(true);
    expect(shown).toEqual(expected.map((r) => (r === null ? "no data" : String(r))));
  });

  it("shows the whole train's charts, each with its numbers as a table and as a CSV file", async () => {
    await page.getByTestId("metrics-team").selectOption("");
    await eventually(() => new URL(page.url()).searchParams.get("team")).toBeNull();
    await eventually(() => page.getByTestId("metrics-scope").textContent()).toContain("the whole train");

    const chart = page.getByTestId("chart-velocity");
    await eventually(() => chart.locator("canvas").count()).toBe(1);
    await eventually(() => chart.locator("canvas").evaluate((c) => (c as { width: number }).width)).toBeGreaterThan(0);
    await chart.getByTestId("chart-table-toggle").click();
    const rows = chart.getByTestId("chart-table").locator("tbody tr");
    await eventually(() => rows.count()).toBeGreaterThan(0);
    const cells = await rows.first().locator("th, td").allTextContents();

    const [download] = await Promise.all([page.waitForEvent("download"), chart.getByTestId("chart-csv").click()]);
    expect(download.suggestedFilename()).toMatch(/velocity\.csv$/);
    const path = await download.path();
    const lines = (await readFile(path, "utf8")).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("Iteration,Finished,Planned points,Velocity (points),Say/do %");
    expect(lines.length - 1).toBe(await rows.count());
    const first = (lines[1] ?? "").split(",");
    expect(first[0]).toBe(cells[0]);
    expect(first.slice(2).map((v) => (v === "" ? "no data" : String(Math.round(Number(v) * 100) / 100)))).toEqual(
      cells.slice(2),
    );

    const [image] = await Promise.all([page.waitForEvent("download"), chart.getByTestId("chart-png").click()]);
    expect(image.suggestedFilename()).toMatch(/velocity\.png$/);
    const png = await readFile(await image.path());
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");

    for (const name of ["acceptance", "readiness", "rework", "burnup", "burndown", "cfd"]) {
      const card = page.getByTestId(`chart-${name}`);
      await card.waitFor();
      expect((await card.locator("canvas").count()) + (await card.getByTestId("chart-empty").count())).toBe(1);
    }
  });

  it("opens the forecast with its assumption in words", async () => {
    await page.getByTestId("metrics-view-forecast").click();
    await eventually(() => new URL(page.url()).searchParams.get("view")).toBe("forecast");
    const assumption = page.getByTestId("forecast-assumption");
    await assumption.waitFor({ timeout: 30_000 });
    const expected = await server.api<{ assumption: string }>(`/arts/${art.key}/forecast?trials=200`);
    expect(await assumption.textContent()).toBe(expected.assumption);
    expect(await page.getByTestId("forecast-trials").inputValue()).toBe("10000");
  });

  it("shows the acceptance rate as it stood on a past as-of date", async () => {
    const now = Date.now();
    const latest = latestAcceptance(teamId, isoDay(now), now);
    // The day the finished iteration before the latest one ended: then, that one was the latest.
    const finished = developmentIterations().filter((i) => endOf(i.endDate) <= now);
    const index = latest.iteration ? finished.findIndex((i) => i.id === latest.iteration?.id) : finished.length;
    const earlier = finished[Math.max(0, index - 1)] ?? finished[0];
    const asOf = earlier ? earlier.endDate : isoDay(now - 14 * DAY);
    const then = latestAcceptance(teamId, asOf, endOf(asOf));

    await page.goto(`${server.url}/arts/${art.key}/metrics?team=${teamKey}`);
    await page.getByTestId("metrics-dashboard").waitFor();
    await page.getByTestId("metrics-as-of").fill(asOf);
    await eventually(() => new URL(page.url()).searchParams.get("asOf")).toBe(asOf);
    await eventually(() => page.getByTestId("metrics-scope").textContent()).toContain(
      new Date(`${asOf}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }),
    );
    await eventually(async () => (await tile(page, "metric-acceptance")).value).toBe(then.rate);
    expect((await tile(page, "metric-acceptance")).text).toBe(shownAs(then.rate));

    expect(browser.errors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
