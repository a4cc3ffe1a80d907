// Blocked and rework in a real browser: marking a story blocked in the item panel (a reason is required) shows a
// Blocked badge on its row with the reason as its tooltip; moving an accepted story back asks why it needs rework,
// Cancel leaves the state alone, and the answer goes with the save into the story's history.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface Item {
  key: string;
  state: string;
  blockedReason: string | null;
  version: number;
}
interface HistoryEvent {
  kind: string;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;

const TITLE = "As a payer, I want my refunds tracked, so that I know when the money is back";
const itemOf = async (key: string) => (await server.api<{ item: Item }>(`/items/${key}`)).item;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true }), openBrowser()]);
  await server.signIn(browser.context);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("blocked stories and rework", () => {
  let key: string;
  beforeAll(async () => {
    const item = await server.api<Item>("/items", {
      method: "POST",
      body: { art: "DPT", level: "story", title: TITLE, teamId: "RUN", state: "accepted" },
    });
    key = item.key;
  });

  it("blocks a story with what it waits on, shown as a badge on its row, and unblocks it", async () => {
    await page.goto(`${server.url}/arts/DPT/teams/RUN?q=${encodeURIComponent("refunds tracked")}&item=${key}`);
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(key);
    const reason = "Waiting on the payments team's sandbox";
    await page.getByTestId("field-blocked").check();
    await page.getByTestId("save-button").click();
    await eventually(() => page.getByTestId("error-blockedReason").textContent()).toContain("Say what it waits on");
    expect((await itemOf(key)).blockedReason).toBeNull();

    await page.getByTestId("field-blockedReason").fill(reason);
    await page.getByTestId("save-button").click();
    await eventually(() => page.getByTestId("save-status").textContent()).toBe("Saved");
    expect((await itemOf(key)).blockedReason).toBe(reason);
    const badge = page.locator(`[data-testid="backlog-row"][data-key="${key}"] [data-testid="blocked-badge"]`);
    await eventually(() => badge.getAttribute("title")).toBe(`Blocked: ${reason}`);
    expect(await page.getByTestId("item-panel").getByTestId("blocked-badge").count()).toBe(1);

    await page.getByTestId("field-blocked").uncheck();
    await page.getByTestId("save-button").click();
    await eventually(() => page.getByTestId("save-status").textContent()).toBe("Saved");
    expect((await itemOf(key)).blockedReason).toBeNull();
    await eventually(() => badge.count()).toBe(0);
  });

  it("asks why an accepted story moves back: Cancel keeps the state, Move back saves the reason in its history", async () => {
    await page.getByTestId("field-state").selectOption("in_progress");
    const dialog = page.getByTestId("rework-dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("Why does this story need rework?");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByTestId("field-state").inputValue()).toBe("accepted");

    await page.getByTestId("field-state").selectOption("in_progress");
    await dialog.waitFor();
    await page.getByTestId("rework-reason-defect").check();
    await page.getByTestId("rework-note").fill("Refunds of split payments fail");
    await page.getByTestId("rework-move-back").click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByTestId("field-state").inputValue()).toBe("in_progress");
    await page.getByTestId("save-button").click();
    await eventually(() => page.getByTestId("save-status").textContent()).toBe("Saved");

    expect((await itemOf(key)).state).toBe("in_progress");
    const history = await server.api<{ items: HistoryEvent[] }>(`/items/${key}/history`);
    expect(history.items.filter((e) => e.kind === "rework")).toMatchObject([
      { field: "reason", oldValue: "accepted", newValue: { reason: "defect", note: "Refunds of split payments fail" } },
    ]);
    await page.getByTestId("tab-history").click();
    await eventually(() => page.getByTestId("history").textContent()).toContain(
      "moved it back from Accepted for rework: Defect",
    );
    expect(browser.errors).toEqual([]);
  });
});
