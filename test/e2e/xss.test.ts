// Stored XSS, in a real browser: script payloads saved through the API in every text a person can write — the ART,
// team, PI and person names, item titles, descriptions, benefit hypotheses, acceptance criteria, labels, comments,
// token names — and then every screen that shows them. The browser ignores the page's Content-Security-Policy here,
// so what is tested is the app itself: nothing runs, no dialog opens, no live markup reaches the page, the payloads
// read as text, and markdown links to `javascript:` lose their target.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  openBrowser,
  startTestServer,
  type TestBrowser,
  type TestServer,
  type TestUser,
} from "../browser.js";

const IMG = `<img src=x onerror="window.__xss=1">`;
const SCRIPT = "<script>window.__xss=1</script>";
const SVG = "<svg onload=window.__xss=1>";
const IFRAME = `"><iframe srcdoc="<script>parent.__xss=1</script>">`;
const LINK = "[x](javascript:window.__xss=1)";
const PAYLOADS = [IMG, SCRIPT, SVG, IFRAME, LINK];
/** Markdown with every payload, as a description or a comment. */
const MARKDOWN = [
  "**Bold** text with links: [x](javascript:window.__xss=1) and [y](JaVaScRiPt:window.__xss=1)",
  `<a href="javascript:window.__xss=1">z</a> <a href=" javascript:window.__xss=1">w</a>`,
  IMG,
  SCRIPT,
  SVG,
  IFRAME,
  '<details open ontoggle="window.__xss=1">d</details> <b onmouseover="window.__xss=1">hover</b>',
].join("\n\n");

const ART_NAME = `Train ${IMG}`;
const TEAM_SVG = `${SVG} Team`;
const TEAM_IFRAME = `${IFRAME} Team`;
const PI_NAME = `<b onmouseover=window.__xss=1>PI</b>`;
const PERSON = `${IMG} Mallory`;
const INVITED = `${SCRIPT} Ivan`;
const TOKEN = `${SVG} token`;
const LABELS = ["<svg onload=window.__xss=1>", "<img src=x onerror=window.__xss=1>"];

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let mallory: TestUser;
const dialogs: string[] = [];
const keys = { epic: "", feature: "", other: "", story: "" };

