// A Trainyard app in-process on a fresh real database, with a small request helper: the API tests' one factory.
// It has an administrator from the start; `t.call` acts as them with a personal API token, `t.as(...)` as anyone.
import pino from "pino";
import { type Actor, operator, type Role } from "../src/core/permissions.js";
import { openRuntime, type Runtime } from "../src/runtime.js";
import { createApp } from "../src/server/app.js";
import { changeLogOf } from "../src/store/changes.store.js";
import { findArt } from "../src/store/train.store.js";
import { createToken } from "../src/use-cases/api-tokens.js";
import type { Change } from "../src/use-cases/deps.js";
import { grantRole } from "../src/use-cases/grant-roles.js";
import { createAccount } from "../src/use-cases/manage-accounts.js";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export type Call = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply<T>>;

/** Someone with an account: their person id, email, password and a personal API token. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface TestApp {
  runtime: Runtime;
  app: ReturnType<typeof createApp>;
  /** The administrator made with the app. */
  admin: TestUser;
  /** Calls the API as the administrator. */
  call: Call;
  /** Calls the API as `who` (a user, a bearer token, or null for nobody). */
  as(who: TestUser | string | null): Call;
  /** An account holding these roles on an ART (`team`: on that team only), with a token. */
  user(
    name: string,
    roles?: { art: string; role: Role; team?: string }[],
    options?: { admin?: boolean },
  ): Promise<TestUser>;
  /**
   * Listens to an ART's changes through the server's feed; `settled()` waits until everything logged so far has
   * arrived.
   */
  watchChanges(artKey: string): Promise<{ changes: Change[]; settled(): Promise<void>; stop(): void }>;
  /** The raw response, for streams; as the administrator unless told otherwise. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Passwords for test accounts: long enough for the policy. Hashing runs at scrypt's lowest allowed cost (2^14). */
export const TEST_PASSWORD = "correct horse battery staple";

export async function openTestApp(
  databaseUrl: string,
  options: { trustProxy?: boolean; seedDemo?: (by: Actor) => Promise<{ artKey: string }>; heartbeatMs?: number } = {},
): Promise<TestApp> {
  const runtime = await openRuntime(databaseUrl, { passwordCost: 14 });
  const app = createApp({
    deps: runtime.deps,
    log: pino({ level: "silent" }),
    databaseKind: runtime.store.kind,
    trustProxy: options.trustProxy ?? false,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.seedDemo ? { seedDemo: options.seedDemo } : {}),
  });
  const deps = runtime.deps;
  const origin = { ip: null };

  const makeUser: TestApp["user"] = async (name, roles = [], opts = {}) => {
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`;
    const account = await createAccount(deps, operator(), {
      name,
      email,
      admin: opts.admin ?? false,
      password: TEST_PASSWORD,
    });
    for (const r of roles) {
      await grantRole(
        deps,
        operator(),
        r.art,
        { person: account.id, role: r.role, ...(r.team ? { team: r.team } : {}) },
        origin,
      );
    }
    const member = { kind: "person" as const, personId: account.id, admin: account.admin, grants: [] };
    const { token } = await createToken(deps, member, { name: "tests" }, origin);
    return { id: account.id, email, password: TEST_PASSWORD, token };
  };

  const as =
    (who: TestUser | string | null): Call =>
    async (method, path, body, headers = {}) => {
      const token = who === null ? null : typeof who === "string" ? who : who.token;
      const init: RequestInit = {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
      const res = await app.request(`/api/v1${path}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, headers: res.headers, body: parsed as never };
    };

  const admin = await makeUser("Ada Admin", [], { admin: true });
  return {
    runtime,
    app,
    admin,
    call: as(admin),
    as,
    user: makeUser,
    request: async (path, init = {}) =>
      app.request(`/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${admin.token}`, ...(init.headers as Record<string, string>) },
      }),
    watchChanges: async (artKey) => {
      const art = await findArt(deps.db, artKey);
      if (!art) throw new Error(`no ART ${artKey}`);
      const changes: Change[] = [];
      let seen = 0;
      const subscription = await deps.changes.subscribe(art.id, null, (event) => {
        changes.push(event.change);
        seen = event.id;
      });
      const settled = async () => {
        const { latest } = await changeLogOf(deps.db, art.id);
        for (let waited = 0; seen < latest && latest > subscription.from; waited += 10) {
          if (waited > 5_000) throw new Error(`change ${latest} never arrived (last seen ${seen})`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      return { changes, settled, stop: () => subscription.close() };
    },
    close: () => runtime.close(),
  };
}

/** A small train: ART PAY with teams core and web, one PI of five iterations. */
export async function createSmallTrain(t: TestApp) {
  const art = await t.call("POST", "/arts", {
    key: "PAY",
    name: "Payments Train",
    teams: [
      { key: "core", name: "Core" },
      { key: "web", name: "Web" },
    ],
  });
  await t.call("POST", "/arts/PAY/pis", { name: "PI 1", startDate: "2026-11-02" });
  return art.body;
}

/**
 * A Trainyard app on a fresh database with no accounts at all: the first-run state, before anyone has called
 * POST /setup. Requests go straight to `app.request`; until an administrator exists there is no one to act as.
 */
export async function openFirstRunApp(
  databaseUrl: string,
): Promise<{ runtime: Runtime; app: ReturnType<typeof createApp>; close(): Promise<void> }> {
  const runtime = await openRuntime(databaseUrl, { passwordCost: 14 });
  const app = createApp({
    deps: runtime.deps,
    log: pino({ level: "silent" }),
    databaseKind: runtime.store.kind,
    trustProxy: false,
  });
  return { runtime, app, close: () => runtime.close() };
}
