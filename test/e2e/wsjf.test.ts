// Prioritizing in a real browser: estimating WSJF in the grid one column at a time from the keyboard, re-anchoring a
// column at 1, applying WSJF order with a pinned item and undoing it, aligning a team backlog to the program, and a
// Business Owner who may estimate user-business value only.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface Row {
  key: string;
  businessValue: number | null;
  timeCriticality: number | null;
  riskReduction: number | null;
  jobSize: number | null;
  wsjf: number | null;
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;

const KEYS = ["PRI-1", "PRI-2", "PRI-3", "PRI-4", "PRI-5"];
/** What the grid is given, column by column, for PRI-1…PRI-4 (PRI-5 stays unscored). */
const ESTIMATES = {
  businessValue: ["3", "8", "13", "1"],
  timeCriticality: ["2", "1", "8", "3"],
  riskReduction: ["1", "5", "3", "2"],
  jobSize: ["5", "3", "8", "13"],
} as const;

const features = async () => {
  const list = await server.api<{ items: { key: string }[] }>("/arts/PRI/backlog/all?level=feature");
  return Promise.all(list.items.map(async (r) => (await server.api<{ item: Row }>(`/items/${r.key}`)).item));
};
const order = async () => (await features()).map((f) => f.key);

const cell = (p: Page, key: string, input: string) =>
  p.locator(`[data-testid="wsjf-row"][data-key="${key}"] [data-testid="cell-${input}"]`);
const wsjfShown = (p: Page, key: string) =>
  p.locator(`[data-testid="wsjf-row"][data-key="${key}"] [data-testid="wsjf-value"]`).textContent();

