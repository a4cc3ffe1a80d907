// The story quality check: rule-based findings on a story's text (Quality User Story framework, requirements smells)
// and on what the data can judge of INVEST, each naming its rule, the words that triggered it, why it matters and a
// fix.
// Pure: the server, the CLI and the web app (live while typing) run the same rules.
//
// API (a contract other modules code against — keep the names and shapes):
// - QUALITY_RULES, QualityRule, RULE_INFO (label, group "QUS" | "INVEST", default severity, why it matters).
// - Finding { rule, severity, message, why, fix, highlights: Highlight[], relatedKeys }.
// - QualitySettings (rules switched off, thresholds) and DEFAULT_QUALITY_SETTINGS; qualitySettingsProblems().
// - checkStoryText(story, settings): the rules that need only the story itself (well_formed, benefit, atomic, minimal,
//   ambiguous, estimable, testable, and small against smallMaxPoints) — fast enough to run on every keystroke.
// - checkStories(stories, corpus, contextOf): every rule for each of `stories`, judged against `corpus` (the team's and
//   train's stories, for unique and uniform) and each team's context (velocity, settings); returns findings by id.
import type { Criterion } from "./acceptance-criteria.js";
import type { FieldIssue } from "./errors.js";
import { nearDuplicates } from "./quality-duplicates.js";
import {
  contentTerms,
  readLine,
  readStatement,
  type Span,
  type Statement,
  sentenceBreaks,
  stem,
  type Template,
  type Word,
  wordsOf,
} from "./quality-text.js";

export const QUALITY_RULES = [
  "well_formed",
  "benefit",
  "atomic",
  "minimal",
  "ambiguous",
  "unique",
  "uniform",
  "independent",
  "valuable",
  "estimable",
  "small",
  "testable",
] as const;
export type QualityRule = (typeof QUALITY_RULES)[number];

export type Severity = "error" | "warning";

export interface RuleInfo {
  label: string;
  group: "QUS" | "INVEST";
  severity: Severity;
  /** Why the rule matters, in one or two sentences a POPM reads. */
  why: string;
}

/** Words in a story's text that triggered a finding: a character range of the title, the description or a criterion. */
export interface Highlight {
  field: "title" | "description" | "acceptanceCriteria";
  /** The criterion's position, for `acceptanceCriteria`. */
  index?: number;
  start: number;
  end: number;
}

export interface Finding {
  rule: QualityRule;
  severity: Severity;
  /** What is wrong with this story, e.g. "Two goals joined by “and”: …". */
  message: string;
  why: string;
  /** A concrete suggestion, e.g. "Split into “…” and “…”.". */
  fix: string;
  highlights: Highlight[];
  /** Keys of other stories the finding is about (a near-duplicate, the dependency planned too late). */
  relatedKeys: string[];
}

/** A team's choices: rules switched off and thresholds. */
export interface QualitySettings {
  disabled: QualityRule[];
  /** A story above this many points is not small. */
  smallMaxPoints: number;
  /** A story above this share of the team's average velocity is not small (SAFe: half). */
  velocityShare: number;
  /** Word-set similarity (0–1) from which two stories are near-duplicates. */
  duplicateSimilarity: number;
}

export const DEFAULT_QUALITY_SETTINGS: QualitySettings = {
  disabled: [],
  smallMaxPoints: 8,
  velocityShare: 0.5,
  duplicateSimilarity: 0.8,
};

/** What the checker needs of a story. */
export interface StoryForCheck {
  id: string;
  key: string;
  teamId: string | null;
  type: "business" | "enabler" | "defect" | "debt";
  title: string;
  description: string;
  acceptanceCriteria: Criterion[];
  points: number | null;
  parentId: string | null;
  /** Where its iteration falls in time (0 = earliest of the ART), or null while unplanned. */
  iterationOrder: number | null;
  /** The stories it depends on, with where they are planned. */
  dependsOn: { key: string; iterationOrder: number | null; finished: boolean }[];
}

/** A team's context for the rules that need more than the story. */
export interface TeamContext {
  settings: QualitySettings;
  /** Average points accepted per completed iteration, or null with no history. */
  averageVelocity: number | null;
  /**
   * The team's dominant template (`teamTemplates`) when the caller knows it from all the team's stories, so that
   * checking one story needs only its possible near-duplicates as the corpus; null when no template dominates.
   */
  dominantTemplate?: Template | null;
}

export const RULE_INFO: Record<QualityRule, RuleInfo> = {
  well_formed: {
    label: "Well-formed",
    group: "QUS",
    severity: "error",
    why: "A story says who wants it (the role) and what they want (the goal), so the team builds for a real user and knows whom to ask; without them it is a task, not a story.",
  },
  benefit: {
    label: "Benefit",
    group: "QUS",
    severity: "warning",
    why: "The “so that” says why the role wants it: it lets the team look for a simpler way to the same end and the Product Owner rank it.",
  },
  atomic: {
    label: "Atomic",
    group: "QUS",
    severity: "warning",
    why: "A story with two goals is two stories: they cannot be estimated, ranked or accepted separately, and one half often waits for the other.",
  },
  minimal: {
    label: "Minimal",
    group: "QUS",
    severity: "warning",
    why: "Extra sentences, brackets and notes in a title hide the story; details belong in the description or the acceptance criteria.",
  },
  ambiguous: {
    label: "Unambiguous",
    group: "QUS",
    severity: "error",
    why: "Subjective, vague or open-ended words mean different things to different people: a criterion that uses them cannot be tested, and acceptance becomes a matter of opinion.",
  },
  unique: {
    label: "Unique",
    group: "QUS",
    severity: "warning",
    why: "Near-duplicate stories get estimated and built twice, or drift apart until they contradict each other.",
  },
  uniform: {
    label: "Uniform",
    group: "QUS",
    severity: "warning",
    why: "Stories written the same way are quicker to read and compare; an outlier often lacks a part the team's template asks for.",
  },
  independent: {
    label: "Independent",
    group: "INVEST",
    severity: "error",
    why: "A story cannot be finished in its iteration while the story it depends on is planned for the same iteration or later.",
  },
  valuable: {
    label: "Valuable",
    group: "INVEST",
    severity: "warning",
    why: "A story shows its value through its benefit or through the feature it belongs to; with neither, nobody can say why it is worth doing.",
  },
  estimable: {
    label: "Estimable",
    group: "INVEST",
    severity: "error",
    why: "A team can only plan a story it has estimated, and it cannot estimate one with open questions.",
  },
  small: {
    label: "Small",
    group: "INVEST",
    severity: "error",
    why: "A story should fit well inside one iteration; one that is large against the team's velocity is likely to spill over.",
  },
  testable: {
    label: "Testable",
    group: "INVEST",
    severity: "error",
    why: "Acceptance criteria say when the story is done; without testable ones, acceptance is an argument.",
  },
};

/** A "|"-separated list of words and phrases. */
const phrases = (list: string): string[] => list.split("|").map((p) => p.trim().replace(/\s+/g, " "));

// ── Vocabulary ───────────────────────────────────────────────────────────────────────────────────────────────────
// Requirements smells (Femmer et al., 2017; domain.md "Refinement"), checked in the title's role and goal (not its
// benefit, which is not tested) and in every acceptance criterion. Phrases match whole words, case-insensitively.

type SmellKind =
  | "subjective"
  | "vague"
  | "loophole"
  | "open_ended"
  | "superlative"
  | "comparative"
  | "negative"
  | "pronoun";

interface SmellInfo {
  label: string;
  severity: Severity;
  /** Whether a criterion with this smell still counts as testable. */
  testable: boolean;
  /** Checked in the title too (else only in criteria). */
  inTitle: boolean;
  fix: string;
  words: string[];
}

