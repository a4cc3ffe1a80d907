import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workKindOf } from "./pi-planning.js";
import {
  type PlanDependency,
  type PlanInput,
  type PlanIteration,
  type PlanProposal,
  type PlanStory,
  proposePlan,
} from "./plan-proposal.js";
import { WORK_KINDS } from "./train.js";
import { ITEM_TYPES } from "./work-item.js";

/** Iteration 1 has started; Iterations 2–4 are open; IP 5 is not planned into. */
const ITERATIONS: PlanIteration[] = [
  { id: "it1", order: 1, name: "Iteration 1", open: false },
  { id: "it2", order: 2, name: "Iteration 2", open: true },
  { id: "it3", order: 3, name: "Iteration 3", open: true },
  { id: "it4", order: 4, name: "Iteration 4", open: true },
  { id: "ip5", order: 5, name: "IP 5", open: false },
];
const TEAMS = [
  { id: "core", name: "Core" },
  { id: "web", name: "Web" },
];

let nextPriority = 0;
function story(key: string, points: number | null, more: Partial<PlanStory> = {}): PlanStory {
  return {
    id: key.toLowerCase(),
    key,
    teamId: "core",
    points,
    type: "business",
    featureId: null,
    priority: nextPriority++,
    iterationId: null,
    locked: false,
    ...more,
  };
}
const dep = (id: string, consumer: string, provider: string, neededBy: number | null = null): PlanDependency => ({
  id,
  consumerIds: [consumer],
  providerIds: [provider],
  neededBy,
});

function plan(stories: PlanStory[], more: Partial<PlanInput> = {}): PlanProposal {
  return proposePlan({
    iterations: ITERATIONS,
    capacity: { core: { it2: 10, it3: 10, it4: 10 }, web: { it2: 10, it3: 10, it4: 10 } },
    stories,
    dependencies: [],
    allocation: null,
    teams: TEAMS,
    ...more,
  });
}
const placed = (p: PlanProposal) => Object.fromEntries(p.placements.map((m) => [m.storyId, m.to]));
const reasonOf = (p: PlanProposal, id: string) => p.placements.find((m) => m.storyId === id)?.reason;
const unplacedReason = (p: PlanProposal, id: string) => p.unplaced.find((u) => u.storyId === id)?.reason;

