// `trainyard metrics`, `forecast` and `inspect-adapt` run as a user runs them: a real process on a real SQLite
// database, and on a real server over HTTP with a personal API token, printing the same either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { grantRole } from "../use-cases/grant-roles.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { addProgramIncrement, createTrain } from "../use-cases/set-up-train.js";
import { updateItem } from "../use-cases/update-item.js";

const { run, sqliteDatabase, startServer } = cliHarness("trainyard-metrics-cli-");

const DAY = 86_400_000;
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describe("trainyard metrics, on the database and over the API", { timeout: 120_000 }, () => {
  let db: string;
  let server: RunningServer;
  let token = "";
  const local = (...args: string[]) => run(["--database", db, ...args]);
  const remote = (...args: string[]) => run(["--server", server.url, "--token", token, ...args]);

  beforeAll(async () => {
    db = await sqliteDatabase();
    server = await startServer(db);
    const deps = server.runtime.deps;
    const clock = deps.clock;
    const on = (days: number) => {
      deps.clock = () => new Date(Date.now() + days * DAY);
    };
    on(-30);
    await createTrain(deps, { key: "PAY", name: "Payments", teams: [{ key: "core", name: "Core" }] }, operator());
    // Two-week iterations: 1 ended a week and a half ago, 2 is running.
    await addProgramIncrement(deps, "PAY", { name: "PI 1", startDate: daysFromToday(-21) }, operator());
    const account = await createAccount(deps, operator(), {
      name: "viewer",
      email: "viewer@example.com",
      password: "correct horse battery staple",
      admin: false,
    });
    await grantRole(deps, operator(), "PAY", { person: account.id, role: "viewer" }, { ip: null });
    const member = { kind: "person" as const, personId: account.id, admin: false, grants: [] };
    token = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    on(-25);
    const story = (title: string, points: number) => ({
      art: "PAY",
      level: "story",
      teamId: "core",
      title,
      state: "ready",
      points,
      iterationId: "PI 1/1",
    });
    const [a, b] = await createItems(deps, [story("Pay by card", 3), story("Save a card", 5)], operator());
    if (!a || !b) throw new Error("two stories");
    let va = a.version;
    let vb = b.version;
    const step = async (days: number, key: string, state: string, reworkReason?: string) => {
      on(days);
      const version = key === a.key ? va : vb;
      const item = await updateItem(
        deps,
        key,
        { state, ...(reworkReason ? { reworkReason } : {}) },
        operator(),
        version,
      );
      if (key === a.key) va = item.version;
      else vb = item.version;
    };
    await step(-20, a.key, "in_progress");
    await step(-18, a.key, "done");
    await step(-17, a.key, "accepted");
    await step(-17, b.key, "in_progress");
    await step(-15, b.key, "done");
    await step(-14, b.key, "in_progress", "unclear_criteria");
    deps.clock = clock;
  });
  afterAll(() => server?.close());

  it("prints the team's numbers, the same on the database and the server", async () => {
    const text = await local("metrics", "--art", "PAY", "--team", "core");
    expect(text).toMatchObject({ code: 0, stderr: "" });
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(/^core \(Core\), PI 1 \(.+\), as of \d{4}-\d\d-\d\d$/);
    // Iteration 1: both planned, one accepted; 3 points done of 8 planned; the other moved back once.
    expect(lines).toContain("  acceptance (PI)      50 %");
    expect(lines).toContain("  rework (PI)          50 %: 1 of 2 completed moved back (Unclear acceptance criteria 1)");
    expect(lines.find((l) => l.startsWith("  Iteration 1 "))).toMatch(
      // Both stories were ready in it as it began; 2 planned, 1 accepted; no scope added or removed, 1 carried over.
      /^ {2}Iteration 1 +100 % +2 +1 +50 % +0 +0 +1 +3 +37.5 %$/,
    );
    const over = await remote("metrics", "--art", "PAY", "--team", "core");
    expect(over).toMatchObject({ code: 0, stderr: "" });
    expect(over.stdout).toBe(text.stdout);
  });

  it("prints JSON, as of an earlier day", async () => {
    const then = await local("metrics", "--art", "PAY", "--team", "core", "--as-of", daysFromToday(-16), "--json");
    expect(then.code).toBe(0);
    const m = JSON.parse(then.stdout);
    expect(m.asOf).toBe(daysFromToday(-16));
    expect(m.rework.ratio).toBe(0);
    expect(m.iterations[0]).toMatchObject({ planned: { stories: 2 }, accepted: { stories: 1 }, completed: false });
  });

  it("forecasts and puts teams side by side", async () => {
    const f = await local("forecast", "--art", "PAY", "--team", "core", "--trials", "500", "--json");
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout)).toMatchObject({ trials: 500, teams: [{ key: "core", finished: 2 }] });
    const ia = await remote("inspect-adapt", "--art", "PAY");
    expect(ia.code).toBe(0);
    expect(ia.stdout.split("\n")[2]).toMatch(/^ {2}core +no data +50 % +50 %/);
  });

  it("refuses a bad date with a message and a non-zero exit", async () => {
    const bad = await local("metrics", "--art", "PAY", "--as-of", "2099-01-01");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/asOf/);
    expect(bad.stdout).toBe("");
  });
});
