// The demo train's iteration history, read back from the plan alone the way the metrics read the database: each
// story's state, iteration and blocked reason at any instant is what it was created with plus its entries up to then.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type DemoSource, loadDemoSource } from "./demo-source.js";
import { type DemoTrainPlan, finalIterations, finalStates, type PlanItem, planDemoTrain } from "./demo-train.js";
import { mulberry32 } from "./seeded-random.js";

const DATA_DIR = fileURLToPath(new URL("../../../shared/data", import.meta.url));
const TODAY = new Date("2025-06-18T09:30:00Z");
const DAY_MS = 86_400_000;
const FINISHED = ["done", "accepted"];
const CLOSED = ["done", "accepted", "split"];

let source: DemoSource;
let plan: DemoTrainPlan;
let read: ReturnType<typeof readHistory>;

beforeAll(async () => {
  source = await loadDemoSource(DATA_DIR);
  plan = planDemoTrain(source, mulberry32(42), TODAY);
  read = readHistory(plan, TODAY);
});

interface Snapshot {
  state: string;
  iteration: string | null;
  blocked: boolean;
}
interface Change {
  ms: number;
  state?: string;
  iteration?: string | null;
  blockedReason?: string | null;
  reworkReason?: string;
}

/** The plan's stories with their changes, its development iterations and what each story was at an instant. */
function readHistory(plan: DemoTrainPlan, today: Date) {
  const created = Date.parse(plan.createdAt);
  const cutoff = Date.parse(today.toISOString().slice(0, 10));
  const iterations = [plan.finishedPi, ...plan.pis].flatMap((pi) =>
    pi.iterations.slice(0, -1).map((it) => ({
      ref: `${pi.name}/${it.number}`,
      start: Date.parse(`${it.startDate}T00:00:00Z`),
      end: Date.parse(`${it.endDate}T00:00:00Z`) + DAY_MS,
    })),
  );
  const stories = new Map(plan.stories.map((s) => [s.ref, { item: s, changes: [] as Change[] }]));
  for (const entry of plan.history) {
    const { item, actor: _actor, at, ...change } = entry;
    stories.get(item)?.changes.push({ ms: Date.parse(at), ...change });
  }
  const at = (ref: string, t: number): Snapshot | null => {
    const story = stories.get(ref);
    if (!story || t < created) return null;
    const snapshot: Snapshot = { state: story.item.state, iteration: story.item.iteration ?? null, blocked: false };
    for (const c of story.changes) {
      if (c.ms > t) break;
      if (c.state !== undefined) snapshot.state = c.state;
      if (c.iteration !== undefined) snapshot.iteration = c.iteration;
      if (c.blockedReason !== undefined) snapshot.blocked = c.blockedReason !== null;
    }
    return snapshot;
  };
  /** Per team and iteration that has ended: planned at its start, finished by its end, carried over, added. */
  const results = iterations
    .filter((it) => it.end <= cutoff)
    .flatMap((it) =>
      plan.teams.map((team) => {
        const mine = plan.stories.filter((s) => s.team === team.key);
        const inIt = (s: Snapshot | null): s is Snapshot => s !== null && s.iteration === it.ref;
        const planned = mine.filter((s) => {
          const first = at(s.ref, it.start);
          return inIt(first) && !CLOSED.includes(first.state);
        });
        const atEnd = mine.filter((s) => inIt(at(s.ref, it.end)));
        const stateAtEnd = (s: PlanItem) => (at(s.ref, it.end) as Snapshot).state;
        const finished = atEnd.filter((s) => FINISHED.includes(stateAtEnd(s)));
        return {
          iteration: it.ref,
          team: team.key,
          planned: planned.length,
          velocity: finished.reduce((sum, s) => sum + (s.points ?? 0), 0),
          carriedOver: atEnd.filter((s) => !FINISHED.includes(stateAtEnd(s))).length,
          added: atEnd.filter((s) => !planned.includes(s) && !inIt(at(s.ref, it.start))).length,
          removed: planned.filter((s) => !atEnd.includes(s)).length,
        };
      }),
    );
  return { created, cutoff, iterations, stories, at, results };
}

