// The metrics on a hand-built history whose right answers are worked out here, story by story: a split mid-iteration,
// a story moved to another team, one reopened twice, one planned then removed, an empty iteration, blocked time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assignedReadiness,
  burnDown,
  burnUp,
  cumulativeFlow,
  dailyThroughput,
  endOfDay,
  type FieldChange,
  flowMetrics,
  instant,
  iterationResult,
  type MetricStory,
  type ReworkNote,
  readiness,
  reworkRatio,
  snapshotAt,
  storyHistories,
  type TrackedField,
  velocityStats,
} from "./metrics.js";
import type { IterationResult } from "./metrics-views.js";
import type { Iteration } from "./train.js";

const I1: Iteration = {
  id: "I1",
  piId: "P",
  name: "Iteration 1",
  number: 1,
  startDate: "2026-01-05",
  endDate: "2026-01-16",
  kind: "development",
};
const I2: Iteration = {
  ...I1,
  id: "I2",
  name: "Iteration 2",
  number: 2,
  startDate: "2026-01-19",
  endDate: "2026-01-30",
};
const I3: Iteration = {
  ...I1,
  id: "I3",
  name: "Iteration 3",
  number: 3,
  startDate: "2026-02-02",
  endDate: "2026-02-13",
};
const A = new Set(["A"]);
const B = new Set(["B"]);
const at = (day: string, hour = 12) => `2026-01-${day}T${String(hour).padStart(2, "0")}:00:00.000Z`;

const stories: MetricStory[] = [];
const changes: FieldChange[] = [];
const notes: ReworkNote[] = [];

/** A story as it is now, created on `created` (a January day). */
function story(id: string, created: string, now: Partial<MetricStory>): void {
  stories.push({
    id,
    key: `K-${id}`,
    title: id,
    type: "business",
    parentId: null,
    splitFrom: null,
    createdAt: at(created, 8),
    state: "new",
    teamId: "A",
    iterationId: null,
    points: null,
    blockedReason: null,
    rank: id,
    ...now,
  });
}
function change(id: string, field: TrackedField, oldValue: unknown, newValue: unknown, when: string): void {
  changes.push({ itemId: id, field, oldValue, newValue, at: when });
}
/** State moves in order, each at its time. */
function states(id: string, ...steps: [string, string][]): void {
  let from = "ready";
  for (const [to, when] of steps) {
    change(id, "state", from, to, when);
    from = to;
  }
}

// s1: planned in I1 (3 points), 2 days in progress of which half a day blocked, accepted.
story("s1", "01", { state: "accepted", iterationId: "I1", points: 3 });
states("s1", ["in_progress", at("06")], ["done", at("08")], ["accepted", at("09")]);
change("s1", "blockedReason", null, "waiting on the sandbox", at("07", 0));
change("s1", "blockedReason", "waiting on the sandbox", null, at("07", 12));
// s2: planned (5), done, reopened for a defect, done again: not accepted by the end.
story("s2", "01", { state: "done", iterationId: "I1", points: 5 });
states("s2", ["in_progress", at("06")], ["done", at("10")], ["in_progress", at("12")], ["done", at("13")]);
notes.push({ itemId: "s2", at: at("12"), reason: "defect" });
// s3: planned for A (2), moved to team B on the 7th, accepted there.
story("s3", "01", { state: "accepted", teamId: "B", iterationId: "I1", points: 2 });
change("s3", "teamId", "A", "B", at("07"));
states("s3", ["in_progress", at("08")], ["done", at("14")], ["accepted", at("14", 16)]);
// s4: planned (8), split on the 8th into s5 (in I1, 3 points, accepted) and s6 (back to the backlog).
story("s4", "01", { state: "split", iterationId: "I1", points: 8 });
change("s4", "state", "ready", "split", at("08"));
story("s5", "08", { state: "accepted", iterationId: "I1", points: 3, splitFrom: "s4" });
states("s5", ["in_progress", at("09")], ["done", at("14")], ["accepted", at("15")]);
story("s6", "08", { state: "new", iterationId: null, points: 5, splitFrom: "s4", rank: "a3" });
// s7: added on the 10th (1 point), accepted.
story("s7", "10", { state: "accepted", iterationId: "I1", points: 1 });
states("s7", ["in_progress", at("11")], ["accepted", at("15")]);
// s8: planned (2), then taken out of the iteration on the 7th.
story("s8", "01", { state: "ready", iterationId: null, points: 2, rank: "a4" });
change("s8", "iterationId", "I1", null, at("07"));
// s9: planned (3), still in progress at the end: carried over.
story("s9", "01", { state: "in_progress", iterationId: "I1", points: 3 });
states("s9", ["in_progress", at("12")]);
// s10: in I2, done, reopened twice (once with a reason), accepted.
story("s10", "02", { state: "accepted", iterationId: "I2", points: 3, rank: "a1" });
states(
  "s10",
  ["in_progress", at("19")],
  ["done", at("20")],
  ["in_progress", at("21")],
  ["done", at("22")],
  ["in_progress", at("23")],
  ["done", at("26")],
  ["accepted", at("27")],
);
notes.push({ itemId: "s10", at: at("21"), reason: "unclear_criteria" });
// s11: in I2, still refining.
story("s11", "02", { state: "refining", iterationId: "I2", points: 5, rank: "a2" });

