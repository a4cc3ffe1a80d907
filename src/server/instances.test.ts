// Two Trainyard server processes on one PostgreSQL database, driven at once: clients move and edit the same features
// through either server. Afterwards ranks are unique, every acknowledged write is there exactly once, and every
// refused one was answered 409 with the item as it is now — as on one server (concurrency.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../../bench/server-process.js";
import { type EditCall, editConcurrently, expectNoLostWrite } from "../../test/concurrent-edits.js";
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

  /** A call to one of the servers (each client's requests alternate between them), as the administrator. */
  const call: EditCall = async ({ client, op }, method, path, body, ifMatch) => {
    const server = servers[(client + op) % servers.length] as ServerProcess;
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(ifMatch === undefined ? {} : { "If-Match": `"${ifMatch}"` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };

  it("keeps ranks unique and loses no acknowledged write, whichever server took it", async () => {
    const keys = Array.from({ length: ITEMS }, (_, i) => `PAY-${i + 1}`);
    const { acks } = await editConcurrently(call, { keys, clients: CLIENTS, operations: OPERATIONS, seed: 11 });
    // Read back through each server: both see the same.
    for (const client of [0, 1]) {
      await expectNoLostWrite((_, ...rest) => call({ client, op: 0 }, ...rest), acks, ITEMS);
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
