// Two Trainyard server processes on one PostgreSQL database, driven at once: clients move and edit the same features
// through either server. Afterwards ranks are unique, every acknowledged write is there exactly once, and every
// refused one was answered 409 with the item as it is now — as on one server (concurrency.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../../bench/server-process.js";
import { dropAll, testDatabases } from "../../test/databases.js";
import { createSmallTrain, openTestApp } from "../../test/test-app.js";
import { PROJECT_ROOT } from "../runtime.js";

const CLIENTS = 8;
const OPERATIONS = 25;
const ITEMS = 6;

afterAll(dropAll);

describe.each(testDatabases.filter((d) => d.name === "postgres"))("two servers on one database", (database) => {
  const servers: ServerProcess[] = [];
  let token = "";
  let admin = { email: "", password: "" };

  beforeAll(async () => {
    const url = await database.createUrl();
    const t = await openTestApp(url);
    try {
      await createSmallTrain(t);
      for (let i = 1; i <= ITEMS; i++) {
        await t.call("POST", "/items", { art: "PAY", level: "feature", title: `Feature ${i}` });
      }
      token = t.admin.token;
      admin = { email: t.admin.email, password: t.admin.password };
    } finally {
      await t.close();
    }
    servers.push(
      ...(await Promise.all([startServerProcess(PROJECT_ROOT, url), startServerProcess(PROJECT_ROOT, url)])),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  /** A call to one of the servers, as the administrator. */
  const call = async (server: number, method: string, path: string, body?: unknown, ifMatch?: number) => {
    const response = await fetch(`${servers[server]?.url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(ifMatch === undefined ? {} : { "If-Match": `"${ifMatch}"` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("keeps ranks unique and loses no acknowledged write, whichever server took it", async () => {
    const keys = Array.from({ length: ITEMS }, (_, i) => `PAY-${i + 1}`);
    const acks: { key: string; version: number; title?: string; op: "edit" | "move" }[] = [];
    const statuses = new Map<number, number>();
    const served = [0, 0];
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };

    const client = async (c: number) => {
      const versions = new Map<string, number>();
      for (let op = 0; op < OPERATIONS; op++) {
        // Each request goes to either server, as behind a load balancer without stickiness.
        const server = random(2);
        served[server] = (served[server] ?? 0) + 1;
        const key = keys[random(ITEMS)] as string;
        if (!versions.has(key) || random(4) === 0) {
          versions.set(key, (await call(server, "GET", `/items/${key}`)).body.item.version);
        }
        const editing = random(2) === 0;
        const title = `client ${c} op ${op}`;
        let other = keys[random(ITEMS)] as string;
        if (other === key) other = keys[(keys.indexOf(key) + 1) % ITEMS] as string;
        const r = editing
          ? await call(server, "PATCH", `/items/${key}`, { title }, versions.get(key))
          : await call(
              server,
              "POST",
              `/items/${key}/move`,
              random(2) ? { before: other } : { after: other },
              versions.get(key),
            );
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 200) {
          acks.push({ key, version: r.body.version, op: editing ? "edit" : "move", ...(editing ? { title } : {}) });
          versions.set(key, r.body.version);
        } else {
          expect(r.status).toBe(409);
          expect(r.body).toMatchObject({ code: "conflict", current: { key } });
          versions.set(key, r.body.current.version);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    expect(Math.min(...served)).toBeGreaterThan(0);
    expect([...statuses.keys()].every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);

    for (const server of [0, 1]) {
      const rows = (await call(server, "GET", "/arts/PAY/backlog/all")).body.items as {
        key: string;
        rank: string;
        title: string;
        version: number;
      }[];
      expect(rows).toHaveLength(ITEMS);
      expect(new Set(rows.map((r) => r.rank)).size).toBe(ITEMS);
      expect((await call(server, "GET", "/check")).body).toMatchObject({ ok: true });
      for (const row of rows) {
        const mine = acks.filter((a) => a.key === row.key);
        // Each acknowledged write produced exactly one new version, one after another: none overwrote another.
        expect(mine.map((a) => a.version).sort((a, b) => a - b)).toEqual(
          Array.from({ length: mine.length }, (_, i) => i + 2),
        );
        expect(row.version).toBe(1 + mine.length);
        const lastEdit = mine.filter((a) => a.op === "edit").sort((a, b) => b.version - a.version)[0];
        expect(row.title).toBe(lastEdit?.title ?? `Feature ${row.key.slice(4)}`);
      }
    }
  });

  it("keeps a session signed in on one server valid on the other, and signed out on both", async () => {
    const signIn = await fetch(`${servers[0]?.url}/api/v1/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(admin),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const session = async (server: number) =>
      (await (await fetch(`${servers[server]?.url}/api/v1/session`, { headers: { Cookie: cookie } })).json()) as {
        signedIn: boolean;
        csrfToken?: string;
      };
    const there = await session(1);
    expect(there.signedIn).toBe(true);
    const out = await fetch(`${servers[1]?.url}/api/v1/session`, {
      method: "DELETE",
      headers: { Cookie: cookie, "X-CSRF-Token": there.csrfToken ?? "" },
    });
    expect(out.status).toBe(204);
    expect((await session(0)).signedIn).toBe(false);
  });
});
