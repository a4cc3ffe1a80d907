// Acceptance criteria: an ordered list of conditions of satisfaction, each plain text or Given/When/Then, each with a
// "met" check the Product Owner ticks at acceptance. Pure: shared by the server, the CLI and the web app.

export interface Criterion {
  text: string;
  /** Ticked when the increment meets it (used at acceptance). */
  met: boolean;
}

/**
 * A Given/When/Then criterion in its parts, named as domain.md does: "Given <context>, when <event>, then <outcome>"
 * (not `then`: an object with one is a thenable). "And …"/"But …" clauses stay in the part they continue.
 */
export interface Gherkin {
  context: string;
  event: string;
  outcome: string;
}

/** Criteria as stored before they had a "met" check were plain strings; both read as criteria. */
export function toCriteria(stored: readonly (string | Partial<Criterion>)[]): Criterion[] {
  return stored.map((c) =>
    typeof c === "string" ? { text: c, met: false } : { text: c.text ?? "", met: c.met === true },
  );
}

const STEP = /\b(given|when|then)\b/gi;

/**
 * The Given/When/Then parts of a criterion, or null when it is plain text. Accepts one line ("Given a cart, when I pay,
 * then I get a receipt") or several, case-insensitively, with "and"/"but" continuing a step; each part is trimmed of the
 * punctuation that joins it to the next.
 */
export function parseGherkin(text: string): Gherkin | null {
  const steps: { word: string; at: number }[] = [];
  for (const m of text.matchAll(STEP)) steps.push({ word: (m[1] ?? "").toLowerCase(), at: m.index });
  const given = steps.find((s) => s.word === "given");
  if (!given || text.slice(0, given.at).trim() !== "") return null;
  const when = steps.find((s) => s.word === "when" && s.at > given.at);
  const then = steps.find((s) => s.word === "then" && s.at > (when?.at ?? given.at));
  if (!when || !then) return null;
  const part = (from: { at: number; word: string }, to: number) => clean(text.slice(from.at + from.word.length, to));
  const parts = { context: part(given, when.at), event: part(when, then.at), outcome: part(then, text.length) };
  return parts.context && parts.event && parts.outcome ? parts : null;
}

/** Trims spaces, line breaks and the joining punctuation (", " ";") around a part; keeps a final full stop out. */
function clean(part: string): string {
  return part
    .replace(/^[\s,;:]+/, "")
    .replace(/[\s,;.]+$/, "")
    .replace(/\s*\n\s*/g, " ");
}

/** Renders Given/When/Then parts as one criterion's text. */
export function formatGherkin(g: Gherkin): string {
  return `Given ${g.context}, when ${g.event}, then ${g.outcome}.`;
}
