// Two Trainyard server processes on one PostgreSQL database, driven at once: clients move and edit the same features
// through either server, while screens watch the ART's live changes on each. Afterwards ranks are unique, every
// acknowledged write is there exactly once, every refused one was answered 409 with the item as it is now — as on one
// server (concurrency.test.ts) — and every screen got every change, in order, one of them after reconnecting midway.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventStream, openEventStream, type ReceivedEvent } from "../../bench/event-stream.js";
import { type ServerProcess, startServerProcess } from "../../bench/server-process.js";
import { type EditCall, editConcurrently, expectNoLostWrite } from "../../test/concurrent-edits.js";
import { dropAll, testDatabases } from "../../test/databases.js";
import { createSmallTrain, openTestApp } from "../../test/test-app.js";
import { PROJECT_ROOT } from "../runtime.js";
import { changesAfter } from "../store/changes.store.js";
import { openStore } from "../store/db.js";
import { findArt } from "../store/train.store.js";

const CLIENTS = 8;
const OPERATIONS = 25;
const ITEMS = 6;

afterAll(dropAll);

describe.each(testDatabases.filter((d) => d.name === "postgres"))("two servers on one database", (database) => {
  const servers: ServerProcess[] = [];
  let token = "";
  let admin = { email: "", password: "" };

  let url = "";
  /** The ART's change log after `after`, read from the database. */
  const changeLog = async (after: number) => {
    const store = openStore(url);
    try {
      const art = await findArt(store.db, "PAY");
      return await changesAfter(store.db, art?.id ?? "", after, 100_000);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    url = await database.createUrl();
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

  it("keeps ranks unique, loses no acknowledged write and tells every screen of every change", async () => {
    const keys = Array.from({ length: ITEMS }, (_, i) => `PAY-${i + 1}`);
    const watch = (server: number, lastEventId?: number) =>
      openEventStream(`${servers[server]?.url}/api/v1/arts/PAY/events`, {
        token,
        ...(lastEventId === undefined ? {} : { lastEventId }),
      });
    const screens = await Promise.all([watch(0), watch(0), watch(1), watch(1)]);
    const [start] = await Promise.all(screens.map((s) => s.ready));
    // One screen on the second server drops midway and comes back with the last id it saw, as a browser does.
    const dropping = screens[3] as EventStream;
    let resumed: EventStream | null = null;
    const dropMidway = (async () => {
      await dropping.changes(20, 60_000);
      dropping.close();
      await new Promise((r) => setTimeout(r, 200));
      resumed = await watch(1, dropping.lastId());
    })();
    const { acks } = await editConcurrently(call, { keys, clients: CLIENTS, operations: OPERATIONS, seed: 11 });
    await dropMidway;
    // Read back through each server: both see the same.
    for (const client of [0, 1]) {
      await expectNoLostWrite((_, ...rest) => call({ client, op: 0 }, ...rest), acks, ITEMS);
    }

    const log = await changeLog(start?.id ?? 0);
    expect(log.length).toBeGreaterThanOrEqual(acks.length);
    for (const ack of acks) {
      expect(log).toContainEqual(
        expect.objectContaining({ change: expect.objectContaining({ key: ack.key, version: ack.version }) }),
      );
    }
    const asLogged = (events: ReceivedEvent[]) => events.map((e) => ({ id: Number(e.id), change: JSON.parse(e.data) }));
    for (const screen of screens.slice(0, 3)) expect(asLogged(await screen.changes(log.length, 30_000))).toEqual(log);
    const back = resumed as EventStream | null;
    expect((await back?.ready)?.caughtUp).toBe(true);
    const before = await dropping.changes(0);
    const after = back ? await back.changes(log.length - before.length, 30_000) : [];
    expect(asLogged([...before, ...after])).toEqual(log);
    for (const screen of [...screens, back]) screen?.close();
  }, 120_000);

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
