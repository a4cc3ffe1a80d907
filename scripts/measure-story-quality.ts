// Measures the story quality check on the real data (../shared/data): the user stories AQUSA was demonstrated on
// (user-stories/*.txt) and the titles of the story-point data set (story-points/*.csv). Prints Markdown for
// docs/story-quality.md: findings per rule, examples, precision and recall against the hand labels below (and, for
// comparison, against the output AQUSA itself ships for the same user stories), and with --sample a seeded sample of
// findings to check by hand. The hand labels are data here; the hand verdicts on the sample live in the doc.
//
//   node --import tsx scripts/measure-story-quality.ts [--data DIR] [--sample N] [--seed N]
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { groupBy } from "../src/core/collections.js";
import {
  checkStories,
  DEFAULT_QUALITY_SETTINGS,
  type Finding,
  QUALITY_RULES,
  type QualityRule,
  type StoryForCheck,
} from "../src/core/story-quality.js";
import { defaultDataDir, loadDemoSource } from "../src/demo/demo-source.js";
import { mulberry32 } from "../src/demo/seeded-random.js";

// ── Hand labels ──────────────────────────────────────────────────────────────────────────────────────────────────
// Made by reading every story before the rules were tuned on it; ids are <file prefix>-<line number>.

/** Stories whose goal holds two separately deliverable goals joined by a conjunction. */
const ATOMIC_DEFECTS = ["g09-25", "g09-59", "g09-70", "g09-76", "g14-39", "g14-43", "g14-51", "g14-64"];
/** Stories with text beyond role, goal and benefit (extra sentences, brackets, notes): none in these files. */
const MINIMAL_DEFECTS: string[] = [];
/** Stories without a role or a goal: none; every line is "As a …, I want …". */
const WELL_FORMED_DEFECTS: string[] = [];
/** Pairs asking for the same functionality (implementing one delivers the other). */
const DUPLICATE_PAIRS = [
  ["g09-39", "g09-49"],
  ["g09-39", "g09-67"],
  ["g09-49", "g09-67"],
  ["g09-14", "g09-15"],
  ["g09-27", "g09-54"],
  ["g14-1", "g14-2"],
  ["g14-12", "g14-13"],
  ["g14-17", "g14-18"],
  ["g14-19", "g14-20"],
  ["g14-22", "g14-24"],
  ["g14-52", "g14-53"],
];
/**
 * What AQUSA reports for the same two files: the output shipped in RELabUU/aqusa-core (output/g09.html and
 * output/g14.html, commit 10c9d27), by defect kind.
 */
const AQUSA_CORE_OUTPUT: Record<string, string[]> = {
  atomic: ["g09-5", "g14-14", "g14-16", "g14-39", "g14-43", "g14-57", "g14-59", "g14-65"],
  minimal: ["g14-24"],
  well_formed: [],
  unique: ["g14-2"],
};
/**
 * 100 issues drawn with mulberry32(2016) from the story-point issues, labelled by reading each title. MULE-7675 was
 * added after the checker pointed at its description, whose first line is the story it reads ("As a Mule user I would
 * like to: * Deploy a domain … * Undeploy a domain and all its apps * Redeploy a domain and update all the apps").
 */
const JIRA_SAMPLE_SEED = 2016;
const JIRA_SAMPLE_ATOMIC = ["DM-1141", "XD-237", "MULE-7675"];
const JIRA_SAMPLE_MINIMAL = ["APSTUD-4580", "CLOV-951", "DM-763"];

// ── Loading ──────────────────────────────────────────────────────────────────────────────────────────────────────

interface DataSet {
  name: string;
  stories: StoryForCheck[];
  /** Stories checked together: one file or one project (a team and its train). */
  groups: StoryForCheck[][];
}

function storyFor(id: string, team: string, title: string, more: Partial<StoryForCheck> = {}): StoryForCheck {
  return {
    id,
    key: id,
    teamId: team,
    type: "business",
    title,
    description: "",
    acceptanceCriteria: [],
    points: null,
    parentId: null,
    iterationOrder: null,
    dependsOn: [],
    ...more,
  };
}

