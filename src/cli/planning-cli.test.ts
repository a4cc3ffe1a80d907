// `trainyard pi …`, `objective …`, `risks` and `risk …` run as a user runs them: a real process on a real SQLite
// database (as its operator), and over HTTP on a real server with a personal API token, printing the same either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import { openRuntime } from "../runtime.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { grantRole } from "../use-cases/grant-roles.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { createTrain } from "../use-cases/set-up-train.js";

const { run, sqliteDatabase, startServer } = cliHarness("trainyard-planning-cli-");

const PI = "PI 2030.1";

describe("trainyard pi, objective and risk commands", { timeout: 180_000 }, () => {
  let db: string;
  let server: RunningServer | undefined;
  let token = "";
  const local = (...args: string[]) => run(["--database", db, ...args]);

  beforeAll(async () => {
    db = await sqliteDatabase();
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      const teams = [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ];
      await createTrain(rt.deps, { key: "PAY", name: "Payments", teams }, operator());
      await createAccount(rt.deps, operator(), {
        name: "Tom Member",
        email: "tom@example.com",
        password: "correct horse battery staple",
        admin: false,
      });
    } finally {
      await rt.close();
    }
  });
  afterAll(() => server?.close());

  it("creates a PI and lists it with its iterations, the last one the IP iteration", async () => {
    const created = await local("pi", "create", "PAY", PI, "--start", "2030-01-07", "--iterations", "4");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Created ${PI}: 2030-01-07`);
    const json = JSON.parse((await local("pi", "list", "PAY", "--json")).stdout);
    expect(json[0].iterations.map((i: { kind: string }) => i.kind)).toEqual([
      "development",
      "development",
      "development",
      "ip",
    ]);
  });

  it("sets a team's capacity from its people or in points, and refuses what it cannot read with exit code 2", async () => {
    const people = await local(
      "pi",
      "capacity",
      "set",
      "PAY",
      PI,
      "core",
      "1",
      "--member",
      "Ana:100:0",
      "--member",
      "Ben:50:2",
    );
    expect(people.stderr).toBe("");
    expect(people.stdout).toContain("core in PI 2030.1 Iteration 1: 10 points (people)");
    const points = await local("pi", "capacity", "set", "PAY", PI, "web", "1", "--points", "12");
    expect(points.stdout).toContain("12 points (points)");
    const shown = await local("pi", "capacity", "PAY", PI, "--team", "core");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Iteration 1 +10 pts from 2 people/);

    const notANumber = await local("pi", "capacity", "set", "PAY", PI, "core", "2", "--points", "lots");
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain("points");
  });

  it("sets the allocation policy only when it adds up to 100", async () => {
    const uneven = await local(
      "pi",
      "allocation",
      "PAY",
      PI,
      "--business",
      "50",
      "--enabler",
      "20",
      "--maintenance",
      "10",
    );
    expect(uneven.code).toBe(2);
    expect(uneven.stderr).toContain("allocation");
    const set = await local(
      "pi",
      "allocation",
      "PAY",
      PI,
      "--business",
      "70",
      "--enabler",
      "20",
      "--maintenance",
      "10",
    );
    expect(set.stderr).toBe("");
    expect(set.stdout).toContain("business 70%, enabler 20%, maintenance 10%");
  });

  it("shows load against capacity per team and iteration, flagging an overload, as text and JSON", async () => {
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      await createItems(
        rt.deps,
        [
          { art: "PAY", level: "story", teamId: "core", title: "Refund by card", points: 8, iterationId: `${PI}/1` },
          {
            art: "PAY",
            level: "story",
            teamId: "core",
            title: "Refund by transfer",
            points: 5,
            iterationId: `${PI}/1`,
          },
          { art: "PAY", level: "story", teamId: "web", title: "Refund page", points: 3, iterationId: `${PI}/1` },
        ],
        operator(),
      );
    } finally {
      await rt.close();
    }
    const text = await local("pi", "plan", "PAY", PI);
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Iteration 1 +13 \/ 10 +pts +2 stories +OVERLOADED/);
    expect(text.stdout).toMatch(/Iteration 1 +3 \/ 12 +pts +1 stories\n/);
    const json = JSON.parse((await local("pi", "plan", "PAY", PI, "--team", "core", "--json")).stdout);
    expect(json.teams.map((t: { key: string }) => t.key)).toEqual(["core"]);
    expect(json.teams[0].iterations[0]).toMatchObject({ load: 13, overloaded: true });
    const proposal = await local("pi", "plan", "PAY", PI, "--propose", "--json");
    expect(proposal.stderr).toBe("");
    expect(JSON.parse(proposal.stdout)).toHaveProperty("moves");
  });

  it("writes objectives, ROAMs risks and takes a person's confidence vote", async () => {
    const added = await local("objective", "add", "PAY", PI, "Refunds in a day", "--team", "core", "--value", "8");
    expect(added.stderr).toBe("");
    const objectives = JSON.parse((await local("pi", "objectives", "PAY", PI, "--json")).stdout);
    const [objective] = objectives.objectives;
    expect(objective).toMatchObject({ title: "Refunds in a day", plannedValue: 8, committed: true });
    const valued = await local("objective", "set", "PAY", PI, objective.id, "--actual", "6");
    expect(valued.stdout).toContain("BV 8 → 6");
    expect((await local("pi", "objectives", "PAY", PI)).stdout).toContain("predictability 75% (6 of 8; below)");

    const risk = JSON.parse((await local("risk", "add", "PAY", "Bank API limits", "--team", "core", "--json")).stdout);
    expect(risk.roam).toBe("unroamed");
    const roamed = await local("risk", "roam", "PAY", risk.id, "owned", "--owner", "tom@example.com");
    expect(roamed.stdout).toContain("owned");
    expect(roamed.stdout).toContain("(owner: Tom Member)");
    const owned = JSON.parse((await local("risks", "PAY", "--roam", "owned", "--json")).stdout);
    expect(owned.risks.map((r: { id: string }) => r.id)).toEqual([risk.id]);

    const nobody = await local("pi", "vote", "PAY", PI, "4", "--train");
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain("as");
    expect((await local("--as", "tom@example.com", "pi", "vote", "PAY", PI, "3", "--team", "core")).code).toBe(0);
    const again = await local("--as", "tom@example.com", "pi", "vote", "PAY", PI, "5", "--team", "core", "--json");
    expect(JSON.parse(again.stdout).teams[0]).toMatchObject({ votes: 1, average: 5, mine: 5 });
    expect((await local("pi", "confidence", "PAY", PI)).stdout).toMatch(/core +5 from 1 votes/);
  });

  it("prints the same plan over a server's API, and refuses a team member the allocation policy", async () => {
    server = await startServer(db);
    const deps = server.runtime.deps;
    const tom = await createAccount(deps, operator(), {
      name: "Tina Member",
      email: "tina@example.com",
      password: "correct horse battery staple",
      admin: false,
    });
    await grantRole(deps, operator(), "PAY", { person: tom.id, role: "team_member", team: "core" }, { ip: null });
    const member = { kind: "person" as const, personId: tom.id, admin: false, grants: [] };
    token = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    const remote = (...args: string[]) => run(["--server", server?.url ?? "", "--token", token, ...args]);

    const there = await remote("pi", "plan", "PAY", PI);
    expect(there.stderr).toBe("");
    const here = await local("pi", "plan", "PAY", PI, "--team", "core");
    expect(there.stdout.split("Allocation")[0]).toBe(here.stdout.split("Allocation")[0]);
    const capacity = await remote("pi", "capacity", "set", "PAY", PI, "core", "2", "--points", "9");
    expect(capacity.stdout).toContain("9 points (points)");
    const denied = await remote("pi", "allocation", "PAY", PI, "--clear");
    expect(denied.code).toBe(5);
  });
});
