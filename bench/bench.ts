// `npm run bench`: Trainyard's performance budgets, measured over HTTP on loopback against a 50,000-item train of real
// backlog text (and a 1,000-item one for the move baseline), plus bulk creation through the use-case layer. The large
// train's 1,000 features carry WSJF inputs for the estimation grid and WSJF order measurements. PI planning's budgets
// (the program board, the plan proposal) are measured on a train of their own (bench/planning.ts), and so are the
// metrics' (dashboards and forecasts over five PIs of history, bench/metrics.ts).
// Prints a table (or, with --json, a JSON summary); exits 0 even when a budget fails, since it is a report.
// See docs/performance.md for what is measured and how.
import { parseArgs } from "node:util";
import { type DemoSource, defaultDataDir, loadDemoSource } from "../src/demo/demo-source.js";
import { mulberry32 } from "../src/demo/seeded-random.js";
import { openRuntime, PROJECT_ROOT } from "../src/runtime.js";
import { type BenchDatabases, benchDatabases } from "./databases.js";
import { HttpClient } from "./http-client.js";
import { loadBench } from "./load.js";
import { benchPopm, type LoadedTrain, loadTrain } from "./load-train.js";
import { metricsBench } from "./metrics.js";
import {
  loadPlanningTrain,
  measureProposePlan,
  PLANNING_BUDGET,
  PLANNING_TRAIN,
  planPlanningTrain,
  proposalInput,
} from "./planning.js";
import { measureStoryQuality, qualityResults, storiesForQualityBench } from "./quality.js";
import { describeMachine, formatMachine, formatTable, latency, type Result } from "./report.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { LARGE_TRAIN, planTrain, SMALL_TRAIN, type TrainShape } from "./train-data.js";
import {
  boardWorkload,
  createWorkload,
  dragWorkload,
  measure,
  measureInterleaved,
  measureWsjfApply,
  proposalWorkload,
  qualityCheckWorkload,
  readWorkload,
  wsjfPreviewWorkload,
} from "./workloads.js";

const USAGE = `Usage: npm run bench -- [--json] [--database postgres://user@host:port/db] [--samples N] [--data DIR]
                       [--only backlog|planning|metrics|load]

  --json          print a JSON summary on stdout instead of the table (progress goes to stderr)
  --database URL  run on this PostgreSQL server (the bench creates and drops its own databases there);
                  default: SQLite files in a temporary directory
  --samples N     measured requests per latency measurement (default 1000; the 5,000-row list and applying
                  WSJF order use N/4, the metrics dashboards, inspect & adapt and forecasts N/5)
  --data DIR      the shared data directory (default: $TRAINYARD_DATA_DIR or ../shared/data)
  --only SUITE    run only the backlog measurements (issues 2-5), only PI planning's (issue 6: the program
                  board, the plan proposal) or only the metrics' (issue 7: the team and train dashboards,
                  inspect & adapt and Monte Carlo forecasts over a train with 5 PIs and 500,000 history events)
                  or only the load test (issue 8: Atlassian's mix of reads and writes on a 50,000-item train at
                  300 requests/s and at saturation, with live changes timed; with --database, on two servers)`;

/** The budgets of the performance issue. */
const BUDGET = {
  moveP95Ms: 5,
  moveGrowth: 1.2,
  firstPageP95Ms: 10,
  wholeTeamP95Ms: 100,
  createP95Ms: 5,
  bulkPerSecond: 10_000,
  wsjfGridP95Ms: 50,
  wsjfOrderP95Ms: 100,
  qualityCheckP95Ms: 20,
};
/**
 * Unmeasured requests before each measurement. Move latency keeps falling for the first ~2,000 drags (V8 tiers the
 * code up, SQLite's page cache fills), so moves get the longest warm-up: a server in use has long been warm.
 */
const WARMUP = {
  moves: 2_000,
  firstPage: 300,
  wholeList: 20,
  create: 300,
  wsjfGrid: 100,
  wsjfOrder: 30,
  qualityCheck: 100,
  board: 30,
  proposal: 5,
};
/** Features kept in place when previewing and applying WSJF order, by their position in creation order. */
const PINNED_FEATURES = [0, 9, 99, 499, 899];
/** Items per createItems call (one transaction each) when loading a train. */
const BULK_BATCH = 5_000;

const SUITES = ["backlog", "planning", "metrics", "load"] as const;
type Suite = (typeof SUITES)[number];
const isSuite = (s: string): s is Suite => (SUITES as readonly string[]).includes(s);

/** A bad command line: reported with the usage, without a stack trace. */
class UsageError extends Error {}

