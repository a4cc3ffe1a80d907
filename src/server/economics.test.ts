// The economic view over the HTTP API on SQLite and PostgreSQL: editing an item's Cost of Delay per week, urgency,
// fixed date and duration (validation, rights, history), and GET /arts/{art}/economics with both orders and the
// fixed-date curve.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";

interface EconomicsRow {
  id: string;
  key: string;
  costOfDelayPerWeek: number | null;
  urgency: string | null;
  fixedDate: string | null;
  durationWeeks: number | null;
  cd3: number | null;
  latestStart: string | null;
  slackWeeks: number | null;
  wsjf: number | null;
  wsjfPosition: number;
  cd3Position: number;
  missing: string[];
}

interface Economics {
  level: string;
  asOf: string;
  items: EconomicsRow[];
  wsjfOrder: string[];
  cd3Order: string[];
  agreement: number | null;
  curves: Record<string, { week: number; startOn: string; delayCost: number }[]>;
}

describeEachDatabase("the economic view over the API", (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const create = async (body: object): Promise<{ key: string; id: string; version: number }> => {
    const r = await t.call("POST", "/items", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const feature = (title: string, fields: object = {}) => create({ art: "PAY", level: "feature", title, ...fields });
  const edit = async (key: string, body: object, who = t.call) => {
    const current = await t.call("GET", `/items/${key}`);
    return who("PATCH", `/items/${key}`, body, { "If-Match": `"${current.body.item.version}"` });
  };
  const economics = async (query = "level=feature&asOf=2026-01-01"): Promise<Economics> => {
    const r = await t.call("GET", `/arts/PAY/economics?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const fieldsOf = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);

  it("writes a feature's Cost of Delay, urgency, fixed date and duration through PATCH and shows its CD3", async () => {
    const f = await feature("Instant payouts");
    const r = await edit(f.key, {
      costOfDelayPerWeek: 12_000,
      urgency: "fixed_date",
      fixedDate: "2026-03-12",
      durationWeeks: 2.5,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      costOfDelayPerWeek: 12_000,
      urgency: "fixed_date",
      fixedDate: "2026-03-12",
      durationWeeks: 2.5,
      cd3: 4800,
    });
    const read = await t.call("GET", `/items/${f.key}`);
    expect(read.body.item).toMatchObject({ costOfDelayPerWeek: 12_000, durationWeeks: 2.5, cd3: 4800 });

    const cleared = await edit(f.key, { urgency: "standard", fixedDate: null, durationWeeks: null });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({ urgency: "standard", fixedDate: null, durationWeeks: null, cd3: null });
  });

  it("records each economic field it changes in the item's history", async () => {
    const f = await feature("Instant payouts");
    await edit(f.key, { costOfDelayPerWeek: 5000, urgency: "expedite" });
    const history = await t.call("GET", `/items/${f.key}/history`);
    const updates = history.body.items
      .filter((e: { kind: string }) => e.kind === "updated")
      .map((e: { field: string; oldValue: unknown; newValue: unknown }) => [e.field, e.oldValue, e.newValue]);
    expect(updates).toEqual([
      ["costOfDelayPerWeek", null, 5000],
      ["urgency", null, "expedite"],
    ]);
  });

  it("rejects bad values with 400 naming the field, and changes nothing", async () => {
    const f = await feature("Instant payouts");
    const cases: [object, string][] = [
      [{ costOfDelayPerWeek: -5 }, "costOfDelayPerWeek"],
      [{ durationWeeks: 0 }, "durationWeeks"],
      [{ durationWeeks: 1.25 }, "durationWeeks"],
      [{ urgency: "asap" }, "urgency"],
      [{ fixedDate: "next friday", urgency: "fixed_date" }, "fixedDate"],
      [{ urgency: "fixed_date" }, "fixedDate"],
      [{ urgency: "standard", fixedDate: "2026-03-12" }, "fixedDate"],
      [{ fixedDate: "2026-02-30", urgency: "fixed_date" }, "fixedDate"],
    ];
    for (const [body, field] of cases) {
      const r = await edit(f.key, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(r), JSON.stringify(body)).toContain(field);
    }
    expect((await t.call("GET", `/items/${f.key}`)).body.item).toMatchObject({ version: 1, urgency: null });
  });

  it("refuses the economic fields on a story, naming the field", async () => {
    const f = await feature("Instant payouts");
    const s = await create({ art: "PAY", level: "story", title: "Payout API", teamId: "core", parentId: f.key });
    const r = await edit(s.key, { costOfDelayPerWeek: 100 });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["costOfDelayPerWeek"]);
    const created = await t.call("POST", "/items", {
      art: "PAY",
      level: "story",
      title: "Another",
      teamId: "core",
      durationWeeks: 1,
    });
    expect(created.status).toBe(400);
    expect(fieldsOf(created)).toEqual(["durationWeeks"]);
  });

  it("lets a Product Manager edit them, a viewer read but not edit them, and hides them from outsiders", async () => {
    const f = await feature("Instant payouts");
    const pm = await t.user("Priya PM", [{ art: "PAY", role: "product_manager" }]);
    const viewer = await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]);
    const bo = await t.user("Bo Business", [{ art: "PAY", role: "business_owner" }]);
    const outsider = await t.user("Olga Outside", []);
    expect((await edit(f.key, { costOfDelayPerWeek: 3000 }, t.as(pm))).status).toBe(200);
    const refused = await edit(f.key, { urgency: "expedite" }, t.as(viewer));
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("score_wsjf");
    expect((await edit(f.key, { durationWeeks: 2 }, t.as(bo))).status).toBe(403);
    expect((await t.as(viewer)("GET", "/arts/PAY/economics")).status).toBe(200);
    expect((await t.as(outsider)("GET", "/arts/PAY/economics")).status).toBe(404);
  });

  it("sets the WSJF order beside the CD3 order, with each item's positions, agreement and missing inputs", async () => {
    const wsjf = (bv: number, js: number) => ({ businessValue: bv, timeCriticality: 1, riskReduction: 1, jobSize: js });
    const a = await feature("A", { ...wsjf(20, 1), costOfDelayPerWeek: 1000, durationWeeks: 4, urgency: "standard" });
    const b = await feature("B", { ...wsjf(8, 2), costOfDelayPerWeek: 8000, durationWeeks: 2, urgency: "standard" });
    const c = await feature("C", {
      ...wsjf(1, 5),
      costOfDelayPerWeek: 4000,
      durationWeeks: 1,
      urgency: "fixed_date",
      fixedDate: "2026-02-12",
    });
    const d = await feature("D", { ...wsjf(3, 3), durationWeeks: 3, urgency: "intangible" });
    const e = await feature("E", { costOfDelayPerWeek: 500, durationWeeks: 5, urgency: "expedite" });

    const view = await economics();
    expect(view.level).toBe("feature");
    expect(view.asOf).toBe("2026-01-01");
    expect(view.items.map((i) => i.key)).toEqual([a.key, b.key, c.key, d.key, e.key]);
    expect(view.wsjfOrder).toEqual([a.id, b.id, d.id, c.id, e.id]);
    expect(view.cd3Order).toEqual([e.id, b.id, c.id, a.id, d.id]);
    expect(view.agreement).toBe(-0.333);
    const row = (id: string) => view.items.find((i) => i.id === id) as EconomicsRow;
    expect(row(c.id)).toMatchObject({
      cd3: 4000,
      latestStart: "2026-02-05",
      slackWeeks: 5,
      wsjfPosition: 4,
      cd3Position: 3,
      missing: [],
    });
    expect(row(d.id)).toMatchObject({ cd3: null, missing: ["costOfDelayPerWeek"], cd3Position: 5 });
    expect(row(e.id)).toMatchObject({ cd3: 100, wsjf: null, cd3Position: 1 });
  });

  it("draws a fixed-date item's cost of delay: nothing while it can still meet its date, then growing weekly", async () => {
    const c = await feature("Regulatory report", {
      costOfDelayPerWeek: 2000,
      durationWeeks: 4,
      urgency: "fixed_date",
      fixedDate: "2026-02-12",
    });
    await feature("Standard work", { costOfDelayPerWeek: 2000, durationWeeks: 4, urgency: "standard" });
    const view = await economics();
    expect(Object.keys(view.curves)).toEqual([c.id]);
    const curve = view.curves[c.id] ?? [];
    expect(curve.slice(0, 6).map((p) => p.delayCost)).toEqual([0, 0, 0, 2000, 4000, 6000]);
    expect(curve[3]).toEqual({ week: 3, startOn: "2026-01-22", delayCost: 2000 });
  });

  it("answers a program level other than features and rejects unknown levels and dates", async () => {
    const epic = await create({ art: "PAY", level: "epic", title: "Go global", costOfDelayPerWeek: 50_000 });
    const view = await economics("level=epic&asOf=2026-01-01");
    expect(view.items.map((i) => i.key)).toEqual([epic.key]);
    expect((await t.call("GET", "/arts/PAY/economics?level=story")).status).toBe(400);
    const badDate = await t.call("GET", "/arts/PAY/economics?asOf=2026-13-01");
    expect(badDate.status).toBe(400);
    expect(fieldsOf(badDate)).toContain("asOf");
    expect((await t.call("GET", "/arts/NOPE/economics")).status).toBe(404);
  });
});
