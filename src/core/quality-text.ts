// Reading a story's text for the quality rules: where its role, goal and benefit are ("As a <role>, I want <goal>, so
// that <benefit>"), its words with their positions, its sentence breaks, and the normalised content words the
// near-duplicate search compares. Pure and regex-based (no part-of-speech tagging): every pattern is compiled once
// here.

/** A character range [start, end) of a text. */
export interface Span {
  start: number;
  end: number;
}

/** The story templates a team may use. */
export type Template = "as_want_so" | "as_want" | "other";

/** A story's statement: the title, or the description's first line when only that is in the template. */
export interface Statement {
  field: "title" | "description";
  /** The whole text of that field (spans are positions in it). */
  text: string;
  /** "As a RuleAuthor" (the role clause without its trailing comma), or null. */
  roleClause: Span | null;
  /** The role's words, e.g. "RuleAuthor". */
  role: Span | null;
  /** The goal indicator, e.g. "I want to", "I'd like", "I can". */
  means: Span | null;
  /** The goal's words; for free text, the first sentence. Empty (start = end) when missing. */
  goal: Span;
  /** The benefit indicator, e.g. "so that", "in order to". */
  ends: Span | null;
  /** The benefit's words. */
  benefit: Span | null;
  template: Template;
}

/** A word of a text, lower-cased, with its range. */
export interface Word {
  lower: string;
  start: number;
  end: number;
}

