// Accounts in a real browser: signing in (and the one message every failure gets), an invitation taken up in a fresh
// browser, roles granted on the people screen, signing out, changing one's password, API tokens shown once, the
// audit screen, and what a session that ends or an address that keeps failing sees.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_FAILED } from "../../src/use-cases/sign-in.js";
import {
  ADMIN_EMAIL,
  eventually,
  openBrowser,
  startTestServer,
  type TestBrowser,
  type TestServer,
} from "../browser.js";
import { TEST_PASSWORD } from "../test-app.js";

const GRACE = { name: "Grace Hopper", email: "grace@example.com", password: "a ship in port is safe" };
const NEW_PASSWORD = "but that is not what ships are for";

let server: TestServer;
let admin: TestBrowser;
let grace: TestBrowser;
let page: Page;
let gracePage: Page;
let inviteUrl: string;

async function signInWithForm(p: Page, email: string, password: string) {
  await p.getByTestId("sign-in-form").waitFor();
  await p.getByTestId("sign-in-email").fill(email);
  await p.getByTestId("sign-in-password").fill(password);
  await p.getByTestId("sign-in").click();
}

async function openMenu(p: Page, item: string) {
  await p.getByTestId("account-menu-button").click();
  await p.getByTestId(item).click();
}

beforeAll(async () => {
  [server, admin, grace] = await Promise.all([startTestServer(), openBrowser(), openBrowser()]);
  await server.api("/arts", {
    method: "POST",
    body: {
      key: "PAY",
      name: "Payments Train",
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    },
  });
  page = await admin.newPage();
  gracePage = await grace.newPage();
});

afterAll(async () => {
  await Promise.all([admin?.close(), grace?.close()]);
  await server?.close();
});

describe("signing in", () => {
  it("a wrong password gets the one generic message, and the right one opens the app", async () => {
    await page.goto(`${server.url}/arts/PAY`);
    await signInWithForm(page, ADMIN_EMAIL, "not the password at all");
    await eventually(() => page.getByTestId("auth-error").textContent()).toBe(SIGN_IN_FAILED);
    // An unknown address gets exactly the same answer.
    await signInWithForm(page, "nobody@example.com", "not the password at all");
    await eventually(() => page.getByTestId("auth-error").textContent()).toBe(SIGN_IN_FAILED);
    expect(await page.getByTestId("topnav").count()).toBe(0);

    await signInWithForm(page, ADMIN_EMAIL, TEST_PASSWORD);
    await eventually(() => page.getByTestId("backlog-title").textContent()).toBe("Program backlog");
    expect(new URL(page.url()).pathname).toBe("/arts/PAY");
    expect(await page.getByTestId("account-name").textContent()).toBe("Ada Admin");
    expect(admin.errors).toEqual([]);
  });
});

