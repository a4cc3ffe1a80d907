// The load test (issue 8): Atlassian's Jira Data Center mix — 200 users at ~15 actions/s, 89% reads, 11% writes —
// mapped to Trainyard's routes, against a 50,000-item train, many people at once. On SQLite one server; on PostgreSQL
// two, with every request going to either. Two runs:
// - at a fixed rate (100 requests/s, then the budget's 300): requests leave on a schedule whatever the answers (an open loop, so a slow
//   answer cannot hold the next requests back and hide itself), each timed from when it was due; per action p50/p95/p99.
//   Meanwhile a screen watches the ART's live changes on the last server: each edit's change is timed from its answer
//   to its arrival there (made on the other server, on PostgreSQL).
// - at saturation: autocannon's connections each send the next request as soon as the last is answered.
import { Agent } from "node:http";
import autocannon from "autocannon";
import { LIMITS } from "../src/core/work-item.js";
import type { DemoSource, SourceIssue } from "../src/demo/demo-source.js";
import { mulberry32 } from "../src/demo/seeded-random.js";
import { openRuntime, PROJECT_ROOT } from "../src/runtime.js";
import { findArt } from "../src/store/train.store.js";
import { sealArt } from "../src/use-cases/seal-metrics.js";
import type { BenchDatabases } from "./databases.js";
import { openEventStream } from "./event-stream.js";
import { send } from "./http-client.js";
import { benchPopm, type LoadedTrain, loadTrain } from "./load-train.js";
import { latency, type Result } from "./report.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { summarize } from "./stats.js";
import { LARGE_TRAIN, planTrain } from "./train-data.js";

export const LOAD_BUDGET = {
  rate: 300,
  readP95Ms: 50,
  writeP95Ms: 100,
  deliveryP95Ms: 250,
  saturation: { sqlite: 2_000, postgres: 1_000 },
};
/** A rate the server keeps up with, run first: what each action costs without requests waiting for each other. */
const LIGHT_RATE = 100;
/** Seconds of each run; the warm-up is at the light rate. */
const SECONDS = { warmup: 10, light: 30, fixed: 40, saturation: 20 };
const CONNECTIONS = 64;
/** People signed in with a token each, spread over the requests. */
const PEOPLE = 20;

type Action =
  | "view item"
  | "search"
  | "dashboard"
  | "board"
  | "backlog"
  | "item history"
  | "edit"
  | "create"
  | "comment";

/**
 * Atlassian's mix (per 100 actions): view issue 34, search 11, dashboards 10, boards 15, backlog 6, edit 5, create 4,
 * comment 2; the other 13 of its 89 reads are browsing, here an item's history. A search is free text in a team's
 * backlog, a dashboard a team's metrics, a board a team's stories of one iteration (Jira's board is a team's sprint).
 */
export const MIX: readonly { action: Action; weight: number; write: boolean }[] = [
  { action: "view item", weight: 34, write: false },
  { action: "search", weight: 11, write: false },
  { action: "dashboard", weight: 10, write: false },
  { action: "board", weight: 15, write: false },
  { action: "backlog", weight: 6, write: false },
  { action: "item history", weight: 13, write: false },
  { action: "edit", weight: 5, write: true },
  { action: "create", weight: 4, write: true },
  { action: "comment", weight: 2, write: true },
];

interface Planned {
  action: Action;
  method: "GET" | "POST" | "PATCH";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** An edit's item, released when answered. */
  key?: string;
}

/** What each action asks of the 50,000-item train, as one of its people; edits name the version they were made on. */
class Mix {
  readonly #versions = new Map<string, number>();
  readonly #editing = new Set<string>();
  readonly #items: string[];
  readonly #stories: string[];
  readonly #words: string[];
  readonly #featuresOf: Map<string, string[]>;
  readonly #cumulative: number[];