const SMELLS: Record<Exclude<SmellKind, "pronoun">, SmellInfo> = {
  subjective: {
    label: "Subjective language",
    severity: "error",
    testable: false,
    inTitle: true,
    fix: "Say what a user can observe instead: a number of steps, a time, a named behaviour.",
    words: phrases(
      "user friendly | user-friendly | easy to use | easy | easily | intuitive | intuitively | nice | " +
        "nicely | beautiful | pleasant | convenient | conveniently | seamless | seamlessly | elegant | " +
        "elegantly | straightforward | decent | good looking | great looking | shiny | clean looking",
    ),
  },
  vague: {
    label: "Vague term",
    severity: "error",
    testable: false,
    inTitle: true,
    fix: "Replace it with a measurable value (e.g. “within 2 seconds”, “up to 500 rows”) or a concrete list.",
    words: phrases(
      "fast | quick | quickly | adequate | adequately | appropriate | appropriately | efficient | " +
        "efficiently | flexible | robust | reasonable | reasonably | sufficient | sufficiently | " +
        "significant | significantly | several | various | numerous | a few | lots of | a lot of | " +
        "normally | usually | typically | generally | mostly | almost | approximately | roughly | " +
        "extensive | extensively | scalable | as soon as possible | asap | timely | in a timely manner | " +
        "properly | relevant",
    ),
  },
  loophole: {
    label: "Loophole",
    severity: "error",
    testable: false,
    inTitle: true,
    fix: "Decide whether it is required; if only sometimes, name the condition.",
    words: phrases(
      "if possible | where possible | when possible | as far as possible | to the extent possible | " +
        "if appropriate | as appropriate | where appropriate | if necessary | where necessary | " +
        "when necessary | as necessary | if needed | as needed | when needed | where applicable | " +
        "if applicable | as applicable | if feasible | ideally",
    ),
  },
  open_ended: {
    label: "Open-ended term",
    severity: "error",
    testable: false,
    inTitle: true,
    fix: "List every case the story covers; anything left open needs its own story or a decision first.",
    words: phrases(
      "etc | etc. | and so on | and so forth | tbd | tbc | to be determined | to be defined | " +
        "to be decided | to be confirmed | but not limited to | among others | and the like | or similar",
    ),
  },
  superlative: {
    label: "Superlative",
    severity: "warning",
    testable: false,
    inTitle: true,
    fix: "Name the measure and the value that is good enough (“the 10 most downloaded”, “under 1 s”).",
    words: phrases(
      "best | worst | most | least | fastest | slowest | easiest | simplest | highest | lowest | " +
        "largest | smallest | biggest | greatest | optimal | optimally | optimum | maximal",
    ),
  },
  comparative: {
    label: "Comparative",
    severity: "warning",
    testable: false,
    inTitle: true,
    fix: "Say better than what, and by how much (“faster than today's 5 s: under 2 s”).",
    words: phrases(
      "better | worse | faster | slower | easier | simpler | higher | lower | larger | smaller | bigger | " +
        "greater | quicker | cheaper | more | less | fewer",
    ),
  },
  negative: {
    label: "Negative statement",
    severity: "warning",
    testable: true,
    inTitle: false,
    fix: "State what should happen instead of what should not, where you can; a negative is hard to prove.",
    words: phrases(
      "not | no | never | cannot | can't | can’t | don't | don’t | doesn't | doesn’t | won't | won’t | " +
        "shouldn't | mustn't | isn't | aren't | without | none | nothing | nobody | neither | nor",
    ),
  },
};

const PRONOUN_INFO = {
  label: "Vague pronoun",
  severity: "warning" as Severity,
  fix: "Name the thing the pronoun stands for.",
};
/** Pronouns that stand for something not named in the criterion or goal. */
const VAGUE_PRONOUNS = ["it", "they", "them", "this", "these", "those", "that"];
/** Demonstratives that are only vague pronouns when a verb or nothing follows ("this should…" but not "this page"). */
const DEMONSTRATIVES = new Set(["this", "these", "those", "that"]);
const AFTER_DEMONSTRATIVE_PRONOUN =
  /^\s*(?:$|[,.;:!?]|(?:is|are|was|were|should|shall|must|will|can|could|may|might|has|have|does|do|works?|needs?|happens?)\b)/i;
/**
 * Comparatives and superlatives that are measured after all: "more than 5", "at least", "most recent", "one or more".
 */
const MEASURED_AFTER = /^\s+(?:th[ae]n\s+(?:\d|one|two|three|four|five|ten)|recent(?:ly)?\b)/i;
const MEASURED_BEFORE = /(?:\bat|\b(?:\d+|one|two|three)\s+or|\bno|\bor)\s+$/i;
/** Set phrases that contain a smell word but name a definite thing ("Quick Fix", "lower case", "any more"). */
const NOT_SMELLS = phrases(
  "quick fix | quick fixes | quick filter | quick filters | quick start | quick win | quick wins | quick search | " +
    "quick access | quick tour | quick look | quick link | quick links | lower case | upper case | any more | " +
    "once more | more or less | higher order | lower order | higher level | lower level | least squares | " +
    "no longer | no more | upper and lower | lower and upper | less than sign | greater than sign | we'd better | " +
    "you'd better | had better",
);
/** Keywords that open a Given/When/Then criterion line. */
const CRITERION_KEYWORD = /^\s*(?:(?:given|when|then|and|but)\b[\s,]*)?/i;

// Minimal: what does not belong in a title.
const BRACKETS = /\(([^()]*)\)|\[([^[\]]*)\]|\{(?!\{)([^{}]*)\}/g;
const NOTES = /(?<![\p{L}\p{N}])(?:e\.\s?g\.|eg\.|i\.\s?e\.|n\.b\.|nb:|note:|notes:|ps:|fyi\b|see also\b|see:)/giu;
/** A leading label like "Windows:" or "[Alloy]" is a tracker convention, not extra content. */
const LEADING_TAG = /^\s*(?:\[[^\]]{1,30}\]\s*|[\p{L}\p{N}._()-]+(?:\s[\p{L}\p{N}._()-]+){0,4}\s?:\s+)+/u;

// Estimable: open questions in the text.
const OPEN_QUESTION =
  /tbd|tbc|to be (?:decided|determined|defined|confirmed|clarified|discussed)|open questions?|unclear|not sure|\?{2,}/giu;
/** "to be decided" is open only after "needs", "still", "is" …: "allow the capacity to be defined" is not. */
const OPEN_BEFORE_TO_BE = /(?:^|\s)(?:needs?|still|yet|remains?|is|are)\s+$/i;
/**
 * What counts in a description, where people think aloud ("not sure when this broke", "unclear why"): only the
 * explicit markers of an undecided requirement.
 */
const OPEN_IN_DESCRIPTION = /^(?:tbd|tbc|open questions?|to be \p{L}+)$/iu;
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** A question in a title or criterion: a word followed by "?" at a sentence end. */
const QUESTION_MARK = /[\p{L}\p{N})"'’]\?(?=\s|$)/gu;