describe("proposing a plan", () => {
  it("fills each team's earliest open iteration with room, in priority order", () => {
    const p = plan([story("PAY-1", 8), story("PAY-2", 5), story("PAY-3", 2), story("PAY-4", 8)]);
    expect(placed(p)).toEqual({ "pay-1": "it2", "pay-2": "it3", "pay-3": "it2", "pay-4": "it4" });
    expect(reasonOf(p, "pay-1")).toBe(
      "1st in priority order; Iteration 2 is the first open iteration and has room (2 of 10 points left in Core).",
    );
    expect(reasonOf(p, "pay-2")).toBe(
      "2nd in priority order; Iteration 3 is the earliest iteration with room (5 of 10 points left in Core).",
    );
    expect(p.unplaced).toEqual([]);
  });

  it("lists every candidate in priority order, ties broken by id", () => {
    const p = plan([
      story("PAY-3", 1, { priority: 1 }),
      story("PAY-2", 1, { priority: 1 }),
      story("PAY-1", 1, { priority: 0 }),
    ]);
    expect(p.placements.map((m) => m.storyId)).toEqual(["pay-1", "pay-2", "pay-3"]);
  });

  it("never moves locked stories and counts their points first", () => {
    const p = plan([
      story("PAY-1", 8, { locked: true, iterationId: "it2" }),
      story("PAY-2", 5, { locked: true, iterationId: "it1" }),
      story("PAY-3", 3),
    ]);
    expect(p.placements.map((m) => m.storyId)).toEqual(["pay-3"]);
    expect(placed(p)).toEqual({ "pay-3": "it3" });
    expect(p.load.find((l) => l.teamId === "core" && l.iterationId === "it2")).toEqual({
      teamId: "core",
      iterationId: "it2",
      capacity: 10,
      before: 8,
      after: 8,
    });
  });

  it("keeps a story in its open iteration while it still fits, and takes it out when it no longer does", () => {
    const p = plan(
      [story("PAY-1", 6), story("PAY-2", 4, { iterationId: "it4" }), story("PAY-3", 6, { iterationId: "it2" })],
      { capacity: { core: { it2: 10, it3: 0, it4: 4 } } },
    );
    expect(placed(p)).toEqual({ "pay-1": "it2", "pay-2": "it4", "pay-3": null });
    expect(reasonOf(p, "pay-2")).toBe(
      "2nd in priority order; stays in Iteration 4: still fits (0 of 4 points left in Core).",
    );
    expect(p.placements.find((m) => m.storyId === "pay-3")).toMatchObject({ from: "it2", to: null });
    expect(unplacedReason(p, "pay-3")).toBe("no room in Core for 6 points in any open iteration");
    expect(p.load.filter((l) => l.teamId === "core").map((l) => [l.before, l.after])).toEqual([
      [6, 6],
      [0, 0],
      [4, 4],
    ]);
  });

  it("places a provider before its consumer, pulling it ahead of its own priority", () => {
    const p = plan([story("PAY-1", 3, { teamId: "web" }), story("PAY-2", 5), story("PAY-3", 8)], {
      dependencies: [dep("d1", "pay-1", "pay-3")],
    });
    expect(placed(p)).toEqual({ "pay-1": "it3", "pay-2": "it3", "pay-3": "it2" });
    expect(reasonOf(p, "pay-3")).toBe(
      "3rd in priority order, taken early because PAY-1 depends on it; Iteration 2 is the first open iteration and has room (2 of 10 points left in Core).",
    );
    expect(reasonOf(p, "pay-1")).toBe(
      "1st in priority order; Iteration 3 is the earliest after PAY-3 in Iteration 2 (7 of 10 points left in Web).",
    );
  });

  it("places a consumer after the latest of its providers", () => {
    const p = plan([story("PAY-1", 2, { teamId: "web" }), story("PAY-2", 9), story("PAY-3", 9)], {
      dependencies: [{ id: "d1", consumerIds: ["pay-1"], providerIds: ["pay-2", "pay-3"], neededBy: null }],
    });
    expect(placed(p)).toEqual({ "pay-1": "it4", "pay-2": "it2", "pay-3": "it3" });
    expect(reasonOf(p, "pay-1")).toBe(
      "1st in priority order; Iteration 4 is the earliest after PAY-3 in Iteration 3 (8 of 10 points left in Web).",
    );
  });

  it("explains when the provider finds no room before the needed-by iteration", () => {
    const p = plan([story("PAY-1", 9), story("PAY-2", 5), story("PAY-12", 1, { teamId: "web" })], {
      dependencies: [dep("d1", "pay-12", "pay-2", 3)],
    });
    expect(placed(p)).toEqual({ "pay-1": "it2", "pay-2": null, "pay-12": null });
    expect(unplacedReason(p, "pay-2")).toBe("no room in Core before Iteration 3 (needed by PAY-12)");
    expect(unplacedReason(p, "pay-12")).toBe("waits on PAY-2, which cannot be placed");
  });

  it("names the dependency's consumer item when given, and says when no open iteration is early enough", () => {
    const p = plan([story("PAY-2", 1)], {
      dependencies: [{ ...dep("d1", "missing", "pay-2", 2), consumerKey: "PAY-F7" }],
    });
    expect(unplacedReason(p, "pay-2")).toBe("no open iteration before Iteration 2 (needed by PAY-F7)");
  });

  it("keeps a provider before a consumer that is already locked in place", () => {
    const p = plan(
      [story("PAY-1", 2, { locked: true, iterationId: "it3", teamId: "web" }), story("PAY-2", 9), story("PAY-3", 2)],
      {
        dependencies: [dep("d1", "pay-1", "pay-3")],
      },
    );
    expect(unplacedReason(p, "pay-3")).toBe("no room in Core before Iteration 3 (PAY-1 is planned there)");
  });

  it("leaves out stories that are not estimated or whose team has no capacity set", () => {
    const p = plan([story("PAY-1", null), story("PAY-2", 3, { teamId: "data" })]);
    expect(p.unplaced).toEqual([
      { storyId: "pay-1", reason: "not estimated" },
      { storyId: "pay-2", reason: "no capacity set for team data" },
    ]);
    expect(reasonOf(p, "pay-1")).toBe("1st in priority order; not placed: not estimated.");
  });

  it("holds each kind of work to its share of the train's capacity for the PI", () => {
    // 170 points of capacity in the PI: 20% for enablers = 34 points.
    const p = plan(
      [
        story("PAY-1", 20, { type: "enabler", locked: true, iterationId: "it2" }),
        story("PAY-2", 13, { type: "enabler" }),
        story("PAY-3", 2, { type: "enabler" }),
        story("PAY-4", 1, { type: "enabler" }),
      ],
      {
        capacity: { core: { it2: 40, it3: 40, it4: 40 }, web: { it2: 20, it3: 20, it4: 10 } },
        allocation: { business: 70, enabler: 20, maintenance: 10 },
      },
    );
    expect(p.capacity).toBe(170);
    expect(placed(p)).toEqual({ "pay-2": "it2", "pay-3": null, "pay-4": "it2" });
    expect(unplacedReason(p, "pay-3")).toBe("enabler allocation full (20% = 34 points)");
    expect(p.allocation.find((a) => a.kind === "enabler")).toMatchObject({ points: 34, limit: 34, over: false });
  });

  it("counts work already done in a started iteration against its kind's share, as the Plan screen does", () => {
    // 40 + 3 × 40 = 160 points in the PI: 10% for maintenance = 16 points, 12 of them done in Iteration 1.
    const p = plan(
      [
        story("PAY-1", 12, { type: "defect", locked: true, iterationId: "it1" }),
        story("PAY-2", 5, { type: "debt" }),
        story("PAY-3", 3, { type: "defect" }),
      ],
      {
        capacity: { core: { it1: 40, it2: 40, it3: 40, it4: 40 } },
        allocation: { business: 70, enabler: 20, maintenance: 10 },
      },
    );
    expect(p.capacity).toBe(160);
    expect(placed(p)).toEqual({ "pay-2": null, "pay-3": "it2" });
    expect(unplacedReason(p, "pay-2")).toBe("maintenance allocation full (10% = 16 points)");
  });

  it("leaves stories in a dependency cycle out, and what waits on them", () => {
    const p = plan([story("PAY-1", 1), story("PAY-2", 1), story("PAY-3", 1), story("PAY-4", 1)], {
      dependencies: [
        dep("d1", "pay-1", "pay-2"),
        dep("d2", "pay-2", "pay-3"),
        dep("d3", "pay-3", "pay-1"),
        dep("d4", "pay-4", "pay-1"),
      ],
    });
    expect(p.unplaced).toEqual([
      { storyId: "pay-1", reason: "dependency cycle with PAY-2, PAY-3" },
      { storyId: "pay-2", reason: "dependency cycle with PAY-1, PAY-3" },
      { storyId: "pay-3", reason: "dependency cycle with PAY-1, PAY-2" },
      { storyId: "pay-4", reason: "waits on PAY-1, which cannot be placed" },
    ]);
  });

  it("places nothing when no iteration is open", () => {
    const p = plan([story("PAY-1", 1)], { iterations: ITERATIONS.map((i) => ({ ...i, open: false })) });
    expect(unplacedReason(p, "pay-1")).toBe("no open iteration to plan into");
    expect(p.load).toEqual([]);
  });
});

