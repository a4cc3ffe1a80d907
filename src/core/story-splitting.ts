// Splitting a story with help, and drafting the stories of a feature. Pure: shared by the server, the CLI and the web.
//
// suggestSplits(story) reads cues in the story's goal (its title without the "so that" benefit), its description and
// its acceptance criteria, and proposes concrete splits by Richard Lawrence's patterns (Mike Cohn's SPIDR among them):
// workflow steps, operations, business-rule variations, data variations, interfaces, simple/complex, defer
// performance, happy/unhappy paths and spike first. Each suggestion names its pattern and the cue it found, and
// proposes stories whose titles keep the story's own template ("As a X, I want to <part>, so that Y"), with the
// original's acceptance criteria moved to the story they belong to (by cue words; a criterion that matches none goes
// to the suggestion's first story, or for a spike to the story built after it) and its description to that story too.
// Points stay null: the new stories are estimated afresh, since split stories rarely add up to the original's points.
// Suggestions are ranked by cue strength; when no cue fires, honest generic splits (simple/complex, happy/unhappy)
// are offered.
//
// draftBreakdown(feature, teams) drafts a feature's stories: one per acceptance criterion (Given/When/Then becomes
// "As a <role>, I want <event>, so that <outcome>"), else one per workflow step of its description or benefit
// hypothesis, else one from its title; each for the feature's first team.
import { type Criterion, parseGherkin } from "./acceptance-criteria.js";
import { LIMITS } from "./work-item.js";

export const SPLIT_PATTERNS = [
  "workflow_steps",
  "operations",
  "business_rules",
  "data_variations",
  "interfaces",
  "simple_complex",
  "defer_performance",
  "happy_unhappy",
  "spike_first",
] as const;
export type SplitPattern = (typeof SPLIT_PATTERNS)[number];

export const SPLIT_PATTERN_LABELS: Record<SplitPattern, string> = {
  workflow_steps: "Workflow steps",
  operations: "Operations",
  business_rules: "Business-rule variations",
  data_variations: "Variations in data",
  interfaces: "Interfaces",
  simple_complex: "Simple first, then complex",
  defer_performance: "Defer performance",
  happy_unhappy: "Happy path first",
  spike_first: "Spike first",
};

/** A split makes 2 to this many stories (the API's limit). */
export const MAX_SPLIT_STORIES = 10;
/** A breakdown creates at most this many stories at once (the API's limit). */
export const MAX_BREAKDOWN_STORIES = 30;

/** What splitting reads of a story. */
export interface StoryText {
  title: string;
  description: string;
  acceptanceCriteria: readonly Criterion[];
}

export interface ProposedStory {
  title: string;
  description: string;
  acceptanceCriteria: Criterion[];
  points: number | null;
}

export interface SplitSuggestion {
  pattern: SplitPattern;
  label: string;
  /** The cue found in the text and why it suggests this split. */
  rationale: string;
  stories: ProposedStory[];
}

// ---------------------------------------------------------------------------------------------------------------
// Words

const STOP = new Set(
  (
    "a an the and or to of in on for with by from at as is are be been was were it its this that these those i we " +
    "you they he she my our your their me us them can will should would could may must want so not no all any some each " +
    "every when then if given have has had do does did into about than also just only more most such via per up out " +
    "able like need get"
  ).split(" "),
);

/** Base forms of verbs common in stories: enough to tell "export or print a report" from "card or PayPal". */
const VERBS = new Set(
  (
    "accept access activate add adjust allow analyse analyze answer apply approve archive ask assign attach " +
    "authenticate become book browse buy calculate call cancel capture change charge check choose clear click " +
    "close collect combine comment compare complete configure confirm connect consolidate contact convert copy " +
    "create customise customize deactivate define delete deliver deploy describe discover discuss display " +
    "document download duplicate edit elaborate email enable enter estimate evaluate exchange export fetch fill " +
    "filter find fix follow generate get give go grant hide import inform install invite join keep know learn " +
    "link list load lock log login logout make manage mark merge migrate modify monitor move navigate notify open " +
    "order overlook overwrite pay pick pin plan play post present preview print publish purchase put rank rate " +
    "read receive record refund register reject relate remove rename reopen reorder replace reply report request " +
    "reschedule reset resolve restore retry return review revoke rollback run save schedule scroll search see " +
    "select send set share show sign sort split start stop store structure study submit subscribe suggest switch " +
    "sync tag take tap tell test track transfer type undelete undo unlock unpublish unsubscribe update upload use " +
    "validate verify version view vote watch withdraw work write"
  ).split(" "),
);

/** Create, read, update and delete, with the verbs stories use for each. */
const OPERATIONS: { name: string; verbs: string[] }[] = [
  {
    name: "create",
    verbs: ["create", "add", "new", "register", "capture", "define", "enter", "insert", "record", "submit", "upload"],
  },
  {
    name: "read",
    verbs: ["read", "view", "see", "show", "list", "display", "browse", "open", "find", "search", "preview", "print"],
  },
  {
    name: "update",
    verbs: ["update", "edit", "change", "modify", "rename", "replace", "adjust", "configure", "overwrite", "restore"],
  },
  { name: "delete", verbs: ["delete", "remove", "archive", "unpublish", "cancel", "discard", "purge", "undelete"] },
];
const operationOf = (verb: string) => OPERATIONS.find((o) => o.verbs.includes(verb.toLowerCase()));

/** Words that end a noun phrase when reading outwards from "and"/"or". */
const BOUNDARY = new Set(
  (
    "via by in on for with from at as to of into onto about over under between among through without within across " +
    "so that which who whom whose what when where why how if unless because but while than then " +
    "is are was were be been being am has have had can could will would should shall may might must do does did " +
    "i we you they he she it me us them him her this these those there here"
  ).split(" "),
);
const DETERMINERS = new Set("a an the my our your their his her its some each every all any one two both".split(" "));
const PRONOUNS = new Set("i we you they he she it me us them him her this that these those".split(" "));