// Atomic: a conjunction joins two goals when a second clause or a second verb follows it.
/** Base-form verbs of the goals in the real data (user-stories/*.txt goals; story-points/*.csv title openings). */
const VERBS_ONLY = new Set(
  (
    "accept activate adapt add adjust adopt align allow analyse analyze apply approve assemble assess assign " +
    "associate authenticate authorize automate avoid become begin bring browse calculate calibrate cancel cascade " +
    "choose clarify clone collect combine compare compile complete compute configure confirm connect consider " +
    "consolidate contribute convert coordinate correct create customise customize decide decommission decouple " +
    "define delete deliver demonstrate deploy deprecate derive describe detect determine develop disable disallow " +
    "discover discuss edit elaborate eliminate embed enable enforce enhance ensure enter establish evaluate " +
    "exclude execute expand explain explore expose extend externalize extract fill finalize find finish generate " +
    "get give harmonize have hide identify ignore implement improve include incorporate infer inform insert " +
    "inspect install integrate introduce investigate invite join keep kick know learn leverage locate maintain " +
    "manage measure migrate modernize modify modularize navigate notify obtain optimize organize overwrite " +
    "parameterize parse participate perform persist populate poll prepare prevent promote propagate propose " +
    "provide publish put rationalize read receive reconcile redesign reduce refactor refer refine reflect " +
    "register reimplement reject relate relax remove rename render reopen reorder reorganize replace reproduce " +
    "resolve restart restore restrict retrieve revert revise rewrite save secure see select send separate " +
    "simplify specify standardize study submit subscribe suggest summarize suppress synchronize take tell toggle " +
    "translate try understand undelete undo unify uninstall unpublish validate verify visualise visualize warn " +
    "wrangle write"
  ).split(" "),
);
/** Base-form verbs that are nouns as often ("a search", "the export"): a verb only when an object follows. */
const VERBS_ALSO_NOUNS = new Set(
  (
    "access address alert archive audit backport backup benchmark bind break build bump bundle cache capture " +
    "catch debug change check checkout clean cleanup close comment commit control copy design display document " +
    "download draft drill drop estimate experiment export factor figure filter fit fix force help hook import " +
    "increase label launch link list load lock log look map mark match merge monitor move offer open order " +
    "outline pin plan port post present print process profile prototype pull push query record redirect release " +
    "reload report request reset return reuse review rollback run schedule search set setup share show sign sort " +
    "split start stop store support switch sync tag test track transfer transition trigger trim turn update " +
    "upgrade upload use version view visit walk work"
  ).split(" "),
);
/** Words that open a verb's object: after "… and <verb>", they show the verb is one ("and pin the versions"). */
const OBJECT_STARTERS = new Set(
  (
    "the a an my our your their his her its this that these those all any each every some new existing multiple " +
    "it them him me us someone something everything anything up out down back in on off into over away through " +
    "another other one two both only which what how whether where who if"
  ).split(" "),
);
/** Words that open a subordinate clause: a conjunction after one usually joins parts of that clause, not two goals. */
const SUBORDINATORS = new Set(
  (
    "that which who whom whose when whenever where wherever if whether while because since until unless after " +
    "before though although once using without than even like how what why"
  ).split(" "),
);
/** Words after which "to" opens the goal itself ("the ability to export") rather than a purpose clause. */
const OPENS_GOAL_BEFORE_TO = new Set([
  "ability",
  "able",
  "option",
  "possibility",
  "way",
  "allowed",
  "permission",
  "chance",
]);
const COPULAS = new Set(["is", "are", "was", "were", "be", "been", "being"]);
const MODALS = new Set(["can", "could", "should", "will", "would", "must", "may", "might", "shall", "cannot"]);
const SKIPPED_ADVERBS = new Set([
  "also",
  "then",
  "thereby",
  "later",
  "optionally",
  "afterwards",
  "additionally",
  "finally",
  "immediately",
  "even",
  "maybe",
]);
/** Fixed pairs that name one thing. */
const BINOMIALS = new Set(
  phrases(
    "drag and drop | search and replace | find and replace | copy and paste | cut and paste | " +
      "pick and choose | plug and play | terms and conditions | trial and error | black and white | " +
      "pros and cons | read / write | input / output | on / off | yes / no | true / false | client / server | " +
      "q & a | r & d | hide / show | show / hide | undo / redo | on and off | back and forth | " +
      "enable or disable | enable and disable | enable / disable | activate or deactivate | show or hide | " +
      "show and hide | hide or show | lock or unlock | expand or collapse | expand and collapse | " +
      "collapse and expand | start and stop | start or stop | start / stop | stop and start | try / catch",
  ),
);
const CONJUNCTIONS = new Set(["and", "or", "&", "/"]);

// Uniform: no finding for a team with fewer stories, or when no template reaches this share.
const UNIFORM_MIN_STORIES = 5;
const UNIFORM_MIN_SHARE = 0.6;
const TEMPLATE_LABEL: Record<Template, string> = {
  as_want_so: "“As a …, I want …, so that …”",
  as_want: "“As a …, I want …”",
  other: "free text",
};

// ── Settings ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Ranges the team settings must stay in. */
export const QUALITY_SETTING_RANGES = {
  smallMaxPoints: { min: 1, max: 100 },
  velocityShare: { min: 0.05, max: 1 },
  duplicateSimilarity: { min: 0.5, max: 1 },
} as const;

/**
 * What is wrong with team quality settings, as field issues for the settings API (empty when valid). Every field is
 * optional (a missing one keeps its default); `disabled` must list known rules, each once; thresholds must be numbers
 * within QUALITY_SETTING_RANGES.
 */
export function qualitySettingsProblems(settings: unknown): FieldIssue[] {
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    return [{ path: "", message: "Settings must be an object." }];
  }
  const problems: FieldIssue[] = [];
  const value = settings as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!(key in DEFAULT_QUALITY_SETTINGS)) problems.push({ path: key, message: `Unknown setting '${key}'.` });
  }
  if ("disabled" in value) {
    const disabled = value.disabled;
    if (!Array.isArray(disabled)) problems.push({ path: "disabled", message: "Must be a list of rule names." });
    else {
      const seen = new Set<unknown>();
      disabled.forEach((rule, i) => {
        if (!(QUALITY_RULES as readonly unknown[]).includes(rule)) {
          problems.push({
            path: `disabled.${i}`,
            message: `Unknown rule '${String(rule)}'; rules are ${QUALITY_RULES.join(", ")}.`,
          });
        } else if (seen.has(rule))
          problems.push({ path: `disabled.${i}`, message: `'${String(rule)}' is listed twice.` });
        seen.add(rule);
      });
    }
  }
  for (const key of Object.keys(QUALITY_SETTING_RANGES) as (keyof typeof QUALITY_SETTING_RANGES)[]) {
    if (!(key in value)) continue;
    const n = value[key];
    const { min, max } = QUALITY_SETTING_RANGES[key];
    if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > max) {
      problems.push({ path: key, message: `Must be a number from ${min} to ${max}.` });
    }
  }
  return problems;
}

// ── Checking one story's text ────────────────────────────────────────────────────────────────────────────────────

type StoryText = Pick<StoryForCheck, "title" | "description" | "acceptanceCriteria" | "type" | "points">;

/** What one pass over a story's text found, kept so checkStories reads each story once. */
interface TextAnalysis {
  statement: Statement;
  /** Findings of the text rules, before settings are applied. */
  findings: Finding[];
  /** Content words of goal and benefit (not the role), for near-duplicates. */
  terms: string[];
  /** Content words of the goal alone. */
  goalTerms: string[];
  /** Numbers, months and part numbers in the title: stories that differ in one (a version, a week) are a series. */
  series: string;
}

/** Quoted text (an error message, a symbol): titles quoting different things are about different things. */
const QUOTED = /"[^"]*"|“[^”]*”/g;
const SERIES_MARKER =
  /\d+(?:[._/:-]\d+)*|(?<![\p{L}])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|part\s+[ivx]+)(?![\p{L}])/gu;

const quote = (s: string): string => `“${s}”`;
const excerpt = (s: string, max = 60): string => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);
const joinQuoted = (list: string[]): string => {
  const quoted = [...new Set(list)].map(quote);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
};

function finding(
  rule: QualityRule,
  message: string,
  fix: string,
  highlights: Highlight[] = [],
  options: { severity?: Severity; relatedKeys?: string[] } = {},
): Finding {
  const info = RULE_INFO[rule];
  return {
    rule,
    severity: options.severity ?? info.severity,
    message,
    why: info.why,
    fix,
    highlights,
    relatedKeys: options.relatedKeys ?? [],
  };
}

const at = (field: Statement["field"], span: Span): Highlight => ({ field, start: span.start, end: span.end });