const histories = storyHistories(stories, changes, notes);
const afterAll = instant("2026-02-20");
const result = (iteration: Iteration, teams: ReadonlySet<string>, asOf = afterAll) =>
  iterationResult(histories, iteration, teams, asOf);

describe("a story's history", () => {
  it("is its current value with every later change undone", () => {
    const s3 = histories.find((h) => h.story.id === "s3");
    if (!s3) throw new Error("s3");
    expect(snapshotAt(s3, instant(at("06")))).toMatchObject({ teamId: "A", state: "ready" });
    expect(snapshotAt(s3, instant(at("09")))).toMatchObject({ teamId: "B", state: "in_progress" });
    expect(snapshotAt(s3, instant(at("01", 7)))).toBeNull();
  });
});

describe("an iteration's result", () => {
  const i1 = result(I1, A);

  it("counts the stories planned at its start, a split story replaced by its part still in it", () => {
    // s1, s2, s3, s5 (for s4), s8, s9; s6 went back to the backlog, s7 came later.
    expect(i1.planned).toEqual({ stories: 6, points: 3 + 5 + 2 + 3 + 2 + 3 });
  });

  it("gives the Story Acceptance Rate: accepted of the planned ÷ planned", () => {
    expect(i1.accepted).toEqual({ stories: 2, points: 6 }); // s1 and s5
    expect(i1.acceptanceRate).toBe(33.3);
  });

  it("reports scope added mid-iteration apart, and what was removed or carried over", () => {
    expect(i1.added).toEqual({ stories: 1, points: 1, accepted: 1 }); // s7
    expect(i1.removed).toBe(2); // s3 to team B, s8 out of the iteration
    expect(i1.carriedOver).toBe(1); // s9
  });

  it("gives velocity (done or accepted, planned or added) and say/do (planned done ÷ planned points)", () => {
    expect(i1.velocity).toBe(3 + 5 + 3 + 1);
    expect(i1.plannedDone).toBe(3 + 5 + 3);
    expect(i1.sayDo).toBe(61.1);
  });

  it("counts a story moved in from another team as added there", () => {
    const b = result(I1, B);
    expect(b.planned.stories).toBe(0);
    expect(b.added).toEqual({ stories: 1, points: 2, accepted: 1 });
    expect(b.acceptanceRate).toBeNull();
    expect(b.velocity).toBe(2);
  });

  it("has no data, not 0 % or 100 %, when nothing was planned", () => {
    const empty = result(I2, B);
    expect(empty.planned.stories).toBe(0);
    expect(empty.acceptanceRate).toBeNull();
    expect(empty.sayDo).toBeNull();
  });

  it("is recomputed as of a day inside it", () => {
    const then = result(I1, A, endOfDay("2026-01-10"));
    expect(then.completed).toBe(false);
    expect(then.planned.stories).toBe(6);
    expect(then.accepted.stories).toBe(1); // only s1 by the 10th
    expect(then.carriedOver).toBe(0);
  });

  it("counts the whole train's teams together", () => {
    const train = result(I1, new Set(["A", "B"]));
    expect(train.planned.stories).toBe(6);
    expect(train.accepted.stories).toBe(3); // s3 stayed in the iteration, accepted by B
    expect(train.removed).toBe(1); // s8
  });
});

