import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alignToProgram,
  type Candidate,
  costOfDelay,
  driftFromProgram,
  isAnchored,
  missingInputs,
  placesFromWsjf,
  proposeWsjfOrder,
  reanchor,
  WSJF_SCALE,
  type WsjfInputs,
  wsjf,
  wsjfAgreement,
} from "./wsjf.js";

const inputs = (
  businessValue: number | null,
  timeCriticality: number | null,
  riskReduction: number | null,
  jobSize: number | null,
): WsjfInputs => ({
  businessValue,
  timeCriticality,
  riskReduction,
  jobSize,
});
const score = fc.option(fc.constantFrom(...WSJF_SCALE), { nil: null, freq: 5 });
const candidates = fc
  .array(fc.record({ bv: score, tc: score, rr: score, js: score }), { maxLength: 40 })
  .map((rows) => rows.map((r, i): Candidate => ({ id: `F${i}`, inputs: inputs(r.bv, r.tc, r.rr, r.js) })));

describe("WSJF", () => {
  it("computes Cost of Delay and WSJF as SAFe defines them (worked examples)", () => {
    // A feature of high value, some urgency, little risk reduction and medium size.
    expect(costOfDelay(inputs(13, 8, 3, 5))).toBe(24);
    expect(wsjf(inputs(13, 8, 3, 5))).toBe(4.8);
    // A small enabler that mostly reduces risk.
    expect(wsjf(inputs(1, 2, 13, 2))).toBe(8);
    // Thirds are rounded to two decimals.
    expect(wsjf(inputs(5, 3, 2, 3))).toBe(3.33);
  });

  it("leaves Cost of Delay and WSJF empty, not zero, while an input is missing, and says which", () => {
    expect(costOfDelay(inputs(13, null, 3, 5))).toBeNull();
    expect(wsjf(inputs(13, 8, 3, null))).toBeNull();
    expect(missingInputs(inputs(13, null, 3, null))).toEqual(["timeCriticality", "jobSize"]);
  });

  it("orders by WSJF, then Cost of Delay, then current rank, unscored last in their current order", () => {
    const backlog: Candidate[] = [
      { id: "unscored", inputs: inputs(null, null, null, null) },
      { id: "low", inputs: inputs(1, 1, 1, 3) },
      { id: "tie-small-cod", inputs: inputs(1, 1, 2, 1) },
      { id: "tie-big-cod", inputs: inputs(3, 3, 2, 2) },
      { id: "high", inputs: inputs(20, 13, 8, 1) },
    ];
    expect(proposeWsjfOrder(backlog)).toEqual(["high", "tie-big-cod", "tie-small-cod", "low", "unscored"]);
  });

  it("after applying, unpinned scored items are in non-increasing WSJF order and pinned items did not move", () => {
    fc.assert(
      fc.property(candidates, fc.array(fc.nat(39), { maxLength: 10 }), (backlog, pins) => {
        const pinned = new Set(pins.filter((i) => i < backlog.length).map((i) => `F${i}`));
        const order = proposeWsjfOrder(backlog, pinned);
        expect([...order].sort()).toEqual(backlog.map((c) => c.id).sort());
        backlog.forEach((c, i) => {
          if (pinned.has(c.id)) expect(order[i]).toBe(c.id);
        });
        const byId = new Map(backlog.map((c) => [c.id, c]));
        const free = order.filter((id) => !pinned.has(id)).map((id) => wsjf((byId.get(id) as Candidate).inputs));
        const scored = free.filter((w): w is number => w !== null);
        for (let i = 1; i < scored.length; i++) expect(scored[i]).toBeLessThanOrEqual(scored[i - 1] as number);
        const firstUnscored = free.indexOf(null);
        if (firstUnscored >= 0) expect(free.slice(firstUnscored).every((w) => w === null)).toBe(true);
      }),
    );
  });

  it("applying the proposed order again changes nothing", () => {
    fc.assert(
      fc.property(candidates, (backlog) => {
        const byId = new Map(backlog.map((c) => [c.id, c]));
        const once = proposeWsjfOrder(backlog);
        expect(proposeWsjfOrder(once.map((id) => byId.get(id) as Candidate))).toEqual(once);
      }),
    );
  });

  it("measures how far a backlog's rank is from WSJF", () => {
    const sorted: Candidate[] = [20, 13, 8, 5].map((bv, i) => ({ id: `F${i}`, inputs: inputs(bv, 1, 1, 1) }));
    expect(wsjfAgreement(sorted)).toBe(1);
    expect(wsjfAgreement([...sorted].reverse())).toBe(-1);
    expect(wsjfAgreement(sorted.slice(0, 1))).toBeNull();
    // Ties count for neither side: 2 concordant, 0 discordant, 1 tie among three pairs.
    expect(wsjfAgreement([20, 13, 13].map((bv, i) => ({ id: `T${i}`, inputs: inputs(bv, 1, 1, 1) })))).toBe(1);
    expect(wsjfAgreement([13, 20, 13].map((bv, i) => ({ id: `T${i}`, inputs: inputs(bv, 1, 1, 1) })))).toBe(0);
    // The same tau as counting every pair one by one.
    fc.assert(
      fc.property(candidates, (backlog) => {
        const scores = backlog.map((c) => wsjf(c.inputs)).filter((w): w is number => w !== null);
        let concordant = 0;
        let discordant = 0;
        scores.forEach((a, i) => {
          for (const b of scores.slice(i + 1)) {
            if (a > b) concordant++;
            else if (a < b) discordant++;
          }
        });
        const pairs = concordant + discordant;
        const expected =
          scores.length < 2 ? null : pairs === 0 ? 1 : Math.round(((concordant - discordant) / pairs) * 1000) / 1000;
        expect(wsjfAgreement(backlog)).toBe(expected);
      }),
    );
    const places = placesFromWsjf([...sorted].reverse());
    expect(places.get("F3")).toBe(3); // ranked first, WSJF says fourth: three places above
    expect(places.get("F0")).toBe(-3);
  });

  it("knows an anchored column and re-anchors one to 1, keeping ratios on the scale", () => {
    expect(isAnchored([1, 5, null])).toBe(true);
    expect(isAnchored([3, 5, 8])).toBe(false);
    expect(isAnchored([null])).toBe(true);
    expect(reanchor([3, 5, 8, null, 20])).toEqual([1, 2, 3, null, 8]);
    fc.assert(
      fc.property(fc.array(score, { minLength: 1, maxLength: 20 }), (column) => {
        const again = reanchor(column);
        expect(isAnchored(again)).toBe(true);
        again.forEach((v, i) => {
          expect(v === null).toBe(column[i] === null);
          if (v !== null) expect(WSJF_SCALE).toContain(v);
        });
      }),
    );
  });
});