function checkWellFormed(story: StoryText, s: Statement): Finding[] {
  if (story.type !== "business") return [];
  const whole = { start: 0, end: s.text.length };
  if (!s.role && !s.means) {
    if (s.text.trim() === "")
      return [
        finding(
          "well_formed",
          "No story yet: the title is empty.",
          "Write it as “As a <role>, I want <goal>, so that <benefit>”.",
        ),
      ];
    return [
      finding(
        "well_formed",
        "No role and no goal: the title is free text, not “As a <role>, I want <goal>”.",
        isVerb(wordsOf(s.text, 0, 40)[0]?.lower)
          ? `Say who wants it and why, e.g. “As a <role>, I want to ${excerpt(lowerFirst(s.text.trim().replace(/[.!]+$/, "")), 80)}, so that <benefit>”.`
          : "Say who wants it, what they want and why: “As a <role>, I want <goal>, so that <benefit>”.",
        [at(s.field, trimmedWhole(s.text, whole))],
      ),
    ];
  }
  if (!s.role) {
    const goalStart = s.means ?? s.goal;
    return [
      finding(
        "well_formed",
        "No role: the story does not say who wants it.",
        "Start with “As a <role>,”: the person or system that gets the value.",
        [at(s.field, { start: trimmedWhole(s.text, whole).start, end: goalStart.end })],
      ),
    ];
  }
  if (!s.means || s.goal.start === s.goal.end) {
    return [
      finding(
        "well_formed",
        `No goal: the role ${quote(s.text.slice(s.role.start, s.role.end))} is not followed by “I want …”.`,
        "Say what the role wants: “I want to <do something>”.",
        [at(s.field, s.roleClause ?? s.role)],
      ),
    ];
  }
  return [];
}

function trimmedWhole(text: string, span: Span): Span {
  let start = span.start;
  let end = span.end;
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return { start, end };
}

const lowerFirst = (s: string): string => (s ? (s[0] as string).toLowerCase() + s.slice(1) : s);
const upperFirst = (s: string): string => (s ? (s[0] as string).toUpperCase() + s.slice(1) : s);

function checkBenefit(story: StoryText, s: Statement): Finding[] {
  if (story.type !== "business" || !s.role || !s.means || s.goal.start === s.goal.end) return [];
  if (s.benefit && s.benefit.end > s.benefit.start) return [];
  const goal = s.text.slice(s.goal.start, s.goal.end);
  return [
    finding(
      "benefit",
      s.ends ? "The “so that” clause is empty." : "No benefit: there is no “so that …” clause.",
      `Add why the role wants it: “…, ${s.text.slice(s.means.start, s.means.end)} ${excerpt(goal, 40)}, so that <what it gives them>”.`,
      [at(s.field, { start: s.means.start, end: s.goal.end })],
    ),
  ];
}

interface GoalToken {
  text: string;
  lower: string;
  start: number;
  end: number;
  /** Inside brackets: an aside, left to the minimal rule. */
  bracketed: boolean;
}

const GOAL_TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}_.'’-]*[\p{L}\p{N}])?|[&/,;:()]/gu;

function goalTokens(text: string, goal: Span): GoalToken[] {
  const tokens: GoalToken[] = [];
  let depth = 0;
  GOAL_TOKEN.lastIndex = goal.start;
  for (let m = GOAL_TOKEN.exec(text); m !== null && m.index < goal.end; m = GOAL_TOKEN.exec(text)) {
    if (m[0] === "(") depth++;
    if (m[0] === ")") depth = Math.max(0, depth - 1);
    tokens.push({
      text: m[0],
      lower: m[0].toLowerCase(),
      start: m.index,
      end: m.index + m[0].length,
      bracketed: depth > 0,
    });
  }
  return tokens;
}

const isVerb = (w: string | undefined): boolean => w !== undefined && (VERBS_ONLY.has(w) || VERBS_ALSO_NOUNS.has(w));
const isWord = (t: GoalToken | undefined): t is GoalToken => t !== undefined && /^[\p{L}\p{N}]/u.test(t.lower);

/**
 * The goal's main verb: its first word when a verb, or the verb after "the ability to"; -1 when the goal is a noun
 * phrase.
 */
function mainVerbIndex(tokens: GoalToken[], from: number): number {
  if (isVerb(tokens[from]?.lower)) return from;
  if (/ly$/.test(tokens[from]?.lower ?? "") && isVerb(tokens[from + 1]?.lower)) return from + 1; // "easily see"
  for (let i = from; i < Math.min(tokens.length - 1, from + 10); i++) {
    if (tokens[i]?.lower !== "to" || !OPENS_GOAL_BEFORE_TO.has(tokens[i - 1]?.lower ?? "")) continue;
    if (isVerb(tokens[i + 1]?.lower)) return i + 1;
    // "should be able to be deployed … and managed": a passive goal
    if (tokens[i + 1]?.lower === "be" && isParticiple(tokens[i + 2]?.lower)) return i + 2;
  }
  return -1;
}

/** Words after which "to" is a preposition ("to the runtime", "to 3.7", "to TaskStatus"), not "to <verb>". */
const AFTER_PREPOSITION_TO = new Set(
  "the a an my our your their his her its this that these those all any each every some no one two".split(" "),
);

/**
 * Whether "to" before `next` opens a purpose clause ("to sign up", "to reflect"): a verb, or a plain lower-case word
 * that is not a determiner, a plural or a file or code name ("to servers.yml", "to hdfs-dataset" are places).
 */
function opensInfinitive(next: GoalToken | undefined): boolean {
  if (next === undefined) return false;
  if (isVerb(next.lower) || next.lower === "be") return true;
  return /^\p{Ll}+$/u.test(next.text) && !next.lower.endsWith("s") && !AFTER_PREPOSITION_TO.has(next.lower);
}

/** A past participle of a lexicon verb: "deployed", "managed", "copied". */
function isParticiple(w: string | undefined): boolean {
  if (w === undefined || !w.endsWith("ed")) return false;
  return isVerb(w.slice(0, -1)) || isVerb(w.slice(0, -2)) || (w.endsWith("ied") && isVerb(`${w.slice(0, -3)}y`));
}

interface SecondGoal {
  conjunction: GoalToken;
  /** The token where the second goal's words start (its verb, or its subject/modal). */
  secondStart: number;
  /** Two verbs side by side sharing one object ("backup and restore the rulebase"). */
  sharedObject: boolean;
  /**
   * Where the words the second goal shares with the first end ("jobs should be able to be " deployed … and managed).
   */
  sharedPrefixEnd?: number;
}

/**
 * Where, if anywhere, a conjunction in the goal starts a second goal (POS-free heuristics, see docs/story-quality.md).
 */
