// The `trainyard` command: serve, migrate, seed the demo, check, back up, script items, prioritize with WSJF, and
// administer accounts.
// Each command parses its flags, calls the same use cases as the HTTP API (or, given a server, calls its API with a
// personal API token), and prints (JSON with --json).
import { Command, Option } from "commander";
import { ConfigError } from "../config.js";
import { AppError, invalid } from "../core/errors.js";
import { REWORK_REASONS } from "../core/metrics-views.js";
import { backupDatabase } from "../use-cases/backup-database.js";
import { exportInstance, importInstance } from "../use-cases/move-instance.js";
import { seedDemo } from "../use-cases/seed-demo.js";
import { addAccountCommands } from "./account-commands.js";
import { createContext } from "./context.js";
import { addDependencyCommands } from "./dependency-commands.js";
import { addEstimationCommands } from "./estimation-commands.js";
import { addFeedbackCommands } from "./feedback-commands.js";
import { fileLines, fileWriter } from "./files.js";
import { addHealthCommands } from "./health-commands.js";
import { addMetricsCommands } from "./metrics-commands.js";
import { backlogText, checkText, itemDetailText, itemText, print, rowsText } from "./output.js";
import { addPlanningCommands } from "./planning-commands.js";
import { Cancelled } from "./prompt.js";
import { addRefinementCommands } from "./refinement-commands.js";
import { addSessionCommands } from "./session-commands.js";
import { addSplittingCommands } from "./splitting-commands.js";
import { addWsjfCommands } from "./wsjf-commands.js";

/** Exit codes: 1 for anything unexpected, then one per error code so scripts can tell them apart. */
const EXIT: Record<string, number> = {
  invalid: 2,
  not_found: 3,
  conflict: 4,
  version_required: 4,
  forbidden: 5,
  unavailable: 6,
  unauthenticated: 8,
  rate_limited: 9,
};

const program = new Command()
  .name("trainyard")
  .description("Trainyard: the ranked, linked backlogs of a SAFe release train")
  .option(
    "--database <url>",
    "work on this database directly: a SQLite file path or a postgres:// URL (default: $DATABASE_URL or data/trainyard.db)",
  )
  .option(
    "--server <url>",
    "work on this Trainyard server over its API (default: $TRAINYARD_SERVER, else the server `trainyard login` saved)",
  )
  .option("--token <token>", "a personal API token for the server (default: $TRAINYARD_TOKEN, else the saved one)")
  .option("--as <person>", "on a database: who is acting (person id or email), recorded in history")
  .showHelpAfterError();

const cx = createContext(program, process.env);

