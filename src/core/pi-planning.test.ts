import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocationOf,
  allocationProblem,
  type CapacityMember,
  capacityOf,
  confidenceOf,
  DEPENDENCY_STATES,
  type DependencyState,
  dependencyChangeProblem,
  dependencyCycles,
  dependencyHealth,
  landing,
  loadOf,
  normalizedCapacity,
  type PlannedStory,
  predictability,
  predictabilityBand,
  workingDays,
  workKindOf,
} from "./pi-planning.js";

const member = (availability: number, daysOff = 0): CapacityMember => ({
  name: "Ann",
  personId: null,
  availability,
  daysOff,
});
const story = (id: string, points: number | null, type: PlannedStory["type"] = "business", state = "ready") => ({
  id,
  points,
  type,
  state,
});

describe("working days", () => {
  it("a two-week iteration from Monday to the Friday after next has ten working days", () => {
    expect(workingDays("2026-01-05", "2026-01-16")).toBe(10);
  });

  it("a two-week iteration ending on a Sunday still has ten", () => {
    expect(workingDays("2026-01-05", "2026-01-18")).toBe(10);
  });

  it("a weekend has none, and an end before the start has none", () => {
    expect(workingDays("2026-01-10", "2026-01-11")).toBe(0);
    expect(workingDays("2026-01-16", "2026-01-05")).toBe(0);
  });

  it("counts every Monday to Friday between any two dates, both included", () => {
    const base = Date.UTC(2025, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 60 }), (offset, length) => {
        const day = (t: number) => new Date(t).toISOString().slice(0, 10);
        const start = base + offset * 86_400_000;
        let expected = 0;
        for (let i = 0; i <= length; i++) {
          const weekday = new Date(start + i * 86_400_000).getUTCDay();
          if (weekday !== 0 && weekday !== 6) expected++;
        }
        expect(workingDays(day(start), day(start + length * 86_400_000))).toBe(expected);
      }),
    );
  });
});

describe("normalized capacity", () => {
  it("a full-time person brings 8 points to a 10-day iteration", () => {
    expect(normalizedCapacity([member(100)], 10)).toBe(8);
  });

  it("takes one point off per day off and scales by availability", () => {
    expect(normalizedCapacity([member(100, 2)], 10)).toBe(6);
    expect(normalizedCapacity([member(50)], 10)).toBe(4);
    expect(normalizedCapacity([member(100), member(50, 1), member(100, 3)], 10)).toBe(8 + 3 + 5);
  });

  it("scales with the iteration's working days and never goes below zero for a person", () => {
    expect(normalizedCapacity([member(100)], 15)).toBe(12);
    expect(normalizedCapacity([member(20, 9), member(100)], 10)).toBe(8);
  });

  it("set points win over people, people count when there are any, otherwise capacity is not set", () => {
    expect(capacityOf({ members: [member(100)], points: 30 }, 10)).toEqual({ points: 30, source: "points" });
    expect(capacityOf({ members: [member(100), member(100)], points: null }, 10)).toEqual({
      points: 16,
      source: "people",
    });
    expect(capacityOf({ members: [], points: null }, 10)).toEqual({ points: null, source: null });
    expect(capacityOf(null, 10)).toEqual({ points: null, source: null });
  });
});

describe("load", () => {
  it("adds up the planned points, counts unestimated stories apart and leaves split stories out", () => {
    const load = loadOf([story("a", 5), story("b", null), story("c", 8, "business", "split"), story("d", 3)], 10);
    expect(load).toEqual({ load: 8, unestimated: 1, stories: 3, overloaded: false });
  });

  it("is overloaded only when over a set capacity", () => {
    expect(loadOf([story("a", 11)], 10).overloaded).toBe(true);
    expect(loadOf([story("a", 10)], 10).overloaded).toBe(false);
    expect(loadOf([story("a", 99)], null).overloaded).toBe(false);
  });
});

describe("capacity allocation", () => {
  it("maps item types to kinds of work", () => {
    expect([workKindOf("business"), workKindOf("enabler"), workKindOf("defect"), workKindOf("debt")]).toEqual([
      "business",
      "enabler",
      "maintenance",
      "maintenance",
    ]);
  });

  it("shows each kind's points and share against the policy's share of the capacity", () => {
    const shares = allocationOf(
      [story("a", 50), story("b", 30, "enabler"), story("c", 5, "defect"), story("d", 5, "debt")],
      100,
      { business: 70, enabler: 20, maintenance: 10 },
    );
    expect(shares).toEqual([
      { kind: "business", points: 50, share: 50 / 90, policyShare: 0.7, limit: 70, over: false },
      { kind: "enabler", points: 30, share: 30 / 90, policyShare: 0.2, limit: 20, over: true },
      { kind: "maintenance", points: 10, share: 10 / 90, policyShare: 0.1, limit: 10, over: false },
    ]);
  });

  it("has no limits without a policy and no shares without planned points", () => {
    for (const s of allocationOf([], 100, null)) expect(s).toMatchObject({ share: 0, limit: null, over: false });
  });

  it("accepts whole percents that add up to 100 and explains anything else", () => {
    expect(allocationProblem({ business: 70, enabler: 20, maintenance: 10 })).toBeNull();
    expect(allocationProblem({ business: 70, enabler: 20, maintenance: 20 })).toMatch(/110%/);
    expect(allocationProblem({ business: 70.5, enabler: 19.5, maintenance: 10 })).toMatch(/business.*whole percent/);
    expect(allocationProblem({ business: 120, enabler: -20, maintenance: 0 })).toMatch(/business/);
  });
});