describe("the demo train's iteration history", () => {
  it("covers every team in the finished PI's four development iterations and the current PI's two before today", () => {
    expect(new Set(read.results.map((r) => r.iteration)).size).toBe(6);
    expect(read.results).toHaveLength(6 * plan.teams.length);
  });

  it("plans at least five stories into each ended iteration of each team before it starts", () => {
    for (const r of read.results) expect(r.planned, `${r.team} ${r.iteration}`).toBeGreaterThanOrEqual(5);
    const planned = read.results.map((r) => r.planned);
    expect(Math.max(...planned)).toBeGreaterThan(Math.min(...planned));
  });

  it("lets every team's velocity vary from one iteration to the next, by about a quarter", () => {
    for (const team of plan.teams) {
      const velocities = read.results.filter((r) => r.team === team.key).map((r) => r.velocity);
      const mean = velocities.reduce((a, b) => a + b, 0) / velocities.length;
      const spread = Math.max(...velocities.map((v) => Math.abs(v - mean))) / mean;
      expect(new Set(velocities).size, team.key).toBeGreaterThan(1);
      expect(spread, `${team.key}: ${velocities.join(", ")}`).toBeGreaterThan(0.05);
      expect(spread, `${team.key}: ${velocities.join(", ")}`).toBeLessThan(0.6);
    }
  });

  it("carries about a tenth to a fifth of the planned stories over, adds some mid-iteration and takes a few out", () => {
    const sum = (key: "planned" | "carriedOver" | "added" | "removed") =>
      read.results.reduce((total, r) => total + r[key], 0);
    expect(sum("carriedOver")).toBeGreaterThanOrEqual(1);
    expect(sum("carriedOver") / sum("planned")).toBeGreaterThanOrEqual(0.08);
    expect(sum("carriedOver") / sum("planned")).toBeLessThanOrEqual(0.22);
    expect(sum("added")).toBeGreaterThanOrEqual(plan.teams.length);
    expect(sum("removed")).toBeGreaterThanOrEqual(2);
    expect(sum("removed")).toBeLessThanOrEqual(sum("planned") / 20);
    // Stories carried over end in a later iteration, finished there.
    const iterations = finalIterations(plan);
    const states = finalStates(plan);
    const moved = plan.stories.filter(
      (s) => s.iteration && iterations.get(s.ref) && s.iteration !== iterations.get(s.ref),
    );
    expect(moved.length).toBeGreaterThanOrEqual(1);
    for (const story of moved) expect(FINISHED).toContain(states.get(story.ref));
  });

  it("reopens some finished stories with a reason, one of them twice, and finishes them again", () => {
    const reopenings = plan.history.filter((e) => e.reworkReason);
    const reworked = new Set(reopenings.map((e) => e.item));
    const completed = new Set(
      plan.history.filter((e) => e.state === "done" || e.state === "accepted").map((e) => e.item),
    );
    expect(reworked.size).toBeGreaterThanOrEqual(1);
    expect(reworked.size / completed.size).toBeGreaterThanOrEqual(0.04);
    expect(reworked.size / completed.size).toBeLessThanOrEqual(0.12);
    expect(new Set(reopenings.map((e) => e.reworkReason)).size).toBeGreaterThanOrEqual(3);
    const twice = [...reworked].filter((ref) => reopenings.filter((e) => e.item === ref).length >= 2);
    expect(twice.length).toBeGreaterThanOrEqual(1);
    const states = finalStates(plan);
    for (const ref of reworked) {
      const changes = read.stories.get(ref)?.changes ?? [];
      for (const [i, c] of changes.entries()) {
        if (!c.reworkReason) continue;
        // A move back: from done or accepted to in progress, and finished again afterwards.
        expect(FINISHED).toContain(changes.slice(0, i).findLast((p) => p.state)?.state);
        expect(c.state).toBe("in_progress");
      }
      expect(FINISHED).toContain(states.get(ref));
    }
  });

  it("blocks some stories for a few days while in progress, and leaves one or two blocked today", () => {
    let cleared = 0;
    for (const { changes } of read.stories.values()) {
      const set = changes.findIndex((c) => typeof c.blockedReason === "string");
      if (set < 0) continue;
      const unblocked = changes.slice(set + 1).find((c) => c.blockedReason === null);
      if (!unblocked) continue;
      cleared++;
      const days = (unblocked.ms - (changes[set] as Change).ms) / DAY_MS;
      // A few days; across an iteration's end when that is why it was carried over.
      expect(days).toBeGreaterThan(0.5);
      expect(days).toBeLessThan(21);
    }
    expect(cleared).toBeGreaterThanOrEqual(10);
    const blockedNow = [...read.stories.keys()].filter((ref) => read.at(ref, read.cutoff)?.blocked);
    expect(blockedNow.length).toBeGreaterThanOrEqual(1);
    expect(blockedNow.length).toBeLessThanOrEqual(8);
  });

  it("dates every entry after the items are created and before today, in order, in the iteration the story is in", () => {
    const times = plan.history.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const [ref, { item, changes }] of read.stories) {
      let iteration = item.iteration ?? null;
      let previous = read.created;
      let snapshot = read.at(ref, read.created);
      for (const c of changes) {
        expect(c.ms, ref).toBeGreaterThan(previous);
        expect(c.ms, ref).toBeLessThan(read.cutoff);
        previous = c.ms;
        // Inside the iteration it is in: the one it moves into, or the one it leaves.
        const window = c.iteration === undefined ? iteration : (c.iteration ?? iteration);
        const it = read.iterations.find((i) => i.ref === window);
        expect(it, `${ref} is in an iteration when it changes`).toBeDefined();
        expect(c.ms >= (it?.start ?? 0) && c.ms < (it?.end ?? 0), `${ref} changes inside ${window}`).toBe(true);
        // Each entry changes something, as an edit does.
        const next = read.at(ref, c.ms);
        expect(next, ref).not.toEqual(snapshot);
        snapshot = next;
        if (c.iteration !== undefined) iteration = c.iteration;
      }
    }
  });

  it("ends the finished PI's stories accepted (or out of their iteration) and its features done", () => {
    const states = finalStates(plan);
    const iterations = finalIterations(plan);
    const finished = plan.stories.filter((s) => s.pi === plan.finishedPi.name);
    expect(finished.length).toBeGreaterThanOrEqual(plan.teams.length * 4 * 6);
    for (const story of finished) {
      if (iterations.get(story.ref) === null) expect(states.get(story.ref)).toBe("ready");
      else expect(states.get(story.ref)).toBe("accepted");
    }
    const features = plan.features.filter((f) => f.pi === plan.finishedPi.name);
    expect(features).toHaveLength(plan.teams.length);
    for (const feature of features) expect(states.get(feature.ref)).toBe("done");
  });

  it("starts some iterations with a few planned stories still refining, made ready on the first morning", () => {
    const rates = read.results.map((r) => {
      const it = read.iterations.find((i) => i.ref === r.iteration) as { ref: string; start: number };
      const planned = plan.stories.filter((s) => {
        const first = read.at(s.ref, it.start);
        return s.team === r.team && first?.iteration === it.ref && !CLOSED.includes(first.state);
      });
      const late = planned.filter((s) => read.at(s.ref, it.start)?.state === "refining");
      // Each is ready by the end of the first day.
      for (const s of late) expect(read.at(s.ref, it.start + DAY_MS)?.state).not.toBe("refining");
      return (planned.length - late.length) / planned.length;
    });
    expect(rates.filter((r) => r < 1).length).toBeGreaterThan(rates.length / 3);
    expect(rates.filter((r) => r === 1).length).toBeGreaterThan(0);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.75);
  });

  it("keeps the next two iterations' planned stories partly ready, partly still in refinement", () => {
    const upcoming = read.iterations.filter((it) => it.start > read.cutoff).slice(0, 2);
    const iterations = finalIterations(plan);
    const states = finalStates(plan);
    const assigned = plan.stories.filter((s) => upcoming.some((it) => it.ref === iterations.get(s.ref)));
    const ready = assigned.filter((s) => ["ready", "in_progress"].includes(states.get(s.ref) as string));
    expect(assigned.length).toBeGreaterThan(20);
    expect(ready.length / assigned.length).toBeGreaterThanOrEqual(0.4);
    expect(ready.length / assigned.length).toBeLessThanOrEqual(0.8);
    expect(new Set(assigned.map((s) => states.get(s.ref)))).toEqual(new Set(["ready", "refining", "new"]));
  });

  it("keeps its rules for other seeds and dates", () => {
    for (const [seed, date] of [
      [7, "2026-03-02T08:00:00Z"],
      [99, "2027-11-30T12:00:00Z"],
    ] as const) {
      const today = new Date(date);
      const other = readHistory(planDemoTrain(source, mulberry32(seed), today), today);
      for (const r of other.results) expect(r.planned, `${seed} ${r.team} ${r.iteration}`).toBeGreaterThanOrEqual(5);
      expect(other.results.some((r) => r.carriedOver > 0)).toBe(true);
      expect(other.results.some((r) => r.added > 0)).toBe(true);
      expect(other.results.some((r) => r.removed > 0)).toBe(true);
    }
  });
});
