// The trainyard command run as a user runs it: a real process on a real database, or on a real server over HTTP.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, cliCommand, cliHarness, repoRoot } from "../../test/cli-harness.js";
import { describeEachDatabase, testDatabases } from "../../test/databases.js";
import { operator } from "../core/permissions.js";
import { openRuntime } from "../runtime.js";
import type { RunningServer } from "../server/serve.js";
import { createToken } from "../use-cases/api-tokens.js";
import { createItems } from "../use-cases/create-items.js";
import { grantRole } from "../use-cases/grant-roles.js";
import { listHistory } from "../use-cases/item-history.js";
import { createAccount, setPasswordWithLink } from "../use-cases/manage-accounts.js";
import { createTrain } from "../use-cases/set-up-train.js";
import { signIn } from "../use-cases/sign-in.js";

const dataDir = fileURLToPath(new URL("../../../shared/data", import.meta.url));
const { run, scratch, env, sqliteDatabase, startServer } = cliHarness("trainyard-cli-", {
  TRAINYARD_DATA_DIR: dataDir,
});

const PASSWORD = "correct horse battery staple";

function trainyard(database: string, ...args: string[]): Promise<CliRun> {
  return run(["--database", database, ...args]);
}

/** Runs the command on a terminal (through `script`), typing each answer once its prompt shows. */
function runOnTerminal(args: string[], answers: string[]): Promise<{ code: number; output: string }> {
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", cliCommand(args).map(quote).join(" "), "/dev/null"], {
      cwd: repoRoot,
      // A dumb terminal starts the prompt slowest: the surest way to see a password echoed if it could be.
      env: { ...env, TERM: "dumb" },
    });
    let output = "";
    let answered = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const asked = output.match(/(Password|again): /g)?.length ?? 0;
      while (answered < asked && answered < answers.length) child.stdin.write(`${answers[answered++]}\r`);
    });
    child.on("close", (code) => {
      child.stdin.end();
      resolve({ code: code ?? 1, output });
    });
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
  let db: string;
  beforeAll(async () => {
    db = await sqliteDatabase();
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
      acceptanceCriteria: [
        {
          text: "Given a release, when I open it, then I see its changes",
          met: false,
          gherkin: { context: "a release", event: "I open it", outcome: "I see its changes" },
        },
      ],
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

  it("exports the whole instance to a file and imports it into a new database, refusing to overwrite either", async () => {
    const file = `${db}.export.jsonl`;
    const exported = await trainyard(db, "export", file);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^Exported 1 trains, [\d,]+ items, [\d,]+ history events/);
    const moved = `${db}.moved`;
    const imported = await trainyard(moved, "import", file);
    expect(imported.code).toBe(0);
    expect(imported.stdout.replace("Imported", "Exported").replace(`from ${file}`, `to ${file}`)).toBe(exported.stdout);
    const count = (path: string) => {
      const d = new Database(path, { readonly: true });
      const n = (d.prepare("select count(*) n from events").get() as { n: number }).n;
      d.close();
      return n;
    };
    expect(count(moved)).toBe(count(db));
    // And into PostgreSQL, whose slower start must not cost the file's first lines.
    for (const database of testDatabases.filter((d) => d.name === "postgres")) {
      const intoPg = await trainyard(await database.createUrl(), "import", file);
      expect(intoPg.stderr).toBe("");
      expect(intoPg.stdout).toBe(imported.stdout);
    }
    const again = await trainyard(moved, "import", file);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("not empty");
    const over = await trainyard(db, "export", file);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toContain("exists already");
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

/** Each command is its own process, a second or two to start; a test of a dozen of them needs more than the default. */
const MANY_RUNS = { timeout: 90_000 };

describe("trainyard user and audit, on the database directly", MANY_RUNS, () => {
  let db: string;
  beforeAll(async () => {
    db = await sqliteDatabase();
    const rt = await openRuntime(db, { passwordCost: 14 });
    const train = { key: "PAY", name: "Payments Train", teams: [{ key: "core", name: "Core" }] };
    await createTrain(rt.deps, train, operator());
    await createAccount(rt.deps, operator(), { name: "Pia Owner", email: "po@example.com", password: PASSWORD });
    await rt.close();
  });

  it("makes the first administrator from a password on stdin, who can then sign in", async () => {
    const args = ["user", "create", "--admin", "--email", "Ada@Example.com", "--name", "Ada Admin", "--password-stdin"];
    const made = await run(["--database", db, ...args, "--json"], { stdin: `${PASSWORD}\n` });
    expect(made.stderr).toBe("");
    const account = JSON.parse(made.stdout);
    expect(account).toMatchObject({ email: "ada@example.com", admin: true, active: true, hasPassword: true });
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      const session = await signIn(rt.deps, { email: "ada@example.com", password: PASSWORD }, { ip: null });
      expect(session.personId).toBe(account.id);
    } finally {
      await rt.close();
    }
  });

  it("refuses a weak password naming the field, and asks for --password-stdin without a terminal", async () => {
    const weak = await run(
      ["--database", db, "user", "create", "--email", "w@example.com", "--name", "W", "--password-stdin"],
      {
        stdin: "short\n",
      },
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain("password: at least 12 characters");
    const noTerminal = await trainyard(db, "user", "create", "--email", "w@example.com", "--name", "W");
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain("--password-stdin");
    expect((await trainyard(db, "user", "list", "--json")).stdout).not.toContain("w@example.com");
  });

  it("asks for the password twice on a terminal without echoing it", async () => {
    const secret = "a terminal-typed secret";
    const typed = await runOnTerminal(
      ["--database", db, "user", "create", "--email", "tess@example.com", "--name", "Terminal Tess"],
      [secret, secret],
    );
    expect(typed.output).toContain("Created Terminal Tess <tess@example.com>");
    expect(typed.output).not.toContain(secret);
    expect(typed.code).toBe(0);
    const differ = await runOnTerminal(
      ["--database", db, "user", "create", "--email", "tom@example.com", "--name", "Tom"],
      [secret, `${secret}!`],
    );
    expect(differ.output).toContain("the two passwords differ");
    expect(differ.code).toBe(2);
  });

  it("invites with a one-time link to set a password, and resets a password with a new link", async () => {
    const invited = await trainyard(
      db,
      "user",
      "invite",
      "--email",
      "ivy@example.com",
      "--name",
      "Ivy",
      "--url",
      "https://trainyard.example.com/",
      "--json",
    );
    expect(invited.code).toBe(0);
    const { account, link } = JSON.parse(invited.stdout);
    expect(account).toMatchObject({ email: "ivy@example.com", hasPassword: false });
    const secret = /^https:\/\/trainyard\.example\.com\/welcome#(.+)$/.exec(link.url)?.[1] ?? "";
    expect(secret).not.toBe("");
    const text = await trainyard(db, "user", "reset-password", "ada@example.com");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Send ada@example\.com this link .*\nhttp:\/\/127\.0\.0\.1:4300\/welcome#\S+\n$/);
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      const session = await setPasswordWithLink(rt.deps, { link: secret, password: PASSWORD }, { ip: null });
      expect(session.personId).toBe(account.id);
      await expect(setPasswordWithLink(rt.deps, { link: secret, password: PASSWORD }, { ip: null })).rejects.toThrow(
        "not valid any more",
      );
    } finally {
      await rt.close();
    }
  });

  it("grants and revokes roles on an ART and on a team", async () => {
    const user = (...args: string[]) => trainyard(db, "user", ...args);
    const [granted, viewer] = await Promise.all([
      user("grant", "po@example.com", "--art", "PAY", "--role", "product_owner", "--team", "core"),
      user("grant", "po@example.com", "--art", "PAY", "--role", "viewer"),
    ]);
    expect(granted).toMatchObject({ code: 0, stdout: "Pia Owner is product_owner on PAY/core.\n" });
    expect(viewer).toMatchObject({ code: 0, stdout: "Pia Owner is viewer on PAY.\n" });
    const [again, listed] = await Promise.all([
      user("grant", "po@example.com", "--art", "PAY", "--role", "viewer"),
      user("list"),
    ]);
    expect(again.code).toBe(4);
    expect(listed.stdout).toMatch(/po@example\.com +Pia Owner +active +(product_owner on PAY\/core|viewer on PAY), /);
    const [revoked, notHeld] = await Promise.all([
      user("revoke", "po@example.com", "--art", "PAY", "--role", "product_owner", "--team", "core"),
      user("revoke", "po@example.com", "--art", "PAY", "--role", "product_owner"),
    ]);
    expect(revoked).toMatchObject({ code: 0, stdout: "Pia Owner is no longer product_owner on PAY/core.\n" });
    expect(notHeld.code).toBe(3);
    const po = JSON.parse((await user("list", "--json")).stdout).find(
      (a: { email: string }) => a.email === "po@example.com",
    );
    expect(po.roles.map((r: { role: string; teamId: string | null }) => [r.role, r.teamId])).toEqual([
      ["viewer", null],
    ]);
  });

  it("deactivates and reactivates accounts, and keeps the last administrator", async () => {
    const user = (...args: string[]) => trainyard(db, "user", ...args);
    expect((await user("deactivate", "po@example.com")).stdout).toBe("Pia Owner <po@example.com> is deactivated.\n");
    const off = JSON.parse((await user("list", "--json")).stdout);
    expect(off.find((a: { email: string }) => a.email === "po@example.com").active).toBe(false);
    const [back, lastAdmin, nobody] = await Promise.all([
      user("reactivate", "po@example.com"),
      user("deactivate", "ada@example.com"),
      user("deactivate", "nobody@example.com"),
    ]);
    expect(back).toMatchObject({ code: 0, stdout: "Pia Owner <po@example.com> is active again.\n" });
    expect(lastAdmin.code).toBe(4);
    expect(lastAdmin.stderr).toContain("last administrator");
    expect(nobody.code).toBe(3);
  });

  it("reads the audit trail, newest first, filtered by kind", async () => {
    const all = await trainyard(db, "audit");
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("account_created");
    const grants = JSON.parse((await trainyard(db, "audit", "--kind", "role_granted", "--json")).stdout);
    expect(grants.entries.length).toBeGreaterThanOrEqual(2);
    expect(grants.entries.every((e: { kind: string }) => e.kind === "role_granted")).toBe(true);
    expect(grants.entries[0].subject.name).toBe("Pia Owner");
    expect((await trainyard(db, "audit", "--kind", "nonsense")).code).not.toBe(0);
  });
});

describe("trainyard against a server, with personal API tokens", MANY_RUNS, () => {
  let db: string;
  let server: RunningServer;
  const homes = { admin: join(scratch, "admin"), owner: join(scratch, "owner"), viewer: join(scratch, "viewer") };
  const ids: Record<string, string> = {};
  const credentialsOf = (home: string) => join(home, "trainyard", "credentials.json");
  const savedToken = (home: string): string => JSON.parse(readFileSync(credentialsOf(home), "utf8")).token;
  const login = (email: string, home: string, password = PASSWORD) =>
    run(["--server", server.url, "login", "--email", email, "--password-stdin"], { stdin: `${password}\n`, home });
  const as = (home: string, ...args: string[]) => run(args, { home });

  beforeAll(async () => {
    db = await sqliteDatabase();
    server = await startServer(db);
    const train = {
      key: "PAY",
      name: "Payments Train",
      teams: [
        { key: "core", name: "Core" },
        { key: "web", name: "Web" },
      ],
    };
    await createTrain(server.runtime.deps, train, operator());
    const people = [
      ["admin", "ada@example.com", "Ada Admin", "--admin"],
      ["owner", "po@example.com", "Pia Owner"],
      ["viewer", "vic@example.com", "Vic Viewer"],
    ];
    for (const [who = "", email = "", name = "", ...flags] of people) {
      const made = await run(
        ["--database", db, "user", "create", "--email", email, "--name", name, ...flags, "--password-stdin", "--json"],
        { stdin: `${PASSWORD}\n` },
      );
      expect(made.stderr).toBe("");
      ids[who] = JSON.parse(made.stdout).id;
    }
    await trainyard(db, "user", "grant", "po@example.com", "--art", "PAY", "--role", "product_owner", "--team", "core");
    await trainyard(db, "user", "grant", "vic@example.com", "--art", "PAY", "--role", "viewer");
    const logins = await Promise.all([
      login("ada@example.com", homes.admin),
      login("po@example.com", homes.owner),
      login("vic@example.com", homes.viewer),
    ]);
    for (const l of logins) expect(l).toMatchObject({ code: 0, stderr: "" });
  });
  afterAll(() => server?.close());

  it("logs in with a password on stdin and saves the token in a file only its owner can read", async () => {
    const file = credentialsOf(homes.admin);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(homes.admin, "trainyard")).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved).toMatchObject({ server: server.url, email: "ada@example.com", madeByLogin: true });
    expect(saved.token).toMatch(/^ty_/);
    const me = await as(homes.admin, "whoami", "--json");
    expect(JSON.parse(me.stdout)).toMatchObject({ server: server.url, account: { id: ids.admin, admin: true } });
    const text = await as(homes.owner, "whoami");
    expect(text.stdout).toBe(`Pia Owner <po@example.com>\non ${server.url}\n  product_owner on PAY/core\n`);
    expect(text.stdout + me.stdout).not.toContain(saved.token);
    // The session the login signed in with is signed out again: only the token remains.
    const audit = JSON.parse((await trainyard(db, "audit", "--person", "ada@example.com", "--json")).stdout);
    expect(audit.entries.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(["sign_in", "token_created", "sign_out"]),
    );
  });

  it("creates, lists and moves stories over HTTP, attributed to the person logged in, printing as on the database", async () => {
    const create = async (title: string) => {
      const r = await as(homes.owner, "items", "create", "PAY", title, "--team", "core", "--points", "3", "--json");
      expect(r).toMatchObject({ code: 0, stderr: "" });
      return JSON.parse(r.stdout) as { key: string; createdBy: string };
    };
    const first = await create("As a payer, I want a receipt");
    const second = await create("As a payer, I want a refund");
    expect(first.createdBy).toBe(ids.owner);
    const keys = async () =>
      JSON.parse((await as(homes.owner, "items", "list", "PAY", "--team", "core", "--json")).stdout).items.map(
        (i: { key: string }) => i.key,
      );
    expect(await keys()).toEqual([first.key, second.key]);
    expect(await as(homes.owner, "items", "move", first.key, "--after", second.key)).toMatchObject({
      code: 0,
      stdout: `Moved ${first.key}.\n`,
    });
    expect(await keys()).toEqual([second.key, first.key]);

    const history = await listHistory(server.runtime.deps, operator(), { item: first.key });
    expect(history.items.map((e) => e.kind)).toEqual(expect.arrayContaining(["created", "moved"]));
    expect(history.items.every((e) => e.actorId === ids.owner)).toBe(true);

    const sameArgs = [
      ["items", "list", "PAY", "--team", "core"],
      ["items", "list", "PAY", "--team", "core", "--json"],
      ["items", "show", first.key],
      ["items", "show", first.key, "--json"],
    ];
    const both = await Promise.all(
      sameArgs.map((args) => Promise.all([as(homes.owner, ...args), trainyard(db, ...args)])),
    );
    for (const [remote, local] of both) {
      expect(remote.code).toBe(0);
      expect(remote.stdout).toBe(local.stdout);
    }
  });

  it("lets a viewer read, but a change or an administrator's check exits 5", async () => {
    expect((await as(homes.viewer, "items", "list", "PAY", "--team", "core")).code).toBe(0);
    const create = await as(homes.viewer, "items", "create", "PAY", "As a viewer, I want to write", "--team", "core");
    expect(create.code).toBe(5);
    expect(create.stderr).toContain("Your roles do not allow you to change this team's stories.");
    expect((await as(homes.viewer, "check")).code).toBe(5);
    const check = await as(homes.admin, "check");
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toMatch(/^OK: \d+ items in \d+ backlogs, no problems\./);
    const missing = await as(homes.owner, "items", "show", "PAY-9999");
    expect(missing.code).toBe(3);
    const bad = await as(homes.owner, "items", "create", "PAY", "x", "--team", "nope");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("teamId:");
  });

  it("logs out by revoking the saved token, so using it again exits 8", async () => {
    const home = join(scratch, "leaving");
    expect((await login("po@example.com", home)).code).toBe(0);
    const token = savedToken(home);
    const out = await as(home, "logout");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("the token is revoked");
    expect(existsSync(credentialsOf(home))).toBe(false);
    const reuse = await run(["--server", server.url, "--token", token, "items", "list", "PAY"]);
    expect(reuse.code).toBe(8);
    expect(reuse.stderr).toContain("unknown or revoked");
    expect((await as(home, "logout")).stdout).toBe("Not logged in.\n");
  });

  it("exits 8 for an unknown token or a wrong password, and refuses --database with --server", async () => {
    const bogus = await run(["--server", server.url, "--token", "bogus", "items", "list", "PAY"]);
    expect(bogus.code).toBe(8);
    const home = join(scratch, "wrong");
    const wrong = await login("ada@example.com", home, "not the password at all");
    expect(wrong.code).toBe(8);
    expect(wrong.stderr).toContain("Sign-in failed");
    expect(existsSync(credentialsOf(home))).toBe(false);
    const noToken = await run(["--server", server.url, "items", "list", "PAY"]);
    expect(noToken.code).toBe(8);
    expect(noToken.stderr).toContain("trainyard login");
    const both = await run(["--database", db, "--server", server.url, "items", "list", "PAY"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give one of them");
    const down = await run(["--server", "http://127.0.0.1:1", "--token", "ty_x", "items", "list", "PAY"]);
    expect(down.code).toBe(6);
  });

  it("prints a token once on token create, lists tokens without them, and revokes one", async () => {
    const made = await as(homes.admin, "token", "create", "ci", "--json");
    expect(made.code).toBe(0);
    const { id, token } = JSON.parse(made.stdout);
    expect(token).toMatch(/^ty_/);
    const listed = await as(homes.admin, "token", "list", "--json");
    expect(listed.stdout).not.toContain(token);
    expect(JSON.parse(listed.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, name: "ci", hint: token.slice(-4), revokedAt: null })]),
    );
    const use = await run(["--server", server.url, "--token", token, "whoami", "--json"]);
    expect(JSON.parse(use.stdout).account.id).toBe(ids.admin);
    expect(await as(homes.admin, "token", "revoke", id)).toMatchObject({ code: 0 });
    expect((await run(["--server", server.url, "--token", token, "whoami"])).code).toBe(8);
  });

  it("logs in with a token made elsewhere by checking it and saving it", async () => {
    const { token } = JSON.parse((await as(homes.viewer, "token", "create", "laptop", "--json")).stdout);
    const home = join(scratch, "given");
    const given = await run(["--server", server.url, "--token", token, "login"], { home });
    expect(given).toMatchObject({ code: 0, stderr: "" });
    expect(given.stdout).toContain("as Vic Viewer <vic@example.com>");
    expect(JSON.parse(readFileSync(credentialsOf(home), "utf8"))).toMatchObject({ token, madeByLogin: false });
    expect((await as(home, "items", "list", "PAY")).code).toBe(0);
    const unknown = await run(["--server", server.url, "--token", "ty_unknown", "login"], {
      home: join(scratch, "none"),
    });
    expect(unknown.code).toBe(8);
    expect(existsSync(credentialsOf(join(scratch, "none")))).toBe(false);
  });
});