function secondGoals(text: string, tokens: GoalToken[], from: number, freeText: boolean): SecondGoal[] {
  const main = mainVerbIndex(tokens, from);
  // Free text that does not open with a verb describes a state ("Studio hangs and crashes"), not goals.
  if (freeText && main < 0) return [];
  const found: SecondGoal[] = [];
  for (let k = from + 1; k < tokens.length - 1; k++) {
    const conj = tokens[k] as GoalToken;
    if (!CONJUNCTIONS.has(conj.lower) || conj.bracketed) continue;
    const left = tokens[k - 1];
    const right = tokens[k + 1];
    if (!isWord(left) || !isWord(right)) continue;
    // "SourceCatalog.append and .extend": code, not a verb.
    if (conj.lower !== "/" && !/\s/.test(text[right.start - 1] ?? " ")) continue;
    if (conj.lower === "/" && (left.end !== conj.start || right.start !== conj.end)) continue;
    if (conj.lower === "/" && (tokens[k + 2]?.lower === "/" || tokens[k - 2]?.lower === "/")) continue; // "Run/Debug/Profile" names
    if (CONJUNCTIONS.has(left.lower) || CONJUNCTIONS.has(right.lower)) continue; // "and/or"
    if (BINOMIALS.has(`${left.lower} ${conj.lower} ${right.lower}`)) continue;
    if (main >= 0 && k <= main) continue;
    // A subordinate clause between the main verb and the conjunction: the conjunction joins parts of that clause.
    let subordinate = false;
    for (let i = Math.max(main + 1, from); i < k - 1; i++) {
      const w = tokens[i]?.lower ?? "";
      const infinitive = w === "to" && opensInfinitive(tokens[i + 1]);
      if (SUBORDINATORS.has(w) || (infinitive && !OPENS_GOAL_BEFORE_TO.has(tokens[i - 1]?.lower ?? "")))
        subordinate = true;
    }
    if (subordinate) continue;

    let r = k + 1;
    while (SKIPPED_ADVERBS.has(tokens[r]?.lower ?? "")) r++;
    if (tokens[r]?.lower === "to") r++;
    const word = tokens[r]?.lower;
    if (word === undefined) continue;
    if ((word === "i" || word === "we") && (MODALS.has(tokens[r + 1]?.lower ?? "") || isVerb(tokens[r + 1]?.lower))) {
      found.push({ conjunction: conj, secondStart: r, sharedObject: false });
      continue;
    }
    if (MODALS.has(word) && conj.lower !== "/") {
      found.push({ conjunction: conj, secondStart: r, sharedObject: false });
      continue;
    }
    if (isParticiple(word) && isParticiple(tokens[main]?.lower)) {
      found.push({ conjunction: conj, secondStart: r, sharedObject: false, sharedPrefixEnd: tokens[main]?.start });
      continue;
    }
    if (!isVerb(word)) continue;
    const next = tokens[r + 1]?.lower;
    const objectFollows = next !== undefined && OBJECT_STARTERS.has(next);
    const leftIsMainVerbList =
      main >= 0 && isVerb(left.lower) && tokens.slice(main, k).every((t) => t.lower === "," || isVerb(t.lower));
    if (conj.lower === "/") {
      if (!leftIsMainVerbList) continue;
    } else if (!objectFollows && !leftIsMainVerbList) {
      // "dependencies are version consistent and secure": after "are", a verb-like word is an adjective
      const copula = tokens.slice(Math.max(main + 1, from), k).some((t) => COPULAS.has(t.lower));
      if (!VERBS_ONLY.has(word) || copula) continue;
    }
    found.push({ conjunction: conj, secondStart: r, sharedObject: leftIsMainVerbList && r === k + 1 });
  }
  return found;
}

function checkAtomic(s: Statement): Finding[] {
  if (s.goal.end <= s.goal.start) return [];
  const tokens = goalTokens(s.text, s.goal);
  const tag = s.template === "other" ? LEADING_TAG.exec(s.text.slice(s.goal.start, s.goal.end)) : null;
  const from = tag ? tokens.findIndex((t) => t.start >= s.goal.start + tag[0].length) : 0;
  if (from < 0) return [];
  return secondGoals(s.text, tokens, from, s.template === "other").map((split) => {
    const { conjunction, secondStart, sharedObject, sharedPrefixEnd } = split;
    const goalStart = (tokens[from] as GoalToken).start;
    const second = tokens[secondStart] as GoalToken;
    const before = s.text.slice(0, goalStart);
    const after = s.text.slice(s.goal.end);
    const firstPart = s.text.slice(goalStart, conjunction.start).replace(/[\s,]+$/, "");
    // "backup and restore the rulebase" → "backup the rulebase", "restore the rulebase"
    // the object without the second verb's particle: "audit and clean up the usage" → "audit the usage"
    const object = s.text.slice(second.end, s.goal.end).replace(/^\s+(?:up|out|down|off|back)(?=\s)/i, "");
    const firstGoal = sharedObject ? firstPart + object : firstPart;
    // "jobs should be able to be deployed … and managed" → "jobs should be able to be managed"
    const shared = sharedPrefixEnd === undefined ? "" : s.text.slice(goalStart, sharedPrefixEnd);
    const secondGoal = shared + s.text.slice(second.start, s.goal.end);
    const compose = (goal: string): string =>
      s.template === "other" ? upperFirst(goal) + after.replace(/^[\s,]+$/, "") : before + goal + after;
    const word = s.text.slice(conjunction.start, conjunction.end);
    return finding(
      "atomic",
      `Two goals joined by ${quote(word)}: ${quote(excerpt(firstGoal, 50))} and ${quote(excerpt(secondGoal, 50))}.`,
      `Split into ${quote(compose(firstGoal).trim())} and ${quote(compose(secondGoal).trim())}.`,
      [
        at(s.field, { start: conjunction.start, end: conjunction.end }),
        at(s.field, { start: second.start, end: second.end }),
      ],
    );
  });
}

