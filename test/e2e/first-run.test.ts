// A new Trainyard in a real browser: the first page makes the administrator, then offers to create a train (with its
// teams) or load the demo; afterwards, a browser without a session sees only the sign-in page.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  eventually,
  openBrowser,
  startTestServer,
  type TestBrowser,
  type TestServer,
} from "../browser.js";
import { TEST_PASSWORD } from "../test-app.js";

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ admin: false }), openBrowser()]);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the first-run page", () => {
  it("a new Trainyard asks for its administrator first, and then offers to create a train or load the demo", async () => {
    await page.goto(server.url);
    await page.getByTestId("create-admin-form").waitFor();
    expect(await page.getByTestId("first-run").count()).toBe(0);
    await page.getByTestId("admin-name").fill("Ada Admin");
    await page.getByTestId("admin-email").fill(ADMIN_EMAIL);
    await page.getByTestId("admin-password").fill("short");
    await page.getByTestId("admin-confirm").fill("short");
    await page.getByTestId("create-admin").click();
    await eventually(() => page.getByTestId("admin-password-error").textContent()).toContain("at least 12 characters");
    await page.getByTestId("admin-password").fill(TEST_PASSWORD);
    await page.getByTestId("admin-confirm").fill(`${TEST_PASSWORD}!`);
    await page.getByTestId("create-admin").click();
    await eventually(() => page.getByTestId("admin-confirm-error").textContent()).toContain("differ");
    await page.getByTestId("admin-confirm").fill(TEST_PASSWORD);
    await page.getByTestId("create-admin").click();

    await page.getByTestId("first-run").waitFor();
    expect(await page.getByTestId("load-demo").isVisible()).toBe(true);
    expect(await page.getByTestId("account-name").textContent()).toBe("Ada Admin");
    const accounts = await server.api<{ items: { email: string; admin: boolean }[] }>("/users");
    expect(accounts.items).toEqual([expect.objectContaining({ email: ADMIN_EMAIL, admin: true })]);
  });

  it("the administrator creates a train, and creating one opens its program backlog", async () => {
    await page.goto(server.url);
    await page.getByTestId("first-run").waitFor();

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

  it("a browser without a session then sees the sign-in page and nothing of the train", async () => {
    const stranger = await openBrowser();
    try {
      const p = await stranger.newPage();
      for (const path of ["/", "/arts/PAY", "/arts/PAY/teams/CHE", "/setup", "/admin/people"]) {
        await p.goto(`${server.url}${path}`);
        await p.getByTestId("sign-in-form").waitFor();
        const text = (await p.locator("body").textContent()) ?? "";
        for (const secret of ["Payments Train", "Checkout", "Fraud Detection", "Pay by bank transfer", "Ada Admin"]) {
          expect(text).not.toContain(secret);
        }
        expect(await p.getByTestId("create-admin-form").count()).toBe(0);
        expect(await p.getByTestId("topnav").count()).toBe(0);
      }
      // The API says no too.
      const arts = await p.evaluate(async () => (await fetch("/api/v1/arts")).status);
      expect(arts).toBe(401);
      expect(stranger.errors).toEqual([]);
    } finally {
      await stranger.close();
    }
  });
});
