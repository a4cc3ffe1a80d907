// The story quality check in the item panel. While a story is edited, its draft is checked live (POST
// /arts/{art}/quality/check, debounced, the stale request aborted); otherwise the stored story's findings are shown
// (GET /items/{item}/quality), with the ones dismissed, their reason and who. Each finding names its rule, marks the
// words that triggered it (in the title and in each criterion too), says why it matters and how to fix it, and
// can be dismissed with a reason or restored. A feature shows only the smells in its acceptance criteria.
// The marked words are drawn behind the title and each criterion as they are typed (FieldBackdrop).
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { RULE_INFO } from "../../core/story-quality";
import { ApiError, api } from "../lib/api";
import { formatDateTime, type Names, personName } from "../lib/format";
import { queryKeys, useItemQuality, useQualityCheck } from "../lib/queries";
import { itemHref, onLinkClick } from "../lib/router";
import type {
  Art,
  Finding,
  FindingDismissal,
  Highlight,
  Item,
  ItemFields,
  QualityDraft,
  QualityRule,
  Readiness,
} from "../lib/types";

/** How long typing must pause before the draft is checked. */
export const CHECK_DEBOUNCE_MS = 150;

/** The text a set of findings was computed on: highlights are ranges of it. */
export interface CheckedText {
  title: string;
  description: string;
  criteria: string[];
}

export interface QualityState {
  /** Whether the item gets checked at all (stories; features for their criteria). */
  shown: boolean;
  /** Findings to show, dismissed ones left out. */
  findings: Finding[];
  dismissed: FindingDismissal[];
  /** Rules the saved story has a finding of: only those can be dismissed (not one only in unsaved edits). */
  storedRules: ReadonlySet<QualityRule>;
  readiness: Readiness | null;
  checked: CheckedText | null;
  /** The findings are of unsaved edits. */
  live: boolean;
  checking: boolean;
  error: string | null;
}

/** What the live check is sent of a draft: a story with its team, parent and key; a feature only its text. */
function draftOf(item: Item, draft: ItemFields): QualityDraft {
  const text = {
    title: draft.title,
    description: draft.description,
    // Only what the criterion is: the API's parsed Given/When/Then parts are not sent back.
    acceptanceCriteria: draft.acceptanceCriteria.map((c) => ({ text: c.text, met: c.met })),
    points: draft.points,
    type: draft.type,
  };
  if (item.level !== "story") return text;
  return {
    ...text,
    ...(draft.teamId ? { teamId: draft.teamId } : {}),
    parentId: draft.parentId,
    item: item.key,
  };
}

const textOf = (d: Pick<QualityDraft, "title" | "description" | "acceptanceCriteria">): CheckedText => ({
  title: d.title,
  description: d.description,
  criteria: d.acceptanceCriteria.map((c) => c.text),
});

/** A value that follows `value` once it has stayed the same (by its JSON) for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const json = JSON.stringify(value);
  const [settled, setSettled] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the JSON is the value's identity
  useEffect(() => {
    const timer = setTimeout(() => setSettled(latest.current), ms);
    return () => clearTimeout(timer);
  }, [json, ms]);
  return JSON.stringify(settled) === json ? value : settled;
}

/** Findings of a feature: only the smells in its acceptance criteria (the story rules are about stories). */
function criteriaSmells(findings: Finding[]): Finding[] {
  return findings
    .map((f) => ({ ...f, highlights: f.highlights.filter((h) => h.field === "acceptanceCriteria") }))
    .filter((f) => f.highlights.length > 0);
}

/**
 * The quality of the item in the panel: the stored story's findings, or the live check's while it is edited.
 * `base` is the item as last saved, `draft` the form. A story closed as split is not checked any more.
 */
