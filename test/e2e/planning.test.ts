// PI planning in a real browser, on a small train made through the API: capacity set for two teams in the capacity
// editor (one from its people, copied to the PI's other iterations; one in points), a story dragged from Unplanned
// into an iteration with the mouse and another moved with the keyboard, each column's load following and the overload
// flagged, a change made elsewhere arriving live, and a proposed plan accepted in part — the chosen stories land where
// it proposed, the others stay — with no console errors or CSP violations.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, openBrowser, startTestServer, type TestBrowser, type TestServer } from "../browser.js";

interface ApiItem {
  id: string;
  key: string;
  iterationId: string | null;
  version: number;
}
interface ApiPi {
  id: string;
  name: string;
  iterations: { id: string; name: string; number: number; kind: string }[];
}
interface ApiCapacity {
  teams: {
    teamId: string;
    iterations: {
      iterationId: string;
      members: { name: string; availability: number; daysOff: number }[];
      points: number | null;
      capacity: { points: number | null; source: string | null };
    }[];
  }[];
}

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let pi: ApiPi;

/** A day `days` from today, yyyy-mm-dd: the PI starts after today, so it is the one the Plan screen opens. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const item = async (key: string) => (await server.api<{ item: ApiItem }>(`/items/${key}`)).item;
const iteration = (n: number) => {
  const found = pi.iterations.find((i) => i.number === n);
  if (!found) throw new Error(`PI 1 has no iteration ${n}`);
  return found;
};

const team = (p: Page, key: string) => p.locator(`[data-testid="plan-team"][data-team="${key}"]`);
const column = (p: Page, teamKey: string, n: number | "unplanned") =>
  team(p, teamKey).locator(
    n === "unplanned"
      ? '[data-testid="plan-column"][data-column="unplanned"]'
      : `[data-testid="plan-column"][data-iteration="${iteration(n).id}"]`,
  );
const card = (scope: Page | Locator, key: string) => scope.locator(`[data-testid="plan-card"][data-key="${key}"]`);
const loadOf = (p: Page, teamKey: string, n: number) => column(p, teamKey, n).getByTestId("plan-load");

/** Drags a card by its handle onto a column with the mouse, in small steps as a person would. */
async function dragCard(p: Page, key: string, target: Locator): Promise<void> {
  const handle = await card(p, key).getByTestId("plan-card-handle").boundingBox();
  const box = await target.boundingBox();
  if (!handle || !box) throw new Error(`${key} and its target column must be on screen to drag`);
  const x = handle.x + handle.width / 2;
  const y = handle.y + handle.height / 2;
  await p.mouse.move(x, y);
  await p.mouse.down();
  await p.mouse.move(x + 10, y + 4, { steps: 4 });
  await p.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 120), { steps: 16 });
  await p.mouse.up();
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), openBrowser()]);
  await server.api("/arts", {
    method: "POST",
    body: {
      key: "PLN",
      name: "Planning Train",
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    },
  });
  pi = await server.api<ApiPi>("/arts/PLN/pis", { method: "POST", body: { name: "PI 1", startDate: inDays(3) } });
  await server.api("/items", {
    method: "POST",
    body: {
      art: "PLN",
      level: "feature",
      title: "Checkout for returning shoppers",
      teamIds: ["core", "web"],
      piId: "PI 1",
    },
  });
  const story = (teamId: string, title: string, points: number | null) =>
    server.api<ApiItem>("/items", {
      method: "POST",
      body: { art: "PLN", level: "story", teamId, parentId: "PLN-1", title, points },
    });
  await story("core", "As a shopper, I want my saved card offered, so that I pay faster", 8); // PLN-2
  await story("core", "As a shopper, I want my address remembered, so that I type less", 5); // PLN-3
  await story("core", "As a shopper, I want a receipt by email, so that I can file it", 3); // PLN-4
  await story("web", "As a shopper, I want one-page checkout, so that I finish quickly", 8); // PLN-5
  await story("web", "As a shopper, I want to see delivery dates, so that I can plan", 3); // PLN-6
  await story("core", "As a shopper, I want gift wrapping, so that I can send presents", null); // PLN-7
  await server.signIn(browser.context);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("planning a PI in the browser", () => {
  it("opens the Plan screen on the next PI with every team's stories unplanned", async () => {
    await page.goto(`${server.url}/arts/PLN`);
    await page.getByTestId("nav-plan").click();
    await page.getByTestId("plan-screen").waitFor();
    expect(new URL(page.url()).pathname).toBe("/arts/PLN/plan");
    await eventually(() => page.getByTestId("live-status").getAttribute("data-state")).toBe("live");
    expect(await page.getByTestId("plan-pi").inputValue()).toBe(pi.id);
    expect(await column(page, "core", "unplanned").getByTestId("plan-card").count()).toBe(4);
    expect(await column(page, "web", "unplanned").getByTestId("plan-card").count()).toBe(2);
    // The IP iteration is shown, greyed, and takes no stories.
    const ip = team(page, "core").locator('[data-testid="plan-column"][data-column="ip"]');
    expect(await ip.count()).toBe(1);
    expect(await ip.getByTestId("plan-load").count()).toBe(0);
  });

  it("sets a team's capacity from its people, computed live, and copies it to the PI's other iterations", async () => {
    await loadOf(page, "core", 1).getByTestId("plan-capacity-edit").click();
    const editor = page.getByTestId("capacity-editor");
    await editor.getByTestId("capacity-form").waitFor();
    await editor.getByTestId("capacity-mode-people").check();
    await editor.getByTestId("capacity-add-person").click();
    await editor.getByTestId("capacity-add-person").click();
    const people = editor.getByTestId("capacity-person");
    await people.nth(0).getByTestId("capacity-person-name").fill("Ana");
    await people.nth(1).getByTestId("capacity-person-name").fill("Ben");
    await people.nth(1).getByTestId("capacity-person-availability").fill("50");
    // Ana full time: 8; Ben half time less a day off: 4 − 1 = 3.
    await eventually(() => editor.getByTestId("capacity-normalized").getAttribute("data-value")).toBe("12");
    await people.nth(1).getByTestId("capacity-person-days-off").fill("1");
    await eventually(() => editor.getByTestId("capacity-normalized").getAttribute("data-value")).toBe("11");
    await editor.getByTestId("capacity-copy").check();
    await editor.getByTestId("capacity-save").click();
    await editor.waitFor({ state: "detached" });

    await eventually(() => loadOf(page, "core", 1).getAttribute("data-capacity")).toBe("11");
    // The other development iterations got the same people without the days off.
    await eventually(() => loadOf(page, "core", 2).getAttribute("data-capacity")).toBe("12");
    const stored = await server.api<ApiCapacity>(`/arts/PLN/pis/${pi.id}/capacity?team=core`);
    const first = stored.teams[0]?.iterations.find((i) => i.iterationId === iteration(1).id);
    expect(first?.members.map((m) => [m.name, m.availability, m.daysOff])).toEqual([
      ["Ana", 100, 0],
      ["Ben", 50, 1],
    ]);
    expect(first?.capacity).toEqual({ points: 11, source: "people" });
  });

  it("sets another team's capacity in points", async () => {
    await loadOf(page, "web", 1).getByTestId("plan-capacity-edit").click();
    const editor = page.getByTestId("capacity-editor");
    await editor.getByTestId("capacity-mode-points").check();
    await editor.getByTestId("capacity-points").fill("5");
    await editor.getByTestId("capacity-save").click();
    await editor.waitFor({ state: "detached" });
    await eventually(() => loadOf(page, "web", 1).getAttribute("data-capacity")).toBe("5");
    const stored = await server.api<ApiCapacity>(`/arts/PLN/pis/${pi.id}/capacity?team=web`);
    expect(stored.teams[0]?.iterations.find((i) => i.iterationId === iteration(1).id)?.capacity).toEqual({
      points: 5,
      source: "points",
    });
  });

  it("drags a story into an iteration: the load follows and the story is planned there", async () => {
    await dragCard(page, "PLN-2", column(page, "core", 1));
    await eventually(() => card(column(page, "core", 1), "PLN-2").count()).toBe(1);
    await eventually(() => loadOf(page, "core", 1).getAttribute("data-load")).toBe("8");
    expect(await loadOf(page, "core", 1).locator(".plan-load-text").textContent()).toBe("8 / 11 pts");
    await eventually(async () => (await item("PLN-2")).iterationId).toBe(iteration(1).id);
    expect(await loadOf(page, "core", 1).getAttribute("data-overloaded")).toBe("false");
  });

  it("moves a story with the keyboard and flags the iteration it overloads", async () => {
    const handle = card(page, "PLN-5").getByTestId("plan-card-handle");
    await handle.focus();
    await page.keyboard.press("Space");
    await eventually(() => card(page, "PLN-5").getAttribute("class")).toContain("is-dragging");
    await page.keyboard.press("ArrowRight");
    // The story is over the team's first iteration (the IP iteration is never a target) before it is dropped.
    await eventually(() => column(page, "web", 1).getAttribute("class")).toContain("is-over");
    await page.keyboard.press("Space");
    await eventually(() => card(column(page, "web", 1), "PLN-5").count()).toBe(1);
    await eventually(() => loadOf(page, "web", 1).getAttribute("data-overloaded")).toBe("true");
    expect(await loadOf(page, "web", 1).getByTestId("plan-overloaded").textContent()).toBe("Overloaded by 3");
    await eventually(async () => (await item("PLN-5")).iterationId).toBe(iteration(1).id);
    // Alt+Left on the card puts it back, and the overload is gone.
    await card(page, "PLN-5").getByTestId("plan-card-handle").focus();
    await page.keyboard.press("Alt+ArrowLeft");
    await eventually(async () => (await item("PLN-5")).iterationId).toBeNull();
    await eventually(() => loadOf(page, "web", 1).getAttribute("data-overloaded")).toBe("false");
  });

  it("shows a story planned elsewhere as it happens", async () => {
    const story = await item("PLN-7");
    await server.api(`/items/PLN-7`, {
      method: "PATCH",
      body: { version: story.version, iterationId: iteration(2).id },
    });
    await eventually(() => card(column(page, "core", 2), "PLN-7").count()).toBe(1);
    await eventually(() => column(page, "core", 2).getByTestId("plan-unestimated").textContent()).toBe("1 unestimated");
  });

  it("proposes a plan and accepts part of it: the chosen stories land where proposed, the others stay", async () => {
    await page.getByTestId("plan-propose").click();
    const dialog = page.getByTestId("plan-proposal");
    await dialog.getByTestId("proposal-move").first().waitFor();
    const moves = await dialog
      .getByTestId("proposal-move")
      .evaluateAll((rows) =>
        rows.map((r) => ({ key: r.getAttribute("data-key") ?? "", to: r.getAttribute("data-to") ?? "" })),
      );
    expect(moves.length).toBeGreaterThanOrEqual(2);
    // The reason shows on expanding a move.
    await dialog.getByTestId("proposal-reason-toggle").first().click();
    expect((await dialog.getByTestId("proposal-reason").first().textContent())?.length).toBeGreaterThan(10);

    const [skipped, ...taken] = moves;
    if (!skipped) throw new Error("no move proposed");
    const before = await item(skipped.key);
    await dialog
      .locator(`[data-testid="proposal-move"][data-key="${skipped.key}"]`)
      .getByTestId("proposal-move-check")
      .uncheck();
    expect(await dialog.getByTestId("proposal-accept").textContent()).toBe(
      `Accept ${taken.length} ${taken.length === 1 ? "move" : "moves"}`,
    );
    await dialog.getByTestId("proposal-accept").click();
    await dialog.waitFor({ state: "detached" });

    for (const m of taken) {
      await eventually(async () => (await item(m.key)).iterationId ?? "").toBe(m.to);
      const where = m.to === "" ? "unplanned" : (pi.iterations.find((i) => i.id === m.to)?.number ?? 0);
      const teamKey =
        (await page
          .locator(`[data-testid="plan-card"][data-key="${m.key}"]`)
          .locator("xpath=ancestor::*[@data-testid='plan-team']")
          .getAttribute("data-team")) ?? "";
      await eventually(() => card(column(page, teamKey, where as number | "unplanned"), m.key).count()).toBe(1);
    }
    expect((await item(skipped.key)).iterationId).toBe(before.iterationId);
    expect(browser.errors).toEqual([]);
  });

  it("offers a viewer no controls to move stories, set capacity or propose a plan", async () => {
    const viewer = await server.user("Vera Viewer", [{ art: "PLN", role: "viewer" }]);
    const other = await openBrowser();
    try {
      await server.signIn(other.context, viewer.email);
      const p = await other.newPage();
      await p.goto(`${server.url}/arts/PLN/plan`);
      await card(p, "PLN-2").waitFor();
      expect(await p.getByTestId("plan-card-handle").count()).toBe(0);
      expect(await p.getByTestId("plan-capacity-edit").count()).toBe(0);
      expect(await p.getByTestId("plan-propose").count()).toBe(0);
      expect(await p.getByTestId("allocation-edit").count()).toBe(0);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
