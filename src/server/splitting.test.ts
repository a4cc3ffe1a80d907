// Splitting a story and breaking a feature down, end to end over the HTTP API on SQLite and PostgreSQL: the new
// stories' places in the team backlogs, their links and history, the original closed as split, versions, rights, and
// bad input refused with nothing half-written.
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/databases.js";
import { createSmallTrain, openTestApp, type TestApp } from "../../test/test-app.js";

interface Item {
  id: string;
  key: string;
  version: number;
  state: string;
  title: string;
  teamId: string | null;
  parentId: string | null;
  piId: string | null;
  iterationId: string | null;
  points: number | null;
  type: string;
  acceptanceCriteria: { text: string; met: boolean }[];
}

describeEachDatabase("splitting stories and breaking features down over the API", (database) => {
  let t: TestApp;
  let teams: Record<string, string>;
  beforeEach(async () => {
    t = await openTestApp(await database.createUrl());
    const art = await createSmallTrain(t);
    teams = Object.fromEntries((art.teams as { key: string; id: string }[]).map((x) => [x.key, x.id]));
  });
  afterEach(async () => {
    await t.close();
  });

  const create = async (body: object): Promise<Item> => {
    const r = await t.call("POST", "/items", { art: "PAY", ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const feature = (title: string, extra: object = {}) => create({ level: "feature", title, ...extra });
  const story = (title: string, parent: Item | null, team = "core", extra: object = {}) =>
    create({ level: "story", title, teamId: team, ...(parent ? { parentId: parent.key } : {}), ...extra });
  const teamOrder = async (team = "core"): Promise<string[]> => {
    const r = await t.call("GET", `/arts/PAY/teams/${team}/backlog/all`);
    expect(r.status).toBe(200);
    return r.body.items.map((i: { key: string }) => i.key);
  };
  const countItems = async () => {
    const all = await Promise.all(["core", "web"].map(teamOrder));
    return all.flat().length;
  };
  const history = async (key: string) => {
    const r = await t.call("GET", `/items/${key}/history`);
    expect(r.status).toBe(200);
    return r.body.items as { kind: string; field: string | null; oldValue: unknown; newValue: any }[];
  };
  const split = (item: Item, stories: object[], extra: object = {}, call = t.call) =>
    call("POST", `/items/${item.key}/split`, { version: item.version, stories, ...extra });

  it("suggests splits of a story from its text, with its criteria moved to the stories they belong to", async () => {
    const s = await story(
      "As a RuleAuthor, I want to export or print a selection of parts from the rulebase",
      null,
      "core",
      {
        acceptanceCriteria: ["Printing keeps the page layout", "The export is a CSV file"],
      },
    );
    const r = await t.call("GET", `/items/${s.key}/split-suggestions`);
    expect(r.status).toBe(200);
    const [top] = r.body.suggestions;
    expect(top).toMatchObject({ pattern: "operations", label: "Operations" });
    expect(top.rationale).toContain("'export or print'");
    expect(top.stories).toEqual([
      {
        title: "As a RuleAuthor, I want to export a selection of parts from the rulebase",
        description: "",
        acceptanceCriteria: [{ text: "The export is a CSV file", met: false }],
        points: null,
      },
      {
        title: "As a RuleAuthor, I want to print a selection of parts from the rulebase",
        description: "",
        acceptanceCriteria: [{ text: "Printing keeps the page layout", met: false }],
        points: null,
      },
    ]);
    const f = await feature("Statements");
    const refused = await t.call("GET", `/items/${f.key}/split-suggestions`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: "item", message: expect.stringContaining("broken down") }]);
  });

  it("splits a story into stories that take its place in order, linked to it, and closes it as split", async () => {
    const f = await feature("Card payments", { teamIds: ["core"] });
    const before = await story("As a payer, I want a receipt", f);
    const original = await story("As a payer, I want to pay by card or PayPal", f, "core", {
      points: 13,
      iterationId: "PI 1/2",
      labels: ["checkout"],
      acceptanceCriteria: ["Card payments use 3-D Secure", "PayPal asks for a login", "A receipt is sent"],
    });
    const after = await story("As a payer, I want a refund", f);

    const r = await split(
      original,
      [
        {
          title: "As a payer, I want to pay by card",
          acceptanceCriteria: ["Card payments use 3-D Secure", "A receipt is sent"],
          points: 8,
        },
        { title: "As a payer, I want to pay with PayPal", acceptanceCriteria: ["PayPal asks for a login"], points: 5 },
        { title: "As a payer, I want to pay with a saved card", description: "Later, once cards can be saved." },
      ],
      { pattern: "data_variations" },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const { original: closed, stories } = r.body as { original: Item; stories: Item[] };
    expect(closed).toMatchObject({ key: original.key, state: "split", version: original.version + 1, points: 13 });
    expect(stories.map((s) => s.title)).toEqual([
      "As a payer, I want to pay by card",
      "As a payer, I want to pay with PayPal",
      "As a payer, I want to pay with a saved card",
    ]);
    for (const s of stories) {
      expect(s).toMatchObject({
        state: "new",
        version: 1,
        teamId: teams.core,
        parentId: f.id,
        piId: original.piId,
        iterationId: original.iterationId,
        type: "business",
        labels: ["checkout"],
      });
    }
    expect(original.iterationId).not.toBeNull();
    expect(stories.map((s) => s.points)).toEqual([8, 5, null]);
    expect(stories[0]?.acceptanceCriteria.map((c) => c.text)).toEqual([
      "Card payments use 3-D Secure",
      "A receipt is sent",
    ]);

    expect(await teamOrder()).toEqual([before.key, original.key, ...stories.map((s) => s.key), after.key]);
    const check = await t.call("GET", "/check");
    expect(check.body.ok).toBe(true);

    const opened = await t.call("GET", `/items/${original.key}`);
    expect(
      opened.body.relations.map((x: { label: string; item: { key: string } }) => `${x.label} ${x.item.key}`),
    ).toEqual(stories.map((s) => `split into ${s.key}`));
    const child = await t.call("GET", `/items/${stories[1]?.key}`);
    expect(child.body.relations).toEqual([
      expect.objectContaining({
        kind: "split_from",
        direction: "outgoing",
        item: expect.objectContaining({ key: original.key }),
      }),
    ]);

    // The lineage in the history: the original links to each new story and changes state; each new story was created
    // from it and links back.
    const lineage = await history(original.key);
    expect(lineage.slice(-4).map((e) => [e.kind, e.field])).toEqual([
      ["related", "relations"],
      ["related", "relations"],
      ["related", "relations"],
      ["updated", "state"],
    ]);
    expect(lineage.at(-1)).toMatchObject({ oldValue: "new", newValue: "split" });
    expect(lineage.slice(-4, -1).map((e) => e.newValue)).toEqual(
      stories.map((s) => ({ id: expect.any(String), kind: "split_from", from: s.key, to: original.key })),
    );
    const born = await history(stories[0]?.key ?? "");
    expect(born.map((e) => e.kind)).toEqual(["created", "related"]);
    expect(born[0]?.newValue).toMatchObject({ splitFrom: original.key, pattern: "data_variations", points: 8 });

    // Closed as split: no person moves it to another state, and it is not split again.
    const reopen = await t.call("PATCH", `/items/${original.key}`, { state: "ready", version: closed.version });
    expect(reopen.status).toBe(400);
    const again = await split(closed, [{ title: "A" }, { title: "B" }]);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("split already");
  });

  it("takes the If-Match version, and refuses a stale one with 409 and the story as it is now", async () => {
    const s = await story("As a payer, I want to pay", null);
    const edited = await t.call("PATCH", `/items/${s.key}`, { title: "As a payer, I want to pay now", version: 1 });
    expect(edited.status).toBe(200);
    const stale = await split(s, [{ title: "A" }, { title: "B" }]);
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ key: s.key, version: 2, state: "new" });
    const withHeader = await t.call(
      "POST",
      `/items/${s.key}/split`,
      { stories: [{ title: "A" }, { title: "B" }] },
      { "If-Match": '"2"' },
    );
    expect(withHeader.status).toBe(201);
    const none = await t.call("POST", `/items/${s.key}/split`, { stories: [{ title: "A" }, { title: "B" }] });
    expect(none.status).toBe(428);
  });

  it("refuses to split a story that is done or accepted, or an item that is not a story", async () => {
    for (const state of ["done", "accepted"]) {
      const s = await story(`As a payer, I want a ${state} thing`, null, "core", { state });
      const r = await split(s, [{ title: "A" }, { title: "B" }]);
      expect(r.status).toBe(409);
      expect(r.body.detail).toContain(`${s.key} is ${state}: only a story not yet done can be split`);
    }
    const f = await feature("Statements");
    const r = await split(f, [{ title: "A" }, { title: "B" }]);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe("item");
  });

  it("refuses bad input with 400 naming the field, and writes nothing", async () => {
    const s = await story("As a payer, I want to pay", null, "core", { acceptanceCriteria: ["Works"] });
    const count = await countItems();
    const cases: [object[], string][] = [
      [[{ title: "Only one" }], "stories"],
      [[{ title: "  " }, { title: "B" }], "stories.0.title"],
      [[{ title: "A" }, { title: "B", points: -1 }], "stories.1.points"],
      [[{ title: "A" }, { title: "B", acceptanceCriteria: [""] }], "stories.1.acceptanceCriteria.0"],
      [[{ title: "A" }, { title: "B", teamId: "web" }], "stories.1"],
      [Array.from({ length: 11 }, (_, i) => ({ title: `Part ${i}` })), "stories"],
    ];
    for (const [stories, path] of cases) {
      const r = await split(s, stories);
      expect(r.status, JSON.stringify(stories)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const badPattern = await split(s, [{ title: "A" }, { title: "B" }], { pattern: "by_magic" });
    expect(badPattern.status).toBe(400);
    expect(badPattern.body.errors[0].path).toBe("pattern");
    expect(await countItems()).toBe(count);
    const still = await t.call("GET", `/items/${s.key}`);
    expect(still.body.item).toMatchObject({ state: "new", version: s.version });
    expect((await history(s.key)).map((e) => e.kind)).toEqual(["created"]);
  });

  it("lets two splits race on one story: one wins, the other gets 409 and leaves nothing behind", async () => {
    const s = await story("As a payer, I want to pay", null);
    const [a, b] = await Promise.all([
      split(s, [{ title: "First A" }, { title: "First B" }]),
      split(s, [{ title: "Second A" }, { title: "Second B" }, { title: "Second C" }]),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const won = (a.status === 201 ? a : b).body.stories.map((x: Item) => x.key);
    expect(await teamOrder()).toEqual([s.key, ...won]);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);
  });

  it("respaces a crowded backlog when the new stories' keys would grow too long, keeping every place", async () => {
    const [a, b, c] = [await story("A", null), await story("B", null), await story("C", null)];
    // A and B as close as keys get: nothing fits between them without passing the length limit.
    const crowded = `a0${"V".repeat(46)}`;
    for (const [item, rank] of [
      [a, crowded],
      [b, `${crowded}1`],
    ] as const) {
      await t.runtime.deps.db.updateTable("items").set({ rank }).where("key", "=", item.key).execute();
    }
    const r = await split(a, [{ title: "A1" }, { title: "A2" }]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const [a1, a2] = r.body.stories as Item[];
    expect(await teamOrder()).toEqual([a.key, a1?.key, a2?.key, b.key, c.key]);
    const ranks = await t.runtime.deps.db
      .selectFrom("items")
      .select("rank")
      .where("team_id", "=", teams.core ?? "")
      .execute();
    expect(Math.max(...ranks.map((x) => x.rank.length))).toBeLessThan(10);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);
  });

  it("lets those who edit a team's stories split them, and no one else", async () => {
    const po = await t.user("Pia Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
    const member = await t.user("Tom Member", [{ art: "PAY", role: "team_member", team: "core" }]);
    const pm = await t.user("Paula Pm", [{ art: "PAY", role: "product_manager" }]);
    const viewer = await t.user("Vic Viewer", [{ art: "PAY", role: "viewer" }]);
    const two = [{ title: "A" }, { title: "B" }];
    expect((await split(await story("S1", null), two, {}, t.as(po))).status).toBe(201);
    expect((await split(await story("S2", null), two, {}, t.as(member))).status).toBe(201);
    const s3 = await story("S3", null);
    for (const who of [pm, viewer]) {
      const r = await split(s3, two, {}, t.as(who));
      expect(r.status).toBe(403);
      expect(r.body.permission).toBe("edit_story");
    }
    const web = await story("W1", null, "web");
    expect((await split(web, two, {}, t.as(po))).status).toBe(404);
    expect((await t.as(po)("GET", `/items/${web.key}/split-suggestions`)).status).toBe(404);
    expect((await t.as(viewer)("GET", `/items/${web.key}/split-suggestions`)).status).toBe(200);
  });

  it("drafts a feature's stories from its criteria, for its first team", async () => {
    const f = await feature("Refunds to card", {
      teamIds: ["web", "core"],
      benefitHypothesis: "We believe refunds take less support time if payers successfully request them online.",
      acceptanceCriteria: [
        "Given a settled payment, when the payer requests a refund, then the money returns to the card within 5 days",
        "Users can cancel a pending refund",
      ],
    });
    const r = await t.call("GET", `/items/${f.key}/breakdown`);
    expect(r.status).toBe(200);
    expect(r.body.teams.map((x: { key: string }) => x.key)).toEqual(["web", "core"]);
    expect(r.body.drafts).toEqual([
      {
        title: "As a payer, I want to request a refund, so that the money returns to the card within 5 days",
        description: "",
        acceptanceCriteria: [
          {
            text: "Given a settled payment, when the payer requests a refund, then the money returns to the card within 5 days",
            met: false,
          },
        ],
        points: null,
        teamId: teams.web,
      },
      {
        title: "As a payer, I want to cancel a pending refund",
        description: "",
        acceptanceCriteria: [{ text: "Users can cancel a pending refund", met: false }],
        points: null,
        teamId: teams.web,
      },
    ]);
    const s = await story("A story", null);
    const refused = await t.call("GET", `/items/${s.key}/breakdown`);
    expect(refused.status).toBe(400);
  });

  it("creates stories under the feature in each team backlog: after its stories, else before lower features' stories, else at the bottom", async () => {
    const [f1, f2, f3, f4] = [await feature("F1"), await feature("F2"), await feature("F3"), await feature("F4")];
    const a = await story("A of F1", f1, "core");
    const c = await story("C of F3", f3, "core");
    const loose = await story("Loose story", null, "core");
    const w = await story("W of F2", f2, "web");
    const z = await story("Z of F3", f3, "web");
    const w2 = await story("W2 of F2", f2, "web");
    await t.call("POST", `/items/${w2.key}/move`, { after: w.key });

    const r = await t.call("POST", `/items/${f2.key}/breakdown`, {
      stories: [
        { title: "As a payer, I want core part one", teamId: "core", acceptanceCriteria: ["It works"], points: 3 },
        { title: "As a payer, I want a web part", teamId: "web" },
        { title: "As a payer, I want core part two", teamId: teams.core },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const [core1, web1, core2] = r.body.stories as Item[];
    expect(r.body.stories.map((s: Item) => [s.parentId, s.state, s.version])).toEqual([
      [f2.id, "new", 1],
      [f2.id, "new", 1],
      [f2.id, "new", 1],
    ]);
    expect(core1).toMatchObject({
      points: 3,
      teamId: teams.core,
      acceptanceCriteria: [{ text: "It works", met: false }],
    });
    // Core has no story of F2: the new ones go before the first story of a feature ranked below F2 (F3's C).
    expect(await teamOrder("core")).toEqual([a.key, core1?.key, core2?.key, c.key, loose.key]);
    // Web has F2's stories already: after the last of them.
    expect(await teamOrder("web")).toEqual([w.key, w2.key, web1?.key, z.key]);

    // A feature ranked below every story's feature: at the bottom; a feature with stories: after them.
    const bottom = await t.call("POST", `/items/${f4.key}/breakdown`, {
      stories: [{ title: "F4 part", teamId: "core" }],
    });
    expect(bottom.status).toBe(201);
    const more = await t.call("POST", `/items/${f1.key}/breakdown`, {
      stories: [{ title: "F1 part", teamId: "core" }],
    });
    expect(await teamOrder("core")).toEqual([
      a.key,
      more.body.stories[0].key,
      core1?.key,
      core2?.key,
      c.key,
      loose.key,
      bottom.body.stories[0].key,
    ]);
    expect((await t.call("GET", "/check")).body.ok).toBe(true);

    const created = await history(core1?.key ?? "");
    expect(created.map((e) => e.kind)).toEqual(["created"]);
    expect(created[0]?.newValue).toMatchObject({ brokenDownFrom: f2.key, title: "As a payer, I want core part one" });
    const opened = await t.call("GET", `/items/${f2.key}`);
    expect(opened.body.childCount).toBe(5);
  });

  it("refuses a bad breakdown with 400 naming the field, and creates none of its stories", async () => {
    const f = await feature("Statements");
    const count = await countItems();
    const cases: [object, string][] = [
      [{ stories: [] }, "stories"],
      [
        {
          stories: [
            { title: "A", teamId: "core" },
            { title: "B", teamId: "ops" },
          ],
        },
        "stories.1.teamId",
      ],
      [{ stories: [{ title: "", teamId: "core" }] }, "stories.0.title"],
      [{ stories: [{ title: "A" }] }, "stories.0.teamId"],
      [{ stories: [{ title: "A", teamId: "core", points: "five" }] }, "stories.0.points"],
    ];
    for (const [body, path] of cases) {
      const r = await t.call("POST", `/items/${f.key}/breakdown`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const s = await story("A story", null);
    const notFeature = await t.call("POST", `/items/${s.key}/breakdown`, { stories: [{ title: "A", teamId: "core" }] });
    expect(notFeature.status).toBe(400);
    expect(await countItems()).toBe(count + 1);
  });

  it("lets a team's product owner break a feature down into their team's stories only", async () => {
    const f = await feature("Statements");
    const po = await t.user("Pia Owner", [{ art: "PAY", role: "product_owner", team: "core" }]);
    const pm = await t.user("Paula Pm", [{ art: "PAY", role: "product_manager" }]);
    const ok = await t.as(po)("POST", `/items/${f.key}/breakdown`, {
      stories: [{ title: "Core part", teamId: "core" }],
    });
    expect(ok.status).toBe(201);
    const count = await countItems();
    const mixed = await t.as(po)("POST", `/items/${f.key}/breakdown`, {
      stories: [
        { title: "Core part", teamId: "core" },
        { title: "Web part", teamId: "web" },
      ],
    });
    expect(mixed.status).toBe(404);
    const byPm = await t.as(pm)("POST", `/items/${f.key}/breakdown`, {
      stories: [{ title: "Core part", teamId: "core" }],
    });
    expect(byPm.status).toBe(403);
    expect(byPm.body.permission).toBe("edit_story");
    expect(await countItems()).toBe(count);
    expect((await t.as(pm)("GET", `/items/${f.key}/breakdown`)).status).toBe(200);
  });
});
