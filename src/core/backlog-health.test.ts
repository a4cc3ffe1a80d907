import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  capacityOf,
  type HealthFeature,
  type HealthIteration,
  type HealthSettings,
  type HealthStory,
  isStale,
  oversizedLimit,
  rankedWindow,
  readyDepthOf,
  type TeamHealthInput,
  teamHealth,
  trainHealth,
  upcomingIterations,
} from "./backlog-health.js";
import type { StoryState } from "./work-item.js";

const NOW = "2026-11-28T10:00:00.000Z";
const daysAgo = (n: number) => new Date(Date.parse(NOW) - n * 86_400_000).toISOString();

// Iteration 1 is running today; 2 and 3 are the next two; 4 is beyond the horizon.
const ITERATIONS: HealthIteration[] = [
  { id: "i4", name: "Iteration 4", startDate: "2026-12-28", endDate: "2027-01-10" },
  { id: "i1", name: "Iteration 1", startDate: "2026-11-16", endDate: "2026-11-29" },
  { id: "i3", name: "Iteration 3", startDate: "2026-12-14", endDate: "2026-12-27" },
  { id: "i2", name: "Iteration 2", startDate: "2026-11-30", endDate: "2026-12-13" },
];

const SETTINGS: HealthSettings = {
  capacityPerIteration: null,
  staleAfterDays: 60,
  smallMaxPoints: 8,
  velocityShare: 0.5,
};

const story = (
  key: string,
  state: StoryState,
  points: number | null,
  iterationId: string | null,
  fields: Partial<HealthStory> = {},
): HealthStory => ({
  id: key,
  key,
  title: `Story ${key}`,
  state,
  points,
  parentId: "F",
  iterationId,
  updatedAt: daysAgo(1),
  ...fields,
});

/** The worked example: a team with a velocity of 6 points per iteration and this ranked backlog. */
const BACKLOG: HealthStory[] = [
  story("A", "ready", 3, "i2"),
  story("B", "refining", 5, "i2"),
  story("C", "ready", 5, "i3", { parentId: null }),
  story("D", "in_progress", 3, "i1", { updatedAt: daysAgo(59) }),
  story("E", "new", 13, null, { updatedAt: daysAgo(60) }),
  story("F", "ready", 2, "i3"),
  story("G", "done", 8, "i1", { updatedAt: daysAgo(200), parentId: null }),
  story("H", "split", 20, null, { updatedAt: daysAgo(200) }),
];

const input = (fields: Partial<TeamHealthInput> = {}): TeamHealthInput => ({
  team: { id: "t1", key: "core", name: "Core" },
  stories: BACKLOG,
  iterations: ITERATIONS,
  velocity: 6,
  settings: SETTINGS,
  findings: [
    { key: "A", title: "Story A", rules: ["ambiguous"] },
    { key: "B", title: "Story B", rules: ["ambiguous", "small"] },
  ],
  now: NOW,
  ...fields,
});

const kinds = (h: { problems: { kind: string }[] }) => h.problems.map((p) => p.kind);
const itemsOf = (h: { problems: { kind: string; items: { key: string }[] }[] }, kind: string) =>
  h.problems.find((p) => p.kind === kind)?.items.map((i) => i.key);