function checkMinimal(title: string): Finding[] {
  const findings: Finding[] = [];
  const tag = LEADING_TAG.exec(title);
  const bodyStart = tag ? tag[0].length : 0;
  const breaks = sentenceBreaks(title, bodyStart).filter((b) => title.slice(b + 1).trim().length > 0);
  if (breaks.length > 0) {
    const first = breaks[0] as number;
    const extra = trimmedWhole(title, { start: first + 1, end: title.length });
    findings.push(
      finding(
        "minimal",
        `More than one sentence in the title: ${quote(excerpt(title.slice(extra.start, extra.end), 50))} follows the story.`,
        `Keep the title to the story (${quote(excerpt(title.slice(bodyStart, first + 1).trim(), 60))}) and move the rest to the description or the acceptance criteria.`,
        [at("title", extra)],
      ),
    );
  }
  const brackets: Span[] = [];
  BRACKETS.lastIndex = 0;
  for (let m = BRACKETS.exec(title); m !== null; m = BRACKETS.exec(title)) {
    const inner = m[1] ?? m[2] ?? m[3] ?? "";
    if (m.index < bodyStart || !/\p{L}/u.test(inner)) continue;
    const before = /[\p{L}\p{N}_.:$>-]+$/u.exec(title.slice(0, m.index))?.[0] ?? "";
    const codeCall =
      before !== "" &&
      (!/\s/.test(inner) ||
        (m[0].startsWith("(") && (/[a-z][A-Z]|[_.$]|::|->/.test(before) || /::|[=*&<>]/.test(inner))));
    const quoted = (title.slice(0, m.index).match(/["“”]/g)?.length ?? 0) % 2 === 1; // part of a quoted message
    const markup = title[m.index - 1] === "{" || title[m.index + m[0].length] === "}";
    const partOfWord = /^[\p{L}\p{N}-]/u.test(title.slice(m.index + m[0].length)); // "(N+1)-d", "(dot)files"
    // "[FAILED_INSUFFICIENT_STORAGE]", "[here|http://…]", "{attribute}": names and placeholders, not asides
    const token = !m[0].startsWith("(") && !/\s/.test(inner);
    if (codeCall || markup || partOfWord || token || quoted) continue;
    brackets.push({ start: m.index, end: m.index + m[0].length });
  }
  if (brackets.length > 0) {
    const words = brackets.map((b) => excerpt(title.slice(b.start, b.end), 40));
    findings.push(
      finding(
        "minimal",
        `Brackets in the title: ${joinQuoted(words)}.`,
        "Move what is in brackets to the description or an acceptance criterion; if it matters to the goal, say it in the sentence.",
        brackets.map((b) => at("title", b)),
      ),
    );
  }
  const notes: Span[] = [];
  NOTES.lastIndex = 0;
  for (let m = NOTES.exec(title); m !== null; m = NOTES.exec(title)) {
    if (m.index >= bodyStart) notes.push({ start: m.index, end: m.index + m[0].length });
  }
  if (notes.length > 0) {
    findings.push(
      finding(
        "minimal",
        `A note in the title: ${joinQuoted(notes.map((n) => title.slice(n.start, n.end)))}.`,
        "Put examples and notes in the description; the title is the story.",
        notes.map((n) => at("title", n)),
      ),
    );
  }
  return findings;
}

interface SmellHit {
  kind: SmellKind;
  word: string;
  highlight: Highlight;
}

interface Phrase {
  kind: Exclude<SmellKind, "pronoun"> | "term";
  words: string[];
}

/** Every smell phrase (and set phrase) by its first word, longest first: a story's words are looked up once each. */
const PHRASES_BY_FIRST_WORD = (() => {
  const map = new Map<string, Phrase[]>();
  const add = (kind: Phrase["kind"], phrase: string) => {
    const words = phrase.toLowerCase().replace(/\.$/, "").split(" ");
    const list = map.get(words[0] as string) ?? [];
    if (!list.some((p) => p.kind === kind && p.words.join(" ") === words.join(" "))) list.push({ kind, words });
    map.set(words[0] as string, list);
  };
  for (const kind of Object.keys(SMELLS) as (keyof typeof SMELLS)[]) for (const p of SMELLS[kind].words) add(kind, p);
  for (const p of NOT_SMELLS) add("term", p);
  for (const list of map.values()) list.sort((x, y) => y.words.length - x.words.length);
  return map;
})();

function phraseAt(text: string, words: Word[], i: number, phrase: string[]): boolean {
  for (let j = 0; j < phrase.length; j++) {
    const w = words[i + j];
    if (!w || w.lower !== phrase[j]) return false;
    if (j > 0 && !/^\s+$/.test(text.slice((words[i + j - 1] as Word).end, w.start))) return false;
  }
  return true;
}

function smellsIn(text: string, span: Span, where: Omit<Highlight, "start" | "end">, inCriterion: boolean): SmellHit[] {
  const words = wordsOf(text, span.start);
  const hits: SmellHit[] = [];
  const terms: Span[] = [];
  for (let i = 0; i < words.length && (words[i] as Word).start < span.end; i++) {
    for (const p of PHRASES_BY_FIRST_WORD.get((words[i] as Word).lower) ?? []) {
      if (p.kind !== "term" && !inCriterion && !SMELLS[p.kind].inTitle) continue;
      if (!phraseAt(text, words, i, p.words)) continue;
      const start = (words[i] as Word).start;
      if (/[._/#$@-]/.test(text[start - 1] ?? "")) continue; // ".flexible": a name in code
      if ((text.slice(0, start).match(/["“”]/g)?.length ?? 0) % 2 === 1) continue; // a quoted label: "See more"
      let end = (words[i + p.words.length - 1] as Word).end;
      if (p.words[p.words.length - 1] === "etc" && text[end] === ".") end++;
      if (p.kind === "term") terms.push({ start, end });
      else hits.push({ kind: p.kind, word: text.slice(start, end), highlight: { ...where, start, end } });
    }
  }
  const inside = (a: Span, b: Span) => b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start;
  return hits.filter(
    (h) =>
      !(
        h.kind !== "negative" &&
        terms.some((t) => inside(h.highlight, t) || (t.start === h.highlight.start && t.end >= h.highlight.end))
      ) &&
      !(
        (h.kind === "comparative" || h.kind === "superlative") &&
        isMeasured(text, h.highlight.start, h.highlight.end)
      ) &&
      // "as appropriate" is a loophole, not also the vague "appropriate": a hit inside a longer one goes.
      !hits.some((other) => other !== h && inside(h.highlight, other.highlight)),
  );
}

function isMeasured(text: string, start: number, end: number): boolean {
  return (
    MEASURED_AFTER.test(text.slice(end, end + 20)) || MEASURED_BEFORE.test(text.slice(Math.max(0, start - 12), start))
  );
}

/**
 * A vague pronoun opening a criterion, or standing for the goal's object right after its verb ("I want to edit it").
 */
function pronounAt(text: string, from: number, to: number, where: Omit<Highlight, "start" | "end">): SmellHit | null {
  const words = wordsOf(text, from, Math.min(to, from + 40)).slice(0, 2);
  for (const [i, w] of words.entries()) {
    if (!VAGUE_PRONOUNS.includes(w.lower)) continue;
    if (i === 1 && !isVerb(words[0]?.lower)) return null;
    if (DEMONSTRATIVES.has(w.lower) && !AFTER_DEMONSTRATIVE_PRONOUN.test(text.slice(w.end, to))) return null;
    // "It isn't possible to …", "make it possible": "it" stands for what follows, not for something unnamed
    if (
      w.lower === "it" &&
      /^\s+(?:possible|easier|easy|clear|work|is|isn['’]t|was|seems|would\s+be|will\s+be)\b/i.test(
        text.slice(w.end, to),
      )
    )
      return null;
    if (w.lower === "it" && /^['’]s\b/.test(text.slice(w.end, to))) return null;
    return { kind: "pronoun", word: text.slice(w.start, w.end), highlight: { ...where, start: w.start, end: w.end } };
  }
  return null;
}

function ambiguousHits(story: StoryText, s: Statement): { title: SmellHit[]; criteria: SmellHit[][] } {
  const titleHits: SmellHit[] = [];
  if (s.field === "title") {
    const scope = { start: s.roleClause?.start ?? s.goal.start, end: s.goal.end };
    titleHits.push(...smellsIn(s.text, scope, { field: "title" }, false));
    const pronoun = pronounAt(s.text, s.goal.start, s.goal.end, { field: "title" });
    if (pronoun && pronoun.word.toLowerCase() !== "that") titleHits.push(pronoun);
  }
  const criteria = story.acceptanceCriteria.map((c, index) => {
    const where = { field: "acceptanceCriteria" as const, index };
    const hits = smellsIn(c.text, { start: 0, end: c.text.length }, where, true);
    const keyword = CRITERION_KEYWORD.exec(c.text);
    const pronoun = pronounAt(c.text, keyword ? keyword[0].length : 0, c.text.length, where);
    if (pronoun) hits.push(pronoun);
    return hits;
  });
  return { title: titleHits, criteria };
}

function checkAmbiguous(hits: { title: SmellHit[]; criteria: SmellHit[][] }): Finding[] {
  const all = [...hits.title, ...hits.criteria.flat()];
  const findings: Finding[] = [];
  for (const kind of [...(Object.keys(SMELLS) as SmellKind[]), "pronoun" as const]) {
    const ofKind = all.filter((h) => h.kind === kind);
    if (ofKind.length === 0) continue;
    const info = kind === "pronoun" ? { ...PRONOUN_INFO, inTitle: true } : SMELLS[kind];
    const places = ofKind.map(
      (h) =>
        `${quote(h.word)} (${h.highlight.field === "title" ? "title" : `criterion ${(h.highlight.index ?? 0) + 1}`})`,
    );
    const uniquePlaces = [...new Set(places)];
    findings.push(
      finding(
        "ambiguous",
        `${info.label}: ${uniquePlaces.join(", ")}.`,
        info.fix,
        ofKind.map((h) => h.highlight),
        { severity: info.severity },
      ),
    );
  }
  return findings;
}

function checkEstimableText(story: StoryText): Finding[] {
  const highlights: Highlight[] = [];
  const words: string[] = [];
  const scan = (text: string, where: Omit<Highlight, "start" | "end">, questions: boolean) => {
    OPEN_QUESTION.lastIndex = 0;
    for (let m = OPEN_QUESTION.exec(text); m !== null; m = OPEN_QUESTION.exec(text)) {
      const end = m.index + m[0].length;
      if (WORD_CHAR.test(text[m.index - 1] ?? "") || WORD_CHAR.test(text[end] ?? "")) continue; // within a word
      if (!questions && !OPEN_IN_DESCRIPTION.test(m[0])) continue;
      let start = m.index;
      if (/^to be/i.test(m[0])) {
        const before = OPEN_BEFORE_TO_BE.exec(text.slice(Math.max(0, start - 12), start));
        if (!before) continue;
        start -= before[0].trimStart().length;
      }
      highlights.push({ ...where, start, end });
      words.push(text.slice(start, end));
    }
    if (!questions) return;
    QUESTION_MARK.lastIndex = 0;
    for (let m = QUESTION_MARK.exec(text); m !== null; m = QUESTION_MARK.exec(text)) {
      if (text[m.index + 2] === "?" || text[m.index] === "?") continue;
      highlights.push({ ...where, start: m.index + 1, end: m.index + 2 });
      words.push("?");
    }
  };
  scan(story.title, { field: "title" }, true);
  scan(story.description, { field: "description" }, false);
  story.acceptanceCriteria.forEach((c, index) => {
    scan(c.text, { field: "acceptanceCriteria", index }, true);
  });
  if (highlights.length === 0) return [];
  return [
    finding(
      "estimable",
      `Open questions: ${joinQuoted(words)}.`,
      "Answer the open questions with the Product Owner (or plan a spike for them) before estimating.",
      highlights,
    ),
  ];
}

function checkTestable(story: StoryText, criteriaHits: SmellHit[][]): Finding[] {
  const criteria = story.acceptanceCriteria;
  if (criteria.length === 0 || criteria.every((c) => c.text.trim() === "")) {
    return [
      finding(
        "testable",
        "No acceptance criteria.",
        "Add the conditions under which the Product Owner accepts the story, e.g. “Given …, when …, then …”.",
      ),
    ];
  }
  const untestable = criteriaHits.map((hits) => hits.filter((h) => h.kind !== "pronoun" && !SMELLS[h.kind].testable));
  if (!untestable.every((hits) => hits.length > 0)) return [];
  return [
    finding(
      "testable",
      criteria.length === 1
        ? `The only acceptance criterion cannot be tested: ${joinQuoted(untestable.flat().map((h) => h.word))}.`
        : `None of the ${criteria.length} acceptance criteria can be tested: ${joinQuoted(untestable.flat().map((h) => h.word))}.`,
      "Rewrite at least one criterion with an observable outcome (“then the export holds every row”) instead of a judgement.",
      untestable.flat().map((h) => h.highlight),
    ),
  ];
}

function checkPoints(points: number | null, settings: QualitySettings, averageVelocity: number | null): Finding[] {
  if (points === null) {
    return [
      finding(
        "estimable",
        "No estimate.",
        "Estimate it with the team (story points) before planning it into an iteration.",
      ),
    ];
  }
  const limits: string[] = [];
  if (points > settings.smallMaxPoints) limits.push(`the team's limit of ${settings.smallMaxPoints}`);
  const share = averageVelocity !== null && averageVelocity > 0 ? settings.velocityShare * averageVelocity : null;
  if (share !== null && points > share) {
    limits.push(
      `${Math.round(settings.velocityShare * 100)}% of the average velocity (${formatPoints(share)} of ${formatPoints(averageVelocity as number)})`,
    );
  }
  if (limits.length === 0) return [];
  return [
    finding(
      "small",
      `${formatPoints(points)} points is above ${limits.join(" and ")}.`,
      "Split it (by workflow step, business rule, data variation, or happy path first) into stories that each fit the limit.",
    ),
  ];
}

const formatPoints = (n: number): string => String(Math.round(n * 10) / 10);

/**
 * Text analyses by story object: a caller that keeps its stories between checks (the server's live check keeps an
 * ART's stories in memory until one changes) pays for each story's analysis once. Stories are read as immutable: a
 * changed story is a new object.
 */
const analyses = new WeakMap<StoryText, TextAnalysis>();

function analysedText(story: StoryText): TextAnalysis {
  let analysis = analyses.get(story);
  if (!analysis) {
    analysis = analyseText(story);
    analyses.set(story, analysis);
  }
  return analysis;
}

function analyseText(story: StoryText): TextAnalysis {
  const statement = readStatement(story.title, story.description);
  const hits = ambiguousHits(story, statement);
  const findings = [
    ...checkWellFormed(story, statement),
    ...checkBenefit(story, statement),
    ...checkAtomic(statement),
    ...checkMinimal(story.title),
    ...checkAmbiguous(hits),
    ...checkEstimableText(story),
    ...checkTestable(story, hits.criteria),
  ];
  // Near-duplicates compare titles: a description's "As a user, I want …" is often boilerplate shared by a series.
  const title = statement.field === "title" ? statement : readLine(story.title);
  const freeText = title.template === "other" && !title.means;
  const goalTerms = contentTerms(title.text, title.goal.start, title.goal.end);
  const benefitTerms = title.benefit ? contentTerms(title.text, title.benefit.start, title.benefit.end) : [];
  return {
    statement,
    findings,
    terms: freeText ? contentTerms(title.text) : [...new Set([...goalTerms, ...benefitTerms])],
    goalTerms: freeText ? [] : goalTerms,
    series: [...(story.title.toLowerCase().match(SERIES_MARKER) ?? []), ...(story.title.match(QUOTED) ?? [])]
      .sort()
      .join(" "),
  };
}

const ruleOrder = new Map<QualityRule, number>(QUALITY_RULES.map((r, i) => [r, i]));
const byRule = (a: Finding, b: Finding): number =>
  (ruleOrder.get(a.rule) as number) - (ruleOrder.get(b.rule) as number);

function applySettings(findings: Finding[], settings: QualitySettings): Finding[] {
  const disabled = new Set(settings.disabled);
  return findings.filter((f) => !disabled.has(f.rule)).sort(byRule);
}

/**
 * The findings of the rules that need only the story itself: well_formed, benefit, atomic, minimal, ambiguous,
 * estimable, testable, and small against `settings.smallMaxPoints`. Rules in `settings.disabled` are skipped.
 * Well-formed, benefit and valuable apply to business stories only (enablers, defects and debt are exempt).
 *
 * @example
 * checkStoryText({ title: "As an administrator, I want to backup and restore the rulebase", description: "",
 *   acceptanceCriteria: [], type: "business", points: 3 }, DEFAULT_QUALITY_SETTINGS)
 * // → benefit (no "so that"), atomic (“backup” and “restore”: two goals), testable (no criteria)
 */
export function checkStoryText(story: StoryText, settings: QualitySettings): Finding[] {
  const analysis = analyseText(story);
  return applySettings([...analysis.findings, ...checkPoints(story.points, settings, null)], settings);
}

// ── Checking stories against their team and train ────────────────────────────────────────────────────────────────

function checkIndependent(story: StoryForCheck): Finding[] {
  if (story.iterationOrder === null) return [];
  const own = story.iterationOrder;
  const late = story.dependsOn.filter((d) => !d.finished && (d.iterationOrder === null || d.iterationOrder >= own));
  if (late.length === 0) return [];
  const describe = (d: StoryForCheck["dependsOn"][number]): string =>
    d.iterationOrder === null
      ? `${d.key} (not planned)`
      : d.iterationOrder === own
        ? `${d.key} (same iteration)`
        : `${d.key} (a later iteration)`;
  return [
    finding(
      "independent",
      `Depends on ${late.map(describe).join(", ")}, not finished before this story's iteration.`,
      "Plan the dependency for an earlier iteration, move this story later, or split off the part that needs it.",
      [],
      { relatedKeys: late.map((d) => d.key) },
    ),
  ];
}

function checkValuable(story: StoryForCheck, s: Statement): Finding[] {
  if (story.type !== "business" || story.parentId !== null) return [];
  if (s.benefit && s.benefit.end > s.benefit.start) return [];
  return [
    finding(
      "valuable",
      "No benefit clause and no parent feature: nothing says what value the story adds.",
      "Link it to the feature it contributes to, or add “so that <benefit>”.",
    ),
  ];
}

function checkUniform(story: StoryForCheck, s: Statement, dominant: Template | undefined): Finding[] {
  if (story.type !== "business" || dominant === undefined || dominant === "other") return [];
  if (s.template === dominant || (dominant === "as_want" && s.template === "as_want_so")) return [];
  return [
    finding(
      "uniform",
      `Written as ${TEMPLATE_LABEL[s.template]}; most of the team's stories use ${TEMPLATE_LABEL[dominant]}.`,
      `Rewrite it in the team's template, ${TEMPLATE_LABEL[dominant]}.`,
      s.text.trim()
        ? [at(s.field, trimmedWhole(s.text, { start: 0, end: s.field === "title" ? s.text.length : s.goal.end }))]
        : [],
    ),
  ];
}

/** Each team's dominant template among its business stories in `stories` (see dominantTemplates). */
export function teamTemplates(stories: StoryForCheck[]): Map<string, Template> {
  return dominantTemplates(stories, analysedText);
}

/** Each team's dominant template among its business stories, when one reaches 60% of at least 5 stories. */
function dominantTemplates(
  stories: StoryForCheck[],
  analysisOf: (s: StoryForCheck) => TextAnalysis,
): Map<string, Template> {
  const counts = new Map<string, Record<Template, number>>();
  for (const story of stories) {
    if (story.type !== "business" || story.teamId === null) continue;
    const c = counts.get(story.teamId) ?? { as_want_so: 0, as_want: 0, other: 0 };
    c[analysisOf(story).statement.template]++;
    counts.set(story.teamId, c);
  }
  const dominant = new Map<string, Template>();
  for (const [team, c] of counts) {
    const total = c.as_want_so + c.as_want + c.other;
    if (total < UNIFORM_MIN_STORIES) continue;
    const best = (Object.keys(c) as Template[]).reduce((a, b) => (c[b] > c[a] ? b : a));
    if (c[best] >= UNIFORM_MIN_SHARE * total) dominant.set(team, best);
  }
  return dominant;
}

/**
 * Every rule for each of `stories`: the text rules of checkStoryText, plus unique (near-duplicates among `stories`
 * and `corpus`), uniform (the team's dominant template), independent, valuable and small against the team's velocity,
 * each with the settings of the story's team from `contextOf`. `corpus` is the rest of the team's and train's stories
 * and may include `stories`; a story is never its own duplicate. Returns the findings by story id (every id present).
 *
 * Near-duplicates: two stories are near-duplicates when the word sets (stemmed content words, without the role) of
 * their goal and benefit, or of their goals alone (when both have at least two words), have a Jaccard similarity of at
 * least the team's `duplicateSimilarity`. Candidates come from an inverted index with prefix filtering, not all pairs.
 */
export function checkStories(
  stories: StoryForCheck[],
  corpus: StoryForCheck[],
  contextOf: (teamId: string | null) => TeamContext,
): Map<string, Finding[]> {
  const all = new Map<string, StoryForCheck>();
  for (const s of corpus) all.set(s.id, s);
  for (const s of stories) all.set(s.id, s);
  const everyone = [...all.values()];
  const analysisOf = analysedText;
  const contexts = new Map<string | null, TeamContext>();
  const contextFor = (teamId: string | null): TeamContext => {
    let c = contexts.get(teamId);
    if (!c) {
      c = contextOf(teamId);
      contexts.set(teamId, c);
    }
    return c;
  };

  const needTemplates = stories.some((s) => s.teamId !== null && contextFor(s.teamId).dominantTemplate === undefined);
  const dominant = needTemplates ? dominantTemplates(everyone, analysisOf) : new Map<string, Template>();
  const templateOf = (teamId: string): Template | undefined => {
    const known = contextFor(teamId).dominantTemplate;
    return known === undefined ? dominant.get(teamId) : (known ?? undefined);
  };
  const duplicates = duplicatesOf(stories, everyone, analysisOf, contextFor);

  const result = new Map<string, Finding[]>();
  for (const story of stories) {
    const { settings, averageVelocity } = contextFor(story.teamId);
    const analysis = analysisOf(story);
    const findings = [
      ...analysis.findings,
      ...checkPoints(story.points, settings, averageVelocity),
      ...checkIndependent(story),
      ...checkValuable(story, analysis.statement),
      ...(story.teamId === null ? [] : checkUniform(story, analysis.statement, templateOf(story.teamId))),
      ...(duplicates.get(story.id) ?? []),
    ];
    result.set(story.id, applySettings(findings, settings));
  }
  return result;
}

const VERB_STEMS = new Set([...VERBS_ONLY, ...VERBS_ALSO_NOUNS].map(stem));

/**
 * Two titles that differ in exactly one word each, other than a verb, are variants of a series ("… for the iOS
 * plugin" and "… for the Android plugin"), not duplicates; a different verb is a rewording ("publish"/"create").
 */
function isVariant(a: string[], b: string[]): boolean {
  const onlyA = a.filter((w) => !b.includes(w));
  const onlyB = b.filter((w) => !a.includes(w));
  return (
    onlyA.length === 1 &&
    onlyB.length === 1 &&
    !(VERB_STEMS.has(onlyA[0] as string) && VERB_STEMS.has(onlyB[0] as string))
  );
}

/** Unique: near-duplicate findings for `stories`, found among `everyone` at the lowest threshold any team uses. */
/**
 * The stories a near-duplicate of one of `wanted` can be among: those sharing a word with one of them (two stories
 * alike from a similarity above 0 share one). Checking a few stories against a train compares only these; checking a
 * whole backlog compares everyone.
 */
function sharingAWord(
  wanted: StoryForCheck[],
  everyone: StoryForCheck[],
  analysisOf: (s: StoryForCheck) => TextAnalysis,
): StoryForCheck[] {
  if (wanted.length * 4 >= everyone.length) return everyone;
  const words = new Set(wanted.flatMap((s) => [...analysisOf(s).terms, ...analysisOf(s).goalTerms]));
  const ids = new Set(wanted.map((s) => s.id));
  return [
    ...wanted,
    ...everyone.filter(
      (s) =>
        !ids.has(s.id) &&
        (analysisOf(s).terms.some((w) => words.has(w)) || analysisOf(s).goalTerms.some((w) => words.has(w))),
    ),
  ];
}

function duplicatesOf(
  stories: StoryForCheck[],
  everyone: StoryForCheck[],
  analysisOf: (s: StoryForCheck) => TextAnalysis,
  contextFor: (teamId: string | null) => TeamContext,
): Map<string, Finding[]> {
  const wanted = stories.filter((s) => !contextFor(s.teamId).settings.disabled.includes("unique"));
  const findings = new Map<string, Finding[]>();
  if (wanted.length === 0) return findings;
  const threshold = Math.min(...wanted.map((s) => contextFor(s.teamId).settings.duplicateSimilarity));
  const compared = sharingAWord(wanted, everyone, analysisOf);
  const whole = nearDuplicates(
    compared.map((s) => ({ words: analysisOf(s).terms })),
    threshold,
  );
  const goals = nearDuplicates(
    compared.map((s) => ({ words: analysisOf(s).goalTerms })),
    threshold,
  );
  const indexOf = new Map(compared.map((s, i) => [s.id, i]));
  for (const story of wanted) {
    const i = indexOf.get(story.id) as number;
    const own = contextFor(story.teamId).settings.duplicateSimilarity;
    const best = new Map<number, number>();
    for (const d of [...(whole[i] ?? []), ...(goals[i] ?? [])])
      best.set(d.other, Math.max(best.get(d.other) ?? 0, d.similarity));
    const matches = [...best]
      .filter(([other, similarity]) => {
        const candidate = compared[other] as StoryForCheck;
        return (
          similarity + 1e-9 >= own &&
          candidate.id !== story.id &&
          analysisOf(candidate).series === analysisOf(story).series &&
          !isVariant(analysisOf(story).terms, analysisOf(candidate).terms)
        );
      })
      .sort((a, b) => b[1] - a[1]);
    if (matches.length === 0) continue;
    const others = matches.map(([other]) => compared[other] as StoryForCheck);
    const s = analysisOf(story).statement;
    const listed = matches
      .slice(0, 3)
      .map(
        ([other, similarity]) =>
          `${(compared[other] as StoryForCheck).key} ${quote(excerpt((compared[other] as StoryForCheck).title, 60))} (${Math.round(similarity * 100)}% alike)`,
      );
    const more = matches.length > 3 ? ` and ${matches.length - 3} more` : "";
    findings.set(story.id, [
      finding(
        "unique",
        `Nearly the same as ${listed.join(", ")}${more}.`,
        `Keep one story: merge the two (criteria included) or say in each what sets it apart from ${others[0]?.key}.`,
        s.goal.end > s.goal.start ? [at(s.field, s.goal)] : [],
        { relatedKeys: others.map((o) => o.key) },
      ),
    ]);
  }
  return findings;
}
