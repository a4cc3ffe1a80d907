// A collaborative estimation session in two real browsers: the facilitator (the administrator) starts a session on
// three features of the demo train for user-business value from the Prioritize screen and invites a Business Owner;
// both score privately — the Business Owner sees that the facilitator has voted, never the value; the facilitator
// reveals and the Business Owner's screen shows both scores live; the facilitator confirms the values (written to the
// features), then applies WSJF order with one feature pinned, and the program backlog is checked.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface GridRow {
  id: string;
  key: string;
  position: number;
  wsjf: number | null;
  inputs: Record<"businessValue" | "timeCriticality" | "riskReduction" | "jobSize", number | null>;
}

let server: TestServer;
let ada: TestBrowser;
let bea: TestBrowser;
let adaPage: Page;
let beaPage: Page;
let beaId: string;
/** Three features with every input but user-business value estimated, in rank order. */
let keys: string[];
let sessionUrl: string;

const BV = "User-business value";
/** What each person scores, feature by feature: 2 vs 8 is a wide disagreement; 13 and 20 meet at 20 (ties go up). */
const ADA_SCORES = ["2", "5", "13"];
const BEA_SCORES = ["8", "5", "20"];

const grid = async () => (await server.api<{ items: GridRow[] }>("/arts/DPT/wsjf?level=feature")).items;
const programOrder = async () =>
  (await server.api<{ items: { key: string }[] }>("/arts/DPT/backlog/all?level=feature")).items.map((r) => r.key);

const row = (p: Page, key: string) => p.locator(`[data-testid="estimation-row"][data-key="${key}"]`);
const cell = (p: Page, key: string) => row(p, key).getByTestId("estimation-cell-businessValue");
const scoresShown = (p: Page, key: string) =>
  cell(p, key)
    .getByTestId("estimation-score")
    .evaluateAll((chips) => chips.map((c) => (c.textContent ?? "").replace(/\s+/g, " ").trim()).sort());

/** Types one's scores down the column from the first feature, from the keyboard. */
async function scoreColumn(p: Page, values: readonly string[]) {
  await p.getByRole("spinbutton", { name: `Your score: ${BV} of ${keys[0]}` }).click();
  for (const [i, value] of values.entries()) {
    await p.keyboard.type(value);
    await p.keyboard.press(i === values.length - 1 ? "Enter" : "Tab");
  }
}

beforeAll(async () => {
  [server, ada, bea] = await Promise.all([startTestServer({ demo: true }), openBrowser(), openBrowser()]);
  const candidates = (await grid()).filter(
    (r) => r.inputs.timeCriticality !== null && r.inputs.riskReduction !== null && r.inputs.jobSize !== null,
  );
  keys = candidates.slice(0, 3).map((r) => r.key);
  expect(keys).toHaveLength(3);
  const bo = await server.user("Bea Business", [{ art: "DPT", role: "business_owner" }]);
  beaId = bo.id;
  await server.signIn(ada.context);
  await server.signIn(bea.context, bo.email, bo.password);
  adaPage = await ada.newPage();
  beaPage = await bea.newPage();
});

afterAll(async () => {
  await Promise.all([ada?.close(), bea?.close()]);
  await server?.close();
});

