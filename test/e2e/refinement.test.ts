// Refinement in a real browser, on a small train made through the API: a team's Definition of Ready set on the Refine
// screen; a story with quality problems edited in the item panel until its findings are gone, its manual Definition
// of Ready item ticked and the story moved to Ready (the API agrees); another story split with a suggestion through
// the split dialog (the original closed as split, the new stories in its rank position with split_from links); and
// the Refine screen's health panel showing the numbers the API computes — with no console errors or CSP violations.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface ApiItem {
  id: string;
  key: string;
  state: string;
  title: string;
  points: number | null;
  parentId: string | null;
  teamId: string | null;
  readyChecks: string[];
  acceptanceCriteria: { text: string; met: boolean }[];
}
interface ApiDetail {
  item: ApiItem;
  relations: { kind: string; direction: "outgoing" | "incoming"; item: { key: string } }[];
}
interface Rate {
  ready: number;
  of: number;
  rate: number | null;
}
interface Problem {
  kind: string;
  rule: string | null;
  items: { key: string }[];
}
interface Health {
  teams: {
    team: { key: string };
    capacityPerIteration: { points: number | null; source: string | null };
    readiness: { planned: Rate; ranked: Rate };
    readyDepth: { points: number; iterations: number | null };
    problems: Problem[];
  }[];
  train: {
    capacityPerIteration: number | null;
    readiness: { planned: Rate; ranked: Rate };
    readyDepth: { points: number; iterations: number | null };
    problems: Problem[];
  };
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;

/** Keys the train gets, in the order the items are made. */
const FEATURE = "REF-1";
const ROUGH = "REF-2";
const BEFORE = "REF-3";
const ADDRESSES = "REF-4";
const AFTER = "REF-5";

/** A day `days` from today, yyyy-mm-dd (the PI starts after today, so its iterations are the next ones). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const item = (key: string) => server.api<ApiDetail>(`/items/${key}`);
const teamOrder = async () =>
  (await server.api<{ items: { key: string; state: string }[] }>("/arts/REF/teams/core/backlog/all")).items
    .filter((r) => r.state !== "split")
    .map((r) => r.key);

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser()]);
  await server.api("/arts", {
    method: "POST",
    body: {
      key: "REF",
      name: "Refinement Train",
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    },
  });
  await server.api("/arts/REF/pis", { method: "POST", body: { name: "PI 1", startDate: inDays(3) } });
  const story = (body: Record<string, unknown>) =>
    server.api<ApiItem>("/items", { method: "POST", body: { art: "REF", level: "story", teamId: "core", ...body } });
  await server.api("/items", {
    method: "POST",
    body: { art: "REF", level: "feature", title: "Checkout for returning shoppers", teamIds: ["core"] },
  });
  // Rough: no role, two goals, a note in brackets, vague words, no estimate, an untestable criterion.
  await story({
    title: "Fast checkout and payment (see notes)",
    parentId: FEATURE,
    acceptanceCriteria: ["Checkout is quick and user-friendly etc."],
    iterationId: "PI 1/1",
  });
  await story({
    title: "As a shopper, I want to see my order history, so that I can reorder a past basket",
    parentId: FEATURE,
    points: 3,
    acceptanceCriteria: ["Given I have two past orders, when I open my orders, then both are listed newest first"],
    iterationId: "PI 1/1",
  });
  await story({
    title: "As a shopper, I want to create, edit and delete saved addresses, so that checkout needs no typing",
    parentId: FEATURE,
    points: 8,
    acceptanceCriteria: [
      "Given no saved address, when I create one, then it is offered at checkout",
      "Given a saved address, when I edit its street, then checkout offers the new street",
      "Given a saved address, when I delete it, then checkout no longer offers it",
    ],
    iterationId: "PI 1/2",
  });
  await story({ title: "As a shopper, I want a receipt by email, so that I can file it", points: 2 });
  await server.signIn(browser.context);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("refining stories in the browser", () => {
  it("sets a team's Definition of Ready on the Refine screen: a manual item, refusing unready stories, a capacity", async () => {
    await page.goto(`${server.url}/arts/REF`);
    await page.getByTestId("nav-refine").click();
    await page.getByTestId("refine-screen").waitFor();
    await page.getByTestId("refine-team-core").click();
    expect(page.url()).toBe(`${server.url}/arts/REF/refine?team=core`);

    const settings = page.getByTestId("refinement-settings");
    await settings.getByTestId("refinement-manual-add").click();
    await settings.getByTestId("refinement-manual-label").fill("UX reviewed with design");
    await settings.getByTestId("refinement-policy-refuse").check();
    // A bad number is named at its field by the server, nothing is saved.
    await settings.getByTestId("refinement-capacityPerIteration").fill("-5");
    await settings.getByTestId("refinement-save").click();
    await eventually(() => settings.locator(".field-error").allTextContents()).toEqual([
      expect.stringContaining("more than 0"),
    ]);
    expect((await server.api<{ version: number }>("/arts/REF/teams/core/refinement")).version).toBe(0);

    await settings.getByTestId("refinement-capacityPerIteration").fill("10");
    await settings.getByTestId("refinement-save").click();
    await settings.getByTestId("refinement-saved").waitFor();
    const stored = await server.api<{
      version: number;
      settings: {
        readyPolicy: string;
        capacityPerIteration: number | null;
        definitionOfReady: { manual: { id: string; label: string }[] };
      };
    }>("/arts/REF/teams/core/refinement");
    expect(stored.version).toBe(1);
    expect(stored.settings.readyPolicy).toBe("refuse");
    expect(stored.settings.capacityPerIteration).toBe(10);
    expect(stored.settings.definitionOfReady.manual.map((m) => m.label)).toEqual(["UX reviewed with design"]);
  });

  it("refines a rough story in the item panel until its findings are gone, ticks the team's item and moves it to Ready", async () => {
    await page.goto(`${server.url}/arts/REF/teams/core?item=${ROUGH}`);
    const panel = page.getByTestId("item-panel");
    await eventually(() => panel.getByTestId("quality-finding").count()).toBeGreaterThan(2);
    const rules = await panel.getByTestId("quality-finding").evaluateAll((els) => els.map((e) => e.dataset.rule));
    expect(rules).toEqual(expect.arrayContaining(["well_formed", "minimal", "ambiguous", "estimable", "testable"]));
    expect(await panel.getByTestId("readiness-badge").first().getAttribute("data-ready")).toBe("false");

    await panel
      .getByTestId("field-title")
      .fill("As a returning shopper, I want to pay with my saved card, so that checkout takes one step");
    await panel.getByTestId("field-points").fill("3");
    await panel
      .getByTestId("criterion-input")
      .first()
      .fill("Given a saved card, when I confirm the order, then the payment is taken and the order is confirmed");
    await eventually(() => panel.getByTestId("quality-finding").count()).toBe(0);
    await panel.getByTestId("save-button").click();
    await eventually(async () => (await item(ROUGH)).item.points).toBe(3);

    // Everything but the team's own item is met now; ticking it saves at once.
    const manual = panel.getByTestId("ready-check-manual");
    await eventually(() => manual.count()).toBe(1);
    expect(await manual.isChecked()).toBe(false);
    await manual.click();
    await eventually(async () => (await item(ROUGH)).item.readyChecks).toHaveLength(1);
    await eventually(() => panel.getByTestId("readiness-badge").first().getAttribute("data-ready")).toBe("true");

    await panel.getByTestId("field-state").selectOption("ready");
    await panel.getByTestId("save-button").click();
    await eventually(async () => (await item(ROUGH)).item.state).toBe("ready");
    expect(await panel.getByTestId("field-state").inputValue()).toBe("ready");
    const quality = await server.api<{ findings: unknown[]; readiness: { ready: boolean; missing: string[] } }>(
      `/items/${ROUGH}/quality`,
    );
    expect(quality.findings).toEqual([]);
    expect(quality.readiness).toMatchObject({ ready: true, missing: [] });
  });

  it("splits a story with a suggestion: the original closes as split, its stories take its rank with split_from links", async () => {
    expect(await teamOrder()).toEqual([ROUGH, BEFORE, ADDRESSES, AFTER]);
    const original = (await item(ADDRESSES)).item;
    await page.goto(`${server.url}/arts/REF/teams/core?item=${ADDRESSES}`);
    await page.getByTestId("split-story-button").click();
    const dialog = page.getByTestId("split-dialog");
    await dialog.getByTestId("split-suggestion").first().waitFor();

    // The CRUD verbs in the title make "operations" a suggestion; its stories each take the criteria they name.
    const operations = dialog.locator('[data-testid="split-suggestion"][data-pattern="operations"]');
    await operations.click();
    const stories = dialog.getByTestId("split-story");
    const count = await stories.count();
    expect(count).toBeGreaterThanOrEqual(2);
    const owned = await stories.evaluateAll((els) =>
      els.map((el) => el.querySelectorAll('[data-testid="split-criterion"]').length),
    );
    expect(owned.reduce((a, b) => a + b, 0)).toBe(original.acceptanceCriteria.length);

    // Move the first criterion to the last story, give every story points, then split.
    const firstOwner = dialog.getByTestId("split-criterion-owner").first();
    const options = await firstOwner
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    await firstOwner.selectOption(options[options.length - 1] ?? "");
    for (let i = 0; i < count; i++)
      await stories
        .nth(i)
        .getByTestId("split-story-points")
        .fill(String(i + 2));
    const titles = await dialog
      .getByTestId("split-story-title")
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    await dialog.getByTestId("split-apply").click();
    await eventually(() => page.getByTestId("split-dialog").count()).toBe(0);

    const after = await item(ADDRESSES);
    expect(after.item.state).toBe("split");
    const into = after.relations.filter((r) => r.kind === "split_from" && r.direction === "incoming");
    expect(into).toHaveLength(count);
    const newKeys = into.map((r) => r.item.key).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    const made = await Promise.all(newKeys.map(item));
    expect(made.map((d) => d.item.title)).toEqual(titles);
    expect(made.map((d) => d.item.points)).toEqual(titles.map((_, i) => i + 2));
    for (const d of made) {
      expect(d.item).toMatchObject({ state: "new", parentId: original.parentId, teamId: original.teamId });
      expect(d.relations).toContainEqual(
        expect.objectContaining({
          kind: "split_from",
          direction: "outgoing",
          item: expect.objectContaining({ key: ADDRESSES }),
        }),
      );
    }
    // Every criterion went to exactly one story; the first one to the last story, as moved.
    const moved = made.flatMap((d) => d.item.acceptanceCriteria.map((c) => c.text));
    for (const c of original.acceptanceCriteria) expect(moved.filter((t) => t === c.text)).toHaveLength(1);
    expect(made[made.length - 1]?.item.acceptanceCriteria.map((c) => c.text)).toContain(
      original.acceptanceCriteria[0]?.text,
    );
    expect(await teamOrder()).toEqual([ROUGH, BEFORE, ...newKeys, AFTER]);

    // The panel shows the original closed as split, with links to its stories.
    await eventually(() => page.getByTestId("split-into-link").allTextContents()).toEqual(newKeys);
  });

  it("shows the health the API computes on the Refine screen, for the team and for the whole train", async () => {
    await page.goto(`${server.url}/arts/REF/refine?team=core`);
    const panel = page.getByTestId("health-panel");
    await panel.getByTestId("health-capacity").waitFor();
    const health = await server.api<Health>("/arts/REF/health?team=core");
    const core = health.teams[0];
    if (!core) throw new Error("the health check lists the team");
    expect(core.capacityPerIteration).toEqual({ points: 10, source: "set" });

    const figure = (id: string, attr: string) => panel.getByTestId(id).getAttribute(attr);
    await eventually(() => figure("health-capacity", "data-points")).toBe("10");
    expect(await figure("health-capacity", "data-source")).toBe("set");
    for (const [id, rate] of [
      ["health-readiness-planned", core.readiness.planned],
      ["health-readiness-ranked", core.readiness.ranked],
    ] as const) {
      expect(await figure(id, "data-ready")).toBe(String(rate.ready));
      expect(await figure(id, "data-of")).toBe(String(rate.of));
      expect(await figure(id, "data-rate")).toBe(rate.rate === null ? "" : String(rate.rate));
    }
    expect(await figure("health-depth", "data-iterations")).toBe(String(core.readyDepth.iterations ?? ""));
    expect(await figure("health-depth", "data-points")).toBe(String(core.readyDepth.points));
    // The ROUGH story is ready: 3 ready points against 10 per iteration.
    expect(core.readyDepth).toEqual({ points: 3, iterations: 0.3, healthy: false });
    expect(await panel.getByTestId("health-depth").getByTestId("health-value").textContent()).toBe("0.3 iterations");

    const shown = await panel
      .getByTestId("health-problem")
      .evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.rule}:${e.dataset.count}`));
    expect(shown).toEqual(core.problems.map((p) => `${p.kind}:${p.rule ?? ""}:${p.items.length}`));

    // A problem expands to its items; an item opens in the panel.
    const withItems = core.problems.find((p) => p.items.length > 0);
    if (!withItems) throw new Error("the team has a problem with items");
    const problem = panel.locator(`[data-testid="health-problem"][data-kind="${withItems.kind}"]`).first();
    await problem.locator("summary").click();
    const first = withItems.items[0]?.key ?? "";
    await problem.locator(`[data-testid="health-problem-item"][data-key="${first}"]`).click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(first);
    expect(new URL(page.url()).searchParams.get("item")).toBe(first);

    // The whole train: the teams added up.
    await page.getByTestId("refine-team-all").click();
    const train = (await server.api<Health>("/arts/REF/health")).train;
    await eventually(() => figure("health-readiness-planned", "data-of")).toBe(String(train.readiness.planned.of));
    expect(await figure("health-readiness-planned", "data-ready")).toBe(String(train.readiness.planned.ready));
    expect(await figure("health-capacity", "data-points")).toBe(String(train.capacityPerIteration ?? ""));
    expect(await page.getByTestId("health-team").count()).toBe(2);
    expect(browser.errors).toEqual([]);
  });

  it("lists the backlog's quality findings by rule and filters by the rule clicked", async () => {
    await page.goto(`${server.url}/arts/REF/refine`);
    const list = page.getByTestId("quality-list");
    await list.getByTestId("quality-report-summary").waitFor();
    const report = await server.api<{ stories: { key: string }[]; byRule: Record<string, number> }>(
      "/arts/REF/quality",
    );
    const chips = await list
      .getByTestId("quality-rule-count")
      .evaluateAll((els) => els.map((e) => [e.dataset.rule, Number(e.dataset.count)]));
    expect(Object.fromEntries(chips)).toEqual(
      Object.fromEntries(Object.entries(report.byRule).filter(([, n]) => n > 0)),
    );
    expect(await list.getByTestId("quality-story").evaluateAll((els) => els.map((e) => e.dataset.key))).toEqual(
      report.stories.map((s) => s.key),
    );
    // The story without acceptance criteria is untestable.
    expect(report.byRule.testable).toBeGreaterThan(0);
    await list.locator('[data-testid="quality-rule-count"][data-rule="testable"]').click();
    expect(new URL(page.url()).searchParams.get("rule")).toBe("testable");
    const filtered = await server.api<{ stories: { key: string }[] }>("/arts/REF/quality?rule=testable");
    expect(filtered.stories.map((s) => s.key)).toContain(AFTER);
    await eventually(() =>
      list.getByTestId("quality-story").evaluateAll((els) => els.map((e) => e.dataset.key)),
    ).toEqual(filtered.stories.map((s) => s.key));
    await list.locator(`[data-testid="quality-story"][data-key="${AFTER}"] [data-testid="quality-story-link"]`).click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(AFTER);
    expect(browser.errors).toEqual([]);
  });
});