async function loadUserStories(dataDir: string): Promise<DataSet> {
  const dir = join(dataDir, "user-stories");
  const stories: StoryForCheck[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".txt")).sort()) {
    const team = file.split("-")[0] as string;
    const lines = (await readFile(join(dir, file), "utf8")).split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim()) stories.push(storyFor(`${team}-${i + 1}`, team, line.trim()));
    });
  }
  return { name: "user stories", stories, groups: [...groupBy(stories, (s) => s.teamId).values()] };
}

async function loadJira(dataDir: string): Promise<DataSet> {
  const source = await loadDemoSource(dataDir);
  const stories = source.issues.map((i) =>
    storyFor(i.key, i.project, i.title, { description: i.description, points: i.points }),
  );
  return { name: "Jira issues", stories, groups: [...groupBy(stories, (s) => s.teamId).values()] };
}

function check(set: DataSet): Map<string, Finding[]> {
  const contextOf = () => ({ settings: DEFAULT_QUALITY_SETTINGS, averageVelocity: null });
  const all = new Map<string, Finding[]>();
  for (const group of set.groups) for (const [id, f] of checkStories(group, group, contextOf)) all.set(id, f);
  return all;
}

// ── Reporting ────────────────────────────────────────────────────────────────────────────────────────────────────

const pct = (n: number, d: number): string => (d === 0 ? "–" : `${Math.round((n / d) * 1000) / 10}%`);
const count = (n: number): string => n.toLocaleString("en-US");
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");
const short = (s: string, max = 110): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** A finding's kind: the part of its message before the first colon or full stop ("Vague term", "No estimate"). */
const kindOf = (f: Finding): string => (f.message.match(/^[^:.]*/)?.[0] ?? f.message).replace(/ “.*$/, "");

function perRuleTable(sets: { set: DataSet; findings: Map<string, Finding[]> }[]): string {
  const header = `| rule | ${sets.map(({ set }) => `${set.name} (${count(set.stories.length)}): findings / stories`).join(" | ")} |`;
  const rows = QUALITY_RULES.map((rule) => {
    const cells = sets.map(({ findings }) => {
      const lists = [...findings.values()].map((list) => list.filter((f) => f.rule === rule));
      return `${count(lists.reduce((n, l) => n + l.length, 0))} / ${count(lists.filter((l) => l.length > 0).length)}`;
    });
    return `| ${rule} | ${cells.join(" | ")} |`;
  });
  return [header, `|---|${sets.map(() => "---:|").join("")}`, ...rows].join("\n");
}

function kindsTable(findings: Map<string, Finding[]>, rules: QualityRule[]): string {
  const counts = new Map<string, number>();
  for (const list of findings.values()) {
    for (const f of list)
      if (rules.includes(f.rule)) counts.set(`${f.rule}|${kindOf(f)}`, (counts.get(`${f.rule}|${kindOf(f)}`) ?? 0) + 1);
  }
  const rows = [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `| ${k.replace("|", " | ")} | ${count(n)} |`);
  return ["| rule | kind | findings |", "|---|---|---:|", ...rows].join("\n");
}

