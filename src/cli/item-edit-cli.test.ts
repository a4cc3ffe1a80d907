// `trainyard items edit` run as a user runs it: marking a story blocked and unblocked, and moving a finished story
// back with the reason it needs rework, on the database and over the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "../../test/cli-harness.js";
import { operator } from "../core/permissions.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { listHistory } from "../use-cases/item-history.js";
import { createAccount } from "../use-cases/manage-accounts.js";
import { createTrain } from "../use-cases/set-up-train.js";

const { run, sqliteDatabase, startServer } = cliHarness("trainyard-item-edit-cli-");

describe("trainyard items edit: blocked, unblocked and rework", { timeout: 120_000 }, () => {
  let db: string;
  let server: RunningServer;
  let token: string;
  const keys: string[] = [];
  const local = (...args: string[]) => run(["--database", db, ...args]);
  const remote = (...args: string[]) => run(["--server", server.url, "--token", token, ...args]);
  const history = async (key: string) =>
    (await listHistory(server.runtime.deps, operator(), { item: key })).items.map((e) => [
      e.kind,
      e.field,
      e.oldValue,
      e.newValue,
    ]);

  beforeAll(async () => {
    db = await sqliteDatabase();
    server = await startServer(db);
    const deps = server.runtime.deps;
    await createTrain(deps, { key: "PAY", name: "Payments Train", teams: [{ key: "core", name: "Core" }] }, operator());
    const admin = await createAccount(deps, operator(), {
      name: "Ada",
      email: "ada@example.com",
      password: "correct horse battery staple",
      admin: true,
    });
    const member = { kind: "person" as const, personId: admin.id, admin: true, grants: [] };
    token = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    const story = (title: string, state: string) => ({ art: "PAY", level: "story", title, teamId: "core", state });
    const items = await createItems(
      deps,
      [story("Pay by card", "in_progress"), story("Refunds", "accepted"), story("Receipts", "done")],
      operator(),
    );
    keys.push(...items.map((i) => i.key));
  });
  afterAll(() => server?.close());

  it("marks a story blocked with its reason, shows it, and unblocks it; both at once is refused", async () => {
    const [key = ""] = keys;
    const blocked = await local("items", "edit", key, "--blocked", "Waiting on the payments team's sandbox");
    expect(blocked.stderr).toBe("");
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain("Blocked: Waiting on the payments team's sandbox");
    const shown = await remote("items", "show", key);
    expect(shown.stdout).toContain("Blocked: Waiting on the payments team's sandbox");

    const both = await local("items", "edit", key, "--blocked", "Other", "--unblocked");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("either --blocked <reason> or --unblocked, not both");
    const empty = await local("items", "edit", key, "--blocked", " ");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("blockedReason");

    const unblocked = await remote("items", "edit", key, "--unblocked", "--json");
    expect(unblocked.code).toBe(0);
    expect(JSON.parse(unblocked.stdout)).toMatchObject({ key, blockedReason: null, version: 3 });
    expect((await local("items", "show", key)).stdout).not.toContain("Blocked:");
    expect((await history(key)).slice(1)).toEqual([
      ["updated", "blockedReason", null, "Waiting on the payments team's sandbox"],
      ["updated", "blockedReason", "Waiting on the payments team's sandbox", null],
    ]);
  });

  it("moves an accepted story back with a rework reason and note, kept in its history", async () => {
    const [, key = ""] = keys;
    const bad = await local("items", "edit", key, "--state", "in_progress", "--rework-reason", "bad_luck");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "'bad_luck' is not a rework reason: say one of unclear_criteria, inadequate_refinement, defect, changed_requirement, other",
    );
    const back = await local(
      "items",
      "edit",
      key,
      "--state",
      "in_progress",
      "--rework-reason",
      "defect",
      "--rework-note",
      "Refunds of split payments fail",
    );
    expect(back.stderr).toBe("");
    expect(back.code).toBe(0);
    expect(back.stdout).toContain("story · business · in_progress");
    expect((await history(key)).slice(1)).toEqual([
      ["updated", "state", "accepted", "in_progress"],
      ["rework", "reason", "accepted", { reason: "defect", note: "Refunds of split payments fail" }],
    ]);
  });

  it("refuses a rework reason on an edit that does not move a story back, over the API too", async () => {
    const [, , key = ""] = keys;
    const notBack = await remote("items", "edit", key, "--state", "accepted", "--rework-reason", "defect");
    expect(notBack.code).toBe(2);
    expect(notBack.stderr).toContain("reworkReason: only when moving a story back from done or accepted");
    const back = await remote("items", "edit", key, "--state", "refining", "--rework-reason", "changed_requirement");
    expect(back.code).toBe(0);
    expect((await history(key)).slice(1)).toEqual([
      ["updated", "state", "done", "refining"],
      ["rework", "reason", "done", { reason: "changed_requirement", note: null }],
    ]);
  });
});