describe("people and roles", () => {
  it("an administrator invites someone and gets a one-time link to pass on", async () => {
    await openMenu(page, "menu-people");
    await page.getByTestId("people-table").waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/people");

    // The server's message about a bad address shows beside the field.
    await page.getByTestId("invite-name").fill(GRACE.name);
    await page.getByTestId("invite-email").fill("not an address");
    await page.getByTestId("invite").click();
    await eventually(() => page.getByTestId("invite-email-error").textContent()).toContain("email");

    await page.getByTestId("invite-email").fill(GRACE.email);
    await page.getByTestId("invite").click();
    const link = page.getByTestId("password-link-url");
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(new RegExp(`^${server.url}/welcome#.{20,}`));
    await page.getByTestId("password-link-url-copy").click();
    await eventually(() => page.getByTestId("password-link-url-copy").textContent()).toBe("Copied");

    const row = page.locator(`[data-testid="person-row"][data-email="${GRACE.email}"]`);
    await eventually(() => row.getByTestId("person-status").textContent()).toBe("Invited");
  });

  it("a role granted on a team shows as a chip, and a revoked one goes", async () => {
    const row = page.locator(`[data-testid="person-row"][data-email="${GRACE.email}"]`);
    const grant = async (role: string, team: string) => {
      await row.getByTestId("grant-open").click();
      const form = page.getByTestId("grant-form");
      await form.getByTestId("grant-art").selectOption({ label: "Payments Train (PAY)" });
      await form.getByTestId("grant-role").selectOption(role);
      await form.getByTestId("grant-team").selectOption({ label: team });
      await form.getByTestId("grant-submit").click();
      await form.waitFor({ state: "detached" });
    };
    await grant("product_owner", "Team Core (core)");
    await eventually(() => row.getByTestId("role-chip").allTextContents()).toEqual(["Product Owner · Core"]);
    await grant("viewer", "The whole train");
    await eventually(() => row.getByTestId("role-chip").count()).toBe(2);

    await row.getByTestId("role-chip").filter({ hasText: "Viewer" }).getByTestId("role-revoke").click();
    await eventually(() => row.getByTestId("role-chip").allTextContents()).toEqual(["Product Owner · Core"]);
    const roles = await server.api<{ items: { role: string; person: { email: string } }[] }>("/arts/PAY/roles");
    expect(roles.items.filter((r) => r.person.email === GRACE.email).map((r) => r.role)).toEqual(["product_owner"]);
  });

  it("the invitation opened in a fresh browser sets the password and lands signed in", async () => {
    await gracePage.goto(inviteUrl);
    await gracePage.getByTestId("set-password-form").waitFor();
    // The secret leaves the address bar at once.
    expect(gracePage.url()).toBe(`${server.url}/welcome`);
    await gracePage.getByTestId("new-password").fill(GRACE.password);
    await gracePage.getByTestId("confirm-password").fill(GRACE.password);
    await gracePage.getByTestId("set-password").click();
    await eventually(() => gracePage.getByTestId("account-name").textContent()).toBe(GRACE.name);
    await eventually(() => new URL(gracePage.url()).pathname).toBe("/arts/PAY");
    // A Product Owner of Core sees the program backlog, refining (for their team) and Core, not Web.
    const links = await gracePage.getByTestId("topnav").locator("a").allTextContents();
    expect(links).toEqual(["Program backlog", "Refine", "Plan", "Metrics", "Board", "Core"]);

    // The link worked once: opened again, it is refused.
    const again = await openBrowser();
    try {
      const p = await again.newPage();
      await p.goto(inviteUrl);
      await p.getByTestId("new-password").fill("another password entirely");
      await p.getByTestId("confirm-password").fill("another password entirely");
      await p.getByTestId("set-password").click();
      await eventually(() => p.getByTestId("auth-error").textContent()).toContain("not valid any more");
    } finally {
      await again.close();
    }

    await page.reload();
    const row = page.locator(`[data-testid="person-row"][data-email="${GRACE.email}"]`);
    await eventually(() => row.getByTestId("person-status").textContent()).toBe("Active");
    expect(grace.errors).toEqual([]);
  });

  it("removing the last administrator is refused with the server's reason", async () => {
    const me = page.locator(`[data-testid="person-row"][data-email="${ADMIN_EMAIL}"]`);
    await me.getByTestId("toggle-admin").click();
    await eventually(() => page.getByTestId("toast").first().textContent()).toContain("last administrator");
    const users = await server.api<{ items: { email: string; admin: boolean }[] }>("/users");
    expect(users.items.find((u) => u.email === ADMIN_EMAIL)?.admin).toBe(true);
  });
});

