import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cd3,
  cd3Missing,
  type EconomicInputs,
  type EconomicItem,
  economicProblems,
  economicsView,
  fixedDateDelayCost,
  latestStart,
  ordersAgreement,
  proposeCd3Order,
  slackWeeks,
  URGENCY_PROFILES,
} from "./economics.js";
import type { WsjfInputs } from "./wsjf.js";

const econ = (
  costOfDelayPerWeek: number | null,
  durationWeeks: number | null,
  urgency: EconomicInputs["urgency"] = "standard",
  fixedDate: string | null = null,
): EconomicInputs => ({ costOfDelayPerWeek, durationWeeks, urgency, fixedDate });

const noWsjf: WsjfInputs = { businessValue: null, timeCriticality: null, riskReduction: null, jobSize: null };
const item = (id: string, economics: EconomicInputs, inputs: WsjfInputs = noWsjf): EconomicItem => ({
  id,
  key: id,
  title: id,
  type: "business",
  version: 1,
  inputs,
  economics,
});

describe("CD3", () => {
  it("divides the cost of delay per week by the duration in weeks, to two decimals", () => {
    expect(cd3(10_000, 4)).toBe(2500);
    expect(cd3(1000, 3)).toBe(333.33);
    expect(cd3(0, 2)).toBe(0);
  });

  it("stays empty (not 0) while the cost of delay or the duration is missing, and says which", () => {
    expect(cd3(null, 4)).toBeNull();
    expect(cd3(5000, null)).toBeNull();
    expect(cd3Missing(econ(null, null))).toEqual(["costOfDelayPerWeek", "durationWeeks"]);
    expect(cd3Missing(econ(5000, 2))).toEqual([]);
  });
});

describe("a fixed-date item", () => {
  it("must start by its date less its duration", () => {
    expect(latestStart("2026-03-12", 4)).toBe("2026-02-12");
    expect(latestStart("2026-03-12", 1.5)).toBe("2026-03-01"); // 10.5 days, rounded up to 11
  });

  it("has the weeks until that latest start as slack, negative once it is too late", () => {
    expect(slackWeeks("2026-01-01", "2026-03-12", 4)).toBe(6);
    expect(slackWeeks("2026-03-01", "2026-03-12", 4)).toBe(-2.4);
  });

  it("costs nothing while work starts in time, then the full cost of delay for every week late", () => {
    // Due in 6 weeks, takes 4: starting in week 0, 1 or 2 meets the date; week 3 finishes one week late.
    const curve = fixedDateDelayCost("2026-01-01", econ(1000, 4, "fixed_date", "2026-02-12"), 6);
    expect(curve.map((p) => p.delayCost)).toEqual([0, 0, 0, 1000, 2000, 3000, 4000]);
    expect(curve.map((p) => p.startOn).slice(0, 3)).toEqual(["2026-01-01", "2026-01-08", "2026-01-15"]);
  });

  it("has no curve without a date, a cost of delay or a duration", () => {
    expect(fixedDateDelayCost("2026-01-01", econ(1000, 4), 6)).toEqual([]);
    expect(fixedDateDelayCost("2026-01-01", econ(null, 4, "fixed_date", "2026-02-12"), 6)).toEqual([]);
  });

  it("never costs less by starting later, and costs nothing exactly until its slack runs out", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 200 }).map((d) => d / 10),
        fc.integer({ min: -20, max: 60 }),
        (cod, duration, weeksAway) => {
          const date = new Date(Date.UTC(2026, 0, 1 + weeksAway * 7)).toISOString().slice(0, 10);
          const curve = fixedDateDelayCost("2026-01-01", econ(cod, duration, "fixed_date", date), 30);
          const slack = slackWeeks("2026-01-01", date, duration);
          for (let w = 1; w < curve.length; w++) {
            expect((curve[w]?.delayCost as number) >= (curve[w - 1]?.delayCost as number)).toBe(true);
          }
          for (const p of curve) if (p.week <= slack) expect(p.delayCost).toBe(0);
          for (const p of curve) if (p.week > slack + 0.15 && cod > 0) expect(p.delayCost).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe("the economic fields of an item", () => {
  it("accept a fixed-date item with its date and plain numbers", () => {
    expect(
      economicProblems({
        level: "feature",
        costOfDelayPerWeek: 0,
        durationWeeks: 2.5,
        urgency: "fixed_date",
        fixedDate: "2026-06-30",
      }),
    ).toEqual([]);
  });

  it("reject a fixed-date item without a date, and a date on any other profile", () => {
    expect(economicProblems({ level: "feature", urgency: "fixed_date", fixedDate: null })).toEqual([
      { path: "fixedDate", message: "a fixed-date item needs its date" },
    ]);
    expect(economicProblems({ level: "feature", urgency: "standard", fixedDate: "2026-06-30" })[0]?.path).toBe(
      "fixedDate",
    );
    expect(economicProblems({ level: "feature", urgency: null, fixedDate: "2026-06-30" })[0]?.path).toBe("fixedDate");
  });

  it("reject a negative cost of delay, a duration of 0 or with two decimals, and a date that does not exist", () => {
    const paths = (e: Partial<EconomicInputs>) => economicProblems({ level: "epic", ...e }).map((p) => p.path);
    expect(paths({ costOfDelayPerWeek: -1 })).toEqual(["costOfDelayPerWeek"]);
    expect(paths({ durationWeeks: 0 })).toEqual(["durationWeeks"]);
    expect(paths({ durationWeeks: 2.55 })).toEqual(["durationWeeks"]);
    expect(paths({ urgency: "fixed_date", fixedDate: "2026-02-30" })).toEqual(["fixedDate"]);
  });

  it("are refused on stories, naming each field given", () => {
    expect(
      economicProblems({ level: "story", costOfDelayPerWeek: 10, urgency: "standard", durationWeeks: null }).map(
        (p) => p.path,
      ),
    ).toEqual(["costOfDelayPerWeek", "urgency"]);
  });
});

describe("the CD3 order", () => {
  it("puts expedite first, then the highest CD3, ties by cost of delay then rank, and items without CD3 last", () => {
    const order = proposeCd3Order([
      item("unsized", econ(9000, null)),
      item("low", econ(1000, 2)),
      item("tie-small", econ(2000, 2)),
      item("tie-big", econ(4000, 4)),
      item("urgent", econ(null, null, "expedite")),
      item("high", econ(9000, 1)),
      item("tie-big-later", econ(4000, 4)),
    ]);
    expect(order).toEqual(["urgent", "high", "tie-big", "tie-big-later", "tie-small", "low", "unsized"]);
  });

  it("keeps every item and sorts the scored non-expedite ones by non-increasing CD3", () => {
    const cod = fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null, freq: 5 });
    const duration = fc.option(
      fc.integer({ min: 1, max: 100 }).map((d) => d / 10),
      { nil: null, freq: 5 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cod, duration, fc.constantFrom(...URGENCY_PROFILES)), { maxLength: 40 }),
        (rows) => {
          const items = rows.map(([c, d, u], i) => item(`i${i}`, econ(c, d, u === "fixed_date" ? "standard" : u)));
          const order = proposeCd3Order(items);
          expect([...order].sort()).toEqual(items.map((i) => i.id).sort());
          const byId = new Map(items.map((i) => [i.id, i.economics]));
          const scores = order
            .map((id) => byId.get(id) as EconomicInputs)
            .filter((e) => e.urgency !== "expedite")
            .map((e) => cd3(e.costOfDelayPerWeek, e.durationWeeks));
          const scored = scores.filter((s): s is number => s !== null);
          expect(scores.slice(0, scored.length)).toEqual(scored);
          for (let i = 1; i < scored.length; i++)
            expect(scored[i - 1] as number).toBeGreaterThanOrEqual(scored[i] as number);
        },
      ),
    );
  });
});