export function useStoryQuality(art: Art, base: Item, draft: ItemFields): QualityState {
  const isStory = base.level === "story";
  const shown = (isStory && base.state !== "split") || base.level === "feature";
  const current = useMemo(() => draftOf(base, draft), [base, draft]);
  const saved = useMemo(() => draftOf(base, base), [base]);
  const currentJson = JSON.stringify(current);
  const edited = currentJson !== JSON.stringify(saved);
  const settled = useDebounced(current, CHECK_DEBOUNCE_MS);

  const stored = useItemQuality(base.key, isStory && shown);
  // A story is checked live only while edited (the stored check covers it otherwise); a feature always, as it has no
  // stored check.
  const runLive = shown && (edited || !isStory);
  const live = useQualityCheck(art.key, base.key, runLive ? settled : null);

  // The last live answer and the draft it was for: just after a save it still describes the item while the stored
  // check is refetched, so the findings do not flash back to the old ones.
  const lastLive = useRef<{ json: string; data: NonNullable<typeof live.data> } | null>(null);
  if (live.data && runLive && !live.isPlaceholderData)
    lastLive.current = { json: JSON.stringify(settled), data: live.data };

  return useMemo(() => {
    const dismissed = stored.data?.dismissed ?? [];
    const storedRules = new Set<QualityRule>((stored.data?.findings ?? []).map((f) => f.rule));
    const dismissedRules = new Set<QualityRule>(dismissed.map((d) => d.rule));
    const visible = (list: Finding[]) => {
      const kept = list.filter((f) => !dismissedRules.has(f.rule));
      return isStory ? kept : criteriaSmells(kept);
    };
    const checking = (runLive && (live.isFetching || JSON.stringify(settled) !== currentJson)) || stored.isFetching;
    const error = live.error ?? stored.error;
    const errorText = error ? (error instanceof Error ? error.message : String(error)) : null;
    const recentLive = lastLive.current?.json === currentJson ? lastLive.current.data : null;
    if (runLive && live.data) {
      return {
        shown,
        storedRules,
        findings: visible(live.data.findings),
        dismissed,
        readiness: live.data.readiness ?? stored.data?.readiness ?? null,
        checked: textOf(
          live.isPlaceholderData ? (lastLive.current ? JSON.parse(lastLive.current.json) : settled) : settled,
        ),
        live: isStory,
        checking,
        error: errorText,
      };
    }
    if (!edited && stored.isFetching && recentLive) {
      return {
        shown,
        storedRules,
        findings: visible(recentLive.findings),
        dismissed,
        readiness: recentLive.readiness ?? stored.data?.readiness ?? null,
        checked: textOf(saved),
        live: false,
        checking,
        error: errorText,
      };
    }
    return {
      shown,
      storedRules,
      findings: visible(stored.data?.findings ?? []),
      dismissed,
      readiness: stored.data?.readiness ?? null,
      checked: stored.data ? textOf(saved) : null,
      live: false,
      checking,
      error: errorText,
    };
  }, [
    stored.data,
    stored.isFetching,
    stored.error,
    live,
    runLive,
    edited,
    settled,
    saved,
    currentJson,
    shown,
    isStory,
  ]);
}

// ---------- Marked words ----------

interface Mark {
  start: number;
  end: number;
  severity: Finding["severity"];
  label: string;
}