describe("one's own account", () => {
  it("signing out returns to the sign-in page, and reloading stays there", async () => {
    await openMenu(gracePage, "sign-out");
    await gracePage.getByTestId("sign-in-form").waitFor();
    expect(await gracePage.getByTestId("topnav").count()).toBe(0);
    await gracePage.reload();
    await gracePage.getByTestId("sign-in-form").waitFor();
    expect(await gracePage.evaluate(async () => (await fetch("/api/v1/me")).status)).toBe(401);
  });

  it("changing the password checks the current one beside its field, and then only the new one signs in", async () => {
    await signInWithForm(gracePage, GRACE.email, GRACE.password);
    await gracePage.getByTestId("account-name").waitFor();
    await openMenu(gracePage, "menu-password");
    await gracePage.getByTestId("change-password-form").waitFor();

    await gracePage.getByTestId("current-password").fill("this is not it at all");
    await gracePage.getByTestId("new-password").fill(NEW_PASSWORD);
    await gracePage.getByTestId("confirm-password").fill(NEW_PASSWORD);
    await gracePage.getByTestId("change-password").click();
    await eventually(() => gracePage.getByTestId("current-password-error").textContent()).toContain(
      "not your current password",
    );
    await gracePage.getByTestId("current-password").fill(GRACE.password);
    await gracePage.getByTestId("change-password").click();
    await gracePage.getByTestId("password-changed").waitFor();

    await openMenu(gracePage, "sign-out");
    await signInWithForm(gracePage, GRACE.email, GRACE.password);
    await eventually(() => gracePage.getByTestId("auth-error").textContent()).toBe(SIGN_IN_FAILED);
    await signInWithForm(gracePage, GRACE.email, NEW_PASSWORD);
    await eventually(() => gracePage.getByTestId("account-name").textContent()).toBe(GRACE.name);
  });

  it("a new API token is shown once, works as a Bearer token, and stops working when revoked", async () => {
    await openMenu(gracePage, "menu-tokens");
    await gracePage.getByTestId("token-name").fill("Nightly report");
    await gracePage.getByTestId("token-create").click();
    const value = gracePage.getByTestId("token-value");
    await value.waitFor();
    const token = await value.inputValue();
    expect(token).toMatch(/^ty_/);
    expect(await gracePage.getByTestId("token-created").textContent()).toContain("shown only this once");
    expect(await gracePage.getByTestId("token-value-copy").isVisible()).toBe(true);

    const me = (bearer: string) =>
      fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${bearer}` } }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { email?: string },
      }));
    const used = await me(token);
    expect(used.status).toBe(200);
    expect(used.body.email).toBe(GRACE.email);

    // Once dismissed (or after a reload) only its last characters are ever shown.
    await gracePage.reload();
    const row = gracePage.getByTestId("token-row").filter({ hasText: "Nightly report" });
    await row.waitFor();
    expect(await row.textContent()).toContain(token.slice(-4));
    expect(await gracePage.locator("body").textContent()).not.toContain(token);
    expect(await gracePage.getByTestId("token-value").count()).toBe(0);

    gracePage.once("dialog", (d) => void d.accept());
    await row.getByTestId("token-revoke").click();
    await eventually(() => row.textContent()).toContain("revoked");
    expect((await me(token)).status).toBe(401);
  });

  it("someone without any role sees that they have none, and nothing else", async () => {
    const nobody = await server.user("Nora Newcomer");
    const browser = await openBrowser();
    try {
      await server.signIn(browser.context, nobody.email, nobody.password);
      const p = await browser.newPage();
      await p.goto(server.url);
      await p.getByTestId("no-role").waitFor();
      expect(await p.getByTestId("no-role").textContent()).toContain("You have no role on any train yet");
      expect(await p.locator("body").textContent()).not.toContain("Payments Train");
      expect(await p.getByTestId("first-run").count()).toBe(0);
      // Not the administrator's screens either.
      await p.getByTestId("account-menu-button").click();
      expect(await p.getByTestId("menu-people").count()).toBe(0);
      await p.goto(`${server.url}/admin/people`);
      await eventually(() => p.getByTestId("message-page").textContent()).toContain("Not for your roles");
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("the audit screen", () => {
  it("lists the sign-ins and failed sign-ins with who and from where, by kind, page after page", async () => {
    // Enough sign-ins for a second page (ten at a time: each checks a password hash).
    const signInOnce = () =>
      fetch(`${server.url}/api/v1/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: TEST_PASSWORD }),
      }).then((r) => r.status);
    for (let i = 0; i < 10; i++) {
      expect(await Promise.all(Array.from({ length: 10 }, signInOnce))).toEqual(Array(10).fill(200));
    }
    await openMenu(page, "menu-audit");
    const rows = page.getByTestId("audit-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(100);
    await page.getByTestId("audit-more").click();
    await eventually(() => rows.count()).toBeGreaterThan(100);
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-kind")));
    expect(kinds).toContain("password_changed");
    expect(kinds).toContain("role_granted");

    await page.getByTestId("audit-kind").selectOption("sign_in");
    await eventually(async () =>
      (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-kind")))).every((k) => k === "sign_in"),
    ).toBe(true);
    // The administrator's hundred sign-ins fill the first page; Grace's are on the next.
    await eventually(() => rows.count()).toBe(100);
    await page.getByTestId("audit-more").click();
    const hers = rows.filter({ hasText: GRACE.name });
    await eventually(() => hers.count()).toBeGreaterThan(0);
    expect(await hers.first().textContent()).toContain("Signed in");
    expect(await hers.first().textContent()).toContain("127.0.0.1");

    await page.getByTestId("audit-kind").selectOption("sign_in_failed");
    await eventually(() => rows.first().textContent()).toContain("Sign-in failed");
    expect(await rows.filter({ hasText: "nobody@example.com" }).count()).toBeGreaterThan(0);
    expect(admin.errors).toEqual([]);
  });

  it("the backlog changes tab names who made each change", async () => {
    const grant = (await server.api<{ items: { person: { email: string } }[] }>("/arts/PAY/roles")).items;
    expect(grant.some((g) => g.person.email === GRACE.email)).toBe(true);
    // Grace adds a story to Core in her browser.
    await gracePage.goto(`${server.url}/arts/PAY/teams/core`);
    await gracePage.getByTestId("create-input").fill("As a payer, I want a receipt by email");
    await gracePage.getByTestId("create-input").press("Enter");
    await gracePage.getByTestId("backlog-row").filter({ hasText: "As a payer" }).waitFor();

    await page.getByTestId("tab-changes").click();
    const row = page.getByTestId("change-row").first();
    await eventually(() => row.textContent()).toContain("Grace Hopper");
    expect(await row.textContent()).toContain("PAY-1");
    expect(await row.textContent()).toContain("Created");
    // The tab opened straight from its address (the trains load with it) shows the same.
    await page.reload();
    await eventually(() => page.getByTestId("change-row").first().textContent()).toContain("Grace Hopper");
  });
});

