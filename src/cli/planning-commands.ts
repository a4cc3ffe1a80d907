// `trainyard pi …`, `trainyard objective …`, `trainyard risks` and `trainyard risk …`: PIs and their allocation
// policy, each team's capacity per iteration, the plan's load against capacity (and, with --propose, the planner's
// proposal), PI objectives with business value, ROAMed risks and the confidence vote. On the database (as its
// operator) or on a server (with a personal API token), printing the same either way.
import { type Command, Option } from "commander";
import { invalid } from "../core/errors.js";
import { ROAM_STATES } from "../core/pi-planning.js";
import type { Art, ProgramIncrement } from "../core/train.js";
import type { ConfidenceResult, ConfidenceView } from "../use-cases/confidence-vote.js";
import type { Objective, ObjectivesView, Predictability } from "../use-cases/pi-objectives.js";
import type { Risk, RiskList } from "../use-cases/risks.js";
import type { TeamCapacity } from "../use-cases/team-capacity.js";
import type { PiPlanView } from "../use-cases/team-plan.js";
import type { Backend } from "./backend.js";
import type { CliContext } from "./context.js";
import { proposalCommand } from "./dependency-commands.js";
import { print } from "./output.js";

/** A command of `program` by name, made (with `description`) when nobody made it yet. */
function commandNamed(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

const collect = (value: string, previous: string[]) => [...previous, value];

function wholeNumber(raw: string, field: string, hint: string): number {
  if (!/^\s*\d+\s*$/.test(raw)) throw invalid(field, `'${raw}' is not a whole number: say ${hint}`);
  return Number(raw);
}
function number(raw: string, field: string, hint: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw)) throw invalid(field, `'${raw}' is not a number: say ${hint}`);
  return Number(raw);
}

/** A person on a team for an iteration, from "Name:availability:daysOff" (availability and days off optional). */
export function parseMember(raw: string): { name: string; availability: number; daysOff: number } {
  const [name = "", availability = "100", daysOff = "0", ...rest] = raw.split(":").map((p) => p.trim());
  if (!name || rest.length > 0) {
    throw invalid("member", `'${raw}' is not Name:availability:daysOff, e.g. "Ana:80:2"`);
  }
  return {
    name,
    availability: number(availability || "100", "member", "a percent, e.g. Ana:80:2"),
    daysOff: number(daysOff || "0", "member", "days off, e.g. Ana:80:2"),
  };
}

/** An iteration of a PI as the API takes it: a number within the PI becomes "PI name/number"; else as given. */
const iterationRef = (pi: string, ref: string) => (/^\d+$/.test(ref) ? `${pi}/${ref}` : ref);

async function piOf(backend: Backend, art: string, piRef: string): Promise<{ art: Art; pi: ProgramIncrement }> {
  const train = await backend.train(art);
  const pi = train.pis.find((p) => p.id === piRef || p.name === piRef);
  if (!pi)
    throw invalid(
      "pi",
      `no PI '${piRef}' in ${train.key} (its PIs: ${train.pis.map((p) => p.name).join(", ") || "none"})`,
    );
  return { art: train, pi };
}

// ── Text output ──────────────────────────────────────────────────────────────────────────────────────────────────

const allocationText = (a: ProgramIncrement["allocation"]) =>
  a ? `business ${a.business}%, enabler ${a.enabler}%, maintenance ${a.maintenance}%` : "no allocation policy";

export function piListText(art: Art): string {
  if (art.pis.length === 0) return `${art.key} has no PIs.`;
  return art.pis
    .flatMap((pi) => [
      `${pi.name}  ${pi.startDate} – ${pi.endDate}  (${allocationText(pi.allocation)}; version ${pi.version})`,
      ...pi.iterations.map(
        (it) =>
          `  ${String(it.number).padStart(2)}. ${it.name.padEnd(14)} ${it.startDate} – ${it.endDate}${it.kind === "ip" ? "  IP" : ""}`,
      ),
    ])
    .join("\n");
}

