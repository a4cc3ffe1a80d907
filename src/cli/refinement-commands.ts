// `trainyard lint`, `trainyard team dor …` and `trainyard item ready|dismiss|restore`: the story quality check over a
// team, a train or a file of stories; a team's Definition of Ready and quality settings; a story's readiness, and its
// findings dismissed or restored. On the database (as its operator) or on a server (with a personal API token),
// printing the same either way; a file is checked on its own, with no database at all.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { type Command, Option } from "commander";
import { parse as parseCsv } from "csv-parse/sync";
import { invalid } from "../core/errors.js";
import {
  READY_CONDITIONS,
  READY_POLICIES,
  type Readiness,
  type ReadyCondition,
  type RefinementSettings,
} from "../core/readiness.js";
import {
  checkStories,
  DEFAULT_QUALITY_SETTINGS,
  type Finding,
  QUALITY_RULES,
  type QualityRule,
  RULE_INFO,
  type StoryForCheck,
} from "../core/story-quality.js";
import { highlightedWords, type QualityReport } from "../use-cases/quality-report.js";
import type { ItemQuality } from "../use-cases/story-readiness.js";
import type { TeamRefinement } from "../use-cases/team-refinement.js";
import type { CliContext } from "./context.js";
import { print } from "./output.js";

/** The exit code when a listed finding is an error: the same as `trainyard check` finding problems. */
export const LINT_FAILED = 7;

/** Collects a repeatable option; each value may also be a comma-separated list. */
const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];
const collectLabel = (value: string, previous: string[]) => [...previous, value];

function ruleOf(raw: string, field: string): QualityRule {
  if (!(QUALITY_RULES as readonly string[]).includes(raw)) {
    throw invalid(field, `no rule '${raw}': the rules are ${QUALITY_RULES.join(", ")}`);
  }
  return raw as QualityRule;
}

function numberOf(raw: string, field: string, hint: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw)) throw invalid(field, `'${raw}' is not a number: say ${hint}`);
  return Number(raw);
}

// ── Reading stories from a file ─────────────────────────────────────────────────────────────────────────────────────

/** Column names a CSV may use for each field, compared without case, spaces or punctuation. */
const CSV_COLUMNS = {
  title: ["title", "story", "userstory", "summary"],
  key: ["key", "issuekey", "id"],
  description: ["description"],
  criteria: ["acceptancecriteria", "criteria"],
  points: ["points", "storypoints", "storypoint", "estimate"],
} as const;

const columnName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** A file's stories, and the rules it cannot be judged by (it has no points, criteria or parent features). */
export interface StoryFile {
  stories: StoryForCheck[];
  unchecked: QualityRule[];
}

/**
 * The stories of a file: a CSV (by its .csv extension) with a `title` column and optional key, description,
 * `acceptance criteria` (one per line in the cell) and points columns; otherwise a text file of one story per line
 * (blank lines and lines starting with # are skipped). Keys are the CSV's own, else `L<line>` / `R<row>`. A file
 * without points is not judged on estimable and small, one without criteria not on testable, and none (having no
 * parent features) on valuable: those findings would only say what the file leaves out.
 */