describe("the economic view", () => {
  const wsjfOf = (bv: number, js: number): WsjfInputs => ({
    businessValue: bv,
    timeCriticality: 1,
    riskReduction: 1,
    jobSize: js,
  });

  it("sets the WSJF order beside the CD3 order, with each item's positions and how far the two agree", () => {
    const view = economicsView("feature", "2026-01-01", [
      item("a", econ(1000, 4), wsjfOf(20, 1)),
      item("b", econ(8000, 2), wsjfOf(8, 2)),
      item("c", econ(4000, 1, "fixed_date", "2026-02-12"), wsjfOf(1, 5)),
      item("d", econ(null, 3), wsjfOf(3, 3)),
    ]);
    expect(view.wsjfOrder).toEqual(["a", "b", "d", "c"]);
    expect(view.cd3Order).toEqual(["b", "c", "a", "d"]);
    const c = view.items.find((i) => i.id === "c");
    expect(c).toMatchObject({ cd3: 4000, wsjfPosition: 4, cd3Position: 2, latestStart: "2026-02-05", slackWeeks: 5 });
    expect(view.items.find((i) => i.id === "d")?.missing).toEqual(["costOfDelayPerWeek"]);
    // Over a, b, c: WSJF says a, b, c; CD3 says b, c, a — one pair of three agrees.
    expect(view.agreement).toBe(-0.333);
    expect(Object.keys(view.curves)).toEqual(["c"]);
    expect(view.curves.c?.[6]?.delayCost).toBe(4000);
  });

  it("agrees fully when both orders are the same, and is empty with fewer than two comparable items", () => {
    expect(ordersAgreement(["a", "b", "c"], ["a", "b", "c"], new Set(["a", "b", "c"]))).toBe(1);
    expect(ordersAgreement(["a", "b", "c"], ["c", "b", "a"], new Set(["a", "b", "c"]))).toBe(-1);
    expect(ordersAgreement(["a", "b"], ["b", "a"], new Set(["a"]))).toBeNull();
  });
});
