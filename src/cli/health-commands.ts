// `trainyard health`: the backlog health check of an ART's team backlogs (or one team) and of the train, on the
// database (as its operator) or on a server (with a personal API token): readiness against the next two iterations'
// capacity, ready depth, quality findings by rule and the problems to work on with their items.
import type { Command } from "commander";
import type { HealthProblem, ReadinessRate, TeamHealth, TrainHealth } from "../core/backlog-health.js";
import type { BacklogHealth } from "../use-cases/backlog-health.js";
import type { CliContext } from "./context.js";
import { print } from "./output.js";

/** How many item keys a problem line lists before "and N more". */
const KEYS_SHOWN = 8;

const percent = (r: ReadinessRate) => (r.rate === null ? "no data" : `${Math.round(r.rate * 1000) / 10} %`);
const stories = (n: number) => `${n} ${n === 1 ? "story" : "stories"}`;

function keysOf(p: HealthProblem): string {
  if (p.items.length === 0) return "";
  const shown = p.items.slice(0, KEYS_SHOWN).map((i) => i.key);
  const more = p.items.length - shown.length;
  return `: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

function depthText(d: TeamHealth["readyDepth"]): string {
  if (d.iterations === null) return `no data (${d.points} ready points, no capacity)`;
  return `${d.iterations} iterations (${d.points} ready points; ${d.healthy ? "healthy" : "healthy: 2 or more"})`;
}

function problemsText(problems: readonly HealthProblem[]): string[] {
  if (problems.length === 0) return ["  no problems"];
  return problems.map((p) => `  ${p.severity === "error" ? "error  " : "warning"}  ${p.label}${keysOf(p)}`);
}

function teamText(t: TeamHealth): string[] {
  const c = t.capacityPerIteration;
  const { planned, ranked } = t.readiness;
  const capacity =
    c.points === null ? "none: no velocity yet and none set" : `${c.points} points per iteration (${c.source})`;
  const filling = ranked.capacityPoints === null ? "" : ` filling ${ranked.capacityPoints} points`;
  return [
    `${t.team.key} (${t.team.name})`,
    `  capacity         ${capacity}`,
    `  ready, planned   ${percent(planned)}: ${planned.ready} of ${stories(planned.of)} planned for the next two`,
    `  ready, ranked    ${percent(ranked)}: ${ranked.ready} of the top ${stories(ranked.of)}${filling}`,
    `  ready depth      ${depthText(t.readyDepth)}`,
    `  open stories     ${t.openStories}`,
    ...problemsText(t.problems),
  ];
}

function trainText(t: TrainHealth): string[] {
  const { planned, ranked } = t.readiness;
  const without = t.teamsWithoutCapacity.length > 0 ? `; no capacity: ${t.teamsWithoutCapacity.join(", ")}` : "";
  const capacity = t.capacityPerIteration === null ? "none" : `${t.capacityPerIteration} points per iteration`;
  return [
    `train (${t.teams === 1 ? "1 team" : `${t.teams} teams`})`,
    `  capacity         ${capacity}${without}`,
    `  ready, planned   ${percent(planned)}: ${planned.ready} of ${stories(planned.of)}`,
    `  ready, ranked    ${percent(ranked)}: ${ranked.ready} of ${stories(ranked.of)}`,
    `  ready depth      ${depthText(t.readyDepth)}`,
    `  open stories     ${t.openStories}`,
    ...problemsText(t.problems),
  ];
}

/** The health check as text: the horizon, each team, then the train. */
export function healthText(art: string, h: BacklogHealth): string {
  const horizon = h.train.horizon.map((it) => `${it.name} (${it.startDate})`).join(", ");
  return [
    `${art} backlog health on ${h.asOf}; next iterations: ${horizon || "none planned"}`,
    ...h.teams.flatMap((t) => ["", ...teamText(t)]),
    "",
    ...trainText(h.train),
  ].join("\n");
}

export function addHealthCommands(program: Command, cx: CliContext): void {
  program
    .command("health")
    .description(
      "backlog health per team and for the train: readiness against the next two iterations' capacity, ready depth, " +
        "quality findings, oversized, featureless and stale stories, features without stories (database or server)",
    )
    .requiredOption("--art <art>", "ART key or id")
    .option("--team <team>", "only this team (key or id)")
    .option("--json", "print JSON")
    .action((o: { art: string; team?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const health = await backend.backlogHealth(o.art, o.team);
        print(Boolean(o.json), health, () => healthText(o.art, health));
      }),
    );
}