const teamName = (art: Art, teamId: string) => art.teams.find((t) => t.id === teamId)?.key ?? teamId;
const iterationName = (pi: ProgramIncrement, id: string) => pi.iterations.find((it) => it.id === id)?.name ?? id;
const pts = (n: number | null) => (n === null ? "-" : String(Math.round(n * 10) / 10));

export function capacityText(art: Art, pi: ProgramIncrement, teams: TeamCapacity[]): string {
  return teams
    .flatMap((t) => [
      `${teamName(art, t.teamId)}  velocity ${pts(t.velocity.average)}${t.velocity.recent.length ? ` (recent: ${t.velocity.recent.map((r) => r.points).join(", ")})` : ""}`,
      ...t.iterations.map((e) => {
        const from =
          e.capacity.source === "people"
            ? ` from ${e.members.length} people`
            : e.capacity.source === "points"
              ? " set"
              : "";
        return `  ${iterationName(pi, e.iterationId).padEnd(14)} ${pts(e.capacity.points).padStart(5)} pts${from}  (${e.workingDays} days)`;
      }),
    ])
    .join("\n");
}

export function planText(plan: PiPlanView): string {
  const lines: string[] = [];
  for (const team of plan.teams) {
    lines.push(`${team.key}  ${team.name}  (velocity ${pts(team.velocity.average)})`);
    for (const it of team.iterations) {
      const flag = it.overloaded ? "  OVERLOADED" : "";
      const unestimated = it.unestimated ? `, ${it.unestimated} unestimated` : "";
      lines.push(
        `  ${iterationName(plan.pi, it.iterationId).padEnd(14)} ${pts(it.load).padStart(5)} / ${pts(it.capacity.points).padEnd(5)} pts  ${it.stories.length} stories${unestimated}${flag}`,
      );
    }
    if (team.unplanned.length) {
      lines.push(
        `  unplanned: ${team.unplanned.length} stories, ${team.unplanned.reduce((n, s) => n + (s.points ?? 0), 0)} pts`,
      );
    }
  }
  const a = plan.allocation;
  lines.push(`Allocation (${allocationText(a.policy)}), capacity ${pts(a.capacity)} pts:`);
  for (const s of a.shares) {
    const limit =
      s.limit === null || s.policyShare === null
        ? ""
        : `; limit ${pts(s.limit)} pts (${Math.round(s.policyShare * 100)}%)`;
    lines.push(
      `  ${s.kind.padEnd(12)} ${pts(s.points).padStart(5)} pts  ${Math.round(s.share * 100)}% of planned${limit}${s.over ? "  OVER" : ""}`,
    );
  }
  return lines.join("\n");
}

const predictabilityText = (p: Predictability) =>
  p.percent === null
    ? p.planned === 0
      ? "no planned value"
      : "no actual value yet"
    : `${Math.round(p.percent)}% (${p.actual} of ${p.planned}; ${p.band})`;

export function objectiveLine(o: Objective): string {
  const value = `BV ${o.plannedValue ?? "-"}${o.actualValue === null ? "" : ` → ${o.actualValue}`}`;
  return `${o.id}  ${o.committed ? "committed  " : "uncommitted"}  ${value.padEnd(10)} ${o.title}`;
}

export function objectivesText(art: Art, view: ObjectivesView): string {
  const groups = [null, ...art.teams.map((t) => t.id)];
  const lines: string[] = [];
  for (const teamId of groups) {
    const own = view.objectives.filter((o) => o.teamId === teamId);
    const p = view.predictability.teams.find((x) => x.teamId === teamId);
    if (own.length === 0 && !p) continue;
    lines.push(
      `${teamId === null ? "Train" : teamName(art, teamId)}${p ? `  predictability ${predictabilityText(p)}` : ""}`,
    );
    lines.push(...own.map((o) => `  ${objectiveLine(o)}`));
  }
  lines.push(`Train predictability: ${predictabilityText(view.predictability.train)}`);
  return lines.join("\n");
}

