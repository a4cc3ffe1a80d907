// A story's Definition of Ready in the item panel: a "Ready" / "Not ready: N missing" badge, each condition of the
// team's checklist met or not with its detail, and the team's own (manual) items as checkboxes that save at once.
// Also the question asked before moving a story that is not ready to Ready (teams whose policy is to warn), and how a
// story closed by splitting reads in place of the state picker.
import { useEffect, useRef } from "react";
import { itemHref, onLinkClick } from "../lib/router";
import type { ItemDetail, Readiness } from "../lib/types";

/** "Ready", or "Not ready: 2 missing". */
export function readinessText(readiness: Readiness): string {
  if (readiness.ready) return "Ready";
  const n = readiness.missing.length || readiness.checks.filter((c) => !c.met).length;
  return `Not ready: ${n} missing`;
}

export function ReadinessBadge({ readiness, testId = "readiness-badge" }: { readiness: Readiness; testId?: string }) {
  return (
    <span
      className={`readiness-badge ${readiness.ready ? "is-ready" : "is-not-ready"}`}
      data-testid={testId}
      data-ready={readiness.ready}
      title={readiness.ready ? "Meets the team's Definition of Ready" : `Missing: ${readiness.missing.join(", ")}`}
    >
      {readinessText(readiness)}
    </span>
  );
}

interface SectionProps {
  readiness: Readiness | null;
  /** The readiness is of unsaved edits. */
  live: boolean;
  /** Whether this person may tick the team's own checklist items. */
  mayTick: boolean;
  /** A manual item's change is being saved. */
  busy: boolean;
  error: string | undefined;
  onTick: (id: string, ticked: boolean) => void;
}

/** The story's Definition of Ready: each condition, the manual ones as checkboxes. */
export function ReadinessSection({ readiness, live, mayTick, busy, error, onTick }: SectionProps) {
  return (
    <section className="panel-section readiness-section" id="readiness" data-testid="readiness-section">
      <h3 className="section-title">
        Definition of Ready {readiness && <ReadinessBadge readiness={readiness} />}
        {live && <span className="muted section-aside">as edited</span>}
      </h3>
      {!readiness ? (
        <p className="muted empty-line">Checking…</p>
      ) : (
        <ul className="readiness-checks">
          {readiness.checks.map((c) => (
            <li
              key={c.id}
              className={`readiness-check ${c.met ? "is-met" : "is-missing"}`}
              data-testid="readiness-check"
              data-check={c.id}
              data-met={c.met}
            >
              {c.manual ? (
                <label className="readiness-manual">
                  <input
                    type="checkbox"
                    checked={c.met}
                    disabled={!mayTick || busy}
                    data-testid="ready-check-manual"
                    data-check={c.id}
                    onChange={(e) => onTick(c.id, e.target.checked)}
                  />
                  <span className="readiness-label">{c.label}</span>
                </label>
              ) : (
                <>
                  <span className="readiness-mark" aria-hidden="true">
                    {c.met ? "✓" : "✗"}
                  </span>
                  <span className="readiness-label">{c.label}</span>
                  <span className="visually-hidden">{c.met ? "met" : "not met"}</span>
                </>
              )}
              {c.detail && <span className="readiness-detail muted">{c.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="error-readyChecks">
          {error}
        </p>
      )}
    </section>
  );
}

/** Asked before a story that is not ready moves to Ready (the team warns rather than refuses). */
export function ReadyWarning(props: { missing: string[]; onConfirm: () => void; onCancel: () => void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div
      className="notice notice-warn ready-warning"
      role="alertdialog"
      aria-label="Not ready"
      data-testid="ready-warning"
    >
      <p>
        <strong>This story is not ready.</strong> Missing:
      </p>
      <ul data-testid="ready-warning-missing">
        {props.missing.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
      <div className="ready-warning-actions">
        <button
          ref={confirmRef}
          type="button"
          className="button button-small"
          onClick={props.onConfirm}
          data-testid="ready-warning-confirm"
        >
          Move to Ready anyway
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={props.onCancel}
          data-testid="ready-warning-cancel"
        >
          Keep the state
        </button>
      </div>
    </div>
  );
}

/** In place of the state picker: a story closed as split, with the stories it was split into. */
export function SplitState({ detail }: { detail: ItemDetail }) {
  const into = detail.relations.filter((r) => r.kind === "split_from" && r.direction === "incoming");
  return (
    <div className="split-state" data-testid="split-state">
      <span className="state-split">Closed as split</span>
      {into.length > 0 && (
        <span className="split-into">
          into{" "}
          {into.map((r, i) => (
            <span key={r.id}>
              {i > 0 && ", "}
              <a href={itemHref(r.item.key)} onClick={onLinkClick} title={r.item.title} data-testid="split-into-link">
                {r.item.key}
              </a>
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