describe("dependency changes", () => {
  const ok = { plannedIteration: 3, declineReason: null };

  it("commits with a planned iteration and not without one", () => {
    expect(dependencyChangeProblem("requested", "committed", ok)).toBeNull();
    expect(dependencyChangeProblem("requested", "committed", { ...ok, plannedIteration: null })?.field).toBe(
      "plannedIteration",
    );
  });

  it("declines only with a reason", () => {
    expect(dependencyChangeProblem("requested", "declined", { ...ok, declineReason: "  " })?.field).toBe(
      "declineReason",
    );
    expect(dependencyChangeProblem("committed", "declined", { ...ok, declineReason: "no people" })).toBeNull();
  });

  it("delivers only what was committed", () => {
    expect(dependencyChangeProblem("committed", "delivered", ok)).toBeNull();
    for (const from of ["requested", "declined"] as const) {
      expect(dependencyChangeProblem(from, "delivered", ok)?.field).toBe("state");
    }
  });

  it("reopens a delivered dependency only as committed, and a declined one as requested", () => {
    expect(dependencyChangeProblem("delivered", "committed", ok)).toBeNull();
    expect(dependencyChangeProblem("delivered", "requested", ok)?.field).toBe("state");
    expect(dependencyChangeProblem("delivered", "declined", { ...ok, declineReason: "x" })?.field).toBe("state");
    expect(dependencyChangeProblem("declined", "requested", ok)).toBeNull();
    expect(dependencyChangeProblem("committed", "requested", ok)).toBeNull();
  });
});

describe("dependency health", () => {
  const h = (provider: number | null, consumer: number | null, neededBy: number | null, state: DependencyState) =>
    dependencyHealth({ state, provider, consumer, neededBy });

  it("is healthy when the provider lands before the needed-by iteration, at risk in it, in conflict after it", () => {
    expect(h(2, null, 3, "requested")).toBe("healthy");
    expect(h(3, null, 3, "committed")).toBe("at_risk");
    expect(h(4, null, 3, "committed")).toBe("conflict");
  });

  it("takes the consumer's iteration as the deadline when it is earlier", () => {
    expect(h(3, 2, 5, "committed")).toBe("conflict");
    expect(h(2, 2, 5, "committed")).toBe("at_risk");
    expect(h(1, 2, null, "committed")).toBe("healthy");
  });

  it("is unplanned without a provider iteration, healthy once delivered, declined when declined", () => {
    expect(h(null, 2, 3, "requested")).toBe("unplanned");
    expect(h(null, 2, 3, "delivered")).toBe("healthy");
    expect(h(9, 2, 3, "declined")).toBe("declined");
  });

  it("matches the rule for every plan: conflict after either deadline, at risk on one, healthy before both", () => {
    const it = fc.option(fc.integer({ min: 1, max: 8 }), { nil: null });
    fc.assert(
      fc.property(fc.constantFrom(...DEPENDENCY_STATES), it, it, it, (state, provider, consumer, neededBy) => {
        let expected: string;
        if (state === "delivered") expected = "healthy";
        else if (state === "declined") expected = "declined";
        else if (provider === null) expected = "unplanned";
        else if ((neededBy !== null && provider > neededBy) || (consumer !== null && provider > consumer))
          expected = "conflict";
        else if (provider === neededBy || provider === consumer) expected = "at_risk";
        else expected = "healthy";
        expect(dependencyHealth({ state, provider, consumer, neededBy })).toBe(expected);
      }),
    );
  });
});

describe("landing", () => {
  it("a provider feature lands with its last story, a consumer feature needs it from its first", () => {
    expect(landing([3, null, 1, 2], "last")).toBe(3);
    expect(landing([3, null, 1, 2], "first")).toBe(1);
    expect(landing([null, null], "last")).toBeNull();
    expect(landing([], "first")).toBeNull();
  });
});

