// `trainyard deps …` (list an ART's dependencies with their health, add, commit, deliver, decline, remove one),
// `trainyard pi board` (the program board of a PI) and the proposal behind `trainyard pi plan --propose [--accept]`
// (`proposalCommand`, which `pi plan` calls). On the database (as its operator) or on a server (with a personal API
// token), printing the same either way.
import { type Command, Option } from "commander";
import { invalid } from "../core/errors.js";
import { DEPENDENCY_HEALTH, DEPENDENCY_STATES } from "../core/pi-planning.js";
import type { DepEnd, Dependency, DependencyList, IterRef } from "../use-cases/dependencies.js";
import type { ProgramBoard } from "../use-cases/program-board.js";
import type { PlanProposalView } from "../use-cases/propose-plan.js";
import type { Backend } from "./backend.js";
import type { CliContext } from "./context.js";
import { print } from "./output.js";

const iterName = (it: IterRef | null) => (it ? it.name : "unplanned");

/** An end as "KEY (team, iteration)", naming the team when its key is known. */
function endText(e: DepEnd, teams: Map<string, string>): string {
  const team = e.teamId ? teams.get(e.teamId) : undefined;
  return `${e.key} (${team ? `${team}, ` : ""}${iterName(e.iteration)})`;
}

export function dependencyLine(d: Dependency, teams = new Map<string, string>()): string {
  const by = d.neededBy ? ` by ${d.neededBy.name}` : "";
  const planned = d.plannedIteration ? `, committed for ${d.plannedIteration.name}` : "";
  const declined = d.declineReason ? `, declined: ${d.declineReason}` : "";
  const flags = [d.crossTeam ? "cross-team" : "", d.inCycle ? "in a cycle" : ""].filter(Boolean).join(", ");
  return [
    `${d.health.padEnd(9)} ${d.state.padEnd(9)} ${endText(d.consumer, teams)} depends on ${endText(d.provider, teams)}`,
    `          needs "${d.needed}"${by}${planned}${declined}${flags ? ` [${flags}]` : ""}  id ${d.id} v${d.version}`,
  ].join("\n");
}

export function dependencyListText(art: string, list: DependencyList): string {
  if (list.dependencies.length === 0) return `${art}: no dependencies.`;
  const n = list.dependencies.length;
  return [
    ...list.dependencies.map((d) => dependencyLine(d)),
    "",
    `${art}: ${n} ${n === 1 ? "dependency" : "dependencies"}; ${list.uncommittedCrossTeam} cross-team not committed yet` +
      (list.cycles.length
        ? `; ${list.cycles.length} cycle(s): ${list.cycles.map((c) => c.join(" → ")).join("; ")}`
        : ""),
  ].join("\n");
}

export function boardText(board: ProgramBoard): string {
  const lines = [`Program board of ${board.pi.name} (${board.pi.startDate} – ${board.pi.endDate})`];
  const its = board.iterations;
  for (const t of board.teams) {
    lines.push("", `${t.key} (${t.name})`);
    for (const it of its) {
      const l = board.load.find((x) => x.teamId === t.id && x.iterationId === it.id);
      const features = board.features.filter((f) => f.teamId === t.id && f.iterationId === it.id).map((f) => f.key);
      const cap = l?.capacity ?? "-";
      const over = l?.overloaded ? " OVERLOADED" : "";
      lines.push(`  ${it.name.padEnd(14)} ${`${l?.load ?? 0}/${cap} pts`.padEnd(12)}${over} ${features.join(", ")}`);
    }
    const unplanned = board.features.filter((f) => f.teamId === t.id && f.iterationId === null).map((f) => f.key);
    if (unplanned.length) lines.push(`  ${"not planned".padEnd(14)} ${unplanned.join(", ")}`);
  }
  if (board.milestones.length) {
    lines.push("", "Milestones:", ...board.milestones.map((m) => `  ${m.date}  ${m.name}`));
  }
  if (board.dependencies.length) {
    const teams = new Map(board.teams.map((t) => [t.id, t.key]));
    lines.push("", "Dependencies:", ...board.dependencies.map((d) => dependencyLine(d, teams)));
  }
  return lines.join("\n");
}

