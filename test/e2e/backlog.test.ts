// The program and team backlogs in a real browser against a real server with the demo train: reading, dragging,
// keyboard moves, live updates in a second browser and inline create.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dragRow,
  eventually,
  openBrowser,
  startTestServer,
  type TestBrowser,
  type TestServer,
  visibleKeys,
} from "../browser.js";

interface Row {
  key: string;
  title: string;
  teamId: string | null;
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;

const programOrder = async () =>
  (await server.api<{ items: Row[] }>("/arts/DPT/backlog/all?level=feature")).items.map((r) => r.key);

function reorder<T>(list: T[], from: number, to: number): T[] {
  const next = list.slice();
  const [moved] = next.splice(from, 1);
  if (moved !== undefined) next.splice(to, 0, moved);
  return next;
}

async function openProgramBacklog(p: Page) {
  await p.goto(`${server.url}/arts/DPT`);
  await p.getByTestId("backlog-row").first().waitFor();
  await eventually(() => p.getByTestId("live-status").getAttribute("data-state")).toBe("live");
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true }), openBrowser()]);
  await server.signIn(browser.context);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the program backlog in the browser", () => {
  it("shows the demo train's features in rank order with their key, title, state and teams", async () => {
    await openProgramBacklog(page);
    const order = await programOrder();
    expect(order.length).toBeGreaterThan(20);
    expect((await visibleKeys(page)).slice(0, 10)).toEqual(order.slice(0, 10));
    await eventually(() => page.getByTestId("backlog-title").textContent()).toBe("Program backlog");
    const first = page.locator(`[data-testid="backlog-row"][data-key="${order[0]}"]`);
    expect(await first.getByTestId("state-badge").textContent()).toBeTruthy();
    expect(await page.getByTestId("backlog-count").textContent()).toContain(`${order.length} features`);
    expect(browser.errors).toEqual([]);
  });

  it("dragging a feature by its handle to another rank keeps the new order after a reload", async () => {
    await openProgramBacklog(page);
    const before = await programOrder();
    const [moved, , , onto] = before as [string, string, string, string];
    await dragRow(page, moved, onto);
    const expected = reorder(before, 0, 3);
    await eventually(async () => (await visibleKeys(page)).slice(0, 6)).toEqual(expected.slice(0, 6));
    await eventually(programOrder).toEqual(expected);

    await page.reload();
    await page.getByTestId("backlog-row").first().waitFor();
    expect((await visibleKeys(page)).slice(0, 6)).toEqual(expected.slice(0, 6));
  });

  it("a second browser sees a move live, without reloading", async () => {
    const other = await openBrowser();
    try {
      await server.signIn(other.context);
      const watcher = await other.newPage();
      await Promise.all([openProgramBacklog(page), openProgramBacklog(watcher)]);
      const before = await programOrder();
      const key = before[4] as string;
      await page.locator(`[data-testid="backlog-row"][data-key="${key}"]`).hover();
      await page.locator(`[data-testid="backlog-row"][data-key="${key}"]`).getByTestId("move-top").click();
      await eventually(async () => (await visibleKeys(watcher))[0]).toBe(key);
      expect((await visibleKeys(watcher)).slice(0, 6)).toEqual(reorder(before, 4, 0).slice(0, 6));
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("Alt+ArrowDown moves the selected feature one rank down, and the moves persist", async () => {
    await openProgramBacklog(page);
    const before = await programOrder();
    const key = before[1] as string;
    await page.locator(`[data-testid="backlog-row"][data-key="${key}"]`).click();
    await eventually(() =>
      page.getByTestId("backlog-grid").evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);

    await page.keyboard.press("Alt+ArrowDown");
    await eventually(programOrder).toEqual(reorder(before, 1, 2));

    // Two quick moves in a row queue up and both land.
    await page.keyboard.press("Alt+ArrowDown");
    await page.keyboard.press("Alt+ArrowDown");
    const expected = reorder(before, 1, 4);
    await eventually(programOrder).toEqual(expected);
    expect((await visibleKeys(page)).slice(0, 6)).toEqual(expected.slice(0, 6));

    // And Alt+Shift+ArrowUp takes it to the top.
    await page.keyboard.press("Alt+Shift+ArrowUp");
    await eventually(async () => (await programOrder())[0]).toBe(key);

    await page.reload();
    await page.getByTestId("backlog-row").first().waitFor();
    expect((await visibleKeys(page))[0]).toBe(key);
  });

  it("a move made on a stale version is rolled back with a message", async () => {
    await openProgramBacklog(page);
    const before = await programOrder();
    const key = before[2] as string;
    // Pretend the list is older than the server: bump the item's version behind the page's back without a live
    // refresh reaching the list first (the row keeps the version it was loaded with).
    await page.route("**/api/v1/arts/DPT/events", (route) => route.abort());
    await page.reload();
    await page.getByTestId("backlog-row").first().waitFor();
    const detail = await server.api<{ item: { version: number } }>(`/items/${key}`);
    await server.api(`/items/${key}`, {
      method: "PATCH",
      headers: { "If-Match": `"${detail.item.version}"` },
      body: { labels: ["renamed"] },
    });
    await page.locator(`[data-testid="backlog-row"][data-key="${key}"]`).click();
    await page.keyboard.press("Alt+ArrowUp");
    await eventually(() => page.getByTestId("toast").first().textContent()).toContain(
      `${key} was changed by someone else — list refreshed`,
    );
    await eventually(async () => (await visibleKeys(page)).slice(0, 4)).toEqual(before.slice(0, 4));
    expect(await programOrder()).toEqual(before);
    await page.unroute("**/api/v1/arts/DPT/events");
  });

  it("typing a title into the create row and pressing Enter adds a feature at the bottom", async () => {
    await openProgramBacklog(page);
    const title = "Self-service rollback for failed releases";
    await page.getByTestId("create-input").fill(title);
    await page.getByTestId("create-input").press("Enter");
    await eventually(
      async () => (await server.api<{ items: Row[] }>("/arts/DPT/backlog/all")).items.at(-1)?.title,
    ).toBe(title);
    await eventually(() => page.getByTestId("create-input").inputValue()).toBe("");
    const row = page.getByTestId("backlog-row").filter({ hasText: title });
    await row.waitFor();
    await eventually(() => row.getAttribute("aria-selected")).toBe("true");
  });
});

describe("a team backlog in the browser", () => {
  it("opens from a deep link, shows each story's parent feature, and creates stories in that team", async () => {
    await page.goto(`${server.url}/arts/DPT/teams/RUN`);
    await page.getByTestId("backlog-row").first().waitFor();
    expect(await page.getByTestId("backlog-title").textContent()).toContain("Runtime");
    const stories = (
      await server.api<{ items: (Row & { parentKey: string | null })[] }>("/arts/DPT/teams/RUN/backlog/all")
    ).items;
    expect((await visibleKeys(page)).slice(0, 5)).toEqual(stories.slice(0, 5).map((s) => s.key));

    const withParent = stories.findIndex((s) => s.parentKey);
    const parentKey = stories[withParent]?.parentKey as string;
    await page.getByTestId("backlog-row").nth(withParent).getByTestId("parent-link").click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(parentKey);
    expect(new URL(page.url()).searchParams.get("item")).toBe(parentKey);

    const title = "As an operator, I want agent logs rotated daily, so that disks never fill up";
    await page.getByTestId("create-input").fill(title);
    await page.getByTestId("create-input").press("Enter");
    await eventually(
      async () => (await server.api<{ items: Row[] }>("/arts/DPT/teams/RUN/backlog/all")).items.at(-1)?.title,
    ).toBe(title);
    expect(browser.errors).toEqual([]);
  });
});
