// The economic view in a real browser: giving a feature a fixed date, Cost of Delay per week and duration in the item
// panel (a bad duration shown beside its field), then the Prioritize screen's Economic view with the WSJF order beside
// the CD3 order and the chart of the fixed-date item's cost of delay — drawn under the app's strict CSP.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface Item {
  key: string;
  version: number;
  costOfDelayPerWeek: number | null;
  urgency: string | null;
  fixedDate: string | null;
  durationWeeks: number | null;
  cd3: number | null;
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;
const cspViolations: string[] = [];

/** A day `weeks` weeks from today, yyyy-mm-dd. */
const weeksFromToday = (weeks: number) => new Date(Date.now() + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
const DUE = weeksFromToday(6);

const item = async (key: string) => (await server.api<{ item: Item }>(`/items/${key}`)).item;
const keysOf = (p: Page, testId: string) => p.getByTestId(testId).evaluateAll((rows) => rows.map((r) => r.dataset.key));

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser()]);
  await server.api("/arts", {
    method: "POST",
    body: { key: "ECO", name: "Economics Train", teams: [{ key: "core", name: "Core" }] },
  });
  const wsjf = (businessValue: number, jobSize: number) => ({
    businessValue,
    timeCriticality: 1,
    riskReduction: 1,
    jobSize,
  });
  const features = [
    { title: "Checkout", ...wsjf(20, 1), costOfDelayPerWeek: 1000, durationWeeks: 4, urgency: "standard" },
    { title: "Refunds", ...wsjf(8, 2), costOfDelayPerWeek: 8000, durationWeeks: 2, urgency: "standard" },
    { title: "Regulatory report", ...wsjf(1, 5) },
    { title: "Dark mode", ...wsjf(3, 3), durationWeeks: 3, urgency: "intangible" },
  ];
  for (const f of features)
    await server.api("/items", { method: "POST", body: { art: "ECO", level: "feature", ...f } });
  await server.signIn(browser.context);
  page = await browser.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the economic view in the browser", () => {
  it("sets a fixed date, Cost of Delay per week and duration in the item panel, showing a bad value beside its field", async () => {
    await page.goto(`${server.url}/arts/ECO/wsjf?item=ECO-3`);
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe("ECO-3");
    const section = page.getByTestId("economic-section");
    await section.getByTestId("field-costOfDelayPerWeek").fill("4000");
    await section.getByTestId("field-urgency").selectOption("fixed_date");
    await section.getByTestId("field-fixedDate").fill(DUE);
    await section.getByTestId("field-durationWeeks").fill("1.25");
    await page.getByTestId("save-button").click();
    await eventually(() => page.getByTestId("error-durationWeeks").textContent()).toContain("one decimal");
    expect((await item("ECO-3")).urgency).toBeNull();

    await section.getByTestId("field-durationWeeks").fill("1");
    await eventually(() => page.getByTestId("panel-cd3").textContent()).toBe("4,000");
    await page.getByTestId("save-button").click();
    await eventually(async () => (await item("ECO-3")).version).toBe(2);
    expect(await item("ECO-3")).toMatchObject({
      costOfDelayPerWeek: 4000,
      urgency: "fixed_date",
      fixedDate: DUE,
      durationWeeks: 1,
      cd3: 4000,
    });
    expect(await page.getByTestId("error-durationWeeks").count()).toBe(0);
  });

  it("opens the Economic view with the WSJF order beside the CD3 order and the fixed-date item's cost-of-delay chart", async () => {
    await page.goto(`${server.url}/arts/ECO/wsjf`);
    await page.getByTestId("wsjf-row").first().waitFor();
    await page.getByTestId("view-economic").click();
    await page.getByTestId("economic-view").waitFor();
    expect(new URL(page.url()).searchParams.get("view")).toBe("economics");

    await eventually(() => keysOf(page, "economic-wsjf-row")).toEqual(["ECO-1", "ECO-2", "ECO-4", "ECO-3"]);
    expect(await keysOf(page, "economic-cd3-row")).toEqual(["ECO-2", "ECO-3", "ECO-1", "ECO-4"]);
    const report = page.locator('[data-testid="economic-cd3-row"][data-key="ECO-3"]');
    expect(await report.getAttribute("data-moved")).toBe("2");
    expect(await report.getByTestId("urgency-badge").textContent()).toBe("Fixed date");
    expect(await report.getByTestId("economic-cd3").textContent()).toBe("4,000");
    expect(await page.getByTestId("economic-waiting").textContent()).toContain("ECO-4");
    expect(await page.getByTestId("economic-agreement").getAttribute("data-value")).toBe("-0.333");

    const chart = page.getByTestId("economic-chart");
    expect(await chart.getByTestId("economic-chart-item").inputValue()).toBeTruthy();
    expect(await chart.getByTestId("economic-chart-summary").textContent()).toContain(`Due ${DUE}`);
    // recharts draws the curve as an SVG path once it has measured its container.
    await eventually(() => chart.locator(".recharts-line path.recharts-curve").count()).toBe(1);
    expect(await chart.locator(".recharts-line path.recharts-curve").getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(cspViolations).toEqual([]);

    await page.getByTestId("view-grid").click();
    await page.getByTestId("wsjf-grid").waitFor();
    expect(new URL(page.url()).searchParams.get("view")).toBeNull();
  });
});