describe("the Rework Ratio", () => {
  it("divides stories moved back by stories completed in the period, with the reasons", () => {
    const i1 = reworkRatio(histories, A, instant(I1.startDate), endOfDay(I1.endDate));
    // Completed: s1, s2 (once, though done twice), s5, s7; s3 was B's when it finished.
    expect(i1).toEqual({
      reworked: 1,
      reopenings: 1,
      completed: 4,
      ratio: 25,
      reasons: [{ reason: "defect", count: 1 }],
    });
  });

  it("counts a story reopened twice once, and both reopenings with their reasons", () => {
    const i2 = reworkRatio(histories, A, instant(I2.startDate), endOfDay(I2.endDate));
    expect(i2.reworked).toBe(1);
    expect(i2.reopenings).toBe(2);
    expect(i2.completed).toBe(1);
    expect(i2.ratio).toBe(100);
    expect(i2.reasons).toEqual(
      expect.arrayContaining([
        { reason: "unclear_criteria", count: 1 },
        { reason: "unknown", count: 1 },
      ]),
    );
  });

  it("has no data when nothing was completed", () => {
    expect(reworkRatio(histories, B, instant(I2.startDate), endOfDay(I2.endDate)).ratio).toBeNull();
  });
});

describe("the Backlog Readiness Rate", () => {
  const input = {
    iterations: [I1, I2, I3],
    teams: ["A"],
    capacity: new Map<string, number>(),
    velocity: new Map([["A", 4]]),
    horizon: 2,
  };
  const r = readiness(histories, input, endOfDay("2026-01-16"));

  it("counts the stories assigned to the next iterations: ready ÷ assigned", () => {
    expect(r.horizon.iterationIds).toEqual(["I2", "I3"]);
    expect(r.assigned).toEqual({ stories: 2, ready: 1, rate: 50 }); // s10 ready, s11 refining
  });

  it("fills two iterations of velocity from the top of the ranked backlog: ready ÷ those", () => {
    // Capacity 2 × 4 = 8: s10 (3, ready), s11 (5) fill it; s6 and s8 fall below the line.
    expect(r.ranked).toEqual({ capacity: 8, stories: 2, ready: 1, rate: 50 });
  });

  it("measures ready depth in iterations of velocity", () => {
    expect(r.readyPoints).toBe(3 + 2); // s10 and s8 (ready, in the backlog)
    expect(r.depth).toBe(1.3);
  });

  it("can be asked as an iteration began, for it and the next: the trend's readiness", () => {
    // At I1's start: s1, s2, s3 (still A's), s4, s8 and s9 in I1, s10 and s11 in I2 — all ready but s11; s5, s6 and
    // s7 did not exist yet.
    const i1i2 = new Set(["I1", "I2"]);
    expect(assignedReadiness(histories, i1i2, A, instant(I1.startDate))).toEqual({ stories: 8, ready: 7, rate: 87.5 });
    expect(assignedReadiness(histories, new Set(["I2", "I3"]), A, endOfDay("2026-01-16"))).toEqual(r.assigned);
    expect(assignedReadiness(histories, i1i2, B, instant(I1.startDate)).rate).toBeNull();
  });

  it("has no data without stories assigned or a capacity", () => {
    const none = readiness(histories, { ...input, teams: ["B"], velocity: new Map() }, endOfDay("2026-01-16"));
    expect(none.assigned.rate).toBeNull();
    expect(none.ranked.rate).toBeNull();
    expect(none.depth).toBeNull();
  });
});

describe("velocity", () => {
  const base = result(I1, A);
  const completed = (velocity: number, name: string): IterationResult => ({
    ...base,
    reworked: 0,
    readiness: { stories: 0, ready: 0, rate: null },
    name,
    velocity,
  });

  it("gives the average, the spread and the recent average of completed iterations", () => {
    const stats = velocityStats([completed(10, "a"), completed(20, "b"), completed(30, "c"), completed(40, "d")]);
    expect(stats.average).toBe(25);
    expect(stats.deviation).toBe(11.2); // √125
    expect(stats.recentAverage).toBe(30);
    expect([stats.min, stats.max]).toEqual([10, 40]);
  });

  it("has no data before any iteration completed", () => {
    expect(velocityStats([{ ...completed(5, "x"), completed: false }]).average).toBeNull();
  });
});

