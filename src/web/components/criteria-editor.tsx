// Acceptance criteria as an ordered list: edit each in place (a Given/When/Then one is shown in its parts as it is
// typed, with the parts still missing named), tick it met at acceptance (prominent once the item is done), add at the
// end (Shift+Enter for a new line, a Given/When/Then template), remove, and reorder (buttons, or Alt+↑/↓ inside one).
import { type ReactNode, useRef, useState } from "react";
import { type Criterion, parseGherkin } from "../../core/acceptance-criteria";
import { LIMITS } from "../../core/work-item";
import { reorder } from "../lib/reorder";
import { ArrowDownIcon, ArrowUpIcon, CloseIcon } from "./icons";

interface Props {
  value: Criterion[];
  onChange: (value: Criterion[]) => void;
  /** Messages by criterion index, from the server. */
  errors: Map<number, string>;
  /** The item is done or accepted: the "met" checks are what matters now, so they lead each row. */
  accepting?: boolean;
  /**
   * Drawn behind a criterion's text, lined up with it (the quality check's marked words): given the criterion, its
   * text and the classes of its field.
   */
  backdrop?: (index: number, text: string, className: string) => ReactNode;
}

const TEMPLATE = "Given ";

const CRITERION_INPUT = "input textarea criterion-input";

export function CriteriaEditor({ value, onChange, errors, accepting = false, backdrop }: Props) {
  const [draft, setDraft] = useState("");
  const addRef = useRef<HTMLTextAreaElement>(null);

  const set = (index: number, change: Partial<Criterion>) =>
    onChange(value.map((c, i) => (i === index ? { ...c, ...change } : c)));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= value.length) return;
    onChange(reorder(value, from, to));
    // Keep the focus on the criterion that moved.
    requestAnimationFrame(() => document.getElementById(`criterion-${to}`)?.focus());
  };
  const remove = (index: number) => onChange(value.filter((_, i) => i !== index));
  const add = () => {
    const text = draft.trim();
    if (!text || text === TEMPLATE.trim()) return;
    onChange([...value, { text, met: false }]);
    setDraft("");
  };
  const startGherkin = () => {
    if (!draft.trim()) setDraft(TEMPLATE);
    requestAnimationFrame(() => {
      const input = addRef.current;
      if (!input) return;
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    });
  };
  const full = value.length >= LIMITS.criteria;

  return (
    <div className={`criteria ${accepting ? "criteria-accepting" : ""}`}>
      {accepting && value.length > 0 && <MetSummary value={value} />}
      {value.length > 0 && (
        <ol className="criteria-list" data-testid="criteria-list">
          {value.map((criterion, i) => {
            const met = (
              <label
                className={`criterion-met ${accepting ? "criterion-met-prominent" : ""} ${criterion.met ? "is-met" : ""}`}
                title="Met at acceptance"
              >
                <input
                  type="checkbox"
                  className={accepting ? "met-check-prominent" : undefined}
                  checked={criterion.met}
                  aria-label={`Criterion ${i + 1} met`}
                  data-testid="criterion-met"
                  onChange={(e) => set(i, { met: e.target.checked })}
                  onKeyDown={(e) => {
                    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
                      e.preventDefault();
                      move(i, i + (e.key === "ArrowUp" ? -1 : 1));
                    }
                  }}
                />
                {accepting ? (criterion.met ? "Met" : "Not met") : "Met"}
              </label>
            );
            return (
              // Criteria have no identity but their place; the index is the key by design.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={i} className={`criterion ${accepting ? "criterion-accepting" : ""}`} data-testid="criterion">
                <span className="criterion-number">{i + 1}</span>
                {accepting && met}
                <div className="criterion-body">
                  <div className="marked-field">
                    {backdrop?.(i, criterion.text, CRITERION_INPUT)}
                    <textarea
                      id={`criterion-${i}`}
                      className={`${CRITERION_INPUT} marked-input`}
                      rows={1}
                      value={criterion.text}
                      maxLength={LIMITS.criterion}
                      aria-label={`Acceptance criterion ${i + 1}`}
                      aria-invalid={errors.has(i) || undefined}
                      data-testid="criterion-input"
                      onChange={(e) => set(i, { text: e.target.value })}
                      onKeyDown={(e) => {
                        if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
                          e.preventDefault();
                          move(i, i + (e.key === "ArrowUp" ? -1 : 1));
                        }
                      }}
                    />
                  </div>
                  <GherkinDraft text={criterion.text} />
                  {errors.has(i) && <p className="field-error">{errors.get(i)}</p>}
                </div>
                <span className="criterion-actions">
                  {!accepting && met}
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move criterion ${i + 1} up`}
                    data-testid="criterion-up"
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                  >
                    <ArrowUpIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move criterion ${i + 1} down`}
                    data-testid="criterion-down"
                    disabled={i === value.length - 1}
                    onClick={() => move(i, i + 1)}
                  >
                    <ArrowDownIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-button icon-button-danger"
                    aria-label={`Remove criterion ${i + 1}`}
                    data-testid="criterion-remove"
                    onClick={() => remove(i)}
                  >
                    <CloseIcon />
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div className="criterion-add">
        <div className="criterion-add-body">
          <textarea
            ref={addRef}
            className="input textarea criterion-input"
            rows={1}
            value={draft}
            maxLength={LIMITS.criterion}
            placeholder={full ? `At most ${LIMITS.criteria} criteria` : "Add a criterion: Given …, when …, then …"}
            disabled={full}
            aria-label="New acceptance criterion"
            title="Enter adds it; Shift+Enter starts a new line"
            data-testid="criterion-add-input"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey && !e.altKey) {
                e.preventDefault();
                add();
              }
            }}
          />
          <GherkinDraft text={draft} />
        </div>
        <button
          type="button"
          className="button"
          onClick={startGherkin}
          disabled={full}
          title="Write it as Given / When / Then"
          data-testid="criterion-template"
        >
          Given/When/Then
        </button>
        <button
          type="button"
          className="button"
          onClick={add}
          disabled={!draft.trim() || draft.trim() === TEMPLATE.trim()}
          data-testid="criterion-add"
        >
          Add
        </button>
      </div>
    </div>
  );
}

