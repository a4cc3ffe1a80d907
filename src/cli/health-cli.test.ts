// `trainyard health` run as a user runs it: a real process on a real SQLite database, and on a real server over HTTP
// with a personal API token, printing the same either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { grantRole } from "../use-cases/grant-roles.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { addProgramIncrement, createTrain } from "../use-cases/set-up-train.js";

const { run, sqliteDatabase, startServer } = cliHarness("trainyard-health-cli-");

const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describe("trainyard health, on the database and over the API", { timeout: 120_000 }, () => {
  let db: string;
  let server: RunningServer;
  const tokens: Record<string, string> = {};
  const k: Record<string, string> = {};
  const local = (...args: string[]) => run(["--database", db, "health", ...args]);
  const remote = (who: string, ...args: string[]) =>
    run(["--server", server.url, "--token", tokens[who] ?? "", "health", ...args]);

  beforeAll(async () => {
    db = await sqliteDatabase();
    server = await startServer(db);
    const deps = server.runtime.deps;
    const train = {
      key: "PAY",
      name: "Payments Train",
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    };
    await createTrain(deps, train, operator());
    // Two-week iterations: 1 ended a week ago, 2 is running, 3 and 4 are the next two.
    await addProgramIncrement(deps, "PAY", { name: "PI 1", startDate: daysFromToday(-21) }, operator());
    for (const [who, role, team] of [
      ["viewer", "viewer", undefined],
      ["webber", "team_member", "web"],
    ] as const) {
      const account = await createAccount(deps, operator(), {
        name: who,
        email: `${who}@example.com`,
        password: "correct horse battery staple",
        admin: false,
      });
      await grantRole(deps, operator(), "PAY", { person: account.id, role, ...(team ? { team } : {}) }, { ip: null });
      const member = { kind: "person" as const, personId: account.id, admin: false, grants: [] };
      tokens[who] = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    }
    const [feature] = await createItems(deps, [{ art: "PAY", level: "feature", title: "Card payments" }], operator());
    const story = (title: string, fields: object) => ({
      art: "PAY",
      level: "story",
      teamId: "core",
      title,
      acceptanceCriteria: ["Given a card, when I pay, then the order is paid"],
      parentId: feature?.key,
      ...fields,
    });
    const stories = await createItems(
      deps,
      [
        story("As a payer, I want to save a card so that I pay faster", {
          state: "done",
          points: 6,
          iterationId: "PI 1/1",
        }),
        story("As a payer, I want to pay by card so that I can check out", {
          state: "ready",
          points: 3,
          iterationId: "PI 1/3",
        }),
        story("As a payer, I want to see a card's last digits so that I know it", { points: 5, iterationId: "PI 1/3" }),
        story("As a clerk, I want to void a card payment so that mistakes are undone", {
          state: "ready",
          points: 2,
          parentId: null,
        }),
      ],
      operator(),
    );
    stories.forEach((s, i) => {
      k[`S${i}`] = s.key;
    });
  });
  afterAll(() => server?.close());

  it("prints each team's readiness, depth and problems, then the train, the same on the database and the server", async () => {
    const text = await local("--art", "PAY");
    expect(text).toMatchObject({ code: 0, stderr: "" });
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^PAY backlog health on \d{4}-\d\d-\d\d; next iterations: Iteration 3 \(.+\), Iteration 4/,
    );
    // core: velocity 6 (S0, done in iteration 1); planned S1 (ready), S2 → 1 of 2; ranked window of 12 points:
    // S1 (0 before), S2 (3), S3 (8) → 2 of 3; ready points 3 + 2 = 5 → 0.83 iterations.
    const core = lines.indexOf("core (Core)");
    expect(lines.slice(core + 1, core + 6)).toEqual([
      "  capacity         6 points per iteration (velocity)",
      "  ready, planned   50 %: 1 of 2 stories planned for the next two",
      "  ready, ranked    66.7 %: 2 of the top 3 stories filling 12 points",
      "  ready depth      0.83 iterations (5 ready points; healthy: 2 or more)",
      "  open stories     3",
    ]);
    expect(lines).toContain(`  error    Ready backlog covers 0.83 iterations (healthy: 2 or more): ${k.S2}`);
    // The small limit: min(8, 0.5 × 6) = 3 points.
    expect(lines).toContain(`  warning  1 story larger than 3 points: ${k.S2}`);
    expect(lines).toContain(`  warning  1 story without a feature: ${k.S3}`);
    const web = lines.indexOf("web (Web)");
    expect(lines[web + 1]).toBe("  capacity         none: no velocity yet and none set");
    expect(lines[web + 2]).toBe("  ready, planned   no data: 0 of 0 stories planned for the next two");
    expect(lines[web + 4]).toBe("  ready depth      no data (0 ready points, no capacity)");
    expect(lines).toContain("train (2 teams)");
    expect(lines).toContain("  capacity         6 points per iteration; no capacity: web");

    const over = await remote("viewer", "--art", "PAY");
    expect(over).toMatchObject({ code: 0, stderr: "" });
    expect(over.stdout).toBe(text.stdout);
  });

  it("prints JSON for one team, the same both ways", async () => {
    const [mine, theirs] = await Promise.all([
      local("--art", "PAY", "--team", "core", "--json"),
      remote("viewer", "--art", "PAY", "--team", "core", "--json"),
    ]);
    expect(mine.code).toBe(0);
    const health = JSON.parse(mine.stdout);
    expect(health.teams).toHaveLength(1);
    expect(health.teams[0]).toMatchObject({
      team: { key: "core" },
      velocity: 6,
      readiness: { planned: { ready: 1, of: 2, rate: 0.5 }, ranked: { ready: 2, of: 3, rate: 0.667 } },
      readyDepth: { points: 5, iterations: 0.83, healthy: false },
    });
    expect(JSON.parse(theirs.stdout)).toEqual(health);
  });

  it("shows a team member only their team, and exits with the error's code otherwise", async () => {
    const mine = await remote("webber", "--art", "PAY", "--json");
    expect(JSON.parse(mine.stdout).teams.map((t: { team: { key: string } }) => t.team.key)).toEqual(["web"]);
    const other = await remote("webber", "--art", "PAY", "--team", "core");
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("team: no team 'core' in PAY");
    expect((await local("--art", "NOPE")).code).toBe(3);
    const missing = await local();
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--art");
  });
});
