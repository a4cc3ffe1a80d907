// Isolation between trains and between teams: someone with roles on one ART learns nothing of another, and someone
// with a role on one team sees the program level and their team but nothing of the other teams' stories — in lists,
// item details, history and live changes. On SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type Reply, type TestApp, type TestUser } from "../../test/test-app.js";

interface Created {
  id: string;
  key: string;
  version: number;
}

/** Waits at most this long for an awaited event before the test fails rather than hangs. */
const STREAM_TIMEOUT_MS = 5_000;

/** An open event stream of an ART as `who`: the changes it delivered so far, and a way to wait for more. */
async function openStream(t: TestApp, who: TestUser, art: string) {
  const res = await t.app.request(`/api/v1/arts/${art}/events`, { headers: { authorization: `Bearer ${who.token}` } });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const changes = () =>
    [...text.matchAll(/event: change\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1] as string) as { key?: string });
  const waitFor = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + STREAM_TIMEOUT_MS;
    while (!done()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within ${STREAM_TIMEOUT_MS} ms`)), deadline - Date.now());
      });
      try {
        const { value, done: ended } = await Promise.race([reader.read(), timeout]);
        if (ended) throw new Error(`the stream ended before ${what}`);
        text += decoder.decode(value, { stream: true });
      } finally {
        clearTimeout(timer);
      }
    }
  };
  await waitFor(() => text.includes("event: ready"), "ready event");
  return {
    keys: () => changes().map((c) => c.key),
    waitForKey: (key: string) => waitFor(() => changes().some((c) => c.key === key), `change to ${key}`),
    close: () => reader.cancel(),
  };
}

const keysOf = (reply: Reply) => reply.body.items.map((i: { key: string }) => i.key);
/** A not-found answer's detail with the reference taken out, to compare it with another's. */
const shapeOf = (reply: Reply, ref: string) => ({
  status: reply.status,
  code: reply.body.code,
  detail: String(reply.body.detail).replace(ref, "…"),
});

describeEachDatabase("isolation", (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
    const other = await t.call("POST", "/arts", { key: "OTHER", name: "Other", teams: [{ key: "ops", name: "Ops" }] });
    expect(other.status).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  const create = async (body: object): Promise<Created> => {
    const r = await t.call("POST", "/items", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.id, key: r.body.key, version: r.body.version };
  };
  const feature = (art: string, title: string, extra: object = {}) =>
    create({ art, level: "feature", title, ...extra });
  const story = (art: string, team: string, title: string, extra: object = {}) =>
    create({ art, level: "story", teamId: team, title, ...extra });

  describe("between trains", () => {
    let pam: TestUser;
    let payFeature: Created;
    let otherFeature: Created;
    let otherStory: Created;

    beforeEach(async () => {
      pam = await t.user("Pam Pay", [{ art: "PAY", role: "product_manager" }]);
      await t.user("Olga Other", [{ art: "OTHER", role: "viewer" }]);
      await t.call("POST", "/people", { name: "Oscar Owner", email: "oscar.owner@example.com" });
      await t.call("POST", "/people", { name: "Paul Owner", email: "paul.owner@example.com" });
      payFeature = await feature("PAY", "Refund flow", { ownerId: "paul.owner@example.com" });
      await story("PAY", "core", "Refund button");
      otherFeature = await feature("OTHER", "Refund flow elsewhere", { ownerId: "oscar.owner@example.com" });
      otherStory = await story("OTHER", "ops", "Refund screen elsewhere");
    });

    it("lists only the trains one holds a role on", async () => {
      const arts = await t.as(pam)("GET", "/arts");
      expect(arts.body.items.map((a: { key: string }) => a.key)).toEqual(["PAY"]);
      expect(keysOf(await t.call("GET", "/arts")).sort()).toEqual(["OTHER", "PAY"]);
    });

    it("answers 404 for another train, its backlogs, items, history, roles and live changes, as for nothing", async () => {
      const reads = [
        "/arts/OTHER",
        "/arts/OTHER/backlog",
        "/arts/OTHER/backlog/all",
        "/arts/OTHER/teams/ops/backlog",
        "/arts/OTHER/teams/ops/backlog/all",
        "/arts/OTHER/history",
        "/arts/OTHER/roles",
        `/items/${otherFeature.key}`,
        `/items/${otherStory.key}`,
        `/items/${otherFeature.key}/history`,
      ];
      for (const path of reads) {
        const r = await t.as(pam)("GET", path);
        expect(r.status, path).toBe(404);
        expect(r.body.code).toBe("not_found");
        expect(JSON.stringify(r.body)).not.toContain("Refund");
        expect((await t.call("GET", path)).status, `${path} as the administrator`).toBe(200);
      }
      const stream = await t.app.request("/api/v1/arts/OTHER/events", {
        headers: { authorization: `Bearer ${pam.token}` },
      });
      expect(stream.status).toBe(404);
      expect(stream.headers.get("content-type")).toContain("application/problem+json");
      await stream.body?.cancel();

      expect(shapeOf(await t.as(pam)("GET", "/arts/OTHER"), "OTHER")).toEqual(
        shapeOf(await t.as(pam)("GET", "/arts/NOPE"), "NOPE"),
      );
      expect(shapeOf(await t.as(pam)("GET", `/items/${otherFeature.key}`), otherFeature.key)).toEqual(
        shapeOf(await t.as(pam)("GET", "/items/OTHER-999"), "OTHER-999"),
      );
    });

    it("answers 404 to changes in another train, and changes nothing there", async () => {
      const writes: [string, string, object, Record<string, string>?][] = [
        ["PATCH", `/items/${otherFeature.key}`, { title: "Hijacked" }, { "If-Match": '"1"' }],
        ["POST", `/items/${otherFeature.key}/move`, { position: "top" }],
        ["POST", `/items/${otherFeature.key}/comments`, { body: "Hello from PAY" }],
        ["POST", `/items/${otherFeature.key}/relations`, { kind: "depends_on", target: payFeature.key }],
        ["POST", "/arts/OTHER/roles", { person: pam.id, role: "rte" }],
        ["POST", "/arts/OTHER/teams", { key: "mine", name: "Mine" }],
      ];
      for (const [method, path, body, headers] of writes) {
        expect((await t.as(pam)(method, path, body, headers)).status, `${method} ${path}`).toBe(404);
      }
      const after = await t.call("GET", `/items/${otherFeature.key}`);
      expect(after.body.item).toMatchObject({ title: "Refund flow elsewhere", version: 1 });
      expect(after.body.comments).toEqual([]);
      expect(after.body.relations).toEqual([]);
      expect((await t.call("GET", "/arts/OTHER/roles")).body.items.map((r: { role: string }) => r.role)).toEqual([
        "viewer",
      ]);
    });

    it("treats a new item for another train as naming no ART", async () => {
      const r = await t.as(pam)("POST", "/items", { art: "OTHER", level: "feature", title: "Planted" });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([{ path: "art", message: "no ART 'OTHER'" }]);
      const nothing = await t.as(pam)("POST", "/items", { art: "NOPE", level: "feature", title: "Planted" });
      expect(nothing.body.errors).toEqual([{ path: "art", message: "no ART 'NOPE'" }]);
      expect(keysOf(await t.call("GET", "/arts/OTHER/backlog/all"))).toEqual([otherFeature.key]);
    });

    it("refuses to relate an item to one of another train, as to nothing", async () => {
      const r = await t.as(pam)("POST", `/items/${payFeature.key}/relations`, {
        kind: "depends_on",
        target: otherFeature.key,
      });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([{ path: "target", message: `no item '${otherFeature.key}' in this ART` }]);
      expect((await t.call("GET", `/items/${payFeature.key}`)).body.relations).toEqual([]);
    });

    it("lists only the people of one's own trains", async () => {
      const names = (await t.as(pam)("GET", "/people")).body.items.map((p: { name: string }) => p.name);
      expect(names).toContain("Pam Pay");
      expect(names).toContain("Paul Owner");
      expect(names).not.toContain("Olga Other");
      expect(names).not.toContain("Oscar Owner");
      const everyone = (await t.call("GET", "/people")).body.items.map((p: { name: string }) => p.name);
      expect(everyone).toEqual(expect.arrayContaining(["Olga Other", "Oscar Owner", "Pam Pay", "Paul Owner"]));
    });

    it("never finds another train's items by text or by key, nor shows them in the train's history", async () => {
      const searches = [
        "/arts/PAY/backlog?q=refund",
        "/arts/PAY/backlog/all?q=refund",
        "/arts/PAY/teams/core/backlog?q=refund",
        "/arts/PAY/teams/core/backlog/all?q=refund",
      ];
      for (const path of searches) {
        const found = keysOf(await t.as(pam)("GET", path));
        expect(found.length, path).toBe(1);
        expect(
          found.every((k: string) => k.startsWith("PAY-")),
          path,
        ).toBe(true);
      }
      for (const key of [otherFeature.key, otherStory.key]) {
        expect(keysOf(await t.as(pam)("GET", `/arts/PAY/backlog?q=${key}`))).toEqual([]);
        expect(keysOf(await t.as(pam)("GET", `/arts/PAY/teams/core/backlog/all?q=${key}`))).toEqual([]);
      }
      const history = await t.as(pam)("GET", "/arts/PAY/history");
      expect(history.body.items.length).toBe(2);
      expect(history.body.items.every((e: { itemKey: string }) => e.itemKey.startsWith("PAY-"))).toBe(true);
    });
  });

  describe("between teams", () => {
    let tess: TestUser;
    let programFeature: Created;
    let otherFeature: Created;
    let coreStory: Created;
    let webStory: Created;

    beforeEach(async () => {
      tess = await t.user("Tess Core", [{ art: "PAY", role: "team_member", team: "core" }]);
      programFeature = await feature("PAY", "Checkout");
      otherFeature = await feature("PAY", "Wallet");
      coreStory = await story("PAY", "core", "Card form", { parentId: programFeature.key });
      webStory = await story("PAY", "web", "Secret web page", { parentId: programFeature.key });
      for (const [from, kind, to] of [
        [programFeature, "relates_to", otherFeature],
        [programFeature, "relates_to", webStory],
        [coreStory, "depends_on", webStory],
      ] as const) {
        const r = await t.call("POST", `/items/${from.key}/relations`, { kind, target: to.key });
        expect(r.status).toBe(201);
      }
    });

    it("sees the program backlog and their team's backlog, but another team's backlog is not found", async () => {
      expect(keysOf(await t.as(tess)("GET", "/arts/PAY/backlog"))).toEqual([programFeature.key, otherFeature.key]);
      expect(keysOf(await t.as(tess)("GET", "/arts/PAY/teams/core/backlog"))).toEqual([coreStory.key]);
      expect(keysOf(await t.as(tess)("GET", "/arts/PAY/teams/core/backlog/all"))).toEqual([coreStory.key]);
      for (const path of ["/arts/PAY/teams/web/backlog", "/arts/PAY/teams/web/backlog/all"]) {
        const r = await t.as(tess)("GET", path);
        expect(r.status, path).toBe(404);
        expect(JSON.stringify(r.body)).not.toContain("Secret");
      }
      expect(keysOf(await t.call("GET", "/arts/PAY/teams/web/backlog"))).toEqual([webStory.key]);
    });

    it("answers 404 for another team's story, its history and changes to it, as for no story at all", async () => {
      const requests: [string, string, object?, Record<string, string>?][] = [
        ["GET", `/items/${webStory.key}`],
        ["GET", `/items/${webStory.key}/history`],
        ["GET", "/arts/PAY/history?team=web"],
        ["PATCH", `/items/${webStory.key}`, { title: "Changed" }, { "If-Match": '"1"' }],
        ["POST", `/items/${webStory.key}/comments`, { body: "Peeking" }],
        ["POST", `/items/${webStory.key}/move`, { position: "top" }],
      ];
      for (const [method, path, body, headers] of requests) {
        const r = await t.as(tess)(method, path, body, headers);
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(JSON.stringify(r.body)).not.toContain("Secret");
      }
      expect(shapeOf(await t.as(tess)("GET", `/items/${webStory.key}`), webStory.key)).toEqual(
        shapeOf(await t.as(tess)("GET", "/items/PAY-999"), "PAY-999"),
      );
      const unchanged = await t.call("GET", `/items/${webStory.key}`);
      expect(unchanged.body.item).toMatchObject({ title: "Secret web page", version: 1 });
      expect(unchanged.body.comments).toEqual([]);
    });

    it("leaves another team's story events out of the train's history", async () => {
      await t.call("PATCH", `/items/${webStory.key}`, { points: 5 }, { "If-Match": '"1"' });
      await t.call("POST", `/items/${webStory.key}/comments`, { body: "Web only" });
      await t.call("PATCH", `/items/${coreStory.key}`, { points: 3 }, { "If-Match": '"1"' });
      const itemKeys = async (who: TestApp["admin"]) =>
        new Set((await t.as(who)("GET", "/arts/PAY/history")).body.items.map((e: { itemKey: string }) => e.itemKey));
      const seen = await itemKeys(tess);
      expect([...seen].sort()).toEqual([programFeature.key, otherFeature.key, coreStory.key].sort());
      const all = await itemKeys(t.admin);
      expect(all.has(webStory.key)).toBe(true);
      const core = await t.as(tess)("GET", "/arts/PAY/history?team=core");
      expect(core.body.items.map((e: { itemKey: string }) => e.itemKey)).not.toContain(webStory.key);
      expect(core.body.items.length).toBeGreaterThan(0);
    });

    it("opens a feature without another team's child stories and without relations to them", async () => {
      const detail = (await t.as(tess)("GET", `/items/${programFeature.key}`)).body;
      expect(detail.children.map((c: { key: string }) => c.key)).toEqual([coreStory.key]);
      expect(detail.relations.map((r: { item: { key: string } }) => r.item.key)).toEqual([otherFeature.key]);
      expect(JSON.stringify(detail)).not.toContain("Secret");

      const story = (await t.as(tess)("GET", `/items/${coreStory.key}`)).body;
      expect(story.relations).toEqual([]);
      expect(story.ancestors.map((a: { key: string }) => a.key)).toEqual([programFeature.key]);

      const full = (await t.call("GET", `/items/${programFeature.key}`)).body;
      expect(full.children.map((c: { key: string }) => c.key).sort()).toEqual([coreStory.key, webStory.key].sort());
      expect(full.relations.map((r: { item: { key: string } }) => r.item.key).sort()).toEqual(
        [otherFeature.key, webStory.key].sort(),
      );
    });

    it("streams program and own-team changes, but not another team's", async () => {
      const mine = await openStream(t, tess, "PAY");
      const everything = await openStream(t, t.admin, "PAY");
      try {
        expect((await t.call("PATCH", `/items/${webStory.key}`, { points: 8 }, { "If-Match": '"1"' })).status).toBe(
          200,
        );
        expect((await t.call("PATCH", `/items/${coreStory.key}`, { points: 2 }, { "If-Match": '"1"' })).status).toBe(
          200,
        );
        expect((await t.call("POST", `/items/${programFeature.key}/move`, { position: "bottom" })).status).toBe(200);
        // Changes arrive in order, so once the last one is in, the other team's would have come before it.
        await mine.waitForKey(programFeature.key);
        expect(mine.keys()).toEqual([coreStory.key, programFeature.key]);
        await everything.waitForKey(programFeature.key);
        expect(everything.keys()).toEqual([webStory.key, coreStory.key, programFeature.key]);
      } finally {
        await mine.close();
        await everything.close();
      }
    });
  });
});