describe("flow metrics", () => {
  const flow = flowMetrics(histories, A, { from: I1.startDate, to: endOfDay(I1.endDate), iterations: [I1] }, 90);

  it("times each finished story from first in progress to first done, in days", () => {
    // s1 2, s2 4, s5 5, s7 4 days (s2's second done does not count).
    expect(flow.time.count).toBe(4);
    expect(flow.time.average).toBe(3.8);
    expect(flow.time.percentiles).toEqual({ p50: 4, p85: 5, p95: 5 });
  });

  it("counts blocked time as waiting in flow efficiency", () => {
    expect(flow.efficiency.blockedDays).toBe(0.5);
    expect(flow.efficiency.percent).toBe(96.7); // (15 − 0.5) ÷ 15
  });

  it("counts velocity, load and distribution", () => {
    expect(flow.velocity.total).toBe(4);
    // At the end of the 12th: s2 (back in progress) and s9 — s5 and s7 are in progress too.
    expect(flow.load.days.find((d) => d.date === "2026-01-12")?.count).toBe(4);
    expect(flow.load.current).toBe(1); // s9
    expect(flow.distribution.find((d) => d.type === "business")).toEqual({ type: "business", count: 5, percent: 100 });
    expect(flow.predictability).toBe(90);
  });
});

describe("burn-up, burn-down and cumulative flow", () => {
  const pi = { startDate: I1.startDate, iterations: [I1, I2] };

  it("burns up the PI's scope and done points day by day", () => {
    const days = burnUp(histories, A, pi, endOfDay("2026-01-09"));
    expect(days.map((d) => d.date)).toEqual(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]);
    // On the 5th: s1 3, s2 5, s3 2, s4 8, s8 2, s9 3 in I1, s10 3 and s11 5 in I2.
    expect(days[0]).toEqual({ date: "2026-01-05", scope: 31, done: 0 });
    // On the 9th: s3 and s8 gone, s4 split into s5 (3); s1 accepted.
    expect(days[4]).toEqual({ date: "2026-01-09", scope: 3 + 5 + 3 + 3 + 3 + 5, done: 3 });
  });

  it("burns down an iteration's open points beside the ideal line", () => {
    const days = burnDown(histories, A, I1, endOfDay(I1.endDate));
    expect(days).toHaveLength(12);
    expect(days.at(-1)).toEqual({ date: "2026-01-16", remaining: 3, ideal: 0 }); // s9
  });

  it("counts the PI's stories per state each day", () => {
    const day = cumulativeFlow(histories, A, pi, endOfDay("2026-01-16")).at(-1);
    expect(day?.counts).toMatchObject({ accepted: 3, done: 1, in_progress: 1, ready: 1, refining: 1, split: 1 }); // s1 s5 s7; s2; s9; s10; s11; s4;
  });
});

describe("throughput", () => {
  it("counts first finishes per day", () => {
    const days = dailyThroughput(histories, A, endOfDay("2026-01-16") - 1, 12);
    expect(days).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0]);
  });
});

describe("properties", () => {
  it("never rates above 100 % or below 0, and has no data exactly when nothing was planned", () => {
    const state = fc.constantFrom("new", "ready", "in_progress", "done", "accepted");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), state, fc.integer({ min: 0, max: 8 })), { maxLength: 12 }),
        (list) => {
          const generated: MetricStory[] = list.map(([inIteration, s, points], i) => ({
            ...(stories[0] as MetricStory),
            id: `g${i}`,
            state: s as MetricStory["state"],
            iterationId: inIteration ? "I1" : null,
            points,
          }));
          const r = iterationResult(storyHistories(generated, []), I1, A, afterAll);
          if (r.planned.stories === 0) expect(r.acceptanceRate).toBeNull();
          else expect(r.acceptanceRate).toBeGreaterThanOrEqual(0);
          expect(r.acceptanceRate ?? 0).toBeLessThanOrEqual(100);
        },
      ),
    );
  });
});

