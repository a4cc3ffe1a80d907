// Dependencies over the HTTP API on SQLite and PostgreSQL: creating one (with the relation and its history), the 400s
// naming fields, committing, delivering and declining with their rules, stale versions, health from where each end
// lands (stories and features), needed-by, cycles, the list's filters, and relating through the items route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { openTestApp, type TestApp, type TestUser } from "../../test/test-app.js";

interface Dep {
  id: string;
  consumer: { key: string; teamId: string | null; iteration: { name: string } | null };
  provider: { key: string; teamId: string | null; iteration: { name: string } | null };
  needed: string;
  neededBy: { name: string; number: number } | null;
  state: string;
  plannedIteration: { name: string } | null;
  declineReason: string | null;
  health: string;
  crossTeam: boolean;
  inCycle: boolean;
  version: number;
}

const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describeEachDatabase("dependencies over the API", (database) => {
  let t: TestApp;
  let trains = 0;
  beforeAll(async () => {
    t = await openTestApp(await database.createUrl());
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh ART (teams core and web) with "PI 2" in the future: four development iterations and an IP one. */
  const train = async () => {
    const key = `DEP${++trains}`;
    const art = await t.call("POST", "/arts", {
      key,
      name: `Train ${trains}`,
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    });
    expect(art.status, JSON.stringify(art.body)).toBe(201);
    const pi = await t.call("POST", `/arts/${key}/pis`, { name: "PI 2", startDate: "2030-01-07" });
    expect(pi.status, JSON.stringify(pi.body)).toBe(201);
    const create = async (body: object): Promise<string> => {
      const r = await t.call("POST", "/items", { art: key, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.key;
    };
    return {
      key,
      teams: Object.fromEntries((art.body.teams as { key: string; id: string }[]).map((x) => [x.key, x.id])),
      feature: (title = "A feature", extra: object = {}) => create({ level: "feature", title, ...extra }),
      story: (team: string, iteration: number | null = null, extra: object = {}) =>
        create({
          level: "story",
          title: `A story of ${team}`,
          teamId: team,
          ...(iteration ? { iterationId: `PI 2/${iteration}` } : {}),
          ...extra,
        }),
      depend: async (consumer: string, provider: string, extra: object = {}): Promise<Dep> => {
        const r = await t.call("POST", `/arts/${key}/dependencies`, { consumer, provider, needed: "an API", ...extra });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        return r.body;
      },
      list: async (query = ""): Promise<{ dependencies: Dep[]; cycles: string[][]; uncommittedCrossTeam: number }> => {
        const r = await t.call("GET", `/arts/${key}/dependencies${query}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return r.body;
      },
    };
  };
  const change = (d: { id: string; version: number }, body: object) =>
    t.call("PATCH", `/dependencies/${d.id}`, { version: d.version, ...body });
  const health = async (tr: Awaited<ReturnType<typeof train>>, id: string) =>
    (await tr.list()).dependencies.find((d) => d.id === id)?.health;

  describe("creating and relating", () => {
    it("creates the depends-on relation with what is needed by when, and a history event on both ends", async () => {
      const tr = await train();
      const consumer = await tr.story("core", 3);
      const provider = await tr.story("web", 2);
      const d = await tr.depend(consumer, provider, { needed: "the refunds API", neededBy: "PI 2/3" });
      expect(d).toMatchObject({
        consumer: { key: consumer, teamId: tr.teams.core, iteration: { name: "Iteration 3" } },
        provider: { key: provider, teamId: tr.teams.web, iteration: { name: "Iteration 2" } },
        needed: "the refunds API",
        neededBy: { name: "Iteration 3", number: 3 },
        state: "requested",
        plannedIteration: null,
        crossTeam: true,
        inCycle: false,
        version: 1,
      });
      const detail = await t.call("GET", `/items/${consumer}`);
      expect(detail.body.relations).toEqual([
        expect.objectContaining({
          id: d.id,
          kind: "depends_on",
          label: "depends on",
          item: expect.objectContaining({ key: provider }),
        }),
      ]);
      for (const key of [consumer, provider]) {
        const history = await t.call("GET", `/items/${key}/history`);
        expect(history.body.items.map((e: { kind: string }) => e.kind)).toContain("related");
      }
    });

    it("names each wrong field with 400, and answers 409 when the two are related so already", async () => {
      const tr = await train();
      const other = await train();
      const consumer = await tr.story("core");
      const provider = await tr.story("web");
      const foreign = await other.story("core");
      const send = (body: object) => t.call("POST", `/arts/${tr.key}/dependencies`, body);
      const missing = await send({ consumer, provider });
      expect(missing.status).toBe(400);
      expect(paths(missing.body)).toEqual(["needed"]);
      const blank = await send({ consumer, provider, needed: "  " });
      expect(paths(blank.body)).toEqual(["needed"]);
      const itself = await send({ consumer, provider: consumer, needed: "x" });
      expect([itself.status, paths(itself.body)]).toEqual([400, ["provider"]]);
      const elsewhere = await send({ consumer, provider: foreign, needed: "x" });
      expect([elsewhere.status, paths(elsewhere.body)]).toEqual([400, ["provider"]]);
      const nobody = await send({ consumer: "NOPE-1", provider, needed: "x" });
      expect([nobody.status, paths(nobody.body)]).toEqual([400, ["consumer"]]);
      const when = await send({ consumer, provider, needed: "x", neededBy: "PI 9/1" });
      expect([when.status, paths(when.body)]).toEqual([400, ["neededBy"]]);
      await tr.depend(consumer, provider);
      const again = await send({ consumer, provider, needed: "x" });
      expect(again.status).toBe(409);
      expect((await tr.list()).dependencies).toHaveLength(1);
    });

    it("relating with 'blocks' through the items route creates a dependency, and unrelating removes it", async () => {
      const tr = await train();
      const provider = await tr.story("web", 1);
      const consumer = await tr.story("core", 3);
      const related = await t.call("POST", `/items/${provider}/relations`, { kind: "blocks", target: consumer });
      expect(related.status, JSON.stringify(related.body)).toBe(201);
      const [d] = (await tr.list()).dependencies;
      expect(d).toMatchObject({ id: related.body.id, consumer: { key: consumer }, provider: { key: provider } });
      expect(d?.health).toBe("healthy");
      const plain = await t.call("POST", `/items/${provider}/relations`, { kind: "relates_to", target: consumer });
      expect(plain.status).toBe(201);
      expect((await tr.list()).dependencies).toHaveLength(1);
      const removed = await t.call("DELETE", `/items/${consumer}/relations/${related.body.id}`);
      expect(removed.status).toBe(204);
      expect((await tr.list()).dependencies).toEqual([]);
      expect((await t.call("GET", `/dependencies/${related.body.id}`)).status).toBe(404);
    });

    it("removing a dependency on its version removes its relation; a stale version is 409 and removes nothing", async () => {
      const tr = await train();
      const consumer = await tr.story("core");
      const d = await tr.depend(consumer, await tr.story("web"));
      const changed = await change(d, { needed: "a bigger API" });
      expect(changed.status).toBe(200);
      const stale = await t.call("DELETE", `/dependencies/${d.id}?version=1`);
      expect(stale.status).toBe(409);
      expect((await tr.list()).dependencies).toHaveLength(1);
      const gone = await t.call("DELETE", `/dependencies/${d.id}?version=2`);
      expect(gone.status).toBe(204);
      expect((await t.call("GET", `/items/${consumer}`)).body.relations).toEqual([]);
    });
  });

  describe("state", () => {
    it("commits to an iteration, delivers, and declines with a reason, naming the field that is missing", async () => {
      const tr = await train();
      const d = await tr.depend(await tr.story("core", 3), await tr.story("web"));
      const noIteration = await change(d, { state: "committed" });
      expect(noIteration.status).toBe(400);
      expect(paths(noIteration.body)).toEqual(["plannedIteration"]);
      const early = await change(d, { state: "delivered" });
      expect([early.status, paths(early.body)]).toEqual([400, ["state"]]);
      const unknown = await change(d, { state: "committed", plannedIteration: "PI 2/9" });
      expect([unknown.status, paths(unknown.body)]).toEqual([400, ["plannedIteration"]]);
      const committed = await change(d, { state: "committed", plannedIteration: "PI 2/2" });
      expect(committed.status, JSON.stringify(committed.body)).toBe(200);
      expect(committed.body).toMatchObject({
        state: "committed",
        plannedIteration: { name: "Iteration 2" },
        version: 2,
      });
      // Not planned yet, the provider is judged by its commitment: iteration 2 before the consumer's 3.
      expect(committed.body.health).toBe("healthy");
      const delivered = await change(committed.body, { state: "delivered" });
      expect(delivered.body).toMatchObject({ state: "delivered", health: "healthy", version: 3 });

      const other = await tr.depend(await tr.story("core", 2), await tr.story("web"));
      const noReason = await change(other, { state: "declined" });
      expect([noReason.status, paths(noReason.body)]).toEqual([400, ["declineReason"]]);
      const declined = await change(other, { state: "declined", declineReason: "No capacity this PI" });
      expect(declined.body).toMatchObject({
        state: "declined",
        declineReason: "No capacity this PI",
        health: "declined",
      });
    });

    it("a change on a stale version is 409 with the dependency as it is now, and writes nothing", async () => {
      const tr = await train();
      const d = await tr.depend(await tr.story("core"), await tr.story("web"));
      expect((await change(d, { needed: "first" })).status).toBe(200);
      const stale = await change(d, { needed: "second" });
      expect(stale.status).toBe(409);
      expect(stale.body.dependency).toMatchObject({ id: d.id, needed: "first", version: 2 });
      expect((await t.call("GET", `/dependencies/${d.id}`)).body.needed).toBe("first");
      const noVersion = await t.call("PATCH", `/dependencies/${d.id}`, { needed: "third" });
      expect([noVersion.status, paths(noVersion.body)]).toEqual([400, ["version"]]);
    });

    it("lets the provider's team commit but not another team, and a viewer nothing", async () => {
      const tr = await train();
      const coreMember: TestUser = await t.user(`Core member ${tr.key}`, [
        { art: tr.key, role: "team_member", team: "core" },
      ]);
      const viewer = await t.user(`Viewer ${tr.key}`, [{ art: tr.key, role: "viewer" }]);
      const outsider = await t.user(`Outsider ${tr.key}`);
      // A team-scoped person sees their own team's stories and the program level, never another team's stories.
      const fromCore = await tr.depend(await tr.feature("Checkout"), await tr.story("core"));
      const fromProgram = await tr.depend(await tr.story("core", 3), await tr.feature("Ledger"));
      const fromWeb = await tr.depend(await tr.story("core", 3), await tr.story("web"));
      const commit = { state: "committed", plannedIteration: "PI 2/1" };
      const ok = await t.as(coreMember)("PATCH", `/dependencies/${fromCore.id}`, { version: 1, ...commit });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const denied = await t.as(coreMember)("PATCH", `/dependencies/${fromProgram.id}`, { version: 1, ...commit });
      expect(denied.status).toBe(403);
      const hidden = await t.as(coreMember)("PATCH", `/dependencies/${fromWeb.id}`, { version: 1, ...commit });
      expect(hidden.status).toBe(404);
      const listed = await t.as(coreMember)("GET", `/arts/${tr.key}/dependencies`);
      expect(listed.body.dependencies.map((d: Dep) => d.id).sort()).toEqual([fromCore.id, fromProgram.id].sort());
      const viewing = await t.as(viewer)("GET", `/arts/${tr.key}/dependencies`);
      expect(viewing.body.dependencies).toHaveLength(3);
      const add = await t.as(viewer)("POST", `/arts/${tr.key}/dependencies`, {
        consumer: fromWeb.consumer.key,
        provider: fromCore.provider.key,
        needed: "x",
      });
      expect(add.status).toBe(403);
      expect((await t.as(outsider)("GET", `/arts/${tr.key}/dependencies`)).status).toBe(404);
    });
  });

  describe("health from the plan", () => {
    it("judges story ends: conflict, at risk, healthy, unplanned and declined", async () => {
      const tr = await train();
      const conflict = await tr.depend(await tr.story("core", 2), await tr.story("web", 3));
      const atRisk = await tr.depend(await tr.story("core", 2), await tr.story("web", 2));
      const healthy = await tr.depend(await tr.story("core", 3), await tr.story("web", 1));
      const unplanned = await tr.depend(await tr.story("core", 3), await tr.story("web"));
      const declined = await tr.depend(await tr.story("core", 3), await tr.story("web", 1));
      await change(declined, { state: "declined", declineReason: "Out of scope" });
      const byId = new Map((await tr.list()).dependencies.map((d) => [d.id, d.health]));
      expect([conflict, atRisk, healthy, unplanned, declined].map((d) => byId.get(d.id))).toEqual([
        "conflict",
        "at_risk",
        "healthy",
        "unplanned",
        "declined",
      ]);
    });

    it("holds the provider to the needed-by iteration when it is earlier than the consumer's", async () => {
      const tr = await train();
      const late = await tr.depend(await tr.story("core", 4), await tr.story("web", 2), { neededBy: "PI 2/1" });
      const justInTime = await tr.depend(await tr.story("core", 4), await tr.story("web", 2), { neededBy: "PI 2/2" });
      expect(await health(tr, late.id)).toBe("conflict");
      expect(await health(tr, justInTime.id)).toBe("at_risk");
      const moved = await change(late, { neededBy: "PI 2/3" });
      expect(moved.body.health).toBe("healthy");
    });

    it("lands a providing feature at its latest story and a consuming feature at its earliest", async () => {
      const tr = await train();
      const providing = await tr.feature("Ledger");
      await tr.story("web", 1, { parentId: providing });
      await tr.story("web", 3, { parentId: providing });
      const consuming = await tr.feature("Checkout");
      await tr.story("core", 2, { parentId: consuming });
      await tr.story("core", 4, { parentId: consuming });
      const onFeature = await tr.depend(await tr.story("core", 3), providing);
      const fromFeature = await tr.depend(consuming, await tr.story("web", 3));
      const list = await tr.list();
      const a = list.dependencies.find((d) => d.id === onFeature.id);
      const b = list.dependencies.find((d) => d.id === fromFeature.id);
      expect(a).toMatchObject({
        provider: { iteration: { name: "Iteration 3" }, teamId: tr.teams.web },
        health: "at_risk",
      });
      expect(b).toMatchObject({
        consumer: { iteration: { name: "Iteration 2" }, teamId: tr.teams.core },
        health: "conflict",
      });
    });

    it("finds dependency cycles and marks the dependencies in them", async () => {
      const tr = await train();
      const [a, b, c, d] = [
        await tr.story("core"),
        await tr.story("web"),
        await tr.story("core"),
        await tr.story("web"),
      ];
      const ab = await tr.depend(a, b);
      const bc = await tr.depend(b, c);
      const ca = await tr.depend(c, a);
      const ad = await tr.depend(a, d);
      const list = await tr.list();
      expect(list.cycles.map((cycle) => [...cycle].sort())).toEqual([[ab.id, bc.id, ca.id].sort()]);
      expect(
        list.dependencies
          .filter((x) => x.inCycle)
          .map((x) => x.id)
          .sort(),
      ).toEqual([ab.id, bc.id, ca.id].sort());
      expect(list.dependencies.find((x) => x.id === ad.id)?.inCycle).toBe(false);
    });
  });

  describe("the list", () => {
    it("filters by health, team, state, cross-team and PI, and counts cross-team ones not committed", async () => {
      const tr = await train();
      const crossConflict = await tr.depend(await tr.story("core", 1), await tr.story("web", 2));
      const sameTeam = await tr.depend(await tr.story("core", 3), await tr.story("core", 1));
      const crossCommitted = await tr.depend(await tr.story("web", 4), await tr.story("core"));
      await change(crossCommitted, { state: "committed", plannedIteration: "PI 2/2" });
      const outside = await tr.depend(await tr.story("core"), await tr.story("core"));
      const ids = (l: { dependencies: Dep[] }) => l.dependencies.map((d) => d.id).sort();

      const all = await tr.list();
      expect(all.dependencies).toHaveLength(4);
      expect(all.uncommittedCrossTeam).toBe(1);
      expect(ids(await tr.list("?health=conflict"))).toEqual([crossConflict.id]);
      expect(ids(await tr.list("?crossTeam=true"))).toEqual([crossConflict.id, crossCommitted.id].sort());
      expect(ids(await tr.list("?crossTeam=false"))).toEqual([sameTeam.id, outside.id].sort());
      expect(ids(await tr.list("?state=committed"))).toEqual([crossCommitted.id]);
      expect(ids(await tr.list("?team=web"))).toEqual([crossConflict.id, crossCommitted.id].sort());
      expect(ids(await tr.list("?pi=PI%202"))).toEqual([crossConflict.id, sameTeam.id, crossCommitted.id].sort());
      const badTeam = await t.call("GET", `/arts/${tr.key}/dependencies?team=nope`);
      expect([badTeam.status, paths(badTeam.body)]).toEqual([400, ["team"]]);
      const badHealth = await t.call("GET", `/arts/${tr.key}/dependencies?health=grim`);
      expect(badHealth.status).toBe(400);
    });
  });
});