export const riskLine = (r: Risk) =>
  `${r.id}  ${r.roam.padEnd(9)}  ${r.title}${r.owner ? `  (owner: ${r.owner.name})` : ""}${r.items.length ? `  [${r.items.map((i) => i.key).join(", ")}]` : ""}`;

export const risksText = (list: RiskList) =>
  [...list.risks.map(riskLine), ROAM_STATES.map((s) => `${s} ${list.counts[s] ?? 0}`).join(", ")].join("\n");

const confidenceLine = (label: string, r: ConfidenceResult) =>
  `${label.padEnd(12)} ${r.average === null ? "no votes" : `${Math.round(r.average * 10) / 10} from ${r.votes} votes`}  [${r.distribution.join(" ")}]${r.mine === null ? "" : `  your vote: ${r.mine}`}`;

export const confidenceText = (art: Art, view: ConfidenceView) =>
  [confidenceLine("Train", view.train), ...view.teams.map((t) => confidenceLine(teamName(art, t.teamId), t))].join(
    "\n",
  );

// ── Commands ─────────────────────────────────────────────────────────────────────────────────────────────────────

interface PlanFlags {
  team?: string;
  json?: boolean;
  propose?: boolean;
  order?: string;
  accept?: boolean;
}

export function addPlanningCommands(program: Command, cx: CliContext): void {
  const pi = commandNamed(program, "pi", "program increments: plan, capacity, objectives, confidence");

  pi.command("list <art>")
    .description("an ART's PIs with their iterations and allocation policy")
    .option("--json", "print JSON")
    .action((art: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const train = await backend.train(art);
        print(Boolean(o.json), train.pis, () => piListText(train));
      }),
    );

  pi.command("create <art> <name>")
    .description("add a PI with its iterations (the last is the Innovation & Planning iteration)")
    .requiredOption("--start <date>", "its first day, yyyy-mm-dd")
    .option("--iterations <n>", "how many iterations", "5")
    .option("--weeks <n>", "weeks per iteration", "2")
    .option("--json", "print JSON")
    .action((art: string, name: string, o: { start: string; iterations: string; weeks: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const created = await backend.createPi(art, {
          name,
          startDate: o.start,
          iterations: wholeNumber(o.iterations, "iterations", "a count, e.g. 5"),
          iterationWeeks: wholeNumber(o.weeks, "weeks", "weeks, e.g. 2"),
        });
        print(
          Boolean(o.json),
          created,
          () =>
            `Created ${created.name}: ${created.startDate} – ${created.endDate}, ${created.iterations.length} iterations.`,
        );
      }),
    );

  pi.command("allocation <art> <pi>")
    .description("set a PI's capacity allocation policy: percent per kind of work, adding up to 100")
    .option("--business <percent>", "business features")
    .option("--enabler <percent>", "enablers")
    .option("--maintenance <percent>", "maintenance: defects and technical debt")
    .option("--clear", "remove the policy")
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        piRef: string,
        o: { business?: string; enabler?: string; maintenance?: string; clear?: boolean; json?: boolean },
      ) =>
        cx.withBackend(async (backend) => {
          const { pi: current } = await piOf(backend, art, piRef);
          let allocation: Record<string, number> | null = null;
          if (!o.clear) {
            const percent = (raw: string | undefined, field: string) =>
              wholeNumber(raw ?? "0", field, "a whole percent, e.g. 20");
            if (o.business === undefined && o.enabler === undefined && o.maintenance === undefined) {
              throw invalid("allocation", "say --business, --enabler and --maintenance percents, or --clear");
            }
            allocation = {
              business: percent(o.business, "business"),
              enabler: percent(o.enabler, "enabler"),
              maintenance: percent(o.maintenance, "maintenance"),
            };
          }
          const saved = await backend.updatePi(art, current.id, { version: current.version, allocation });
          print(Boolean(o.json), saved, () => `${saved.name}: ${allocationText(saved.allocation)}.`);
        }),
    );

  const capacity = pi
    .command("capacity")
    .description("each team's capacity per iteration of a PI, with its velocity; `pi capacity set` to set one")
    .argument("<art>")
    .argument("<pi>")
    .option("--team <team>", "only this team (key or id)")
    .option("--json", "print JSON")
    .action((art: string, piRef: string, o: { team?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const { art: train, pi: found } = await piOf(backend, art, piRef);
        const result = await backend.capacity(art, found.id, o.team ? { team: o.team } : {});
        print(Boolean(o.json), result, () => capacityText(train, found, result.teams));
      }),
    );
  capacity
    .command("set <art> <pi> <team> <iteration>")
    .description(
      'set a team\'s capacity in an iteration (its number in the PI, or id): --points N, or --member "Name:availability:daysOff" per person',
    )
    .option("--points <n>", "capacity in points (wins over the people); 'none' to count from the people")
    .option(
      "--member <spec>",
      'a person: "Name:availability:daysOff", e.g. "Ana:80:2" (repeat)',
      collect,
      [] as string[],
    )
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        piRef: string,
        team: string,
        iteration: string,
        o: { points?: string; member: string[]; json?: boolean },
      ) =>
        cx.withBackend(async (backend) => {
          if (o.points === undefined && o.member.length === 0) {
            throw invalid("points", 'say --points N or --member "Name:availability:daysOff"');
          }
          const { pi: found } = await piOf(backend, art, piRef);
          const ref = iterationRef(found.name, iteration);
          const it = found.iterations.find((i) => i.id === ref || `${found.name}/${i.number}` === ref);
          if (!it) throw invalid("iteration", `no iteration '${iteration}' in ${found.name}`);
          const current = (await backend.capacity(art, found.id, { team })).teams[0]?.iterations.find(
            (e) => e.iterationId === it.id,
          );
          const input: Record<string, unknown> = { version: current?.version ?? 0 };
          if (o.member.length > 0) input.members = o.member.map(parseMember);
          if (o.points !== undefined) {
            input.points =
              o.points.trim().toLowerCase() === "none" ? null : number(o.points, "points", "points, e.g. 40");
          }
          const saved = await backend.setCapacity(art, team, it.id, input);
          print(
            Boolean(o.json),
            saved,
            () =>
              `${team} in ${found.name} ${it.name}: ${pts(saved.capacity.points)} points (${saved.capacity.source ?? "not set"}).`,
          );
        }),
    );

  pi.command("plan <art> <pi>")
    .description(
      "the plan of a PI: load against capacity per team and iteration, overloads flagged; --propose for the planner's proposal",
    )
    .option("--team <team>", "only this team (key or id)")
    .option("--propose", "propose a plan that fits capacity, dependencies and the allocation policy")
    .addOption(
      new Option("--order <order>", "with --propose: the order stories are planned in").choices(["wsjf", "rank"]),
    )
    .option("--accept", "with --propose: accept the proposed moves")
    .option("--json", "print JSON")
    .action(async (art: string, piRef: string, o: PlanFlags) => {
      if (o.propose) {
        return proposalCommand(cx, art, piRef, o);
      }
      if (o.accept || o.order) throw invalid("propose", "--order and --accept go with --propose");
      return cx.withBackend(async (backend) => {
        const { pi: found } = await piOf(backend, art, piRef);
        const plan = await backend.piPlan(art, found.id, o.team ? { team: o.team } : {});
        print(Boolean(o.json), plan, () => planText(plan));
      });
    });

  pi.command("objectives <art> <pi>")
    .description("a PI's objectives per team and of the train, with predictability")
    .option("--json", "print JSON")
    .action((art: string, piRef: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const { art: train, pi: found } = await piOf(backend, art, piRef);
        const view = await backend.objectives(art, found.id);
        print(Boolean(o.json), view, () => objectivesText(train, view));
      }),
    );

  pi.command("vote <art> <pi> <value>")
    .description("vote 1–5 (fist of five) for a team or the train; a later vote replaces your earlier one")
    .option("--team <team>", "the team you vote for (key or id)")
    .option("--train", "vote for the train")
    .option("--json", "print JSON")
    .action((art: string, piRef: string, value: string, o: { team?: string; train?: boolean; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        if (Boolean(o.team) === Boolean(o.train)) throw invalid("scope", "say --team KEY or --train");
        const { art: train, pi: found } = await piOf(backend, art, piRef);
        const view = await backend.voteConfidence(art, found.id, {
          scope: o.team ?? "train",
          value: wholeNumber(value, "value", "1 to 5"),
        });
        print(Boolean(o.json), view, () => confidenceText(train, view));
      }),
    );

  pi.command("confidence <art> <pi>")
    .description("the confidence vote of a PI, per team and for the train")
    .option("--json", "print JSON")
    .action((art: string, piRef: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const { art: train, pi: found } = await piOf(backend, art, piRef);
        const view = await backend.confidence(art, found.id);
        print(Boolean(o.json), view, () => confidenceText(train, view));
      }),
    );

  const objective = commandNamed(program, "objective", "write, change and remove PI objectives");
  objective
    .command("add <art> <pi> <title>")
    .description("write a PI objective of a team (--team) or of the train")
    .option("--team <team>", "the team (key or id); without it, the train's objective")
    .option("--uncommitted", "a stretch objective")
    .option("--value <bv>", "planned business value, 1–10 (Business Owners, Product Managers)")
    .option("--description <text>", "more about it")
    .option("--feature <feature>", "a feature it comes from (key or id; repeat)", collect, [] as string[])
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        piRef: string,
        title: string,
        o: {
          team?: string;
          uncommitted?: boolean;
          value?: string;
          description?: string;
          feature: string[];
          json?: boolean;
        },
      ) =>
        cx.withBackend(async (backend) => {
          const { pi: found } = await piOf(backend, art, piRef);
          const created = await backend.addObjective(art, found.id, {
            teamId: o.team ?? null,
            title,
            committed: !o.uncommitted,
            featureIds: o.feature,
            ...(o.description !== undefined ? { description: o.description } : {}),
            ...(o.value !== undefined ? { plannedValue: wholeNumber(o.value, "value", "1 to 10") } : {}),
          });
          print(Boolean(o.json), created, () => `Added objective ${objectiveLine(created)}`);
        }),
    );
  objective
    .command("set <art> <pi> <id>")
    .description("change a PI objective: its title, commitment, features, planned or actual business value")
    .option("--title <title>", "its title")
    .option("--description <text>", "more about it")
    .option("--committed", "committed")
    .option("--uncommitted", "uncommitted (stretch)")
    .option("--value <bv>", "planned business value, 1–10, or none")
    .option("--actual <bv>", "actual business value achieved, 0–10, or none")
    .option("--feature <feature>", "the features it comes from (replaces them; repeat)", collect, [] as string[])
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        piRef: string,
        id: string,
        o: {
          title?: string;
          description?: string;
          committed?: boolean;
          uncommitted?: boolean;
          value?: string;
          actual?: string;
          feature: string[];
          json?: boolean;
        },
      ) =>
        cx.withBackend(async (backend) => {
          if (o.committed && o.uncommitted) throw invalid("committed", "say --committed or --uncommitted, not both");
          const { pi: found } = await piOf(backend, art, piRef);
          const current = (await backend.objectives(art, found.id)).objectives.find((x) => x.id === id);
          if (!current) throw invalid("id", `no objective '${id}' in ${found.name}`);
          const value = (raw: string, field: string, hint: string) =>
            raw.trim().toLowerCase() === "none" ? null : wholeNumber(raw, field, hint);
          const change: Record<string, unknown> = { version: current.version };
          if (o.title !== undefined) change.title = o.title;
          if (o.description !== undefined) change.description = o.description;
          if (o.committed || o.uncommitted) change.committed = Boolean(o.committed);
          if (o.value !== undefined) change.plannedValue = value(o.value, "value", "1 to 10, or none");
          if (o.actual !== undefined) change.actualValue = value(o.actual, "actual", "0 to 10, or none");
          if (o.feature.length > 0) change.featureIds = o.feature;
          const saved = await backend.updateObjective(id, change);
          print(Boolean(o.json), saved, () => `Changed objective ${objectiveLine(saved)}`);
        }),
    );
  objective
    .command("remove <art> <pi> <id>")
    .description("remove a PI objective")
    .action((art: string, piRef: string, id: string) =>
      cx.withBackend(async (backend) => {
        const { pi: found } = await piOf(backend, art, piRef);
        const current = (await backend.objectives(art, found.id)).objectives.find((x) => x.id === id);
        if (!current) throw invalid("id", `no objective '${id}' in ${found.name}`);
        await backend.removeObjective(id, current.version);
        process.stdout.write(`Removed objective “${current.title}”.\n`);
      }),
    );

  program
    .command("risks <art>")
    .description("an ART's risks, with how many are in each ROAM state")
    .option("--pi <pi>", "only this PI's (name or id)")
    .addOption(new Option("--roam <state>", "only those in this ROAM state").choices([...ROAM_STATES]))
    .option("--team <team>", "only this team's (key or id)")
    .option("--json", "print JSON")
    .action((art: string, o: { pi?: string; roam?: string; team?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const query: Record<string, string> = {};
        if (o.pi) query.pi = o.pi;
        if (o.roam) query.roam = o.roam;
        if (o.team) query.team = o.team;
        const list = await backend.risks(art, query);
        print(Boolean(o.json), list, () => risksText(list));
      }),
    );

  const risk = commandNamed(program, "risk", "record, ROAM and remove risks");
  risk
    .command("add <art> <title>")
    .description("record a risk of the train or of a team")
    .option("--pi <pi>", "the PI it is of (name or id)")
    .option("--team <team>", "the team it is of (key or id)")
    .option("--owner <person>", "who owns it (id or email)")
    .option("--item <item>", "an item it threatens (key or id; repeat)", collect, [] as string[])
    .option("--description <text>", "more about it")
    .addOption(new Option("--roam <state>", "its ROAM state").choices([...ROAM_STATES]))
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        title: string,
        o: {
          pi?: string;
          team?: string;
          owner?: string;
          item: string[];
          description?: string;
          roam?: string;
          json?: boolean;
        },
      ) =>
        cx.withBackend(async (backend) => {
          const created = await backend.addRisk(art, {
            title,
            itemIds: o.item,
            ...(o.pi ? { piId: o.pi } : {}),
            ...(o.team ? { teamId: o.team } : {}),
            ...(o.owner ? { ownerId: o.owner } : {}),
            ...(o.description !== undefined ? { description: o.description } : {}),
            ...(o.roam ? { roam: o.roam } : {}),
          });
          print(Boolean(o.json), created, () => `Recorded risk ${riskLine(created)}`);
        }),
    );
  risk
    .command("roam <art> <id> <state>")
    .description(`ROAM a risk: ${ROAM_STATES.join(", ")}`)
    .option("--owner <person>", "who owns it (id or email)")
    .option("--json", "print JSON")
    .action((art: string, id: string, state: string, o: { owner?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        if (!(ROAM_STATES as readonly string[]).includes(state)) {
          throw invalid("roam", `no ROAM state '${state}': say ${ROAM_STATES.join(", ")}`);
        }
        const current = await currentRisk(backend, art, id);
        const saved = await backend.updateRisk(id, {
          version: current.version,
          roam: state,
          ...(o.owner ? { ownerId: o.owner } : {}),
        });
        print(Boolean(o.json), saved, () => `Risk ${riskLine(saved)}`);
      }),
    );
  risk
    .command("remove <art> <id>")
    .description("remove a risk")
    .action((art: string, id: string) =>
      cx.withBackend(async (backend) => {
        const current = await currentRisk(backend, art, id);
        await backend.removeRisk(id, current.version);
        process.stdout.write(`Removed risk “${current.title}”.\n`);
      }),
    );
}

async function currentRisk(backend: Backend, art: string, id: string): Promise<Risk> {
  const found = (await backend.risks(art, {})).risks.find((r) => r.id === id);
  if (!found) throw invalid("id", `no risk '${id}' in ${art}`);
  return found;
}
