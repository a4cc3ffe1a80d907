// PI planning over the HTTP API on SQLite and PostgreSQL: capacity from people or points and velocity from completed
// iterations, the planning view (load, overloads, unplanned stories, allocation against the PI's policy), PI
// objectives with business value rights and predictability, ROAMed risks, the confidence vote, milestones; stale
// versions (409), bad input (400 naming the field), isolation (404) and the live change every write publishes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp, type TestUser } from "../../test/test-app.js";

/** The suite's today: PI 1 (from 2026-11-02) is ahead, PI 0 (August to mid-September) behind. */
const TODAY = "2026-10-01T12:00:00Z";
const enc = encodeURIComponent;
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describeEachDatabase("PI planning over the API", (database) => {
  let t: TestApp;
  let tm: TestUser;
  let po: TestUser;
  let bo: TestUser;
  let pm: TestUser;
  let rte: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let teamCount = 0;

  beforeAll(async () => {
    t = await openTestApp(await database.createUrl());
    t.runtime.deps.clock = () => new Date(TODAY);
    await createSmallTrain(t);
    tm = await t.user("Tom Member", [{ art: "PAY", role: "team_member", team: "core" }]);
    po = await t.user("Pia Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
    bo = await t.user("Bea Business", [{ art: "PAY", role: "business_owner" }]);
    pm = await t.user("Paula Product", [{ art: "PAY", role: "product_manager" }]);
    rte = await t.user("Rita Train", [{ art: "PAY", role: "rte" }]);
    viewer = await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]);
    outsider = await t.user("Otto Outsider");
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh team of PAY for one test, so tests do not share capacities or stories. */
  const newTeam = async (): Promise<{ id: string; key: string }> => {
    const key = `team${++teamCount}`;
    const r = await t.call("POST", "/arts/PAY/teams", { key, name: `Team ${teamCount}` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const create = async (body: object): Promise<{ id: string; key: string; version: number }> => {
    const r = await t.call("POST", "/items", { art: "PAY", ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const story = (team: string, body: object) => create({ level: "story", teamId: team, title: "A story", ...body });
  const pi = async (name = "PI 1") => {
    const r = await t.call("GET", "/arts/PAY");
    return (
      r.body.pis as { id: string; name: string; version: number; iterations: { id: string; number: number }[] }[]
    ).find((p) => p.name === name) as {
      id: string;
      name: string;
      version: number;
      iterations: { id: string; number: number; kind: string }[];
    };
  };
  const setCapacity = (team: string, iteration: string, body: object, as: TestUser | null = null) =>
    (as ? t.as(as) : t.call)("PUT", `/arts/PAY/teams/${team}/capacity/${enc(iteration)}`, body);
  const plan = async (team: string, as: TestUser | null = null) => {
    const r = await (as ? t.as(as) : t.call)("GET", `/arts/PAY/pis/${enc("PI 1")}/plan?team=${team}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  describe("capacity", () => {
    it("comes from the team's people (normalized) unless points are set, and each save names the version read", async () => {
      const team = await newTeam();
      const first = await setCapacity(team.key, "PI 1/1", {
        version: 0,
        members: [
          { name: "Ana", availability: 100 },
          { name: "Ben", availability: 50, daysOff: 2 },
        ],
      });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      // 8 × 100% × 10/10 = 8, and round(8 × 50%) − 2 = 2.
      expect(first.body).toMatchObject({ workingDays: 10, points: null, version: 1 });
      expect(first.body.capacity).toEqual({ points: 10, source: "people" });

      const set = await setCapacity(team.key, "PI 1/1", { version: 1, points: 30 });
      expect(set.body.capacity).toEqual({ points: 30, source: "points" });
      expect(set.body.members.map((m: { name: string }) => m.name)).toEqual(["Ana", "Ben"]);

      const stale = await setCapacity(team.key, "PI 1/1", { version: 1, points: 12 });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(2);

      const read = await t.call("GET", `/arts/PAY/pis/${enc("PI 1")}/capacity?team=${team.key}`);
      expect(read.status).toBe(200);
      const [row] = read.body.teams;
      expect(row.teamId).toBe(team.id);
      const it1 = (await pi()).iterations[0]?.id;
      expect(row.iterations).toHaveLength(5);
      expect(row.iterations[0]).toMatchObject({ iterationId: it1, points: 30, version: 2 });
      expect(row.iterations[1]).toMatchObject({ capacity: { points: null, source: null }, version: 0 });
    });

    it("takes velocity from the points finished in completed iterations, averaging the last three with points", async () => {
      const team = await newTeam();
      expect(
        (await t.call("POST", "/arts/PAY/pis", { name: "PI 0", startDate: "2026-08-03", iterations: 3 })).status,
      ).toBe(201);
      await story(team.key, { points: 5, state: "done", iterationId: "PI 0/1" });
      await story(team.key, { points: 3, state: "accepted", iterationId: "PI 0/1" });
      await story(team.key, { points: 13, state: "done", iterationId: "PI 0/2" });
      await story(team.key, { points: 8, state: "in_progress", iterationId: "PI 0/2" });
      const r = await t.call("GET", `/arts/PAY/pis/${enc("PI 1")}/capacity?team=${team.key}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const { velocity } = r.body.teams[0];
      expect(velocity.average).toBe(10.5);
      expect(velocity.recent.map((v: { name: string; points: number }) => [v.name, v.points])).toEqual([
        ["PI 0 Iteration 1", 8],
        ["PI 0 Iteration 2", 13],
        ["PI 0 IP 3", 0],
      ]);
    });

    it("needs plan_pi on the team, and refuses bad input naming the field", async () => {
      const viewerTry = await setCapacity("core", "PI 1/2", { version: 0, points: 10 }, viewer);
      expect(viewerTry.status).toBe(403);
      expect(viewerTry.body.permission).toBe("plan_pi");
      expect((await setCapacity("web", "PI 1/2", { version: 0, points: 10 }, tm)).status).toBe(404);
      const bad = await setCapacity(
        "core",
        "PI 1/2",
        {
          version: 0,
          members: [{ name: "Ana", availability: 150 }, { name: "" }],
        },
        tm,
      );
      expect(bad.status).toBe(400);
      expect(paths(bad.body)).toEqual(expect.arrayContaining(["members.0.availability", "members.1.name"]));
      const negative = await setCapacity("core", "PI 1/2", { version: 0, points: -1 }, tm);
      expect(paths(negative.body)).toEqual(["points"]);
      const tooManyDaysOff = await setCapacity("core", "PI 1/2", {
        version: 0,
        members: [{ name: "Ana", daysOff: 11 }],
      });
      expect(paths(tooManyDaysOff.body)).toEqual(["members.0.daysOff"]);
      expect((await setCapacity("core", "PI 9/1", { version: 0, points: 1 })).status).toBe(404);
      expect((await setCapacity("core", "PI 1/2", { version: 0, points: 10 }, tm)).status).toBe(200);
    });
  });

  describe("the planning view", () => {
    it("shows each iteration's load against capacity, flags an overload and lists the PI's unplanned stories in rank order", async () => {
      const team = await newTeam();
      await setCapacity(team.key, "PI 1/1", { version: 0, points: 10 });
      const feature = await create({ level: "feature", title: "Refunds", piId: "PI 1", teamIds: [team.key] });
      const a = await story(team.key, { title: "Big", points: 8, iterationId: "PI 1/1", parentId: feature.key });
      const b = await story(team.key, { title: "Small", points: 5, iterationId: "PI 1/1" });
      const c = await story(team.key, { title: "Unsized", iterationId: "PI 1/2" });
      const d = await story(team.key, { title: "Of the feature", points: 2, parentId: feature.key });
      const e = await story(team.key, { title: "Of the PI", points: 1, piId: "PI 1" });
      await story(team.key, { title: "Finished", points: 3, parentId: feature.key, state: "done" });
      await story(team.key, { title: "Elsewhere", points: 3 });

      const view = await plan(team.key);
      const p1 = await pi();
      expect(view.pi.id).toBe(p1.id);
      expect(view.teams).toHaveLength(1);
      const [row] = view.teams;
      expect(row).toMatchObject({ teamId: team.id, key: team.key });
      const [it1, it2] = row.iterations;
      expect(it1).toMatchObject({ capacity: { points: 10, source: "points" }, load: 13, overloaded: true });
      expect(it1.stories.map((s: { key: string }) => s.key)).toEqual([a.key, b.key]);
      expect(it1.stories[0]).toMatchObject({ featureId: feature.id, featureKey: feature.key, points: 8, version: 1 });
      expect(it2).toMatchObject({ load: 0, unestimated: 1, overloaded: false });
      expect(it2.stories.map((s: { key: string }) => s.key)).toEqual([c.key]);
      expect(row.unplanned.map((s: { key: string }) => s.key)).toEqual([d.key, e.key]);
      expect(view.features.map((f: { key: string }) => f.key)).toContain(feature.key);
      expect(view.features.find((f: { key: string }) => f.key === feature.key).teamIds).toEqual([team.id]);

      // Moving a story is the ordinary item edit.
      const moved = await t.call("PATCH", `/items/${b.key}`, { version: b.version, iterationId: "PI 1/2" });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      const after = (await plan(team.key)).teams[0];
      expect(after.iterations[0]).toMatchObject({ load: 8, overloaded: false });
      expect(after.iterations[1]).toMatchObject({ load: 5, unestimated: 1 });
    });

    it("shows a team member their own teams only, and names `team` for a team they may not see", async () => {
      const r = await t.as(tm)("GET", `/arts/PAY/pis/${enc("PI 1")}/plan`);
      expect(r.status).toBe(200);
      expect(r.body.teams.map((x: { key: string }) => x.key)).toEqual(["core"]);
      const hidden = await t.as(tm)("GET", `/arts/PAY/pis/${enc("PI 1")}/plan?team=web`);
      expect(hidden.status).toBe(400);
      expect(paths(hidden.body)).toEqual(["team"]);
    });

    it("compares the work planned with the PI's allocation policy, which must add up to 100", async () => {
      const team = await newTeam();
      await setCapacity(team.key, "PI 1/1", { version: 0, points: 10 });
      await story(team.key, { points: 8, iterationId: "PI 1/1" });
      await story(team.key, { points: 5, iterationId: "PI 1/2" });
      await story(team.key, { type: "enabler", enablerKind: "architecture", points: 3, iterationId: "PI 1/2" });
      await story(team.key, { type: "defect", points: 2, iterationId: "PI 1/1" });
      const current = await pi();

      const uneven = await t.as(pm)("PATCH", `/arts/PAY/pis/${enc("PI 1")}`, {
        version: current.version,
        allocation: { business: 50, enabler: 20, maintenance: 10 },
      });
      expect(uneven.status).toBe(400);
      expect(paths(uneven.body)).toEqual(["allocation"]);
      const byMember = await t.as(tm)("PATCH", `/arts/PAY/pis/${enc("PI 1")}`, {
        version: current.version,
        allocation: { business: 70, enabler: 20, maintenance: 10 },
      });
      expect(byMember.status).toBe(403);
      const set = await t.as(pm)("PATCH", `/arts/PAY/pis/${current.id}`, {
        version: current.version,
        allocation: { business: 70, enabler: 20, maintenance: 10 },
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body).toMatchObject({ allocation: { business: 70, enabler: 20, maintenance: 10 } });
      expect(set.body.version).toBe(current.version + 1);
      expect((await pi()).version).toBe(current.version + 1);

      const view = await plan(team.key);
      expect(view.allocation.policy).toEqual({ business: 70, enabler: 20, maintenance: 10 });
      expect(view.allocation.capacity).toBe(10);
      const share = (kind: string) => view.allocation.shares.find((s: { kind: string }) => s.kind === kind);
      expect(share("business")).toMatchObject({ points: 13, policyShare: 0.7, over: true });
      expect(share("enabler")).toMatchObject({ points: 3, policyShare: 0.2 });
      expect(share("maintenance")).toMatchObject({ points: 2, policyShare: 0.1 });
      expect(share("business").share).toBeCloseTo(13 / 18);

      // Renaming is the RTE's; a stale version changes nothing.
      expect(
        (await t.as(pm)("PATCH", `/arts/PAY/pis/${current.id}`, { version: set.body.version, name: "PI One" })).status,
      ).toBe(403);
      const stale = await t.as(rte)("PATCH", `/arts/PAY/pis/${current.id}`, {
        version: current.version,
        name: "PI One",
      });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(set.body.version);
      const cleared = await t.as(pm)("PATCH", `/arts/PAY/pis/${current.id}`, {
        version: set.body.version,
        allocation: null,
      });
      expect(cleared.body.allocation).toBeNull();
    });
  });

  describe("PI objectives", () => {
    const objectives = async (as: TestUser | null = null) => {
      const r = await (as ? t.as(as) : t.call)("GET", `/arts/PAY/pis/${enc("PI 1")}/objectives`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const add = async (body: object, as: TestUser | null = null) =>
      (as ? t.as(as) : t.call)("POST", `/arts/PAY/pis/${enc("PI 1")}/objectives`, body);

    it("rolls business value up into predictability per team and for the train", async () => {
      const team = await newTeam();
      const feature = await create({ level: "feature", title: "Chargebacks", piId: "PI 1" });
      const made = [];
      for (const body of [
        { teamId: team.key, title: "Refunds in a day", committed: true, plannedValue: 10, featureIds: [feature.key] },
        { teamId: team.key, title: "Card vault", committed: true, plannedValue: 5 },
        { teamId: team.key, title: "Stretch: wallets", committed: false, plannedValue: 3 },
        { teamId: null, title: "Train: PCI audit passed", committed: true, plannedValue: 5 },
      ]) {
        const r = await add(body);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        made.push(r.body);
      }
      expect(made[0]).toMatchObject({
        teamId: team.id,
        committed: true,
        plannedValue: 10,
        actualValue: null,
        version: 1,
      });
      expect(made[0].features).toEqual([{ id: feature.id, key: feature.key, title: "Chargebacks" }]);
      expect(made[3].teamId).toBeNull();
      for (const [o, actual] of [
        [made[0], 8],
        [made[1], 5],
        [made[2], 2],
        [made[3], 2],
      ] as const) {
        const r = await t.as(bo)("PATCH", `/objectives/${o.id}`, { version: o.version, actualValue: actual });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }
      const view = await objectives();
      const teamRow = view.predictability.teams.find((p: { teamId: string }) => p.teamId === team.id);
      // Σ actual (8 + 5 + 2) ÷ Σ planned committed (10 + 5) = 100%.
      expect(teamRow).toMatchObject({ planned: 15, actual: 15, percent: 100, band: "predictable" });
      // The train: Σ actual (8 + 5 + 2 + 2) ÷ Σ planned committed (10 + 5 + 5) = 85%.
      expect(view.predictability.train).toMatchObject({ planned: 20, actual: 17, percent: 85, band: "predictable" });
      expect(view.objectives.filter((o: { teamId: string }) => o.teamId === team.id)).toHaveLength(3);

      const badFeature = await add({ teamId: team.key, title: "Nothing", featureIds: ["PAY-99999"] });
      expect(badFeature.status).toBe(400);
      expect(paths(badFeature.body)).toEqual(["featureIds.0"]);
      const badValue = await add({ teamId: team.key, title: "Too valuable", plannedValue: 11 });
      expect(paths(badValue.body)).toEqual(["plannedValue"]);
      const noTitle = await add({ teamId: team.key, title: " " });
      expect(paths(noTitle.body)).toEqual(["title"]);
    });

    it("lets a team member write their team's objectives but not their business value, which a Business Owner sets", async () => {
      const mine = await add({ teamId: "core", title: "Faster payouts", committed: true }, tm);
      expect(mine.status, JSON.stringify(mine.body)).toBe(201);
      const valued = await t.as(tm)("PATCH", `/objectives/${mine.body.id}`, { version: 1, plannedValue: 8 });
      expect(valued.status).toBe(403);
      expect(valued.body.permission).toBe("score_business_value");
      expect((await add({ teamId: "core", title: "Valued", plannedValue: 5 }, tm)).status).toBe(403);
      const byBo = await t.as(bo)("PATCH", `/objectives/${mine.body.id}`, { version: 1, plannedValue: 8 });
      expect(byBo.status, JSON.stringify(byBo.body)).toBe(200);
      expect(byBo.body).toMatchObject({ plannedValue: 8, version: 2 });
      expect((await t.as(bo)("PATCH", `/objectives/${mine.body.id}`, { version: 2, title: "Renamed" })).status).toBe(
        403,
      );
      const stale = await t.as(tm)("PATCH", `/objectives/${mine.body.id}`, { version: 1, title: "Renamed" });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(2);
      expect((await add({ teamId: "web", title: "Not mine" }, tm)).status).toBe(400);
      expect((await add({ teamId: null, title: "The train's" }, tm)).status).toBe(403);
      // A team member sees the train's objectives and their own team's only.
      const seen = await objectives(tm);
      expect(new Set(seen.objectives.map((o: { teamId: string | null }) => o.teamId))).toEqual(
        new Set([null, mine.body.teamId]),
      );
      expect((await t.call("DELETE", `/objectives/${mine.body.id}?version=1`)).status).toBe(409);
      expect((await t.as(tm)("DELETE", `/objectives/${mine.body.id}?version=2`)).status).toBe(204);
      expect((await t.call("PATCH", `/objectives/${mine.body.id}`, { version: 2, title: "Gone" })).status).toBe(404);
    });
  });

  describe("risks", () => {
    it("are ROAMed on the version read, listed with counts per ROAM state, and removed", async () => {
      const threatened = await story("core", { title: "Payout file" });
      const add = await t.as(tm)("POST", "/arts/PAY/risks", {
        title: "Bank API rate limits",
        piId: "PI 1",
        teamId: "core",
        ownerId: tm.email,
        itemIds: [threatened.key],
      });
      expect(add.status, JSON.stringify(add.body)).toBe(201);
      const risk = add.body;
      expect(risk).toMatchObject({ roam: "unroamed", teamId: expect.any(String), version: 1 });
      expect(risk.owner).toEqual({ id: tm.id, name: "Tom Member" });
      expect(risk.items).toEqual([{ id: threatened.id, key: threatened.key, title: "Payout file" }]);

      const owned = await t.as(po)("PATCH", `/risks/${risk.id}`, { version: 1, roam: "owned" });
      expect(owned.status, JSON.stringify(owned.body)).toBe(200);
      expect(owned.body).toMatchObject({ roam: "owned", version: 2 });
      const stale = await t.as(tm)("PATCH", `/risks/${risk.id}`, { version: 1, roam: "mitigated" });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(2);
      const badRoam = await t.as(tm)("PATCH", `/risks/${risk.id}`, { version: 2, roam: "ignored" });
      expect(badRoam.status).toBe(400);
      expect(paths(badRoam.body)).toEqual(["roam"]);

      const other = await t.call("POST", "/arts/PAY/risks", { title: "Auditor availability", roam: "accepted" });
      expect(other.status).toBe(201);
      const list = await t.call("GET", `/arts/PAY/risks?pi=${enc("PI 1")}`);
      expect(list.body.risks.map((r: { id: string }) => r.id)).toEqual([risk.id]);
      const owners = await t.call("GET", "/arts/PAY/risks?roam=owned");
      expect(owners.body.risks.map((r: { id: string }) => r.id)).toEqual([risk.id]);
      expect(owners.body.counts).toMatchObject({ owned: 1, accepted: 1, unroamed: 0 });
      expect((await t.as(tm)("POST", "/arts/PAY/risks", { title: "Train-wide" })).status).toBe(403);
      expect((await t.as(viewer)("PATCH", `/risks/${risk.id}`, { version: 2, roam: "resolved" })).status).toBe(403);

      expect((await t.as(tm)("DELETE", `/risks/${risk.id}?version=1`)).status).toBe(409);
      expect((await t.as(tm)("DELETE", `/risks/${risk.id}?version=2`)).status).toBe(204);
      expect((await t.call("GET", "/arts/PAY/risks?roam=owned")).body.risks).toEqual([]);
    });
  });

  describe("the confidence vote", () => {
    it("replaces a person's earlier vote, and shows each their own vote beside the results", async () => {
      const url = `/arts/PAY/pis/${enc("PI 1")}/confidence`;
      expect((await t.as(tm)("PUT", url, { scope: "core", value: 3 })).status).toBe(200);
      const again = await t.as(tm)("PUT", url, { scope: "core", value: 4 });
      expect(again.status).toBe(200);
      expect(again.body.teams).toHaveLength(1);
      const [core] = again.body.teams;
      expect(core).toMatchObject({ votes: 1, average: 4, mine: 4 });
      expect(core.distribution).toEqual([0, 0, 0, 1, 0]);
      expect((await t.as(tm)("PUT", url, { scope: "train", value: 2 })).status).toBe(200);
      expect((await t.as(bo)("PUT", url, { scope: "train", value: 5 })).status).toBe(200);
      const seen = await t.as(bo)("GET", url);
      expect(seen.body.train).toMatchObject({ votes: 2, average: 3.5, mine: 5, distribution: [0, 1, 0, 0, 1] });
      expect(seen.body.teams.find((x: { mine: number | null }) => x.mine !== null)).toBeUndefined();
      const denied = await t.as(viewer)("PUT", url, { scope: "train", value: 3 });
      expect(denied.status).toBe(403);
      const tooHigh = await t.as(tm)("PUT", url, { scope: "core", value: 6 });
      expect(paths(tooHigh.body)).toEqual(["value"]);
    });
  });

  describe("milestones", () => {
    it("are added within the PI by the RTE, listed by date and removed", async () => {
      const url = `/arts/PAY/pis/${enc("PI 1")}/milestones`;
      const late = await t.as(rte)("POST", url, { name: "Release", date: "2026-12-20" });
      expect(late.status, JSON.stringify(late.body)).toBe(201);
      expect((await t.as(rte)("POST", url, { name: "Demo", date: "2026-11-20" })).status).toBe(201);
      const outside = await t.as(rte)("POST", url, { name: "Too late", date: "2027-06-01" });
      expect(paths(outside.body)).toEqual(["date"]);
      expect((await t.as(tm)("POST", url, { name: "Mine", date: "2026-11-20" })).status).toBe(403);
      const list = await t.as(tm)("GET", url);
      expect(list.body.milestones.map((m: { name: string }) => m.name)).toEqual(["Demo", "Release"]);
      expect((await t.as(rte)("DELETE", `${url}/${late.body.id}`)).status).toBe(204);
      expect((await t.as(rte)("DELETE", `${url}/${late.body.id}`)).status).toBe(404);
    });
  });

  describe("isolation and live changes", () => {
    it("answers 404 about an ART the person holds no role on", async () => {
      const p = enc("PI 1");
      for (const path of [
        `/arts/PAY/pis/${p}/capacity`,
        `/arts/PAY/pis/${p}/plan`,
        `/arts/PAY/pis/${p}/objectives`,
        `/arts/PAY/pis/${p}/confidence`,
        `/arts/PAY/pis/${p}/milestones`,
        "/arts/PAY/risks",
      ]) {
        expect((await t.as(outsider)("GET", path)).status, path).toBe(404);
      }
      expect((await setCapacity("core", "PI 1/3", { version: 0, points: 5 }, outsider)).status).toBe(404);
      const objective = await t.call("POST", `/arts/PAY/pis/${p}/objectives`, { teamId: "web", title: "Hidden" });
      expect(
        (await t.as(outsider)("PATCH", `/objectives/${objective.body.id}`, { version: 1, title: "x" })).status,
      ).toBe(404);
      // A team member of core does not see web's objective either.
      expect((await t.as(tm)("PATCH", `/objectives/${objective.body.id}`, { version: 1, title: "x" })).status).toBe(
        404,
      );
      expect((await t.call("GET", `/arts/PAY/pis/${enc("PI 7")}/plan`)).status).toBe(404);
    });

    it("publishes planning.changed with the PI and the actor after each write", async () => {
      const { changes, settled, stop } = await t.watchChanges("PAY");
      try {
        const p1 = await pi();
        expect((await setCapacity("core", "PI 1/4", { version: 0, points: 7 }, tm)).status).toBe(200);
        expect(
          (await t.as(tm)("PUT", `/arts/PAY/pis/${enc("PI 1")}/confidence`, { scope: "core", value: 5 })).status,
        ).toBe(200);
        await settled();
        expect(changes.map((c) => [c.kind, c.piId, c.actorId])).toEqual([
          ["planning.changed", p1.id, tm.id],
          ["planning.changed", p1.id, tm.id],
        ]);
        // A rejected write publishes nothing.
        await setCapacity("core", "PI 1/4", { version: 0, points: 8 }, tm);
        await settled();
        expect(changes).toHaveLength(2);
      } finally {
        stop();
      }
    });
  });
});