/** `text` with the marked ranges in <mark>; overlapping marks merge, an error outranks a warning. */
export function MarkedText({ text, marks }: { text: string; marks: Mark[] }) {
  const cuts = new Set<number>([0, text.length]);
  for (const m of marks) {
    cuts.add(Math.max(0, Math.min(text.length, m.start)));
    cuts.add(Math.max(0, Math.min(text.length, m.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const parts: ReactNode[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i] as number;
    const to = points[i + 1] as number;
    if (to <= from) continue;
    const piece = text.slice(from, to);
    const over = marks.filter((m) => m.start < to && m.end > from);
    if (over.length === 0) {
      parts.push(piece);
      continue;
    }
    const severity = over.some((m) => m.severity === "error") ? "error" : "warning";
    const labels = [...new Set(over.map((m) => m.label))].join(", ");
    parts.push(
      <mark key={from} className={`qmark qmark-${severity}`} title={labels} data-testid="quality-mark">
        {piece}
      </mark>,
    );
  }
  return <>{parts}</>;
}

const inField = (h: Highlight, field: Highlight["field"], index?: number) =>
  h.field === field && (field !== "acceptanceCriteria" || h.index === index);

function marksOf(findings: Finding[], field: Highlight["field"], index?: number): Mark[] {
  return findings.flatMap((f) =>
    f.highlights
      .filter((h) => inField(h, field, index))
      .map((h) => ({ start: h.start, end: h.end, severity: f.severity, label: RULE_INFO[f.rule]?.label ?? f.rule })),
  );
}

/**
 * The marks of text `checked` moved onto `current` (the field as it is now, a keystroke or two ahead of the check):
 * marks before the first change keep their place, marks after the last change shift with it, marks on it are dropped.
 */
export function carryMarks<M extends { start: number; end: number }>(
  checked: string,
  current: string,
  marks: M[],
): M[] {
  if (checked === current) return marks;
  let prefix = 0;
  const shortest = Math.min(checked.length, current.length);
  while (prefix < shortest && checked[prefix] === current[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && checked[checked.length - 1 - suffix] === current[current.length - 1 - suffix]) {
    suffix++;
  }
  const shift = current.length - checked.length;
  const after = checked.length - suffix;
  return marks.flatMap((m) =>
    m.end <= prefix ? [m] : m.start >= after ? [{ ...m, start: m.start + shift, end: m.end + shift }] : [],
  );
}

/**
 * The words of one field (the title, or criterion `index`) that the check flagged, drawn behind the field's own text:
 * put it first in a `.marked-field` wrapper with the field, and give it the field's classes so its text lines up.
 */
export function FieldBackdrop({
  quality,
  field,
  index,
  text,
  className,
}: {
  quality: QualityState;
  field: "title" | "acceptanceCriteria";
  index?: number;
  /** The field's text now. */
  text: string;
  className: string;
}) {
  const { checked } = quality;
  const marks = checked ? marksOf(quality.findings, field, index) : [];
  const checkedText = checked ? (field === "title" ? checked.title : (checked.criteria[index ?? -1] ?? null)) : null;
  const shown = checkedText === null ? [] : carryMarks(checkedText, text, marks);
  return (
    <div
      className={`${className} marked-backdrop`}
      aria-hidden="true"
      data-testid={field === "title" ? "quality-marks-title" : "quality-marks-criterion"}
      data-index={index}
    >
      <MarkedText text={text} marks={shown} />
      {/* A final line break in a textarea still takes a line. */}
      {text.endsWith("\n") && "\u200b"}
    </div>
  );
}

// ---------- Findings ----------

const FIELD_NAMES: Record<Highlight["field"], string> = {
  title: "Title",
  description: "Description",
  acceptanceCriteria: "Criterion",
};
const EXCERPT_CONTEXT = 32;

/** The form field a highlight points into, to select the flagged words there. */
function fieldElement(h: Highlight): HTMLTextAreaElement | HTMLInputElement | null {
  const id = h.field === "title" ? null : h.field === "description" ? "field-description" : `criterion-${h.index ?? 0}`;
  const el = id
    ? document.getElementById(id)
    : document.querySelector('[data-testid="item-panel"] [data-testid="field-title"]');
  return el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement ? el : null;
}

function selectHighlight(h: Highlight) {
  const el = fieldElement(h);
  if (!el) return;
  el.focus();
  el.setSelectionRange(Math.min(h.start, el.value.length), Math.min(h.end, el.value.length));
}

/** A highlight in a few words of its context: "… want to search <quickly> and export …". */
function Excerpt({ highlight, text, severity }: { highlight: Highlight; text: string; severity: Finding["severity"] }) {
  const from = Math.max(0, highlight.start - EXCERPT_CONTEXT);
  const to = Math.min(text.length, highlight.end + EXCERPT_CONTEXT);
  const where =
    highlight.field === "acceptanceCriteria"
      ? `${FIELD_NAMES.acceptanceCriteria} ${(highlight.index ?? 0) + 1}`
      : FIELD_NAMES[highlight.field];
  return (
    <button
      type="button"
      className="finding-excerpt"
      title="Show these words in the form"
      onClick={() => selectHighlight(highlight)}
      data-testid="finding-excerpt"
    >
      <span className="finding-excerpt-field">{where}</span>
      {from > 0 && "…"}
      <MarkedText
        text={text.slice(from, to)}
        marks={[{ start: highlight.start - from, end: highlight.end - from, severity, label: where }]}
      />
      {to < text.length && "…"}
    </button>
  );
}

function textAt(checked: CheckedText | null, h: Highlight): string | null {
  if (!checked) return null;
  if (h.field === "title") return checked.title;
  if (h.field === "description") return checked.description;
  return checked.criteria[h.index ?? -1] ?? null;
}

interface SectionProps {
  itemKey: string;
  quality: QualityState;
  names: Names;
  /** Whether this person may dismiss and restore findings. */
  mayDismiss: boolean;
  isStory: boolean;
}

/** The findings of the item with their rule, marked words, why, fix and dismissal; and the dismissed ones. */
export function QualitySection({ itemKey, quality, names, mayDismiss, isStory }: SectionProps) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.item(itemKey) });
  const { findings, dismissed } = quality;
  const errors = findings.filter((f) => f.severity === "error").length;
  if (!quality.shown) return null;
  // A feature shows its criteria smells only when there are some.
  if (!isStory && findings.length === 0) return null;
  return (
    <section className="panel-section quality-section" data-testid="quality-section" aria-live="polite">
      <h3 className="section-title">
        {isStory ? "Story quality" : "Criteria smells"} <span className="count">{findings.length}</span>
        {quality.live && <span className="muted section-aside">as edited</span>}
        {quality.checking && (
          <span className="muted section-aside quality-checking" data-testid="quality-checking">
            checking…
          </span>
        )}
      </h3>
      {quality.error && (
        <p className="notice notice-error" role="alert">
          The quality check failed: {quality.error}
        </p>
      )}
      {findings.length === 0 ? (
        quality.checked && (
          <p className="muted empty-line" data-testid="quality-clean">
            {dismissed.length > 0 ? "No open findings." : "No findings: the story reads well."}
          </p>
        )
      ) : (
        <>
          {isStory && (
            <p className="muted quality-summary">
              {errors > 0 ? `${errors} to fix` : "Nothing to fix"}
              {findings.length - errors > 0 && `, ${findings.length - errors} to consider`}
            </p>
          )}
          <ul className="finding-list">
            {keyed(findings).map(([key, f]) => (
              <FindingRow
                key={key}
                itemKey={itemKey}
                finding={f}
                checked={quality.checked}
                mayDismiss={mayDismiss && isStory}
                dismissable={quality.storedRules.has(f.rule)}
                onChanged={refresh}
              />
            ))}
          </ul>
        </>
      )}
      {isStory && dismissed.length > 0 && (
        <details className="dismissed" data-testid="dismissed-findings">
          <summary>
            Dismissed <span className="count">{dismissed.length}</span>
          </summary>
          <ul className="finding-list">
            {dismissed.map((d) => (
              <DismissedRow
                key={d.rule}
                itemKey={itemKey}
                dismissal={d}
                names={names}
                mayRestore={mayDismiss}
                onChanged={refresh}
              />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** Findings with stable keys: a rule may find several things in one story, each its own message. */
function keyed(findings: Finding[]): [string, Finding][] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${f.rule}:${f.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return [n === 0 ? base : `${base}:${n}`, f];
  });
}

function RuleName({ rule }: { rule: QualityRule }) {
  const info = RULE_INFO[rule];
  return (
    <span className="finding-rule">
      {info?.label ?? rule}
      {info && <span className="finding-group">{info.group}</span>}
    </span>
  );
}

function FindingRow(props: {
  itemKey: string;
  finding: Finding;
  checked: CheckedText | null;
  mayDismiss: boolean;
  /** The saved story has this finding too (one only in unsaved edits cannot be dismissed yet). */
  dismissable: boolean;
  onChanged: () => Promise<void>;
}) {
  const { finding } = props;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dismiss = async () => {
    if (!reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api.dismissFinding(props.itemKey, finding.rule, reason.trim());
      await props.onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage("reason") ?? err.message) : String(err));
      setBusy(false);
    }
  };
  const excerpts = finding.highlights
    .slice(0, 4)
    .map((h) => ({ h, text: textAt(props.checked, h) }))
    .filter((x): x is { h: Highlight; text: string } => x.text !== null && x.h.end <= x.text.length);
  return (
    <li
      className={`finding finding-${finding.severity}`}
      data-testid="quality-finding"
      data-rule={finding.rule}
      data-severity={finding.severity}
    >
      <div className="finding-head">
        <span className={`severity-dot severity-${finding.severity}`} title={finding.severity} aria-hidden="true" />
        <RuleName rule={finding.rule} />
        <span className="spacer" />
        {props.mayDismiss && !asking && (
          <button
            type="button"
            className="button-link finding-dismiss"
            onClick={() => setAsking(true)}
            disabled={!props.dismissable}
            title={
              props.dismissable
                ? "This finding does not apply here: say why"
                : "Save the story first: this finding comes from your unsaved edits"
            }
            data-testid="finding-dismiss"
          >
            Dismiss…
          </button>
        )}
      </div>
      <p className="finding-message" data-testid="finding-message">
        {finding.message}
      </p>
      {excerpts.length > 0 && (
        <div className="finding-excerpts">
          {excerpts.map(({ h, text }) => (
            <Excerpt
              key={`${h.field}-${h.index ?? ""}-${h.start}`}
              highlight={h}
              text={text}
              severity={finding.severity}
            />
          ))}
        </div>
      )}
      {finding.fix && (
        <p className="finding-fix" data-testid="finding-fix">
          <strong>Fix:</strong> {finding.fix}
        </p>
      )}
      {finding.relatedKeys.length > 0 && (
        <p className="finding-related">
          See{" "}
          {finding.relatedKeys.map((k, i) => (
            <span key={k}>
              {i > 0 && ", "}
              <a href={itemHref(k)} onClick={onLinkClick} className="key" data-testid="finding-related">
                {k}
              </a>
            </span>
          ))}
        </p>
      )}
      {finding.why && (
        <details className="finding-why">
          <summary data-testid="finding-why">Why it matters</summary>
          <p>{finding.why}</p>
        </details>
      )}
      {asking && (
        <form
          className="finding-dismiss-form"
          onSubmit={(e) => {
            e.preventDefault();
            void dismiss();
          }}
        >
          <input
            className="input finding-reason-input"
            value={reason}
            maxLength={500}
            placeholder="Why does this not apply here?"
            aria-label={`Reason to dismiss “${RULE_INFO[finding.rule]?.label ?? finding.rule}”`}
            data-testid="finding-dismiss-reason"
            // biome-ignore lint/a11y/noAutofocus: the person just asked to write the reason
            autoFocus
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.preventDefault();
                e.stopPropagation();
                setAsking(false);
              }
            }}
          />
          <button
            type="submit"
            className="button button-small button-primary"
            disabled={busy || !reason.trim()}
            data-testid="finding-dismiss-confirm"
          >
            Dismiss
          </button>
          <button type="button" className="button button-small" onClick={() => setAsking(false)} disabled={busy}>
            Cancel
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </li>
  );
}

function DismissedRow(props: {
  itemKey: string;
  dismissal: FindingDismissal;
  names: Names;
  mayRestore: boolean;
  onChanged: () => Promise<void>;
}) {
  const { dismissal } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.restoreFinding(props.itemKey, dismissal.rule);
      await props.onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <li className="finding finding-dismissed" data-testid="dismissed-finding" data-rule={dismissal.rule}>
      <div className="finding-head">
        <RuleName rule={dismissal.rule} />
        <span className="spacer" />
        {props.mayRestore && (
          <button
            type="button"
            className="button-link"
            onClick={() => void restore()}
            disabled={busy}
            data-testid="finding-restore"
          >
            Restore
          </button>
        )}
      </div>
      {dismissal.finding && <p className="finding-message muted">{dismissal.finding.message}</p>}
      <p className="finding-reason" data-testid="dismissal-reason">
        “{dismissal.reason}”{" "}
        <span className="muted">
          — {personName(props.names.people, dismissal.by)}, {formatDateTime(dismissal.at)}
        </span>
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
