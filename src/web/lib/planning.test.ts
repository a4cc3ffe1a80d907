// The Plan screen's pure helpers: which PI opens, a story moved between columns before the server answers, load in
// words, and the load a proposal leaves when only some of its moves are accepted.
import { describe, expect, it } from "vitest";
import {
  currentPi,
  dropChanges,
  fillOf,
  loadText,
  loadWithMoves,
  moveCard,
  movesByTeam,
  overloadText,
  type PlanCard,
  type PlanView,
  type ProposedMove,
  velocityText,
} from "./planning";

const pi = (id: string, startDate: string, endDate: string) => ({ id, startDate, endDate });

describe("the PI the Plan screen opens", () => {
  const pis = [
    pi("p2", "2026-04-01", "2026-06-09"),
    pi("p1", "2026-01-07", "2026-03-17"),
    pi("p3", "2026-06-10", "2026-08-18"),
  ];

  it("is the one today falls in", () => {
    expect(currentPi(pis, "2026-02-01")?.id).toBe("p1");
    expect(currentPi(pis, "2026-06-09")?.id).toBe("p2");
  });

  it("is the next to start when today falls between PIs or before them", () => {
    expect(currentPi(pis, "2026-03-20")?.id).toBe("p2");
    expect(currentPi(pis, "2025-12-01")?.id).toBe("p1");
  });

  it("is the latest when every PI is over, and none without PIs", () => {
    expect(currentPi(pis, "2027-01-01")?.id).toBe("p3");
    expect(currentPi([], "2026-01-01")).toBeNull();
  });
});

const card = (id: string, points: number | null, iterationId: string | null, rank = id): PlanCard => ({
  id,
  key: `PAY-${id}`,
  title: `Story ${id}`,
  points,
  state: "ready",
  type: "business",
  featureId: "f1",
  featureKey: "PAY-1",
  iterationId,
  blockedReason: null,
  rank,
  version: 1,
});

function plan(): PlanView {
  const capacity = (points: number | null) => ({ points, source: points === null ? null : ("points" as const) });
  return {
    pi: {
      id: "p1",
      artId: "a",
      name: "PI 1",
      startDate: "2026-01-07",
      endDate: "2026-03-17",
      iterations: [],
      allocation: null,
      version: 1,
    },
    teams: [
      {
        teamId: "core",
        key: "core",
        name: "Core",
        iterations: [
          {
            iterationId: "i1",
            capacity: capacity(10),
            load: 8,
            unestimated: 1,
            overloaded: false,
            stories: [card("a", 5, "i1"), card("b", 3, "i1"), card("c", null, "i1")],
          },
          { iterationId: "i2", capacity: capacity(4), load: 0, unestimated: 0, overloaded: false, stories: [] },
        ],
        unplanned: [card("d", 8, null, "a0"), card("e", 2, null, "e")],
        velocity: { average: null, recent: [] },
      },
    ],
    allocation: { policy: null, capacity: 14, shares: [] },
    features: [{ id: "f1", key: "PAY-1", title: "Feature", wsjf: 3, teamIds: ["core"], state: "implementing" }],
  };
}

describe("moving a card before the server answers", () => {
  it("takes the story out of its column and puts it into the other in rank order, with both loads recomputed", () => {
    const moved = moveCard(plan(), "a", "i2");
    const [i1, i2] = moved.teams[0]?.iterations ?? [];
    expect(i1?.stories.map((s) => s.id)).toEqual(["b", "c"]);
    expect(i1).toMatchObject({ load: 3, unestimated: 1, overloaded: false });
    expect(i2?.stories.map((s) => s.id)).toEqual(["a"]);
    expect(i2?.stories[0]?.iterationId).toBe("i2");
    expect(i2).toMatchObject({ load: 5, overloaded: true });
  });

  it("moves an unplanned story into an iteration, and a planned one back to Unplanned", () => {
    const planned = moveCard(plan(), "d", "i1");
    expect(planned.teams[0]?.unplanned.map((s) => s.id)).toEqual(["e"]);
    expect(planned.teams[0]?.iterations[0]).toMatchObject({ load: 16, overloaded: true });
    const back = moveCard(planned, "b", null);
    expect(back.teams[0]?.unplanned.map((s) => s.id)).toEqual(["b", "e"]);
    expect(back.teams[0]?.iterations[0]?.load).toBe(13);
  });

  it("leaves the plan as it is for a story already there, unknown, or an iteration the team has no column for", () => {
    const p = plan();
    expect(moveCard(p, "a", "i1")).toBe(p);
    expect(moveCard(p, "zz", "i2")).toBe(p);
    expect(moveCard(p, "a", "elsewhere")).toBe(p);
  });
});