describe("the health of a team's backlog (worked example)", () => {
  const health = teamHealth(input());

  it("looks at the two iterations starting after today, in start order", () => {
    expect(health.horizon.map((it) => it.id)).toEqual(["i2", "i3"]);
  });

  it("takes capacity from the team's velocity and fills twice it from the top of the ranked backlog", () => {
    expect(health.capacityPerIteration).toEqual({ points: 6, source: "velocity" });
    // Unstarted stories in rank order: A 3, B 5, C 5, E 13, F 2. Target 2 × 6 = 12 points: A (0 before), B (3
    // before), C (8 before), then 13 ≥ 12 stops. Ready among A, B, C: A and C.
    expect(health.readiness.ranked).toEqual({ ready: 2, of: 3, rate: 0.667, capacityPoints: 12 });
  });

  it("rates the unstarted stories planned for the next two iterations: ready ÷ planned", () => {
    // Planned for i2 or i3 and not started: A, B, C, F; ready: A, C, F. D (i1) and E (unplanned) do not count.
    expect(health.readiness.planned).toEqual({ ready: 3, of: 4, rate: 0.75 });
  });

  it("measures ready depth as ready points over capacity, healthy from two iterations", () => {
    // Ready: A 3 + C 5 + F 2 = 10 points; 10 ÷ 6 = 1.67 iterations.
    expect(health.readyDepth).toEqual({ points: 10, iterations: 1.67, healthy: false });
    const shallow = health.problems.find((p) => p.kind === "shallow_ready_backlog");
    expect(shallow).toMatchObject({ severity: "warning", items: [{ key: "B", title: "Story B" }] });
    expect(shallow?.label).toContain("1.67 iterations");
  });

  it("flags stories above the small limit or half the velocity, counting only open stories", () => {
    // Limit: min(8, 0.5 × 6) = 3 points. D (in progress, 3) is not above it; G (done) and H (split) are closed.
    expect(itemsOf(health, "oversized")).toEqual(["B", "C", "E"]);
    expect(health.problems.find((p) => p.kind === "oversized")?.label).toBe("3 stories larger than 3 points");
  });

  it("lists open stories without a feature and those not changed for the stale limit", () => {
    expect(itemsOf(health, "no_feature")).toEqual(["C"]);
    // E was changed exactly 60 days ago, D 59 days ago; G is done.
    expect(itemsOf(health, "stale")).toEqual(["E"]);
  });

  it("lists planned stories that are not ready", () => {
    expect(itemsOf(health, "not_ready_planned")).toEqual(["B"]);
  });

  it("counts quality findings by rule with the stories' keys, and lists each rule as a problem", () => {
    expect(health.quality).toEqual([
      { rule: "ambiguous", label: expect.any(String), count: 2, keys: ["A", "B"] },
      { rule: "small", label: expect.any(String), count: 1, keys: ["B"] },
    ]);
    const quality = health.problems.filter((p) => p.kind === "quality");
    expect(quality.map((p) => [p.rule, p.items.map((i) => i.key)])).toEqual([
      ["ambiguous", ["A", "B"]],
      ["small", ["B"]],
    ]);
  });

  it("counts open stories and orders the problems from capacity to staleness", () => {
    expect(health.openStories).toBe(6);
    expect(kinds(health)).toEqual([
      "shallow_ready_backlog",
      "not_ready_planned",
      "quality",
      "quality",
      "oversized",
      "no_feature",
      "stale",
    ]);
  });
});

describe("a team's health at the edges", () => {
  it("says no data, not 0 %, when the team has neither velocity nor a set capacity", () => {
    const health = teamHealth(input({ velocity: null }));
    expect(health.capacityPerIteration).toEqual({ points: null, source: null });
    expect(health.readiness.ranked).toEqual({ ready: 0, of: 0, rate: null, capacityPoints: null });
    expect(health.readyDepth).toEqual({ points: 10, iterations: null, healthy: null });
    expect(health.problems[0]).toMatchObject({ kind: "no_capacity", items: [] });
    expect(kinds(health)).not.toContain("shallow_ready_backlog");
    // The planned rate needs no capacity; without velocity the small limit alone decides oversized stories.
    expect(health.readiness.planned.rate).toBe(0.75);
    expect(itemsOf(health, "oversized")).toEqual(["E"]);
  });

  it("uses the set capacity while there is no velocity, or while velocity is 0", () => {
    const set = { ...SETTINGS, capacityPerIteration: 5 };
    expect(teamHealth(input({ velocity: null, settings: set })).capacityPerIteration).toEqual({
      points: 5,
      source: "set",
    });
    const health = teamHealth(input({ velocity: 0, settings: set }));
    expect(health.capacityPerIteration).toEqual({ points: 5, source: "set" });
    // Ready 10 points over 5: exactly 2 iterations, healthy.
    expect(health.readyDepth).toEqual({ points: 10, iterations: 2, healthy: true });
    expect(kinds(health)).not.toContain("shallow_ready_backlog");
  });

  it("treats a set capacity of 0 as no capacity: an empty window and no depth, not a division by zero", () => {
    const health = teamHealth(input({ velocity: null, settings: { ...SETTINGS, capacityPerIteration: 0 } }));
    expect(health.capacityPerIteration).toEqual({ points: 0, source: "set" });
    expect(health.readiness.ranked).toEqual({ ready: 0, of: 0, rate: null, capacityPoints: 0 });
    expect(health.readyDepth.iterations).toBeNull();
    expect(health.problems[0]).toMatchObject({ kind: "no_capacity", label: expect.stringContaining("0 points") });
  });

  it("gives an empty backlog no rates and a depth of 0 iterations, an error", () => {
    const health = teamHealth(input({ stories: [], findings: [] }));
    expect(health.readiness.planned).toEqual({ ready: 0, of: 0, rate: null });
    expect(health.readiness.ranked).toEqual({ ready: 0, of: 0, rate: null, capacityPoints: 12 });
    expect(health.readyDepth).toEqual({ points: 0, iterations: 0, healthy: false });
    expect(health.problems).toEqual([
      expect.objectContaining({ kind: "shallow_ready_backlog", severity: "error", items: [] }),
    ]);
    expect(health.quality).toEqual([]);
    expect(health.openStories).toBe(0);
  });

  it("has no next iterations when none starts after today, so nothing is planned", () => {
    const health = teamHealth(input({ now: "2027-02-01T00:00:00.000Z" }));
    expect(health.horizon).toEqual([]);
    expect(health.readiness.planned).toEqual({ ready: 0, of: 0, rate: null });
  });
});

