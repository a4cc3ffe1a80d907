// The backlog health check over the HTTP API on SQLite and PostgreSQL: a small train whose numbers are worked out by
// hand below — readiness in both forms, capacity from velocity or the set capacity, ready depth, the problems with
// their items — and who sees which teams.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp, type TestUser } from "../../test/test-app.js";

// PI 1 starts 2026-11-02 with five two-week iterations: 1 (11-02), 2 (11-16), 3 (11-30), 4 (12-14), IP 5 (12-28).
// Today is in iteration 2, so iteration 1 is the one completed, and 3 and 4 are the next two.
const TODAY = "2026-11-20T12:00:00.000Z";
const SEVENTY_DAYS_AGO = "2026-09-11T12:00:00.000Z";

interface Ref {
  key: string;
  title: string;
}
interface Problem {
  kind: string;
  rule: string | null;
  label: string;
  severity: string;
  items: Ref[];
}
interface Rate {
  ready: number;
  of: number;
  rate: number | null;
}
interface TeamHealth {
  team: { key: string };
  horizon: { name: string }[];
  velocity: number | null;
  capacityPerIteration: { points: number | null; source: string | null };
  readiness: { planned: Rate; ranked: Rate & { capacityPoints: number | null } };
  readyDepth: { points: number; iterations: number | null; healthy: boolean | null };
  openStories: number;
  quality: { rule: string; count: number; keys: string[] }[];
  problems: Problem[];
}
interface Health {
  asOf: string;
  teams: TeamHealth[];
  train: Omit<TeamHealth, "team" | "velocity" | "capacityPerIteration"> & {
    teams: number;
    capacityPerIteration: number | null;
    teamsWithoutCapacity: string[];
  };
}

const itemsOf = (h: { problems: Problem[] }, kind: string) =>
  h.problems.find((p) => p.kind === kind)?.items.map((i) => i.key) ?? [];