// ---- properties ----

const arbitraryInput: fc.Arbitrary<PlanInput> = fc
  .record({
    iterationCount: fc.integer({ min: 2, max: 5 }),
    started: fc.integer({ min: 0, max: 1 }),
    teamCount: fc.integer({ min: 2, max: 3 }),
    capacities: fc.array(fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 10 }), {
      minLength: 15,
      maxLength: 15,
    }),
    stories: fc.array(
      fc.record({
        /** 9: a team with no capacity set. */
        team: fc.integer({ min: 0, max: 9 }),
        points: fc.option(fc.constantFrom(0, 1, 1, 2, 2, 3, 3, 5, 8, 13), { nil: null, freq: 12 }),
        type: fc.constantFrom(...ITEM_TYPES),
        priority: fc.integer({ min: 0, max: 15 }),
        iteration: fc.integer({ min: -1, max: 4 }),
        locked: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      }),
      { minLength: 4, maxLength: 30, size: "medium" },
    ),
    deps: fc.array(
      fc.record({
        consumers: fc.array(fc.nat(14), { minLength: 1, maxLength: 3 }),
        providers: fc.array(fc.nat(14), { minLength: 1, maxLength: 3 }),
        neededBy: fc.option(fc.integer({ min: 2, max: 6 }), { nil: null, freq: 2 }),
        /** Most dependencies point from a later story to an earlier one (no cycle); some go anywhere. */
        anywhere: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      }),
      { maxLength: 12, size: "medium" },
    ),
    policy: fc.option(
      fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => ({
        business: Math.min(a, b),
        enabler: Math.max(a, b) - Math.min(a, b),
        maintenance: 100 - Math.max(a, b),
      })),
      { nil: null, freq: 2 },
    ),
  })
  .map((r) => {
    const iterations: PlanIteration[] = Array.from({ length: r.iterationCount }, (_, i) => ({
      id: `it${i}`,
      order: i + 1,
      name: `Iteration ${i + 1}`,
      open: i >= r.started,
    }));
    const teams = Array.from({ length: r.teamCount }, (_, t) => `team${t}`);
    const capacity: PlanInput["capacity"] = {};
    teams.forEach((t, ti) => {
      capacity[t] = Object.fromEntries(iterations.map((it, ii) => [it.id, r.capacities[ti * 5 + ii] ?? null]));
    });
    const stories: PlanStory[] = r.stories.map((s, i) => {
      const iteration = iterations[s.iteration];
      const closed = iteration !== undefined && !iteration.open;
      return {
        id: `s${String(i).padStart(2, "0")}`,
        key: `PAY-${i}`,
        teamId: s.team === 9 ? "team9" : `team${s.team % r.teamCount}`,
        points: s.points,
        type: s.type,
        featureId: null,
        priority: s.priority,
        iterationId: iteration?.id ?? null,
        locked: s.locked || closed,
      };
    });
    const ids = (ns: number[]) => ns.map((n) => (n < stories.length ? `s${String(n).padStart(2, "0")}` : `x${n}`));
    const dependencies: PlanDependency[] = r.deps.map((d, i) => {
      const after = Math.max(...d.consumers) + 1;
      return {
        id: `d${i}`,
        consumerIds: ids(d.consumers),
        providerIds: ids(d.anywhere ? d.providers : d.providers.map((n) => after + (n % 4))),
        neededBy: d.neededBy,
      };
    });
    return { iterations, capacity, stories, dependencies, allocation: r.policy };
  });

