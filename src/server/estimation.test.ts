// Collaborative estimation sessions over the HTTP API on SQLite and PostgreSQL: the whole flow with a Product Manager
// facilitating, a Business Owner and a viewer taking part; privacy before reveal; wrong states; validation; rights;
// confirming onto the items (version, history, WSJF); another round; and the live change feed.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp, type TestUser } from "../../test/test-app.js";

interface Cell {
  yours: number | null;
  votes: number;
  scores: { id: string; name: string; value: number }[] | null;
  spread: { min: number; max: number; steps: number } | null;
  wideDisagreement: boolean;
  proposal: number | null;
  confirmed: { value: number; by: { id: string }; at: string } | null;
}
interface View {
  id: string;
  state: string;
  round: number;
  inputs: string[];
  you: { personId: string | null; facilitator: boolean; participant: boolean };
  participants: { id: string; name: string; scored: number; done: boolean }[];
  items: {
    id: string;
    key: string;
    version: number;
    current: Record<string, number | null>;
    cells: Record<string, Cell>;
  }[];
}

describeEachDatabase("estimation sessions over the API", (database) => {
  let t: TestApp;
  let pm: TestUser;
  let bo: TestUser;
  let viewer: TestUser;
  let other: TestUser;
  let f1: { key: string; id: string; version: number };
  let f2: { key: string; id: string; version: number };
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl(), { heartbeatMs: 50 });
    await createSmallTrain(t);
    pm = await t.user("Paula Pm", [{ art: "PAY", role: "product_manager" }]);
    bo = await t.user("Bea Bo", [{ art: "PAY", role: "business_owner" }]);
    viewer = await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]);
    other = await t.user("Olga Other", [{ art: "PAY", role: "viewer" }]);
    f1 = (await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Checkout" })).body;
    f2 = (await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Refunds" })).body;
  });
  afterEach(() => t.close());

  const start = async (body: object = {}, as: TestUser = pm) => {
    const r = await t.as(as)("POST", "/arts/PAY/estimation-sessions", {
      title: "PI 2 features",
      items: [f1.key, f2.key],
      participants: [bo.id, viewer.id],
      ...body,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as View;
  };
  const open = async (id: string, as: TestUser) => {
    const r = await t.as(as)("GET", `/estimation-sessions/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as View;
  };
  const score = async (id: string, as: TestUser, scores: object[]) => {
    const r = await t.as(as)("PUT", `/estimation-sessions/${id}/scores`, { scores });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as View;
  };
  const act = async (id: string, action: string, body?: object, as: TestUser = pm) => {
    const r = await t.as(as)("POST", `/estimation-sessions/${id}/${action}`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as View;
  };
  const cell = (v: View, key: string, input: string) => v.items.find((i) => i.key === key)?.cells[input] as Cell;

  it("runs a whole session: score privately, reveal with spread and proposal, confirm onto the items, close", async () => {
    const s = await start({ inputs: ["businessValue", "jobSize"] });
    expect(s).toMatchObject({ state: "scoring", round: 1, inputs: ["businessValue", "jobSize"], itemCount: 2 });
    expect(s.you).toEqual({ personId: pm.id, facilitator: true, participant: true });
    expect(s.participants.map((p) => p.name)).toEqual(["Paula Pm", "Bea Bo", "Vic Viewer"]);

    await score(s.id, pm, [
      { item: f1.key, input: "businessValue", value: 3 },
      { item: f1.key, input: "jobSize", value: 5 },
    ]);
    await score(s.id, bo, [{ item: f1.key, input: "businessValue", value: 13 }]);
    const byViewer = await score(s.id, viewer, [
      { item: f1.key, input: "businessValue", value: 5 },
      { item: f2.id, input: "businessValue", value: 8 },
    ]);
    expect(cell(byViewer, f1.key, "businessValue")).toMatchObject({ yours: 5, votes: 3, scores: null, proposal: null });

    const revealed = await act(s.id, "reveal");
    expect(revealed.state).toBe("revealed");
    for (const who of [pm, bo, viewer]) {
      const v = await open(s.id, who);
      expect(cell(v, f1.key, "businessValue")).toMatchObject({
        votes: 3,
        scores: [
          { id: bo.id, name: "Bea Bo", value: 13 },
          { id: pm.id, name: "Paula Pm", value: 3 },
          { id: viewer.id, name: "Vic Viewer", value: 5 },
        ],
        spread: { min: 3, max: 13, steps: 3 },
        wideDisagreement: true,
        proposal: 5,
      });
    }

    const confirmed = await act(s.id, "confirm", {
      values: [
        { item: f1.key, input: "businessValue", version: f1.version },
        { item: f1.key, input: "jobSize", value: 8, version: f1.version },
        { item: f2.key, input: "businessValue" },
      ],
    });
    expect(cell(confirmed, f1.key, "businessValue").confirmed).toMatchObject({ value: 5, by: { id: pm.id } });
    expect(cell(confirmed, f1.key, "jobSize").confirmed?.value).toBe(8);
    const item = (await t.call("GET", `/items/${f1.key}`)).body.item;
    expect(item).toMatchObject({ businessValue: 5, jobSize: 8, version: f1.version + 1 });
    expect((await t.call("GET", `/items/${f2.key}`)).body.item.businessValue).toBe(8);
    const history = (await t.call("GET", `/items/${f1.key}/history`)).body.items as {
      field: string | null;
      actorId: string;
      newValue: unknown;
    }[];
    expect(history.find((e) => e.field === "businessValue")).toMatchObject({ actorId: pm.id, newValue: 5 });
    expect(history.find((e) => e.field === "jobSize")).toMatchObject({ actorId: pm.id, newValue: 8 });
    // WSJF is recomputed once the other inputs arrive.
    await t.call(
      "PATCH",
      `/items/${f1.key}`,
      { timeCriticality: 3, riskReduction: 2 },
      { "If-Match": `"${item.version}"` },
    );
    const grid = (await t.call("GET", "/arts/PAY/wsjf?level=feature")).body.items as { key: string; wsjf: number }[];
    expect(grid.find((r) => r.key === f1.key)?.wsjf).toBe(1.25);

    const closed = await act(s.id, "close");
    expect(closed.state).toBe("closed");
    const list = await t.as(bo)("GET", "/arts/PAY/estimation-sessions");
    expect(list.body.items).toMatchObject([{ id: s.id, state: "closed", participantCount: 3, itemCount: 2 }]);
  });

  it("shows nobody another person's score before reveal: the facilitator sees the vote, not the value", async () => {
    const s = await start();
    await score(s.id, bo, [{ item: f1.key, input: "businessValue", value: 13 }]);
    const asPm = await open(s.id, pm);
    expect(cell(asPm, f1.key, "businessValue")).toMatchObject({ yours: null, votes: 1, scores: null, spread: null });
    expect(asPm.participants.find((p) => p.id === bo.id)).toMatchObject({ scored: 1, done: false });
    expect(JSON.stringify(asPm)).not.toMatch(/"(value|yours|min|max|proposal)":13/);
    const asAdmin = (await t.call("GET", `/estimation-sessions/${s.id}`)).body as View;
    expect(asAdmin.you).toMatchObject({ facilitator: false, participant: false });
    expect(cell(asAdmin, f1.key, "businessValue")).toMatchObject({ votes: 1, scores: null });
    expect(JSON.stringify(asAdmin)).not.toMatch(/"(value|yours|min|max|proposal)":13/);
    // Someone who may see the ART but takes no part does not even learn the session exists.
    expect((await t.as(other)("GET", `/estimation-sessions/${s.id}`)).status).toBe(404);
    expect((await t.as(other)("GET", "/arts/PAY/estimation-sessions")).body.items).toEqual([]);
    await act(s.id, "reveal");
    expect(cell(await open(s.id, viewer), f1.key, "businessValue").scores).toEqual([
      { id: bo.id, name: "Bea Bo", value: 13 },
    ]);
    const adminAfter = (await t.call("GET", `/estimation-sessions/${s.id}`)).body as View;
    expect(cell(adminAfter, f1.key, "businessValue").scores).toBeNull();
  });

  it("answers 409 naming the state for an action in the wrong state", async () => {
    const s = await start();
    const confirmEarly = await t.as(pm)("POST", `/estimation-sessions/${s.id}/confirm`, {
      values: [{ item: f1.key, input: "jobSize", value: 3 }],
    });
    expect(confirmEarly.status).toBe(409);
    expect(confirmEarly.body.detail).toContain("scoring");
    expect((await t.as(pm)("POST", `/estimation-sessions/${s.id}/revote`, {})).status).toBe(409);
    await act(s.id, "reveal");
    const late = await t.as(bo)("PUT", `/estimation-sessions/${s.id}/scores`, {
      scores: [{ item: f1.key, input: "businessValue", value: 3 }],
    });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain("revealed");
    expect((await t.as(pm)("POST", `/estimation-sessions/${s.id}/reveal`)).status).toBe(409);
    await act(s.id, "close");
    const afterClose = await t.as(pm)("POST", `/estimation-sessions/${s.id}/close`);
    expect(afterClose.status).toBe(409);
    expect(afterClose.body.detail).toContain("closed");
  });

  it("rejects an off-scale score, an item or input outside the session and a bad session, naming the field", async () => {
    const s = await start({ inputs: ["businessValue"] });
    const off = await t.as(bo)("PUT", `/estimation-sessions/${s.id}/scores`, {
      scores: [{ item: f1.key, input: "businessValue", value: 4 }],
    });
    expect(off.status).toBe(400);
    expect(off.body.errors.map((e: { path: string }) => e.path)).toEqual(["scores.0.value"]);
    const outside = await t.as(bo)("PUT", `/estimation-sessions/${s.id}/scores`, {
      scores: [
        { item: "PAY-999", input: "businessValue", value: 3 },
        { item: f1.key, input: "jobSize", value: 3 },
      ],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.errors.map((e: { path: string }) => e.path)).toEqual(["scores.0.item", "scores.1.input"]);
    const story = (await t.call("POST", "/items", { art: "PAY", level: "story", title: "A story", teamId: "core" }))
      .body;
    const outsider = await t.user("Otto Outsider");
    const bad = await t.as(pm)("POST", "/arts/PAY/estimation-sessions", {
      title: "",
      inputs: ["jobSize", "jobSize"],
      items: [story.key],
      participants: [outsider.id],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["inputs", "title"]);
    const refs = await t.as(pm)("POST", "/arts/PAY/estimation-sessions", {
      title: "Refs",
      items: [story.key],
      participants: [outsider.id],
    });
    expect(refs.status).toBe(400);
    expect(refs.body.errors.map((e: { path: string }) => e.path)).toEqual(["items.0"]);
    const people = await t.as(pm)("POST", "/arts/PAY/estimation-sessions", {
      title: "People",
      items: [f1.key],
      participants: [outsider.id],
    });
    expect(people.status).toBe(400);
    expect(people.body.errors.map((e: { path: string }) => e.path)).toEqual(["participants.0"]);
    await act(s.id, "reveal");
    const noProposal = await t.as(pm)("POST", `/estimation-sessions/${s.id}/confirm`, {
      values: [{ item: f2.key, input: "businessValue" }],
    });
    expect(noProposal.status).toBe(400);
    expect(noProposal.body.errors.map((e: { path: string }) => e.path)).toEqual(["values.0.value"]);
  });

  it("lets only those with the rights start a session, only participants score and only the facilitator steer", async () => {
    const all = await t.as(bo)("POST", "/arts/PAY/estimation-sessions", { title: "All", items: [f1.key] });
    expect(all.status).toBe(403);
    const value = await start({ inputs: ["businessValue"], participants: [viewer.id] }, bo);
    expect(value.you.facilitator).toBe(true);
    expect((await t.as(viewer)("POST", "/arts/PAY/estimation-sessions", { title: "V", items: [f1.key] })).status).toBe(
      403,
    );
    const s = await start({ participants: [bo.id] });
    const adminScores = await t.call("PUT", `/estimation-sessions/${s.id}/scores`, {
      scores: [{ item: f1.key, input: "jobSize", value: 3 }],
    });
    expect(adminScores.status).toBe(403);
    for (const action of ["reveal", "close"]) {
      expect((await t.as(bo)("POST", `/estimation-sessions/${s.id}/${action}`)).status).toBe(403);
    }
    expect((await t.as(bo)("POST", `/estimation-sessions/${s.id}/participants`, { person: viewer.id })).status).toBe(
      403,
    );
    const invited = await act(s.id, "participants", { person: viewer.id });
    expect(invited.participants.map((p) => p.id)).toContain(viewer.id);
    await score(s.id, viewer, [{ item: f1.key, input: "jobSize", value: 3 }]);
    const removed = await t.as(pm)("DELETE", `/estimation-sessions/${s.id}/participants/${viewer.id}`);
    expect(removed.status).toBe(200);
    expect(cell(removed.body, f1.key, "jobSize").votes).toBe(0);
    expect((await t.as(viewer)("GET", `/estimation-sessions/${s.id}`)).status).toBe(404);
  });

  it("writes nothing when an item changed since the version the facilitator saw", async () => {
    const s = await start({ inputs: ["jobSize"] });
    await score(s.id, bo, [
      { item: f1.key, input: "jobSize", value: 5 },
      { item: f2.key, input: "jobSize", value: 3 },
    ]);
    await act(s.id, "reveal");
    await t.call("PATCH", `/items/${f1.key}`, { title: "Checkout v2" }, { "If-Match": `"${f1.version}"` });
    const stale = await t.as(pm)("POST", `/estimation-sessions/${s.id}/confirm`, {
      values: [
        { item: f2.key, input: "jobSize", version: f2.version },
        { item: f1.key, input: "jobSize", version: f1.version },
      ],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ key: f1.key, version: f1.version + 1 });
    // One transaction: the other item was not written either, and nothing is recorded as confirmed.
    expect((await t.call("GET", `/items/${f2.key}`)).body.item).toMatchObject({ jobSize: null, version: f2.version });
    expect(cell(await open(s.id, pm), f2.key, "jobSize").confirmed).toBeNull();
  });

  it("starts another round for chosen items, clearing their unconfirmed scores and keeping the others", async () => {
    const s = await start({ inputs: ["businessValue"] });
    await score(s.id, bo, [
      { item: f1.key, input: "businessValue", value: 2 },
      { item: f2.key, input: "businessValue", value: 8 },
    ]);
    await act(s.id, "reveal");
    const again = await act(s.id, "revote", { items: [f1.key] });
    expect(again).toMatchObject({ state: "scoring", round: 2 });
    expect(cell(again, f1.key, "businessValue").votes).toBe(0);
    expect(cell(again, f2.key, "businessValue").votes).toBe(1);
    expect(cell(await open(s.id, bo), f2.key, "businessValue").yours).toBe(8);
    await score(s.id, bo, [{ item: f1.key, input: "businessValue", value: 3 }]);
    await act(s.id, "reveal");
    const all = await act(s.id, "revote", {});
    expect(all.round).toBe(3);
    expect(all.items.every((i) => i.cells.businessValue?.votes === 0)).toBe(true);
  });

  it("tells those watching the ART about every session change, without scores", async () => {
    const res = await t.app.request("/api/v1/arts/PAY/events", {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value);
      }
    })();
    const s = await start();
    await score(s.id, bo, [{ item: f1.key, input: "businessValue", value: 13 }]);
    await expect.poll(() => text.match(/"kind":"estimation.changed"/g)?.length ?? 0).toBe(2);
    expect(text).toContain(`"sessionId":"${s.id}"`);
    expect(text).not.toContain('"value"');
    await reader.cancel();
  });
});