describe("carrying feature rank down to a team backlog", () => {
  it("orders stories by their feature's program rank, keeping the team's order within a feature", () => {
    const stories = [
      { id: "s1", parentId: "B" },
      { id: "s2", parentId: null },
      { id: "s3", parentId: "A" },
      { id: "s4", parentId: "B" },
      { id: "s5", parentId: "A" },
    ];
    expect(alignToProgram(stories, ["A", "B"])).toEqual(["s3", "s5", "s1", "s4", "s2"]);
    expect(driftFromProgram(stories, ["A", "B"])).toBeGreaterThan(0);
    const aligned = alignToProgram(stories, ["A", "B"]).map(
      (id) => stories.find((s) => s.id === id) as (typeof stories)[number],
    );
    expect(driftFromProgram(aligned, ["A", "B"])).toBe(0);
  });

  it("is stable: aligning an aligned backlog changes nothing, and drift is between 0 and 1", () => {
    const story = fc.record({ id: fc.uuid(), parentId: fc.option(fc.constantFrom("A", "B", "C", "X"), { nil: null }) });
    fc.assert(
      fc.property(fc.uniqueArray(story, { selector: (s) => s.id, maxLength: 30 }), (stories) => {
        const order = ["A", "B", "C"];
        const once = alignToProgram(stories, order);
        const byId = new Map(stories.map((s) => [s.id, s]));
        expect(
          alignToProgram(
            once.map((id) => byId.get(id) as (typeof stories)[number]),
            order,
          ),
        ).toEqual(once);
        const d = driftFromProgram(stories, order);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
      }),
    );
  });
});
