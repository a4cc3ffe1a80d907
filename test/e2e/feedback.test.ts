// Customer feedback in a real browser: recording it on the ART's Feedback screen (with the server's field messages
// beside the fields), linking it to a feature from the item panel's picker, seeing it in the panel with its weight,
// the review list leading to the item to re-score, and script payloads in feedback that never run (with the page's
// Content-Security-Policy ignored, so what is tested is the app itself).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

const IMG = `<img src=x onerror="window.__xss=1">`;
const SCRIPT = "<script>window.__xss=1</script>";
const CUSTOMER = `<b onmouseover="window.__xss=1">Mallory</b> Corp`;
const BODY = `**Refunds** are too slow. ${IMG}\n\n${SCRIPT}\n\n[x](javascript:window.__xss=1)`;

let server: TestServer;
let browser: TestBrowser;
let page: Page;
const dialogs: string[] = [];

/** Elements a payload would need to run, found under #root. */
const LIVE_MARKUP = `(() => {
  const root = document.getElementById("root");
  const found = [...root.querySelectorAll("script, iframe, [onerror], [onload], [onmouseover]")].map((e) => e.outerHTML);
  for (const a of root.querySelectorAll("a")) {
    if (/^\\s*javascript:/i.test(a.getAttribute("href") ?? "")) found.push(a.outerHTML);
  }
  return found;
})()`;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser({ bypassCSP: true })]);
  await server.api("/arts", {
    method: "POST",
    body: { key: "FBK", name: "Feedback Train", teams: [{ key: "core", name: "Core" }] },
  });
  for (const title of ["Instant refunds", "Statements"]) {
    await server.api("/items", { method: "POST", body: { art: "FBK", level: "feature", title } });
  }
  await server.signIn(browser.context);
  page = await browser.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("customer feedback in the browser", () => {
  it("records feedback on the Feedback screen, naming a wrong field beside it, and lists it", async () => {
    await page.goto(`${server.url}/arts/FBK`);
    await page.getByTestId("nav-feedback").click();
    await page.getByTestId("feedback-screen").waitFor();
    expect(page.url()).toBe(`${server.url}/arts/FBK/feedback`);

    await page.getByTestId("feedback-record-open").click();
    const form = page.getByTestId("feedback-form");
    await form.getByTestId("feedback-source").fill("sales call");
    await form.getByTestId("feedback-customer").fill("Globex");
    await form.getByTestId("feedback-weight").fill("0");
    await form.getByTestId("feedback-body").fill("Wants statements as **PDF**.");
    await form.getByTestId("feedback-submit").click();
    await eventually(() => form.locator(".field-error").allTextContents()).toEqual([expect.stringContaining("1")]);
    expect(await form.getByTestId("feedback-weight").getAttribute("aria-invalid")).toBe("true");

    await form.getByTestId("feedback-weight").fill("8");
    await form.getByTestId("feedback-submit").click();
    const entry = page.getByTestId("feedback-entry").first();
    await entry.waitFor();
    expect(await entry.getByTestId("feedback-customer").textContent()).toBe("Globex");
    expect(await entry.locator("strong").textContent()).toBe("PDF");
    await eventually(() => page.getByTestId("feedback-form").count()).toBe(0);
  });

  it("links feedback to a feature from the item panel, shows it there with its weight, and sends the PM to re-score it", async () => {
    const recorded = await server.api<{ id: string }>("/arts/FBK/feedback", {
      method: "POST",
      body: { source: "support ticket", customer: CUSTOMER, body: BODY, weight: 13 },
    });
    await page.goto(`${server.url}/arts/FBK?item=FBK-1`);
    const section = page.getByTestId("feedback-section");
    await section.waitFor();
    expect(await section.locator(".empty-line").textContent()).toContain("No customer feedback");

    await section.getByTestId("feedback-link-open").click();
    await section.getByTestId("feedback-picker-search").fill("mallory");
    await eventually(() => section.getByTestId("feedback-picker-select").locator("option").count()).toBe(1);
    await section.getByTestId("feedback-picker-link").click();

    const linked = section.getByTestId("item-feedback");
    await linked.waitFor();
    expect(await linked.getByTestId("feedback-customer").textContent()).toBe(CUSTOMER);
    expect(await linked.locator("strong").textContent()).toBe("Refunds");
    expect(await section.getByTestId("feedback-total-weight").textContent()).toBe("weight 13");
    const stored = await server.api<{ items: { id: string }[] }>("/items/FBK-1/feedback");
    expect(stored.items.map((f) => f.id)).toEqual([recorded.id]);

    // The link is in the item's history.
    await page.getByTestId("tab-history").click();
    await eventually(() => page.locator(".history-value").allTextContents()).toContainEqual(
      `${CUSTOMER} (support ticket, ×13)`,
    );

    // Never estimated and now with feedback: the review lists it, and its key opens it.
    await page.goto(`${server.url}/arts/FBK/feedback`);
    const row = page.locator('[data-testid="feedback-review-row"][data-key="FBK-1"]');
    await row.waitFor();
    expect(await row.getByTestId("feedback-review-weight").textContent()).toBe("13");
    await row.locator("a").click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe("FBK-1");

    expect(await page.evaluate("window.__xss")).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.evaluate<string[]>(LIVE_MARKUP)).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