const ROLE_START = /^\s*as\s+(an?\s+|the\s+)?(?=\S)/i;
const MEANS_INDICATOR = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    [
      String.raw`(?:i|we)\s+(?:really\s+)?(?:want|need|wish|would\s+(?:like|love)|expect)(?:\s+to)?`,
      String.raw`(?:i|we)\s+(?:do\s+not|don['’]t)\s+(?:want|need)(?:\s+to)?`,
      String.raw`(?:i|we)['’]d\s+(?:like|love)(?:\s+to)?`,
      String.raw`(?:i|we)\s+(?:can|could|am\s+able\s+to|are\s+able\s+to|(?:should|must|will)\s+be\s+able\s+to)`,
      String.raw`(?:i['’]m|we['’]re)\s+able\s+to`,
    ].join("|") +
    String.raw`)(?:\s+be\s+able\s+to)?(?![\p{L}\p{N}])`,
  "iu",
);
/** The benefit-first form: "In order to <benefit>, as a <role> I want <goal>". */
const LEADING_ENDS = /^\s*(?:in\s+order\s+to|so\s+that)\s+/i;
const ROLE_OR_MEANS_AFTER_COMMA = /,\s*(?=as\s|i\s|i['’]|we\s)/i;
const ENDS_INDICATOR =
  /(?<![\p{L}\p{N}])(?:so\s+that|in\s+order\s+(?:to|that|for)|so\s+as\s+to|so(?=\s+(?:i|we|they|you|he|she|it['’]?s?|users?|everyone|people)\s))(?![\p{L}\p{N}])/iu;
/**
 * A sentence ends at . ! ? followed by a space and a capital letter or an opening quote (not at an ellipsis, as in a
 * menu label "Add..."), or at a semicolon after a word and before one ("&amp;" and code like `f(x);` do not count).
 */
const SENTENCE_MARK = /[.!?;]/g;
const ENTITY_BEFORE = /&[\p{L}\p{N}#]{1,8}$/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SENTENCE_START = /[\p{Lu}"“]/u;
const ABBREVIATION_BEFORE =
  /(?:^|[\s(])(?:e\.g|i\.e|w\.r\.t|a\.k\.a|etc|vs|approx|incl|esp|cf|misc|no|nr|fig|mr|mrs|ms|dr|st|v|ver|min|max|ca)\.$/i;
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}_.'’-]*[\p{L}\p{N}])?/gu;
const TRIM_END = /[\s,;:.!?]+$/;

/** The words of `text` between `from` and `to`, lower-cased, with their ranges. */
export function wordsOf(text: string, from = 0, to = text.length): Word[] {
  const words: Word[] = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m !== null && m.index < to; m = WORD.exec(text)) {
    const end = Math.min(m.index + m[0].length, to);
    words.push({ lower: text.slice(m.index, end).toLowerCase(), start: m.index, end });
  }
  return words;
}

/** Positions just after each sentence end inside [from, to) that is followed by more text (abbreviations excluded). */
export function sentenceBreaks(text: string, from = 0, to = text.length): number[] {
  const breaks: number[] = [];
  SENTENCE_MARK.lastIndex = from;
  for (let m = SENTENCE_MARK.exec(text); m !== null && m.index < to; m = SENTENCE_MARK.exec(text)) {
    const at = m.index;
    let next = at + 1;
    if (!/\s/.test(text[next] ?? "")) continue;
    while (next < text.length && /\s/.test(text[next] as string)) next++;
    if (next >= text.length) continue;
    const after = text[next] as string;
    if (m[0] === ";") {
      const before = text.slice(Math.max(0, at - 10), at);
      if (!LETTER_OR_DIGIT.test(before.slice(-1)) || ENTITY_BEFORE.test(before) || !/\p{L}/u.test(after)) continue;
    } else {
      if (text[at - 1] === "." || !SENTENCE_START.test(after)) continue;
      if (m[0] === "." && ABBREVIATION_BEFORE.test(text.slice(Math.max(0, at - 9), at + 1))) continue;
    }
    breaks.push(at);
  }
  return breaks;
}

/** `span` without leading spaces and trailing spaces or punctuation. */
export function trimSpan(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] as string)) s++;
  const tail = TRIM_END.exec(text.slice(s, e));
  if (tail) e -= tail[0].length;
  return { start: s, end: Math.max(s, e) };
}

function endOfSentence(text: string, from: number, limit: number): number {
  const next = sentenceBreaks(text, from, limit)[0];
  return next ?? limit;
}

/**
 * Finds role, goal and benefit in one line of text. Recognises "As a/an/the <role>" (and "As <role>" when a goal
 * indicator follows), "I want (to)/I'd like/I would like/I need/I wish/I can/I am able to …", and "so that/in order
 * to/so as to/so I can …", case-insensitively, with or without commas; also the benefit-first form "In order to
 * <benefit>, as a <role> I want <goal>".
 *
 * @example
 * const s = readLine("As a Publisher, I want to publish a dataset, so that I can share it.");
 * // s.template === "as_want_so"; text.slice(s.goal.start, s.goal.end) === "publish a dataset"
 */
export function readLine(text: string, field: "title" | "description" = "title", limit = text.length): Statement {
  const lead = LEADING_ENDS.exec(text.slice(0, limit));
  if (lead) {
    const rest = ROLE_OR_MEANS_AFTER_COMMA.exec(text.slice(lead[0].length, limit));
    if (rest) {
      const comma = lead[0].length + rest.index;
      const main = readFrom(text, field, comma + 1, limit);
      const ends = trimSpan(text, 0, lead[0].length);
      const benefit = trimSpan(text, lead[0].length, comma);
      const template: Template = main.role && main.means ? "as_want_so" : "other";
      return { ...main, ends, benefit, template };
    }
  }
  return readFrom(text, field, 0, limit);
}

function readFrom(text: string, field: Statement["field"], from: number, limit: number): Statement {
  const role = ROLE_START.exec(text.slice(from, limit));
  const roleFrom = from + (role ? role[0].length : 0);
  const found = MEANS_INDICATOR.exec(text.slice(roleFrom, limit));
  // Without a role, "I want …" must open the line: "… the ones we want to be in place" is no goal indicator.
  const meansMatch = found && (role || text.slice(roleFrom, roleFrom + found.index).trim() === "") ? found : null;
  const means = meansMatch
    ? { start: roleFrom + meansMatch.index, end: roleFrom + meansMatch.index + meansMatch[0].length }
    : null;
  const hasRole = role !== null && (role[1] !== undefined || means !== null);

  let roleSpan: Span | null = null;
  let roleClause: Span | null = null;
  if (hasRole && role) {
    const comma = text.indexOf(",", roleFrom);
    const roleEnd = means ? means.start : comma >= 0 && comma < limit ? comma : endOfSentence(text, roleFrom, limit);
    roleSpan = trimSpan(text, roleFrom, roleEnd);
    roleClause = { start: trimSpan(text, from, roleEnd).start, end: roleSpan.end };
  }

  const goalFrom = means ? means.end : roleSpan ? Math.min(limit, roleSpan.end + 1) : from;
  const sentenceEnd = endOfSentence(text, goalFrom, limit);
  const endsMatch = ENDS_INDICATOR.exec(text.slice(goalFrom, sentenceEnd));
  const ends = endsMatch
    ? { start: goalFrom + endsMatch.index, end: goalFrom + endsMatch.index + endsMatch[0].length }
    : null;
  const goal = trimSpan(text, goalFrom, ends ? ends.start : sentenceEnd);
  const benefit = ends ? trimSpan(text, ends.end, endOfSentence(text, ends.end, limit)) : null;

  const template: Template = roleSpan && means ? (ends ? "as_want_so" : "as_want") : "other";
  return { field, text, roleClause, role: roleSpan, means, goal, ends, benefit, template };
}

/**
 * The statement the rules read: the title when it uses the template (or at least a role or goal indicator); else the
 * description's first line when that one does ("As a …, I want …" written below a short title); else the title as free
 * text.
 */
export function readStatement(title: string, description: string): Statement {
  const fromTitle = readLine(title, "title");
  if (fromTitle.role || fromTitle.means) return fromTitle;
  const lineEnd = description.indexOf("\n");
  const firstLine = lineEnd >= 0 ? lineEnd : description.length;
  if (/^\s*as\s+(?:an?|the)\s/i.test(description.slice(0, Math.min(firstLine, 40)))) {
    const fromDescription = readLine(description, "description", firstLine);
    if (fromDescription.role && fromDescription.means) return fromDescription;
  }
  return fromTitle;
}

/** Words that carry no content for comparing stories: function words and the template's own words. */
const STOPWORDS = new Set(
  (
    "a an the and or but nor of to in on at by for from with without into onto over under about as via per than then " +
    "i me my mine we us our you your he him his she her it its they them their this that these those there here " +
    "is are was were be been being am do does did done have has had having can could should would will shall may " +
    "might must want wants wanted like need needs wish able so order also just only not no all any each every some " +
    "which who whom whose what when where why how if whether while because such other more most very too own same " +
    "s t 's let sure"
  ).split(" "),
);

/** A light stem: plural and verb endings off, so "deleted data packages" and "delete data package" compare equal. */
export function stem(word: string): string {
  let w = word.replace(/['’]s$/, "");
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/** Stems that mean the same in a backlog ("view"/"see", "remove"/"delete"), so rewordings still compare equal. */
const SYNONYMS = new Map<string, string>([
  ["view", "see"],
  ["display", "see"],
  ["show", "see"],
  ["remov", "delet"],
  ["undelet", "restor"],
  ["modify", "edit"],
  ["chang", "edit"],
  ["updat", "edit"],
]);

/** The distinct stemmed content words of `text` between `from` and `to`, in order of appearance. */
export function contentTerms(text: string, from = 0, to = text.length): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const w of wordsOf(text, from, to)) {
    if (STOPWORDS.has(w.lower)) continue;
    const stemmed = stem(w.lower);
    const term = SYNONYMS.get(stemmed) ?? stemmed;
    if (term.length < 2 && !/\d/.test(term)) continue;
    if (!seen.has(term)) {
      seen.add(term);
      terms.push(term);
    }
  }
  return terms;
}