async function openGrid(p: Page) {
  await p.goto(`${server.url}/arts/PRI/wsjf`);
  await p.getByTestId("wsjf-row").first().waitFor();
  await eventually(() => p.getByTestId("live-status").getAttribute("data-state")).toBe("live");
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser()]);
  await server.api("/arts", {
    method: "POST",
    body: { key: "PRI", name: "Prioritizing Train", teams: [{ key: "core", name: "Core" }] },
  });
  for (const [i, title] of ["Checkout", "Search", "Payments", "Reports", "Dark mode"].entries()) {
    await server.api("/items", { method: "POST", body: { art: "PRI", level: "feature", title: `${title} ${i + 1}` } });
  }
  await server.signIn(browser.context);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("prioritizing with WSJF in the browser", () => {
  it("scores features through the grid from the keyboard, one column at a time, and shows WSJF as it is computed", async () => {
    await openGrid(page);
    expect(await page.getByTestId("wsjf-row").evaluateAll((rows) => rows.map((r) => r.dataset.key))).toEqual(KEYS);
    expect(await wsjfShown(page, "PRI-1")).toContain("missing: user-business value, time criticality");

    for (const [input, values] of Object.entries(ESTIMATES)) {
      // Choosing the column puts the focus on its first unestimated cell; each value is typed, Tab goes down a row.
      await page.getByTestId(`estimate-column-${input}`).click();
      await eventually(() => cell(page, "PRI-1", input).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
        true,
      );
      for (const [i, value] of values.entries()) {
        await page.keyboard.type(value);
        await page.keyboard.press(i === values.length - 1 ? "Enter" : "Tab");
      }
      await eventually(async () => (await features()).slice(0, 4).map((f) => String(f[input as keyof Row]))).toEqual([
        ...values,
      ]);
    }

    const saved = await features();
    expect(saved.map((f) => f.wsjf)).toEqual([1.2, 4.67, 3, 0.46, null]);
    await eventually(() => wsjfShown(page, "PRI-2")).toBe("4.67");
    await eventually(() => wsjfShown(page, "PRI-4")).toBe("0.46");
    expect(await wsjfShown(page, "PRI-5")).toContain("missing: user-business value");
    await eventually(() => page.getByTestId("wsjf-scored").textContent()).toBe("4 of 5 features scored");
    expect(await page.getByTestId("wsjf-agreement").textContent()).toMatch(
      /^Rank and WSJF (agree|disagree) -?\d\.\d\d$/,
    );
    // PRI-1 is ranked first but third by WSJF.
    expect(
      await page.locator('[data-testid="wsjf-row"][data-key="PRI-1"] [data-testid="wsjf-places"]').textContent(),
    ).toBe("2 places above its WSJF");

    // Sorting by WSJF puts the highest first and the unscored last.
    await page.getByTestId("sort-wsjf").locator("button").click();
    await eventually(() =>
      page.getByTestId("wsjf-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key"))),
    ).toEqual(["PRI-2", "PRI-3", "PRI-1", "PRI-4", "PRI-5"]);

    // The item panel shows the same inputs and result.
    await page.locator('[data-testid="wsjf-row"][data-key="PRI-2"] [data-testid="wsjf-key"]').click();
    await eventually(() => page.getByTestId("panel-wsjf").textContent()).toBe("4.67");
    expect(await page.getByTestId("panel-cod").textContent()).toBe("14");
    await page.getByTestId("panel-close").click();
    expect(browser.errors).toEqual([]);
  });

  it("a column without a 1 shows the re-anchor notice, and re-anchoring puts its smallest item at 1", async () => {
    await openGrid(page);
    const notice = page.getByTestId("anchor-notice-jobSize");
    await notice.waitFor();
    expect(await notice.textContent()).toContain("its smallest estimate is 3");
    expect(await page.getByTestId("anchor-notice-businessValue").count()).toBe(0);

    await page.getByTestId("reanchor-open-jobSize").click();
    const preview = page.getByTestId("reanchor-row");
    await preview.first().waitFor();
    expect(
      await preview.evaluateAll((rows) => rows.map((r) => `${r.dataset.key} ${r.dataset.from}→${r.dataset.to}`)),
    ).toEqual(["PRI-1 5→2", "PRI-2 3→1", "PRI-3 8→3", "PRI-4 13→5"]);
    await page.getByTestId("reanchor-apply").click();

    await eventually(() => page.getByTestId("reanchor-dialog").count()).toBe(0);
    await eventually(() => notice.count()).toBe(0);
    expect((await features()).map((f) => f.jobSize)).toEqual([2, 1, 3, 5, null]);
    await eventually(() => wsjfShown(page, "PRI-2")).toBe("14");
    expect(browser.errors).toEqual([]);
  });

  it("applies WSJF order with one item pinned in place, and Undo puts the backlog back", async () => {
    expect(await order()).toEqual(KEYS);
    await openGrid(page);
    await page.getByTestId("apply-wsjf-open").click();
    const row = (key: string) => page.locator(`[data-testid="wsjf-order-row"][data-key="${key}"]`);
    await eventually(() => row("PRI-2").getAttribute("data-to")).toBe("1");
    // Unpinned, WSJF puts PRI-2 (14), PRI-3 (8), PRI-1 (3), PRI-4 (1.2) and the unscored PRI-5 last.
    expect(await row("PRI-3").getAttribute("data-to")).toBe("2");

    await row("PRI-3").getByTestId("wsjf-pin").check();
    await eventually(() => row("PRI-3").getAttribute("data-to")).toBe("3");
    await eventually(() => row("PRI-1").getAttribute("data-to")).toBe("2");
    expect(await page.getByTestId("wsjf-order-summary").textContent()).toContain("2 of 5 move");
    await page.getByTestId("wsjf-order-apply").click();

    const toast = page.getByTestId("toast").filter({ hasText: "Backlog reordered" });
    await toast.waitFor();
    const reordered = ["PRI-2", "PRI-1", "PRI-3", "PRI-4", "PRI-5"];
    await eventually(order).toEqual(reordered);
    // The grid follows: ranks are the new ones and PRI-1 is now at its WSJF place.
    await eventually(() =>
      page.getByTestId("wsjf-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key"))),
    ).toEqual(reordered);

    await toast.getByTestId("toast-action").click();
    await eventually(order).toEqual(KEYS);
    await page.getByTestId("toast").filter({ hasText: "Undone" }).waitFor();

    // And the program backlog shows the order restored.
    await page.getByTestId("nav-program").click();
    await page.getByTestId("backlog-row").first().waitFor();
    await eventually(() =>
      page
        .getByTestId("backlog-row")
        .evaluateAll((rows) =>
          rows
            .sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")))
            .map((r) => r.getAttribute("data-key")),
        ),
    ).toEqual(KEYS);
    expect(browser.errors).toEqual([]);
  });

  it("aligns a team backlog to the program's feature rank from a preview, and Undo restores the team's order", async () => {
    // Stories of the last-ranked feature first: the team has drifted from program order.
    for (const [feature, title] of [
      ["PRI-4", "Export reports"],
      ["PRI-2", "Search by name"],
      ["PRI-1", "One-page checkout"],
    ]) {
      const parent = (await server.api<{ item: { id: string } }>(`/items/${feature}`)).item.id;
      await server.api("/items", {
        method: "POST",
        body: { art: "PRI", level: "story", title, teamId: "core", parentId: parent },
      });
    }
    const teamOrder = async () =>
      (await server.api<{ items: { key: string }[] }>("/arts/PRI/teams/core/backlog/all")).items.map((r) => r.key);
    const before = await teamOrder();
    expect(before).toEqual(["PRI-6", "PRI-7", "PRI-8"]);

    await page.goto(`${server.url}/arts/PRI/teams/core`);
    await eventually(() => page.getByTestId("team-drift").textContent()).toBe("100% out of program order");
    await page.getByTestId("align-open").click();
    const rows = page.getByTestId("align-row");
    await rows.first().waitFor();
    expect(await rows.evaluateAll((r) => r.map((x) => `${x.dataset.key} ${x.dataset.from}→${x.dataset.to}`))).toEqual([
      "PRI-8 3→1",
      "PRI-6 1→3",
    ]);
    await page.getByTestId("align-apply").click();
    await eventually(teamOrder).toEqual(["PRI-8", "PRI-7", "PRI-6"]);
    await eventually(() => page.getByTestId("team-drift").textContent()).toBe("In program order");

    await page.getByTestId("toast").filter({ hasText: "aligned" }).getByTestId("toast-action").click();
    await eventually(teamOrder).toEqual(before);
    expect(browser.errors).toEqual([]);
  });

  it("a Business Owner may set user-business value in the grid, while the other columns and applying order are closed", async () => {
    const bo = await server.user("Bea Business", [{ art: "PRI", role: "business_owner" }]);
    const other = await openBrowser();
    try {
      await server.signIn(other.context, bo.email, bo.password);
      const p = await other.newPage();
      await openGrid(p);
      expect(await p.getByTestId("apply-wsjf-open").count()).toBe(0);
      for (const input of ["timeCriticality", "riskReduction", "jobSize"]) {
        expect(await cell(p, "PRI-5", input).getAttribute("aria-disabled")).toBe("true");
      }
      expect(await cell(p, "PRI-5", "businessValue").getAttribute("aria-disabled")).toBeNull();

      // Typing into a closed column changes nothing (the click is forced: the browser knows the cell is disabled).
      await cell(p, "PRI-5", "jobSize").click({ force: true });
      await p.keyboard.type("8");
      await p.keyboard.press("Enter");
      expect(await cell(p, "PRI-5", "jobSize").getAttribute("data-value")).toBe("");

      await cell(p, "PRI-5", "businessValue").click();
      await p.keyboard.type("20");
      await p.keyboard.press("Enter");
      await eventually(async () => (await features()).find((f) => f.key === "PRI-5")?.businessValue).toBe(20);
      expect((await features()).find((f) => f.key === "PRI-5")?.jobSize).toBeNull();
      await eventually(() => wsjfShown(p, "PRI-5")).toContain("missing: time criticality");

      // In the item panel too: user-business value is open, the other inputs are not.
      await p.locator('[data-testid="wsjf-row"][data-key="PRI-5"] [data-testid="wsjf-key"]').click();
      await p.getByTestId("wsjf-section").waitFor();
      expect(await p.getByTestId("field-businessValue").locator('[data-value="13"]').isDisabled()).toBe(false);
      expect(await p.getByTestId("field-jobSize").locator('[data-value="13"]').isDisabled()).toBe(true);
      await p.getByTestId("field-businessValue").locator('[data-value="13"]').click();
      await eventually(async () => (await features()).find((f) => f.key === "PRI-5")?.businessValue).toBe(13);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
