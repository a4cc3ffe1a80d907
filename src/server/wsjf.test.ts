// Prioritization over the HTTP API on SQLite and PostgreSQL: scoring items, the WSJF grid and its CSV, applying WSJF
// order with pins (and undoing it), carrying feature rank down to a team, and applies racing each other.
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";
import { WSJF_SCALE } from "../core/wsjf.js";
import { seedDemo } from "../use-cases/seed-demo.js";

interface Scores {
  businessValue?: number | null;
  timeCriticality?: number | null;
  riskReduction?: number | null;
  jobSize?: number | null;
}

/** The four inputs in SAFe's order: user-business value, time criticality, risk reduction, job size. */
const scores = (
  businessValue: number | null,
  timeCriticality: number | null,
  riskReduction: number | null,
  jobSize: number | null,
): Scores => ({ businessValue, timeCriticality, riskReduction, jobSize });

interface GridRow {
  id: string;
  key: string;
  title: string;
  version: number;
  position: number;
  inputs: Required<Scores>;
  costOfDelay: number | null;
  wsjf: number | null;
  missing: string[];
  placesFromWsjf: number | null;
}

interface OrderRow {
  id: string;
  key: string;
  wsjf: number | null;
  costOfDelay: number | null;
  pinned: boolean;
  from: number;
  to: number;
}