interface Options {
  json: boolean;
  database: string | undefined;
  samples: number;
  dataDir: string | undefined;
  only: Suite | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      json: { type: "boolean", default: false },
      database: { type: "string" },
      samples: { type: "string", default: "1000" },
      data: { type: "string" },
      only: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 20)
    throw new UsageError(`--samples: a whole number of at least 20, not '${values.samples}'`);
  const only = values.only;
  if (only !== undefined && !isSuite(only)) {
    throw new UsageError(`--only: backlog, planning, metrics or load, not '${only}'`);
  }
  return { json: values.json, database: values.database, samples, dataDir: values.data, only };
}

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  if (machine.loadAverage > machine.cpus / 4) {
    progress(
      `warning: the load average is ${machine.loadAverage} on ${machine.cpus} CPUs; other work will skew the figures`,
    );
  }
  const started = performance.now();
  const source = await loadDemoSource(options.dataDir ?? defaultDataDir());
  progress(`loaded ${source.issues.length.toLocaleString("en-US")} real issues`);
  const databases = benchDatabases(options.database);
  const servers: ServerProcess[] = [];
  const clients: HttpClient[] = [];
  try {
    const runs = (suite: Suite) => options.only === undefined || options.only === suite;
    const backlog = runs("backlog") ? await backlogBench(source, options, databases, servers, clients) : null;
    const planning = runs("planning") ? await planningBench(source, options, databases, servers, clients) : null;
    const metrics = runs("metrics")
      ? await metricsBench({ source, samples: options.samples, databases, servers, clients, progress })
      : null;
    const load = runs("load") ? await loadBench({ source, databases, servers, progress }) : null;
    const results = [
      ...(backlog?.results ?? []),
      ...(planning?.results ?? []),
      ...(metrics?.results ?? []),
      ...(load?.results ?? []),
    ];
    const server = backlog?.server ?? planning?.server ?? metrics?.server ?? load?.server ?? "tsx";

    const seconds = (performance.now() - started) / 1000;
    const summary = {
      machine,
      database: databases.kind,
      server,
      ...(backlog ? { trains: backlog.trains, bulkBatch: backlog.bulkBatch, wsjf: backlog.wsjf } : {}),
      ...(planning ? { planning: { train: planning.train, proposal: planning.proposal } } : {}),
      ...(metrics
        ? { metrics: { train: metrics.train, dashboard: metrics.dashboard, forecast: metrics.forecast } }
        : {}),
      ...(load ? { load: load.load } : {}),
      notes: metrics?.notes ?? [],
      seconds: Math.round(seconds),
      pass: results.every((r) => r.pass),
      results,
    };
    if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(
        `\n${formatMachine(machine, databases.kind, server)}\n\n${formatTable(results)}\n\n` +
          summary.notes.map((note) => `${note}\n`).join("") +
          `${summary.pass ? "Every budget met" : "Some budgets FAILED"} (${Math.round(seconds)} s).\n`,
      );
    }
  } finally {
    for (const client of clients) client.close();
    await Promise.all(servers.map((s) => s.stop()));
    await databases.dropAll();
  }
}