describeEachDatabase("the backlog health check over the API", (database) => {
  let t: TestApp;
  let webMember: TestUser;
  const k: Record<string, string> = {};

  const create = async (name: string, body: object, at = TODAY) => {
    t.runtime.deps.clock = () => new Date(at);
    const r = await t.call("POST", "/items", { art: "PAY", ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    k[name] = r.body.key;
  };
  const criteria = [
    "Given a saved card, when I pay, then the order is paid",
    "Given no card, when I pay, then I am asked",
  ];
  const story = (team: string, title: string, fields: object) => ({
    level: "story",
    teamId: team,
    title,
    acceptanceCriteria: criteria,
    ...fields,
  });
  const health = async (query = "", who = t.call): Promise<Health> => {
    const r = await who("GET", `/arts/PAY/health${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
    webMember = await t.user("Wes Web", [{ art: "PAY", role: "team_member", team: "web" }]);
    await create("FA", { level: "feature", title: "Card payments", state: "implementing", teamIds: ["core"] });
    await create("FB", { level: "feature", title: "Refunds", state: "analyzing", teamIds: ["core"] }, SEVENTY_DAYS_AGO);
    await create("FC", { level: "feature", title: "Statements", state: "funnel" });
    await create("FD", { level: "feature", title: "Receipts", state: "analyzing", teamIds: ["web"] });

    // core: 10 points done in the completed iteration 1 make its velocity 10.
    const fa = () => ({ parentId: k.FA });
    await create(
      "S0",
      story("core", "As a payer, I want to save a card so that I pay faster", {
        state: "done",
        points: 10,
        iterationId: "PI 1/1",
        ...fa(),
      }),
    );
    await create(
      "S1",
      story("core", "As a payer, I want to pay by card so that I can check out", {
        state: "ready",
        points: 3,
        iterationId: "PI 1/3",
        ...fa(),
      }),
    );
    await create(
      "S2",
      story("core", "As a payer, I want to see my card's last digits so that I know which it is", {
        state: "refining",
        points: 6,
        iterationId: "PI 1/3",
        ...fa(),
      }),
    );
    await create(
      "S3",
      story("core", "As a clerk, I want to void a card payment so that mistakes are undone", {
        state: "ready",
        points: 5,
        iterationId: "PI 1/4",
      }),
    );
    await create(
      "S4",
      story("core", "As a payer, I want to retry a declined card so that I can still pay", {
        state: "in_progress",
        points: 2,
        iterationId: "PI 1/2",
        ...fa(),
      }),
    );
    await create(
      "S5",
      { level: "story", teamId: "core", title: "Card payments", state: "new", points: 13, ...fa() },
      SEVENTY_DAYS_AGO,
    );
    await create(
      "S6",
      story("core", "As a payer, I want to pay by card in euros so that I can pay abroad", {
        state: "ready",
        points: 4,
        iterationId: "PI 1/5",
        ...fa(),
      }),
    );

    // web: no velocity, 4 points per iteration set.
    const settings = await t.call("PUT", "/arts/PAY/teams/web/refinement", {
      settings: { capacityPerIteration: 4 },
      version: 0,
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    await create(
      "W1",
      story("web", "As a payer, I want a card receipt by email so that I can file it", {
        state: "ready",
        points: 2,
        iterationId: "PI 1/3",
        parentId: k.FA,
      }),
    );
    await create(
      "W2",
      story("web", "As a payer, I want to print a receipt so that I can file it on paper", { state: "new", points: 3 }),
    );
    t.runtime.deps.clock = () => new Date(TODAY);
  });
  afterAll(async () => {
    await t.close();
  });

  it("rates core's readiness both ways against its velocity, with the next two iterations as the horizon", async () => {
    const h = await health();
    expect(h.asOf).toBe("2026-11-20");
    expect(h.teams.map((team) => team.team.key)).toEqual(["core", "web"]);
    const core = h.teams[0] as TeamHealth;
    expect(core.horizon.map((it) => it.name)).toEqual(["Iteration 3", "Iteration 4"]);
    expect(core.velocity).toBe(10);
    expect(core.capacityPerIteration).toEqual({ points: 10, source: "velocity" });
    // Planned for iterations 3 and 4, not started: S1 (ready), S2, S3 (ready) → 2 ÷ 3.
    expect(core.readiness.planned).toEqual({ ready: 2, of: 3, rate: 0.667 });
    // Unstarted in rank order: S1 3, S2 6, S3 5, S5 13, S6 4; 2 × 10 = 20 points: S1 (0 before), S2 (3), S3 (9),
    // S5 (14), then 27 ≥ 20 stops. Ready: S1, S3 → 2 ÷ 4.
    expect(core.readiness.ranked).toEqual({ ready: 2, of: 4, rate: 0.5, capacityPoints: 20 });
    // Ready points S1 3 + S3 5 + S6 4 = 12 over 10 per iteration.
    expect(core.readyDepth).toEqual({ points: 12, iterations: 1.2, healthy: false });
    expect(core.openStories).toBe(6);
  });

  it("lists core's problems, each with its items", async () => {
    const core = (await health()).teams[0] as TeamHealth;
    const shallow = core.problems.find((p) => p.kind === "shallow_ready_backlog");
    expect(shallow).toMatchObject({ severity: "warning" });
    expect(shallow?.items.map((i) => i.key)).toEqual([k.S2, k.S5]);
    expect(itemsOf(core, "not_ready_planned")).toEqual([k.S2]);
    // Limit min(8, 0.5 × 10) = 5 points: S2 (6) and S5 (13); S0 (10) is done.
    expect(itemsOf(core, "oversized")).toEqual([k.S2, k.S5]);
    expect(itemsOf(core, "no_feature")).toEqual([k.S3]);
    expect(core.problems.find((p) => p.kind === "stale")).toMatchObject({
      label: "1 story not updated for 60 days or more",
      items: [{ key: k.S5, title: "Card payments" }],
    });
  });

  it("takes web's capacity from its set capacity while it has no velocity", async () => {
    const web = (await health()).teams[1] as TeamHealth;
    expect(web.velocity).toBeNull();
    expect(web.capacityPerIteration).toEqual({ points: 4, source: "set" });
    expect(web.readiness.planned).toEqual({ ready: 1, of: 1, rate: 1 });
    // 2 × 4 = 8 points: W1 (0 before), W2 (2 before) → 1 ready of 2.
    expect(web.readiness.ranked).toEqual({ ready: 1, of: 2, rate: 0.5, capacityPoints: 8 });
    expect(web.readyDepth).toEqual({ points: 2, iterations: 0.5, healthy: false });
    expect(web.problems.find((p) => p.kind === "shallow_ready_backlog")).toMatchObject({
      severity: "error",
      items: [{ key: k.W2 }],
    });
  });

  it("rolls the teams up for the train and adds the features without stories and the stale ones", async () => {
    const { train } = await health();
    expect(train).toMatchObject({
      teams: 2,
      capacityPerIteration: 14,
      teamsWithoutCapacity: [],
      // core 2 of 3 + web 1 of 1; core 2 of 4 + web 1 of 2.
      readiness: { planned: { ready: 3, of: 4, rate: 0.75 }, ranked: { ready: 3, of: 6, rate: 0.5 } },
      // (12 + 2) ÷ (10 + 4).
      readyDepth: { points: 14, iterations: 1, healthy: false },
      openStories: 8,
    });
    expect(itemsOf(train, "no_feature")).toEqual([k.S3, k.W2]);
    // FC is in the funnel: no stories expected yet.
    expect(itemsOf(train, "features_without_stories")).toEqual([k.FB, k.FD]);
    expect(itemsOf(train, "stale_features")).toEqual([k.FB]);
  });

  it("counts quality findings by rule as the quality report does, leaving dismissed ones out", async () => {
    const core = (await health("?team=core")).teams[0] as TeamHealth;
    const report = await t.call("GET", "/arts/PAY/quality?team=core");
    expect(report.status).toBe(200);
    const expected = new Map<string, string[]>();
    for (const s of report.body.stories as { key: string; findings: { rule: string }[] }[]) {
      for (const rule of new Set(s.findings.map((f) => f.rule)))
        expected.set(rule, [...(expected.get(rule) ?? []), s.key]);
    }
    expect(Object.fromEntries(core.quality.map((q) => [q.rule, q.keys]))).toEqual(Object.fromEntries(expected));
    // S5 has no acceptance criteria: not testable.
    const testable = core.quality.find((q) => q.rule === "testable");
    expect(testable?.keys).toContain(k.S5);
    expect(core.problems.find((p) => p.kind === "quality" && p.rule === "testable")?.items.map((i) => i.key)).toEqual(
      testable?.keys,
    );

    const dismissed = await t.call("POST", `/items/${k.S5}/quality/dismissals`, {
      rule: "testable",
      reason: "A placeholder for the feature workshop",
    });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(201);
    const after = (await health("?team=core")).teams[0] as TeamHealth;
    expect(after.quality.find((q) => q.rule === "testable")?.keys ?? []).not.toContain(k.S5);
  });

  it("answers for one team with the features planned for it", async () => {
    const h = await health("?team=core");
    expect(h.teams.map((team) => team.team.key)).toEqual(["core"]);
    expect(h.train).toMatchObject({ teams: 1, capacityPerIteration: 10, readyDepth: { iterations: 1.2 } });
    expect(itemsOf(h.train, "features_without_stories")).toEqual([k.FB]);
  });

  it("shows a team member their own team only, and treats another team as unknown", async () => {
    const h = await health("", t.as(webMember));
    expect(h.teams.map((team) => team.team.key)).toEqual(["web"]);
    expect(h.train.openStories).toBe(2);
    const other = await t.as(webMember)("GET", "/arts/PAY/health?team=core");
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([{ path: "team", message: expect.any(String) }]);
    expect((await t.call("GET", "/arts/NOPE/health")).status).toBe(404);
  });

  it("says no data, not 0 %, for a team with neither velocity nor a set capacity", async () => {
    const r = await t.call("PUT", "/arts/PAY/teams/web/refinement", {
      settings: { capacityPerIteration: null },
      version: 1,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const h = await health();
    const web = h.teams[1] as TeamHealth;
    expect(web.capacityPerIteration).toEqual({ points: null, source: null });
    expect(web.readiness.ranked).toEqual({ ready: 0, of: 0, rate: null, capacityPoints: null });
    expect(web.readyDepth).toEqual({ points: 2, iterations: null, healthy: null });
    expect(web.problems[0]).toMatchObject({ kind: "no_capacity", items: [] });
    expect(h.train).toMatchObject({ capacityPerIteration: 10, teamsWithoutCapacity: ["web"] });
    expect(h.train.readyDepth).toEqual({ points: 12, iterations: 1.2, healthy: false });
    await t.call("PUT", "/arts/PAY/teams/web/refinement", { settings: { capacityPerIteration: 4 }, version: 2 });
  });
});
