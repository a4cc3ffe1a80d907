// The first-run page of an empty Trainyard, in a real browser: creating a train with its teams.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser()]);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the first-run page", () => {
  it("an empty Trainyard offers to create a train, and creating one opens its program backlog", async () => {
    await page.goto(server.url);
    await page.getByTestId("first-run").waitFor();
    expect(await page.getByTestId("load-demo").isVisible()).toBe(true);

    await page.getByTestId("train-name").fill("Payments Train");
    expect(await page.getByTestId("train-key").inputValue()).toBe("PT");
    await page.getByTestId("train-key").fill("1PAY");
    await page.getByTestId("team-name").first().fill("Checkout");
    expect(await page.getByTestId("team-key").first().inputValue()).toBe("CHE");
    await page.getByTestId("add-team").click();
    await page.getByTestId("team-name").nth(1).fill("Fraud Detection");
    await page.getByTestId("team-key").nth(1).fill("FRAUD");
    await page.getByTestId("add-team").click();
    await page.getByTestId("remove-team").nth(2).click();
    expect(await page.getByTestId("team-row").count()).toBe(2);

    // The server's message about the bad key shows beside it.
    await page.getByTestId("create-train").click();
    await eventually(() => page.getByTestId("error-key").textContent()).toContain("capital letters");

    await page.getByTestId("train-key").fill("PAY");
    await page.getByTestId("create-train").click();
    await page.waitForURL(`${server.url}/arts/PAY`);
    await eventually(() => page.getByTestId("backlog-title").textContent()).toBe("Program backlog");
    expect(await page.getByTestId("nav-team-CHE").textContent()).toBe("Checkout");
    expect(await page.getByTestId("nav-team-FRAUD").textContent()).toBe("Fraud Detection");

    const arts = await server.api<{ items: { key: string; name: string; teams: { key: string; name: string }[] }[] }>(
      "/arts",
    );
    expect(arts.items).toHaveLength(1);
    expect(arts.items[0]).toMatchObject({
      key: "PAY",
      name: "Payments Train",
      teams: expect.arrayContaining([
        expect.objectContaining({ key: "CHE", name: "Checkout" }),
        expect.objectContaining({ key: "FRAUD", name: "Fraud Detection" }),
      ]),
    });

    // The empty backlog invites the first feature, and the create row makes it.
    await page.getByTestId("create-input").fill("Pay by bank transfer");
    await page.getByTestId("create-input").press("Enter");
    await page.getByTestId("backlog-row").filter({ hasText: "Pay by bank transfer" }).waitFor();
    expect(browser.errors).toEqual([]);
  });
});