/** "2 of 3 criteria met", for acceptance. */
function MetSummary({ value }: { value: Criterion[] }) {
  const met = value.filter((c) => c.met).length;
  const all = met === value.length;
  return (
    <p className={`criteria-met-summary ${all ? "is-all-met" : ""}`} data-testid="criteria-met-summary">
      {all ? `All ${value.length} criteria met` : `${met} of ${value.length} criteria met`}
    </p>
  );
}

const STEP = /\b(given|when|then)\b/gi;
const tidy = (part: string) =>
  part
    .replace(/^[\s,;:]+/, "")
    .replace(/[\s,;.]+$/, "")
    .replace(/\s*\n\s*/g, " ");

/**
 * The Given/When/Then parts of a criterion being typed: null unless it starts with "Given"; the parts not written yet
 * are null. A finished criterion reads exactly as parseGherkin reads it.
 */
export function gherkinSoFar(text: string): { context: string; event: string | null; outcome: string | null } | null {
  const done = parseGherkin(text);
  if (done) return done;
  const steps = [...text.matchAll(STEP)].map((m) => ({ word: (m[1] ?? "").toLowerCase(), at: m.index }));
  const given = steps.find((s) => s.word === "given");
  if (!given || text.slice(0, given.at).trim() !== "") return null;
  const when = steps.find((s) => s.word === "when" && s.at > given.at);
  const then = steps.find((s) => s.word === "then" && s.at > (when?.at ?? given.at));
  const end = (next: { at: number } | undefined) => next?.at ?? text.length;
  return {
    context: tidy(text.slice(given.at + 5, end(when ?? then))),
    event: when ? tidy(text.slice(when.at + 4, end(then))) : null,
    outcome: then ? tidy(text.slice(then.at + 4)) : null,
  };
}

/** A criterion's Given/When/Then parts while it is typed, naming the ones still to write; nothing for plain text. */
export function GherkinDraft({ text }: { text: string }) {
  const parts = gherkinSoFar(text);
  if (!parts) return null;
  const complete = Boolean(parts.context && parts.event && parts.outcome);
  const part = (label: string, value: string | null, hint: string) => (
    <>
      <dt>{label}</dt>
      <dd className={value ? undefined : "gherkin-missing"}>{value || hint}</dd>
    </>
  );
  return (
    <dl className={`gherkin ${complete ? "" : "gherkin-partial"}`} data-testid="gherkin" data-complete={complete}>
      {part("Given", parts.context, "the context: who, in which situation")}
      {part("When", parts.event, "type “when …”: what happens")}
      {part("Then", parts.outcome, "type “then …”: the observable outcome")}
    </dl>
  );
}

/** A Given/When/Then criterion in its three parts; nothing for a plain one. */
export function GherkinParts({ text }: { text: string }) {
  const parts = parseGherkin(text);
  if (!parts) return null;
  return (
    <dl className="gherkin" data-testid="gherkin" data-complete="true">
      <dt>Given</dt>
      <dd>{parts.context}</dd>
      <dt>When</dt>
      <dd>{parts.event}</dd>
      <dt>Then</dt>
      <dd>{parts.outcome}</dd>
    </dl>
  );
}

/** The criteria read-only: each with its met mark and, for Given/When/Then, its parts. */
export function CriteriaView({ value, accepting = false }: { value: Criterion[]; accepting?: boolean }) {
  return (
    <>
      {accepting && value.length > 0 && <MetSummary value={value} />}
      <ol className="criteria-view" data-testid="criteria-view">
        {value.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: criteria have no identity but their place
          <li key={i} className={c.met ? "criterion-is-met" : undefined} data-testid="criterion-view">
            {c.met ? (
              <span className="met-badge">Met</span>
            ) : (
              accepting && <span className="met-badge met-badge-not">Not met</span>
            )}{" "}
            {parseGherkin(c.text) ? <GherkinParts text={c.text} /> : c.text}
          </li>
        ))}
      </ol>
    </>
  );
}
