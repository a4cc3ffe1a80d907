// `trainyard metrics`, `trainyard forecast`, `trainyard inspect-adapt`: backlog health and flow metrics of a team (or
// the train) for a PI as of a date, Monte Carlo forecasts, and the teams side by side — on the database (as its
// operator) or on a server (with a personal API token). Formulas: docs/metrics.md.
import type { Command } from "commander";
import type { Forecast, InspectAdapt, MetricsDashboard, ReworkRatio } from "../core/metrics-views.js";
import { REWORK_REASON_LABELS } from "../core/metrics-views.js";
import type { CliContext } from "./context.js";
import { print } from "./output.js";

const pct = (n: number | null) => (n === null ? "no data" : `${n} %`);
const num = (n: number | null, unit = "") => (n === null ? "no data" : `${n}${unit}`);

function reworkText(r: ReworkRatio): string {
  const reasons = r.reasons.map((x) => `${REWORK_REASON_LABELS[x.reason]} ${x.count}`).join(", ");
  return `${pct(r.ratio)}: ${r.reworked} of ${r.completed} completed moved back${reasons ? ` (${reasons})` : ""}`;
}

/** The dashboard as text: the headline numbers, then a line per iteration and per PI. */
export function metricsText(m: MetricsDashboard): string {
  const who = m.team ? `${m.team.key} (${m.team.name})` : `${m.art.key} (whole train)`;
  const r = m.readiness;
  const f = m.flow;
  const lines = [
    `${who}, ${m.pi.name} (${m.pi.startDate} to ${m.pi.endDate}), as of ${m.asOf}`,
    "",
    `  readiness, assigned  ${pct(r.assigned.rate)}: ${r.assigned.ready} of ${r.assigned.stories} stories in the next ${r.horizon.iterations} iterations ready`,
    `  readiness, ranked    ${pct(r.ranked.rate)}: ${r.ranked.ready} of the top ${r.ranked.stories} stories filling ${num(r.ranked.capacity, " points")}`,
    `  ready depth          ${num(r.depth, " iterations")} (${r.readyPoints} ready points)`,
    `  acceptance (PI)      ${pct(m.pis.at(-1)?.acceptanceRate ?? null)}`,
    `  rework (PI)          ${reworkText(m.rework)}`,
    `  velocity             ${num(m.velocity.average)} average ± ${num(m.velocity.deviation)}, last three ${num(m.velocity.recentAverage)}`,
    `  say/do (PI)          ${pct(m.pis.at(-1)?.sayDo ?? null)}`,
    `  predictability       ${pct(f.predictability)}`,
    `  flow time            ${f.time.percentiles ? `p50 ${f.time.percentiles.p50}, p85 ${f.time.percentiles.p85}, p95 ${f.time.percentiles.p95} days` : "no data"} (${f.time.count} stories)`,
    `  flow efficiency      ${pct(f.efficiency.percent)} (${f.efficiency.blockedDays} days blocked)`,
    `  flow load            ${f.load.current} in progress now, ${num(f.load.average)} on average`,
    `  flow distribution    ${f.distribution.map((d) => `${d.type} ${d.percent} %`).join(", ")}`,
    "",
    "  iteration            ready@start  planned  accepted  rate      added  removed  carried  velocity  say/do",
    ...m.iterations.map(
      (i) =>
        `  ${`${i.name}${i.completed ? "" : " (running)"}`.padEnd(20)} ${pct(i.readiness.rate).padEnd(11)}  ${String(i.planned.stories).padStart(7)}  ${String(i.accepted.stories).padStart(8)}  ${pct(i.acceptanceRate).padEnd(8)}  ${String(i.added.stories).padStart(5)}  ${String(i.removed).padStart(7)}  ${String(i.carriedOver).padStart(7)}  ${String(i.velocity).padStart(8)}  ${pct(i.sayDo)}`,
    ),
  ];
  return lines.join("\n");
}