describeEachDatabase("prioritization over the API", (database) => {
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
  const feature = (title: string, inputs: Scores = {}, art = "PAY") =>
    create({ art, level: "feature", title, ...inputs });
  const story = (title: string, parent: string | null, team = "core") =>
    create({ art: "PAY", level: "story", title, teamId: team, ...(parent ? { parentId: parent } : {}) });
  const grid = async (art = "PAY", level = "feature") => {
    const r = await t.call("GET", `/arts/${art}/wsjf?level=${level}`);
    expect(r.status).toBe(200);
    return r.body as {
      level: string;
      items: GridRow[];
      anchored: Record<string, boolean>;
      agreement: number | null;
      scored: number;
    };
  };
  const order = async (art = "PAY") => (await grid(art)).items.map((i) => i.key);
  const teamOrder = async (team = "core") =>
    (await t.call("GET", `/arts/PAY/teams/${team}/backlog/all`)).body.items.map((i: { key: string }) => i.key);
  const apply = (body: object = {}, art = "PAY") => t.call("POST", `/arts/${art}/wsjf/order`, body);
  const edit = async (key: string, body: object, who = t.call) => {
    const current = await t.call("GET", `/items/${key}`);
    return who("PATCH", `/items/${key}`, body, { "If-Match": `"${current.body.item.version}"` });
  };
  const ranks = async () =>
    new Map<string, string>(
      (await t.call("GET", "/arts/PAY/backlog/all")).body.items.map((i: { key: string; rank: string }) => [
        i.key,
        i.rank,
      ]),
    );
  const moveTop = async (key: string) => {
    const version = (await t.call("GET", `/items/${key}`)).body.item.version;
    return t.call("POST", `/items/${key}/move`, { position: "top" }, { "If-Match": `"${version}"` });
  };
  const movedEvents = async (key: string) =>
    (await t.call("GET", `/items/${key}/history`)).body.items.filter((e: { kind: string }) => e.kind === "moved");
  const fieldsOf = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);

  // ── Scoring ──────────────────────────────────────────────────────────────────────────────────────────────────

  it("scores a feature on the scale through PATCH and shows its Cost of Delay and WSJF", async () => {
    const f = await feature("Instant payouts");
    const r = await edit(f.key, scores(13, 8, 3, 5));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ...scores(13, 8, 3, 5), costOfDelay: 24, wsjf: 4.8 });
    const opened = await t.call("GET", `/items/${f.key}`);
    expect(opened.body.item).toMatchObject({ costOfDelay: 24, wsjf: 4.8 });
    const thirds = await edit(f.key, scores(5, 3, 2, 3));
    expect(thirds.body).toMatchObject({ costOfDelay: 10, wsjf: 3.33 });
  });

  it("accepts every value of the modified Fibonacci scale and rejects anything else, naming the field", async () => {
    const f = await feature("Refunds");
    for (const value of WSJF_SCALE) expect((await edit(f.key, { timeCriticality: value })).status).toBe(200);
    for (const value of [4, 21, 0.5, -1]) {
      const r = await edit(f.key, { riskReduction: value });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe("invalid");
      expect(fieldsOf(r)).toEqual(["riskReduction"]);
    }
    const unchanged = await t.call("GET", `/items/${f.key}`);
    expect(unchanged.body.item.riskReduction).toBeNull();
  });

  it("rejects a job size of 0", async () => {
    const f = await feature("Chargebacks", scores(3, 2, 1, null));
    const r = await edit(f.key, { jobSize: 0 });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["jobSize"]);
    const created = await t.call("POST", "/items", { art: "PAY", level: "feature", title: "Zero", jobSize: 0 });
    expect(created.status).toBe(400);
    expect(fieldsOf(created)).toEqual(["jobSize"]);
  });

  it("does not score stories: creating or editing one with a WSJF input is rejected, naming the input", async () => {
    const f = await feature("Wallet");
    const s = await story("Top up", f.key);
    const r = await edit(s.key, { businessValue: 5 });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["businessValue"]);
    const created = await t.call("POST", "/items", {
      art: "PAY",
      level: "story",
      title: "Scored story",
      teamId: "core",
      jobSize: 3,
    });
    expect(created.status).toBe(400);
    expect(fieldsOf(created)).toEqual(["jobSize"]);
  });

  it("leaves Cost of Delay and WSJF null, not 0, while an input is missing, and again when one is cleared", async () => {
    const f = await feature("Fraud checks", { businessValue: 8 });
    const opened = await t.call("GET", `/items/${f.key}`);
    expect(opened.body.item).toMatchObject({ businessValue: 8, costOfDelay: null, wsjf: null });
    const nearly = await edit(f.key, { timeCriticality: 3, riskReduction: 1 });
    expect(nearly.body).toMatchObject({ costOfDelay: 12, wsjf: null });
    expect((await edit(f.key, { jobSize: 2 })).body).toMatchObject({ costOfDelay: 12, wsjf: 6 });
    const cleared = await edit(f.key, { timeCriticality: null });
    expect(cleared.body).toMatchObject({ timeCriticality: null, costOfDelay: null, wsjf: null });
    const row = (await grid()).items.find((i) => i.key === f.key);
    expect(row).toMatchObject({ costOfDelay: null, wsjf: null, missing: ["timeCriticality"], placesFromWsjf: null });
  });

  it("lets a Business Owner score user-business value but not the other inputs, nor other fields with it", async () => {
    const bo = await t.user("Bo Business", [{ art: "PAY", role: "business_owner" }]);
    const f = await feature("Payouts dashboard");
    expect((await edit(f.key, { businessValue: 13 }, t.as(bo))).status).toBe(200);
    expect((await edit(f.key, { jobSize: 3 }, t.as(bo))).status).toBe(403);
    expect((await edit(f.key, { businessValue: 8, title: "Renamed" }, t.as(bo))).status).toBe(403);
    const item = (await t.call("GET", `/items/${f.key}`)).body.item;
    expect(item).toMatchObject({ businessValue: 13, jobSize: null, title: "Payouts dashboard" });
  });

  // ── The grid and its CSV ───────────────────────────────────────────────────────────────────────────────────

  it("lists the grid in rank order with Cost of Delay, WSJF, what is missing and places from WSJF", async () => {
    await feature("Low", scores(1, 1, 1, 3)); // CoD 3, WSJF 1
    await feature("Middle", scores(8, 5, 2, 5)); // CoD 15, WSJF 3
    await feature("Half scored", { businessValue: 3 });
    await feature("High", scores(20, 13, 2, 2)); // CoD 35, WSJF 17.5
    const g = await grid();
    expect(g.level).toBe("feature");
    expect(g.items.map((i) => [i.title, i.position, i.costOfDelay, i.wsjf, i.missing, i.placesFromWsjf])).toEqual([
      ["Low", 1, 3, 1, [], 2],
      ["Middle", 2, 15, 3, [], 0],
      ["Half scored", 3, null, null, ["timeCriticality", "riskReduction", "jobSize"], null],
      ["High", 4, 35, 17.5, [], -3],
    ]);
    expect(g.items[0]?.inputs).toEqual(scores(1, 1, 1, 3));
    expect(g.scored).toBe(3);
    // Job sizes are 3, 5 and 2: nothing is anchored at 1 in that column.
    expect(g.anchored).toEqual({ businessValue: true, timeCriticality: true, riskReduction: true, jobSize: false });
    // The three scored items are ranked exactly against WSJF.
    expect(g.agreement).toBe(-1);
  });

  it("reports full agreement once the backlog is in WSJF order, and no agreement figure with one scored item", async () => {
    await feature("Only one", scores(1, 1, 1, 1));
    await feature("Unscored");
    expect((await grid()).agreement).toBeNull();
    await feature("Smaller", scores(1, 1, 1, 2));
    expect((await grid()).agreement).toBe(1);
  });

  it("keeps the levels apart: the epic grid lists epics, and a story level is refused", async () => {
    await create({ art: "PAY", level: "epic", title: "Open banking", ...scores(13, 5, 8, 20) });
    await feature("Not an epic", scores(1, 1, 1, 1));
    const epics = await grid("PAY", "epic");
    expect(epics.items.map((i) => [i.title, i.costOfDelay, i.wsjf])).toEqual([["Open banking", 26, 1.3]]);
    expect((await t.call("GET", "/arts/PAY/wsjf?level=story")).status).toBe(400);
  });

  it("exports the grid as CSV with a header, one row per item, and formulas neutralised", async () => {
    await feature("Checkout", scores(8, 5, 3, 2));
    await feature('=HYPERLINK("http://evil.example","click")', { businessValue: 2 });
    await feature("Plain, with a comma");
    const res = await t.request("/arts/PAY/wsjf.csv?level=feature");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toContain("PAY-feature-wsjf.csv");
    const text = await res.text();
    expect(text.split("\n")[0]).toBe(
      "rank,key,title,type,state,user_business_value,time_criticality,risk_reduction_opportunity_enablement," +
        "job_size,cost_of_delay,wsjf,missing",
    );
    const rows: string[][] = parse(text, { from_line: 2 });
    expect(rows).toEqual([
      ["1", "PAY-1", "Checkout", "business", "funnel", "8", "5", "3", "2", "16", "8", ""],
      [
        "2",
        "PAY-2",
        '\'=HYPERLINK("http://evil.example","click")',
        "business",
        "funnel",
        "2",
        "",
        "",
        "",
        "",
        "",
        "timeCriticality riskReduction jobSize",
      ],
      [
        "3",
        "PAY-3",
        "Plain, with a comma",
        "business",
        "funnel",
        "",
        "",
        "",
        "",
        "",
        "",
        "businessValue timeCriticality riskReduction jobSize",
      ],
    ]);
  });

  // ── Applying WSJF order ────────────────────────────────────────────────────────────────────────────────────

  it("previews WSJF order in a dry run without changing anything", async () => {
    await feature("Low", scores(1, 1, 1, 5));
    await feature("Unscored");
    await feature("High", scores(13, 8, 5, 1));
    const before = await grid();
    const eventsBefore = (await t.call("GET", "/arts/PAY/history")).body.items.length;
    const r = await apply({ dryRun: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ reorderId: null, dryRun: true, moved: 3, agreementBefore: -1, agreementAfter: 1 });
    expect(r.body.items.map((i: OrderRow) => [i.key, i.from, i.to, i.pinned])).toEqual([
      ["PAY-3", 3, 1, false],
      ["PAY-1", 1, 2, false],
      ["PAY-2", 2, 3, false],
    ]);
    expect(await grid()).toEqual(before);
    expect((await t.call("GET", "/arts/PAY/history")).body.items.length).toBe(eventsBefore);
  });

  it("applies WSJF order: ties by Cost of Delay then current rank, unscored last, pinned items in place", async () => {
    await feature("Unscored first"); // PAY-1
    await feature("Tie, small CoD", scores(1, 1, 1, 1)); // WSJF 3, CoD 3
    await feature("Pinned low", scores(1, 1, 1, 20)); // pinned at 3
    await feature("Tie, big CoD", scores(3, 2, 1, 2)); // WSJF 3, CoD 6
    await feature("Tie, small CoD, later", scores(1, 1, 1, 1)); // WSJF 3, CoD 3
    await feature("Highest", scores(20, 20, 20, 1)); // WSJF 60
    const r = await apply({ pinned: ["PAY-3"] });
    expect(r.status).toBe(200);
    expect(r.body.dryRun).toBe(false);
    expect(r.body.reorderId).toEqual(expect.any(String));
    const expected = ["PAY-6", "PAY-4", "PAY-3", "PAY-2", "PAY-5", "PAY-1"];
    expect(r.body.items.map((i: OrderRow) => i.key)).toEqual(expected);
    expect(r.body.items.find((i: OrderRow) => i.key === "PAY-3")).toMatchObject({ pinned: true, from: 3, to: 3 });
    expect(await order()).toEqual(expected);
    const check = await t.call("GET", "/check");
    expect(check.body).toMatchObject({ ok: true, problems: [] });
  });

  it("refuses a pin that names no item of the backlog, changing nothing", async () => {
    await feature("B", scores(1, 1, 1, 8));
    await feature("A", scores(8, 8, 8, 1));
    const r = await apply({ pinned: ["PAY-1", "PAY-99"] });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(["pinned.1"]);
    expect(await order()).toEqual(["PAY-1", "PAY-2"]);
  });

  it("records an apply as one change: a moved event for each rank key rewritten, the fewest keys possible", async () => {
    await feature("First already", scores(13, 13, 13, 1)); // WSJF 39
    await feature("Last", scores(1, 1, 1, 13)); // WSJF 0.23
    await feature("Third already", scores(2, 2, 2, 5)); // WSJF 1.2
    await feature("Second", scores(3, 2, 1, 3)); // WSJF 2
    const ranksBefore = await ranks();
    const r = await apply();
    expect(r.status).toBe(200);
    const moved = r.body.items.filter((i: OrderRow) => i.from !== i.to).map((i: OrderRow) => i.key);
    expect(moved).toEqual(["PAY-4", "PAY-2"]);
    expect(r.body.moved).toBe(2);
    expect(await order()).toEqual(["PAY-1", "PAY-4", "PAY-3", "PAY-2"]);
    // One change: the fewest rank keys rewritten (4 items, longest run already in order 2, so 2 keys), each with a
    // moved event from the old key to the new, all at one time by one person; nothing else is recorded.
    const ranksAfter = await ranks();
    const rewritten = [...ranksAfter.keys()].filter((key) => ranksAfter.get(key) !== ranksBefore.get(key));
    expect(rewritten).toHaveLength(2);
    const events = (await Promise.all(["PAY-1", "PAY-2", "PAY-3", "PAY-4"].map(movedEvents))).flat();
    expect(events.map((e: { itemKey: string }) => e.itemKey).sort()).toEqual(rewritten.sort());
    for (const e of events) {
      expect(e).toMatchObject({
        field: "rank",
        actorId: t.admin.id,
        oldValue: ranksBefore.get(e.itemKey),
        newValue: ranksAfter.get(e.itemKey),
        at: events[0].at,
      });
    }
    // Applying again has nothing left to do and records nothing.
    const again = await apply();
    expect(again.body).toMatchObject({ reorderId: null, moved: 0 });
  });

  it("keeps pinned items in place and puts the others in non-increasing WSJF order, for any backlog", async () => {
    let run = 0;
    const score = fc.option(fc.constantFrom(...WSJF_SCALE), { nil: null, freq: 6 });
    const backlog = fc.array(
      fc.record({
        inputs: fc.record({ businessValue: score, timeCriticality: score, riskReduction: score, jobSize: score }),
        pinned: fc.boolean(),
      }),
      { minLength: 1, maxLength: 7 },
    );
    await fc.assert(
      fc.asyncProperty(backlog, async (rows) => {
        const art = `W${++run}`;
        expect((await t.call("POST", "/arts", { key: art, name: `WSJF train ${run}` })).status).toBe(201);
        const keys: string[] = [];
        for (const [i, row] of rows.entries()) keys.push((await feature(`Feature ${i}`, row.inputs, art)).key);
        const pinned = keys.filter((_, i) => rows[i]?.pinned);
        const r = await apply({ pinned }, art);
        expect(r.status).toBe(200);
        const items = r.body.items as OrderRow[];
        expect(await order(art)).toEqual(items.map((i) => i.key));
        expect([...items.map((i) => i.key)].sort()).toEqual([...keys].sort());
        for (const [i, item] of items.entries()) {
          expect(item.to).toBe(i + 1);
          expect(item.from).toBe(keys.indexOf(item.key) + 1);
          if (pinned.includes(item.key)) expect(item.to).toBe(item.from);
        }
        const free = items.filter((i) => !i.pinned);
        for (let i = 1; i < free.length; i++) {
          const [a, b] = [free[i - 1] as OrderRow, free[i] as OrderRow];
          if (a.wsjf === null) {
            expect(b.wsjf).toBeNull();
            expect(a.from).toBeLessThan(b.from);
          } else if (b.wsjf !== null) {
            expect(a.wsjf).toBeGreaterThanOrEqual(b.wsjf);
            if (a.wsjf === b.wsjf) {
              expect(a.costOfDelay as number).toBeGreaterThanOrEqual(b.costOfDelay as number);
              if (a.costOfDelay === b.costOfDelay) expect(a.from).toBeLessThan(b.from);
            }
          }
        }
        expect((await t.call("GET", "/check")).body.ok).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  // ── Undo ───────────────────────────────────────────────────────────────────────────────────────────────────

  it("undoes an apply in one step, restoring the exact previous order, and refuses a second undo", async () => {
    await feature("D", scores(1, 1, 1, 20));
    await feature("Unscored");
    await feature("B", scores(5, 5, 5, 3));
    await feature("C", scores(2, 2, 2, 8));
    await feature("A", scores(20, 13, 8, 1));
    const before = await order();
    const applied = await apply({ pinned: ["PAY-2"] });
    expect(await order()).not.toEqual(before);
    const undo = await t.call("POST", `/arts/PAY/reorders/${applied.body.reorderId}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body.moved).toBeGreaterThan(0);
    expect(await order()).toEqual(before);
    const again = await t.call("POST", `/arts/PAY/reorders/${applied.body.reorderId}/undo`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    expect(await order()).toEqual(before);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);
  });

  it("refuses to undo an apply after someone moved or edited one of its items, changing nothing", async () => {
    await feature("C", scores(1, 1, 1, 13));
    await feature("B", scores(3, 3, 3, 5));
    await feature("A", scores(13, 13, 13, 1));
    const applied = await apply();
    expect((await moveTop("PAY-1")).status).toBe(200);
    const afterMove = await order();
    const undo = await t.call("POST", `/arts/PAY/reorders/${applied.body.reorderId}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.code).toBe("conflict");
    expect(await order()).toEqual(afterMove);

    const second = await apply();
    expect((await edit("PAY-3", { title: "A, renamed" })).status).toBe(200);
    expect((await t.call("POST", `/arts/PAY/reorders/${second.body.reorderId}/undo`)).status).toBe(409);
  });

  it("answers 404 for a reorder that does not exist or belongs to another ART", async () => {
    await feature("B", scores(1, 1, 1, 8));
    await feature("A", scores(8, 8, 8, 1));
    const applied = await apply();
    await t.call("POST", "/arts", { key: "OTHER", name: "Other" });
    expect((await t.call("POST", `/arts/OTHER/reorders/${applied.body.reorderId}/undo`)).status).toBe(404);
    expect((await t.call("POST", "/arts/PAY/reorders/no-such-reorder/undo")).status).toBe(404);
  });

  // ── Carrying feature rank down to a team ───────────────────────────────────────────────────────────────────

  it("previews a team's alignment to the program's feature rank, then applies it so the drift is 0", async () => {
    const f1 = await feature("First");
    const f2 = await feature("Second");
    const f3 = await feature("Third");
    const s = {
      third1: await story("Third, one", f3.key),
      first1: await story("First, one", f1.key),
      loose: await story("No feature", null),
      third2: await story("Third, two", f3.key),
      second: await story("Second, one", f2.key),
      first2: await story("First, two", f1.key),
    };
    await story("Web story", f1.key, "web");
    const before = await teamOrder();
    const aligned = [s.first1, s.first2, s.second, s.third1, s.third2, s.loose].map((i) => i.key);

    const preview = await t.call("GET", "/arts/PAY/teams/core/alignment");
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ reorderId: null, dryRun: true, driftAfter: 0 });
    expect(preview.body.driftBefore).toBeGreaterThan(0);
    expect(preview.body.items.map((i: { key: string }) => i.key)).toEqual(aligned);
    expect(preview.body.items.map((i: { featureKey: string | null }) => i.featureKey)).toEqual([
      f1.key,
      f1.key,
      f2.key,
      f3.key,
      f3.key,
      null,
    ]);
    expect(preview.body.moved).toBe(
      preview.body.items.filter((i: { from: number; to: number }) => i.from !== i.to).length,
    );
    expect(await teamOrder()).toEqual(before);

    const po = await t.user("Pat Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
    const applied = await t.as(po)("POST", "/arts/PAY/teams/core/alignment", {});
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ dryRun: false, driftAfter: 0, reorderId: expect.any(String) });
    expect(await teamOrder()).toEqual(aligned);
    const after = await t.call("GET", "/arts/PAY/teams/core/alignment");
    expect(after.body).toMatchObject({ driftBefore: 0, driftAfter: 0, moved: 0 });
    expect((await teamOrder("web")).length).toBe(1);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);
  });

  it("follows the program backlog: moving a feature up moves its stories up when the team aligns again", async () => {
    const f1 = await feature("First");
    const f2 = await feature("Second");
    const a = await story("Of the first", f1.key);
    const b = await story("Of the second", f2.key);
    expect((await t.call("POST", "/arts/PAY/teams/core/alignment", {})).body.moved).toBe(0);
    expect((await moveTop(f2.key)).status).toBe(200);
    const drifted = await t.call("GET", "/arts/PAY/teams/core/alignment");
    expect(drifted.body.driftBefore).toBe(1);
    await t.call("POST", "/arts/PAY/teams/core/alignment", {});
    expect(await teamOrder()).toEqual([b.key, a.key]);
  });

  it("undoes an alignment in one step, restoring the team's previous order", async () => {
    const f1 = await feature("First");
    const f2 = await feature("Second");
    for (const [title, parent] of [
      ["b1", f2],
      ["a1", f1],
      ["b2", f2],
      ["a2", f1],
    ] as const) {
      await story(title, parent.key);
    }
    const before = await teamOrder();
    const po = await t.user("Pat Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
    const applied = await t.as(po)("POST", "/arts/PAY/teams/core/alignment", {});
    expect(await teamOrder()).not.toEqual(before);
    const undo = await t.as(po)("POST", `/arts/PAY/reorders/${applied.body.reorderId}/undo`);
    expect(undo.status).toBe(200);
    expect(await teamOrder()).toEqual(before);
    expect((await t.as(po)("POST", `/arts/PAY/reorders/${applied.body.reorderId}/undo`)).status).toBe(409);
  });

  // ── Concurrency ────────────────────────────────────────────────────────────────────────────────────────────

  it("serialises applies made at the same time: one reorders, the others find nothing to do", async () => {
    for (let i = 1; i <= 12; i++) {
      await feature(`Feature ${i}`, scores(WSJF_SCALE[i % 7] as number, 2, 1, WSJF_SCALE[(i * 3) % 7] as number));
    }
    const answers = await Promise.all([apply(), apply(), apply()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.reorderId !== null)).toHaveLength(1);
    expect((await apply({ dryRun: true })).body.moved).toBe(0);
    expect((await t.call("GET", "/check")).body).toMatchObject({ ok: true, problems: [] });
  });

  it("keeps ranks whole when applies with different pins, moves and an undo race each other", async () => {
    for (let i = 1; i <= 10; i++) {
      await feature(`Feature ${i}`, scores(WSJF_SCALE[(i * 5) % 7] as number, 3, 2, WSJF_SCALE[i % 7] as number));
    }
    const first = await apply({ pinned: ["PAY-1"] });
    const keys = await order();
    const answers = await Promise.all([
      apply({ pinned: ["PAY-2", "PAY-3"] }),
      apply({ pinned: ["PAY-10"] }),
      moveTop("PAY-5"),
      moveTop("PAY-7"),
      t.call("POST", `/arts/PAY/reorders/${first.body.reorderId}/undo`),
      apply(),
    ]);
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect([...(await order())].sort()).toEqual([...keys].sort());
    const check = await t.call("GET", "/check");
    expect(check.body).toMatchObject({ ok: true, items: 10, problems: [] });
  });
});

describeEachDatabase("the demo train's WSJF scores", (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(await database.createUrl(), { seedDemo: (by) => seedDemo(t.runtime.deps, { by }) });
    expect((await t.call("POST", "/demo")).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("loads scored features, a few with a missing input, in an order WSJF would change", async () => {
    const grid = (await t.call("GET", "/arts/DPT/wsjf?level=feature")).body;
    expect(grid.items.length).toBeGreaterThanOrEqual(40);
    expect(grid.scored).toBeGreaterThanOrEqual(grid.items.length * 0.8);
    expect(grid.scored).toBeLessThan(grid.items.length);
    expect(grid.anchored).toEqual({ businessValue: true, timeCriticality: true, riskReduction: true, jobSize: true });
    expect(grid.agreement).toBeLessThan(0.5);
    const preview = await t.call("POST", "/arts/DPT/wsjf/order", { dryRun: true });
    expect(preview.body.moved).toBeGreaterThan(grid.items.length / 2);
    for (const level of ["epic", "capability"]) {
      const portfolio = (await t.call("GET", `/arts/DPT/wsjf?level=${level}`)).body;
      expect(portfolio.items.length).toBeGreaterThan(0);
      expect(portfolio.scored).toBe(portfolio.items.length);
    }
  });
});