export function proposalText(art: string, pi: string, p: PlanProposalView): string {
  const lines = [
    `Proposed plan for ${art} ${pi}: ${p.moves.length} ${p.moves.length === 1 ? "move" : "moves"}, ${p.kept} kept, ${p.unplaced.length} unplaced`,
    ...p.moves.map(
      (m) =>
        `  ${m.item.key.padEnd(10)} ${`${m.item.points ?? "-"} pts`.padEnd(8)} ${iterName(m.from)} → ${iterName(m.to)}: ${m.reason}`,
    ),
  ];
  if (p.unplaced.length) {
    lines.push("", "Not placed:", ...p.unplaced.map((u) => `  ${u.item.key.padEnd(10)} ${u.reason}`));
  }
  const overloaded = p.load.filter((l) => l.capacity !== null && l.after > l.capacity);
  lines.push(
    "",
    `Load after: ${p.load.filter((l) => l.after > 0).length} team iterations loaded${overloaded.length ? `, ${overloaded.length} over capacity (kept as planned)` : ""}`,
  );
  return lines.join("\n");
}

export interface ProposalOptions {
  order?: string;
  team?: string;
  json?: boolean;
  accept?: boolean;
}

/**
 * `trainyard pi plan ART PI --propose [--order rank] [--team KEY] [--json] [--accept]`: prints the proposed plan, and
 * with --accept applies all its moves in one transaction (each on the version it was proposed on).
 */
export async function proposalCommand(cx: CliContext, art: string, pi: string, o: ProposalOptions): Promise<void> {
  if (o.order !== undefined && o.order !== "wsjf" && o.order !== "rank") throw invalid("order", "say wsjf or rank");
  await cx.withBackend(async (backend: Backend) => {
    const query = { ...(o.order ? { order: o.order } : {}), ...(o.team ? { team: o.team } : {}) };
    const proposal = await backend.proposePlan(art, pi, query);
    if (!o.accept) {
      print(Boolean(o.json), proposal, () => proposalText(art, pi, proposal));
      return;
    }
    if (proposal.moves.length === 0) {
      print(Boolean(o.json), { proposal, items: [] }, () => `${proposalText(art, pi, proposal)}\n\nNothing to move.`);
      return;
    }
    const moves = proposal.moves.map((m) => ({
      item: m.item.id,
      iteration: m.to?.id ?? null,
      version: m.item.version,
    }));
    const { items } = await backend.acceptPlan(art, pi, { moves });
    print(
      Boolean(o.json),
      { proposal, items },
      () =>
        `${proposalText(art, pi, proposal)}\n\nAccepted: moved ${items.length} ${items.length === 1 ? "story" : "stories"}.`,
    );
  });
}