/** Where each story ends up after the proposal: an iteration order, or null. */
function finalOrders(input: PlanInput, p: PlanProposal): Map<string, number | null> {
  const orderOf = new Map(input.iterations.map((i) => [i.id, i.order]));
  const to = new Map(p.placements.map((m) => [m.storyId, m.to]));
  return new Map(
    input.stories.map((s) => {
      const id = s.locked ? s.iterationId : (to.get(s.id) ?? null);
      return [s.id, id === null ? null : (orderOf.get(id) ?? null)];
    }),
  );
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("proposal properties", () => {
  it("never overloads an open iteration it places a story in, locked load counted", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const p = proposePlan(input);
        const open = new Set(input.iterations.filter((i) => i.open).map((i) => i.id));
        const load = new Map<string, number>();
        const gotNew = new Set<string>();
        const to = new Map(p.placements.map((m) => [m.storyId, m.to]));
        for (const s of input.stories) {
          const at = s.locked ? s.iterationId : to.get(s.id);
          if (!at || !open.has(at)) continue;
          const cell = `${s.teamId}/${at}`;
          load.set(cell, (load.get(cell) ?? 0) + (s.points ?? 0));
          if (!s.locked) gotNew.add(cell);
        }
        for (const cell of gotNew) {
          const [team, iteration] = cell.split("/") as [string, string];
          const capacity = input.capacity[team]?.[iteration] ?? null;
          expect(capacity).not.toBeNull();
          expect(load.get(cell)).toBeLessThanOrEqual(capacity as number);
          expect(p.load.find((l) => l.teamId === team && l.iterationId === iteration)?.after).toBe(load.get(cell));
        }
        for (const m of p.placements) if (m.to !== null) expect(open.has(m.to)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("places every provider strictly before its consumers and before the needed-by iteration", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const p = proposePlan(input);
        const at = finalOrders(input, p);
        const candidate = new Set(input.stories.filter((s) => !s.locked).map((s) => s.id));
        for (const d of input.dependencies) {
          for (const pr of d.providerIds) {
            const po = at.get(pr) ?? null;
            if (po === null) continue;
            if (candidate.has(pr) && d.neededBy !== null) expect(po).toBeLessThan(d.neededBy);
            for (const c of d.consumerIds) {
              const co = at.get(c) ?? null;
              if (co === null || (!candidate.has(pr) && !candidate.has(c))) continue;
              expect(po, `${pr} provides for ${c} in ${d.id}`).toBeLessThan(co);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps each kind of work within its share of the PI's capacity", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const policy = input.allocation;
        if (policy === null) return;
        const p = proposePlan(input);
        const all = input.iterations.map((i) => i.id);
        const total = Object.values(input.capacity).reduce(
          (sum, team) => sum + all.reduce((a, i) => a + (team[i] ?? 0), 0),
          0,
        );
        const to = new Map(p.placements.map((m) => [m.storyId, m.to]));
        for (const kind of WORK_KINDS) {
          const ofKind = input.stories.filter((s) => workKindOf(s.type) === kind);
          const locked = ofKind
            .filter((s) => s.locked && s.iterationId !== null && all.includes(s.iterationId))
            .reduce((a, s) => a + (s.points ?? 0), 0);
          const placedStories = ofKind.filter((s) => !s.locked && to.get(s.id));
          if (placedStories.length === 0) continue;
          const points = placedStories.reduce((a, s) => a + (s.points ?? 0), 0);
          expect(locked + points).toBeLessThanOrEqual((policy[kind] / 100) * total + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("lists every candidate once in priority order, never a locked story, and unplaced exactly when not placed", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const p = proposePlan(input);
        const expected = input.stories
          .filter((s) => !s.locked)
          .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1))
          .map((s) => s.id);
        expect(p.placements.map((m) => m.storyId)).toEqual(expected);
        for (const m of p.placements) {
          expect(m.from).toBe(input.stories.find((s) => s.id === m.storyId)?.iterationId);
          expect(m.reason.length).toBeGreaterThan(0);
        }
        expect(p.unplaced.map((u) => u.storyId)).toEqual(
          p.placements.filter((m) => m.to === null).map((m) => m.storyId),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same proposal for the same input in any order", () => {
    fc.assert(
      fc.property(arbitraryInput, fc.integer({ min: 1, max: 1_000_000 }), (input, seed) => {
        const first = proposePlan(input);
        expect(proposePlan(input)).toEqual(first);
        const reordered: PlanInput = {
          ...input,
          iterations: shuffled(input.iterations, seed),
          stories: shuffled(input.stories, seed + 1),
          dependencies: shuffled(input.dependencies, seed + 2).map((d, i) => ({
            ...d,
            consumerIds: shuffled(d.consumerIds, seed + 3 + i),
            providerIds: shuffled(d.providerIds, seed + 4 + i),
          })),
          capacity: Object.fromEntries(shuffled(Object.entries(input.capacity), seed + 5)),
        };
        expect(proposePlan(reordered)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it("places every estimated story when there is ample room and nothing else constrains it", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const roomy: PlanInput = {
          ...input,
          iterations: input.iterations.map((i) => ({ ...i, open: true })),
          capacity: Object.fromEntries(
            [...new Set(input.stories.map((s) => s.teamId))].map((t) => [
              t,
              Object.fromEntries(input.iterations.map((i) => [i.id, 1_000])),
            ]),
          ),
          stories: input.stories.map((s) => ({ ...s, locked: false })),
          dependencies: [],
          allocation: null,
        };
        const p = proposePlan(roomy);
        for (const m of p.placements) {
          const s = roomy.stories.find((x) => x.id === m.storyId) as PlanStory;
          expect(m.to === null).toBe(s.points === null);
          if (s.iterationId !== null) expect(m.to ?? s.iterationId).toBe(s.iterationId);
        }
      }),
      { numRuns: 100 },
    );
  });
});