describe("the health formulas", () => {
  it("does not count the iteration starting today as a next one", () => {
    expect(upcomingIterations(ITERATIONS, "2026-11-30").map((it) => it.id)).toEqual(["i3", "i4"]);
    expect(upcomingIterations(ITERATIONS, "2026-11-29", 1).map((it) => it.id)).toEqual(["i2"]);
  });

  it("fills the ranked window with unestimated stories counting 0 points, up to the story crossing the target", () => {
    const stories = [{ points: null }, { points: null }, { points: 5 }, { points: 2 }];
    expect(rankedWindow(stories, 4)).toHaveLength(3);
    expect(rankedWindow(stories, 0)).toEqual([]);
    expect(rankedWindow(stories, 100)).toHaveLength(4);
  });

  it("keeps the ranked window a prefix whose points before its last story stay below the target", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 21 }), { nil: null }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 80 }),
        (points, target) => {
          const stories = points.map((p) => ({ points: p }));
          const window = rankedWindow(stories, target);
          expect(window).toEqual(stories.slice(0, window.length));
          const before = window.slice(0, -1).reduce((n, s) => n + (s.points ?? 0), 0);
          if (window.length > 0) expect(before).toBeLessThan(target);
          const all = window.reduce((n, s) => n + (s.points ?? 0), 0);
          if (window.length < stories.length) expect(all).toBeGreaterThanOrEqual(target);
        },
      ),
    );
  });

  it("keeps every rate between 0 and 1 or null, for any backlog", () => {
    const states: StoryState[] = ["new", "refining", "ready", "in_progress", "done", "accepted", "split"];
    const arbStory = fc.record({
      state: fc.constantFrom(...states),
      points: fc.option(fc.integer({ min: 0, max: 21 }), { nil: null }),
      iterationId: fc.constantFrom(null, "i1", "i2", "i3", "i4"),
    });
    fc.assert(
      fc.property(
        fc.array(arbStory, { maxLength: 25 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        (rows, velocity) => {
          const stories = rows.map((r, i) => story(`S${i}`, r.state, r.points, r.iterationId));
          const h = teamHealth(input({ stories, velocity, findings: [] }));
          for (const r of [h.readiness.planned, h.readiness.ranked]) {
            expect(r.ready).toBeLessThanOrEqual(r.of);
            if (r.of === 0) expect(r.rate).toBeNull();
            else expect(r.rate).toBeGreaterThanOrEqual(0);
            if (r.rate !== null) expect(r.rate).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it("computes capacity, depth, the oversized limit and staleness as documented", () => {
    expect(capacityOf(7.5, 10)).toEqual({ points: 7.5, source: "velocity" });
    expect(capacityOf(null, null)).toEqual({ points: null, source: null });
    expect(readyDepthOf(20, 8)).toBe(2.5);
    expect(readyDepthOf(7, 3)).toBe(2.33);
    expect(readyDepthOf(7, 0)).toBeNull();
    expect(oversizedLimit({ smallMaxPoints: 8, velocityShare: 0.5 }, 30)).toBe(8);
    expect(oversizedLimit({ smallMaxPoints: 8, velocityShare: 0.5 }, 9)).toBe(4.5);
    expect(isStale(daysAgo(60), NOW, 60)).toBe(true);
    expect(isStale(daysAgo(59.9), NOW, 60)).toBe(false);
  });
});

describe("the health of a train", () => {
  const core = teamHealth(input());
  const web = teamHealth(
    input({
      team: { id: "t2", key: "web", name: "Web" },
      velocity: null,
      stories: [story("W1", "refining", 2, "i2", { parentId: null })],
      findings: [{ key: "W1", title: "Story W1", rules: ["ambiguous", "testable"] }],
    }),
  );
  const feature = (key: string, state: string, stories: number, updatedDaysAgo = 1): HealthFeature => ({
    id: key,
    key,
    title: `Feature ${key}`,
    state,
    stories,
    updatedAt: daysAgo(updatedDaysAgo),
  });
  const features = [
    feature("F1", "analyzing", 0),
    feature("F2", "implementing", 3),
    feature("F3", "funnel", 0),
    feature("F4", "done", 5, 300),
    feature("F5", "backlog", 0, 100),
  ];
  const train = trainHealth([core, web], features, { now: NOW, staleAfterDays: 60 });

  it("sums capacity and ready points over the teams that have a capacity, and names those without", () => {
    expect(train.capacityPerIteration).toBe(6);
    expect(train.teamsWithoutCapacity).toEqual(["web"]);
    expect(train.readyDepth).toEqual({ points: 10, iterations: 1.67, healthy: false });
  });

  it("adds up the teams' readiness counts before dividing", () => {
    // core: 3 of 4 planned, 2 of 3 ranked; web: 0 of 1 planned, no ranked window without capacity.
    expect(train.readiness).toEqual({
      planned: { ready: 3, of: 5, rate: 0.6 },
      ranked: { ready: 2, of: 3, rate: 0.667 },
    });
    expect(train.openStories).toBe(7);
    expect(train.horizon.map((it) => it.id)).toEqual(["i2", "i3"]);
  });

  it("merges the teams' item problems by kind, leaving team-wide capacity problems to the teams", () => {
    expect(kinds(train)).toEqual([
      "not_ready_planned",
      "quality",
      "quality",
      "quality",
      "oversized",
      "no_feature",
      "stale",
      "features_without_stories",
      "stale_features",
    ]);
    expect(itemsOf(train, "not_ready_planned")).toEqual(["B", "W1"]);
    expect(itemsOf(train, "no_feature")).toEqual(["C", "W1"]);
    expect(train.problems.find((p) => p.kind === "no_feature")?.label).toBe("2 stories without a feature");
    expect(train.quality.map((q) => [q.rule, q.count, q.keys])).toEqual([
      ["ambiguous", 3, ["A", "B", "W1"]],
      ["small", 1, ["B"]],
      ["testable", 1, ["W1"]],
    ]);
  });

  it("lists features in analysis, backlog or implementation without stories, and features left unchanged", () => {
    expect(itemsOf(train, "features_without_stories")).toEqual(["F1", "F5"]);
    expect(itemsOf(train, "stale_features")).toEqual(["F5"]);
  });

  it("has no data rather than 0 % for a train with no teams", () => {
    const empty = trainHealth([], [], { now: NOW, staleAfterDays: 60 });
    expect(empty).toMatchObject({
      teams: 0,
      capacityPerIteration: null,
      readiness: { planned: { rate: null }, ranked: { rate: null } },
      readyDepth: { points: 0, iterations: null, healthy: null },
      problems: [],
    });
  });
});
