// The item panel in a real browser: editing with versions (and resolving a conflict both ways), field errors from the
// server beside their fields, hierarchy navigation, comments rendered as sanitized markdown, changes attributed to
// whoever is signed in, and the read-only panel and backlogs of someone whose roles do not allow editing.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface Detail {
  item: { key: string; title: string; description: string; points: number | null; version: number; labels: string[] };
  ancestors: { key: string }[];
  children: { key: string }[];
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;

const detail = (key: string) => server.api<Detail>(`/items/${key}`);

/** Changes an item through the API, as another person would. */
async function changeBehindTheBack(key: string, changes: Record<string, unknown>) {
  const { item } = await detail(key);
  await server.api(`/items/${key}`, { method: "PATCH", headers: { "If-Match": `"${item.version}"` }, body: changes });
}

async function openItem(key: string) {
  await page.goto(`${server.url}/arts/DPT?item=${key}`);
  await eventually(() => page.getByTestId("panel-key").textContent()).toBe(key);
  await eventually(() => page.getByTestId("live-status").getAttribute("data-state")).toBe("live");
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

describe("the item panel", () => {
  it("saving an edit made on a stale version shows the conflict, and 'Keep mine' saves it on their version", async () => {
    await openItem("DPT-12");
    const { item: before } = await detail("DPT-12");
    await page.getByTestId("field-title").fill("Elastic build agents that scale to zero");
    await changeBehindTheBack("DPT-12", { title: "Elastic build agents (renamed by someone else)", points: 8 });

    await page.getByTestId("save-button").click();
    const banner = page.getByTestId("conflict-banner");
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`Someone else changed this item (now version ${before.version + 1})`);
    expect(await banner.getByTestId("conflict-field").evaluateAll((rows) => rows.map((r) => r.dataset.field))).toEqual([
      "title",
    ]);
    expect(await banner.getByTestId("conflict-field").textContent()).toContain(
      "Elastic build agents that scale to zero",
    );
    expect(await banner.getByTestId("conflict-field").textContent()).toContain("renamed by someone else");
    expect(await banner.textContent()).toContain("They also changed Points");

    await page.getByTestId("conflict-keep-mine").click();
    await banner.waitFor({ state: "detached" });
    const { item: after } = await detail("DPT-12");
    expect(after.title).toBe("Elastic build agents that scale to zero");
    expect(after.points).toBe(8);
    expect(after.version).toBe(before.version + 2);
    await eventually(() => page.getByTestId("panel-version").textContent()).toBe(`v${after.version}`);
    expect(await page.getByTestId("field-title").inputValue()).toBe("Elastic build agents that scale to zero");
    expect(await page.getByTestId("field-points").inputValue()).toBe("8");
  });

  it("'Take theirs' drops my edit and shows the item as they left it", async () => {
    await openItem("DPT-13");
    await page.getByTestId("field-description").fill("My rewrite of the description.");
    await changeBehindTheBack("DPT-13", { description: "Their rewrite of the description." });
    await page.getByTestId("save-button").click();
    await page.getByTestId("conflict-banner").waitFor();
    await page.getByTestId("conflict-take-theirs").click();
    await page.getByTestId("conflict-banner").waitFor({ state: "detached" });
    expect(await page.getByTestId("field-description").inputValue()).toBe("Their rewrite of the description.");
    expect(await page.getByTestId("save-button").isDisabled()).toBe(true);
    expect((await detail("DPT-13")).item.description).toBe("Their rewrite of the description.");
  });

  it("an edit nobody raced saves, and the list and history show it", async () => {
    await openItem("DPT-14");
    await page.getByTestId("field-state").selectOption("validating");
    await page.getByTestId("field-labels").fill("beta");
    await page.getByTestId("field-labels").press("Enter");
    await page.getByTestId("criterion-add-input").fill("Given a request, when it times out, then the caller gets 504.");
    await page.getByTestId("criterion-add-input").press("Enter");
    await page.getByTestId("criterion-up").last().click();
    await page.keyboard.press("Control+s");
    await eventually(() => page.getByTestId("save-status").textContent()).toBe("Saved");

    const { item } = await detail("DPT-14");
    expect(item.labels).toContain("beta");
    const criteria = (item as unknown as { acceptanceCriteria: { text: string }[] }).acceptanceCriteria;
    expect(criteria.at(-2)?.text).toBe("Given a request, when it times out, then the caller gets 504.");
    const row = page.locator('[data-testid="backlog-row"][data-key="DPT-14"]');
    await eventually(() => row.getByTestId("state-badge").textContent()).toBe("Validating on staging");

    await page.getByTestId("tab-history").click();
    await eventually(() => page.getByTestId("history-entry").first().textContent()).toMatch(
      /changed (State from Implementing to Validating on staging|Labels)/,
    );
  });

  it("a value the server refuses shows its message beside the field", async () => {
    await openItem("DPT-15");
    await page.getByTestId("field-points").fill("-3");
    await page.getByTestId("save-button").click();
    await eventually(() => page.getByTestId("error-points").textContent()).toBe("points are not negative");
    await page.getByTestId("field-points").fill("5");
    expect(await page.getByTestId("error-points").count()).toBe(0);
  });

  it("the breadcrumb and the children lead up and down the hierarchy", async () => {
    const feature = await detail("DPT-10");
    const story = feature.children[0]?.key as string;
    await openItem(story);
    const crumbs = page.getByTestId("breadcrumb-link");
    expect(await crumbs.count()).toBe(3);
    await crumbs.last().click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe("DPT-10");
    await page.getByTestId("child-link").first().click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(story);
  });

  it("leaving an item with unsaved edits asks first, and staying keeps the edits", async () => {
    const feature = await detail("DPT-11");
    const story = feature.children[0]?.key as string;
    await openItem(story);
    await page.getByTestId("field-title").fill("An edit I have not saved");
    const questions: string[] = [];
    page.once("dialog", (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await page.getByTestId("breadcrumb-link").last().click();
    await eventually(() => questions.length).toBe(1);
    expect(questions[0]).toContain("unsaved changes");
    expect(await page.getByTestId("panel-key").textContent()).toBe(story);
    expect(await page.getByTestId("field-title").inputValue()).toBe("An edit I have not saved");
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("breadcrumb-link").last().click();
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe("DPT-11");
    expect((await detail(story)).item.title).not.toBe("An edit I have not saved");
  });

  it("a comment renders as markdown with anything executable removed", async () => {
    await openItem("DPT-16");
    const before = await page.getByTestId("comment").count();
    await page
      .getByTestId("comment-input")
      .fill(
        'Looks **good** to me.\n\n<img src="x" onerror="window.__pwned = true"> <script>window.__pwned = true</script>',
      );
    await page.getByTestId("comment-submit").click();
    await eventually(() => page.getByTestId("comment").count()).toBe(before + 1);
    const last = page.getByTestId("comment").last();
    expect(await last.locator(".comment-body strong").textContent()).toBe("good");
    expect(await last.locator("script").count()).toBe(0);
    expect(await last.locator("img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("onerror")))).toEqual([null]);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    // Chrome reports the payload's inline handler against the page's Content-Security-Policy while DOMPurify parses it
    // in an inert document (nothing runs: __pwned stays unset). That report proves the policy is in force; it is the
    // one error this test expects, so it is taken off the list the last test checks.
    const blocked = browser.errors.filter((e) => e.includes("violates the following Content Security Policy"));
    expect(blocked.length).toBeGreaterThan(0);
    browser.errors.splice(0, browser.errors.length, ...browser.errors.filter((e) => !blocked.includes(e)));
  });

  it("comments and changes are attributed to the person signed in", async () => {
    const pat = await server.user("Pat Planner", [{ art: "DPT", role: "product_manager" }]);
    const other = await openBrowser();
    try {
      await server.signIn(other.context, pat.email, pat.password);
      const p = await other.newPage();
      await p.goto(`${server.url}/arts/DPT?item=DPT-19`);
      await eventually(() => p.getByTestId("panel-key").textContent()).toBe("DPT-19");
      expect(await p.getByTestId("account-name").textContent()).toBe("Pat Planner");

      await p.getByTestId("comment-input").fill("Checked with the Business Owners.");
      await p.getByTestId("comment-input").press("Control+Enter");
      await eventually(() => p.getByTestId("comment").last().textContent()).toContain("Pat Planner");
      await p.getByTestId("field-points").fill("13");
      await p.getByTestId("save-button").click();
      await eventually(() => p.getByTestId("save-status").textContent()).toBe("Saved");
      const history = await server.api<{ items: { kind: string; field: string | null; actorId: string | null }[] }>(
        "/items/DPT-19/history",
      );
      expect(history.items.filter((e) => e.field === "points").at(-1)?.actorId).toBe(pat.id);
      await p.getByTestId("tab-history").click();
      await eventually(() => p.getByTestId("history-entry").first().textContent()).toContain(
        "Pat Planner changed Points",
      );
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("someone who may only read and comment sees the backlog and the item read-only, and can still comment", async () => {
    const bo = await server.user("Bea Business", [{ art: "DPT", role: "business_owner" }]);
    const other = await openBrowser();
    try {
      await server.signIn(other.context, bo.email, bo.password);
      const p = await other.newPage();
      await p.goto(`${server.url}/arts/DPT?item=DPT-20`);
      await eventually(() => p.getByTestId("panel-key").textContent()).toBe("DPT-20");
      await p.getByTestId("backlog-row").first().waitFor();
      // No ranking and no creating: no drag handles, no move buttons, no create row.
      expect(await p.getByTestId("read-only").count()).toBe(2);
      expect(await p.getByTestId("drag-handle").count()).toBe(0);
      expect(await p.getByTestId("move-top").count()).toBe(0);
      expect(await p.getByTestId("create-input").count()).toBe(0);
      // The fields show but cannot change, and there is nothing to save.
      expect(await p.getByTestId("field-title").isEditable()).toBe(false);
      expect(await p.getByTestId("field-state").isDisabled()).toBe(true);
      expect(await p.getByTestId("save-button").count()).toBe(0);
      expect(await p.getByTestId("relation-add").count()).toBe(0);
      // Alt+ArrowDown moves nothing.
      const before = (await server.api<{ items: { key: string }[] }>("/arts/DPT/backlog/all?level=feature")).items;
      await p.locator(`[data-testid="backlog-row"][data-key="${before[1]?.key}"]`).click();
      await p.keyboard.press("Alt+ArrowDown");
      await p.getByTestId("comment-input").fill("Worth it for the Q3 launch.");
      await p.getByTestId("comment-submit").click();
      await eventually(() => p.getByTestId("comment").last().textContent()).toContain("Bea Business");
      const after = (await server.api<{ items: { key: string }[] }>("/arts/DPT/backlog/all?level=feature")).items;
      expect(after.map((r) => r.key)).toEqual(before.map((r) => r.key));
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("a team member may add stories to their team but not rank them, and sees only their team's backlog", async () => {
    const tm = await server.user("Tom Teammate", [{ art: "DPT", role: "team_member", team: "RUN" }]);
    const other = await openBrowser();
    try {
      await server.signIn(other.context, tm.email, tm.password);
      const p = await other.newPage();
      await p.goto(`${server.url}/arts/DPT/teams/RUN`);
      await p.getByTestId("backlog-row").first().waitFor();
      expect(await p.getByTestId("drag-handle").count()).toBe(0);
      expect(await p.getByTestId("create-input").count()).toBe(1);
      const teamLinks = await p
        .getByTestId("topnav")
        .locator("a")
        .evaluateAll((as) => as.map((a) => a.textContent));
      expect(teamLinks).toEqual(["Program backlog", "Refine", "Plan", "Metrics", "Board", "Runtime"]);
      const title = "As an operator, I want a dry-run flag, so that I can preview a rollout";
      await p.getByTestId("create-input").fill(title);
      await p.getByTestId("create-input").press("Enter");
      await p.getByTestId("backlog-row").filter({ hasText: title }).waitFor();
      // Their own story opens editable.
      await p.getByTestId("backlog-row").filter({ hasText: title }).click();
      await eventually(async () => p.getByTestId("field-title").isEditable()).toBe(true);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("relations are added by key and kind, and removed", async () => {
    await openItem("DPT-17");
    const count = await page.getByTestId("relation").count();
    await page.getByTestId("relation-kind").selectOption("blocks");
    await page.getByTestId("relation-target").fill("DPT-18");
    await page.getByTestId("relation-add").click();
    await eventually(() => page.getByTestId("relation").count()).toBe(count + 1);
    expect(await page.getByTestId("relation").filter({ hasText: "DPT-18" }).textContent()).toContain("blocks");

    await page.getByTestId("relation-target").fill("DPT-99999");
    await page.getByTestId("relation-add").click();
    await eventually(() => page.getByTestId("relation-error").textContent()).toContain("no item 'DPT-99999'");

    await page.getByTestId("relation").filter({ hasText: "DPT-18" }).getByTestId("relation-remove").click();
    await eventually(() => page.getByTestId("relation").count()).toBe(count);
    expect(browser.errors).toEqual([]);
  });
});
