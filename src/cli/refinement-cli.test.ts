// `trainyard lint`, `trainyard team dor` and `trainyard item ready|dismiss|restore` run as a user runs them: a real
// process on a file, on a real database, or on a real server over HTTP with personal API tokens.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { grantRole } from "../use-cases/grant-roles.js";
import { listHistory } from "../use-cases/item-history.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { createTrain } from "../use-cases/set-up-train.js";

const { run, scratch, sqliteDatabase, startServer } = cliHarness("trainyard-refinement-cli-");

const file = (name: string, content: string) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

describe("trainyard lint on a file of stories", { timeout: 60_000 }, () => {
  it("checks a text file's stories against each other, printing each finding's words and fix; warnings alone exit 0", async () => {
    const path = file(
      "stories.txt",
      [
        "# Backlog of the rules team",
        "As an administrator, I want to backup and restore the rulebase, so that nothing is lost",
        "",
        "As a RuleAuthor, I want to capture a business rule, so that I can describe the desired behavior",
        "As a RuleAuthor, I want to capture business rules, so that I can describe the desired behavior",
      ].join("\n"),
    );
    const r = await run(["lint", "--file", path]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("L2  As an administrator, I want to backup and restore the rulebase");
    expect(r.stdout).toContain("atomic (warning): Two goals joined by “and”");
    expect(r.stdout).toMatch(/words: .*“and”/);
    expect(r.stdout).toMatch(/fix: Split into/);
    expect(r.stdout).toMatch(/L4 .*\n {2}unique \(warning\): Nearly the same as L5/);
    expect(r.stdout).toContain(`${path}: 3 stories checked, 3 with findings`);
    expect(r.stdout).toContain("Not checked (the file has no points, criteria or parent features for them)");
  });

  it("reads a CSV's key, title, criteria and points columns and exits 7 when a finding is an error, with --json", async () => {
    const path = file(
      "stories.csv",
      [
        "issuekey,title,acceptance criteria,points",
        'PAY-1,"As a payer, I want to pay by card, so that I can check out","Given a cart, when I pay by card, then I get a receipt",3',
        'PAY-2,"As a payer, I want to see my receipts, so that I can file expenses","The receipt page should be user friendly",2',
        'PAY-3,"As a payer, I want to pay in instalments, so that large orders are affordable","Given a large cart, when I choose instalments, then I see the plan",13',
      ].join("\n"),
    );
    const r = await run(["lint", "--file", path, "--json"]);
    expect(r.code).toBe(7);
    const report = JSON.parse(r.stdout);
    expect(report.checked).toBe(3);
    expect(report.unchecked).toEqual(["valuable"]);
    expect(report.stories.map((s: { key: string }) => s.key)).toEqual(["PAY-2", "PAY-3"]);
    const [vague, big] = report.stories;
    expect(vague.findings.find((f: { rule: string }) => f.rule === "ambiguous")).toMatchObject({
      severity: "error",
      words: ["user friendly"],
    });
    expect(big.findings.map((f: { rule: string }) => f.rule)).toEqual(["small"]);
    const onlySmall = await run(["lint", "--file", path, "--rule", "small"]);
    expect(onlySmall.code).toBe(7);
    expect(onlySmall.stdout).not.toContain("PAY-2");
  });

  it("refuses a CSV without a title column, an unreadable file, and neither or both of --art and --file", async () => {
    const noTitle = await run(["lint", "--file", file("bad.csv", "summary text,points\nx,1\n")]);
    expect(noTitle.code).toBe(2);
    expect(noTitle.stderr).toContain("has no title column");
    const missing = await run(["lint", "--file", join(scratch, "nope.txt")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    expect((await run(["lint"])).code).toBe(2);
    expect((await run(["lint", "--art", "PAY", "--file", join(scratch, "nope.txt")])).code).toBe(2);
  });
});

describe("trainyard lint, team dor and item ready, on the database and over the API", { timeout: 180_000 }, () => {
  let db: string;
  let server: RunningServer;
  const tokens: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const local = (...args: string[]) => run(["--database", db, ...args]);
  const remote = (who: string, ...args: string[]) =>
    run(["--server", server.url, "--token", tokens[who] ?? "", ...args]);

  beforeAll(async () => {
    db = await sqliteDatabase();
    server = await startServer(db);
    const deps = server.runtime.deps;
    const teams = [
      { key: "core", name: "Core" },
      { key: "web", name: "Web" },
    ];
    await createTrain(deps, { key: "PAY", name: "Payments Train", teams }, operator());
    const people: [who: string, role: string | null, team?: string][] = [
      ["admin", null],
      ["po", "product_owner", "core"],
      ["member", "team_member", "core"],
      ["viewer", "viewer"],
    ];
    for (const [who, role, team] of people) {
      const account = await createAccount(deps, operator(), {
        name: who,
        email: `${who}@example.com`,
        password: "correct horse battery staple",
        admin: role === null,
      });
      if (role) {
        await grantRole(deps, operator(), "PAY", { person: account.id, role, ...(team ? { team } : {}) }, { ip: null });
      }
      const member = { kind: "person" as const, personId: account.id, admin: role === null, grants: [] };
      tokens[who] = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    }
    const [feature] = await createItems(deps, [{ art: "PAY", level: "feature", title: "Card payments" }], operator());
    const story = (title: string, teamId: string, extra: object = {}) => ({
      art: "PAY",
      level: "story",
      title,
      teamId,
      ...extra,
    });
    const stories = await createItems(
      deps,
      [
        story("As an administrator, I want to backup and restore the rulebase, so that nothing is lost", "core", {
          points: 3,
          parentId: feature?.key,
          acceptanceCriteria: ["Given a rulebase, when I back it up, then a file is written"],
        }),
        story("Refunds", "core"),
        story("As a payer, I want to pay by card, so that I can check out", "core", {
          points: 3,
          parentId: feature?.key,
          acceptanceCriteria: ["Given a cart, when I pay by card, then I get a receipt"],
        }),
        story("Refund link", "web"),
      ],
      operator(),
    );
    stories.forEach((s, i) => {
      keys[`s${i + 1}`] = s.key;
    });
  });
  afterAll(() => server?.close());

  it("lints a train or one team's backlog, the same on the database and over the API", async () => {
    const onDatabase = await local("lint", "--art", "PAY", "--json");
    const overApi = await remote("admin", "lint", "--art", "PAY", "--json");
    expect(onDatabase.code).toBe(7);
    expect(overApi.code).toBe(7);
    expect(JSON.parse(overApi.stdout)).toEqual(JSON.parse(onDatabase.stdout));
    const report = JSON.parse(onDatabase.stdout);
    expect(report.checked).toBe(4);
    expect(report.stories.map((s: { key: string }) => s.key)).toEqual([keys.s1, keys.s2, keys.s4]);

    const atomic = await local("lint", "--art", "PAY", "--team", "core", "--rule", "atomic");
    expect(atomic.code).toBe(0);
    expect(atomic.stdout).toContain(`${keys.s1}  As an administrator, I want to backup and restore the rulebase`);
    expect(atomic.stdout).toContain("PAY/core: 3 stories checked, 1 with findings; 1 findings (0 errors): atomic 1.");
    // A team member of core does not see web's stories.
    const member = JSON.parse((await remote("member", "lint", "--art", "PAY", "--json")).stdout);
    expect(member.stories.map((s: { key: string }) => s.key)).toEqual([keys.s1, keys.s2]);
  });

  it("shows a team's Definition of Ready and changes it from flags, keeping what the flags do not name", async () => {
    const shown = await local("team", "dor", "show", "--art", "PAY", "--team", "web");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Definition of Ready of PAY/web (version 0, the defaults)");
    expect(shown.stdout).toContain("Moving a story that is not ready to Ready: allowed with a warning");

    const set = await remote(
      "po",
      "team",
      "dor",
      "set",
      "--art",
      "PAY",
      "--team",
      "core",
      "--policy",
      "refuse",
      "--add-item",
      "UX reviewed",
      "--drop",
      "parent",
      "--disable-rule",
      "uniform",
      "--small-max",
      "5",
      "--json",
    );
    expect(set.stderr).toBe("");
    const saved = JSON.parse(set.stdout);
    expect(saved.version).toBe(1);
    expect(saved.settings).toMatchObject({
      readyPolicy: "refuse",
      definitionOfReady: {
        conditions: ["criteria", "estimated", "small", "dependencies", "quality"],
        manual: [{ id: "ux-reviewed", label: "UX reviewed" }],
      },
      quality: { disabled: ["uniform"], smallMaxPoints: 5 },
      staleAfterDays: 60,
    });
    const again = await local("team", "dor", "set", "--art", "PAY", "--team", "core", "--stale-after", "30", "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({
      version: 2,
      settings: { readyPolicy: "refuse", staleAfterDays: 30, definitionOfReady: { manual: [{ id: "ux-reviewed" }] } },
    });

    const forbidden = await remote(
      "member",
      "team",
      "dor",
      "set",
      "--art",
      "PAY",
      "--team",
      "core",
      "--policy",
      "warn",
    );
    expect(forbidden.code).toBe(5);
    const badRule = await local("team", "dor", "set", "--art", "PAY", "--team", "core", "--enable-rule", "nope");
    expect(badRule.code).toBe(2);
    expect(badRule.stderr).toContain("no rule 'nope'");
    const badValue = await local("team", "dor", "set", "--art", "PAY", "--team", "core", "--small-max", "500");
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain("settings.quality.smallMaxPoints");
  });

  it("prints a story's readiness; moving it to Ready is refused under refuse, and warned about under warn", async () => {
    await local("team", "dor", "set", "--art", "PAY", "--team", "core", "--policy", "refuse");
    const shown = await local("item", "ready", keys.s2 as string);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${keys.s2} is not ready`);
    expect(shown.stdout).toContain("[ ] Estimated: no estimate");
    expect(shown.stdout).toContain("well_formed (error)");

    const refused = await remote("po", "item", "ready", keys.s2 as string, "--move");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("not ready: ");
    expect(refused.stderr).toContain("Estimated");

    const web = await local("item", "ready", keys.s4 as string, "--move");
    expect(web.code).toBe(0);
    expect(web.stdout).toContain(`Moved ${keys.s4} to Ready, though it is not ready; missing:`);
    expect(web.stdout).toContain("  - Estimated");
  });

  it("dismisses a finding with its reason and restores it, in the story's history; a viewer may not", async () => {
    const dismissed = await remote(
      "po",
      "item",
      "dismiss",
      keys.s1 as string,
      "--rule",
      "atomic",
      "--reason",
      "Backup and restore ship together",
    );
    expect(dismissed.stderr).toBe("");
    expect(dismissed.stdout).toBe(`Dismissed ${keys.s1}'s atomic finding: Backup and restore ship together\n`);
    const quality = JSON.parse((await local("items", "ready", keys.s1 as string, "--json")).stdout);
    expect(quality.dismissed).toEqual([
      expect.objectContaining({ rule: "atomic", reason: "Backup and restore ship together" }),
    ]);
    expect(quality.findings.map((f: { rule: string }) => f.rule)).not.toContain("atomic");

    const viewer = await remote("viewer", "item", "restore", keys.s1 as string, "--rule", "atomic");
    expect(viewer.code).toBe(5);
    const restored = await local("item", "restore", keys.s1 as string, "--rule", "atomic");
    expect(restored.stdout).toBe(`Restored ${keys.s1}'s atomic finding.\n`);
    const history = await listHistory(server.runtime.deps, operator(), { item: keys.s1 as string });
    expect(history.items.filter((e) => e.kind.startsWith("finding_")).map((e) => e.kind)).toEqual([
      "finding_dismissed",
      "finding_restored",
    ]);
  });
});