describe("when a session ends", () => {
  it("deactivating an account sends its open browser to the sign-in page", async () => {
    await gracePage.goto(`${server.url}/arts/PAY/teams/core`);
    await gracePage.getByTestId("backlog-row").first().waitFor();
    await page.goto(`${server.url}/admin/people`);
    const row = page.locator(`[data-testid="person-row"][data-email="${GRACE.email}"]`);
    page.once("dialog", (d) => void d.accept());
    await row.getByTestId("toggle-active").click();
    await eventually(() => row.getByTestId("person-status").textContent()).toBe("Deactivated");

    // Her next request is refused (or her live feed is closed first), and the app asks her to sign in.
    await gracePage
      .getByTestId("backlog-row")
      .first()
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await gracePage.getByTestId("sign-in-form").waitFor();
    expect(await gracePage.getByTestId("backlog-row").count()).toBe(0);
  });

  it("an address that keeps failing is told to wait", async () => {
    for (let i = 0; i < 20; i++) {
      await fetch(`${server.url}/api/v1/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "mallory@example.com", password: "guess number something" }),
      });
    }
    const p = await grace.newPage();
    await p.goto(server.url);
    await signInWithForm(p, ADMIN_EMAIL, TEST_PASSWORD);
    await eventually(() => p.getByTestId("auth-error").textContent()).toMatch(
      /Too many failed sign-ins from this address\. Wait \d+ minutes and try again\./,
    );
  });
});