describe("load against capacity in words", () => {
  it("reads load over capacity, or the load alone without one", () => {
    expect(loadText(18, 20)).toBe("18 / 20 pts");
    expect(loadText(7, null)).toBe("7 pts");
    expect(loadText(2.5, 8)).toBe("2.5 / 8 pts");
  });

  it("names an overload only when the load passes the capacity", () => {
    expect(overloadText(23, 20)).toBe("Overloaded by 3");
    expect(overloadText(20, 20)).toBeNull();
    expect(overloadText(30, null)).toBeNull();
  });

  it("fills the bar up to full, and draws none without a capacity", () => {
    expect(fillOf(10, 20)).toBe(0.5);
    expect(fillOf(30, 20)).toBe(1);
    expect(fillOf(3, 0)).toBe(1);
    expect(fillOf(3, null)).toBeNull();
  });

  it("says the velocity with the number of iterations it averages", () => {
    expect(
      velocityText({
        average: 21,
        recent: [1, 2, 3, 4].map((n) => ({ iterationId: `i${n}`, name: `I${n}`, points: 21 })),
      }),
    ).toBe("Velocity 21 (last 3)");
    expect(velocityText({ average: 12.5, recent: [{ iterationId: "i", name: "I", points: 12.5 }] })).toBe(
      "Velocity 12.5 (last 1)",
    );
    expect(velocityText({ average: null, recent: [] })).toBe("No velocity yet");
  });
});

describe("a drop's changes", () => {
  const features = new Set(["f1"]);
  it("names the iteration, and keeps a story without a feature of the PI in the PI when it is unplanned", () => {
    expect(dropChanges({ featureId: "f1" }, "i2", { id: "p1" }, features)).toEqual({ iterationId: "i2" });
    expect(dropChanges({ featureId: "f1" }, null, { id: "p1" }, features)).toEqual({ iterationId: null });
    expect(dropChanges({ featureId: null }, null, { id: "p1" }, features)).toEqual({ iterationId: null, piId: "p1" });
  });
});

describe("a proposal's moves", () => {
  const ref = (id: string) => ({ id, name: id.toUpperCase(), number: Number(id.slice(1)), piId: "p1" });
  const move = (
    id: string,
    teamId: string,
    points: number | null,
    from: string | null,
    to: string | null,
  ): ProposedMove => ({
    item: { id, key: `PAY-${id}`, title: id, points, teamId, version: 1 },
    from: from ? ref(from) : null,
    to: to ? ref(to) : null,
    reason: "because",
  });
  const moves = [
    move("a", "core", 5, null, "i1"),
    move("b", "web", 3, "i1", "i2"),
    move("c", "core", null, null, "i2"),
    move("d", "core", 2, "i1", "i2"),
  ];

  it("are grouped by team in the teams' order, leaving out teams with none", () => {
    const teams = [
      { id: "web", key: "web", name: "Web" },
      { id: "mobile", key: "mobile", name: "Mobile" },
      { id: "core", key: "core", name: "Core" },
    ];
    expect(movesByTeam(moves, teams).map((g) => [g.team.key, g.moves.map((m) => m.item.id)])).toEqual([
      ["web", ["b"]],
      ["core", ["a", "c", "d"]],
    ]);
  });

  it("change each iteration's load by only the chosen ones", () => {
    const load = [
      { teamId: "core", iterationId: "i1", capacity: 10, before: 4, after: 7 },
      { teamId: "core", iterationId: "i2", capacity: 10, before: 0, after: 2 },
      { teamId: "web", iterationId: "i1", capacity: 10, before: 3, after: 0 },
    ];
    const chosen = loadWithMoves(load, moves, new Set(["a", "c", "b"]));
    expect(chosen.map((l) => l.chosen)).toEqual([9, 0, 0]);
    expect(loadWithMoves(load, moves, new Set(moves.map((m) => m.item.id))).map((l) => l.chosen)).toEqual([7, 2, 0]);
    expect(loadWithMoves(load, moves, new Set()).map((l) => l.chosen)).toEqual([4, 0, 3]);
  });
});