describe("trainyard wsjf and team align, on the database and over the API", { timeout: 180_000 }, () => {
  let db: string;
  let server: RunningServer;
  const tokens: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const local = (...args: string[]) => trainyard(db, ...args);
  const remote = (who: string, ...args: string[]) =>
    run(["--server", server.url, "--token", tokens[who] ?? "", ...args]);
  const featureOrder = async (): Promise<string[]> =>
    JSON.parse((await local("wsjf", "list", "PAY", "--json")).stdout).items.map((i: { key: string }) => i.key);
  const teamOrder = async (): Promise<string[]> =>
    JSON.parse((await local("items", "list", "PAY", "--team", "core", "--json")).stdout).items.map(
      (i: { key: string }) => i.key,
    );

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
    const people: [who: string, role: string | null, team?: string][] = [
      ["admin", null],
      ["pm", "product_manager"],
      ["po", "product_owner", "core"],
      ["viewer", "viewer"],
    ];
    for (const [who, role, team] of people) {
      const account = await createAccount(deps, operator(), {
        name: who,
        email: `${who}@example.com`,
        password: PASSWORD,
        admin: role === null,
      });
      if (role) {
        await grantRole(deps, operator(), "PAY", { person: account.id, role, ...(team ? { team } : {}) }, { ip: null });
      }
      const member = { kind: "person" as const, personId: account.id, admin: role === null, grants: [] };
      tokens[who] = (await createToken(deps, member, { name: "cli tests" }, { ip: null })).token;
    }
    const feature = (title: string, scores: Record<string, number>) => ({
      art: "PAY",
      level: "feature",
      title,
      ...scores,
    });
    const features = await createItems(
      deps,
      [
        feature("Checkout", { businessValue: 8, timeCriticality: 5, riskReduction: 3, jobSize: 5 }),
        feature("Refunds", { businessValue: 13, timeCriticality: 8, riskReduction: 2, jobSize: 3 }),
        feature("Statements", { businessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: 8 }),
        feature("=Payouts", { businessValue: 5 }),
        { art: "PAY", level: "epic", title: "Open banking" },
      ],
      operator(),
    );
    const [f1, f2, f3, f4, e1] = features.map((f) => f.key);
    Object.assign(keys, { f1, f2, f3, f4, e1 });
    const story = (title: string, parentId: string | undefined) => ({
      art: "PAY",
      level: "story",
      title,
      teamId: "core",
      parentId,
    });
    const stories = await createItems(
      deps,
      [
        story("As a clerk, I want monthly statements", f3),
        story("As a payer, I want to pay by card", f1),
        story("As a payer, I want a refund", f2),
        story("As a payer, I want a receipt", f1),
      ],
      operator(),
    );
    stories.forEach((s, i) => {
      keys[`s${i + 1}`] = s.key;
    });
  });
  afterAll(() => server?.close());

  it("lists the estimation grid in rank order with WSJF, what is missing and places off WSJF, the same both ways", async () => {
    const { f1, f2, f3, f4 } = keys;
    const text = await local("wsjf", "list", "PAY");
    expect(text).toMatchObject({ code: 0, stderr: "" });
    const lines = text.stdout.split("\n");
    expect(lines[0]).toBe("PAY features in rank order; WSJF = (BV + TC + RR|OE) ÷ JS:");
    expect(lines[1]).toMatch(/^# +key +BV +TC +RR\|OE +JS +CoD +WSJF +vs WSJF +title$/);
    expect(lines[2]).toMatch(new RegExp(`^1 +${f1} +8 +5 +3 +5 +16 +3\\.2 +1 above +Checkout$`));
    expect(lines[3]).toMatch(new RegExp(`^2 +${f2} +13 +8 +2 +3 +23 +7\\.67 +1 below +Refunds$`));
    expect(lines[4]).toMatch(new RegExp(`^3 +${f3} +1 +1 +1 +8 +3 +0\\.38 +in place +Statements$`));
    expect(lines[5]).toMatch(new RegExp(`^4 +${f4} +5 +- +- +- +- +— \\(missing: TC, RR\\|OE, JS\\) +=Payouts$`));
    expect(lines[6]).toBe("Not anchored at 1: JS (SAFe gives the smallest item in each column a 1).");
    expect(lines[7]).toBe("Agreement with WSJF: 0.333 (Kendall tau: 1 same order, -1 reversed; 3 of 4 scored).");

    const grid = JSON.parse((await local("wsjf", "list", "PAY", "--json")).stdout);
    expect(grid).toMatchObject({ level: "feature", agreement: 0.333, scored: 3, anchored: { jobSize: false } });
    expect(grid.items[3]).toMatchObject({
      key: f4,
      wsjf: null,
      missing: ["timeCriticality", "riskReduction", "jobSize"],
    });

    const download = await fetch(`${server.url}/api/v1/arts/PAY/wsjf.csv`, {
      headers: { authorization: `Bearer ${tokens.viewer}` },
    });
    expect(download.status).toBe(200);
    const csv = await download.text();
    expect(csv.split("\n").slice(0, 2)).toEqual([
      "rank,key,title,type,state,user_business_value,time_criticality,risk_reduction_opportunity_enablement,job_size,cost_of_delay,wsjf,missing",
      `1,${f1},Checkout,business,funnel,8,5,3,5,16,3.2,`,
    ]);
    expect(csv).toContain(`4,${f4},'=Payouts,business,funnel,5,,,,,,timeCriticality riskReduction jobSize\n`);
    const [localCsv, remoteCsv] = await Promise.all([
      local("wsjf", "list", "PAY", "--csv"),
      remote("viewer", "wsjf", "list", "PAY", "--csv"),
    ]);
    expect(localCsv.stdout).toBe(csv);
    expect(remoteCsv.stdout).toBe(csv);

    const same = [
      ["wsjf", "list", "PAY"],
      ["wsjf", "list", "PAY", "--json"],
      ["wsjf", "list", "PAY", "--level", "capability"],
    ];
    const both = await Promise.all(same.map((args) => Promise.all([remote("viewer", ...args), local(...args)])));
    for (const [r, l] of both) {
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toBe(l.stdout);
    }
    expect(both[2]?.[0].stdout).toBe("No capabilities in PAY yet.\n");
    expect((await local("wsjf", "list", "PAY", "--json", "--csv")).code).toBe(2);
    expect((await remote("viewer", "wsjf", "list", "NOPE")).code).toBe(3);
  });

  it("scores an item on its current version or a given one, and names an off-scale input with exit 2", async () => {
    const { e1, s1 } = keys;
    const partial = await remote("pm", "wsjf", "score", e1 ?? "", "--bv", "8", "--tc", "3");
    expect(partial).toMatchObject({ code: 0, stderr: "" });
    expect(partial.stdout).toBe(`${e1} (version 2): BV 8, TC 3, RR|OE -, JS - → WSJF — (missing: RR|OE, JS)\n`);
    const done = await local("wsjf", "score", e1 ?? "", "--rr", "1", "--js", "2", "--version", "2", "--json");
    expect(done).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(done.stdout)).toMatchObject({ key: e1, version: 3, costOfDelay: 12, wsjf: 6, jobSize: 2 });
    const cleared = await remote("pm", "wsjf", "score", e1 ?? "", "--js", "none");
    expect(cleared.stdout).toBe(`${e1} (version 4): BV 8, TC 3, RR|OE 1, JS - → WSJF — (missing: JS)\n`);

    const [offRemote, offLocal, notANumber, story, stale, viewer, nothing] = await Promise.all([
      remote("pm", "wsjf", "score", e1 ?? "", "--js", "4"),
      local("wsjf", "score", e1 ?? "", "--bv", "21"),
      local("wsjf", "score", e1 ?? "", "--tc", "big"),
      local("wsjf", "score", s1 ?? "", "--js", "3"),
      remote("pm", "wsjf", "score", e1 ?? "", "--js", "3", "--version", "2"),
      remote("viewer", "wsjf", "score", e1 ?? "", "--js", "3"),
      local("wsjf", "score", e1 ?? ""),
    ]);
    expect(offRemote.code).toBe(2);
    expect(offRemote.stderr).toContain("jobSize: one of 1, 2, 3, 5, 8, 13, 20");
    expect(offLocal.code).toBe(2);
    expect(offLocal.stderr).toContain("businessValue: one of 1, 2, 3, 5, 8, 13, 20");
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain("timeCriticality: 'big' is not a score");
    expect(story.code).toBe(2);
    expect(story.stderr).toContain("jobSize:");
    expect(stale.code).toBe(4);
    expect(viewer.code).toBe(5);
    expect(nothing.code).toBe(2);
    const after = JSON.parse((await local("wsjf", "list", "PAY", "--level", "epic", "--json")).stdout);
    expect(after.items[0]).toMatchObject({ key: e1, inputs: { businessValue: 8, jobSize: null }, version: 4 });
  });

  it("aligns a team backlog to the feature rank: the drift in a preview, then one change that undoes in one step", async () => {
    const { s1, s2, s3, s4 } = keys;
    const [previewRemote, previewLocal] = await Promise.all([
      remote("viewer", "team", "align", "PAY", "core", "--dry-run"),
      local("team", "align", "PAY", "core", "--dry-run"),
    ]);
    expect(previewRemote).toMatchObject({ code: 0, stderr: "" });
    expect(previewRemote.stdout).toBe(previewLocal.stdout);
    const lines = previewLocal.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("PAY/core ordered by the program's feature rank, a preview (nothing changed):");
    // Only the stories that move, in their new order.
    expect(lines.slice(1, 5)).toEqual([
      expect.stringMatching(/^from → to +key +feature +title$/),
      expect.stringMatching(new RegExp(`^ +2 → 1 +${s2} +${keys.f1} +As a payer, I want to pay by card$`)),
      expect.stringMatching(new RegExp(`^ +4 → 2 +${s4} +${keys.f1} +As a payer, I want a receipt$`)),
      expect.stringMatching(new RegExp(`^ +1 → 4 +${s1} +${keys.f3} +As a clerk, I want monthly statements$`)),
    ]);
    expect(lines).toContain("Drift from program priorities: 66.7% → 0% of story pairs out of order; 3 of 4 move.");
    expect(await teamOrder()).toEqual([s1, s2, s3, s4]);

    expect((await remote("viewer", "team", "align", "PAY", "core")).code).toBe(5);
    const applied = await remote("po", "team", "align", "PAY", "core", "--json");
    expect(applied).toMatchObject({ code: 0, stderr: "" });
    const { reorderId, driftBefore, driftAfter } = JSON.parse(applied.stdout);
    expect([driftBefore, driftAfter]).toEqual([0.667, 0]);
    expect(await teamOrder()).toEqual([s2, s4, s3, s1]);
    const again = await local("team", "align", "PAY", "core");
    expect(again.stdout).toContain("Nothing moved: the team backlog is aligned already.");

    const undone = await local("wsjf", "undo", "PAY", reorderId);
    expect(undone).toMatchObject({ code: 0, stderr: "" });
    expect(undone.stdout).toMatch(new RegExp(`^Undid reorder ${reorderId}: \\d+ items? back in place\\.\n$`));
    expect(await teamOrder()).toEqual([s1, s2, s3, s4]);
  });

  it("previews WSJF order, applies it with a pin as one change, and undoes it unless something changed since", async () => {
    const { f1, f2, f3, f4 } = keys;
    const [previewRemote, previewLocal] = await Promise.all([
      remote("pm", "wsjf", "apply", "PAY", "--dry-run"),
      local("wsjf", "apply", "PAY", "--dry-run"),
    ]);
    expect(previewRemote).toMatchObject({ code: 0, stderr: "" });
    expect(previewRemote.stdout).toBe(previewLocal.stdout);
    expect(previewLocal.stdout.trimEnd().split("\n")).toEqual([
      "WSJF order for PAY features, a preview (nothing changed):",
      expect.stringMatching(/^from → to +key +WSJF +CoD +title$/),
      expect.stringMatching(new RegExp(`^ +2 → 1 +${f2} +7\\.67 +23 +Refunds$`)),
      expect.stringMatching(new RegExp(`^ +1 → 2 +${f1} +3\\.2 +16 +Checkout$`)),
      "2 of 4 features move; agreement with WSJF 0.333 → 1.",
      "Run it without --dry-run to apply it (pin items in place with --pin KEY).",
    ]);
    expect(await featureOrder()).toEqual([f1, f2, f3, f4]);

    const [viewer, badPin] = await Promise.all([
      remote("viewer", "wsjf", "apply", "PAY"),
      remote("pm", "wsjf", "apply", "PAY", "--pin", "PAY-999"),
    ]);
    expect(viewer.code).toBe(5);
    expect(badPin.code).toBe(2);
    expect(badPin.stderr).toContain("pinned.0: no feature 'PAY-999'");

    // Pinning the first item keeps it first: nothing else can move ahead of it.
    const pinned = await remote("pm", "wsjf", "apply", "PAY", "--pin", f1 ?? "", "--json");
    expect(JSON.parse(pinned.stdout)).toMatchObject({ reorderId: null, moved: 0, dryRun: false });
    expect(await featureOrder()).toEqual([f1, f2, f3, f4]);

    const applied = await remote("pm", "wsjf", "apply", "PAY", "--pin", f3 ?? "");
    expect(applied).toMatchObject({ code: 0, stderr: "" });
    const lines = applied.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Applied WSJF order to PAY features as one change:");
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ +3 → 3 +${f3} +0\\.38 +3 +pinned +Statements$`)));
    const reorderId = /^Reorder (\S+); undo it with: trainyard wsjf undo PAY \1$/m.exec(applied.stdout)?.[1] ?? "";
    expect(reorderId).not.toBe("");
    expect(await featureOrder()).toEqual([f2, f1, f3, f4]);

    expect(await remote("pm", "wsjf", "undo", "PAY", reorderId)).toMatchObject({ code: 0, stderr: "" });
    expect(await featureOrder()).toEqual([f1, f2, f3, f4]);
    const twice = await local("wsjf", "undo", "PAY", reorderId);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toContain("undone already");

    const again = JSON.parse((await local("wsjf", "apply", "PAY", "--json")).stdout);
    expect(await featureOrder()).toEqual([f2, f1, f3, f4]);
    expect((await local("wsjf", "score", f4 ?? "", "--tc", "1")).code).toBe(0);
    const changed = await remote("pm", "wsjf", "undo", "PAY", again.reorderId);
    expect(changed.code).toBe(4);
    expect(changed.stderr).toContain("changed since");
    expect(await featureOrder()).toEqual([f2, f1, f3, f4]);
    expect((await remote("pm", "wsjf", "undo", "PAY", "no-such-reorder")).code).toBe(3);
  });

  it("shows the economic view and sets the economic fields over the API just as on the database", async () => {
    const { f2 = "" } = keys;
    const set = await remote("pm", "wsjf", "score", f2, "--cod-per-week", "9000", "--duration", "3", "--json");
    expect(set).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(set.stdout)).toMatchObject({ key: f2, costOfDelayPerWeek: 9000, durationWeeks: 3, cd3: 3000 });
    const args = ["wsjf", "economics", "PAY", "--as-of", "2026-01-01"];
    const [overApi, onDatabase] = await Promise.all([remote("viewer", ...args), local(...args)]);
    expect(overApi).toMatchObject({ code: 0, stderr: "" });
    expect(overApi.stdout).toBe(onDatabase.stdout);
    expect(overApi.stdout).toMatch(new RegExp(`\\| +${f2} +3000 +9000 +- `));
    expect((await remote("viewer", "wsjf", "score", f2, "--duration", "2")).code).toBe(5);
  });

  it("runs an estimation session over the API as the token's owner; only the facilitator reveals", async () => {
    const { f1 = "" } = keys;
    const created = await remote(
      "pm",
      "wsjf",
      "session",
      "create",
      "PAY",
      "--title",
      "Sizes",
      "--items",
      f1,
      "--inputs",
      "jobSize",
      "--participants",
      "viewer@example.com",
      "--json",
    );
    expect(created.stderr).toBe("");
    const id = JSON.parse(created.stdout).id as string;
    expect((await remote("viewer", "wsjf", "session", "score", id, f1, "jobSize", "8")).code).toBe(0);
    const shown = await remote("pm", "wsjf", "session", "show", id);
    expect(shown.stdout).toMatch(new RegExp(`^${f1} +- \\(1 vote\\) +Checkout$`, "m"));
    expect((await remote("viewer", "wsjf", "session", "reveal", id)).code).toBe(5);
    const revealed = await remote("pm", "wsjf", "session", "reveal", id);
    expect(revealed.stdout).toMatch(new RegExp(`^${f1} +8 \\[8-8\\] +Checkout$`, "m"));
    const list = await remote("viewer", "wsjf", "session", "list", "PAY");
    expect(list.stdout).toMatch(new RegExp(`^${id} +revealed +1 +feature +1 +2 +pm +Sizes$`, "m"));
    expect((await remote("pm", "wsjf", "session", "close", id)).code).toBe(0);
  });
});

describe("trainyard feedback, on the database", { timeout: 120_000 }, () => {
  let db: string;
  const keys: Record<string, string> = {};
  const local = (...args: string[]) => trainyard(db, ...args);

  beforeAll(async () => {
    db = await sqliteDatabase();
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      await createTrain(
        rt.deps,
        { key: "PAY", name: "Payments Train", teams: [{ key: "core", name: "Core" }] },
        operator(),
      );
      const [refunds, statements] = await createItems(
        rt.deps,
        [
          { art: "PAY", level: "feature", title: "Refunds", businessValue: 3 },
          { art: "PAY", level: "feature", title: "Statements" },
        ],
        operator(),
      );
      Object.assign(keys, { refunds: refunds?.key, statements: statements?.key });
    } finally {
      await rt.close();
    }
  });

  it("records feedback linked to an item, lists it, links more and shows what to re-score", async () => {
    const { refunds = "", statements = "" } = keys;
    const added = await local(
      "feedback",
      "add",
      "PAY",
      "--source",
      "support ticket",
      "--customer",
      "Acme Bank",
      "--weight",
      "13",
      "--date",
      "2026-11-20",
      "--text",
      "Refunds take a week.",
      "--item",
      refunds,
    );
    expect(added).toMatchObject({ code: 0, stderr: "" });
    const id =
      /^Recorded feedback (\S+) from Acme Bank \(support ticket, weight 13, 2026-11-20\), linked to (\S+)\.$/m.exec(
        added.stdout,
      );
    expect(id?.[2]).toBe(refunds);
    const feedbackId = id?.[1] ?? "";

    const list = await local("feedback", "list", "PAY");
    expect(list.stdout.split("\n")[0]).toMatch(/^id +received +weight +customer +source +items +text$/);
    expect(list.stdout).toContain(`2026-11-20      13  Acme Bank  support ticket  ${refunds}`);
    const json = JSON.parse((await local("feedback", "list", "PAY", "--json")).stdout);
    expect(json.items).toMatchObject([{ id: feedbackId, weight: 13, items: [{ key: refunds }] }]);

    expect(await local("feedback", "link", statements, feedbackId)).toMatchObject({
      code: 0,
      stdout: `Linked feedback ${feedbackId} to ${statements}.\n`,
    });
    expect((await local("feedback", "link", statements, feedbackId)).code).toBe(4);

    const review = JSON.parse((await local("feedback", "review", "PAY", "--json")).stdout);
    expect(review.items.map((r: { item: { key: string } }) => r.item.key).sort()).toEqual([refunds, statements].sort());
    const text = await local("feedback", "review", "PAY");
    expect(text.stdout).toMatch(new RegExp(`^${refunds} +1 +13 +13 +3 +\\d{4}-\\d{2}-\\d{2} +Refunds$`, "m"));

    const bad = await local(
      "feedback",
      "add",
      "PAY",
      "--source",
      "s",
      "--customer",
      "c",
      "--weight",
      "0",
      "--text",
      "t",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("weight");
    expect((await local("feedback", "list", "NOPE")).code).toBe(3);
  });
});

describe("trainyard wsjf economics and the economic fields, on the database", { timeout: 120_000 }, () => {
  let db: string;
  const keys: Record<string, string> = {};
  const local = (...args: string[]) => trainyard(db, ...args);

  beforeAll(async () => {
    db = await sqliteDatabase();
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      await createTrain(
        rt.deps,
        { key: "PAY", name: "Payments Train", teams: [{ key: "core", name: "Core" }] },
        operator(),
      );
      const scores = (businessValue: number, jobSize: number) => ({
        businessValue,
        timeCriticality: 1,
        riskReduction: 1,
        jobSize,
      });
      const [checkout, refunds, report, story] = await createItems(
        rt.deps,
        [
          { art: "PAY", level: "feature", title: "Checkout", ...scores(20, 1), costOfDelayPerWeek: 1000 },
          { art: "PAY", level: "feature", title: "Refunds", ...scores(8, 2), costOfDelayPerWeek: 8000 },
          { art: "PAY", level: "feature", title: "Regulatory report", ...scores(1, 5) },
          { art: "PAY", level: "story", title: "As a payer, I want a receipt", teamId: "core" },
        ],
        operator(),
      );
      Object.assign(keys, { checkout: checkout?.key, refunds: refunds?.key, report: report?.key, story: story?.key });
    } finally {
      await rt.close();
    }
  });

  it("sets an item's economic fields with wsjf score and shows the WSJF and CD3 orders side by side", async () => {
    const { checkout = "", refunds = "", report = "", story = "" } = keys;
    expect((await local("wsjf", "score", checkout, "--duration", "4", "--urgency", "standard")).code).toBe(0);
    expect((await local("wsjf", "score", refunds, "--duration", "2")).code).toBe(0);
    const dated = await local(
      "wsjf",
      "score",
      report,
      "--cod-per-week",
      "4000",
      "--urgency",
      "fixed_date",
      "--fixed-date",
      "2026-02-12",
      "--duration",
      "1",
    );
    expect(dated).toMatchObject({ code: 0, stderr: "" });
    expect(dated.stdout).toBe(
      `${report} (version 2): BV 1, TC 1, RR|OE 1, JS 5 → CoD 3, WSJF 0.6; ` +
        "CoD/week 4000, fixed date, date 2026-02-12, duration 1 wk → CD3 4000\n",
    );

    const text = await local("wsjf", "economics", "PAY", "--as-of", "2026-01-01");
    expect(text).toMatchObject({ code: 0, stderr: "" });
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "PAY features as of 2026-01-01: WSJF order | CD3 order (CD3 = Cost of Delay per week ÷ duration):",
    );
    expect(lines[1]).toMatch(/^# +by WSJF +WSJF +\| +by CD3 +CD3 +CoD\/week +urgency +vs WSJF$/);
    expect(lines[2]).toMatch(new RegExp(`^1 +${checkout} +22 +\\| +${refunds} +4000 +8000 +- +▲1$`));
    expect(lines[3]).toMatch(new RegExp(`^2 +${refunds} +5 +\\| +${report} +4000 +4000 +fixed date +▲1$`));
    expect(lines[4]).toMatch(new RegExp(`^3 +${report} +0\\.6 +\\| +${checkout} +250 +1000 +standard +▼2$`));
    expect(lines[5]).toBe(`${report} is due 2026-02-12: start by 2026-02-05 (5 weeks of slack).`);
    expect(lines[6]).toBe("Agreement between the orders: -0.333 (Kendall tau: 1 same order, -1 reversed).");

    const json = JSON.parse((await local("wsjf", "economics", "PAY", "--as-of", "2026-01-01", "--json")).stdout);
    expect(json.cd3Order.length).toBe(3);
    expect(json.curves[json.items[2].id].slice(4, 7).map((p: { delayCost: number }) => p.delayCost)).toEqual([
      0, 0, 4000,
    ]);

    const [negative, notANumber, undated, onStory] = await Promise.all([
      local("wsjf", "score", checkout, "--cod-per-week", "-5"),
      local("wsjf", "score", checkout, "--duration", "soon"),
      local("wsjf", "score", checkout, "--urgency", "fixed_date"),
      local("wsjf", "score", story, "--duration", "2"),
    ]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain("costOfDelayPerWeek");
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain("durationWeeks: 'soon' is not a number");
    expect(undated.code).toBe(2);
    expect(undated.stderr).toContain("fixedDate: a fixed-date item needs its date");
    expect(onStory.code).toBe(2);
    expect(onStory.stderr).toContain("durationWeeks: stories have no Cost of Delay");
  });
});

describe("trainyard wsjf session, on the database", { timeout: 120_000 }, () => {
  let db: string;
  const keys: Record<string, string> = {};
  const as = (who: string, ...args: string[]) =>
    trainyard(db, "--as", `${who}@example.com`, "wsjf", "session", ...args);

  beforeAll(async () => {
    db = await sqliteDatabase();
    const rt = await openRuntime(db, { passwordCost: 14 });
    try {
      const deps = rt.deps;
      await createTrain(
        deps,
        { key: "PAY", name: "Payments Train", teams: [{ key: "core", name: "Core" }] },
        operator(),
      );
      for (const [who, role] of [
        ["pm", "product_manager"],
        ["bo", "business_owner"],
      ] as const) {
        const account = await createAccount(deps, operator(), {
          name: who,
          email: `${who}@example.com`,
          password: PASSWORD,
        });
        await grantRole(deps, operator(), "PAY", { person: account.id, role }, { ip: null });
      }
      const [checkout, refunds] = await createItems(
        deps,
        [
          { art: "PAY", level: "feature", title: "Checkout" },
          { art: "PAY", level: "feature", title: "Refunds" },
        ],
        operator(),
      );
      Object.assign(keys, { checkout: checkout?.key, refunds: refunds?.key });
    } finally {
      await rt.close();
    }
  });

  it("runs a session: create, score privately, reveal, confirm every proposal onto the items and close", async () => {
    const { checkout, refunds } = keys as { checkout: string; refunds: string };
    const created = await as(
      "pm",
      "create",
      "PAY",
      "--title",
      "PI 2 value",
      "--items",
      `${checkout},${refunds}`,
      "--inputs",
      "businessValue",
      "--participants",
      "bo@example.com",
      "--json",
    );
    expect(created.stderr).toBe("");
    const id = JSON.parse(created.stdout).id as string;
    expect((await as("pm", "score", id, checkout, "businessValue", "3")).code).toBe(0);
    expect((await as("bo", "score", id, checkout, "businessValue", "8")).code).toBe(0);
    expect((await as("bo", "score", id, refunds, "businessValue", "13")).code).toBe(0);

    const before = await as("pm", "show", id);
    expect(before).toMatchObject({ code: 0, stderr: "" });
    const lines = before.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`PI 2 value — scoring, round 1, features (${id})`);
    expect(lines[1]).toBe("Participants: pm (facilitator), bo ✓");
    expect(lines[3]).toMatch(/^key +BV +title$/);
    expect(lines[4]).toMatch(new RegExp(`^${checkout} +3 \\(2 votes\\) +Checkout$`));
    expect(lines[5]).toMatch(new RegExp(`^${refunds} +- \\(1 vote\\) +Refunds$`));
    expect(lines.slice(3).join("\n")).not.toContain("13");

    const offScale = await as("bo", "score", id, checkout, "businessValue", "4");
    expect(offScale.code).toBe(2);
    expect(offScale.stderr).toContain("scores.0.value");
    // Each person sees their own score only, even at the database.
    expect((await as("bo", "show", id)).stdout).toMatch(new RegExp(`${checkout} +8 \\(2 votes\\) +Checkout`));

    const revealed = await as("pm", "reveal", id);
    expect(revealed.stdout).toMatch(new RegExp(`${checkout} +5 \\[3-8\\] +Checkout`));
    expect(revealed.stdout).toMatch(new RegExp(`${refunds} +13 \\[13-13\\] +Refunds`));
    const confirmed = JSON.parse((await as("pm", "confirm", id, "--all", "--json")).stdout);
    expect(
      confirmed.items.map(
        (i: { cells: { businessValue: { confirmed: { value: number } } } }) => i.cells.businessValue.confirmed.value,
      ),
    ).toEqual([5, 13]);
    const item = JSON.parse((await trainyard(db, "items", "show", checkout, "--json")).stdout);
    expect(item.item).toMatchObject({ businessValue: 5, version: 2 });

    const list = await as("bo", "list", "PAY");
    expect(list.stdout).toMatch(new RegExp(`^${id} +revealed +1 +feature +2 +2 +pm +PI 2 value$`, "m"));
    expect((await as("pm", "close", id)).code).toBe(0);
    const again = await as("pm", "close", id);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("closed");
  });
});