function pick<T>(list: T[], n: number, random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

function examples(set: DataSet, findings: Map<string, Finding[]>, perRule: number, seed: number): string {
  const random = mulberry32(seed);
  const byId = new Map(set.stories.map((s) => [s.id, s]));
  const lines: string[] = [];
  for (const rule of QUALITY_RULES) {
    const hits = [...findings].flatMap(([id, list]) => list.filter((f) => f.rule === rule).map((f) => ({ id, f })));
    for (const { id, f } of pick(hits, perRule, random)) {
      lines.push(`| ${rule} | ${id} | ${cell(short(byId.get(id)?.title ?? ""))} | ${cell(short(f.message, 140))} |`);
    }
  }
  return ["| rule | story | title | finding |", "|---|---|---|---|", ...lines].join("\n");
}

interface Score {
  labelled: number;
  flagged: number;
  truePositives: number;
}

function score(flagged: Set<string>, labelled: Set<string>): Score {
  return {
    labelled: labelled.size,
    flagged: flagged.size,
    truePositives: [...flagged].filter((x) => labelled.has(x)).length,
  };
}

function scoreRow(name: string, tool: string, s: Score): string {
  const fp = s.flagged - s.truePositives;
  const fn = s.labelled - s.truePositives;
  return `| ${name} | ${tool} | ${s.labelled} | ${s.flagged} | ${s.truePositives} | ${fp} | ${fn} | ${pct(s.truePositives, s.flagged)} | ${pct(s.truePositives, s.labelled)} |`;
}

const SCORE_HEADER =
  "| rule | tool | labelled defects | flagged | true pos. | false pos. | missed | precision | recall |\n|---|---|---:|---:|---:|---:|---:|---:|---:|";

const flaggedIds = (findings: Map<string, Finding[]>, rule: QualityRule, only?: Set<string>): Set<string> =>
  new Set(
    [...findings]
      .filter(([id, list]) => (!only || only.has(id)) && list.some((f) => f.rule === rule))
      .map(([id]) => id),
  );

const pairKey = (a: string, b: string): string => (a < b ? `${a}+${b}` : `${b}+${a}`);

function userStoryEvaluation(findings: Map<string, Finding[]>): string {
  const rows: string[] = [];
  const total = {
    tool: { labelled: 0, flagged: 0, truePositives: 0 },
    aqusa: { labelled: 0, flagged: 0, truePositives: 0 },
  };
  const add = (into: Score, s: Score) => {
    into.labelled += s.labelled;
    into.flagged += s.flagged;
    into.truePositives += s.truePositives;
  };
  for (const [rule, labels] of [
    ["atomic", ATOMIC_DEFECTS],
    ["minimal", MINIMAL_DEFECTS],
    ["well_formed", WELL_FORMED_DEFECTS],
  ] as const) {
    const tool = score(flaggedIds(findings, rule), new Set(labels));
    const aqusa = score(new Set(AQUSA_CORE_OUTPUT[rule]), new Set(labels));
    add(total.tool, tool);
    add(total.aqusa, aqusa);
    rows.push(scoreRow(rule, "Trainyard", tool), scoreRow(rule, "AQUSA (aqusa-core output)", aqusa));
  }
  rows.push(scoreRow("**atomic + minimal + well_formed**", "**Trainyard**", total.tool));
  rows.push(scoreRow("**atomic + minimal + well_formed**", "**AQUSA (aqusa-core output)**", total.aqusa));
  // unique, by pairs: a pair is flagged when either story names the other
  const labelledPairs = new Set(DUPLICATE_PAIRS.map(([a, b]) => pairKey(a as string, b as string)));
  const toolPairs = new Set<string>();
  for (const [id, list] of findings)
    for (const f of list) if (f.rule === "unique") for (const other of f.relatedKeys) toolPairs.add(pairKey(id, other));
  // AQUSA reports an identical story without naming the other; g14-2's twin is g14-1.
  const aqusaPairs = new Set(AQUSA_CORE_OUTPUT.unique?.map((id) => pairKey(id, id === "g14-2" ? "g14-1" : id)));
  rows.push(scoreRow("unique (pairs)", "Trainyard", score(toolPairs, labelledPairs)));
  rows.push(scoreRow("unique (pairs)", "AQUSA (aqusa-core output)", score(aqusaPairs, labelledPairs)));
  const toolOnly = [...toolPairs].filter((p) => !labelledPairs.has(p));
  const missed = [...labelledPairs].filter((p) => !toolPairs.has(p));
  return [
    SCORE_HEADER,
    ...rows,
    "",
    `Trainyard's atomic findings: ${[...flaggedIds(findings, "atomic")].join(", ") || "none"}; missed: ${ATOMIC_DEFECTS.filter((id) => !flaggedIds(findings, "atomic").has(id)).join(", ") || "none"}.`,
    `Trainyard's duplicate pairs not labelled: ${toolOnly.join(", ") || "none"}; labelled pairs missed: ${missed.join(", ") || "none"}.`,
  ].join("\n");
}

function jiraSampleEvaluation(set: DataSet, findings: Map<string, Finding[]>): string {
  const random = mulberry32(JIRA_SAMPLE_SEED);
  const picked = new Set<number>();
  while (picked.size < Math.min(100, set.stories.length)) picked.add(Math.floor(random() * set.stories.length));
  const ids = new Set([...picked].map((i) => set.stories[i]?.id as string));
  const atomic = score(flaggedIds(findings, "atomic", ids), new Set(JIRA_SAMPLE_ATOMIC));
  const minimal = score(flaggedIds(findings, "minimal", ids), new Set(JIRA_SAMPLE_MINIMAL));
  const both = {
    labelled: atomic.labelled + minimal.labelled,
    flagged: atomic.flagged + minimal.flagged,
    truePositives: atomic.truePositives + minimal.truePositives,
  };
  return [
    SCORE_HEADER,
    scoreRow("atomic", "Trainyard", atomic),
    scoreRow("minimal", "Trainyard", minimal),
    scoreRow("**atomic + minimal**", "**Trainyard**", both),
    "",
    `Flagged in the sample: atomic ${[...flaggedIds(findings, "atomic", ids)].join(", ") || "none"}; minimal ${[...flaggedIds(findings, "minimal", ids)].join(", ") || "none"}.`,
  ].join("\n");
}

/**
 * Whether a finding is a judgement worth checking by hand: not "No estimate" (a fact), and for well_formed only the
 * stories that are half in the template ("No role"/"No goal"), since a Jira title that is not a story at all is plainly
 * not well-formed.
 */
const judged = (f: Finding): boolean =>
  f.rule === "well_formed"
    ? /^No (?:role|goal):/.test(f.message)
    : !(f.rule === "estimable" && f.message === "No estimate.");

/** The findings to check by hand: `n` per rule (fewer where fewer exist), drawn with the seed, from both data sets. */
function handSample(
  sets: { set: DataSet; findings: Map<string, Finding[]> }[],
  sizes: Partial<Record<QualityRule, number>>,
  seed: number,
): string {
  const random = mulberry32(seed);
  const lines: string[] = [];
  let n = 0;
  for (const rule of QUALITY_RULES) {
    const size = sizes[rule] ?? 0;
    if (size === 0) continue;
    const hits = sets.flatMap(({ set, findings }) => {
      const byId = new Map(set.stories.map((s) => [s.id, s]));
      return [...findings].flatMap(([id, list]) =>
        list.filter((f) => f.rule === rule && judged(f)).map((f) => ({ story: byId.get(id) as StoryForCheck, f })),
      );
    });
    for (const { story, f } of pick(hits, size, random)) {
      n++;
      lines.push(
        `| ${n} | ${rule} | ${story.id} | ${cell(short(story.title, 120))} | ${cell(short(f.message, 160))} |`,
      );
    }
  }
  return ["| # | rule | story | title | finding |", "|---:|---|---|---|---|", ...lines].join("\n");
}

/** Sample sizes per rule for --sample: the rules whose findings are judgements (not plain facts like "No estimate"). */
const SAMPLE_SIZES: Partial<Record<QualityRule, number>> = {
  well_formed: 5,
  benefit: 5,
  atomic: 15,
  minimal: 12,
  ambiguous: 15,
  unique: 12,
  uniform: 3,
  estimable: 8,
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      sample: { type: "boolean", default: false },
      seed: { type: "string", default: "7" },
    },
  });
  const dataDir = values.data ?? defaultDataDir();
  const seed = Number(values.seed);
  const userStories = await loadUserStories(dataDir);
  const jira = await loadJira(dataDir);
  const started = performance.now();
  const sets = [
    { set: userStories, findings: check(userStories) },
    { set: jira, findings: check(jira) },
  ];
  const seconds = (performance.now() - started) / 1000;
  const jiraOnly = sets[1] as (typeof sets)[number];
  const out = [
    `<!-- generated by scripts/measure-story-quality.ts (data: ${dataDir}; checked in ${seconds.toFixed(1)} s) -->`,
    "### Findings per rule",
    perRuleTable(sets),
    "",
    "### Findings by kind (Jira issues)",
    kindsTable(jiraOnly.findings, ["well_formed", "minimal", "ambiguous", "estimable"]),
    "",
    "### Examples (two per rule and data set, drawn at random)",
    examples(userStories, sets[0]?.findings ?? new Map(), 2, seed),
    "",
    examples(jira, jiraOnly.findings, 2, seed),
    "",
    "### Labelled user stories (152)",
    userStoryEvaluation(sets[0]?.findings ?? new Map()),
    "",
    "### Labelled sample of 100 Jira titles",
    jiraSampleEvaluation(jira, jiraOnly.findings),
  ];
  if (values.sample) out.push("", "### Sample for hand-checking", handSample(sets, SAMPLE_SIZES, seed));
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
