// The program board and the proposed plan over the HTTP API on SQLite and PostgreSQL: features placed where their
// stories land per team, milestones, load against capacity with overloads, dependency lines; a proposal that keeps
// within capacity and dependency order and says what it cannot place; accepting it in one transaction (or, with one
// stale story, not at all); who may see and do it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { openTestApp, type TestApp } from "../../test/test-app.js";

interface IterRef {
  id: string;
  name: string;
  number: number;
}
interface Move {
  item: { id: string; key: string; points: number | null; teamId: string; version: number };
  from: IterRef | null;
  to: IterRef | null;
  reason: string;
}
interface Proposal {
  moves: Move[];
  kept: number;
  unplaced: { item: { key: string }; reason: string }[];
  load: { teamId: string; iterationId: string; capacity: number | null; before: number; after: number }[];
  allocation: { kind: string; points: number }[];
}

describeEachDatabase("the program board and the proposed plan over the API", (database) => {
  let t: TestApp;
  let trains = 0;
  beforeAll(async () => {
    t = await openTestApp(await database.createUrl());
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh ART (teams core and web) with "PI 2" in the future: iterations 1–4 for development, 5 for IP. */
  const train = async () => {
    const key = `BRD${++trains}`;
    const art = await t.call("POST", "/arts", {
      key,
      name: `Board ${trains}`,
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    });
    expect(art.status, JSON.stringify(art.body)).toBe(201);
    const pi = await t.call("POST", `/arts/${key}/pis`, { name: "PI 2", startDate: "2030-01-07" });
    expect(pi.status, JSON.stringify(pi.body)).toBe(201);
    const teams: Record<string, string> = Object.fromEntries(
      (art.body.teams as { key: string; id: string }[]).map((x) => [x.key, x.id]),
    );
    const iterations: { id: string; number: number; name: string }[] = pi.body.iterations;
    const iteration = (n: number) => iterations.find((it) => it.number === n)?.id as string;
    const create = async (body: object) => {
      const r = await t.call("POST", "/items", { art: key, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; key: string; version: number };
    };
    return {
      key,
      teams,
      piId: pi.body.id as string,
      iteration,
      feature: (title: string, extra: object = {}) => create({ level: "feature", title, piId: "PI 2", ...extra }),
      story: (team: string, points: number | null, extra: object = {}) =>
        create({ level: "story", title: `A story of ${team}`, teamId: team, points, ...extra }),
      /** Sets a team's capacity in points for iterations (by number) straight in the database. */
      capacity: async (team: string, points: number, numbers: number[]) => {
        await t.runtime.deps.db
          .insertInto("team_capacity")
          .values(
            numbers.map((n) => ({
              team_id: teams[team] as string,
              iteration_id: iteration(n),
              members: "[]",
              points,
              version: 1,
              updated_at: new Date().toISOString(),
              updated_by: null,
            })),
          )
          .execute();
      },
    };
  };

  describe("the board", () => {
    it("places features where their stories land per team, with milestones, load, overloads and dependency lines", async () => {
      const tr = await train();
      await tr.capacity("core", 5, [1, 2, 3, 4]);
      const f = await tr.feature("Card payments", { teamIds: ["core", "web"] });
      const early = await tr.story("core", 3, { parentId: f.key, iterationId: "PI 2/1" });
      await tr.story("core", 3, { parentId: f.key, iterationId: "PI 2/1" });
      await tr.story("core", 2, { parentId: f.key, iterationId: "PI 2/2" });
      const web = await tr.story("web", 5, { parentId: f.key });
      const other = await tr.feature("Refunds", { teamIds: ["web"] });
      await t.runtime.deps.db
        .insertInto("milestones")
        .values({
          id: `m-${tr.key}`,
          pi_id: tr.piId,
          name: "Beta release",
          date: "2030-02-01",
          created_at: new Date().toISOString(),
          created_by: null,
        })
        .execute();
      const dep = await t.call("POST", `/arts/${tr.key}/dependencies`, {
        consumer: early.key,
        provider: web.key,
        needed: "the card form",
      });
      expect(dep.status).toBe(201);

      const r = await t.call("GET", `/arts/${tr.key}/pis/PI%202/board`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const board = r.body;
      expect(board.pi.name).toBe("PI 2");
      expect(board.iterations.map((it: { kind: string }) => it.kind)).toEqual([
        "development",
        "development",
        "development",
        "development",
        "ip",
      ]);
      expect(board.teams.map((x: { key: string }) => x.key).sort()).toEqual(["core", "web"]);
      expect(board.milestones).toEqual([{ id: `m-${tr.key}`, name: "Beta release", date: "2030-02-01" }]);
      const cells = board.features.map((x: { key: string; teamId: string; iterationId: string | null }) => [
        x.key,
        x.teamId,
        x.iterationId,
      ]);
      expect(cells).toEqual(
        expect.arrayContaining([
          [f.key, tr.teams.core, tr.iteration(2)],
          [f.key, tr.teams.web, null],
          [other.key, tr.teams.web, null],
        ]),
      );
      expect(
        board.features.find((x: { key: string; teamId: string }) => x.key === f.key && x.teamId === tr.teams.core),
      ).toMatchObject({ stories: 3, points: 8 });
      const load = (team: string, n: number) =>
        board.load.find(
          (l: { teamId: string; iterationId: string }) =>
            l.teamId === tr.teams[team] && l.iterationId === tr.iteration(n),
        );
      expect(load("core", 1)).toMatchObject({ capacity: 5, load: 6, overloaded: true });
      expect(load("core", 2)).toMatchObject({ capacity: 5, load: 2, overloaded: false });
      expect(load("web", 1)).toMatchObject({ capacity: null, load: 0, overloaded: false });
      expect(board.dependencies).toEqual([
        expect.objectContaining({ id: dep.body.id, health: "unplanned", crossTeam: true }),
      ]);

      const webOnly = await t.call("GET", `/arts/${tr.key}/pis/${tr.piId}/board?team=web`);
      expect(webOnly.body.teams.map((x: { key: string }) => x.key)).toEqual(["web"]);
      expect(webOnly.body.load.every((l: { teamId: string }) => l.teamId === tr.teams.web)).toBe(true);
      expect(webOnly.body.dependencies).toHaveLength(1);
    });

    it("is 404 for a PI or ART someone cannot see, and 400 naming team for a team they cannot see", async () => {
      const tr = await train();
      const outsider = await t.user(`Board outsider ${tr.key}`);
      const coreMember = await t.user(`Board member ${tr.key}`, [{ art: tr.key, role: "team_member", team: "core" }]);
      expect((await t.as(outsider)("GET", `/arts/${tr.key}/pis/PI%202/board`)).status).toBe(404);
      expect((await t.call("GET", `/arts/${tr.key}/pis/PI%209/board`)).status).toBe(404);
      const own = await t.as(coreMember)("GET", `/arts/${tr.key}/pis/PI%202/board`);
      expect(own.body.teams.map((x: { key: string }) => x.key)).toEqual(["core"]);
      const other = await t.as(coreMember)("GET", `/arts/${tr.key}/pis/PI%202/board?team=web`);
      expect(other.status).toBe(400);
      expect(other.body.errors.map((e: { path: string }) => e.path)).toEqual(["team"]);
    });
  });

  describe("the proposal", () => {
    /** Core: 8 points per iteration 1–4; web: 5; a high-WSJF feature of core stories, a web provider, odd ones out. */
    const planned = async () => {
      const tr = await train();
      await tr.capacity("core", 8, [1, 2, 3, 4]);
      await tr.capacity("web", 5, [1, 2, 3, 4]);
      const top = await tr.feature("Top", { businessValue: 20, timeCriticality: 20, riskReduction: 20, jobSize: 1 });
      const low = await tr.feature("Low", { businessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: 20 });
      const core = [
        await tr.story("core", 5, { parentId: top.key }),
        await tr.story("core", 5, { parentId: top.key }),
        await tr.story("core", 5, { parentId: low.key }),
      ];
      const provider = await tr.story("web", 3, { parentId: low.key });
      const consumer = await tr.story("core", 2, { parentId: top.key });
      const unestimated = await tr.story("core", null, { parentId: top.key });
      const huge = await tr.story("web", 13, { parentId: low.key });
      const dep = await t.call("POST", `/arts/${tr.key}/dependencies`, {
        consumer: consumer.key,
        provider: provider.key,
        needed: "an endpoint",
      });
      expect(dep.status).toBe(201);
      return { tr, core, provider, consumer, unestimated, huge };
    };
    const propose = async (key: string, query = "") => {
      const r = await t.call("GET", `/arts/${key}/pis/PI%202/plan/proposal${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as Proposal;
    };

    it("keeps every iteration within capacity, providers before consumers, and says what it cannot place", async () => {
      const { tr, core, provider, consumer, unestimated, huge } = await planned();
      const p = await propose(tr.key);
      for (const l of p.load) if (l.capacity !== null) expect(l.after).toBeLessThanOrEqual(l.capacity);
      const to = new Map(p.moves.map((m) => [m.item.key, m.to?.number ?? null]));
      expect(to.get(provider.key)).not.toBeNull();
      expect(to.get(consumer.key) as number).toBeGreaterThan(to.get(provider.key) as number);
      // The top feature's two stories come first: both fit iteration 1 of core (8 points) only one at a time.
      expect(to.get(core[0]?.key as string)).toBe(1);
      expect(p.unplaced.map((u) => u.item.key).sort()).toEqual([unestimated.key, huge.key].sort());
      for (const u of p.unplaced) expect(u.reason.length).toBeGreaterThan(0);
      for (const m of p.moves) {
        expect(m.from).toBeNull();
        expect(m.reason.length).toBeGreaterThan(0);
      }
      const webOnly = await propose(tr.key, "?team=web&order=rank");
      expect(webOnly.moves.every((m) => m.item.teamId === tr.teams.web)).toBe(true);
    });

    it("accepts the moves in one transaction with a history event each; one stale story writes nothing", async () => {
      const { tr } = await planned();
      const p = await propose(tr.key);
      expect(p.moves.length).toBeGreaterThan(2);
      const moves = p.moves.map((m) => ({ item: m.item.key, iteration: m.to?.id ?? null, version: m.item.version }));
      const [first, second] = p.moves as [Move, Move];
      const touched = await t.call("PATCH", `/items/${second.item.key}`, {
        title: "Changed meanwhile",
        version: second.item.version,
      });
      expect(touched.status).toBe(200);
      const stale = await t.call("POST", `/arts/${tr.key}/pis/PI%202/plan/accept`, { moves });
      expect(stale.status).toBe(409);
      expect(stale.body.detail).toContain(second.item.key);
      expect((await t.call("GET", `/items/${first.item.key}`)).body.item.iterationId).toBeNull();

      const fresh = moves.map((m) => (m.item === second.item.key ? { ...m, version: m.version + 1 } : m));
      const accepted = await t.call("POST", `/arts/${tr.key}/pis/PI%202/plan/accept`, { moves: fresh });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(accepted.body.items).toHaveLength(moves.length);
      const item = (await t.call("GET", `/items/${first.item.key}`)).body.item;
      expect(item.iterationId).toBe(first.to?.id);
      const history = await t.call("GET", `/items/${first.item.key}/history`);
      expect(history.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: "updated", field: "iterationId", newValue: first.to?.id }),
        ]),
      );
    });

    it("lets a viewer see a proposal but not accept it, and hides it from someone without a role on the ART", async () => {
      const { tr } = await planned();
      const viewer = await t.user(`Plan viewer ${tr.key}`, [{ art: tr.key, role: "viewer" }]);
      const outsider = await t.user(`Plan outsider ${tr.key}`);
      const p = await propose(tr.key);
      const moves = p.moves.map((m) => ({ item: m.item.key, iteration: m.to?.id ?? null, version: m.item.version }));
      expect((await t.as(viewer)("GET", `/arts/${tr.key}/pis/PI%202/plan/proposal`)).status).toBe(200);
      const denied = await t.as(viewer)("POST", `/arts/${tr.key}/pis/PI%202/plan/accept`, { moves });
      expect(denied.status).toBe(403);
      expect((await t.as(outsider)("GET", `/arts/${tr.key}/pis/PI%202/plan/proposal`)).status).toBe(404);
      expect((await t.as(outsider)("POST", `/arts/${tr.key}/pis/PI%202/plan/accept`, { moves })).status).toBe(404);
      const bad = await t.call("POST", `/arts/${tr.key}/pis/PI%202/plan/accept`, {
        moves: [{ item: "NOPE-1", iteration: "PI 2/9", version: 1 }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["moves.0.item"]);
    });
  });
});