/** Calls the API as Mallory, who writes everything. */
const asMallory = <T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  server.api<T>(path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${mallory.token}` } });

/** Elements a payload would need to run, found under #root (evaluated in the page). */
const LIVE_MARKUP = `(() => {
  const root = document.getElementById("root");
  if (!root) return ["no #root"];
  const found = [...root.querySelectorAll(
    "script, iframe, object, embed, [srcdoc], [onerror], [onload], [onmouseover], [ontoggle]",
  )].map((el) => el.outerHTML.slice(0, 80));
  for (const a of root.querySelectorAll("a")) {
    if (/^\\s*javascript:/i.test(a.getAttribute("href") ?? "")) found.push(a.outerHTML.slice(0, 80));
  }
  return found;
})()`;

/** Nothing ran, no dialog opened, and no live markup from a payload is in the page. */
async function expectNothingRan(p: Page) {
  expect(await p.evaluate("window.__xss")).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await p.evaluate<string[]>(LIVE_MARKUP)).toEqual([]);
}

/** Every link a rendered markdown block holds: none may point at javascript:, and clicking them runs nothing. */
async function clickMarkdownLinks(p: Page, scope: string) {
  const links = p.locator(`${scope} a`);
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  expect(hrefs.length).toBeGreaterThanOrEqual(4);
  for (const href of hrefs) expect(href === null || /^https?:|^\/|^#/.test(href)).toBe(true);
  const url = p.url();
  for (let i = 0; i < hrefs.length; i++) await links.nth(i).click();
  expect(p.url()).toBe(url);
  await expectNothingRan(p);
}

const texts = (p: Page, testId: string) => p.getByTestId(testId).allTextContents();

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser({ bypassCSP: true })]);
  await server.signIn(browser.context);
  page = await browser.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await server.api("/arts", {
    method: "POST",
    body: {
      key: "XSS",
      name: ART_NAME,
      teams: [
        { key: "svg", name: TEAM_SVG },
        { key: "ifr", name: TEAM_IFRAME },
      ],
    },
  });
  await server.api("/arts/XSS/pis", { method: "POST", body: { name: PI_NAME, startDate: "2026-11-02" } });
  mallory = await server.user(
    PERSON,
    [
      { art: "XSS", role: "product_manager" },
      { art: "XSS", role: "product_owner", team: "svg" },
    ],
    { email: "mallory@example.com" },
  );
  await server.api("/users", { method: "POST", body: { name: INVITED, email: "ivan@example.com" } });
  await asMallory("/tokens", { method: "POST", body: { name: TOKEN } });

  const create = async (body: Record<string, unknown>) =>
    (await asMallory<{ key: string }>("/items", { method: "POST", body: { art: "XSS", ...body } })).key;
  const text = { description: MARKDOWN, acceptanceCriteria: PAYLOADS, labels: LABELS };
  keys.epic = await create({ level: "epic", title: SCRIPT, benefitHypothesis: IMG, ...text });
  keys.feature = await create({
    level: "feature",
    title: IMG,
    parentId: keys.epic,
    teamIds: ["svg", "ifr"],
    piId: PI_NAME,
    benefitHypothesis: SVG,
    ownerId: mallory.id,
    ...text,
  });
  keys.other = await create({ level: "feature", title: IFRAME, ...text });
  keys.story = await create({
    level: "story",
    title: SVG,
    teamId: "svg",
    parentId: keys.feature,
    ownerId: mallory.id,
    ...text,
  });
  for (const key of [keys.feature, keys.story]) {
    await asMallory(`/items/${key}/comments`, { method: "POST", body: { body: MARKDOWN } });
  }
  await asMallory(`/items/${keys.story}/relations`, {
    method: "POST",
    body: { kind: "depends_on", target: keys.other },
  });
  const { item } = await asMallory<{ item: { version: number } }>(`/items/${keys.story}`);
  await asMallory(`/items/${keys.story}`, {
    method: "PATCH",
    headers: { "If-Match": `"${item.version}"` },
    body: {
      title: `${SCRIPT} (renamed)`,
      description: `${MARKDOWN}\n\nEdited.`,
      labels: [...LABELS, SCRIPT.slice(0, 40)],
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("stored script payloads stay text", () => {
  it("in the program backlog: the train, team and PI names, titles and labels", async () => {
    await page.goto(`${server.url}/arts/XSS/backlog/epics`);
    await page.getByTestId("backlog-row").first().waitFor();
    expect(await texts(page, "row-title")).toEqual([SCRIPT]);
    expect(await page.locator(".label-chip").allTextContents()).toEqual(expect.arrayContaining(LABELS));
    expect(await page.getByTestId("train-switch").locator("option").first().textContent()).toBe(`${ART_NAME} (XSS)`);
    expect(await page.getByTestId("nav-team-svg").textContent()).toBe(TEAM_SVG);
    expect(await page.getByTestId("nav-team-ifr").textContent()).toBe(TEAM_IFRAME);
    expect(await page.title()).toContain(ART_NAME);
    await expectNothingRan(page);

    await page.getByTestId("level-features").click();
    await eventually(() => texts(page, "row-title")).toEqual([IMG, IFRAME]);
    expect(await page.locator(".cell-pi").allTextContents()).toContain(PI_NAME);
    await page.getByTestId("filter-pi").selectOption(PI_NAME);
    await eventually(() => texts(page, "row-title")).toEqual([IMG]);
    await expectNothingRan(page);
  });

  it("in a team backlog: the team's name, story titles and their parent's title", async () => {
    await page.goto(`${server.url}/arts/XSS/teams/svg`);
    await page.getByTestId("backlog-row").first().waitFor();
    expect(await page.getByTestId("backlog-title").textContent()).toBe(`${TEAM_SVG}svg`);
    expect(await texts(page, "row-title")).toEqual([`${SCRIPT} (renamed)`]);
    expect(await page.locator(".parent-title").allTextContents()).toEqual([IMG]);
    await expectNothingRan(page);
  });

  it("in the item panel: fields, owner, breadcrumb, relations, comments (markdown) and history", async () => {
    await page.goto(`${server.url}/arts/XSS/teams/svg?item=${keys.story}`);
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(keys.story);
    expect(await page.getByTestId("field-title").inputValue()).toBe(`${SCRIPT} (renamed)`);
    expect(
      await page
        .getByTestId("criterion-input")
        .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)),
    ).toEqual(PAYLOADS);
    expect(await page.getByTestId("field-ownerId").locator("option:checked").textContent()).toBe(PERSON);
    expect(await page.getByTestId("breadcrumb").textContent()).toContain(IMG);
    expect(await page.getByTestId("breadcrumb").textContent()).toContain(SCRIPT);
    expect(await page.getByTestId("relation").textContent()).toContain(IFRAME);
    expect(await page.locator(".chips-input .label-chip").allTextContents()).toEqual(expect.arrayContaining(LABELS));

    // The comment renders as markdown: bold stays, the payloads show as text or not at all, links lose javascript:.
    const comment = page.getByTestId("comment").first();
    expect(await comment.locator("strong").first().textContent()).toBe(PERSON);
    expect(await comment.locator(".comment-body strong").textContent()).toBe("Bold");
    await expectNothingRan(page);
    await clickMarkdownLinks(page, ".comment-body");

    // The description's preview is the same sanitized markdown.
    await page.getByTestId("field-description-preview-tab").click();
    await page.getByTestId("field-description-preview").waitFor();
    await clickMarkdownLinks(page, '[data-testid="field-description-preview"]');

    await page.getByTestId("tab-history").click();
    await page.getByTestId("history-entry").first().waitFor();
    const history = (await texts(page, "history-entry")).join("\n");
    expect(history).toContain(PERSON);
    expect(history).toContain(`${SCRIPT} (renamed)`);
    expect(history).toContain(SVG);
    for (const details of await page.locator(".history-details summary").all()) await details.click();
    expect(await page.locator(".history-diff").first().textContent()).toContain(IFRAME);
    await expectNothingRan(page);

    // The feature: its teams, PI, benefit hypothesis and its child.
    await page.goto(`${server.url}/arts/XSS?item=${keys.feature}`);
    await eventually(() => page.getByTestId("panel-key").textContent()).toBe(keys.feature);
    expect(await page.getByTestId("field-benefitHypothesis").inputValue()).toBe(SVG);
    expect(await page.getByTestId("field-piId").locator("option:checked").textContent()).toBe(PI_NAME);
    expect(await page.getByTestId("children").textContent()).toContain(`${SCRIPT} (renamed)`);
    await clickMarkdownLinks(page, ".comment-body");
    await expectNothingRan(page);
  });

  it("on the people and audit screens: names, role chips, token names and backlog changes", async () => {
    await page.goto(`${server.url}/admin/people`);
    await page.getByTestId("people-table").waitFor();
    const names = await texts(page, "person-name");
    expect(names).toEqual(expect.arrayContaining([PERSON, INVITED]));
    const malloryRow = page.locator('[data-testid="person-row"][data-email="mallory@example.com"]');
    expect(await malloryRow.getByTestId("role-chip").allTextContents()).toEqual(
      expect.arrayContaining([`Product Manager · ${ART_NAME}`, `Product Owner · ${TEAM_SVG}`]),
    );
    await malloryRow.getByTestId("grant-open").click();
    expect(await page.getByTestId("grant-form").textContent()).toContain(PERSON);
    expect(await page.getByTestId("grant-art").locator("option").first().textContent()).toBe(`${ART_NAME} (XSS)`);
    await expectNothingRan(page);

    await page.goto(`${server.url}/admin/audit`);
    await page.getByTestId("audit-row").first().waitFor();
    const trail = (await texts(page, "audit-row")).join("\n");
    expect(trail).toContain(PERSON);
    expect(trail).toContain(INVITED);
    expect(trail).toContain(TOKEN);
    expect(trail).toContain(TEAM_SVG);
    await expectNothingRan(page);

    await page.getByTestId("tab-changes").click();
    await page.getByTestId("change-row").first().waitFor();
    const changes = (await texts(page, "change-row")).join("\n");
    expect(changes).toContain(PERSON);
    expect(changes).toContain(`${SCRIPT} (renamed)`);
    expect(await page.getByTestId("changes-art").locator("option").first().textContent()).toBe(`${ART_NAME} (XSS)`);
    expect(await page.getByTestId("changes-team").locator("option").allTextContents()).toContain(TEAM_SVG);
    await expectNothingRan(page);
  });

  it("on the account pages of the person who wrote them: their name, roles and token names", async () => {
    const theirs = await openBrowser({ bypassCSP: true });
    try {
      await server.signIn(theirs.context, mallory.email, mallory.password);
      const p = await theirs.newPage();
      p.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await p.goto(`${server.url}/account/tokens`);
      await p.getByTestId("token-row").first().waitFor();
      expect(await p.getByTestId("token-row").first().textContent()).toContain(TOKEN);
      expect(await p.getByTestId("account-name").textContent()).toBe(PERSON);
      expect(await p.locator(".settings-header .role-chip").allTextContents()).toEqual(
        expect.arrayContaining([`Product Manager · ${ART_NAME}`, `Product Owner · ${TEAM_SVG}`]),
      );
      await p.getByTestId("account-menu-button").click();
      expect(await p.getByTestId("account-menu").textContent()).toContain(PERSON);
      await expectNothingRan(p);
      expect(theirs.errors).toEqual([]);
    } finally {
      await theirs.close();
    }
    expect(browser.errors).toEqual([]);
  });
});