program
  .command("serve")
  .description("serve the web app and the API")
  .option("--port <port>", "port (default: $PORT or 4300)")
  .option("--host <host>", "address to bind (default: $HOST or 127.0.0.1)")
  .action(async (o: { port?: string; host?: string }) => {
    cx.localOnly("serve");
    // Loaded here: the server is most of the code, and every other command starts faster without it.
    const { startServer } = await import("../server/serve.js");
    const server = await startServer(
      cx.config({ ...(o.port ? { PORT: o.port } : {}), ...(o.host ? { HOST: o.host } : {}) }),
    );
    process.stdout.write(`Trainyard is serving at ${server.url}\n`);
    const stop = () => server.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

program
  .command("migrate")
  .description("bring the database schema up to date (serve does this too)")
  .action(() => {
    cx.localOnly("migrate");
    return cx.withRuntime(async () => {
      process.stdout.write("The database is up to date.\n");
    });
  });

program
  .command("seed")
  .description("load data")
  .requiredOption("--demo", "load the demo train")
  .option("--data <dir>", "folder of the real backlog text (default: ../shared/data or $TRAINYARD_DATA_DIR)")
  .option("--json", "print JSON")
  .action((o: { data?: string; json?: boolean }) => {
    cx.localOnly("seed");
    return cx.withRuntime(async (rt) => {
      const result = await seedDemo(rt.deps, { ...(o.data ? { dataDir: o.data } : {}), by: await cx.operatorOf(rt) });
      print(Boolean(o.json), result, () => `Loaded the demo train ${result.artKey} with ${result.items} items.`);
    });
  });

program
  .command("check")
  .description("verify rank integrity and the hierarchy rules of every backlog (on a server: administrators)")
  .option("--json", "print JSON")
  .action((o: { json?: boolean }) =>
    cx.withBackend(async (backend) => {
      const report = await backend.checkTrain();
      print(Boolean(o.json), report, () => checkText(report));
      if (!report.ok) process.exitCode = 7;
    }),
  );

program
  .command("backup <file>")
  .description("write a consistent copy of the SQLite database while it is in use")
  .action((file: string) => {
    cx.localOnly("backup");
    return cx.withRuntime(async (rt) => {
      const pages = await backupDatabase(rt.store, file);
      process.stdout.write(`Backed up ${pages} pages to ${file}.\n`);
    });
  });

program
  .command("export <file>")
  .description("write the whole instance (every train, account and change of history) to a JSON Lines file")
  .action((file: string) => {
    cx.localOnly("export");
    return cx.withRuntime(async (rt) => {
      const writer = fileWriter(file);
      let counts: Record<string, number>;
      try {
        counts = await exportInstance(rt.deps, writer);
      } finally {
        await writer.close();
      }
      process.stdout.write(`Exported ${rowsText(counts)} to ${file}.\n`);
    });
  });

program
  .command("import <file>")
  .description("read an export into a new, empty database, all of it in one transaction")
  .action((file: string) => {
    cx.localOnly("import");
    return cx.withRuntime(async (rt) => {
      const counts = await importInstance(rt.deps, fileLines(file));
      process.stdout.write(`Imported ${rowsText(counts)} from ${file}.\n`);
    });
  });

const items = program.command("items").description("list, show, create and move items (on a database or a server)");

items
  .command("list <art>")
  .description("an ART's program backlog, or with --team a team backlog, in rank order")
  .option("--team <team>", "team key or id")
  .addOption(new Option("--level <level>", "program backlog level").choices(["epic", "capability", "feature"]))
  .option("--state <states>", "comma-separated states")
  .option("--type <types>", "comma-separated types")
  .option("--label <label>")
  .option("--pi <pi>", "PI name or id")
  .option("-q, --text <text>", "free text")
  .option("--limit <n>", "how many", "100")
  .option("--cursor <cursor>", "nextCursor of the previous page")
  .option("--json", "print JSON")
  .action((art: string, o: Record<string, string | boolean | undefined>) =>
    cx.withBackend(async (backend) => {
      const query = Object.fromEntries(
        Object.entries({
          level: o.level,
          state: o.state,
          type: o.type,
          label: o.label,
          pi: o.pi,
          q: o.text,
          limit: o.limit,
          cursor: o.cursor,
        }).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
      );
      const page = await backend.listBacklog(o.team ? { art, team: String(o.team) } : { art }, query);
      print(Boolean(o.json), page, () => backlogText(page));
    }),
  );

items
  .command("show <item>")
  .description("one item with its hierarchy, relations and comments")
  .option("--json", "print JSON")
  .action((ref: string, o: { json?: boolean }) =>
    cx.withBackend(async (backend) => {
      const detail = await backend.getItem(ref);
      print(Boolean(o.json), detail, () => itemDetailText(detail));
    }),
  );

items
  .command("create <art> <title>")
  .description("create an item (at the bottom of its backlog unless placed)")
  .addOption(
    new Option("--level <level>", "level").choices(["epic", "capability", "feature", "story"]).default("story"),
  )
  .option("--type <type>", "business, enabler, defect or debt")
  .option("--team <team>", "a story's team (key or id)")
  .option("--teams <teams>", "a feature's teams, comma-separated")
  .option("--parent <item>", "parent item key or id")
  .option("--points <n>", "story points")
  .option("--state <state>")
  .option("--pi <pi>", "PI name or id")
  .option("--iteration <iteration>", "iteration id or 'PI name/number'")
  .option("--label <label...>", "labels")
  .option("--criterion <text...>", "acceptance criteria, in order")
  .option("--description <markdown>")
  .option("--top", "place at the top of the backlog")
  .option("--json", "print JSON")
  .action((art: string, title: string, o: Record<string, string | string[] | boolean | undefined>) =>
    cx.withBackend(async (backend) => {
      const points = o.points === undefined ? undefined : Number(o.points);
      const input = {
        art,
        title,
        level: o.level,
        ...(o.type ? { type: o.type } : {}),
        ...(o.team ? { teamId: o.team } : {}),
        ...(o.teams ? { teamIds: String(o.teams).split(",") } : {}),
        ...(o.parent ? { parentId: o.parent } : {}),
        ...(points !== undefined ? { points } : {}),
        ...(o.state ? { state: o.state } : {}),
        ...(o.pi ? { piId: o.pi } : {}),
        ...(o.iteration ? { iterationId: o.iteration } : {}),
        ...(o.label ? { labels: o.label } : {}),
        ...(o.criterion ? { acceptanceCriteria: o.criterion } : {}),
        ...(o.description ? { description: o.description } : {}),
        ...(o.top ? { placement: { position: "top" } } : {}),
      };
      const item = await backend.createItem(input);
      print(Boolean(o.json), item, () => `Created ${item.key}: ${item.title}`);
    }),
  );

items
  .command("move <item>")
  .description("move an item within its backlog")
  .option("--top", "to the top")
  .option("--bottom", "to the bottom")
  .option("--before <item>", "before this item")
  .option("--after <item>", "after this item")
  .option("--version <n>", "fail if the item changed since this version")
  .option("--json", "print JSON")
  .action((ref: string, o: Record<string, string | boolean | undefined>) => {
    if ([o.top, o.bottom, o.before, o.after].filter(Boolean).length !== 1) {
      throw invalid("position", "say exactly one of --top, --bottom, --before or --after");
    }
    return cx.withBackend(async (backend) => {
      const input = {
        ...(o.top ? { position: "top" } : {}),
        ...(o.bottom ? { position: "bottom" } : {}),
        ...(o.before ? { before: o.before } : {}),
        ...(o.after ? { after: o.after } : {}),
        ...(o.version ? { version: Number(o.version) } : {}),
      };
      const item = await backend.moveItem(ref, input);
      print(Boolean(o.json), item, () => `Moved ${item.key}.`);
    });
  });

items
  .command("edit <item>")
  .description(
    "change an item's fields; mark it blocked (--blocked) or not (--unblocked); moving a story back from done or accepted can say why (--rework-reason)",
  )
  .option("--title <text>")
  .option("--state <state>")
  .option("--points <n>", "story points ('none' clears them)")
  .option("--blocked <reason>", "mark it blocked: what it waits on outside the team's control")
  .option("--unblocked", "mark it not blocked")
  .option(
    "--rework-reason <reason>",
    `with --state moving a story back from done or accepted: ${REWORK_REASONS.join(", ")}`,
  )
  .option("--rework-note <text>", "with --state moving a story back from done or accepted: a note on the rework")
  .option("--version <n>", "fail if the item changed since this version (default: its current version)")
  .option("--json", "print JSON")
  .action((ref: string, o: Record<string, string | boolean | undefined>) => {
    if (o.blocked !== undefined && o.unblocked) {
      throw invalid("blockedReason", "say either --blocked <reason> or --unblocked, not both");
    }
    const reason = o.reworkReason;
    if (typeof reason === "string" && !(REWORK_REASONS as readonly string[]).includes(reason)) {
      throw invalid("reworkReason", `'${reason}' is not a rework reason: say one of ${REWORK_REASONS.join(", ")}`);
    }
    let points: number | null | undefined;
    if (typeof o.points === "string") {
      points = o.points.trim().toLowerCase() === "none" ? null : Number(o.points);
      if (points !== null && (o.points.trim() === "" || !Number.isFinite(points))) {
        throw invalid("points", `'${o.points}' is not a number of points (or none)`);
      }
    }
    const fields = {
      ...(typeof o.title === "string" ? { title: o.title } : {}),
      ...(typeof o.state === "string" ? { state: o.state } : {}),
      ...(points !== undefined ? { points } : {}),
      ...(typeof o.blocked === "string" ? { blockedReason: o.blocked } : {}),
      ...(o.unblocked ? { blockedReason: null } : {}),
      ...(typeof reason === "string" ? { reworkReason: reason } : {}),
      ...(typeof o.reworkNote === "string" ? { reworkNote: o.reworkNote } : {}),
    };
    if (Object.keys(fields).length === 0) {
      throw invalid("fields", "say what to change: --title, --state, --points, --blocked or --unblocked");
    }
    let version: number | undefined;
    if (typeof o.version === "string") {
      version = Number(o.version);
      if (!Number.isInteger(version) || version < 1) throw invalid("version", "a version is a whole number from 1");
    }
    return cx.withBackend(async (backend) => {
      const item = await backend.editItem(ref, fields, version);
      print(Boolean(o.json), item, () => itemText(item));
    });
  });

addAccountCommands(program, cx);
addSessionCommands(program, cx);
addWsjfCommands(program, cx);
addEstimationCommands(program, cx);
addFeedbackCommands(program, cx);
addSplittingCommands(program, cx);
addHealthCommands(program, cx);
addMetricsCommands(program, cx);
addRefinementCommands(program, cx);
addDependencyCommands(program, cx);
addPlanningCommands(program, cx);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof AppError) {
    process.stderr.write(`trainyard: ${e.message}\n`);
    for (const f of e.fields) if (!e.message.includes(f.message)) process.stderr.write(`  ${f.path}: ${f.message}\n`);
    process.exitCode = EXIT[e.code] ?? 1;
  } else if (e instanceof Cancelled) {
    process.exitCode = 130;
  } else if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`trainyard: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