  constructor(
    readonly train: LoadedTrain,
    readonly tokens: readonly string[],
    readonly pis: readonly string[],
    readonly issues: readonly SourceIssue[],
    readonly random: () => number,
  ) {
    this.#items = [...train.backlogs.values()].flat();
    this.#stories = [...train.teamBacklogs.values()].flat();
    this.#words = [
      ...new Set(issues.flatMap((i) => i.title.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 5)),
    ];
    this.#featuresOf = new Map(
      train.teamKeys.map((t) => [t, train.features.filter((f) => f.teams.includes(t)).map((f) => f.key)]),
    );
    let sum = 0;
    this.#cumulative = MIX.map((m) => {
      sum += m.weight;
      return sum;
    });
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  next(): Planned {
    const roll = this.random() * 100;
    const action = MIX[this.#cumulative.findIndex((c) => roll < c)]?.action ?? "view item";
    const art = this.train.artKey;
    const team = this.#pick(this.train.teamKeys);
    const headers: Record<string, string> = { authorization: `Bearer ${this.#pick(this.tokens)}` };
    const json = (body: unknown) => {
      headers["content-type"] = "application/json";
      return JSON.stringify(body);
    };
    switch (action) {
      case "view item":
        return { action, method: "GET", path: `/api/v1/items/${this.#pick(this.#items)}`, headers };
      case "search":
        return {
          action,
          method: "GET",
          path: `/api/v1/arts/${art}/teams/${team}/backlog?limit=50&q=${this.#pick(this.#words)}`,
          headers,
        };
      case "dashboard":
        return { action, method: "GET", path: `/api/v1/arts/${art}/metrics?team=${team}`, headers };
      case "board": {
        // A team's board of one iteration: its stories of that iteration, in rank order.
        const iteration = encodeURIComponent(`${this.#pick(this.pis)}/${1 + Math.floor(this.random() * 5)}`);
        return {
          action,
          method: "GET",
          path: `/api/v1/arts/${art}/teams/${team}/backlog?iteration=${iteration}&limit=100`,
          headers,
        };
      }
      case "backlog":
        return { action, method: "GET", path: `/api/v1/arts/${art}/teams/${team}/backlog?limit=100`, headers };
      case "item history":
        return { action, method: "GET", path: `/api/v1/items/${this.#pick(this.#items)}/history`, headers };
      case "edit": {
        let key = this.#pick(this.#stories);
        while (this.#editing.has(key)) key = this.#pick(this.#stories);
        this.#editing.add(key);
        headers["if-match"] = `"${this.#versions.get(key) ?? 1}"`;
        const body = json({ points: this.#pick([1, 2, 3, 5, 8, 13]), title: this.#pick(this.issues).title });
        return { action, method: "PATCH", path: `/api/v1/items/${key}`, headers, body, key };
      }
      case "create": {
        const issue = this.#pick(this.issues);
        const feature = this.#pick(this.#featuresOf.get(team) ?? []);
        const body = json({
          art,
          level: "story",
          title: issue.title.slice(0, LIMITS.title),
          description: issue.description.slice(0, LIMITS.description),
          teamId: team,
          ...(feature ? { parentId: feature } : {}),
          points: Math.min(issue.points, LIMITS.points),
        });
        return { action, method: "POST", path: "/api/v1/items", headers, body };
      }
      case "comment": {
        const body = json({ body: this.#pick(this.issues).description.slice(0, 2_000) || "Looks right to me." });
        return { action, method: "POST", path: `/api/v1/items/${this.#pick(this.#stories)}/comments`, headers, body };
      }
    }
  }

  /** Keeps the versions edits name: the item's new one, or the current one a 409 answers with. */
  answered(planned: Planned, status: number, body: string): number | undefined {
    if (planned.key === undefined) return undefined;
    this.#editing.delete(planned.key);
    try {
      const answer = JSON.parse(body);
      const version: number | undefined = status === 200 ? answer.version : answer.current?.version;
      if (version !== undefined) this.#versions.set(planned.key, version);
      return status === 200 ? version : undefined;
    } catch {
      return undefined;
    }
  }
}

interface FixedRateRun {
  samples: Map<Action, number[]>;
  errors: { action: Action; status: number; body: string }[];
  /** Edits answered: `key:version` → when the answer arrived, and which server made it. */
  edits: Map<string, { at: number; server: number }>;
  lagMs: number;
}

/** Sends `rate` requests a second for `seconds`, spread evenly, to the servers in turn; each timed from when due. */
async function atFixedRate(urls: readonly string[], mix: Mix, rate: number, seconds: number): Promise<FixedRateRun> {
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: 256 }));
  const bases = urls.map((u) => new URL(u));
  const samples = new Map<Action, number[]>(MIX.map((m) => [m.action, []]));
  const errors: FixedRateRun["errors"] = [];
  const edits: FixedRateRun["edits"] = new Map();
  const pending: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let lagMs = 0;
  for (let i = 0; i < total; ) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    while (i < total && start + (i * 1000) / rate <= performance.now()) {
      const scheduled = start + (i * 1000) / rate;
      lagMs = Math.max(lagMs, performance.now() - scheduled);
      const server = i % urls.length;
      const planned = mix.next();
      pending.push(
        send(agents[server] as Agent, bases[server] as URL, planned).then(({ status, body }) => {
          const done = performance.now();
          (samples.get(planned.action) as number[]).push(done - scheduled);
          const version = mix.answered(planned, status, body);
          if (status < 200 || status >= 300) errors.push({ action: planned.action, status, body: body.slice(0, 300) });
          if (version !== undefined) edits.set(`${planned.key}:${version}`, { at: done, server });
        }),
      );
      i++;
    }
  }
  await Promise.all(pending);
  for (const agent of agents) agent.destroy();
  return { samples, errors, edits, lagMs };
}

/** As many requests as `CONNECTIONS` connections spread over the servers answer, each sent when the last is answered. */
async function atSaturation(urls: readonly string[], mix: Mix, seconds: number) {
  const byStatus = new Map<number, number>();
  const result = await autocannon({
    // Several URLs: each connection goes to one of them in turn (the types know only one).
    url: [...urls] as unknown as string,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request, context) => {
          const planned = mix.next();
          (context as { planned?: Planned }).planned = planned;
          return {
            ...request,
            method: planned.method,
            path: planned.path,
            headers: planned.headers,
            body: planned.body,
          };
        },
        onResponse: (status, body, context) => {
          byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
          mix.answered((context as { planned: Planned }).planned, status, body);
        },
      },
    ],
  });
  const ok = result["2xx"];
  return {
    ok,
    seconds: result.duration,
    perSecond: ok / result.duration,
    failed: result.non2xx + result.errors + result.timeouts,
    byStatus: Object.fromEntries(byStatus),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export interface LoadBenchContext {
  source: DemoSource;
  databases: BenchDatabases;
  servers: ServerProcess[];
  progress: (line: string) => void;
}

export async function loadBench(ctx: LoadBenchContext) {
  const { progress } = ctx;
  const kind = ctx.databases.kind;
  const url = await ctx.databases.create("load");
  const runtime = await openRuntime(url);
  const plan = planTrain(ctx.source, LARGE_TRAIN, mulberry32(5));
  let train: LoadedTrain;
  const tokens: string[] = [];
  try {
    // A train in use for a while: its items were made a month ago, and the metrics' records of the days since are
    // kept, as every server keeps them (otherwise today's dashboards would replay the making of 50,000 items).
    const now = runtime.deps.clock;
    runtime.deps.clock = () => new Date(now().getTime() - 30 * 86_400_000);
    train = await loadTrain(runtime.deps, plan, 5_000);
    runtime.deps.clock = now;
    const art = await findArt(runtime.deps.db, train.artKey);
    if (art) await sealArt(runtime.deps, art.id, { rebuild: true });
    for (let i = 0; i < PEOPLE; i++) tokens.push(await benchPopm(runtime.deps, plan.art, i));
  } finally {
    await runtime.close();
  }
  const count = kind === "postgres" ? 2 : 1;
  progress(`created the ${train.bulk.items.toLocaleString("en-US")}-item load train; starting ${count} server(s)`);
  const servers = await Promise.all(Array.from({ length: count }, () => startServerProcess(PROJECT_ROOT, url)));
  ctx.servers.push(...servers);
  const urls = servers.map((s) => s.url);
  const mix = new Mix(
    train,
    tokens,
    plan.pis.map((p) => p.name),
    ctx.source.issues,
    mulberry32(8),
  );

  // A screen on the last server: edits answered by the first (or the only one) reach it through the database.
  const arrivals = new Map<string, number>();
  const screen = await openEventStream(`${urls.at(-1)}/api/v1/arts/${train.artKey}/events`, {
    token: tokens[0] as string,
    onEvent: (event) => {
      if (event.event !== "change") return;
      const change = JSON.parse(event.data) as { kind: string; key?: string; version?: number };
      if (change.kind === "item.updated") arrivals.set(`${change.key}:${change.version}`, event.at);
    },
  });
  await screen.ready;

  progress(`warming up: ${SECONDS.warmup} s at ${LIGHT_RATE} requests/s`);
  await atFixedRate(urls, mix, LIGHT_RATE, SECONDS.warmup);
  progress(`the mix at ${LIGHT_RATE} requests/s for ${SECONDS.light} s`);
  const light = await atFixedRate(urls, mix, LIGHT_RATE, SECONDS.light);
  progress(`the mix at ${LOAD_BUDGET.rate} requests/s for ${SECONDS.fixed} s`);
  const fixed = await atFixedRate(urls, mix, LOAD_BUDGET.rate, SECONDS.fixed);
  await new Promise((r) => setTimeout(r, 1_000));
  screen.close();

  progress(`saturation: ${CONNECTIONS} connections for ${SECONDS.saturation} s`);
  const saturation = await atSaturation(urls, mix, SECONDS.saturation);

  const where = kind === "postgres" ? "PostgreSQL, 2 servers" : "SQLite, 1 server";
  const watched = count - 1;
  /** The rows of one fixed-rate run: reads, writes, each action, errors, and live changes' delivery. */
  const rowsOf = (run: FixedRateRun, rate: number): Result[] => {
    const id = `load-${kind}-${rate}`;
    const of = (write: boolean) =>
      MIX.filter((m) => m.write === write).flatMap((m) => run.samples.get(m.action) as number[]);
    const delivery = [...run.edits]
      .filter(([, edit]) => count === 1 || edit.server !== watched)
      .map(([edit, { at }]) => (arrivals.get(edit) ?? Number.POSITIVE_INFINITY) - at);
    const lost = delivery.filter((d) => !Number.isFinite(d)).length;
    return [
      latency(`${id}-reads`, `mix at ${rate}/s, reads (${where})`, summarize(of(false)), LOAD_BUDGET.readP95Ms),
      latency(`${id}-writes`, `mix at ${rate}/s, writes (${where})`, summarize(of(true)), LOAD_BUDGET.writeP95Ms),
      ...MIX.map((m) =>
        latency(
          `${id}-${m.action.replace(/ /g, "-")}`,
          `  ${m.action} (${m.weight}%)`,
          summarize(run.samples.get(m.action) as number[]),
          null,
        ),
      ),
      {
        id: `${id}-errors`,
        name: `mix at ${rate}/s, errors (${where})`,
        kind: "count",
        value: run.errors.length,
        budget: { max: 0 },
        pass: run.errors.length === 0,
      },
      latency(
        `${id}-delivery`,
        `  live edit seen on ${count === 1 ? "the server" : "the other server"}, from its answer (${lost} lost)`,
        summarize(delivery),
        LOAD_BUDGET.deliveryP95Ms,
      ),
    ];
  };
  const results: Result[] = [
    ...rowsOf(light, LIGHT_RATE),
    ...rowsOf(fixed, LOAD_BUDGET.rate),
    {
      id: `load-${kind}-saturation`,
      name: `mix at saturation, ${CONNECTIONS} connections (${where}; ${saturation.failed} failed)`,
      kind: "throughput",
      items: saturation.ok,
      seconds: saturation.seconds,
      perSecond: saturation.perSecond,
      cpuSeconds: Number.NaN,
      budget: { minPerSecond: LOAD_BUDGET.saturation[kind] },
      pass: saturation.perSecond >= LOAD_BUDGET.saturation[kind] && saturation.failed === 0,
    },
  ];
  return {
    results,
    server: servers[0]?.via ?? "tsx",
    load: {
      train: { items: train.bulk.items, teams: train.teamKeys.length, people: PEOPLE },
      servers: count,
      rate: LOAD_BUDGET.rate,
      seconds: SECONDS,
      generatorLagMs: Math.round(Math.max(light.lagMs, fixed.lagMs)),
      errors: [...light.errors, ...fixed.errors].slice(0, 10),
      saturation,
    },
  };
}
