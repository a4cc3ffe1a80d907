// Refinement over the HTTP API on SQLite and PostgreSQL: the live quality check, the quality report of a team and a
// train, dismissing and restoring findings (with history and live changes), each team's settings (validation, stale
// versions, rights), the Definition of Ready with its manual items, and the ready policy (warn or refuse).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";
import { storiesForCheck } from "../store/refinement.store.js";

interface Created {
  id: string;
  key: string;
  version: number;
}
interface FindingView {
  rule: string;
  severity: string;
  message: string;
  highlights: { field: string; index?: number; start: number; end: number }[];
  relatedKeys: string[];
  words?: string[];
}
interface CheckView {
  id: string;
  label: string;
  met: boolean;
  detail: string;
  manual: boolean;
}

/** A story that meets every built-in condition once it has a parent feature. */
const GOOD = {
  title: "As a payer, I want to pay by card, so that I can check out",
  acceptanceCriteria: ["Given a cart, when I pay by card, then I get a receipt"],
  points: 3,
};

const rules = (findings: FindingView[]) => findings.map((f) => f.rule).sort();
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describeEachDatabase("refinement over the API", (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    await createSmallTrain(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const create = async (body: object): Promise<Created> => {
    const r = await t.call("POST", "/items", { art: "PAY", ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const feature = (title = "Card payments") => create({ level: "feature", title });
  const story = (body: object, team = "core") => create({ level: "story", teamId: team, ...body });
  const goodStory = async (extra: object = {}) => story({ ...GOOD, parentId: (await feature()).key, ...extra });
  const patch = async (key: string, body: object) => {
    const version = (await t.call("GET", `/items/${key}`)).body.item.version;
    return t.call("PATCH", `/items/${key}`, body, { "If-Match": `"${version}"` });
  };
  const quality = async (key: string) => {
    const r = await t.call("GET", `/items/${key}/quality`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as {
      findings: FindingView[];
      dismissed: { rule: string; reason: string; by: string; at: string; finding: FindingView | null }[];
      readiness: { ready: boolean; checks: CheckView[]; missing: string[] };
    };
  };
  const check = (readiness: { checks: CheckView[] }, id: string) => readiness.checks.find((c) => c.id === id);
  const settingsOf = async (team = "core") => {
    const r = await t.call("GET", `/arts/PAY/teams/${team}/refinement`);
    expect(r.status).toBe(200);
    return r.body as { teamId: string; version: number; settings: Record<string, any> };
  };
  const saveSettings = async (change: (s: Record<string, any>) => void, team = "core") => {
    const current = await settingsOf(team);
    change(current.settings);
    const r = await t.call("PUT", `/arts/PAY/teams/${team}/refinement`, {
      settings: current.settings,
      version: current.version,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  describe("the live check", () => {
    it("names what is wrong with a story as it is typed, with the words that triggered each finding", async () => {
      const r = await t.call("POST", "/arts/PAY/quality/check", {
        title: "Refunds",
        acceptanceCriteria: ["The refund page should be user friendly", ""],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(rules(r.body.findings)).toEqual(expect.arrayContaining(["ambiguous", "well_formed"]));
      const vague = (r.body.findings as FindingView[]).find((f) => f.rule === "ambiguous");
      const h = vague?.highlights[0];
      expect(h).toMatchObject({ field: "acceptanceCriteria", index: 0 });
      expect("The refund page should be user friendly".slice(h?.start, h?.end)).toBe("user friendly");
      expect(r.body.readiness).toBeNull();
      const empty = await t.call("POST", "/arts/PAY/quality/check", { title: "" });
      expect(empty.status, JSON.stringify(empty.body)).toBe(200);
      expect(rules(empty.body.findings)).toContain("well_formed");
    });

    it("finds nothing wrong with a well-written story and says it is ready for its team", async () => {
      const parent = await feature();
      // Criteria as the API presents them (with their Given/When/Then parts) are read as they are.
      const criteria = [{ text: GOOD.acceptanceCriteria[0], met: false, gherkin: { context: "a cart" } }];
      const r = await t.call("POST", "/arts/PAY/quality/check", {
        ...GOOD,
        acceptanceCriteria: criteria,
        teamId: "core",
        parentId: parent.key,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.findings).toEqual([]);
      expect(r.body.readiness.ready).toBe(true);
      expect(r.body.readiness.checks.map((c: CheckView) => c.id)).toEqual([
        "criteria",
        "estimated",
        "small",
        "parent",
        "dependencies",
        "quality",
      ]);
      expect(check(r.body.readiness, "parent")?.detail).toBe(`feature ${parent.key}`);
    });

    it("flags a near-duplicate of a stored story, but not the story being edited as its own duplicate", async () => {
      const stored = await goodStory();
      const draft = { ...GOOD, teamId: "core" };
      const fresh = await t.call("POST", "/arts/PAY/quality/check", draft);
      const unique = (fresh.body.findings as FindingView[]).find((f) => f.rule === "unique");
      expect(unique?.relatedKeys).toEqual([stored.key]);
      const editing = await t.call("POST", "/arts/PAY/quality/check", { ...draft, item: stored.key });
      expect(rules(editing.body.findings)).not.toContain("unique");
      // The edited story's parent counts when the draft leaves it out.
      expect(editing.body.readiness.ready).toBe(true);
    });

    it("counts the edited story's dependencies: one on an unfinished story keeps it from being ready", async () => {
      const blocker = await story({ title: "As a payer, I want to save a card, so that I pay faster next time" });
      const s = await goodStory();
      expect(
        (await t.call("POST", `/items/${s.key}/relations`, { kind: "depends_on", target: blocker.key })).status,
      ).toBe(201);
      await patch(blocker.key, { state: "in_progress" });
      const r = await t.call("POST", "/arts/PAY/quality/check", {
        ...GOOD,
        title: "As a payer, I want card payments",
        item: s.key,
      });
      expect(check(r.body.readiness, "dependencies")).toMatchObject({
        met: false,
        detail: `depends on ${blocker.key} (in progress)`,
      });
    });

    it("refuses a team, parent or story it does not know, naming the field", async () => {
      const bad = await t.call("POST", "/arts/PAY/quality/check", { title: "x", teamId: "nope" });
      expect(bad.status).toBe(400);
      expect(paths(bad.body)).toEqual(["teamId"]);
      const s = await story({ title: "A story" });
      const notFeature = await t.call("POST", "/arts/PAY/quality/check", { title: "x", parentId: s.key });
      expect(paths(notFeature.body)).toEqual(["parentId"]);
      const noItem = await t.call("POST", "/arts/PAY/quality/check", { title: "x", item: "PAY-999" });
      expect(paths(noItem.body)).toEqual(["item"]);
      expect((await t.call("POST", "/arts/NOPE/quality/check", { title: "x" })).status).toBe(404);
    });
  });

  describe("the quality report", () => {
    it("lists a train's stories still to be built that have findings, team by team in rank order, with counts by rule", async () => {
      const a = await story({
        title: "As an administrator, I want to backup and restore the rulebase, so that nothing is lost",
      });
      const b = await story({ title: "Refund button" }, "web");
      const clean = await goodStory();
      await story({ title: "Done work", state: "done" });
      await story({ title: "Another vague one", state: "accepted" });

      const r = await t.call("GET", "/arts/PAY/quality");
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.checked).toBe(3);
      expect(r.body.stories.map((s: { key: string }) => s.key)).toEqual([a.key, b.key]);
      expect(r.body.stories.map((s: { key: string }) => s.key)).not.toContain(clean.key);
      const atomic = r.body.stories[0].findings.find((f: FindingView) => f.rule === "atomic");
      expect(atomic.words).toContain("and");
      const total = r.body.stories.reduce((n: number, s: { findings: unknown[] }) => n + s.findings.length, 0);
      expect(Object.values(r.body.byRule).reduce((x, y) => (x as number) + (y as number), 0)).toBe(total);
      expect(r.body.byRule.atomic).toBe(1);

      const core = await t.call("GET", "/arts/PAY/quality?team=core");
      expect(core.body.stories.map((s: { key: string }) => s.key)).toEqual([a.key]);
      expect(core.body.checked).toBe(2);
      const onlyAtomic = await t.call("GET", "/arts/PAY/quality?rule=atomic");
      expect(onlyAtomic.body.stories.map((s: { key: string }) => s.key)).toEqual([a.key]);
      expect(onlyAtomic.body.stories[0].findings.map((f: FindingView) => f.rule)).toEqual(["atomic"]);
    });

    it("refuses an unknown team or rule, naming the parameter", async () => {
      expect(paths((await t.call("GET", "/arts/PAY/quality?team=nope")).body)).toEqual(["team"]);
      expect(paths((await t.call("GET", "/arts/PAY/quality?rule=nope")).body)).toEqual(["rule"]);
    });

    it("judges a story as small against half the team's average velocity over its last completed iterations", async () => {
      expect((await t.call("POST", "/arts/PAY/pis", { name: "PI 0", startDate: "2026-06-01" })).status).toBe(201);
      for (const n of [1, 2, 3]) {
        await story({
          title: `As a payer, I want finished work ${n}`,
          state: "done",
          points: 10,
          iterationId: `PI 0/${n}`,
        });
      }
      const s = await story({ ...GOOD, points: 8 });
      const r = await t.call("GET", "/arts/PAY/quality?rule=small");
      expect(r.body.stories.map((x: { key: string }) => x.key)).toEqual([s.key]);
      // Another team has no velocity: 8 points is within the default limit there.
      await story(
        { ...GOOD, title: "As a clerk, I want to refund by card, so that customers get money back", points: 8 },
        "web",
      );
      expect((await t.call("GET", "/arts/PAY/quality?rule=small&team=web")).body.stories).toEqual([]);
    });
  });

  describe("one story against the train", () => {
    it("finds for a story alone exactly what the train's report finds for it: other teams' near-duplicates, the team's template", async () => {
      const titles = [
        "As a payer, I want to pay by card, so that I can check out",
        "As a payer, I want to see my receipts, so that I can file expenses",
        "As a clerk, I want to refund a payment, so that customers get their money back",
        "As a clerk, I want to search payments by customer, so that I answer calls quickly",
        "As an auditor, I want to export the ledger, so that I can reconcile accounts",
        "Refund history page",
      ];
      const core: Created[] = [];
      for (const title of titles) core.push(await story({ title }));
      const twin = await story({ title: "As a customer, I want to pay by card, so that I can check out" }, "web");
      await story({ title: "Statement download" }, "web");
      const report = await t.call("GET", "/arts/PAY/quality");
      const byKey = new Map<string, FindingView[]>(
        report.body.stories.map((x: { key: string; findings: FindingView[] }) => [
          x.key,
          x.findings.map(({ words: _w, ...f }) => f),
        ]),
      );
      expect(rules(byKey.get(twin.key) ?? [])).toContain("unique");
      expect(rules(byKey.get(core[5]?.key ?? "") ?? [])).toContain("uniform");
      for (const s of [...core, twin]) {
        const alone = await quality(s.key);
        expect(alone.findings, s.key).toEqual(byKey.get(s.key) ?? []);
        const item = (await t.call("GET", `/items/${s.key}`)).body.item;
        const live = await t.call("POST", "/arts/PAY/quality/check", { title: item.title, item: s.key });
        expect(live.body.findings, s.key).toEqual(alone.findings);
      }
    });
  });

  describe("reading a train for the check", () => {
    it("reads every story with its dependencies and iteration order in three queries, however many there are", async () => {
      const pi0 = await t.call("POST", "/arts/PAY/pis", { name: "PI 0", startDate: "2026-06-01" });
      expect(pi0.status).toBe(201);
      const stories: Created[] = [];
      for (let i = 0; i < 24; i++) {
        stories.push(
          await story(
            { title: `As a payer, I want option ${i}`, iterationId: i % 2 ? `PI 0/${(i % 5) + 1}` : null },
            i % 3 ? "core" : "web",
          ),
        );
      }
      const feature1 = await feature("Ledger");
      for (let i = 1; i < stories.length; i++) {
        const target = i % 4 === 0 ? feature1 : (stories[i - 1] as Created);
        await t.call("POST", `/items/${stories[i]?.key}/relations`, { kind: "depends_on", target: target.key });
      }
      await patch(stories[0]?.key as string, { state: "accepted" });
      await patch(feature1.key, { state: "done" });

      let queries = 0;
      const counting = t.runtime.deps.db.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const art = (await t.call("GET", "/arts/PAY")).body;
      const rows = await storiesForCheck(counting, art.id);
      expect(queries).toBe(3);
      expect(rows).toHaveLength(24);
      const byKey = new Map(rows.map((r) => [r.key, r]));
      // PI 0 starts before PI 1: its iterations come first, in number order.
      expect(byKey.get(stories[1]?.key as string)?.iterationOrder).toBe(1);
      expect(byKey.get(stories[2]?.key as string)?.iterationOrder).toBeNull();
      expect(byKey.get(stories[1]?.key as string)?.dependsOn).toEqual([
        { key: stories[0]?.key, iterationOrder: null, finished: true, state: "accepted" },
      ]);
      expect(byKey.get(stories[4]?.key as string)?.dependsOn).toEqual([
        { key: feature1.key, iterationOrder: null, finished: true, state: "done" },
      ]);
      expect(byKey.get(stories[3]?.key as string)?.dependsOn).toEqual([
        { key: stories[2]?.key, iterationOrder: null, finished: false, state: "new" },
      ]);

      queries = 0;
      const core = await storiesForCheck(counting, art.id, {
        teamIds: [art.teams.find((x: { key: string }) => x.key === "core").id],
      });
      expect(queries).toBe(3);
      expect(core).toHaveLength(16);
    });
  });

  describe("dismissing findings", () => {
    it("dismisses a finding with a reason, keeps it out of the report, and restores it, each in the history", async () => {
      const s = await story({
        title: "As an administrator, I want to backup and restore the rulebase, so that nothing is lost",
      });
      const { changes, settled, stop } = await t.watchChanges("PAY");
      const d = await t.call("POST", `/items/${s.key}/quality/dismissals`, {
        rule: "atomic",
        reason: "  Backup and restore are one capability for us.  ",
      });
      await settled();
      stop();
      expect(d.status, JSON.stringify(d.body)).toBe(201);
      expect(d.body).toMatchObject({
        rule: "atomic",
        reason: "Backup and restore are one capability for us.",
        by: t.admin.id,
        key: s.key,
        finding: { rule: "atomic" },
      });
      expect(changes).toEqual([expect.objectContaining({ kind: "quality.changed", itemId: s.id })]);

      const q = await quality(s.key);
      expect(rules(q.findings)).not.toContain("atomic");
      expect(q.dismissed).toEqual([
        expect.objectContaining({ rule: "atomic", reason: "Backup and restore are one capability for us." }),
      ]);
      expect(q.dismissed[0]?.finding?.rule).toBe("atomic");
      expect((await t.call("GET", "/arts/PAY/quality?rule=atomic")).body.stories).toEqual([]);
      const shown = await t.call("GET", "/arts/PAY/quality?rule=atomic&includeDismissed=true");
      expect(shown.body.stories[0]).toMatchObject({ key: s.key, dismissed: ["atomic"] });

      expect(
        (await t.call("POST", `/items/${s.key}/quality/dismissals`, { rule: "atomic", reason: "again" })).status,
      ).toBe(409);
      expect((await t.call("DELETE", `/items/${s.key}/quality/dismissals/atomic`)).status).toBe(204);
      expect(rules((await quality(s.key)).findings)).toContain("atomic");
      expect((await t.call("DELETE", `/items/${s.key}/quality/dismissals/atomic`)).status).toBe(404);

      const history = await t.call("GET", `/items/${s.key}/history`);
      const events = history.body.items.filter((e: { kind: string }) => e.kind.startsWith("finding_"));
      expect(events).toEqual([
        expect.objectContaining({
          kind: "finding_dismissed",
          field: "atomic",
          newValue: "Backup and restore are one capability for us.",
          actorId: t.admin.id,
        }),
        expect.objectContaining({
          kind: "finding_restored",
          field: "atomic",
          oldValue: "Backup and restore are one capability for us.",
        }),
      ]);
    });

    it("sends the dismissal live to the screens of those who see the story's team, and only theirs", async () => {
      const ours = await t.user("Cora Core", [{ art: "PAY", role: "team_member", team: "core" }]);
      const theirs = await t.user("Wes Web", [{ art: "PAY", role: "team_member", team: "web" }]);
      const watch = async (token: string) => {
        const res = await t.app.request("/api/v1/arts/PAY/events", { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        let text = "";
        void (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            text += decoder.decode(value);
          }
        })().catch(() => {});
        return { text: () => text, cancel: () => reader.cancel() };
      };
      const core = await watch(ours.token);
      const web = await watch(theirs.token);
      await expect.poll(core.text).toContain("event: ready");
      await expect.poll(web.text).toContain("event: ready");
      const s = await story({ title: "Refunds" });
      await t.call("POST", `/items/${s.key}/quality/dismissals`, { rule: "well_formed", reason: "Known by all" });
      await expect.poll(core.text).toContain(`"kind":"quality.changed","artId"`);
      expect(core.text()).toContain(`"itemId":"${s.id}"`);
      const other = await story({ title: "Refund link" }, "web");
      await expect.poll(web.text).toContain(`"itemId":"${other.id}"`);
      expect(web.text()).not.toContain("quality.changed");
      await core.cancel();
      await web.cancel();
    });

    it("lets a dismissed error no longer hold the story back from being ready", async () => {
      const s = await goodStory({ acceptanceCriteria: ["The receipt should be user friendly"] });
      const before = await quality(s.key);
      expect(before.readiness.ready).toBe(false);
      expect(check(before.readiness, "quality")?.met).toBe(false);
      for (const rule of ["ambiguous", "testable"]) {
        const r = await t.call("POST", `/items/${s.key}/quality/dismissals`, {
          rule,
          reason: "Our UX team signs it off",
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      }
      expect((await quality(s.key)).readiness.ready).toBe(true);
    });

    it("refuses an unknown rule, a finding the story does not have, and a missing or overlong reason, naming the field", async () => {
      const s = await goodStory();
      const dismiss = (body: object) => t.call("POST", `/items/${s.key}/quality/dismissals`, body);
      expect(paths((await dismiss({ rule: "nope", reason: "x" })).body)).toEqual(["rule"]);
      const absent = await dismiss({ rule: "atomic", reason: "x" });
      expect(absent.status).toBe(400);
      expect(paths(absent.body)).toEqual(["rule"]);
      expect(paths((await dismiss({ rule: "atomic", reason: "   " })).body)).toEqual(["reason"]);
      expect(paths((await dismiss({ rule: "atomic", reason: "x".repeat(501) })).body)).toEqual(["reason"]);
      const f = await feature();
      expect(paths((await t.call("GET", `/items/${f.key}/quality`)).body)).toEqual(["item"]);
    });
  });

  describe("team settings", () => {
    it("reads the defaults at version 0 until a team saves its own, and saves whole settings with a new version", async () => {
      const first = await settingsOf();
      expect(first).toMatchObject({
        version: 0,
        settings: {
          quality: { disabled: [], smallMaxPoints: 8 },
          definitionOfReady: {
            conditions: ["criteria", "estimated", "small", "parent", "dependencies", "quality"],
            manual: [],
          },
          readyPolicy: "warn",
          capacityPerIteration: null,
          staleAfterDays: 60,
        },
      });
      const saved = await saveSettings((s) => {
        s.readyPolicy = "refuse";
        s.definitionOfReady.manual = [{ label: "UX design reviewed" }, { label: "Test data available" }];
      });
      expect(saved.version).toBe(1);
      expect(saved.settings.definitionOfReady.manual).toEqual([
        { id: "ux-design-reviewed", label: "UX design reviewed" },
        { id: "test-data-available", label: "Test data available" },
      ]);
      expect(await settingsOf()).toMatchObject({ version: 1, settings: { readyPolicy: "refuse" } });
      expect((await settingsOf("web")).version).toBe(0);
    });

    it("refuses settings out of range, naming each field, and a stale version with 409", async () => {
      const current = await settingsOf();
      const bad = await t.call("PUT", "/arts/PAY/teams/core/refinement", {
        version: 0,
        settings: {
          ...current.settings,
          quality: { ...current.settings.quality, smallMaxPoints: 0, disabled: ["atomic", "nope"] },
          definitionOfReady: { conditions: ["estimated", "sunny"], manual: [{ label: " " }] },
          staleAfterDays: 1.5,
        },
      });
      expect(bad.status).toBe(400);
      expect(paths(bad.body).sort()).toEqual(
        [
          "settings.definitionOfReady.conditions.1",
          "settings.definitionOfReady.manual.0.label",
          "settings.quality.disabled.1",
          "settings.quality.smallMaxPoints",
          "settings.staleAfterDays",
        ].sort(),
      );
      const wrongType = await t.call("PUT", "/arts/PAY/teams/core/refinement", {
        version: 0,
        settings: { readyPolicy: "maybe" },
      });
      expect(paths(wrongType.body)).toEqual(["settings.readyPolicy"]);

      await saveSettings((s) => {
        s.staleAfterDays = 30;
      });
      const stale = await t.call("PUT", "/arts/PAY/teams/core/refinement", { version: 0, settings: current.settings });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(1);
      expect((await settingsOf()).settings.staleAfterDays).toBe(30);
    });

    it("applies a team's rules and thresholds to its stories", async () => {
      const s = await story({
        title: "As an administrator, I want to backup and restore the rulebase, so that nothing is lost",
        points: 5,
      });
      expect(rules((await quality(s.key)).findings)).toContain("atomic");
      await saveSettings((x) => {
        x.quality.disabled = ["atomic"];
        x.quality.smallMaxPoints = 3;
      });
      const after = rules((await quality(s.key)).findings);
      expect(after).not.toContain("atomic");
      expect(after).toContain("small");
    });

    it("lets a team's Product Owner and the RTE change its settings, but not a team member, and hides other teams", async () => {
      const po = await t.user("Pat Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
      const member = await t.user("Tim Member", [{ art: "PAY", role: "team_member", team: "core" }]);
      const rte = await t.user("Rita Rte", [{ art: "PAY", role: "rte" }]);
      const outsider = await t.user("Otto Outsider");
      const put = (who: typeof po, team: string, version: number) =>
        t.as(who)("PUT", `/arts/PAY/teams/${team}/refinement`, { version, settings: { readyPolicy: "refuse" } });
      expect((await put(po, "core", 0)).status).toBe(200);
      const denied = await put(member, "core", 1);
      expect(denied.status).toBe(403);
      expect(denied.body.permission).toBe("configure_refinement");
      expect((await put(rte, "core", 1)).status).toBe(200);
      expect((await put(po, "web", 0)).status).toBe(404);
      expect((await t.as(member)("GET", "/arts/PAY/teams/core/refinement")).status).toBe(200);
      expect((await t.as(member)("GET", "/arts/PAY/teams/web/refinement")).status).toBe(404);
      expect((await t.as(outsider)("GET", "/arts/PAY/quality")).status).toBe(404);
    });
  });

  describe("rights on quality", () => {
    it("lets a viewer read quality but not dismiss, and keeps another team's stories out of a team member's report", async () => {
      const viewer = await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]);
      const member = await t.user("Tim Member", [{ art: "PAY", role: "team_member", team: "core" }]);
      const ours = await story({ title: "Refund button" });
      const theirs = await story({ title: "Refund link" }, "web");
      expect((await t.as(viewer)("GET", `/items/${ours.key}/quality`)).status).toBe(200);
      const denied = await t.as(viewer)("POST", `/items/${ours.key}/quality/dismissals`, {
        rule: "well_formed",
        reason: "A button says it all",
      });
      expect(denied.status).toBe(403);
      expect((await t.as(member)("GET", `/items/${theirs.key}/quality`)).status).toBe(404);
      const report = await t.as(member)("GET", "/arts/PAY/quality");
      expect(report.body.stories.map((s: { key: string }) => s.key)).toEqual([ours.key]);
      expect(paths((await t.as(member)("GET", "/arts/PAY/quality?team=web")).body)).toEqual(["team"]);
      const dismissed = await t.as(member)("POST", `/items/${ours.key}/quality/dismissals`, {
        rule: "well_formed",
        reason: "A button says it all",
      });
      expect(dismissed.status).toBe(201);
    });
  });

  describe("the Definition of Ready", () => {
    it("lets a story move to Ready with a warning policy even when it is not ready", async () => {
      const s = await story({ title: "Refunds" });
      expect((await quality(s.key)).readiness.ready).toBe(false);
      const r = await patch(s.key, { state: "ready" });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.state).toBe("ready");
    });

    it("refuses to move an unready story to Ready under a refuse policy, naming what is missing, until it is ready", async () => {
      await saveSettings((s) => {
        s.readyPolicy = "refuse";
      });
      const s = await story({ title: GOOD.title, acceptanceCriteria: GOOD.acceptanceCriteria });
      const refused = await patch(s.key, { state: "ready" });
      expect(refused.status).toBe(400);
      // No estimate is also an open error of the estimable rule.
      expect(refused.body.errors).toEqual([
        { path: "state", message: "not ready: Estimated; Parent feature set; No open quality errors" },
      ]);
      expect((await t.call("GET", `/items/${s.key}`)).body.item.state).toBe("new");

      const parent = await feature();
      const moved = await patch(s.key, { state: "ready", points: 3, parentId: parent.key });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body.state).toBe("ready");
    });

    it("holds stories to the team's manual items, met when ticked on the story through readyChecks", async () => {
      const saved = await saveSettings((s) => {
        s.readyPolicy = "refuse";
        s.definitionOfReady.conditions = ["estimated"];
        s.definitionOfReady.manual = [{ label: "UX design reviewed" }];
      });
      const [item] = saved.settings.definitionOfReady.manual;
      const s = await story({ title: "Refunds", points: 2 });
      const before = await quality(s.key);
      expect(before.readiness.checks.map((c) => [c.id, c.met, c.manual])).toEqual([
        ["estimated", true, false],
        [item.id, false, true],
      ]);
      expect(before.readiness.missing).toEqual(["UX design reviewed"]);
      expect((await patch(s.key, { state: "ready" })).body.errors[0].message).toBe("not ready: UX design reviewed");

      const ticked = await patch(s.key, { readyChecks: [item.id] });
      expect(ticked.status).toBe(200);
      expect(ticked.body.readyChecks).toEqual([item.id]);
      expect((await quality(s.key)).readiness).toMatchObject({ ready: true, missing: [] });
      expect((await patch(s.key, { state: "ready" })).status).toBe(200);
    });

    it("counts a dependency as resolved once the story it depends on is done", async () => {
      const blocker = await story({ title: "As a payer, I want to save a card, so that I pay faster next time" });
      const s = await goodStory();
      await t.call("POST", `/items/${s.key}/relations`, { kind: "depends_on", target: blocker.key });
      expect(check((await quality(s.key)).readiness, "dependencies")).toMatchObject({
        met: false,
        detail: `depends on ${blocker.key} (new)`,
      });
      await patch(blocker.key, { state: "done" });
      expect(check((await quality(s.key)).readiness, "dependencies")).toMatchObject({
        met: true,
        detail: "1 dependency finished",
      });
    });
  });
});