/** The backlog measurements (issues 2–5): story quality in process, then moves, lists, creation, WSJF, live checks. */
async function backlogBench(
  source: DemoSource,
  options: Options,
  databases: BenchDatabases,
  servers: ServerProcess[],
  clients: HttpClient[],
) {
  progress("checking the quality of 10,000 real stories (in this process, one core)");
  const quality = qualityResults(measureStoryQuality(storiesForQualityBench(source)));

  const load = async (label: string, shape: TrainShape, seed: number) => {
    const url = await databases.create(label);
    const runtime = await openRuntime(url);
    try {
      const cpuBefore = process.cpuUsage();
      const plan = planTrain(source, shape, mulberry32(seed));
      const train = await loadTrain(runtime.deps, plan, BULK_BATCH);
      const cpu = process.cpuUsage(cpuBefore);
      return {
        url,
        train,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        token: await benchPopm(runtime.deps, plan.art),
      };
    } finally {
      await runtime.close();
    }
  };
  const small = await load("small", SMALL_TRAIN, 1);
  progress(`created the ${small.train.bulk.items.toLocaleString("en-US")}-item train`);
  const large = await load("large", LARGE_TRAIN, 2);
  const { bulk } = large.train;
  progress(
    `created the ${bulk.items.toLocaleString("en-US")}-item train in ${bulk.seconds.toFixed(1)} s ` +
      `(${bulk.batches} createItems calls)`,
  );

  const [smallServer, largeServer] = await Promise.all([
    startServerProcess(PROJECT_ROOT, small.url),
    startServerProcess(PROJECT_ROOT, large.url),
  ]);
  servers.push(smallServer, largeServer);
  progress(`servers at ${smallServer.url} and ${largeServer.url} (via ${largeServer.via})`);
  const smallClient = new HttpClient(smallServer.url, small.token);
  const largeClient = new HttpClient(largeServer.url, large.token);
  clients.push(smallClient, largeClient);

  const n = options.samples;
  const random = mulberry32(7);
  const results: Result[] = [...quality];

  progress(`moving items on both trains (${n} each, interleaved)`);
  const [moveSmall, moveLarge] = await measureInterleaved(
    [dragWorkload(smallClient, small.train, random), dragWorkload(largeClient, large.train, random)],
    n,
    WARMUP.moves,
    random,
  );
  if (!moveSmall || !moveLarge) throw new Error("the move measurement returned no results");
  results.push(latency("move-1k", "move one item, 1,000-item train", moveSmall, BUDGET.moveP95Ms));
  results.push(latency("move-50k", "move one item, 50,000-item train", moveLarge, BUDGET.moveP95Ms));
  const growth = moveLarge.p95 / moveSmall.p95;
  results.push({
    id: "move-growth",
    name: "move p95, 50,000 / 1,000 items",
    kind: "ratio",
    value: growth,
    budget: { max: BUDGET.moveGrowth },
    pass: growth <= BUDGET.moveGrowth,
  });

  const art = large.train.artKey;
  // The team holding exactly 5,000 stories: the largest team backlog.
  const [bigTeam, bigTeamSize] = [...large.train.teamBacklogs]
    .map(([team, keys]) => [team, keys.length] as const)
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  progress("reading backlogs");
  results.push(
    latency(
      "program-first-100",
      "program backlog, first 100",
      await measure(readWorkload(largeClient, `/api/v1/arts/${art}/backlog?limit=100`, 100), n, WARMUP.firstPage),
      BUDGET.firstPageP95Ms,
    ),
  );
  results.push(
    latency(
      "team-first-100",
      "team backlog, first 100",
      await measure(
        readWorkload(largeClient, `/api/v1/arts/${art}/teams/${bigTeam}/backlog?limit=100`, 100),
        n,
        WARMUP.firstPage,
      ),
      BUDGET.firstPageP95Ms,
    ),
  );
  results.push(
    latency(
      "team-all",
      `team backlog, all ${bigTeamSize.toLocaleString("en-US")} (slim)`,
      await measure(
        readWorkload(largeClient, `/api/v1/arts/${art}/teams/${bigTeam}/backlog/all`, bigTeamSize),
        Math.max(20, Math.round(n / 4)),
        WARMUP.wholeList,
      ),
      BUDGET.wholeTeamP95Ms,
    ),
  );

  progress("creating items over HTTP");
  results.push(
    latency(
      "create",
      "create an item",
      await measure(createWorkload(largeClient, large.train, source.issues, random), n, WARMUP.create),
      BUDGET.createP95Ms,
    ),
  );
  const features = large.train.features.map((f) => f.key);
  const pinned = PINNED_FEATURES.flatMap((i) => features[i] ?? []);
  const count = features.length.toLocaleString("en-US");
  progress(`WSJF on ${count} features: the grid, previews, applies (each undone)`);
  results.push(
    latency(
      "wsjf-grid",
      `WSJF grid, ${count} features`,
      await measure(
        readWorkload(largeClient, `/api/v1/arts/${art}/wsjf?level=feature`, features.length),
        n,
        WARMUP.wsjfGrid,
      ),
      BUDGET.wsjfGridP95Ms,
    ),
  );
  results.push(
    latency(
      "wsjf-preview",
      `WSJF order preview, ${count} features`,
      await measure(wsjfPreviewWorkload(largeClient, art, pinned, features.length), n, WARMUP.wsjfOrder),
      BUDGET.wsjfOrderP95Ms,
    ),
  );
  const wsjfApply = await measureWsjfApply(
    largeClient,
    art,
    pinned,
    features.length,
    Math.max(20, Math.round(n / 4)),
    WARMUP.wsjfOrder,
  );
  results.push(
    latency("wsjf-apply", `apply WSJF order, ${count} features`, wsjfApply.apply, BUDGET.wsjfOrderP95Ms),
    latency("wsjf-undo", `undo it (between applies)`, wsjfApply.undo, null),
  );

  progress(`live quality checks while editing a story of a ${bigTeamSize.toLocaleString("en-US")}-story team`);
  results.push(
    latency(
      "quality-live",
      `live quality check, ${bigTeamSize.toLocaleString("en-US")}-story team of the 50,000-item train`,
      await measure(
        qualityCheckWorkload(largeClient, large.train, bigTeam, source.issues, random),
        n,
        WARMUP.qualityCheck,
      ),
      BUDGET.qualityCheckP95Ms,
    ),
  );

  const perSecond = bulk.items / bulk.seconds;
  results.push({
    id: "bulk-create",
    name: "bulk-create (use cases)",
    kind: "throughput",
    items: bulk.items,
    seconds: bulk.seconds,
    perSecond,
    cpuSeconds: large.cpuSeconds,
    budget: { minPerSecond: BUDGET.bulkPerSecond },
    pass: perSecond >= BUDGET.bulkPerSecond,
  });
  return {
    results,
    server: largeServer.via,
    trains: { small: describe(small.train), large: describe(large.train) },
    bulkBatch: BULK_BATCH,
    wsjf: { features: features.length, pinned, movedPerApply: wsjfApply.moved },
  };
}