export function readStoryFile(path: string, content: string): StoryFile {
  const story = (i: number, key: string, fields: Partial<StoryForCheck>): StoryForCheck => ({
    id: String(i),
    key,
    teamId: "file",
    type: "business",
    title: "",
    description: "",
    acceptanceCriteria: [],
    points: null,
    parentId: null,
    iterationOrder: null,
    dependsOn: [],
    ...fields,
  });
  const unchecked = (points: boolean, criteria: boolean): QualityRule[] => [
    ...(points ? [] : (["estimable", "small"] as const)),
    ...(criteria ? [] : (["testable"] as const)),
    "valuable",
  ];
  if (extname(path).toLowerCase() !== ".csv") {
    const stories = content.split(/\r?\n/).flatMap((line, i) => {
      const title = line.trim();
      return title === "" || title.startsWith("#") ? [] : [story(i, `L${i + 1}`, { title })];
    });
    return { stories, unchecked: unchecked(false, false) };
  }
  const rows = parseCsv(content, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const [header = [], ...data] = rows;
  const names = header.map(columnName);
  const column = (field: keyof typeof CSV_COLUMNS) =>
    names.findIndex((n) => (CSV_COLUMNS[field] as readonly string[]).includes(n));
  const at = { title: column("title"), key: column("key"), description: column("description") };
  const criteria = column("criteria");
  const points = column("points");
  if (at.title < 0) throw invalid("file", `${path} has no title column (its columns: ${header.join(", ")})`);
  const stories = data.map((row, i) => {
    const cell = (c: number) => (c < 0 ? "" : (row[c] ?? "").trim());
    const estimate = cell(points);
    return story(i, cell(at.key) || `R${i + 1}`, {
      title: cell(at.title),
      description: cell(at.description),
      acceptanceCriteria: cell(criteria)
        .split(/\r?\n/)
        .map((t) => t.trim())
        .filter(Boolean)
        .map((text) => ({ text, met: false })),
      points: estimate !== "" && Number.isFinite(Number(estimate)) ? Number(estimate) : null,
    });
  });
  return { stories, unchecked: unchecked(points >= 0, criteria >= 0) };
}

/** A file's stories checked against each other (for near-duplicates and the dominant template), as a report. */
export function fileReport(file: StoryFile, rule?: QualityRule): QualityReport & { unchecked: QualityRule[] } {
  const { stories, unchecked } = file;
  const settings = { ...DEFAULT_QUALITY_SETTINGS, disabled: unchecked };
  const findings = checkStories(stories, stories, () => ({ settings, averageVelocity: null }));
  const byRule = Object.fromEntries(QUALITY_RULES.map((r) => [r, 0])) as Record<QualityRule, number>;
  const listed: QualityReport["stories"] = [];
  for (const s of stories) {
    const shown = (findings.get(s.id) ?? []).filter((f) => rule === undefined || f.rule === rule);
    for (const f of shown) byRule[f.rule] += 1;
    if (shown.length === 0) continue;
    listed.push({
      id: s.id,
      key: s.key,
      title: s.title,
      teamId: null,
      state: "new",
      points: s.points,
      findings: shown.map((f) => ({ ...f, words: highlightedWords(s, f) })),
      dismissed: [],
    });
  }
  return { stories: listed, byRule, checked: stories.length, unchecked };
}

// ── Text output ──────────────────────────────────────────────────────────────────────────────────────────────────

const quoted = (words: readonly string[]) => [...new Set(words.filter(Boolean))].map((w) => `“${w}”`).join(", ");

function findingLines(f: Finding & { words?: string[] }, indent: string): string[] {
  const words = f.words?.length ? quoted(f.words) : "";
  return [
    `${indent}${f.rule} (${f.severity}): ${f.message}`,
    ...(words ? [`${indent}  words: ${words}`] : []),
    `${indent}  fix: ${f.fix}`,
  ];
}

export function lintText(source: string, report: QualityReport & { unchecked?: QualityRule[] }): string {
  const errors = report.stories.reduce((n, s) => n + s.findings.filter((f) => f.severity === "error").length, 0);
  const total = Object.values(report.byRule).reduce((a, b) => a + b, 0);
  const counts = (Object.entries(report.byRule) as [QualityRule, number][])
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`)
    .join(", ");
  const lines = report.stories.flatMap((s) => [
    `${s.key}  ${s.title}`,
    ...s.findings.flatMap((f) => findingLines(f, "  ")),
    "",
  ]);
  const summary =
    total === 0
      ? `${source}: ${report.checked} stories checked, no findings.`
      : `${source}: ${report.checked} stories checked, ${report.stories.length} with findings; ${total} findings (${errors} errors): ${counts}.`;
  const unchecked = report.unchecked?.length
    ? [`Not checked (the file has no points, criteria or parent features for them): ${report.unchecked.join(", ")}.`]
    : [];
  return [...lines, summary, ...unchecked].join("\n");
}

export function readinessText(key: string, r: Readiness): string {
  return [
    `${key} ${r.ready ? "is ready" : `is not ready: ${r.missing.length} of ${r.checks.length} checks not met`}`,
    ...r.checks.map((c) => `  [${c.met ? "x" : " "}] ${c.label}${c.manual ? " (team item)" : ""}: ${c.detail}`),
  ].join("\n");
}

function itemQualityText(key: string, q: ItemQuality): string {
  return [
    readinessText(key, q.readiness),
    ...(q.findings.length ? ["", "Findings:", ...q.findings.flatMap((f) => findingLines(f, "  "))] : []),
    ...(q.dismissed.length
      ? ["", "Dismissed:", ...q.dismissed.map((d) => `  ${d.rule}: ${d.reason} (${d.at.slice(0, 10)})`)]
      : []),
  ].join("\n");
}

export function dorText(art: string, team: string, r: TeamRefinement): string {
  const s = r.settings;
  const held = new Set<string>(s.definitionOfReady.conditions);
  return [
    `Definition of Ready of ${art}/${team} (version ${r.version}${r.version === 0 ? ", the defaults" : ""})`,
    ...READY_CONDITIONS.map((c) => `  [${held.has(c) ? "x" : " "}] ${c}`),
    ...s.definitionOfReady.manual.map((m) => `  [x] ${m.label} (team item '${m.id}')`),
    `Moving a story that is not ready to Ready: ${s.readyPolicy === "refuse" ? "refused" : "allowed with a warning"}`,
    `Quality rules off: ${s.quality.disabled.length ? s.quality.disabled.join(", ") : "none"}`,
    `Small: at most ${s.quality.smallMaxPoints} points and ${s.quality.velocityShare} of the average velocity`,
    `Near-duplicates from ${Math.round(s.quality.duplicateSimilarity * 100)}% alike`,
    `Capacity per iteration: ${s.capacityPerIteration ?? "from velocity"}; stale after ${s.staleAfterDays} days`,
  ].join("\n");
}

// ── Changing a team's settings from flags ──────────────────────────────────────────────────────────────────────

interface DorFlags {
  policy?: string;
  addItem: string[];
  removeItem: string[];
  disableRule: string[];
  enableRule: string[];
  require: string[];
  drop: string[];
  smallMax?: string;
  velocityShare?: string;
  duplicateSimilarity?: string;
  capacity?: string;
  staleAfter?: string;
}

/** The settings `flags` ask for, starting from `current`; new manual items get their ids from the server. */
export function applyDorFlags(current: RefinementSettings, flags: DorFlags): Record<string, unknown> {
  const s = structuredClone(current);
  if (flags.policy !== undefined) {
    if (!(READY_POLICIES as readonly string[]).includes(flags.policy)) {
      throw invalid("policy", `say ${READY_POLICIES.join(" or ")}`);
    }
    s.readyPolicy = flags.policy as RefinementSettings["readyPolicy"];
  }
  const conditions = (raw: string[], field: string) =>
    raw.map((c) => {
      if (!(READY_CONDITIONS as readonly string[]).includes(c)) {
        throw invalid(field, `no condition '${c}': the conditions are ${READY_CONDITIONS.join(", ")}`);
      }
      return c as ReadyCondition;
    });
  const required = new Set([...s.definitionOfReady.conditions, ...conditions(flags.require, "require")]);
  for (const c of conditions(flags.drop, "drop")) required.delete(c);
  s.definitionOfReady.conditions = READY_CONDITIONS.filter((c) => required.has(c));
  for (const id of flags.removeItem) {
    if (!s.definitionOfReady.manual.some((m) => m.id === id)) {
      throw invalid(
        "remove-item",
        `no team item '${id}' (the items: ${s.definitionOfReady.manual.map((m) => m.id).join(", ") || "none"})`,
      );
    }
  }
  const manual: { id?: string; label: string }[] = [
    ...s.definitionOfReady.manual.filter((m) => !flags.removeItem.includes(m.id)),
    ...flags.addItem.map((label) => ({ label })),
  ];
  const disabled = new Set([...s.quality.disabled, ...flags.disableRule.map((r) => ruleOf(r, "disable-rule"))]);
  for (const r of flags.enableRule) disabled.delete(ruleOf(r, "enable-rule"));
  s.quality.disabled = QUALITY_RULES.filter((r) => disabled.has(r));
  if (flags.smallMax !== undefined) s.quality.smallMaxPoints = numberOf(flags.smallMax, "small-max", "points, e.g. 8");
  if (flags.velocityShare !== undefined) {
    s.quality.velocityShare = numberOf(flags.velocityShare, "velocity-share", "a share, e.g. 0.5");
  }
  if (flags.duplicateSimilarity !== undefined) {
    s.quality.duplicateSimilarity = numberOf(flags.duplicateSimilarity, "duplicate-similarity", "a share, e.g. 0.8");
  }
  if (flags.capacity !== undefined) {
    s.capacityPerIteration =
      flags.capacity.trim().toLowerCase() === "none" ? null : numberOf(flags.capacity, "capacity", "points, or none");
  }
  if (flags.staleAfter !== undefined) s.staleAfterDays = numberOf(flags.staleAfter, "stale-after", "days, e.g. 60");
  return { ...s, definitionOfReady: { conditions: s.definitionOfReady.conditions, manual } };
}

/** A command of `program` by name, made (with `description`) when nobody made it yet. */
function commandNamed(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function addRefinementCommands(program: Command, cx: CliContext): void {
  program
    .command("lint")
    .description(
      `check story quality over a train (--art), one team (--team) or a file of stories (--file, no database needed); exits with ${LINT_FAILED} when a listed finding is an error`,
    )
    .option("--art <art>", "the ART (key or id) whose stories to check: those not done, accepted or closed as split")
    .option("--team <team>", "only this team's backlog (key or id)")
    .option(
      "--file <path>",
      "a text file of one story per line, or a CSV with a title column (optional: key, description, acceptance criteria, points)",
    )
    .addOption(new Option("--rule <rule>", "only this rule's findings").choices([...QUALITY_RULES]))
    .option("--include-dismissed", "also list findings someone dismissed")
    .option("--json", "print JSON")
    .action(
      async (o: {
        art?: string;
        team?: string;
        file?: string;
        rule?: QualityRule;
        includeDismissed?: boolean;
        json?: boolean;
      }) => {
        if ((o.art === undefined) === (o.file === undefined)) throw invalid("art", "say --art <art> or --file <path>");
        let report: QualityReport & { unchecked?: QualityRule[] };
        let source: string;
        if (o.file !== undefined) {
          if (o.team) throw invalid("team", "--team is for --art: a file is checked as one backlog");
          let content: string;
          try {
            content = readFileSync(o.file, "utf8");
          } catch (e) {
            throw invalid("file", `cannot read ${o.file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
          }
          report = fileReport(readStoryFile(o.file, content), o.rule);
          source = o.file;
        } else {
          const art = o.art as string;
          const query = {
            ...(o.team ? { team: o.team } : {}),
            ...(o.rule ? { rule: o.rule } : {}),
            ...(o.includeDismissed ? { includeDismissed: "true" } : {}),
          };
          report = await cx.withBackend((backend) => backend.qualityReport(art, query));
          source = o.team ? `${art}/${o.team}` : art;
        }
        print(Boolean(o.json), report, () => lintText(source, report));
        if (report.stories.some((s) => s.findings.some((f) => f.severity === "error"))) process.exitCode = LINT_FAILED;
      },
    );

  const dor = commandNamed(program, "team", "a team's backlog")
    .command("dor")
    .description("a team's Definition of Ready, ready policy and quality rules (on a database or a server)");
  dor
    .command("show")
    .description("the team's Definition of Ready and quality settings")
    .requiredOption("--art <art>", "the ART (key or id)")
    .requiredOption("--team <team>", "the team (key or id)")
    .option("--json", "print JSON")
    .action((o: { art: string; team: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const r = await backend.teamRefinement(o.art, o.team);
        print(Boolean(o.json), r, () => dorText(o.art, o.team, r));
      }),
    );
  dor
    .command("set")
    .description("change the team's Definition of Ready and quality settings (the rest stays as it is)")
    .requiredOption("--art <art>", "the ART (key or id)")
    .requiredOption("--team <team>", "the team (key or id)")
    .addOption(new Option("--policy <policy>", "moving an unready story to Ready").choices([...READY_POLICIES]))
    .option("--add-item <label>", "add a team item to tick per story (repeat for more)", collectLabel, [] as string[])
    .option("--remove-item <id>", "remove a team item by its id (repeat, or comma-separate)", collect, [] as string[])
    .option(
      "--require <condition>",
      `hold stories to a built-in condition: ${READY_CONDITIONS.join(", ")}`,
      collect,
      [] as string[],
    )
    .option("--drop <condition>", "stop holding stories to a built-in condition", collect, [] as string[])
    .option("--disable-rule <rule>", "switch a quality rule off (repeat, or comma-separate)", collect, [] as string[])
    .option("--enable-rule <rule>", "switch a quality rule back on", collect, [] as string[])
    .option("--small-max <points>", "a story above this many points is not small")
    .option("--velocity-share <share>", "a story above this share of the average velocity is not small")
    .option("--duplicate-similarity <share>", "how alike (0.5–1) two stories are to be near-duplicates")
    .option("--capacity <points>", "points per iteration while the team has no velocity, or none")
    .option("--stale-after <days>", "items not updated for this many days are stale")
    .option("--json", "print JSON")
    .action((o: DorFlags & { art: string; team: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const current = await backend.teamRefinement(o.art, o.team);
        const settings = applyDorFlags(current.settings, o);
        const saved = await backend.updateTeamRefinement(o.art, o.team, { settings, version: current.version });
        print(Boolean(o.json), saved, () => dorText(o.art, o.team, saved));
      }),
    );

  // `trainyard item …` reads as well as `trainyard items …` for one story's refinement.
  const items = commandNamed(program, "items", "list, show, create and move items (on a database or a server)");
  if (!items.aliases().includes("item")) items.alias("item");
  items
    .command("ready <item>")
    .description("a story's readiness against its team's Definition of Ready, and its findings")
    .option("--move", "also move the story to Ready (a team whose policy is refuse keeps an unready story out)")
    .option("--json", "print JSON")
    .action((ref: string, o: { move?: boolean; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const quality = await backend.itemQuality(ref);
        if (!o.move) {
          print(Boolean(o.json), quality, () => itemQualityText(ref, quality));
          return;
        }
        const item = await backend.editItem(ref, { state: "ready" });
        const r = quality.readiness;
        print(Boolean(o.json), { item, readiness: r }, () =>
          r.ready
            ? `Moved ${item.key} to Ready.`
            : `Moved ${item.key} to Ready, though it is not ready; missing:\n${r.missing.map((m) => `  - ${m}`).join("\n")}`,
        );
      }),
    );
  items
    .command("dismiss <item>")
    .description("dismiss one of a story's quality findings, with the reason (kept in its history)")
    .requiredOption("--rule <rule>", "the rule whose finding to dismiss")
    .requiredOption("--reason <text>", "why the finding does not apply to this story")
    .option("--json", "print JSON")
    .action((ref: string, o: { rule: string; reason: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const d = await backend.dismissFinding(ref, { rule: ruleOf(o.rule, "rule"), reason: o.reason });
        print(
          Boolean(o.json),
          d,
          () => `Dismissed ${d.key}'s ${RULE_INFO[d.rule].label.toLowerCase()} finding: ${d.reason}`,
        );
      }),
    );
  items
    .command("restore <item>")
    .description("restore a dismissed finding of a story: it counts again")
    .requiredOption("--rule <rule>", "the rule whose finding to restore")
    .action((ref: string, o: { rule: string }) =>
      cx.withBackend(async (backend) => {
        await backend.restoreFinding(ref, ruleOf(o.rule, "rule"));
        process.stdout.write(`Restored ${ref}'s ${o.rule} finding.\n`);
      }),
    );
}
