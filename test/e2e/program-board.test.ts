// The program board in a real browser, on a PI planned through the API for two teams: a web story that needs a core
// story by iteration 2 while the core story sits in iteration 3 shows as a red conflict line; opening it explains why,
// and moving the provider story to iteration 1 from the dependency panel turns the line healthy (the API agrees). On
// the other PI screens, a Business Owner's planned business value is set on an objective and a risk is dragged to
// another ROAM column — with no console errors.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface ApiItem {
  id: string;
  key: string;
  iterationId: string | null;
}
interface ApiDependency {
  id: string;
  health: string;
  state: string;
}
interface ApiArt {
  pis: { name: string; iterations: { id: string; name: string; number: number }[] }[];
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let dependency: ApiDependency;
let iterations: { id: string; name: string; number: number }[];

/** A day `days` from today, yyyy-mm-dd (the PI starts after today, so its iterations are open). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const item = (key: string) => server.api<{ item: ApiItem }>(`/items/${key}`).then((d) => d.item);
const dependencies = () =>
  server.api<{ dependencies: ApiDependency[] }>("/arts/PB/dependencies?pi=PI%201").then((r) => r.dependencies);

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser()]);
  await server.api("/arts", {
    method: "POST",
    body: {
      key: "PB",
      name: "Payments Train",
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    },
  });
  await server.api("/arts/PB/pis", { method: "POST", body: { name: "PI 1", startDate: inDays(3) } });
  iterations = (await server.api<ApiArt>("/arts/PB")).pis[0]?.iterations ?? [];
  const create = (body: Record<string, unknown>) =>
    server.api<ApiItem>("/items", { method: "POST", body: { art: "PB", ...body } });
  await create({ level: "feature", title: "Refund API", teamIds: ["core"], piId: "PI 1" }); // PB-1
  await create({ level: "feature", title: "Refund button in the shop", teamIds: ["web"], piId: "PI 1" }); // PB-2
  await create({
    level: "story",
    teamId: "core",
    parentId: "PB-1",
    title: "As a shop, I want to refund an order through the API, so that customers get their money back",
    points: 5,
    iterationId: "PI 1/3",
  }); // PB-3: the provider
  await create({
    level: "story",
    teamId: "web",
    parentId: "PB-2",
    title: "As a customer, I want a refund button on my order, so that I need not call support",
    points: 3,
    iterationId: "PI 1/2",
  }); // PB-4: the consumer
  for (const team of ["core", "web"]) {
    for (const it of iterations.slice(0, 4)) {
      await server.api(`/arts/PB/teams/${team}/capacity/${it.id}`, { method: "PUT", body: { version: 0, points: 20 } });
    }
  }
  dependency = await server.api<ApiDependency>("/arts/PB/dependencies", {
    method: "POST",
    body: { consumer: "PB-4", provider: "PB-3", needed: "The refund endpoint in staging", neededBy: "PI 1/2" },
  });
  await server.signIn(browser.context);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the program board in the browser", () => {
  it("shows a cross-team conflict as a red line, explains it, and moving the provider story earlier turns it healthy", async () => {
    expect(dependency.health).toBe("conflict");
    await page.goto(`${server.url}/arts/PB`);
    await page.getByTestId("nav-board").click();
    await page.getByTestId("program-board").waitFor();
    expect(page.url()).toBe(`${server.url}/arts/PB/board`);

    // Teams as rows, the features where their stories land, load against capacity.
    const coreCell = page.locator(
      `[data-testid="board-cell"][data-team="core"][data-iteration="${iterations[2]?.id}"]`,
    );
    await expect(coreCell.getByTestId("board-feature").getAttribute("data-key")).resolves.toBe("PB-1");
    await eventually(() => coreCell.getByTestId("board-load").textContent()).toContain("5 / 20");

    const line = page.locator(`[data-testid="dep-line"][data-dep="${dependency.id}"]`);
    await eventually(() => line.getAttribute("data-health")).toBe("conflict");
    await eventually(() =>
      page.locator('[data-testid="dep-legend"] [data-health="conflict"]').getAttribute("data-count"),
    ).toBe("1");
    // The list names it too, and it is cross-team and only requested.
    await expect(page.getByTestId("uncommitted-list").getByTestId("dep-entry").count()).resolves.toBe(1);

    await line.click();
    const panel = page.getByTestId("dependency-panel");
    await panel.waitFor();
    expect(new URL(page.url()).searchParams.get("dep")).toBe(dependency.id);
    await expect(panel.getByTestId("dep-health-text").textContent()).resolves.toBe(
      "Provider PB-3 lands in Iteration 3, after needed-by Iteration 2.",
    );

    const fix = panel.getByTestId("dep-fix-provider");
    await fix.getByTestId("dep-fix-provider-iteration").selectOption({ label: "Iteration 1" });
    await fix.getByTestId("dep-fix-provider-submit").click();

    await eventually(() => line.getAttribute("data-health")).toBe("healthy");
    await eventually(() => panel.getByTestId("dep-panel-health").getAttribute("data-health")).toBe("healthy");
    await expect(panel.getByTestId("dep-health-text").textContent()).resolves.toBe(
      "Provider PB-3 lands in Iteration 1, before needed-by Iteration 2.",
    );
    expect((await item("PB-3")).iterationId).toBe(iterations[0]?.id);
    expect((await dependencies()).map((d) => d.health)).toEqual(["healthy"]);
    expect(browser.errors).toEqual([]);
  });

  it("the provider's team commits the dependency to an iteration from the panel", async () => {
    const panel = page.getByTestId("dependency-panel");
    const commit = panel.getByTestId("dep-commit");
    await commit.getByTestId("dep-commit-iteration").selectOption({ label: "Iteration 1" });
    await commit.getByTestId("dep-commit-submit").click();
    await eventually(() => panel.getByTestId("dep-state").textContent()).toBe("Committed · planned for Iteration 1");
    expect((await dependencies()).map((d) => d.state)).toEqual(["committed"]);
    await expect(page.getByTestId("uncommitted-list").getByTestId("dep-entry").count()).resolves.toBe(0);
  });

  it("a Business Owner sets an objective's planned business value, and the team's predictability follows the actual", async () => {
    const objective = await server.api<{ id: string }>("/arts/PB/pis/PI%201/objectives", {
      method: "POST",
      body: { teamId: "core", title: "Shops refund orders without support", committed: true },
    });
    const owner = await server.user("Bo Owner", [{ art: "PB", role: "business_owner" }]);
    await browser.context.clearCookies();
    await server.signIn(browser.context, owner.email, owner.password);
    try {
      await page.goto(`${server.url}/arts/PB/objectives`);
      const row = page.locator(`[data-testid="objective"][data-objective="${objective.id}"]`);
      await row.waitFor();
      await row.getByTestId("objective-planned").selectOption("8");
      await eventually(
        async () =>
          (
            await server.api<{ objectives: { id: string; plannedValue: number | null }[] }>(
              "/arts/PB/pis/PI%201/objectives",
            )
          ).objectives.find((o) => o.id === objective.id)?.plannedValue,
      ).toBe(8);
      await row.getByTestId("objective-actual").selectOption("6");
      const core = page.locator('[data-testid="predictability-team"]').first();
      await eventually(() => core.getByTestId("predictability-percent").textContent()).toContain("75%");
      await expect(core.getAttribute("data-band")).resolves.toBe("below");
    } finally {
      await browser.context.clearCookies();
      await server.signIn(browser.context);
    }
    expect(browser.errors).toEqual([]);
  });

  it("drags a risk from Unroamed to Owned on the ROAM board", async () => {
    const risk = await server.api<{ id: string }>("/arts/PB/risks", {
      method: "POST",
      body: { title: "The payment provider's sandbox is down often", piId: "PI 1", teamId: "core" },
    });
    await page.goto(`${server.url}/arts/PB/risks`);
    const card = page.locator(`[data-testid="risk-card"][data-risk="${risk.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-roam")).toBe("unroamed");
    const from = await card.getByTestId("risk-title").boundingBox();
    const to = await page.locator('[data-testid="roam-column"][data-roam="owned"]').boundingBox();
    if (!from || !to) throw new Error("the card and the Owned column must be on screen");
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 16 });
    await page.mouse.up();
    await eventually(() =>
      page.locator('[data-testid="roam-column"][data-roam="owned"]').getByTestId("risk-card").count(),
    ).toBe(1);
    await eventually(
      async () =>
        (await server.api<{ risks: { id: string; roam: string }[] }>("/arts/PB/risks")).risks.find(
          (r) => r.id === risk.id,
        )?.roam,
    ).toBe("owned");
    expect(browser.errors).toEqual([]);
  });
});
