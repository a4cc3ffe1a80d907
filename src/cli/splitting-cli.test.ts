// `trainyard story split` and `trainyard feature breakdown` run as a user runs them: a real process on a real SQLite
// database, and over HTTP on a real server, printing the same either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import { openRuntime } from "../runtime.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { grantRole } from "../use-cases/grant-roles.js";
import { listHistory } from "../use-cases/item-history.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { createTrain } from "../use-cases/set-up-train.js";

const { run, sqliteDatabase, startServer } = cliHarness("trainyard-split-cli-");

/** ART PAY with teams core and web, a feature with criteria and stories from ../shared/data/user-stories. */
async function seed(url: string): Promise<Record<string, string>> {
  const rt = await openRuntime(url, { passwordCost: 14 });
  try {
    const deps = rt.deps;
    const teams = [
      { key: "core", name: "Core" },
      { key: "web", name: "Web" },
    ];
    await createTrain(deps, { key: "PAY", name: "Payments Train", teams }, operator());
    const [feature, exportOrPrint, signUp, done] = await createItems(
      deps,
      [
        {
          art: "PAY",
          level: "feature",
          title: "Rulebase exports",
          teamIds: ["core"],
          benefitHypothesis:
            "We believe reviews get faster if rule authors successfully share selections of the rulebase.",
          acceptanceCriteria: [
            "Given a selection, when the rule author exports it, then they get a CSV file",
            "Rule authors can print a selection",
          ],
        },
        {
          art: "PAY",
          level: "story",
          teamId: "core",
          points: 8,
          title:
            "As a RuleAuthor, I want to export or print a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
          acceptanceCriteria: ["Printing keeps the page layout", "The export is a CSV file"],
        },
        {
          art: "PAY",
          level: "story",
          teamId: "core",
          title:
            "As a Visitor, I want to sign up via github or google, so that I don't have to enter lots of information and remember my password for yet another website.",
          acceptanceCriteria: ["A GitHub account with no public email still signs up", "Google asks for consent once"],
        },
        {
          art: "PAY",
          level: "story",
          teamId: "core",
          state: "done",
          title: "As a Publisher, I want to publish a dataset",
        },
      ],
      operator(),
    );
    return {
      feature: feature?.key ?? "",
      exportOrPrint: exportOrPrint?.key ?? "",
      signUp: signUp?.key ?? "",
      done: done?.key ?? "",
    };
  } finally {
    await rt.close();
  }
}

