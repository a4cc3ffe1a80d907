// The demo train's PI planning data: coherent with the train it is planned on, by the core's own planning rules.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocationProblem,
  capacityOf,
  dependencyChangeProblem,
  dependencyHealth,
  landing,
  predictability,
  ROAM_STATES,
  workingDays,
} from "../core/pi-planning.js";
import { type DemoPlanning, planDemoPlanning } from "./demo-planning.js";
import { type DemoSource, loadDemoSource } from "./demo-source.js";
import { type DemoTrainPlan, finalIterations, finalStates, type PlanItem, planDemoTrain } from "./demo-train.js";
import { mulberry32 } from "./seeded-random.js";

const DATA_DIR = fileURLToPath(new URL("../../../shared/data", import.meta.url));
const TODAY = new Date("2025-06-18T09:30:00Z");

let source: DemoSource;
let plan: DemoTrainPlan;
let planning: DemoPlanning;

beforeAll(async () => {
  source = await loadDemoSource(DATA_DIR);
  plan = planDemoTrain(source, mulberry32(42), TODAY);
  planning = planDemoPlanning(plan, mulberry32(43), TODAY);
});

/** Reads a planning the way the board and the plan view do, by the core's rules. */
function judge(plan: DemoTrainPlan, planning: DemoPlanning, today: Date) {
  const pis = [planning.finishedPi, ...plan.pis];
  const iterations = pis.flatMap((pi) =>
    pi.iterations.map((it, i) => ({
      ...it,
      pi: pi.name,
      ref: `${pi.name}/${it.number}`,
      ip: i === pi.iterations.length - 1,
    })),
  );
  const ordinal = (ref: string | null | undefined) =>
    ref ? iterations.findIndex((it) => it.ref === ref) + 1 || null : null;
  // Stories where the history leaves them: carried over, joined late or taken out of their iteration.
  const finalIteration = finalIterations(plan);
  const stories = plan.stories.map((s) => ({ ...s, iteration: finalIteration.get(s.ref) ?? null }));
  const items = new Map([...plan.features, ...stories].map((item) => [item.ref, item]));
  const states = finalStates(plan);
  const day = today.toISOString().slice(0, 10);
  const now = ordinal(iterations.find((it) => it.startDate <= day && day <= it.endDate)?.ref) ?? 0;
  const [current] = plan.pis;
  const landsAt = (item: PlanItem, end: "first" | "last") =>
    landing(
      (item.level === "story"
        ? [item]
        : stories.filter((s) => s.parent === item.ref && states.get(s.ref) !== "split")
      ).map((s) => ordinal(s.iteration)),
      end,
    );
  const healthOf = (d: DemoPlanning["dependencies"][number]) =>
    dependencyHealth({
      state: d.state,
      provider: landsAt(items.get(d.to) as PlanItem, "last"),
      consumer: landsAt(items.get(d.from) as PlanItem, "first"),
      neededBy: ordinal(d.neededBy),
    });
  const loadOf = (team: string, iteration: string) =>
    stories
      .filter((s) => s.team === team && s.iteration === iteration && states.get(s.ref) !== "split")
      .reduce((sum, s) => sum + (s.points ?? 0), 0);
  const capacityAt = (entry: DemoPlanning["capacity"][number]) => {
    const it = iterations.find((i) => i.ref === entry.iteration);
    if (!it) throw new Error(`no iteration ${entry.iteration}`);
    const members = entry.members.map((m) => ({ ...m, personId: m.email }));
    return capacityOf({ members, points: entry.points }, workingDays(it.startDate, it.endDate)).points;
  };
  return {
    pis,
    iterations,
    ordinal,
    items,
    now,
    healthOf,
    loadOf,
    capacityAt,
    /** The capacity entries of the current PI whose planned load is above the capacity. */
    overloaded: () =>
      planning.capacity.filter(
        (c) => c.iteration.startsWith(`${current?.name}/`) && loadOf(c.team, c.iteration) > (capacityAt(c) ?? 0),
      ),
    /** The health of each dependency whose consumer is in the current PI. */
    currentHealth: () =>
      planning.dependencies.filter((d) => items.get(d.from)?.pi === current?.name).map((d) => healthOf(d)),
  };
}

let view: ReturnType<typeof judge>;
beforeAll(() => {
  view = judge(plan, planning, TODAY);
});
const allPis = () => view.pis;
const iterations = () => view.iterations;
const ordinal = (ref: string | null) => view.ordinal(ref);
const items = () => view.items;
const teamOf = (item: PlanItem) => item.team ?? item.teams?.[0];