describe("dependency cycles", () => {
  const dep = (id: string, consumerId: string, providerId: string) => ({ id, consumerId, providerId });

  it("finds a circle of three items and leaves a chain alone", () => {
    const cycles = dependencyCycles([
      dep("d3", "c", "a"),
      dep("d1", "a", "b"),
      dep("d2", "b", "c"),
      dep("d4", "x", "a"),
      dep("d5", "y", "x"),
    ]);
    expect(cycles).toEqual([["d1", "d2", "d3"]]);
  });

  it("reports an item depending on itself, and separate circles separately", () => {
    expect(dependencyCycles([dep("z", "p", "q"), dep("y", "q", "p"), dep("s", "m", "m")])).toEqual([["s"], ["y", "z"]]);
  });

  it("finds no cycle in an empty or acyclic graph", () => {
    expect(dependencyCycles([])).toEqual([]);
    expect(dependencyCycles([dep("1", "a", "b"), dep("2", "a", "c"), dep("3", "b", "c")])).toEqual([]);
  });

  it("handles a chain of 20,000 items without running out of stack", () => {
    const deps = Array.from({ length: 20_000 }, (_, i) => dep(`d${i}`, `n${i}`, `n${i + 1}`));
    expect(dependencyCycles(deps)).toEqual([]);
    expect(dependencyCycles([...deps, dep("back", "n20000", "n0")])[0]).toHaveLength(20_001);
  });

  it("finds exactly the dependencies on a circle, grouped by mutual reachability (brute force)", () => {
    const node = fc.integer({ min: 0, max: 7 }).map((n) => `i${n}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(node, node), { maxLength: 16 }), (pairs) => {
        const deps = pairs.map(([c, p], i) => dep(`d${String(i).padStart(2, "0")}`, c, p));
        const reach = (from: string, to: string): boolean => {
          const seen = new Set([from]);
          const queue = [from];
          while (queue.length > 0) {
            const n = queue.shift() as string;
            if (n === to) return true;
            for (const d of deps)
              if (d.consumerId === n && !seen.has(d.providerId)) {
                seen.add(d.providerId);
                queue.push(d.providerId);
              }
          }
          return false;
        };
        // A dependency is on a circle when its provider leads back to its consumer.
        const cyclic = deps.filter((d) => reach(d.providerId, d.consumerId));
        const groups = new Map<string, string[]>();
        for (const d of cyclic) {
          const leader = [...new Set(deps.flatMap((e) => [e.consumerId, e.providerId]))]
            .sort()
            .find((n) => reach(n, d.consumerId) && reach(d.consumerId, n)) as string;
          groups.set(leader, [...(groups.get(leader) ?? []), d.id]);
        }
        const expected = [...groups.values()]
          .map((g) => g.sort())
          .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
        expect(dependencyCycles(deps)).toEqual(expected);
      }),
    );
  });
});

describe("predictability", () => {
  it("divides the actual value of all objectives by the planned value of the committed ones", () => {
    const result = predictability([
      { committed: true, plannedValue: 10, actualValue: 8 },
      { committed: true, plannedValue: 8, actualValue: 6 },
      { committed: false, plannedValue: 5, actualValue: 4 },
    ]);
    expect(result).toEqual({ planned: 18, actual: 18, percent: 100, band: "predictable" });
  });

  it("can exceed 100% when stretch objectives deliver", () => {
    const result = predictability([
      { committed: true, plannedValue: 10, actualValue: 10 },
      { committed: false, plannedValue: 7, actualValue: 7 },
    ]);
    expect(result.percent).toBe(170);
    expect(result.band).toBe("above");
  });

  it("is unknown without a committed planned value", () => {
    expect(predictability([{ committed: false, plannedValue: 5, actualValue: 5 }])).toEqual({
      planned: 0,
      actual: 5,
      percent: null,
      band: null,
    });
  });

  it("is unknown while no objective has its actual value yet", () => {
    const result = predictability([{ committed: true, plannedValue: 8, actualValue: null }]);
    expect(result).toEqual({ planned: 8, actual: 0, percent: null, band: null });
  });

  it("bands below 80, predictable from 80 to 100, above past 100", () => {
    expect([79.9, 80, 100, 100.1].map(predictabilityBand)).toEqual(["below", "predictable", "predictable", "above"]);
  });

  it("matches the formula for any set of objectives", () => {
    const value = fc.option(fc.integer({ min: 1, max: 10 }), { nil: null });
    const objective = fc.record({ committed: fc.boolean(), plannedValue: value, actualValue: value });
    fc.assert(
      fc.property(fc.array(objective, { maxLength: 12 }), (objectives) => {
        const planned = objectives.filter((o) => o.committed).reduce((a, o) => a + (o.plannedValue ?? 0), 0);
        const actual = objectives.reduce((a, o) => a + (o.actualValue ?? 0), 0);
        const result = predictability(objectives);
        expect(result.planned).toBe(planned);
        expect(result.actual).toBe(actual);
        if (planned === 0 || objectives.every((o) => o.actualValue === null)) expect(result.percent).toBeNull();
        else {
          expect(result.percent).toBeCloseTo((100 * actual) / planned, 10);
          const p = (100 * actual) / planned;
          expect(result.band).toBe(p < 80 ? "below" : p > 100 ? "above" : "predictable");
        }
      }),
    );
  });
});

describe("confidence vote", () => {
  it("counts the fingers and averages the votes", () => {
    expect(confidenceOf([3, 4, 4, 5, 1])).toEqual({ votes: 5, average: 3.4, distribution: [1, 0, 1, 2, 1] });
  });

  it("has no average without votes and leaves values outside one to five out", () => {
    expect(confidenceOf([])).toEqual({ votes: 0, average: null, distribution: [0, 0, 0, 0, 0] });
    expect(confidenceOf([0, 6, 2.5, 2])).toEqual({ votes: 1, average: 2, distribution: [0, 1, 0, 0, 0] });
  });
});