describe("trainyard story split and feature breakdown, on the database", { timeout: 120_000 }, () => {
  let db: string;
  let keys: Record<string, string>;
  const local = (...args: string[]) => run(["--database", db, ...args]);
  const teamOrder = async (team: string) =>
    JSON.parse((await local("items", "list", "PAY", "--team", team, "--json")).stdout).items.map(
      (i: { key: string; state: string }) => `${i.key} ${i.state}`,
    );

  beforeAll(async () => {
    db = await sqliteDatabase();
    keys = await seed(db);
  });

  it("shows the suggested splits with their cues, then applies one by number, renamed, with points", async () => {
    const { exportOrPrint: ref = "" } = keys;
    const shown = await local("story", "split", ref, "--suggest");
    expect(shown).toMatchObject({ code: 0, stderr: "" });
    expect(shown.stdout.split("\n").slice(0, 8)).toEqual([
      `Suggested splits of ${ref}, strongest cue first:`,
      "",
      "1. Operations (operations)",
      "   'export or print' are two operations on 'a selection of parts from the rulebase': one story each.",
      "   a. As a RuleAuthor, I want to export a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
      "        - The export is a CSV file",
      "   b. As a RuleAuthor, I want to print a selection of parts from the rulebase, So that the people involved are quickly and properly informed.",
      "        - Printing keeps the page layout",
    ]);
    const json = JSON.parse((await local("story", "split", ref, "--suggest", "--json")).stdout);
    expect(json.suggestions[0].pattern).toBe("operations");

    const applied = await local(
      "story",
      "split",
      ref,
      "--from-suggestion",
      "1",
      "--into",
      "As a RuleAuthor, I want to export a selection as CSV",
      "--into",
      "As a RuleAuthor, I want to print a selection",
      "--points",
      "3,none",
      "--json",
    );
    expect(applied).toMatchObject({ code: 0, stderr: "" });
    const result = JSON.parse(applied.stdout);
    expect(result.original).toMatchObject({ key: ref, state: "split" });
    expect(
      result.stories.map((s: { title: string; points: number | null; acceptanceCriteria: { text: string }[] }) => [
        s.title,
        s.points,
        s.acceptanceCriteria.map((c) => c.text),
      ]),
    ).toEqual([
      ["As a RuleAuthor, I want to export a selection as CSV", 3, ["The export is a CSV file"]],
      ["As a RuleAuthor, I want to print a selection", null, ["Printing keeps the page layout"]],
    ]);
    const [first, second] = result.stories.map((s: { key: string }) => s.key);
    expect((await teamOrder("core")).slice(0, 3)).toEqual([`${ref} split`, `${first} new`, `${second} new`]);

    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      const history = await listHistory(rt.deps, operator(), { item: first });
      expect(history.items[0]).toMatchObject({ kind: "created", newValue: { splitFrom: ref, pattern: "operations" } });
    } finally {
      await rt.close();
    }
  });

  it("splits into titles given by hand, moving each criterion to the title that shares its words", async () => {
    const { signUp: ref = "" } = keys;
    const r = await local(
      "story",
      "split",
      ref,
      "--into",
      "As a Visitor, I want to sign up via GitHub",
      "--into",
      "As a Visitor, I want to sign up via Google",
      "--pattern",
      "data_variations",
    );
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^Split ${ref} into PAY-\\d+, PAY-\\d+ \\(data_variations\\); ${ref} is closed as split\\.$`),
    );
    expect(lines.slice(1).map((l) => l.replace(/^ {2}PAY-\d+ +/, ""))).toEqual([
      "- pts    As a Visitor, I want to sign up via GitHub",
      "- pts    As a Visitor, I want to sign up via Google",
    ]);
    const key = lines[1]?.trim().split(/\s+/)[0] ?? "";
    const shown = JSON.parse((await local("items", "show", key, "--json")).stdout);
    expect(shown.item.acceptanceCriteria.map((c: { text: string }) => c.text)).toEqual([
      "A GitHub account with no public email still signs up",
    ]);
  });

  it("refuses what it cannot do: exit 2 naming the option, 4 for a done story", async () => {
    const { done = "", feature = "", exportOrPrint = "" } = keys;
    const cases: [string[], number, string][] = [
      [["story", "split", done, "--into", "A", "--into", "B"], 4, "only a story not yet done can be split"],
      [["story", "split", feature, "--into", "A", "--into", "B"], 2, "a feature is broken down into stories"],
      [["story", "split", done, "--into", "Only one"], 2, "say at least two --into titles"],
      [["story", "split", done, "--into", "A", "--into", "B", "--points", "3"], 2, "points: give 2 values"],
      [["story", "split", done, "--suggest", "--into", "A"], 2, "--suggest only shows suggestions"],
      [["story", "split", exportOrPrint, "--from-suggestion", "9"], 2, "from-suggestion: there are"],
      [["feature", "breakdown", feature], 2, "say --suggest to see the drafts, or --apply"],
    ];
    const runs = await Promise.all(cases.map(([args]) => local(...args)));
    cases.forEach(([args, code, message], i) => {
      expect(runs[i]?.code, args.join(" ")).toBe(code);
      expect(runs[i]?.stderr).toContain(message);
    });
  });

  it("shows a feature's story drafts, then creates them under the feature, in another team when told", async () => {
    const { feature: ref = "" } = keys;
    const shown = await local("feature", "breakdown", ref, "--suggest");
    expect(shown).toMatchObject({ code: 0, stderr: "" });
    expect(shown.stdout.trimEnd().split("\n")).toEqual([
      `Story drafts for ${ref} (teams: core):`,
      "   1. [core] As a rule author, I want to export it, so that they get a CSV file",
      "        - Given a selection, when the rule author exports it, then they get a CSV file",
      "   2. [core] As a rule author, I want to print a selection",
      "        - Rule authors can print a selection",
      "",
      `Create them with: trainyard feature breakdown ${ref} --apply [--team KEY]`,
    ]);
    const applied = await local("feature", "breakdown", ref, "--apply", "--team", "web");
    expect(applied).toMatchObject({ code: 0, stderr: "" });
    const lines = applied.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Created 2 stories under ${ref}:`);
    expect(lines.slice(1).map((l) => l.replace(/^ {2}PAY-\d+ +/, ""))).toEqual([
      "web        As a rule author, I want to export it, so that they get a CSV file",
      "web        As a rule author, I want to print a selection",
    ]);
    expect(await teamOrder("web")).toHaveLength(2);
  });
});

describe("trainyard story split and feature breakdown over the API", { timeout: 120_000 }, () => {
  let db: string;
  let server: RunningServer;
  let keys: Record<string, string>;
  let token = "";
  let ownerId = "";

  beforeAll(async () => {
    db = await sqliteDatabase();
    keys = await seed(db);
    server = await startServer(db);
    const deps = server.runtime.deps;
    const owner = await createAccount(deps, operator(), {
      name: "Pia Owner",
      email: "po@example.com",
      password: "correct horse battery staple",
      admin: false,
    });
    ownerId = owner.id;
    await grantRole(deps, operator(), "PAY", { person: owner.id, role: "product_owner", team: "core" }, { ip: null });
    const member = { kind: "person" as const, personId: owner.id, admin: false, grants: [] };
    token = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
  });
  afterAll(() => server?.close());

  const remote = (...args: string[]) => run(["--server", server.url, "--token", token, ...args]);
  const local = (...args: string[]) => run(["--database", db, ...args]);

  it("prints the same suggestions and drafts as on the database, and splits as the token's owner", async () => {
    const { signUp = "", feature = "" } = keys;
    for (const args of [
      ["story", "split", signUp, "--suggest"],
      ["story", "split", signUp, "--suggest", "--json"],
      ["feature", "breakdown", feature, "--suggest"],
    ]) {
      const [over, on] = await Promise.all([remote(...args), local(...args)]);
      expect(over.code, over.stderr).toBe(0);
      expect(over.stdout).toBe(on.stdout);
    }
    const split = await remote("story", "split", signUp, "--from-suggestion", "1", "--json");
    expect(split).toMatchObject({ code: 0, stderr: "" });
    const result = JSON.parse(split.stdout);
    expect(result.stories.map((s: { title: string }) => s.title.split(",")[1]?.trim())).toEqual([
      "I want to sign up via github",
      "I want to sign up via google",
    ]);
    expect(result.stories.every((s: { createdBy: string }) => s.createdBy === ownerId)).toBe(true);
    const created = await remote("feature", "breakdown", feature, "--apply", "--json");
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).stories).toHaveLength(2);
    const elsewhere = await remote("feature", "breakdown", feature, "--apply", "--team", "web");
    expect(elsewhere.code).toBe(3);
  });
});