/**
 * PI planning's measurements (issue 6) on a train of 10 teams: the program board of a PI with 200 features, 2,000
 * planned stories and 300 dependencies over HTTP; the plan proposal for 5,000 candidate stories over HTTP and in
 * process.
 */
async function planningBench(
  source: DemoSource,
  options: Options,
  databases: BenchDatabases,
  servers: ServerProcess[],
  clients: HttpClient[],
) {
  const shape = PLANNING_TRAIN;
  const plan = planPlanningTrain(source, shape, mulberry32(3), new Date());
  const input = proposalInput(plan, shape);
  progress(`proposing a plan for ${input.stories.length.toLocaleString("en-US")} stories (in this process, one core)`);
  const core = measureProposePlan(input);

  const url = await databases.create("planning");
  const runtime = await openRuntime(url);
  let loaded: Awaited<ReturnType<typeof loadPlanningTrain>>;
  let tokens: { board: string; proposal: string };
  try {
    loaded = await loadPlanningTrain(runtime.deps, plan);
    tokens = {
      board: await benchPopm(runtime.deps, plan.board.art),
      proposal: await benchPopm(runtime.deps, plan.proposal.art),
    };
  } finally {
    await runtime.close();
  }
  progress(
    `created the planning train in ${loaded.seconds.toFixed(1)} s: ${loaded.board.stories.toLocaleString("en-US")} ` +
      `planned stories in ${loaded.board.pi}, ${loaded.proposal.stories.toLocaleString("en-US")} candidates in ` +
      `${loaded.proposal.pi}, ${shape.dependencies} dependencies in each`,
  );
  const server = await startServerProcess(PROJECT_ROOT, url);
  servers.push(server);
  const boardClient = new HttpClient(server.url, tokens.board);
  const proposalClient = new HttpClient(server.url, tokens.proposal);
  clients.push(boardClient, proposalClient);

  const n = options.samples;
  progress(`reading the program board of ${loaded.board.pi}`);
  const board = await measure(
    boardWorkload(boardClient, loaded.board.art, loaded.board.pi, {
      features: shape.features,
      dependencies: shape.dependencies,
    }),
    Math.max(20, Math.round(n / 4)),
    WARMUP.board,
  );
  progress(`asking for the plan proposal of ${loaded.proposal.pi}`);
  const counts = { moves: 0, kept: 0, unplaced: 0 };
  const proposal = await measure(
    proposalWorkload(proposalClient, loaded.proposal.art, loaded.proposal.pi, counts),
    Math.max(20, Math.round(n / 20)),
    WARMUP.proposal,
  );
  const stories = input.stories.length.toLocaleString("en-US");
  const results: Result[] = [
    latency(
      "pi-board",
      `program board, ${shape.features} features, ${loaded.board.stories.toLocaleString("en-US")} stories, ` +
        `${shape.dependencies} dependencies`,
      board,
      PLANNING_BUDGET.boardP95Ms,
    ),
    latency(
      "pi-proposal",
      `plan proposal, ${stories} candidate stories (HTTP)`,
      proposal,
      PLANNING_BUDGET.proposalP95Ms,
    ),
    latency(
      "pi-propose-core",
      `proposePlan, ${shape.teams} teams, ${stories} stories (in process)`,
      core.summary,
      PLANNING_BUDGET.proposePlanP95Ms,
    ),
  ];
  return {
    results,
    server: server.via,
    train: { board: loaded.board, proposal: loaded.proposal, loadSeconds: Math.round(loaded.seconds) },
    proposal: { http: counts, core: { placed: core.placed, moved: core.moved, unplaced: core.unplaced } },
  };
}

/** A train's size: items in all, and per backlog (program levels by name, team backlogs by team key). */
function describe(train: LoadedTrain) {
  const program = [...train.backlogs].filter(([backlog]) => backlog.startsWith("art:"));
  return {
    items: train.bulk.items,
    program: Object.fromEntries(program.map(([backlog, keys]) => [backlog.split(":").pop(), keys.length])),
    teams: Object.fromEntries([...train.teamBacklogs].map(([team, keys]) => [team, keys.length])),
  };
}

try {
  await main();
} catch (e) {
  const usage =
    e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"));
  if (usage) process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
  else process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = usage ? 2 : 1;
}
