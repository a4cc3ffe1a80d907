// The HTTP API in-process against real, empty databases: SQLite and PostgreSQL run the same suite.

import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";
import { operator } from "../core/permissions.js";
import { MAX_RANK_LENGTH } from "../core/rank.js";

describeEachDatabase("the API", (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const feature = (title: string, extra: object = {}) =>
    t.call("POST", "/items", { art: "PAY", level: "feature", title, ...extra });
  const story = (title: string, extra: object = {}) =>
    t.call("POST", "/items", { art: "PAY", level: "story", title, teamId: "core", ...extra });
  const programOrder = async () =>
    (await t.call("GET", "/arts/PAY/backlog/all")).body.items.map((i: { key: string }) => i.key);

  it("reports health with the database it runs on", async () => {
    const r = await t.call("GET", "/health");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", database: database.name });
  });

  it("creates items with train keys, at the bottom of their backlog unless placed", async () => {
    const a = await feature("Checkout", { teamIds: ["core", "web"], labels: ["q1", "q1", "pay"] });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      key: "PAY-1",
      level: "feature",
      state: "funnel",
      version: 1,
      labels: ["pay", "q1"],
    });
    expect(a.headers.get("etag")).toBe('"1"');
    await feature("Refunds");
    await feature("Fraud checks", { placement: { position: "top" } });
    await feature("Wallet", { placement: { before: "PAY-2" } });
    expect(await programOrder()).toEqual(["PAY-3", "PAY-1", "PAY-4", "PAY-2"]);
  });

  it("moves an item top, bottom, before and after, and the order holds", async () => {
    for (const title of ["A", "B", "C", "D"]) await feature(title);
    expect((await t.call("POST", "/items/PAY-4/move", { position: "top" })).status).toBe(200);
    expect(await programOrder()).toEqual(["PAY-4", "PAY-1", "PAY-2", "PAY-3"]);
    await t.call("POST", "/items/PAY-4/move", { position: "bottom" });
    expect(await programOrder()).toEqual(["PAY-1", "PAY-2", "PAY-3", "PAY-4"]);
    await t.call("POST", "/items/PAY-1/move", { after: "PAY-3" });
    expect(await programOrder()).toEqual(["PAY-2", "PAY-3", "PAY-1", "PAY-4"]);
    await t.call("POST", "/items/PAY-4/move", { before: "PAY-2" });
    expect(await programOrder()).toEqual(["PAY-4", "PAY-2", "PAY-3", "PAY-1"]);
    const check = await t.call("GET", "/check");
    expect(check.body).toMatchObject({ ok: true, items: 4 });
  });

  it("a move writes only the moved item's rank", async () => {
    for (const title of ["A", "B", "C"]) await feature(title);
    const before = (await t.call("GET", "/arts/PAY/backlog/all")).body.items;
    await t.call("POST", "/items/PAY-3/move", { before: "PAY-2" });
    const after = (await t.call("GET", "/arts/PAY/backlog/all")).body.items;
    const rankOf = (rows: { key: string; rank: string }[], key: string) => rows.find((r) => r.key === key)?.rank;
    expect(rankOf(after, "PAY-1")).toBe(rankOf(before, "PAY-1"));
    expect(rankOf(after, "PAY-2")).toBe(rankOf(before, "PAY-2"));
    expect(rankOf(after, "PAY-3")).not.toBe(rankOf(before, "PAY-3"));
  });

  it("respaces a backlog in one transaction when repeated moves into one gap grow its keys past the limit", async () => {
    for (const title of ["A", "B", "C", "D"]) await feature(title);
    const untouched = async () => (await t.call("GET", "/items/PAY-3")).body.item.rank;
    const rankBefore = await untouched();
    let longest = 0;
    for (let i = 0; i < 320; i++) {
      const moved = await t.call("POST", `/items/${i % 2 ? "PAY-1" : "PAY-4"}/move`, { after: "PAY-2" });
      expect(moved.status).toBe(200);
      longest = Math.max(longest, moved.body.rank.length);
    }
    expect(longest).toBeLessThanOrEqual(MAX_RANK_LENGTH);
    expect(await programOrder()).toEqual(["PAY-2", "PAY-1", "PAY-4", "PAY-3"]);
    // Only a respace rewrites the key of an item that was never moved.
    expect(await untouched()).not.toBe(rankBefore);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);
  });

  it("keeps the team backlog of stories apart from the program backlog", async () => {
    await feature("Checkout");
    await story("As a buyer, I want to pay by card, so that I can check out", { parentId: "PAY-1", points: 3 });
    await story("As a buyer, I want a receipt", { teamId: "web", parentId: "PAY-1", points: 2 });
    const core = await t.call("GET", "/arts/PAY/teams/core/backlog");
    expect(core.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-2"]);
    expect(core.body.items[0]).toMatchObject({ parentKey: "PAY-1", parentTitle: "Checkout", points: 3 });
    const program = await t.call("GET", "/arts/PAY/backlog");
    expect(program.body.items[0]).toMatchObject({ key: "PAY-1", childCount: 2, childPoints: 5 });
  });

  it("pages a backlog with a cursor and filters it", async () => {
    for (let i = 1; i <= 7; i++)
      await feature(`Feature ${i}`, { labels: i % 2 ? ["odd"] : [], state: i > 5 ? "backlog" : "funnel" });
    const first = await t.call("GET", "/arts/PAY/backlog?limit=3");
    expect(first.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-1", "PAY-2", "PAY-3"]);
    const second = await t.call("GET", `/arts/PAY/backlog?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-4", "PAY-5", "PAY-6"]);
    const third = await t.call("GET", `/arts/PAY/backlog?limit=3&cursor=${second.body.nextCursor}`);
    expect(third.body).toMatchObject({ nextCursor: null });
    expect(third.body.items).toHaveLength(1);
    const odd = await t.call("GET", "/arts/PAY/backlog?label=odd&state=backlog");
    expect(odd.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-7"]);
    const text = await t.call("GET", "/arts/PAY/backlog?q=FEATURE%203");
    expect(text.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-3"]);
    const byKey = await t.call("GET", "/arts/PAY/backlog?q=pay-5");
    expect(byKey.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-5"]);
  });

  it("edits with the right version, and refuses a stale one with the current state, changing nothing", async () => {
    await feature("Checkout");
    const ok = await t.call(
      "PATCH",
      "/items/PAY-1",
      { title: "Checkout v2", acceptanceCriteria: ["Given a cart, when I pay, then I get a receipt"] },
      { "If-Match": '"1"' },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ title: "Checkout v2", version: 2 });
    const stale = await t.call("PATCH", "/items/PAY-1", { title: "Lost edit" }, { "If-Match": '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toContain("application/problem+json");
    expect(stale.body).toMatchObject({ code: "conflict", current: { title: "Checkout v2", version: 2 } });
    const bodyVersion = await t.call("PATCH", "/items/PAY-1", { title: "Also lost", version: 1 });
    expect(bodyVersion.status).toBe(409);
    const noVersion = await t.call("PATCH", "/items/PAY-1", { title: "No version" });
    expect(noVersion.status).toBe(428);
    const now = await t.call("GET", "/items/PAY-1");
    expect(now.body.item).toMatchObject({ title: "Checkout v2", version: 2 });
  });

  it("records every change in the history: who, what, from what to what", async () => {
    const priya = await t.user("Priya PM", [{ art: "PAY", role: "product_manager" }]);
    await feature("Checkout");
    const edit = await t.as(priya)("PATCH", "/items/PAY-1", { state: "analyzing", points: 13 }, { "If-Match": '"1"' });
    expect(edit.body.updatedBy).toBe(priya.id);
    const history = await t.call("GET", "/items/PAY-1/history");
    const rows = history.body.items.map(
      (e: { kind: string; field: string | null; oldValue: unknown; newValue: unknown; actorId: string | null }) => [
        e.kind,
        e.field,
        e.oldValue,
        e.newValue,
        e.actorId,
      ],
    );
    expect(rows[0]?.[0]).toBe("created");
    expect(rows.slice(1)).toEqual([
      ["updated", "state", "funnel", "analyzing", priya.id],
      ["updated", "points", null, 13, priya.id],
    ]);
    const team = await t.call("GET", "/arts/PAY/history?from=2000-01-01T00:00:00Z");
    expect(team.body.items.length).toBe(3);
  });

  it("opens an item with its hierarchy both ways, relations and comments", async () => {
    await t.call("POST", "/items", { art: "PAY", level: "epic", title: "Instant payments" });
    await feature("Checkout", { parentId: "PAY-1" });
    await story("Pay by card", { parentId: "PAY-2", points: 5 });
    await story("Pay by wallet", { teamId: "web", parentId: "PAY-2", points: 3 });
    const related = await t.call("POST", "/items/PAY-3/relations", { kind: "depends_on", target: "PAY-4" });
    expect(related.body).toMatchObject({
      kind: "depends_on",
      direction: "outgoing",
      label: "depends on",
      item: { key: "PAY-4" },
    });
    const blocks = await t.call("POST", "/items/PAY-2/relations", { kind: "blocks", target: "PAY-1" });
    expect(blocks.body).toMatchObject({ direction: "incoming", label: "blocks", item: { key: "PAY-1" } });
    const again = await t.call("POST", "/items/PAY-4/relations", { kind: "blocks", target: "PAY-3" });
    expect(again.status).toBe(409);
    await t.call("POST", "/items/PAY-3/comments", { body: "Card **first**" });
    const s = await t.call("GET", "/items/PAY-3");
    expect(s.body.ancestors.map((a: { key: string }) => a.key)).toEqual(["PAY-1", "PAY-2"]);
    expect(s.body.relations).toMatchObject([{ label: "depends on", item: { key: "PAY-4" } }]);
    expect(s.body.comments).toMatchObject([{ body: "Card **first**" }]);
    const other = await t.call("GET", "/items/PAY-4");
    expect(other.body.relations).toMatchObject([{ label: "blocks", item: { key: "PAY-3" } }]);
    const f = await t.call("GET", "/items/PAY-2");
    expect(f.body).toMatchObject({ childCount: 2, childPoints: 8 });
    expect(f.body.children.map((c: { key: string }) => c.key)).toEqual(["PAY-3", "PAY-4"]);
    const rel = s.body.relations[0].id;
    expect((await t.call("DELETE", `/items/PAY-3/relations/${rel}`)).status).toBe(204);
    expect((await t.call("GET", "/items/PAY-4")).body.relations).toEqual([]);
  });

  it("moves a story to the bottom of its new team's backlog when its team changes", async () => {
    await story("A");
    await story("B", { teamId: "web" });
    const r = await t.call("PATCH", "/items/PAY-1", { teamId: "web" }, { "If-Match": '"1"' });
    expect(r.status).toBe(200);
    const web = await t.call("GET", "/arts/PAY/teams/web/backlog");
    expect(web.body.items.map((i: { key: string }) => i.key)).toEqual(["PAY-2", "PAY-1"]);
    expect((await t.call("GET", "/arts/PAY/teams/core/backlog")).body.items).toEqual([]);
  });

  it("streams changes to an ART's backlogs as server-sent events", async () => {
    await feature("A");
    await feature("B");
    const res = await t.request("/arts/PAY/events");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value);
      }
    };
    await readUntil("event: ready");
    await t.call("POST", "/items/PAY-2/move", { position: "top" });
    await readUntil('"kind":"item.moved"');
    expect(text).toMatch(/event: change\ndata: \{"kind":"item.moved","artId":"[^"]+","itemId":"[^"]+","key":"PAY-2"/);
    await reader.cancel();
  });

  it("publishes the OpenAPI 3.1 document generated from the validating schemas", async () => {
    const doc = await t.call("GET", "/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/items",
        "/items/{item}",
        "/items/{item}/move",
        "/arts/{art}/backlog",
        "/arts/{art}/teams/{team}/backlog/all",
      ]),
    );
    expect(doc.body.components.schemas.Item.properties.acceptanceCriteria).toBeTruthy();
  });
  it("answers malformed JSON with a 400 problem and writes nothing", async () => {
    const r = await t.call("POST", "/items", "{not json");
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "invalid", status: 400 });
    expect(await programOrder()).toEqual([]);
  });

  it("names unknown fields, wrong types and oversized text", async () => {
    const unknown = await t.call("POST", "/items", { art: "PAY", level: "feature", title: "x", colour: "red" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: "(body)", message: "unknown field: colour" }]);
    const types = await t.call("POST", "/items", { art: "PAY", level: "feature", title: 42, points: "five" });
    expect(types.status).toBe(400);
    expect(types.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["points", "title"]);
    const big = await t.call("POST", "/items", { art: "PAY", level: "feature", title: "x".repeat(300) });
    expect(big.body.errors).toEqual([{ path: "title", message: "at most 255 characters" }]);
    const huge = await t.call("POST", "/items", {
      art: "PAY",
      level: "feature",
      title: "x",
      description: "y".repeat(300_000),
    });
    expect(huge.status).toBe(413);
    const criteria = await t.call("POST", "/items", {
      art: "PAY",
      level: "feature",
      title: "x",
      acceptanceCriteria: ["ok", ""],
    });
    expect(criteria.body.errors[0].path).toBe("acceptanceCriteria.1");
    expect(await programOrder()).toEqual([]);
  });

  it("answers unknown ids with 404 and unknown references with the field that names them", async () => {
    expect((await t.call("GET", "/items/PAY-99")).status).toBe(404);
    expect((await t.call("POST", "/items/PAY-99/move", { position: "top" })).status).toBe(404);
    expect((await t.call("GET", "/arts/NOPE/backlog")).status).toBe(404);
    const r = await story("x", { teamId: "nope", parentId: "PAY-42" });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["parentId", "teamId"]);
  });

  it("refuses moves relative to an item of another backlog, and hierarchy breaks", async () => {
    await feature("F");
    await story("S", { parentId: "PAY-1" });
    const move = await t.call("POST", "/items/PAY-2/move", { before: "PAY-1" });
    expect(move.status).toBe(400);
    expect(move.body.errors).toEqual([{ path: "before", message: "PAY-1 is in another backlog" }]);
    const two = await t.call("POST", "/items/PAY-2/move", { before: "PAY-1", position: "top" });
    expect(two.status).toBe(400);
    const parent = await t.call("PATCH", "/items/PAY-1", { parentId: "PAY-2" }, { "If-Match": '"1"' });
    expect(parent.status).toBe(400);
    expect(parent.body.errors[0]).toMatchObject({ path: "parentId" });
    const state = await t.call("PATCH", "/items/PAY-2", { state: "implementing" }, { "If-Match": '"1"' });
    expect(state.body.errors[0]).toMatchObject({ path: "state" });
    expect((await t.call("GET", "/items/PAY-1")).body.item.version).toBe(1);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);
  });

  it("creates nothing from a bulk request with one bad item", async () => {
    const { createItems } = await import("../use-cases/create-items.js");
    await expect(
      createItems(
        t.runtime.deps,
        [
          { art: "PAY", level: "feature", title: "good" },
          { art: "PAY", level: "story", title: "no team" },
        ],
        operator(),
      ),
    ).rejects.toMatchObject({ code: "invalid", fields: [{ path: "1.teamId" }] });
    expect(await programOrder()).toEqual([]);
  });

  type Event = { kind: string; field: string | null; oldValue: unknown; newValue: unknown; actorId: string | null };
  type TimedEvent = Event & { teamId: string | null; at: string };
  const historyOf = async (key: string): Promise<TimedEvent[]> =>
    (await t.call("GET", `/items/${key}/history`)).body.items;
  const eventRows = (events: Event[]) => events.map((e) => [e.kind, e.field, e.oldValue, e.newValue]);

  it("marks an item blocked with what it waits on and unblocks it, each change in its history", async () => {
    const reason = "Waiting on the payments team's sandbox";
    await story("Pay by card");
    const blocked = await t.call("PATCH", "/items/PAY-1", { version: 1, blockedReason: reason });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ blockedReason: reason, version: 2 });
    expect((await t.call("GET", "/items/PAY-1")).body.item.blockedReason).toBe(reason);
    const row = (await t.call("GET", "/arts/PAY/teams/core/backlog")).body.items[0];
    expect(row).toMatchObject({ key: "PAY-1", blockedReason: reason });

    const unblocked = await t.call("PATCH", "/items/PAY-1", { version: 2, blockedReason: null });
    expect(unblocked.body).toMatchObject({ blockedReason: null, version: 3 });
    const history = await historyOf("PAY-1");
    expect(eventRows(history.slice(1))).toEqual([
      ["updated", "blockedReason", null, reason],
      ["updated", "blockedReason", reason, null],
    ]);
    expect(history[1]?.actorId).toBe(t.admin.id);

    // A feature is blocked the same way; a reason is required, and limited.
    await feature("Checkout");
    const onFeature = await t.call("PATCH", "/items/PAY-2", { version: 1, blockedReason: "Supplier contract" });
    expect(onFeature.body.blockedReason).toBe("Supplier contract");
    for (const bad of ["   ", "x".repeat(501)]) {
      const refused = await t.call("PATCH", "/items/PAY-1", { version: 3, blockedReason: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toMatchObject([{ path: "blockedReason" }]);
    }
    expect((await t.call("GET", "/items/PAY-1")).body.item).toMatchObject({ blockedReason: null, version: 3 });
    const created = await story("Refunds", { blockedReason: "Legal review of the refund policy" });
    expect(created.body.blockedReason).toBe("Legal review of the refund policy");
  });

  it("moving a story back from accepted records a rework event with the reason, beside the state change", async () => {
    await story("Pay by card", { state: "accepted" });
    const note = "The receipt format was never agreed";
    const back = await t.call("PATCH", "/items/PAY-1", {
      version: 1,
      state: "in_progress",
      reworkReason: "unclear_criteria",
      reworkNote: note,
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ state: "in_progress", version: 2 });
    expect(back.body).not.toHaveProperty("reworkReason");
    const history = await historyOf("PAY-1");
    expect(eventRows(history.slice(1))).toEqual([
      ["updated", "state", "accepted", "in_progress"],
      ["rework", "reason", "accepted", { reason: "unclear_criteria", note }],
    ]);
    const [state, rework] = history.slice(1);
    expect(rework).toMatchObject({ at: state?.at, teamId: state?.teamId, actorId: state?.actorId });
    expect(rework?.teamId).not.toBeNull();

    // Without a reason it is still rework, recorded as such.
    await story("Refunds", { state: "done" });
    await t.call("PATCH", "/items/PAY-2", { version: 1, state: "ready" });
    expect(eventRows((await historyOf("PAY-2")).slice(1))).toEqual([
      ["updated", "state", "done", "ready"],
      ["rework", "reason", "done", { reason: null, note: null }],
    ]);
  });

  it("refuses a rework reason unless the same edit moves a story back from done or accepted, changing nothing", async () => {
    await story("Pay by card", { state: "in_progress" });
    await story("Refunds", { state: "done" });
    await feature("Checkout", { state: "done" });
    const message = "only when moving a story back from done or accepted";
    const refusals = [
      ["PAY-1", { state: "done", reworkReason: "defect" }, "reworkReason"],
      ["PAY-2", { reworkReason: "defect" }, "reworkReason"],
      ["PAY-2", { state: "accepted", reworkNote: "Not rework" }, "reworkNote"],
      ["PAY-3", { state: "implementing", reworkReason: "defect" }, "reworkReason"],
    ] as const;
    for (const [key, body, path] of refusals) {
      const r = await t.call("PATCH", `/items/${key}`, { version: 1, ...body });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: "invalid", errors: [{ path, message }] });
    }
    const unknown = await t.call("PATCH", "/items/PAY-2", { version: 1, state: "new", reworkReason: "bad_luck" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toMatchObject([{ path: "reworkReason" }]);
    expect(unknown.body.errors[0].message).toContain("unclear_criteria");
    const long = await t.call("PATCH", "/items/PAY-2", { version: 1, state: "new", reworkNote: "x".repeat(1001) });
    expect(long.body.errors).toMatchObject([{ path: "reworkNote" }]);
    for (const key of ["PAY-1", "PAY-2", "PAY-3"]) {
      expect((await t.call("GET", `/items/${key}`)).body.item.version).toBe(1);
      expect((await historyOf(key)).map((e) => e.kind)).toEqual(["created"]);
    }
  });

  it("documents the blocked reason on items and the rework reasons of an edit in the OpenAPI document", async () => {
    const doc = (await t.call("GET", "/openapi.json")).body;
    expect(doc.components.schemas.Item.properties.blockedReason).toBeTruthy();
    const patch = doc.paths["/items/{item}"].patch.requestBody.content["application/json"].schema;
    const body = patch.$ref ? doc.components.schemas[patch.$ref.split("/").pop()] : patch;
    expect(body.properties.blockedReason).toBeTruthy();
    expect(body.properties.reworkReason.enum).toEqual([
      "unclear_criteria",
      "inadequate_refinement",
      "defect",
      "changed_requirement",
      "other",
      null,
    ]);
    expect(body.properties.reworkNote).toBeTruthy();
  });
});
