// The trainyard command run as a user runs it: a real process on a real database.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, testDatabases } from "../../test/databases.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = fileURLToPath(new URL("../../../shared/data", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function trainyard(database: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--database", database, ...args],
      { cwd: root, env: { ...process.env, TRAINYARD_DATA_DIR: dataDir, LOG_LEVEL: "silent" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describeEachDatabase("trainyard seed and check", (database) => {
  it("loads the demo train and finds its backlogs sound", async () => {
    const url = await database.createUrl();
    const seeded = await trainyard(url, "seed", "--demo", "--json");
    expect(seeded.stderr).toBe("");
    expect(JSON.parse(seeded.stdout)).toMatchObject({ artKey: "DPT" });
    expect(JSON.parse(seeded.stdout).items).toBeGreaterThan(340);
    const check = await trainyard(url, "check");
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toMatch(/^OK: \d+ items in \d+ backlogs, no problems\./);
    const again = await trainyard(url, "seed", "--demo");
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("loaded already");
  });
});

describe("trainyard items", () => {
  const sqlite = testDatabases.find((d) => d.name === "sqlite");
  let db: string;
  beforeAll(async () => {
    db = (await sqlite?.createUrl()) ?? "";
    expect((await trainyard(db, "seed", "--demo")).code).toBe(0);
  });

  it("creates, lists, moves and shows items, with JSON for scripts", async () => {
    const created = await trainyard(
      db,
      "items",
      "create",
      "DPT",
      "As a release manager, I want a changelog",
      "--team",
      "PIPE",
      "--parent",
      "DPT-10",
      "--points",
      "3",
      "--criterion",
      "Given a release, when I open it, then I see its changes",
      "--top",
      "--json",
    );
    expect(created.code).toBe(0);
    const item = JSON.parse(created.stdout);
    expect(item).toMatchObject({
      level: "story",
      points: 3,
      acceptanceCriteria: ["Given a release, when I open it, then I see its changes"],
    });
    const top = await trainyard(db, "items", "list", "DPT", "--team", "PIPE", "--limit", "2", "--json");
    const page = JSON.parse(top.stdout);
    expect(page.items[0].key).toBe(item.key);
    const second = page.items[1].key as string;
    const moved = await trainyard(db, "items", "move", item.key, "--after", second);
    expect(moved).toMatchObject({ code: 0, stdout: `Moved ${item.key}.\n` });
    const after = JSON.parse(
      (await trainyard(db, "items", "list", "DPT", "--team", "PIPE", "--limit", "2", "--json")).stdout,
    );
    expect(after.items.map((i: { key: string }) => i.key)).toEqual([second, item.key]);
    const shown = await trainyard(db, "items", "show", item.key);
    expect(shown.stdout).toContain("As a release manager, I want a changelog");
    expect(shown.stdout).toContain("DPT-10");
  });

  it("fails with a message naming the field and a non-zero exit on bad input", async () => {
    const badTeam = await trainyard(db, "items", "create", "DPT", "x", "--team", "NOPE");
    expect(badTeam.code).toBe(2);
    expect(badTeam.stderr).toContain("teamId: no team 'NOPE' in DPT");
    const stale = await trainyard(db, "items", "move", "DPT-10", "--top", "--version", "999");
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain("changed by someone else");
    const missing = await trainyard(db, "items", "show", "DPT-99999");
    expect(missing.code).toBe(3);
    const two = await trainyard(db, "items", "move", "DPT-10", "--top", "--bottom");
    expect(two.code).toBe(2);
  });

  it("backs up the database online to a file that opens with the same items", async () => {
    const file = `${db}.backup`;
    const r = await trainyard(db, "backup", file);
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const copy = new Database(file, { readonly: true });
    const live = new Database(db, { readonly: true });
    const count = (d: Database.Database) => (d.prepare("select count(*) n from items").get() as { n: number }).n;
    expect(count(copy)).toBe(count(live));
    copy.close();
    live.close();
  });

  it("check reports a broken backlog and exits non-zero", async () => {
    const broken = `${db}.broken`;
    expect((await trainyard(db, "backup", broken)).code).toBe(0);
    const d = new Database(broken);
    d.prepare("update items set state = 'shipped' where key = 'DPT-10'").run();
    d.close();
    const r = await trainyard(broken, "check");
    expect(r.code).toBe(7);
    expect(r.stdout).toContain("DPT-10: state 'shipped' is not a feature state");
  });
});