describe("planDemoPlanning", () => {
  it("adds a finished PI of the same shape that ends the day before the demo's first PI", () => {
    const finished = planning.finishedPi;
    expect(finished).toEqual(plan.finishedPi);
    const [first] = plan.pis;
    expect(finished.iterations.map((it) => it.number)).toEqual([1, 2, 3, 4, 5]);
    expect(plan.pis.map((pi) => pi.name)).not.toContain(finished.name);
    const end = Date.parse(finished.iterations.at(-1)?.endDate ?? "");
    expect(Date.parse(first?.startDate ?? "") - end).toBe(86_400_000);
    expect((finished.iterations.at(-1)?.endDate ?? "") < TODAY.toISOString().slice(0, 10)).toBe(true);
  });

  it("gives every team a capacity above zero in every development iteration of the demo's PIs", () => {
    const development = iterations().filter((it) => !it.ip && it.pi !== planning.finishedPi.name);
    for (const team of plan.teams) {
      for (const it of development) {
        const entries = planning.capacity.filter((c) => c.team === team.key && c.iteration === it.ref);
        expect(entries).toHaveLength(1);
        expect(view.capacityAt(entries[0] as DemoPlanning["capacity"][number])).toBeGreaterThan(0);
      }
    }
    expect(planning.capacity.some((c) => iterations().find((it) => it.ref === c.iteration)?.ip)).toBe(false);
  });

  it("counts most teams' capacity from their people, with part-timers and days off, and two teams in points", () => {
    const pointsTeams = new Set(planning.capacity.filter((c) => c.points !== null).map((c) => c.team));
    expect(pointsTeams.size).toBe(2);
    const people = planning.capacity.filter((c) => c.points === null);
    for (const c of people) {
      expect(pointsTeams.has(c.team)).toBe(false);
      expect(c.members.length).toBeGreaterThanOrEqual(4);
      for (const m of c.members) {
        expect(m.availability).toBeGreaterThan(0);
        expect(m.availability).toBeLessThanOrEqual(100);
        expect(m.daysOff).toBeGreaterThanOrEqual(0);
        expect(m.daysOff).toBeLessThanOrEqual(10);
      }
    }
    const members = people.flatMap((c) => c.members);
    expect(members.some((m) => m.availability < 100)).toBe(true);
    expect(members.some((m) => m.daysOff > 0)).toBe(true);
    const emails = new Set(plan.people.map((p) => p.email));
    const linked = members.filter((m) => m.email !== null);
    expect(linked.length).toBeGreaterThan(0);
    for (const m of linked) expect(emails).toContain(m.email);
  });

  it("overloads exactly one team in one iteration still to come, and no other of the current PI", () => {
    const overloaded = view.overloaded();
    expect(overloaded).toHaveLength(1);
    expect(ordinal(overloaded[0]?.iteration ?? null)).toBeGreaterThan(view.now);
  });

  it("details every dependency of the train with what is needed and by when, in every state", () => {
    expect(planning.dependencies.map((d) => `${d.from}>${d.to}`)).toEqual(
      plan.dependencies.map((d) => `${d.from}>${d.to}`),
    );
    expect(planning.dependencies.length).toBeGreaterThanOrEqual(12);
    const byRef = items();
    for (const d of planning.dependencies) {
      expect(d.needed.length).toBeGreaterThan(10);
      if (d.neededBy !== null) expect(ordinal(d.neededBy)).not.toBeNull();
      expect(teamOf(byRef.get(d.from) as PlanItem)).not.toBe(teamOf(byRef.get(d.to) as PlanItem));
      // Reached from requested the way a provider would: commit first, then deliver; or decline with a reason.
      const planned = ordinal(d.plannedIteration);
      const facts = { plannedIteration: planned, declineReason: d.declineReason };
      if (d.state === "committed" || d.state === "delivered") {
        expect(dependencyChangeProblem("requested", "committed", facts)).toBeNull();
      }
      if (d.state === "delivered") expect(dependencyChangeProblem("committed", "delivered", facts)).toBeNull();
      if (d.state === "declined") expect(dependencyChangeProblem("requested", "declined", facts)).toBeNull();
      if (d.state === "requested") expect(d.plannedIteration).toBeNull();
    }
    const states = planning.dependencies.map((d) => d.state);
    for (const state of ["requested", "committed", "delivered"]) expect(states).toContain(state);
    expect(states.filter((s) => s === "declined")).toHaveLength(1);
    expect(planning.dependencies.filter((d) => d.neededBy !== null).length).toBeGreaterThanOrEqual(12);
  });

  it("shows at least one conflict and one dependency at risk in the current PI, and not only those", () => {
    const health = view.currentHealth();
    expect(health).toContain("conflict");
    expect(health).toContain("at_risk");
    expect(health).toContain("healthy");
    expect(health.filter((h) => h === "conflict").length).toBeLessThanOrEqual(health.length / 3);
  });

  it("places milestones inside their PIs, with a beta release and a PI System Demo", () => {
    for (const m of planning.milestones) {
      const pi = allPis().find((p) => p.name === m.pi);
      expect(pi).toBeDefined();
      expect(m.date >= (pi?.startDate ?? "")).toBe(true);
      expect(m.date <= (pi?.iterations.at(-1)?.endDate ?? "")).toBe(true);
    }
    const names = planning.milestones.map((m) => m.name);
    expect(names).toContain("Beta release");
    expect(names).toContain("PI System Demo");
  });

  it("gives each team committed and uncommitted objectives in the current PI, tied to its own features", () => {
    const [current] = plan.pis;
    const byRef = items();
    const objectives = planning.objectives.filter((o) => o.pi === current?.name);
    for (const team of plan.teams) {
      const mine = objectives.filter((o) => o.team === team.key);
      expect(mine.some((o) => o.committed)).toBe(true);
      expect(mine.some((o) => !o.committed)).toBe(true);
      for (const o of mine) {
        expect(o.features.length).toBeGreaterThan(0);
        for (const ref of o.features) {
          const feature = byRef.get(ref);
          expect(feature?.level).toBe("feature");
          expect(feature?.pi).toBe(current?.name);
          expect(feature?.teams).toContain(team.key);
        }
      }
    }
    for (const o of planning.objectives) {
      expect(o.plannedValue).toBeGreaterThanOrEqual(1);
      expect(o.plannedValue).toBeLessThanOrEqual(10);
      if (o.pi !== planning.finishedPi.name) expect(o.actualValue).toBeNull();
    }
    expect(objectives.some((o) => o.team === null)).toBe(true);
  });

  it("assesses the finished PI's objectives, so each team and the train show a predictability", () => {
    const finished = planning.objectives.filter((o) => o.pi === planning.finishedPi.name);
    for (const o of finished) {
      expect(o.actualValue).toBeGreaterThanOrEqual(0);
      expect(o.actualValue).toBeLessThanOrEqual(10);
    }
    for (const team of plan.teams) {
      const mine = finished.filter((o) => o.team === team.key);
      expect(mine.some((o) => o.committed) && mine.some((o) => !o.committed)).toBe(true);
      expect(predictability(mine).percent).not.toBeNull();
    }
    // SAFe calls a train predictable between 80 % and 100 % of the committed value.
    expect(predictability(finished).band).toBe("predictable");
  });

  it("raises risks in every ROAM state, tied to items of the train and owned by its people", () => {
    expect(new Set(planning.risks.map((r) => r.roam))).toEqual(new Set(ROAM_STATES));
    const byRef = items();
    const emails = new Set(plan.people.map((p) => p.email));
    const teams = new Set(plan.teams.map((t) => t.key));
    for (const r of planning.risks) {
      for (const ref of r.items) expect(byRef.has(ref)).toBe(true);
      if (r.owner !== null) expect(emails).toContain(r.owner);
      if (r.team !== null) expect(teams).toContain(r.team);
      if (r.pi !== null) expect(allPis().map((p) => p.name)).toContain(r.pi);
    }
    expect(planning.risks.filter((r) => r.items.length > 0).length).toBeGreaterThanOrEqual(3);
  });

  it("sets the 65/10/25 allocation policy on the current PI", () => {
    expect(planning.allocations).toEqual([
      { pi: plan.pis[0]?.name, policy: { business: 65, enabler: 10, maintenance: 25 } },
    ]);
    expect(
      allocationProblem(planning.allocations[0]?.policy ?? { business: 0, enabler: 0, maintenance: 0 }),
    ).toBeNull();
  });

  it("gives the same planning for the same seed and date, and other capacity for another seed", () => {
    expect(planDemoPlanning(plan, mulberry32(43), TODAY)).toEqual(planning);
    const other = planDemoPlanning(plan, mulberry32(8), TODAY);
    expect(other.capacity).not.toEqual(planning.capacity);
  });

  it("keeps its rules for other seeds and dates: conflicts and risks on the board, one overload, one declined", () => {
    for (const [seed, date] of [
      [7, "2026-03-02T08:00:00Z"],
      [99, "2027-11-30T12:00:00Z"],
    ] as const) {
      const today = new Date(date);
      const otherPlan = planDemoTrain(source, mulberry32(seed), today);
      const other = planDemoPlanning(otherPlan, mulberry32(seed + 1), today);
      const seen = judge(otherPlan, other, today);
      expect(seen.currentHealth()).toContain("conflict");
      expect(seen.currentHealth()).toContain("at_risk");
      expect(seen.overloaded()).toHaveLength(1);
      expect(other.dependencies.filter((d) => d.state === "declined")).toHaveLength(1);
      expect(new Set(other.risks.map((r) => r.roam))).toEqual(new Set(ROAM_STATES));
      expect(new Set(other.capacity.filter((c) => c.points !== null).map((c) => c.team)).size).toBe(2);
    }
  });
});