describe("daily series", () => {
  // Random histories: each story starts in a state, team and iteration and changes them at random hours of January.
  const STATES = ["new", "ready", "in_progress", "done", "accepted", "split"] as const;
  const changeOf = fc.record({
    field: fc.constantFrom<TrackedField>("state", "teamId", "iterationId", "points", "blockedReason"),
    day: fc.integer({ min: 2, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    pick: fc.integer({ min: 0, max: 5 }),
  });
  const drawn = (field: TrackedField, pick: number): unknown =>
    field === "state"
      ? STATES[pick]
      : field === "teamId"
        ? (["A", "B", null] as const)[pick % 3]
        : field === "iterationId"
          ? (["I1", "I2", null] as const)[pick % 3]
          : field === "points"
            ? [1, 2, 3, 5, 8, null][pick]
            : pick % 2 === 0
              ? null
              : "waiting";
  const historyOf = fc.array(fc.tuple(fc.integer({ min: 1, max: 28 }), fc.array(changeOf, { maxLength: 6 })), {
    minLength: 1,
    maxLength: 8,
  });

  it("are, day by day, what the stories' snapshots at each day's end say", () => {
    const pi = { startDate: "2026-01-05", iterations: [I1, I2] };
    const to = instant("2026-01-29T15:00:00Z");
    fc.assert(
      fc.property(historyOf, (generated) => {
        const list: MetricStory[] = [];
        const edits: FieldChange[] = [];
        generated.forEach(([created, story], i) => {
          const id = `r${i}`;
          const current: Record<TrackedField, unknown> = {
            state: "new",
            teamId: "A",
            iterationId: "I1",
            points: 3,
            blockedReason: null,
            rank: id,
          };
          const sorted = [...story].filter((c) => c.day > created).sort((a, b) => a.day - b.day || a.hour - b.hour);
          for (const c of sorted) {
            const next = drawn(c.field, c.pick);
            if (next === current[c.field]) continue;
            edits.push({
              itemId: id,
              field: c.field,
              oldValue: current[c.field],
              newValue: next,
              at: at(String(c.day).padStart(2, "0"), c.hour),
            });
            current[c.field] = next;
          }
          list.push({
            ...(stories[0] as MetricStory),
            id,
            createdAt: at(String(created).padStart(2, "0"), 8),
            state: current.state as MetricStory["state"],
            teamId: current.teamId as string | null,
            iterationId: current.iterationId as string | null,
            points: current.points as number | null,
            blockedReason: current.blockedReason as string | null,
          });
        });
        const histories = storyHistories(list, edits);
        const cfd = cumulativeFlow(histories, A, pi, to);
        const up = burnUp(histories, A, pi, to);
        const down = burnDown(histories, A, I2, to);
        cfd.forEach((day, d) => {
          const t = Math.min(endOfDay(day.date), to) - 1;
          const snapshots = histories.map((h) => snapshotAt(h, t)).filter((s) => s !== null && s.teamId === "A");
          const ofPi = snapshots.filter((s) => s?.iterationId === "I1" || s?.iterationId === "I2");
          for (const state of STATES) expect(day.counts[state]).toBe(ofPi.filter((s) => s?.state === state).length);
          const scoped = ofPi.filter((s) => s?.state !== "split");
          expect(up[d]?.scope).toBe(scoped.reduce((a, s) => a + (s?.points ?? 0), 0));
          expect(up[d]?.done).toBe(
            scoped
              .filter((s) => s?.state === "done" || s?.state === "accepted")
              .reduce((a, s) => a + (s?.points ?? 0), 0),
          );
        });
        down.forEach((day) => {
          const t = Math.min(endOfDay(day.date), to) - 1;
          const open = histories
            .map((h) => snapshotAt(h, t))
            .filter(
              (s) => s?.teamId === "A" && s.iterationId === "I2" && !["done", "accepted", "split"].includes(s.state),
            );
          expect(day.remaining).toBe(open.reduce((a, s) => a + (s?.points ?? 0), 0));
        });
      }),
      { numRuns: 200 },
    );
  });
});