/** A command of `program` by name, made (with `description`) when nobody made it yet. */
function commandNamed(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/** Changes a dependency on its current version (or `version`), printing it. */
async function change(
  backend: Backend,
  id: string,
  fields: Record<string, unknown>,
  o: { version?: string; json?: boolean },
) {
  const version = o.version !== undefined ? Number(o.version) : (await backend.getDependency(id)).version;
  if (!Number.isInteger(version) || version < 1) throw invalid("version", "a version number, e.g. 3");
  const d = await backend.changeDependency(id, { ...fields, version });
  print(Boolean(o.json), d, () => dependencyLine(d));
}

export function addDependencyCommands(program: Command, cx: CliContext): void {
  const deps = program
    .command("deps")
    .description(
      "cross-team dependencies: list with health, add, commit, deliver, decline, remove (database or server)",
    );
  deps
    .command("list <art>")
    .description("an ART's dependencies with their health from the plan, cycles and uncommitted cross-team ones")
    .option("--pi <pi>", "only those with an end in this PI (name or id)")
    .addOption(new Option("--health <health>", "only this health").choices([...DEPENDENCY_HEALTH]))
    .option("--team <team>", "only those with an end on this team (key or id)")
    .addOption(new Option("--state <state>", "only this state").choices([...DEPENDENCY_STATES]))
    .option("--cross-team", "only cross-team ones")
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        o: { pi?: string; health?: string; team?: string; state?: string; crossTeam?: boolean; json?: boolean },
      ) =>
        cx.withBackend(async (backend) => {
          const query = {
            ...(o.pi ? { pi: o.pi } : {}),
            ...(o.health ? { health: o.health } : {}),
            ...(o.team ? { team: o.team } : {}),
            ...(o.state ? { state: o.state } : {}),
            ...(o.crossTeam ? { crossTeam: "true" } : {}),
          };
          const list = await backend.listDependencies(art, query);
          print(Boolean(o.json), list, () => dependencyListText(art, list));
        }),
    );
  deps
    .command("add <art> <consumer> <provider>")
    .description("the consumer (item key) depends on the provider: what is needed, by which iteration")
    .requiredOption("--needed <text>", "what the consumer needs from the provider")
    .option("--by <iteration>", "the iteration it is needed by ('PI name/number' or id)")
    .option("--json", "print JSON")
    .action((art: string, consumer: string, provider: string, o: { needed: string; by?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const d = await backend.createDependency(art, {
          consumer,
          provider,
          needed: o.needed,
          ...(o.by ? { neededBy: o.by } : {}),
        });
        print(Boolean(o.json), d, () => `Added: ${dependencyLine(d)}`);
      }),
    );
  deps
    .command("commit <id>")
    .description("the provider commits to deliver in an iteration")
    .requiredOption("--iteration <iteration>", "the iteration ('PI name/number' or id)")
    .option("--version <n>", "fail if the dependency changed since this version")
    .option("--json", "print JSON")
    .action((id: string, o: { iteration: string; version?: string; json?: boolean }) =>
      cx.withBackend((backend) => change(backend, id, { state: "committed", plannedIteration: o.iteration }, o)),
    );
  deps
    .command("deliver <id>")
    .description("the provider delivered what was needed")
    .option("--version <n>", "fail if the dependency changed since this version")
    .option("--json", "print JSON")
    .action((id: string, o: { version?: string; json?: boolean }) =>
      cx.withBackend((backend) => change(backend, id, { state: "delivered" }, o)),
    );
  deps
    .command("decline <id>")
    .description("the provider declines, with the reason")
    .requiredOption("--reason <text>", "why")
    .option("--version <n>", "fail if the dependency changed since this version")
    .option("--json", "print JSON")
    .action((id: string, o: { reason: string; version?: string; json?: boolean }) =>
      cx.withBackend((backend) => change(backend, id, { state: "declined", declineReason: o.reason }, o)),
    );
  deps
    .command("remove <id>")
    .description("remove a dependency (and its depends-on relation)")
    .option("--version <n>", "fail if the dependency changed since this version")
    .action((id: string, o: { version?: string }) =>
      cx.withBackend(async (backend) => {
        const version = o.version !== undefined ? Number(o.version) : (await backend.getDependency(id)).version;
        await backend.removeDependency(id, version);
        process.stdout.write(`Removed dependency ${id}.\n`);
      }),
    );

  const pi = commandNamed(program, "pi", "program increments: plans, capacity, the board (on a database or a server)");
  pi.command("board <art> <pi>")
    .description("the program board: features per team and iteration, load vs capacity, milestones, dependencies")
    .option("--team <team>", "only this team's row and dependencies")
    .option("--json", "print JSON")
    .action((art: string, piRef: string, o: { team?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const board = await backend.programBoard(art, piRef, o.team ? { team: o.team } : {});
        print(Boolean(o.json), board, () => boardText(board));
      }),
    );
}
