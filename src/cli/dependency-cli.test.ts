// `trainyard deps …`, `trainyard pi board` and `trainyard pi plan --propose` run as a user runs them: a real process
// on a real SQLite database, and on a real server over HTTP with a personal API token, printing the same either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { createDependency } from "../use-cases/dependencies.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { addProgramIncrement, createTrain } from "../use-cases/set-up-train.js";

const { run, sqliteDatabase, startServer } = cliHarness("trainyard-deps-cli-");

describe("trainyard deps and pi plan --propose, on the database and over the API", { timeout: 120_000 }, () => {
  let db: string;
  let server: RunningServer;
  let token = "";
  const k: Record<string, string> = {};
  const local = (...args: string[]) => run(["--database", db, ...args]);
  const remote = (...args: string[]) => run(["--server", server.url, "--token", token, ...args]);

  beforeAll(async () => {
    db = await sqliteDatabase();
    server = await startServer(db);
    const deps = server.runtime.deps;
    const art = await createTrain(
      deps,
      {
        key: "PAY",
        name: "Payments Train",
        teams: [
          { key: "core", name: "Core" },
          { key: "web", name: "Web" },
        ],
      },
      operator(),
    );
    const pi = await addProgramIncrement(deps, "PAY", { name: "PI 2", startDate: "2030-01-07" }, operator());
    const account = await createAccount(deps, operator(), {
      name: "Ada",
      email: "ada@example.com",
      password: "correct horse battery staple",
      admin: true,
    });
    const member = { kind: "person" as const, personId: account.id, admin: true, grants: [] };
    token = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    const [consumer, provider, late, unplanned] = await createItems(
      deps,
      [
        { art: "PAY", level: "story", teamId: "core", title: "Pay by card", points: 3, iterationId: "PI 2/1" },
        { art: "PAY", level: "story", teamId: "web", title: "Card form", points: 2, iterationId: "PI 2/2" },
        { art: "PAY", level: "story", teamId: "core", title: "Refund by card", points: 3, iterationId: "PI 2/3" },
        { art: "PAY", level: "story", teamId: "web", title: "Refund form", points: 5, piId: "PI 2" },
      ],
      operator(),
    );
    Object.assign(k, { consumer: consumer?.key, provider: provider?.key, late: late?.key, unplanned: unplanned?.key });
    await createDependency(deps, operator(), "PAY", { consumer: k.consumer, provider: k.provider, needed: "the form" });
    await createDependency(deps, operator(), "PAY", { consumer: k.late, provider: k.provider, needed: "the form" });
    const web = art.teams.find((t) => t.key === "web")?.id as string;
    await deps.db
      .insertInto("team_capacity")
      .values(
        pi.iterations
          .filter((it) => it.kind === "development")
          .map((it) => ({
            team_id: web,
            iteration_id: it.id,
            members: "[]",
            points: 8,
            version: 1,
            updated_at: new Date().toISOString(),
            updated_by: null,
          })),
      )
      .execute();
  });
  afterAll(() => server?.close());

  it("lists the conflicts only with --health conflict, the same on the database and the server", async () => {
    const text = await local("deps", "list", "PAY", "--health", "conflict");
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toContain(`${k.consumer} (Iteration 1) depends on ${k.provider} (Iteration 2)`);
    expect(text.stdout).not.toContain(`${k.late} (`);
    expect(text.stdout).toContain("PAY: 1 dependency; 1 cross-team not committed yet");
    expect(await remote("deps", "list", "PAY", "--health", "conflict")).toEqual(text);
    const json = JSON.parse((await local("deps", "list", "PAY", "--json")).stdout);
    expect(json.dependencies.map((d: { health: string }) => d.health).sort()).toEqual(["conflict", "healthy"]);
  });

  it("adds, commits, declines and removes a dependency, naming a missing reason", async () => {
    const added = JSON.parse(
      (await remote("deps", "add", "PAY", k.unplanned as string, k.late as string, "--needed", "refunds", "--json"))
        .stdout,
    );
    expect(added).toMatchObject({ state: "requested", health: "healthy", provider: { key: k.late } });
    const committed = JSON.parse((await local("deps", "commit", added.id, "--iteration", "PI 2/4", "--json")).stdout);
    expect(committed).toMatchObject({ state: "committed", plannedIteration: { name: "Iteration 4" } });
    const noReason = await remote("deps", "decline", added.id, "--reason", " ");
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain("declineReason");
    expect((await remote("deps", "remove", added.id)).code).toBe(0);
    const after = JSON.parse((await local("deps", "list", "PAY", "--json")).stdout);
    expect(after.dependencies.map((d: { id: string }) => d.id)).not.toContain(added.id);
  });

  it("proposes a plan as JSON, and shows the board", async () => {
    const proposal = await local("pi", "plan", "PAY", "PI 2", "--propose", "--json");
    expect(proposal.code, proposal.stderr).toBe(0);
    const p = JSON.parse(proposal.stdout);
    expect(p.moves.map((m: { item: { key: string } }) => m.item.key)).toContain(k.unplanned);
    expect(p.unplaced.map((u: { item: { key: string } }) => u.item.key)).toEqual(
      expect.arrayContaining([k.consumer, k.late]),
    );
    const board = await remote("pi", "board", "PAY", "PI 2");
    expect(board.code, board.stderr).toBe(0);
    expect(board.stdout).toContain("Program board of PI 2");
    expect(board.stdout).toContain("web (Web)");
  });
});
