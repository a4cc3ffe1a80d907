// The metrics over the HTTP API on SQLite and PostgreSQL: a small history written through the API on a moving clock,
// whose numbers are worked out by hand below — acceptance with scope added and removed, say/do, rework with its
// reason, readiness, the same "as of" an earlier day, forecasts, inspect & adapt — and bad queries refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";

// PI 1 starts 2026-11-02: iteration 1 runs 11-02 to 11-13, iteration 2 11-16 to 11-27; today is in iteration 2.
const TODAY = "2026-11-20T12:00:00.000Z";
const day = (d: string, hour = 12) => `2026-${d}T${String(hour).padStart(2, "0")}:00:00.000Z`;

describeEachDatabase("metrics over the API", (database) => {
  let t: TestApp;
  const keys: Record<string, string> = {};
  const versions: Record<string, number> = {};

  const at = (when: string) => {
    t.runtime.deps.clock = () => new Date(when);
  };
  const create = async (name: string, when: string, fields: object) => {
    at(when);
    const r = await t.call("POST", "/items", { art: "PAY", level: "story", teamId: "core", title: name, ...fields });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    keys[name] = r.body.key;
    versions[name] = r.body.version;
  };
  const edit = async (name: string, when: string, fields: object) => {
    at(when);
    const r = await t.call("PATCH", `/items/${keys[name]}`, { version: versions[name], ...fields });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    versions[name] = r.body.version;
  };
  const get = async (path: string) => {
    at(TODAY);
    const r = await t.call("GET", path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    t = await openTestApp(await database.createUrl());
    at(day("10-20"));
    await createSmallTrain(t);
    const planned = { state: "ready", iterationId: "PI 1/1" };
    await create("S1", day("10-30"), { ...planned, points: 3 });
    await create("S2", day("10-30"), { ...planned, points: 5 });
    await create("S3", day("10-30"), { ...planned, points: 2 });
    await create("S4", day("10-30"), { state: "ready", iterationId: "PI 1/3", points: 3 });
    await create("S5", day("10-30"), { state: "refining", iterationId: "PI 1/3", points: 5 });
    // S1: a day in progress blocked for half of it, then done and accepted.
    await edit("S1", day("11-03"), { state: "in_progress" });
    await edit("S1", day("11-04", 0), { blockedReason: "Waiting on the card sandbox" });
    await edit("S1", day("11-04", 12), { blockedReason: null });
    await edit("S1", day("11-05"), { state: "done" });
    await edit("S1", day("11-06"), { state: "accepted" });
    // S2: done, moved back for a defect, done again; never accepted.
    await edit("S2", day("11-06"), { state: "in_progress" });
    await edit("S2", day("11-10"), { state: "done" });
    await edit("S2", day("11-11"), { state: "in_progress", reworkReason: "defect", reworkNote: "Declines crash" });
    await edit("S2", day("11-12"), { state: "done" });
    // S3: taken out of the iteration; S6: brought in mid-iteration and accepted.
    await edit("S3", day("11-09"), { iterationId: null });
    await create("S6", day("11-10"), { state: "ready", iterationId: "PI 1/1", points: 1 });
    await edit("S6", day("11-11"), { state: "in_progress" });
    await edit("S6", day("11-12", 9), { state: "done" });
    await edit("S6", day("11-12", 15), { state: "accepted" });
  });
  afterAll(() => t?.close());

  describe("the team dashboard", () => {
    let core: Awaited<ReturnType<typeof get>>;
    beforeAll(async () => {
      core = await get("/arts/PAY/metrics?team=core");
    });

    it("gives the completed iteration's acceptance, scope added and removed, velocity and say/do", () => {
      const first = core.iterations.find((i: { number: number }) => i.number === 1);
      expect(first).toMatchObject({
        completed: true,
        planned: { stories: 3, points: 10 },
        accepted: { stories: 1, points: 3 },
        added: { stories: 1, points: 1, accepted: 1 },
        removed: 1,
        carriedOver: 0,
        acceptanceRate: 33.3,
        velocity: 9,
        plannedDone: 8,
        sayDo: 80,
        reworked: 1,
        // As it began: S1, S2 and S3 in it, ready; nothing yet in iteration 2.
        readiness: { stories: 3, ready: 3, rate: 100 },
      });
      // As iteration 2 began: S4 (ready) and S5 (refining) in iteration 3, the horizon's second.
      expect(core.iterations.find((i: { number: number }) => i.number === 2).readiness).toEqual({
        stories: 2,
        ready: 1,
        rate: 50,
      });
      expect(core.pis[0].readiness).toBe(80);
      expect(core.pi.name).toBe("PI 1");
      expect(core.team).toEqual({ key: "core", name: "Core" });
    });

    it("gives the PI's Rework Ratio with the reason recorded", () => {
      expect(core.rework).toEqual({
        reworked: 1,
        reopenings: 1,
        completed: 3,
        ratio: 33.3,
        reasons: [{ reason: "defect", count: 1 }],
      });
    });

    it("gives the readiness of the next two iterations and flow with blocked time as waiting", () => {
      expect(core.readiness.assigned).toEqual({ stories: 2, ready: 1, rate: 50 });
      // Flow time: S1 2 days (half a day blocked), S2 4, S6 21 hours: (6.875 − 0.5) ÷ 6.875.
      expect(core.flow.time.count).toBe(3);
      expect(core.flow.efficiency.blockedDays).toBe(0.5);
      expect(core.flow.efficiency.percent).toBe(92.7);
      expect(core.velocity.average).toBe(9);
      expect(core.burnUp.at(-1)).toMatchObject({ date: "2026-11-20" });
      expect(core.cfd.at(-1).counts).toMatchObject({ accepted: 2, done: 1, ready: 1, refining: 1 });
    });

    it("shows no data, not 0 %, for a team that planned nothing", async () => {
      const web = await get("/arts/PAY/metrics?team=web");
      expect(web.iterations.find((i: { number: number }) => i.number === 1).acceptanceRate).toBeNull();
      expect(web.rework.ratio).toBeNull();
      expect(web.readiness.assigned.rate).toBeNull();
    });

    it("recomputes everything as of an earlier day", async () => {
      const then = await get("/arts/PAY/metrics?team=core&asOf=2026-11-05");
      expect(then.asOf).toBe("2026-11-05");
      const first = then.iterations.find((i: { number: number }) => i.number === 1);
      expect(first).toMatchObject({ completed: false, planned: { stories: 3 }, accepted: { stories: 0 } });
      expect(first.acceptanceRate).toBe(0);
      expect(then.rework.ratio).toBe(0); // S1 done on the 5th, nothing moved back yet
    });
  });

  it("adds the teams up for the whole train", async () => {
    const train = await get("/arts/PAY/metrics");
    expect(train.team).toBeNull();
    expect(train.iterations.find((i: { number: number }) => i.number === 1).accepted.stories).toBe(1);
  });

  it("forecasts from each team's throughput, the same every time, with its assumption", async () => {
    const one = await get("/arts/PAY/forecast?team=core&trials=2000");
    expect(one.trials).toBe(2000);
    expect(one.assumption).toMatch(/rank order/);
    expect(one.teams).toEqual([{ key: "core", name: "Core", days: 42, finished: 3 }]);
    expect(one.fit.stories.p95).toBeLessThanOrEqual(one.fit.stories.p50);
    expect(one.fit.backlog.map((b: { key: string }) => b.key).sort()).toEqual([keys.S3, keys.S4, keys.S5].sort());
    expect(await get("/arts/PAY/forecast?team=core&trials=2000")).toEqual(one);
  });

  it("puts the teams side by side for inspect & adapt", async () => {
    const view = await get("/arts/PAY/inspect-adapt?pi=PI%201");
    expect(view.teams.map((r: { key: string }) => r.key)).toEqual(["core", "web"]);
    expect(view.teams[0]).toMatchObject({ acceptanceRate: 33.3, reworkRatio: 33.3, velocity: 9, throughput: 3 });
    expect(view.teams[1]).toMatchObject({ acceptanceRate: null, reworkRatio: null, throughput: 0 });
    expect(view.train).toMatchObject({ key: "PAY", acceptanceRate: 33.3 });
  });

  it("refuses a date in the future, a bad horizon and an unknown PI, naming the field", async () => {
    for (const [query, field] of [
      ["asOf=2099-01-01", "asOf"],
      ["asOf=yesterday", "asOf"],
      ["horizon=0", "horizon"],
      ["pi=PI%209", "pi"],
      ["team=nope", "team"],
    ]) {
      at(TODAY);
      const r = await t.call("GET", `/arts/PAY/metrics?${query}`);
      expect(r.status, query).toBe(400);
      expect(JSON.stringify(r.body.errors), query).toContain(field);
    }
  });
});