describe("a two-person estimation session in the browser", () => {
  it("the facilitator starts a session from the Prioritize screen on three features for user-business value", async () => {
    await adaPage.goto(`${server.url}/arts/DPT/wsjf`);
    await adaPage.getByRole("button", { name: "Estimate together…" }).click();
    const dialog = adaPage.getByRole("dialog", { name: "Estimate together" });
    await dialog.getByLabel("Title").fill("PI 2 value check");
    for (const input of ["Time criticality", "Risk reduction | opportunity enablement", "Job size"]) {
      await dialog.getByRole("checkbox", { name: input }).uncheck();
    }
    expect(await dialog.getByRole("checkbox", { name: BV }).isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "None" }).click();
    for (const key of keys) await dialog.locator(`[data-testid="estimation-item-check"][data-key="${key}"]`).check();
    await dialog.getByRole("checkbox", { name: "Invite Bea Business" }).check();
    expect(await dialog.getByTestId("estimation-start-summary").textContent()).toBe("3 items · 2 participants");
    await dialog.getByRole("button", { name: "Start session" }).click();

    await adaPage.getByTestId("estimation-session").waitFor();
    expect(adaPage.url()).toMatch(/\/arts\/DPT\/estimation\/[^/]+$/);
    sessionUrl = adaPage.url();
    expect(await adaPage.getByTestId("estimation-session-title").textContent()).toBe("PI 2 value check");
    expect(await adaPage.getByTestId("estimation-row").evaluateAll((r) => r.map((x) => x.dataset.key))).toEqual(keys);
    expect(await adaPage.getByRole("columnheader").allTextContents()).toEqual(["Key", "Title", BV]);
    expect(ada.errors).toEqual([]);
  });

  it("both score privately: before reveal the Business Owner sees that the facilitator is done, never the values", async () => {
    await scoreColumn(adaPage, ADA_SCORES);
    await beaPage.goto(sessionUrl);
    await beaPage.getByTestId("estimation-row").first().waitFor();
    await eventually(() => beaPage.getByTestId("live-status").getAttribute("data-state")).toBe("live");

    // Ada's scores reach the server; Bea's screen says Ada is done and each cell has one vote — without values.
    const adaChip = beaPage.locator('[data-testid="estimation-participant"][data-done="true"]');
    await eventually(() => adaChip.getAttribute("aria-label")).toBe("Ada Admin (facilitator): done");
    for (const key of keys) {
      await eventually(() => cell(beaPage, key).getByTestId("estimation-votes").textContent()).toBe("1 vote");
      expect(await cell(beaPage, key).getByTestId("estimation-score").count()).toBe(0);
      expect(
        await beaPage.getByRole("spinbutton", { name: `Your score: ${BV} of ${key}` }).getAttribute("data-value"),
      ).toBe("");
    }
    expect(
      await beaPage.locator(`[data-testid="estimation-participant"][data-person="${beaId}"]`).getAttribute("data-done"),
    ).toBe("false");
    // Nor does the API tell her.
    const asBea = await fetch(`${server.url}/api/v1/estimation-sessions/${sessionUrl.split("/").pop()}`, {
      headers: { Cookie: (await bea.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
    }).then((r) => r.json() as Promise<{ items: { cells: { businessValue: { scores: unknown; yours: unknown } } }[] }>);
    expect(asBea.items.map((i) => [i.cells.businessValue.scores, i.cells.businessValue.yours])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);

    await scoreColumn(beaPage, BEA_SCORES);
    // Ada's screen follows live: both are done, two votes per cell.
    await eventually(() => adaPage.locator('[data-testid="estimation-participant"][data-done="true"]').count()).toBe(2);
    for (const key of keys) {
      await eventually(() => cell(adaPage, key).getByTestId("estimation-votes").textContent()).toBe("2 votes");
    }
    expect(ada.errors).toEqual([]);
    expect(bea.errors).toEqual([]);
  });

  it("the facilitator reveals, and the Business Owner's screen shows both scores live, the spread and the proposal", async () => {
    await adaPage.getByRole("button", { name: "Reveal scores" }).click();
    await eventually(() => adaPage.getByTestId("estimation-state").getAttribute("data-state")).toBe("revealed");

    // No reload on Bea's side: the change arrives over the live stream.
    for (const [i, key] of keys.entries()) {
      await eventually(() => scoresShown(beaPage, key)).toEqual(
        [`Ada Admin ${ADA_SCORES[i]}`, `Bea Business ${BEA_SCORES[i]}`].sort(),
      );
    }
    const [wide, same, apart] = keys as [string, string, string];
    expect(await cell(beaPage, wide).getByTestId("estimation-discuss").textContent()).toBe("discuss");
    expect(await cell(beaPage, wide).getByTestId("estimation-spread").textContent()).toBe("2–8 · 3 steps");
    expect(await cell(beaPage, wide).getByTestId("estimation-proposal").getAttribute("data-value")).toBe("5");
    expect(await cell(beaPage, same).getByTestId("estimation-discuss").count()).toBe(0);
    expect(await cell(beaPage, same).getByTestId("estimation-proposal").getAttribute("data-value")).toBe("5");
    expect(await cell(beaPage, apart).getByTestId("estimation-proposal").getAttribute("data-value")).toBe("20");
    // Only the facilitator confirms.
    expect(await beaPage.getByRole("button", { name: /^Confirm/ }).count()).toBe(0);
    expect(await adaPage.getByRole("button", { name: "Revote flagged (1)" }).isEnabled()).toBe(true);
    expect(bea.errors).toEqual([]);
  });

  it("the facilitator confirms one value by hand and the other proposals at once; the features get them", async () => {
    const [wide, same, apart] = keys as [string, string, string];
    await adaPage.getByRole("combobox", { name: `Value to confirm: ${BV} of ${wide}` }).selectOption("3");
    await adaPage.getByRole("button", { name: `Confirm ${BV} of ${wide}` }).click();
    await eventually(() => cell(adaPage, wide).getAttribute("data-confirmed")).toBe("3");
    await adaPage.getByRole("button", { name: "Confirm all proposals (2)" }).click();
    await eventually(() => cell(adaPage, apart).getAttribute("data-confirmed")).toBe("20");

    const values = async () => {
      const rows = await grid();
      return keys.map((k) => rows.find((r) => r.key === k)?.inputs.businessValue);
    };
    expect(await values()).toEqual([3, 5, 20]);
    expect(await cell(adaPage, same).getAttribute("data-confirmed")).toBe("5");
    // Bea sees who confirmed.
    await eventually(() => cell(beaPage, apart).getByTestId("estimation-confirmed").textContent()).toContain(
      "by Ada Admin",
    );

    await adaPage.getByRole("button", { name: "Close session" }).click();
    await adaPage
      .getByRole("dialog", { name: "Close the session" })
      .getByRole("button", { name: "Close session" })
      .click();
    await eventually(() => beaPage.getByTestId("estimation-state").getAttribute("data-state")).toBe("closed");
    expect(ada.errors).toEqual([]);
    expect(bea.errors).toEqual([]);
  });

  it("then applies WSJF order from the Prioritize screen with one feature pinned: it stays, the rest follow WSJF", async () => {
    await adaPage.goto(`${server.url}/arts/DPT/wsjf`);
    await adaPage.getByRole("button", { name: "Apply WSJF order…" }).click();
    const dialog = adaPage.getByRole("dialog", { name: "Apply WSJF order" });
    await dialog.getByTestId("wsjf-order-row").first().waitFor();
    // Pin the feature ranked second.
    const pinnedRow = dialog.locator('[data-testid="wsjf-order-row"][data-from="2"]');
    const pinned = (await pinnedRow.getAttribute("data-key")) ?? "";
    await pinnedRow.getByRole("checkbox", { name: `Pin ${pinned} at 2` }).check();
    await eventually(() => pinnedRow.getAttribute("data-to")).toBe("2");
    await dialog.getByRole("button", { name: "Apply" }).click();
    await adaPage.getByTestId("toast").filter({ hasText: "Backlog reordered" }).waitFor();

    const order = await programOrder();
    expect(order[1]).toBe(pinned);
    const wsjfOf = new Map((await grid()).map((r) => [r.key, r.wsjf]));
    const others = order.filter((k) => k !== pinned).map((k) => wsjfOf.get(k) ?? null);
    const scored = others.filter((w): w is number => w !== null);
    // Scored features first, in non-increasing WSJF; the unscored after them.
    expect(others.slice(0, scored.length)).toEqual(scored);
    expect(others.slice(scored.length).every((w) => w === null)).toBe(true);
    for (let i = 1; i < scored.length; i++) expect(scored[i]).toBeLessThanOrEqual(scored[i - 1] as number);
    // The confirmed features took part with their new WSJF.
    for (const key of keys) expect(wsjfOf.get(key)).not.toBeNull();
    expect(ada.errors).toEqual([]);
  });
});