/** Pairs that are one thing, not two: never split. */
const FIXED_PAIRS = [
  "terms and conditions",
  "search and replace",
  "drag and drop",
  "copy and paste",
  "pros and cons",
  "trial and error",
  "back and forth",
  "up and running",
  "black and white",
  "profit and loss",
  "questions and answers",
  "question and answer",
  "research and development",
  "more or less",
  "sooner or later",
  "whether or not",
  "one or more",
  "two or more",
  "and/or",
  "input/output",
  "read/write",
  "on/off",
  "yes/no",
  "true/false",
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A case-insensitive matcher for a word or phrase and its inflections ("edit" finds "editing", "create" finds
 * "created"), bounded by word edges where it has them.
 */
function termRe(term: string): RegExp {
  const t = term.trim();
  const stem = /^[a-z]{4,}$/i.test(t) ? t.replace(/e$/i, "") : t;
  const body = escapeRe(stem).replace(/\s+/g, "\\s+");
  const start = /^\w/.test(t) ? "\\b" : "";
  const end = /\w$/.test(t) ? `(?:${stem === t ? "" : "e|"}s|es|ed|d|ing|ion|ions|al)?\\b` : "";
  return new RegExp(`${start}${body}${end}`, "i");
}

const contentWords = (text: string): string[] => [
  ...new Set((text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? []).filter((w) => w.length > 2 && !STOP.has(w))),
];

/** How many of `terms` a text contains. */
function countTerms(text: string, terms: readonly string[]): number {
  return terms.filter((t) => termRe(t).test(text)).length;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Lowercases the first letter, unless the first word is an acronym or has inner capitals ("API", "GitHub", "I"). */
function lowerFirst(s: string): string {
  const first = s.split(/\s/)[0] ?? "";
  if (first === first.toUpperCase() || /[A-Z]/.test(first.slice(1))) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const firstWord = (s: string) => (s.trim().match(/^[A-Za-z][A-Za-z'-]*/)?.[0] ?? "").toLowerCase();
const startsWithVerb = (s: string) => VERBS.has(firstWord(s.replace(/^to\s+/i, "")));
const trimClause = (s: string) =>
  s
    .replace(/\s+/g, " ")
    .replace(/^[\s,;:–—-]+/, "")
    .replace(/[\s,;:.!–—-]+$/, "")
    .trim();

/** The distinct matches of a pattern in a text, as written (lowercased), at most `max`. */
function matchesOf(re: RegExp, text: string, max = 3): string[] {
  const global = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  const found = [...text.matchAll(global)].map((m) => m[0].replace(/\s+/g, " "));
  return found.filter((f, i) => found.findIndex((x) => x.toLowerCase() === f.toLowerCase()) === i).slice(0, max);
}

/** 'a', 'b' and 'c' */
function listOf(items: readonly string[], quote = true): string {
  const q = items.map((i) => (quote ? `'${i}'` : i));
  if (q.length <= 1) return q.join("");
  return `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const numberWord = (n: number) => NUMBER_WORDS[n] ?? String(n);

// ---------------------------------------------------------------------------------------------------------------
// The story's template

/** A title as its template: the words before the goal, the goal, and the words after it (the benefit). */
interface Template {
  prefix: string;
  goal: string;
  suffix: string;
  /** Whether the goal follows "I want to"/"I can": a part of it is a verb phrase. */
  verbGoal: boolean;
}

const WANT =
  "i\\s+want(?:\\s+to)?|i\\s+need(?:\\s+to)?|i\\s+would\\s+like(?:\\s+to)?|i['’]d\\s+like(?:\\s+to)?|i\\s+can|" +
  "i\\s+(?:should|must|would)\\s+be\\s+able\\s+to|i\\s+am\\s+able\\s+to";
const TEMPLATE = new RegExp(
  `^(\\s*as\\s+(?:an?\\s+|the\\s+)?.+?\\s*,?\\s+(?:${WANT})\\s+)([\\s\\S]+?)((?:\\s*,)?\\s+(?:so\\s+that|in\\s+order\\s+to|so\\s+i\\s+can)\\b[\\s\\S]*)?$`,
  "i",
);

function parseTemplate(title: string): Template {
  const m = TEMPLATE.exec(title);
  if (m) {
    const prefix = m[1] as string;
    let goal = m[2] as string;
    let suffix = m[3] ?? "";
    if (!suffix) {
      const end = /[\s.!]+$/.exec(goal);
      if (end) {
        goal = goal.slice(0, end.index);
        suffix = end[0].trim();
      }
    }
    return { prefix, goal: goal.trim(), suffix, verbGoal: /(?:\bto|\bcan)\s+$/i.test(prefix) };
  }
  const end = /[\s.!]+$/.exec(title);
  const goal = end ? title.slice(0, end.index) : title;
  return { prefix: "", goal: goal.trim(), suffix: end ? end[0].trim() : "", verbGoal: false };
}

/** The title of a story that delivers `part` instead of the whole goal, in the original's template. */
function titleOf(t: Template, part: string): string {
  let p = part.replace(/\s+/g, " ").trim();
  if (t.verbGoal || !t.prefix) p = p.replace(/^to\s+/i, "");
  else if (t.prefix && startsWithVerb(p) && !/^to\s/i.test(p)) p = `to ${p}`;
  if (!t.prefix) p = upperFirst(p);
  return fitTitle(t.prefix, p, t.suffix);
}

/** prefix + part + suffix within the title limit: drops the benefit first, then shortens the part in its middle. */
function fitTitle(prefix: string, part: string, suffix: string): string {
  const max = LIMITS.title;
  const glue = (p: string, s: string) => `${prefix}${p}${s}`.replace(/\s+/g, " ").trim();
  const whole = glue(part, suffix);
  if (whole.length <= max) return whole;
  const bare = glue(part, "");
  if (bare.length <= max) return bare;
  const room = Math.max(max - prefix.length, 20);
  const tail = part.slice(-Math.min(40, Math.floor(room / 2)));
  return glue(`${part.slice(0, room - tail.length - 1).trimEnd()}…${tail}`, "").slice(0, max);
}

// ---------------------------------------------------------------------------------------------------------------
// Plans: what a cue proposes, before criteria are moved

interface PartPlan {
  /** The part of the goal this story delivers (made into a title in the story's template). */
  goal?: string;
  /** A title used as it is (a spike's). */
  title?: string;
  description?: string;
  /** How strongly a criterion belongs to this story (0: not at all). */
  match?: (text: string) => number;
}

interface Plan {
  pattern: SplitPattern;
  strength: number;
  rationale: string;
  parts: PartPlan[];
  /** Criterion index → part, where the cue itself decides (the criterion that states a rule or names a step). */
  owners?: Map<number, number>;
  /** Where criteria matching no part, and the original's description, go (the first part unless said otherwise). */
  home?: number;
  /** The description the home story gets, when not the original's. */
  homeDescription?: string;
}

const matchTerms = (terms: readonly string[]) => (text: string) => countTerms(text, terms);
const matchRe = (re: RegExp) => (text: string) => (re.test(text) ? 1 : 0);

// Coordination: "create, edit and delete", "github or google", "preferred terms and undesired terms".

interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
  kind: "word" | "comma" | "slash" | "amp" | "punct";
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  for (const m of s.matchAll(/[A-Za-z0-9][A-Za-z0-9'’.+#-]*[A-Za-z0-9+#]|[A-Za-z0-9]|[,/&;:()"!?]/g)) {
    const text = m[0];
    const kind =
      text === "," ? "comma" : text === "/" ? "slash" : text === "&" ? "amp" : /\w/.test(text) ? "word" : "punct";
    out.push({ text, lower: text.toLowerCase(), start: m.index, end: m.index + text.length, kind });
  }
  return out;
}

const isConj = (t: Token | undefined) =>
  t !== undefined && (t.kind === "slash" || t.kind === "amp" || (t.kind === "word" && /^(and|or|then)$/.test(t.lower)));
const conjWord = (t: Token) => (t.kind === "slash" ? "/" : t.kind === "amp" ? "&" : t.lower);

/** The separator between two coordinated words starting at token i: its tokens' count and its conjunction. */
function separatorAt(tokens: readonly Token[], i: number): { length: number; conj: string } | null {
  const a = tokens[i];
  const b = tokens[i + 1];
  const c = tokens[i + 2];
  if (!a) return null;
  if (a.kind === "comma") {
    if (isConj(b) && b && c?.lower === "then" && b.lower === "and") return { length: 3, conj: "then" };
    if (isConj(b) && b) return { length: 2, conj: conjWord(b) };
    return { length: 1, conj: "," };
  }
  if (a.lower === "and" && b?.lower === "then") return { length: 2, conj: "then" };
  if (isConj(a)) return { length: 1, conj: conjWord(a) };
  return null;
}

interface VerbRun {
  verbs: string[];
  conj: string;
  before: string;
  object: string;
  start: number;
}

/** Verbs coordinated over one object: "create, edit and delete invoices", "export or print a selection". */
function verbRun(goal: string): VerbRun | null {
  const tokens = tokenize(goal);
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i] as Token;
    if (first.kind !== "word" || !VERBS.has(first.lower)) continue;
    // Verbs stand where a verb goes: first, or after "to", a modal or "I" ("for login/logout logic" names things).
    const previous = tokens[i - 1];
    if (previous && !/^(?:to|can|could|will|would|should|must|may|i|we|please|and|then)$/.test(previous.lower))
      continue;
    const verbs = [first];
    let conj = ",";
    let j = i + 1;
    for (;;) {
      const sep = separatorAt(tokens, j);
      const next = sep ? tokens[j + sep.length] : undefined;
      if (!sep || !next || next.kind !== "word" || !VERBS.has(next.lower)) break;
      if (sep.conj !== ",") conj = sep.conj;
      verbs.push(next);
      j += sep.length + 1;
    }
    if (verbs.length < 2) continue;
    const last = verbs[verbs.length - 1] as Token;
    const phrase = goal.slice(first.start, last.end).toLowerCase();
    if (FIXED_PAIRS.some((p) => phrase.includes(p))) continue;
    return {
      verbs: verbs.map((v) => v.text),
      conj,
      before: goal.slice(0, first.start),
      object: goal.slice(last.end).trim(),
      start: first.start,
    };
  }
  return null;
}

interface NounList {
  items: string[];
  conj: string;
  start: number;
  end: number;
}

const ADJECTIVE_END = /(?:ed|al|ic|ive|ful|less|ous|able|ible|ary|ish|ent|ant)$/;
const ADJECTIVES = new Set("new old existing public private current previous next other own main".split(" "));

/** Nouns coordinated in place: "via github or google", "preferred terms and undesired terms", "CSV, JSON or XML". */
function nounLists(goal: string): NounList[] {
  const tokens = tokenize(goal);
  const out: NounList[] = [];
  const word = (t: Token | undefined): t is Token => t !== undefined && t.kind === "word";
  for (let k = 0; k < tokens.length; k++) {
    const c = tokens[k] as Token;
    if (!isConj(c) || c.lower === "then") continue;
    // The item after the conjunction, and more after it in a chain of slashes ("Mobile/Desktop/Web SDKs").
    const rightItem = (from: number): number => {
      let r = from;
      if (word(tokens[r]) && DETERMINERS.has((tokens[r] as Token).lower)) r++;
      const first = r;
      while (
        r < tokens.length &&
        r - first < 3 &&
        word(tokens[r]) &&
        !BOUNDARY.has((tokens[r] as Token).lower) &&
        !(r > first && /ed$/.test((tokens[r] as Token).lower))
      )
        r++;
      return r === first ? from : r;
    };
    let r = rightItem(k + 1);
    if (r === k + 1) continue;
    if (VERBS.has((tokens[k + 1] as Token).lower)) continue;
    const rights = [{ start: (tokens[k + 1] as Token).start, end: (tokens[r - 1] as Token).end }];
    while (c.kind === "slash" && tokens[r]?.kind === "slash") {
      const next = rightItem(r + 1);
      if (next === r + 1) break;
      rights.push({ start: (tokens[r + 1] as Token).start, end: (tokens[next - 1] as Token).end });
      r = next;
    }
    // The items before it, back over commas.
    const items: { start: number; end: number }[] = [...rights];
    let l = k - 1;
    for (;;) {
      const leftEnd = l;
      while (
        l >= 0 &&
        leftEnd - l < 3 &&
        word(tokens[l]) &&
        !BOUNDARY.has((tokens[l] as Token).lower) &&
        !DETERMINERS.has((tokens[l] as Token).lower) &&
        !(
          VERBS.has((tokens[l] as Token).lower) &&
          (l === 0 || !word(tokens[l - 1]) || BOUNDARY.has((tokens[l - 1] as Token).lower))
        )
      )
        l--;
      if (word(tokens[l]) && DETERMINERS.has((tokens[l] as Token).lower) && l < leftEnd) l--;
      if (l === leftEnd) break;
      items.unshift({ start: (tokens[l + 1] as Token).start, end: (tokens[leftEnd] as Token).end });
      if (tokens[l]?.kind === "comma" && word(tokens[l - 1])) {
        l--;
        continue;
      }
      break;
    }
    if (items.length < 2) continue;
    // "between terms and the object model" relates two things; it does not list variations.
    const before = tokens.filter((t) => t.end <= (items[0] as { start: number }).start).pop();
    if (before && /^(?:between|both|among|amongst)$/.test(before.lower)) continue;
    // An open end ("etc") is not a variation of its own.
    const texts = items.map((i) => goal.slice(i.start, i.end)).filter((t) => !/^etc\.?$/i.test(t));
    if (texts.length < 2) continue;
    const span = goal.slice((items[0] as { start: number }).start, (items[items.length - 1] as { end: number }).end);
    const spanLower = span.toLowerCase();
    if (FIXED_PAIRS.some((p) => spanLower.includes(p))) continue;
    if (texts.some((t) => PRONOUNS.has(t.toLowerCase()) || /^\d+$/.test(t) || t.length < 2)) continue;
    if (new Set(texts.map((t) => t.toLowerCase())).size < texts.length) continue;
    // "undesired and preferred terms": adjectives share the last item's noun.
    const lastWords = (texts[texts.length - 1] as string).split(/\s+/);
    const head = lastWords.length > 1 ? lastWords[lastWords.length - 1] : null;
    const shared = texts.map((t, i) => {
      const w = t.toLowerCase().replace(/^(?:a|an|the|my|our|your|their)\s+/, "");
      if (!head || i === texts.length - 1 || /\s/.test(w)) return t;
      return ADJECTIVE_END.test(w) || ADJECTIVES.has(w) || interfaceOf(w) ? `${t} ${head}` : t;
    });
    out.push({
      items: shared,
      conj: conjWord(c),
      start: (items[0] as { start: number }).start,
      end: (items[items.length - 1] as { end: number }).end,
    });
    k = r - 1;
  }
  return out;
}

/** Goals joined by a conjunction, each with its own verb: "sign up and log in", "pick a slot, then pay". */
function goalClauses(goal: string): { parts: string[]; conj: string } | null {
  const body = goal.replace(/^(?:be\s+able\s+to\s+)/i, "");
  if (!startsWithVerb(body)) return null;
  const tokens = tokenize(goal);
  const cuts: { at: number; next: number; conj: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const sep = separatorAt(tokens, i);
    if (!sep || sep.conj === "," || sep.conj === "/" || sep.conj === "&") continue;
    const next = tokens[i + sep.length];
    if (next?.kind !== "word" || !VERBS.has(next.lower)) continue;
    if (i === 0) continue;
    const before = tokens[i - 1] as Token;
    if (before.kind === "word" && VERBS.has(before.lower) && i - 1 === 0) continue;
    const phrase = goal.slice(Math.max(0, before.start), next.end).toLowerCase();
    if (FIXED_PAIRS.some((p) => phrase.includes(p))) continue;
    cuts.push({ at: (tokens[i] as Token).start, next: next.start, conj: sep.conj });
    i += sep.length;
  }
  if (cuts.length === 0) return null;
  const parts: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(trimClause(goal.slice(from, cut.at)));
    from = cut.next;
  }
  parts.push(trimClause(goal.slice(from)));
  // "invite someone to sign up and become a member": the later verbs continue the first part's "to".
  const lead = /^(.+?\bto\s+)([A-Za-z]+)/.exec(parts[0] ?? "");
  if (lead && VERBS.has((lead[2] as string).toLowerCase()) && (lead[1] as string).split(" ").length > 2) {
    for (let i = 1; i < parts.length; i++) parts[i] = `${lead[1]}${parts[i]}`;
  }
  if (parts.some((p) => p.split(" ").length < 2 && !VERBS.has(p.toLowerCase()))) return null;
  const conj = cuts.some((c) => c.conj === "then") ? "then" : (cuts[0] as { conj: string }).conj;
  return { parts, conj };
}

// Interfaces and formats.

interface Interface {
  name: string;
  kind: "channel" | "format";
  terms: string[];
  /** How a story names it after its goal: "on the web", "as CSV". */
  phrase: string;
}

const INTERFACES: Interface[] = [
  {
    name: "the web",
    kind: "channel",
    terms: ["web", "website", "web site", "browser", "web app"],
    phrase: "on the web",
  },
  { name: "mobile", kind: "channel", terms: ["mobile", "phone", "smartphone", "tablet"], phrase: "on mobile" },
  { name: "iOS", kind: "channel", terms: ["ios", "iphone", "ipad"], phrase: "in the iOS app" },
  { name: "Android", kind: "channel", terms: ["android"], phrase: "in the Android app" },
  { name: "the API", kind: "channel", terms: ["api", "rest api", "graphql", "web service"], phrase: "through the API" },
  {
    name: "the command line",
    kind: "channel",
    terms: ["cli", "command line", "command-line", "terminal"],
    phrase: "from the command line",
  },
  { name: "the UI", kind: "channel", terms: ["ui", "gui", "user interface"], phrase: "in the UI" },
  { name: "desktop", kind: "channel", terms: ["desktop"], phrase: "on the desktop" },
  { name: "email", kind: "channel", terms: ["email", "e-mail"], phrase: "by email" },
  { name: "SMS", kind: "channel", terms: ["sms", "text message"], phrase: "by SMS" },
  { name: "push notifications", kind: "channel", terms: ["push notification"], phrase: "by push notification" },
  { name: "Slack", kind: "channel", terms: ["slack"], phrase: "in Slack" },
  { name: "CSV", kind: "format", terms: ["csv"], phrase: "as CSV" },
  { name: "Excel", kind: "format", terms: ["excel", "xlsx", "spreadsheet"], phrase: "as an Excel file" },
  { name: "PDF", kind: "format", terms: ["pdf"], phrase: "as PDF" },
  { name: "JSON", kind: "format", terms: ["json"], phrase: "as JSON" },
  { name: "XML", kind: "format", terms: ["xml"], phrase: "as XML" },
];

/** A web service or web API is an API, not the web. */
const asInterfaces = (text: string) => text.replace(/\bweb[\s-]?(?:services?|api)\b/gi, "API");
const mentions = (i: Interface, text: string) => i.terms.some((t) => termRe(t).test(asInterfaces(text)));
const interfaceOf = (text: string) => INTERFACES.find((i) => mentions(i, text));

/** The article a name takes: "an iOS app", "a web page". */
const articleFor = (name: string) => (/^(?:[aeio]|u(?!s|ni)|iOS|API|SMS|XML|Excel|Android)/i.test(name) ? "an" : "a");

/** A goal with an interface term swapped for another interface's name, its article fixed ("a mobile" → "an iOS"). */
function swapInterface(goal: string, term: string, name: string): string {
  const swapped = goal.replace(termRe(term), name);
  return swapped.replace(new RegExp(`\\b([Aa])n?\\s+(?=${escapeRe(name)}\\b)`), (_, a: string) => {
    const art = articleFor(name);
    return `${a === "A" ? upperFirst(art) : art} `;
  });
}

// Rules, qualities, unhappy paths, unknowns, complexity.

const RULE =
  /\b(?:only\s+(?:when|if)|unless|except(?:\s+(?:when|if|for))?|depending\s+on|provided\s+that|as\s+long\s+as|in\s+case|even\s+if|if)\b/i;
const NOT_A_RULE =
  /\b(?:if\s+(?:possible|any|needed|necessary|appropriate|applicable|required)|as\s+if|what\s+if|in\s+case\s+of\s+doubt|(?:know|see|check|ask|tell|decide|wonder|learn|find\s+out)\s+if)\b/i;

/** The condition a text states: from the rule word to the end of its clause ("if the amount exceeds 100"). */
function ruleClause(text: string): string | null {
  if (NOT_A_RULE.test(text)) return null;
  const m = RULE.exec(text);
  if (!m) return null;
  const rest = text.slice(m.index);
  const end = rest.slice(m[0].length).search(/[,;.:!?]|\s(?:then|so\s+that)\s/);
  const clause = trimClause(end < 0 ? rest : rest.slice(0, m[0].length + end));
  const words = clause.split(" ").length;
  return words >= 2 && words <= 16 ? lowerFirst(clause) : null;
}

const QUALITIES: { name: string; re: RegExp; phrase: (match: string) => string }[] = [
  {
    name: "speed",
    re: /\b(?:(?:within|under|in\s+less\s+than|below)\s+\d+(?:[.,]\d+)?\s*(?:ms|milliseconds?|s|secs?|seconds?|minutes?|mins?)\b|fast(?:er|est)?|quickly|quicker|speed|performance|performant|responsive|instant(?:ly)?|immediately|real[\s-]time|latency)\b/i,
    phrase: (m) => (/\d/.test(m) || /^(?:quickly|instantly|immediately|in real time)$/i.test(m) ? m : "fast"),
  },
  {
    name: "security",
    re: /\b(?:secure(?:ly)?|security|encrypt(?:ed|ion)?|safely)\b/i,
    phrase: () => "securely",
  },
  {
    name: "scale",
    re: /\b(?:scalab(?:le|ility)|at\s+scale|concurrent(?:ly)?|high\s+volumes?)\b|(?<![\w.-])\d{2,}[\d,]*\s+(?:simultaneous\s+|concurrent\s+)?users\b/i,
    phrase: (m) => (/\d/.test(m) ? `for ${m}` : "at scale"),
  },
  {
    name: "reliability",
    re: /\b(?:reliab(?:le|ly|ility)|availability|uptime|fault[\s-]tolerant)\b|24\/7/i,
    phrase: () => "reliably",
  },
];

/** Quality words that qualify a goal and can be left out of it ("search quickly"); others are what the story is about. */
const DEFERRABLE =
  /^(?:within|under|in\s+less\s+than|below|quickly|quicker|fast|faster|instantly|immediately|in\s+real\s+time|securely|safely|reliably|at\s+scale|concurrently|\d)/i;

const UNHAPPY =
  /\b(?:errors?|invalid|fail(?:s|ed|ing|ures?)?|time[\s-]?outs?|timed?\s+out|retr(?:y|ies|ied)|exceptions?|reject(?:s|ed|ion)?|declined?|incorrect|wrong|broken|missing|not\s+found|unavailable|offline|denied|expired?|corrupt(?:ed)?)\b/i;

/** How an unhappy-path cue reads in the title of the story that handles it. */
function unhappyNoun(cue: string): string {
  const c = cue.toLowerCase();
  if (/^error/.test(c)) return "errors";
  if (c === "invalid" || c === "incorrect" || c === "wrong") return "invalid input";
  if (/^fail/.test(c)) return "failures";
  if (/time|timed/.test(c)) return "timeouts";
  if (/^retr/.test(c)) return "retries";
  if (/^exception/.test(c)) return "exceptions";
  if (/^reject|^declin|^denied/.test(c)) return "rejections";
  if (c === "missing" || c === "not found") return "missing data";
  if (/^corrupt|^broken/.test(c)) return "broken data";
  if (c === "unavailable" || c === "offline") return "outages";
  if (/^expire/.test(c)) return "expiry";
  return "errors";
}

const SPIKE =
  /\b(?:spike|investigat(?:e|ion)|research|explor(?:e|ation)|evaluat(?:e|ion)|prototype|proof\s+of\s+concept|poc|tbd|tbc|to\s+be\s+(?:decided|defined|determined|confirmed)|unclear|unknown|not\s+sure|figure\s+out|find\s+out|feasib(?:le|ility))\b/i;
const QUESTION = /\?/;

const COMPLEX =
  /\b(?:all|any|every|multiple|several|various|different|advanced|complex|full|complete|each|custom(?:i[sz]e|i[sz]able|i[sz]ation)?|configurable|flexible|including|etc|such\s+as|and\s+so\s+on)\b/i;

// ---------------------------------------------------------------------------------------------------------------
// The cues

/** What the cue finders read: the goal (the title without its benefit), the description and the criteria. */
interface Cues {
  story: StoryText;
  template: Template;
  goal: string;
  description: string;
  criteria: string[];
  /** Goal, description and criteria in one text. */
  all: string;
}

function cuePlans(story: StoryText, template: Template): Plan[] {
  const criteria = story.acceptanceCriteria.map((c) => c.text);
  const description = story.description ?? "";
  const goal = template.goal;
  const cues: Cues = {
    story,
    template,
    goal,
    description,
    criteria,
    all: [goal, description, ...criteria].join("\n"),
  };
  const run = verbRun(goal);
  const variations = variationPlans(cues);
  return [
    ...operationPlans(cues, run),
    ...variations,
    ...(variations.some((p) => p.pattern === "interfaces") ? [] : interfacePlans(cues)),
    ...workflowPlans(cues, run !== null),
    ...rulePlans(cues),
    ...qualityPlans(cues),
    ...unhappyPlans(cues),
    ...spikePlans(cues),
    ...complexPlans(cues),
  ];
}

/** Operations: verbs over one object ("create, edit and delete invoices"), or "manage" standing for several. */
function operationPlans({ goal }: Cues, run: VerbRun | null): Plan[] {
  if (run) {
    const crud = new Set(run.verbs.map((v) => operationOf(v)?.name).filter(Boolean)).size >= 2;
    const phrase = goal.slice(run.start, goal.length - run.object.length).trim();
    return [
      {
        pattern: "operations",
        strength: 6 + Math.min(run.verbs.length, 4) / 10,
        rationale: crud
          ? `'${phrase}' are CRUD operations: one story per operation, the first one first.`
          : `'${phrase}' are ${numberWord(run.verbs.length)} operations${run.object ? ` on '${run.object}'` : ""}: one story each.`,
        parts: run.verbs.map((v) => ({
          goal: `${run.before}${v} ${run.object}`,
          match: (text: string) =>
            countTerms(text, [v]) * 2 + countTerms(text, operationOf(v)?.verbs.filter((x) => x !== v) ?? []),
        })),
      },
    ];
  }
  const manage = /^(.*?)\b(manage|maintain|administer|administrate)\s+(.+)$/i.exec(goal);
  if (!manage) return [];
  const [, before = "", verb = "", object = ""] = manage;
  return [
    {
      pattern: "operations",
      strength: 3,
      rationale: `'${verb.toLowerCase()}' hides several operations (add, view, edit, remove): one story each.`,
      parts: ["add", "view", "edit", "remove"].map((v) => ({
        goal: `${before}${v} ${object}`,
        match: matchTerms(operationOf(v)?.verbs ?? [v]),
      })),
    },
  ];
}

/** Data variations (and interfaces) coordinated in the goal: "via github or google". */
function variationPlans({ goal }: Cues): Plan[] {
  return nounLists(goal).map((list) => {
    const kinds = list.items.map((i) => interfaceOf(i));
    const interfaces = kinds.every((k) => k !== undefined) && new Set(kinds.map((k) => k?.name)).size === kinds.length;
    const items = list.items.slice(0, MAX_SPLIT_STORIES);
    const what = interfaces ? "interfaces" : "kinds of data";
    return {
      pattern: interfaces ? "interfaces" : "data_variations",
      strength: interfaces ? 6 : 5,
      rationale:
        `'${list.conj}' between ${numberWord(items.length)} ${what}: ${listOf(items)}; ` +
        (interfaces ? "deliver one first, then the others." : "one story per variation."),
      parts: items.map((item, i) => ({
        goal: `${goal.slice(0, list.start)}${item}${goal.slice(list.end)}`,
        match: interfaces ? matchTerms(kinds[i]?.terms ?? []) : matchTerms(contentWords(item)),
      })),
    };
  });
}

/** Interfaces or formats named anywhere in the story: one story per interface. */
function interfacePlans({ goal, all }: Cues): Plan[] {
  let named = INTERFACES.filter((i) => mentions(i, all));
  // "mobile" next to iOS or Android is those platforms.
  const generic = named.find((i) => i.name === "mobile");
  const platforms = named.some((i) => i.name === "iOS" || i.name === "Android");
  if (generic && platforms) named = named.filter((i) => i !== generic);
  const plans: Plan[] = [];
  for (const kind of ["channel", "format"] as const) {
    const found = named.filter((i) => i.kind === kind).slice(0, MAX_SPLIT_STORIES);
    if (found.length < 2) continue;
    const inGoal = found.filter((i) => mentions(i, goal));
    const own = inGoal.length === 1 ? inGoal[0] : generic && platforms && mentions(generic, goal) ? generic : undefined;
    plans.push({
      pattern: "interfaces",
      strength: 4 + Math.min(found.length, 4) / 10,
      rationale: `The story names ${numberWord(found.length)} ${kind === "channel" ? "interfaces" : "formats"}: ${listOf(
        found.map((f) => f.name),
        false,
      )}; deliver one first, then one story per other.`,
      parts: found.map((i) => {
        let partGoal = `${goal} ${i.phrase}`;
        if (own === i || (!own && inGoal.includes(i))) partGoal = goal;
        else if (own) {
          const term = own.terms.find((x) => termRe(x).test(goal)) as string;
          partGoal = swapInterface(goal, term, i.name.replace(/^the /, ""));
        }
        return { goal: partGoal, match: matchTerms(i.terms) };
      }),
    });
  }
  return plans;
}

const LIST_ITEM = /^\s*(?:\d+[.)]|[-*•]|step\s+\d+:?)\s+(.+?)\s*$/gim;

/** Workflow steps: a numbered list or "then" in the description, goals joined in the title, the criteria's events. */
function workflowPlans({ story, goal, description }: Cues, hasVerbRun: boolean): Plan[] {
  const plans: Plan[] = [];
  const listed = [...description.matchAll(LIST_ITEM)].map((m) => trimClause(m[1] as string));
  if (listed.length >= 2) {
    const steps = listed.slice(0, MAX_SPLIT_STORIES);
    plans.push({
      pattern: "workflow_steps",
      strength: 6 + Math.min(steps.length, 4) / 10,
      rationale: `The description lists ${numberWord(steps.length)} steps: ${listOf(steps.map(shortly))}; one story per step, in order.`,
      parts: steps.map((s) => ({ goal: stepGoal(s), match: matchTerms(contentWords(s)) })),
      homeDescription: description.replace(LIST_ITEM, "").trim(),
    });
  } else {
    const sequence = thenSequence(description);
    if (sequence) {
      plans.push({
        pattern: "workflow_steps",
        strength: 5,
        rationale: `'then' orders ${numberWord(sequence.length)} steps in the description: ${listOf(sequence.map(shortly))}; one story per step.`,
        parts: sequence.map((s) => ({ goal: stepGoal(s), match: matchTerms(contentWords(s)) })),
      });
    }
  }
  const clauses = hasVerbRun ? null : goalClauses(goal);
  if (clauses) {
    const parts = clauses.parts.slice(0, MAX_SPLIT_STORIES);
    const n = numberWord(parts.length);
    const rationale =
      clauses.conj === "then"
        ? `'then' orders ${n} steps in the title: ${listOf(parts)}; one story per step, in order.`
        : clauses.conj === "or"
          ? `'or' joins ${n} alternative actions: ${listOf(parts)}; one story each.`
          : `'and' joins ${n} goals: ${listOf(parts)}; deliver one, then the other.`;
    plans.push({
      pattern: clauses.conj === "or" ? "operations" : "workflow_steps",
      strength: clauses.conj === "then" ? 6 : 4.5,
      rationale,
      parts: parts.map((p) => ({ goal: p, match: matchTerms(contentWords(p)) })),
    });
  }
  // The user's own actions in Given/When/Then criteria ("when I pick a slot") are the steps of a workflow.
  const events = new Map<string, { event: string; goal: string; criteria: number[] }>();
  story.acceptanceCriteria.forEach((c, i) => {
    const g = parseGherkin(c.text);
    const goalOfEvent = g ? clauseToGoal(g.event, null) : null;
    if (!g || !goalOfEvent) return;
    const key = goalOfEvent.toLowerCase();
    const step = events.get(key) ?? { event: g.event, goal: goalOfEvent, criteria: [] };
    step.criteria.push(i);
    events.set(key, step);
  });
  if (events.size >= 2) {
    const steps = [...events.values()].slice(0, MAX_SPLIT_STORIES);
    const owners = new Map<number, number>();
    steps.forEach((step, j) => {
      for (const i of step.criteria) owners.set(i, j);
    });
    plans.push({
      pattern: "workflow_steps",
      strength: 4 + Math.min(steps.length, 4) / 10,
      rationale: `The criteria name ${numberWord(steps.length)} steps: ${listOf(steps.map((s) => s.event))}; one story per step, in the criteria's order.`,
      parts: steps.map((s) => ({ goal: s.goal, match: matchTerms(contentWords(s.event)) })),
      owners,
    });
  }
  return plans;
}

/** Business-rule variations: "if", "unless", "only when", "except", "depending on" in the goal, criteria or description. */
function rulePlans({ story, goal, description }: Cues): Plan[] {
  const rules: { clause: string; owner?: number }[] = [];
  const titleRule = ruleClause(goal);
  story.acceptanceCriteria.forEach((c, i) => {
    const clause = ruleClause(c.text);
    if (clause) rules.push({ clause, owner: i });
  });
  for (const sentence of description.split(/(?<=[.!?])\s+|\n+/)) {
    const clause = ruleClause(sentence);
    if (clause && !rules.some((r) => r.clause.toLowerCase() === clause.toLowerCase())) rules.push({ clause });
  }
  if (!titleRule && rules.length === 0) return [];
  const base = titleRule ? trimClause(goal.replace(new RegExp(escapeRe(titleRule), "i"), " ")) : goal;
  const variations: { goal: string; criteria: number[] }[] = titleRule ? [{ goal, criteria: [] }] : [];
  for (const r of rules) {
    const g = `${base} ${r.clause}`;
    const existing = variations.find((v) => v.goal.toLowerCase() === g.toLowerCase());
    if (existing) {
      if (r.owner !== undefined) existing.criteria.push(r.owner);
    } else if (variations.length < MAX_SPLIT_STORIES - 1) {
      variations.push({ goal: g, criteria: r.owner === undefined ? [] : [r.owner] });
    }
  }
  const owners = new Map<number, number>();
  variations.forEach((v, j) => {
    for (const i of v.criteria) owners.set(i, j + 1);
  });
  const words = matchesOf(RULE, [titleRule ?? "", ...rules.map((r) => r.clause)].join("\n"));
  const what =
    variations.length > 1 ? `${numberWord(variations.length)} business-rule variations` : "a business-rule variation";
  return [
    {
      pattern: "business_rules",
      strength: 3 + Math.min(variations.length, 3),
      rationale: `${listOf(words)} ${words.length > 1 ? "bring" : "brings"} ${what}: the basic rule first, then one story per variation.`,
      parts: [{ goal: base }, ...variations.map((v) => ({ goal: v.goal }))],
      owners,
    },
  ];
}

const QUALITY_ADJECTIVE: Record<string, string> = {
  speed: "fast",
  security: "secure",
  scale: "scale",
  reliability: "reliable",
};

/** Defer performance and other qualities: make it work first, then fast, secure, scalable, reliable. */
function qualityPlans({ goal, all }: Cues): Plan[] {
  const qualities = QUALITIES.filter((q) => q.re.test(all));
  if (qualities.length === 0) return [];
  let base = goal;
  for (const q of qualities) {
    const m = q.re.exec(base);
    if (!m) continue;
    // "Improve performance of X" is itself the quality work: nothing to defer.
    if (!DEFERRABLE.test(m[0])) return [];
    base = tidy(base.slice(0, m.index) + base.slice(m.index + m[0].length));
  }
  const cues = qualities.flatMap((q) => matchesOf(q.re, all, 1));
  const adjectives = listOf(
    qualities.map((q) => QUALITY_ADJECTIVE[q.name] as string),
    false,
  );
  return [
    {
      pattern: "defer_performance",
      strength: 4 + (cues.some((c) => /\d/.test(c)) ? 0.5 : 0),
      rationale: `${listOf(cues)} ${cues.length > 1 ? "are qualities" : "is a quality"}: make it work first, then make it ${adjectives}.`,
      parts: [
        { goal: base },
        ...qualities.map((q) => {
          const cue = matchesOf(q.re, all, 1)[0] ?? "";
          return { goal: q.re.test(goal) ? goal : `${base} ${q.phrase(cue)}`, match: matchRe(q.re) };
        }),
      ],
    },
  ];
}

/** Happy path first: errors, invalid input, failures, timeouts, retries after it. */
function unhappyPlans({ goal, criteria, all }: Cues): Plan[] {
  const unhappy = matchesOf(UNHAPPY, all, 4);
  if (unhappy.length === 0) return [];
  const nouns = listOf([...new Set(unhappy.map(unhappyNoun))], false);
  const hits = criteria.filter((c) => UNHAPPY.test(c)).length;
  return [
    {
      pattern: "happy_unhappy",
      strength: 3 + Math.min(hits, 3) / 2,
      rationale: `${listOf(unhappy)} ${unhappy.length > 1 ? "are unhappy paths" : "is an unhappy path"}: deliver the happy path first, then handle ${nouns}.`,
      parts: [{ goal: `${goal} when all goes well` }, { goal: `${goal}, handling ${nouns}`, match: matchRe(UNHAPPY) }],
    },
  ];
}

/** Spike first: unknowns ("TBD", "investigate", a question mark) are answered by a timeboxed spike. */
function spikePlans({ template, goal, description, criteria, all }: Cues): Plan[] {
  const unknowns = matchesOf(SPIKE, all);
  const questions = [goal, description, ...criteria].filter((x) => QUESTION.test(x)).length;
  if (unknowns.length === 0 && questions === 0) return [];
  const cues = [
    ...unknowns.map((u) => `'${u}'`),
    ...(questions > 0 ? [questions > 1 ? `${questions} question marks` : "a question mark"] : []),
  ];
  const topic = template.verbGoal || startsWithVerb(goal) ? `how to ${lowerFirst(goal.replace(/^to\s+/i, ""))}` : goal;
  return [
    {
      pattern: "spike_first",
      strength: unknowns.length > 0 ? 5 : 3,
      rationale: `${listOf(cues, false)} ${cues.length > 1 ? "show unknowns" : "shows an unknown"}: a timeboxed spike answers the open questions first, then the story is built.`,
      parts: [
        {
          title: fitTitle("Spike: investigate ", lowerFirst(topic), ""),
          description: "A timeboxed investigation: answer the open questions, then refine and estimate the story.",
          match: (text) => (SPIKE.test(text) || QUESTION.test(text) ? 1 : 0),
        },
        { goal },
      ],
      home: 1,
    },
  ];
}

/** Simple first, then complex: "all", "multiple", "advanced", "such as" hint at variations to defer. */
function complexPlans({ goal, all }: Cues): Plan[] {
  const complex = matchesOf(COMPLEX, all);
  if (complex.length === 0) return [];
  return [
    {
      pattern: "simple_complex",
      strength: 2 + Math.min(complex.length, 3) / 10,
      rationale: `${listOf(complex)} ${complex.length > 1 ? "hint" : "hints"} at variations: build the simplest version first, then the rest.`,
      parts: [{ goal: `${goal} in its simplest form` }, { goal: `${goal} in full`, match: matchRe(COMPLEX) }],
    },
  ];
}

/** When no cue fires: splits that fit almost any story, said honestly. */
function genericPlans(goal: string): Plan[] {
  return [
    {
      pattern: "simple_complex",
      strength: 1,
      rationale:
        "No splitting cue in the text: a generic split. Build the simplest version that still works end to end first, " +
        "then the variations; move the criteria the simple version does not need to the second story.",
      parts: [{ goal: `${goal} in its simplest form` }, { goal: `${goal} in full` }],
    },
    {
      pattern: "happy_unhappy",
      strength: 0.5,
      rationale:
        "No splitting cue in the text: a generic split. Deliver the path where everything goes well first, then what " +
        "happens when something goes wrong.",
      parts: [{ goal: `${goal} when all goes well` }, { goal: `${goal}, handling errors` }],
    },
  ];
}

/** A short quote of a step for a rationale. */
function shortly(s: string): string {
  const words = s.split(/\s+/);
  return words.length > 6 ? `${words.slice(0, 6).join(" ")}…` : s;
}

const stripSequenceWord = (step: string) =>
  step.replace(/^(?:first(?:ly)?|next|then|finally|lastly|after\s+that),?\s+/i, "");

/** A step as a goal: "Select the items" → "select the items", "The payer pays" → "to pay". */
function stepGoal(step: string): string {
  const clause = trimClause(stripSequenceWord(step));
  return clauseToGoal(clause, null) ?? lowerFirst(clause);
}

/** "First the payer picks a slot, then pays, then gets a receipt": the steps of the first sentence with "then". */
function thenSequence(text: string): string[] | null {
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    // "If it fails, then retry" is a condition, not a sequence.
    if (!/\bthen\b/i.test(sentence) || /\b(?:if|when|once|unless|whether)\b.*?\bthen\b/i.test(sentence)) continue;
    const steps = sentence
      .split(/,?\s*(?:and\s+)?\bthen\b\s*|;\s*/i)
      .map((s) => trimClause(s))
      .filter((s) => s.split(" ").length >= 2 || VERBS.has(s.toLowerCase()));
    const actions = steps.every(
      (s) =>
        s.split(" ").length <= 15 &&
        !QUESTION.test(s) &&
        (startsWithVerb(stripSequenceWord(s)) || clauseToGoal(s, null)),
    );
    if (steps.length >= 2 && actions) return steps.slice(0, MAX_SPLIT_STORIES);
  }
  return null;
}

/** Removes a phrase's leftovers: doubled spaces, a comma or "and" left dangling. */
function tidy(s: string): string {
  return s
    .replace(/\s{2,}/g, " ")
    .replace(/\s+,/g, ",")
    .replace(/(?:,|\band\b|\bor\b)\s*$/i, "")
    .trim();
}

// ---------------------------------------------------------------------------------------------------------------
// From plans to suggestions

function realize(plan: Plan, story: StoryText, t: Template): SplitSuggestion | null {
  const planned = plan.parts.slice(0, MAX_SPLIT_STORIES);
  const titles = planned.map((p) => p.title ?? titleOf(t, p.goal?.trim() ? p.goal : t.goal));
  if (titles.some((title) => title.trim() === "")) return null;
  // Parts that come out with the same title are one story.
  const slot = titles.map((title) => titles.findIndex((x) => x.toLowerCase() === title.toLowerCase()));
  const kept = [...new Set(slot)];
  if (kept.length < 2) return null;
  const index = (part: number) => kept.indexOf(slot[part] ?? 0);
  const home = index(Math.min(plan.home ?? 0, planned.length - 1));
  const buckets: Criterion[][] = kept.map(() => []);
  story.acceptanceCriteria.forEach((c, i) => {
    const owner = plan.owners?.get(i);
    let to = owner !== undefined && owner < planned.length ? index(owner) : -1;
    if (to < 0) {
      let best = 0;
      planned.forEach((p, j) => {
        const score = p.match?.(c.text) ?? 0;
        if (score > best) {
          best = score;
          to = index(j);
        }
      });
      if (best === 0) to = home;
    }
    (buckets[to] as Criterion[]).push({ text: c.text, met: c.met });
  });
  return {
    pattern: plan.pattern,
    label: SPLIT_PATTERN_LABELS[plan.pattern],
    rationale: plan.rationale,
    stories: kept.map((part, j) => ({
      title: titles[part] as string,
      description: planned[part]?.description ?? (j === home ? (plan.homeDescription ?? story.description ?? "") : ""),
      acceptanceCriteria: buckets[j] as Criterion[],
      points: null,
    })),
  };
}

/**
 * Suggested splits of a story, strongest cue first: at most one per pattern, each with 2 to 10 proposed stories that
 * between them hold each of the story's acceptance criteria exactly once.
 * @example suggestSplits({ title: "As a clerk, I want to create, edit and delete invoices", description: "",
 *   acceptanceCriteria: [] })[0] // { pattern: "operations", stories: [{ title: "As a clerk, I want to create invoices" …
 */
export function suggestSplits(story: StoryText): SplitSuggestion[] {
  const t = parseTemplate(story.title);
  const best = new Map<SplitPattern, Plan>();
  for (const plan of cuePlans(story, t)) {
    const held = best.get(plan.pattern);
    if (!held || plan.strength > held.strength) best.set(plan.pattern, plan);
  }
  const order = (p: Plan) => SPLIT_PATTERNS.indexOf(p.pattern);
  const ranked = [...best.values()].sort((a, b) => b.strength - a.strength || order(a) - order(b));
  const out = ranked.map((p) => realize(p, story, t)).filter((s): s is SplitSuggestion => s !== null);
  if (out.length > 0) return out;
  return genericPlans(t.goal)
    .map((p) => realize(p, story, t))
    .filter((s): s is SplitSuggestion => s !== null);
}

/**
 * The criteria of a story moved to the stories it is being split into, by the words that set each title apart:
 * a criterion goes to the story whose distinctive words it shares most, else to the first story.
 */
export function distributeCriteria(criteria: readonly Criterion[], titles: readonly string[]): Criterion[][] {
  const words = titles.map((t) => contentWords(t));
  const common = new Set(words.length > 1 ? (words[0] ?? []).filter((w) => words.every((ws) => ws.includes(w))) : []);
  const distinctive = words.map((ws) => ws.filter((w) => !common.has(w)));
  const out: Criterion[][] = titles.map(() => []);
  for (const c of criteria) {
    let best = 0;
    let to = 0;
    distinctive.forEach((ws, j) => {
      const score = countTerms(c.text, ws);
      if (score > best) {
        best = score;
        to = j;
      }
    });
    out[to]?.push({ text: c.text, met: c.met });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Breaking a feature down

/** What a breakdown reads of a feature. */
export interface FeatureText {
  title: string;
  description: string;
  benefitHypothesis: string;
  acceptanceCriteria: readonly Criterion[];
}

export interface TeamRef {
  id: string;
  key: string;
  name: string;
}

export interface StoryDraft {
  title: string;
  description: string;
  acceptanceCriteria: Criterion[];
  points: null;
  teamId: string | null;
}

const MODAL =
  /^(?:can|could|should|must|will|would|may|shall|(?:am|is|are)\s+able\s+to|(?:should|must|will)\s+be\s+able\s+to|needs?\s+to|wants?\s+to|tr(?:y|ies)\s+to)\s+/i;

/** A verb of the third person in its base form: "pays" → "pay", "tries" → "try", "is" → "be". */
function baseForm(verb: string): string {
  const v = verb.toLowerCase();
  const irregular: Record<string, string> = { is: "be", has: "have", does: "do", goes: "go", am: "be", are: "be" };
  if (irregular[v]) return irregular[v] as string;
  if (/[^aeiou]ies$/.test(v)) return `${v.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z|o)es$/.test(v)) return v.slice(0, -2);
  if (/[^s]s$/.test(v)) return v.slice(0, -1);
  return v;
}

/**
 * A clause whose subject is the user as a goal: "I pay with a saved card" → "to pay with a saved card", "the payer
 * submits the form" → "to submit the form". Null when the subject is someone or something else.
 */
function clauseToGoal(clause: string, role: string | null): string | null {
  const c = trimClause(clause);
  const first = /^(?:i|we)\s+(.+)$/i.exec(c) ?? /^i['’]m\s+(.+)$/i.exec(c);
  if (first) {
    let rest = first[1] as string;
    if (/^i['’]m\s/i.test(c)) rest = `be ${rest}`;
    rest = rest.replace(MODAL, "").replace(/^am\b/i, "be");
    return `to ${rest}`;
  }
  const subjects = ["user", "users", "customer", "customers", ...(role ? [role, `${role}s`] : [])].map(escapeRe);
  const third = new RegExp(`^(?:(?:the|a|an)\\s+)?(?:${subjects.join("|")})\\s+(.+)$`, "i").exec(c);
  if (!third) return null;
  const rest = third[1] as string;
  if (MODAL.test(rest)) return `to ${rest.replace(MODAL, "")}`;
  const [verb = "", ...more] = rest.split(" ");
  return `to ${[baseForm(verb), ...more].join(" ")}`;
}

/** "payers" → "payer", "companies" → "company", "small businesses" → "small business". */
function singular(phrase: string): string {
  const words = phrase.trim().split(/\s+/);
  const last = words.pop() ?? "";
  let one = last;
  if (/[^aeiou]ies$/i.test(last)) one = `${last.slice(0, -3)}y`;
  else if (/(?:ss|sh|ch|x)es$/i.test(last)) one = last.slice(0, -2);
  else if (/[^s]s$/i.test(last)) one = last.slice(0, -1);
  return [...words, one].join(" ");
}

const article = (word: string) => (/^(?:[aeio]|u(?!s|ni|ser))/i.test(word) ? "an" : "a");

/** The role a feature's stories are written for: "As a <role>" in its text, the users its benefit hypothesis names, or "user". */
function roleOf(f: FeatureText): string {
  for (const text of [f.benefitHypothesis, f.description, f.title]) {
    const m = /\bas\s+(?:an?|the)\s+([A-Za-z][\w -]{0,40}?)\s*,?\s+(?:i|we)\b/i.exec(text ?? "");
    if (m) return trimClause(m[1] as string);
  }
  const users =
    /\bif\s+(?:the\s+|our\s+|all\s+)?([A-Za-z][\w -]{0,40}?)\s+(?:successfully|can|are\s+able|is\s+able|will)\b/i.exec(
      f.benefitHypothesis ?? "",
    );
  if (users) return singular(lowerFirst(trimClause(users[1] as string)));
  return "user";
}

/** The benefit a feature states as "so that …" or "in order to …", for stories that name no outcome of their own. */
function benefitOf(f: FeatureText): string | null {
  for (const text of [f.benefitHypothesis, f.description]) {
    const m = /\b(so\s+that|in\s+order\s+to)\s+([^.\n]+)/i.exec(text ?? "");
    if (m) return `${(m[1] as string).toLowerCase().replace(/\s+/g, " ")} ${trimClause(m[2] as string)}`;
  }
  return null;
}

function draftTitle(role: string, goal: string, benefit: string | null): string {
  return fitTitle(`As ${article(role)} ${role}, I want `, goal, benefit ? `, ${benefit}` : "");
}

/** A plain criterion as a goal: "Users can export as CSV" → "to export as CSV", else "to see that <criterion>". */
function criterionGoal(text: string, role: string): string {
  const clause = trimClause(text);
  const own = clauseToGoal(clause, role);
  if (own) return own;
  if (/^(?:can|able\s+to)\s+/i.test(clause)) return `to ${clause.replace(/^(?:can|able\s+to)\s+/i, "")}`;
  if (/^to\s/i.test(clause)) return clause;
  if (startsWithVerb(clause)) return `to ${lowerFirst(clause)}`;
  return `to see that ${lowerFirst(clause)}`;
}

/** A workflow step as a goal: imperative steps become "to <step>", noun phrases stay as they are. */
function stepAsGoal(step: string, role: string): string {
  const clause = trimClause(stripSequenceWord(step));
  return clauseToGoal(clause, role) ?? (startsWithVerb(clause) ? `to ${lowerFirst(clause)}` : lowerFirst(clause));
}

/**
 * Story drafts for a feature: one per acceptance criterion (a Given/When/Then one as "As a <role>, I want <event>, so
 * that <outcome>", keeping the criterion as the story's own), else one per workflow step of its description or benefit
 * hypothesis, else one from its title. Each draft is for the first of `teams` (null when there is none).
 */
export function draftBreakdown(feature: FeatureText, teams: readonly TeamRef[]): StoryDraft[] {
  const role = roleOf(feature);
  const benefit = benefitOf(feature);
  const teamId = teams[0]?.id ?? null;
  const draft = (title: string, criteria: Criterion[]): StoryDraft => ({
    title,
    description: "",
    acceptanceCriteria: criteria,
    points: null,
    teamId,
  });
  if (feature.acceptanceCriteria.length > 0) {
    return feature.acceptanceCriteria.slice(0, MAX_BREAKDOWN_STORIES).map((c) => {
      const criterion = { text: c.text, met: false };
      const g = parseGherkin(c.text);
      if (!g) return draft(draftTitle(role, criterionGoal(c.text, role), benefit), [criterion]);
      const event = clauseToGoal(g.event, role);
      const outcome = lowerFirst(trimClause(g.outcome));
      if (event) return draft(draftTitle(role, event, `so that ${outcome}`), [criterion]);
      const wanted = clauseToGoal(g.outcome, role) ?? `to see that ${outcome}`;
      return draft(draftTitle(role, `${wanted} when ${lowerFirst(trimClause(g.event))}`, null), [criterion]);
    });
  }
  const listed = [...(feature.description ?? "").matchAll(/^\s*(?:\d+[.)]|[-*•]|step\s+\d+:?)\s+(.+?)\s*$/gim)].map(
    (m) => m[1] as string,
  );
  const steps =
    listed.length >= 2
      ? listed
      : (thenSequence(feature.benefitHypothesis ?? "") ?? thenSequence(feature.description ?? "") ?? []);
  if (steps.length >= 2) {
    return steps.slice(0, MAX_BREAKDOWN_STORIES).map((s) => draft(draftTitle(role, stepAsGoal(s, role), benefit), []));
  }
  const title = trimClause(feature.title);
  const goal = startsWithVerb(title) ? `to ${lowerFirst(title)}` : lowerFirst(title);
  return [draft(draftTitle(role, goal, benefit), [])];
}
