/**
 * Helpers for the browser tests (test/e2e): the real server in-process on a free port with a temporary SQLite
 * database and the built web app, and Debian's Chromium driven by playwright-core, each browser with a fresh profile.
 *
 * The web app must be built first (`npx vite build`; `npm test` builds before it tests). Chromium is
 * /usr/bin/chromium unless TRAINYARD_CHROMIUM names another. Without it the browser tests fail with a message saying
 * so (they never skip); with TRAINYARD_REQUIRE_BROWSER=1 (CI) the message says that CI requires it.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { operator, type Role } from "../src/core/permissions.js";
import { SESSION_COOKIE } from "../src/server/auth.js";
import { type RunningServer, startServer } from "../src/server/serve.js";
import { createToken } from "../src/use-cases/api-tokens.js";
import { grantRole } from "../src/use-cases/grant-roles.js";
import { createAccount, listAccounts } from "../src/use-cases/manage-accounts.js";
import { signIn } from "../src/use-cases/sign-in.js";
import { TEST_PASSWORD } from "./test-app.js";

export const ADMIN_EMAIL = "ada@example.com";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const WEB_DIR = join(ROOT, "dist", "web");
export const CHROMIUM = process.env.TRAINYARD_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const VIEWPORT = { width: 1440, height: 900 };

export interface TestServer extends RunningServer {
  /** Calls the API as a client would; throws with the problem's detail on an error status. */
  api<T = unknown>(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<T>;
  /** Signs a browser in (as the administrator unless told otherwise) by handing it a session cookie. */
  signIn(context: BrowserContext, email?: string, password?: string): Promise<void>;
  /** An account with TEST_PASSWORD and these roles (`team`: on that team only), and a personal API token. */
  user(
    name: string,
    roles?: { art: string; role: Role; team?: string }[],
    options?: { admin?: boolean; email?: string },
  ): Promise<TestUser>;
}

/** Someone with an account made for a test: their person id, email, password and API token. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

/**
 * Starts Trainyard on a free port of 127.0.0.1 with an empty temporary SQLite database and an administrator
 * (ADMIN_EMAIL, TEST_PASSWORD); `demo` loads the demo train; `admin: false` leaves the first administrator to the
 * first-run page (`api` then acts as whichever administrator exists by the time it is called).
 */
export async function startTestServer(options: { demo?: boolean; admin?: boolean } = {}): Promise<TestServer> {
  if (!existsSync(join(WEB_DIR, "index.html"))) {
    throw new Error(`The web app is not built (no ${WEB_DIR}/index.html): run \`npx vite build\` first.`);
  }
  const dir = await mkdtemp(join(tmpdir(), "trainyard-e2e-"));
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    databaseUrl: join(dir, "trainyard.db"),
    logLevel: "silent",
    webDir: WEB_DIR,
    passwordCost: 14,
    trustProxy: false,
  });
  const deps = server.runtime.deps;
  if (options.admin !== false) {
    await createAccount(deps, operator(), {
      name: "Ada Admin",
      email: ADMIN_EMAIL,
      admin: true,
      password: TEST_PASSWORD,
    });
  }
  // The administrator's token for `api`, made on first use (without `admin`, once the page has made one).
  let adminToken: string | null = null;
  const tokenOf = async (personId: string, admin: boolean) =>
    (await createToken(deps, { kind: "person", personId, admin, grants: [] }, { name: "browser tests" }, { ip: null }))
      .token;
  const administratorToken = async () => {
    if (adminToken) return adminToken;
    const admin = (await listAccounts(deps, operator())).find((a) => a.admin && a.active);
    if (!admin) throw new Error("There is no administrator yet to call the API as.");
    adminToken = await tokenOf(admin.id, true);
    return adminToken;
  };
  const api = async <T>(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? "GET",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${await administratorToken()}`,
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${body?.detail ?? text}`);
    return body as T;
  };
  const testServer: TestServer = {
    ...server,
    api,
    signIn: async (context, email = ADMIN_EMAIL, password = TEST_PASSWORD) => {
      const session = await signIn(deps, { email, password }, { ip: null });
      await context.addCookies([{ name: SESSION_COOKIE, value: session.sessionToken, url: server.url }]);
    },
    user: async (name, roles = [], opts = {}) => {
      const email = opts.email ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`;
      const admin = opts.admin ?? false;
      const account = await createAccount(deps, operator(), { name, email, admin, password: TEST_PASSWORD });
      for (const r of roles) {
        const grant = { person: account.id, role: r.role, ...(r.team ? { team: r.team } : {}) };
        await grantRole(deps, operator(), r.art, grant, { ip: null });
      }
      return { id: account.id, email, password: TEST_PASSWORD, token: await tokenOf(account.id, admin) };
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (options.demo) await api("/demo", { method: "POST" });
  return testServer;
}

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab, with page errors collected into `errors`. */
  newPage(): Promise<Page>;
  /** Uncaught errors and console errors of the pages, to assert there were none. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a fresh, temporary profile: a browser of its own, sharing nothing with others.
 * `bypassCSP` ignores the pages' Content-Security-Policy, to test what the app itself lets run without it.
 */
export async function openBrowser(options: { bypassCSP?: boolean } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    const hint = "Install it (apt-get install -y chromium) or set TRAINYARD_CHROMIUM to a Chromium binary.";
    throw new Error(
      process.env.TRAINYARD_REQUIRE_BROWSER === "1"
        ? `TRAINYARD_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}. ${hint}`
        : `The browser tests need Chromium, and there is none at ${CHROMIUM}. ${hint}`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "trainyard-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    locale: "en-US",
    timezoneId: "UTC",
    bypassCSP: options.bypassCSP ?? false,
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      // An HTTP error status is the app's business (tests assert what it shows); script errors are not.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`console: ${m.text()}`);
    });
  };
  for (const page of context.pages()) watch(page);
  context.on("page", watch);
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The keys of the backlog rows the page shows, in rank order (only the rendered, virtualized rows). */
export function visibleKeys(page: Page): Promise<string[]> {
  return page.getByTestId("backlog-row").evaluateAll((rows) =>
    rows
      .map((r) => ({ key: r.getAttribute("data-key") ?? "", index: Number(r.getAttribute("aria-rowindex")) }))
      .sort((a, b) => a.index - b.index)
      .map((r) => r.key),
  );
}

/** Drags a backlog row by its handle onto another row with the mouse, in small steps as a person would. */
export async function dragRow(page: Page, key: string, ontoKey: string): Promise<void> {
  const row = page.locator(`[data-testid="backlog-row"][data-key="${key}"]`);
  await row.hover();
  const handle = await row.getByTestId("drag-handle").boundingBox();
  const target = await page.locator(`[data-testid="backlog-row"][data-key="${ontoKey}"]`).boundingBox();
  if (!handle || !target) throw new Error(`rows ${key} and ${ontoKey} must be on screen to drag`);
  const x = handle.x + handle.width / 2;
  const y = handle.y + handle.height / 2;
  const down = target.y > handle.y ? 1 : -1;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 8 * down, { steps: 4 });
  await page.mouse.move(x, target.y + target.height / 2 + 4 * down, { steps: 16 });
  await page.mouse.up();
}

/** `expect.poll` with room for a slow machine: a browser page settles in milliseconds here, seconds on a busy CI. */
export function eventually<T>(read: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(read, { timeout, interval: 50 });
}