export function forecastText(f: Forecast): string {
  const lines = [`Forecast as of ${f.asOf}, ${f.trials} trials. ${f.assumption}`, ""];
  for (const t of f.teams) lines.push(`  ${t.key}: ${t.finished} stories finished in the last ${t.days} days`);
  if (f.fit) {
    const s = f.fit.stories;
    lines.push(
      "",
      `  by the PI's end (${f.fit.daysLeft} days): ${s.p95} stories at 95 %, ${s.p85} at 85 %, ${s.p50} at 50 %`,
    );
  }
  if (f.features.length) lines.push("", "  feature     remaining  50 %        85 %        95 %");
  for (const x of f.features) {
    const dates = x.dates ? `${x.dates.p50}  ${x.dates.p85}  ${x.dates.p95}` : (x.problem ?? "");
    lines.push(`  ${x.key.padEnd(10)}  ${String(x.remaining).padStart(9)}  ${dates}`);
  }
  return lines.join("\n");
}

export function inspectAdaptText(v: InspectAdapt): string {
  const row = (r: InspectAdapt["train"]) =>
    `  ${r.key.padEnd(10)}  ${pct(r.predictability).padEnd(9)}  ${pct(r.acceptanceRate).padEnd(9)}  ${pct(r.reworkRatio).padEnd(9)}  ${String(r.velocity).padStart(8)}  ${pct(r.sayDo).padEnd(9)}  ${num(r.flowTimeP85, " d").padEnd(8)}  ${pct(r.flowEfficiency).padEnd(9)}  ${r.throughput}`;
  return [
    `Inspect & adapt: ${v.pi.name}, as of ${v.asOf}`,
    "  team        predict.   accept.    rework     velocity  say/do     flow p85  efficiency throughput",
    ...v.teams.map(row),
    row(v.train),
  ].join("\n");
}

interface Options {
  art: string;
  team?: string;
  pi?: string;
  asOf?: string;
  horizon?: string;
  pis?: string;
  trials?: string;
  json?: boolean;
}

/** The query as the API takes it, from the flags given. */
const queryOf = (o: Options, keys: readonly (keyof Options)[]) =>
  Object.fromEntries(keys.flatMap((k) => (typeof o[k] === "string" ? [[k, o[k] as string]] : [])));

export function addMetricsCommands(program: Command, cx: CliContext): void {
  const common = (c: Command) =>
    c
      .requiredOption("--art <art>", "ART key or id")
      .option("--pi <pi>", "PI name or id (default: the PI running at --as-of)")
      .option("--as-of <date>", "recompute from history as it stood at the end of this day (yyyy-mm-dd)")
      .option("--json", "print JSON");
  common(
    program
      .command("metrics")
      .description(
        "backlog health and flow metrics of a team or the train: readiness, acceptance, rework, velocity, say/do, " +
          "predictability, flow (database or server)",
      )
      .option("--team <team>", "one team (key or id); default: the whole train")
      .option("--horizon <n>", "upcoming iterations the readiness rate covers (default 2)")
      .option("--pis <n>", "PIs of trend up to the chosen one (default 3)"),
  ).action((o: Options) =>
    cx.withBackend(async (backend) => {
      const m = await backend.metrics(o.art, queryOf(o, ["team", "pi", "asOf", "horizon", "pis"]));
      print(Boolean(o.json), m, () => metricsText(m));
    }),
  );
  common(
    program
      .command("forecast")
      .description("Monte Carlo forecasts: how much of the ranked backlog fits in the PI, when features finish")
      .option("--team <team>", "one team (key or id); default: the whole train")
      .option("--trials <n>", "trials (default 10000)"),
  ).action((o: Options) =>
    cx.withBackend(async (backend) => {
      const f = await backend.forecast(o.art, queryOf(o, ["team", "pi", "asOf", "trials"]));
      print(Boolean(o.json), f, () => forecastText(f));
    }),
  );
  common(
    program
      .command("inspect-adapt")
      .description("inspect & adapt: each team's predictability, acceptance, rework and flow in a PI side by side"),
  ).action((o: Options) =>
    cx.withBackend(async (backend) => {
      const v = await backend.inspectAdapt(o.art, queryOf(o, ["pi", "asOf"]));
      print(Boolean(o.json), v, () => inspectAdaptText(v));
    }),
  );
}
