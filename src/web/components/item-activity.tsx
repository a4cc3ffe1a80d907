// What surrounds an item in the panel: its relations to other items, the conversation about it and its history.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { REWORK_REASON_LABELS, type ReworkReason } from "../../core/metrics-views";
import { type QualityRule, RULE_INFO } from "../../core/story-quality";
import { LIMITS, RELATION_KINDS, RELATION_LABELS } from "../../core/work-item";
import { ApiError, api } from "../lib/api";
import {
  FIELD_LABELS,
  formatDateTime,
  formatRelative,
  formatValue,
  initials,
  type Names,
  personName,
  stateLabel,
} from "../lib/format";
import { queryKeys, useItemHistory } from "../lib/queries";
import { itemHref, onLinkClick } from "../lib/router";
import type { Comment, HistoryEvent, ItemDetail, Relation } from "../lib/types";
import { StateBadge } from "./badges";
import { CloseIcon } from "./icons";
import { Markdown } from "./markdown";

/** The kinds a person can choose, as they read from this item. */
const RELATION_CHOICES = [
  { kind: "depends_on", label: RELATION_LABELS.depends_on.outgoing },
  { kind: "blocks", label: RELATION_LABELS.depends_on.incoming },
  ...RELATION_KINDS.filter((k) => k !== "depends_on").map((k) => ({ kind: k, label: RELATION_LABELS[k].outgoing })),
];

function useRefreshItem(key: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.item(key) }),
      client.invalidateQueries({ queryKey: queryKeys.history(key) }),
    ]);
}

export function RelationsSection({ detail, mayRelate }: { detail: ItemDetail; mayRelate: boolean }) {
  const key = detail.item.key;
  const refresh = useRefreshItem(key);
  const [kind, setKind] = useState("depends_on");
  const [target, setTarget] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const ref = target.trim().toUpperCase();
    if (!ref) return;
    setBusy(true);
    setError(null);
    try {
      await api.relate(key, kind, ref);
      setTarget("");
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage("target") ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (relation: Relation) => {
    try {
      await api.unrelate(key, relation.id);
      await refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section className="panel-section" data-testid="relations">
      <h3 className="section-title">
        Relations <span className="count">{detail.relations.length}</span>
      </h3>
      {detail.relations.length > 0 && (
        <ul className="ref-list">
          {detail.relations.map((r) => (
            <li key={r.id} className="ref-item" data-testid="relation">
              <span className="relation-label">{r.label}</span>
              <a href={itemHref(r.item.key)} onClick={onLinkClick} className="ref-link">
                <span className="key">{r.item.key}</span>
                <span className="ref-title">{r.item.title}</span>
              </a>
              <StateBadge state={r.item.state} />
              {mayRelate && (
                <button
                  type="button"
                  className="icon-button icon-button-danger"
                  aria-label={`Remove "${r.label} ${r.item.key}"`}
                  data-testid="relation-remove"
                  onClick={() => remove(r)}
                >
                  <CloseIcon />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {detail.relations.length === 0 && !mayRelate && <p className="muted empty-line">No relations.</p>}
      {mayRelate && (
        <form className="inline-form" onSubmit={add}>
          <select
            className="input"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            aria-label="Relation"
            data-testid="relation-kind"
          >
            {RELATION_CHOICES.map((c) => (
              <option key={c.kind} value={c.kind}>
                {c.label}
              </option>
            ))}
          </select>
          <input
            className="input input-key"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder="Item key, e.g. DPT-12"
            aria-label="Related item key"
            aria-invalid={error ? true : undefined}
            data-testid="relation-target"
          />
          <button type="submit" className="button" disabled={busy || !target.trim()} data-testid="relation-add">
            Add
          </button>
        </form>
      )}
      {error && (
        <p className="field-error" data-testid="relation-error">
          {error}
        </p>
      )}
    </section>
  );
}

export function CommentsSection({
  detail,
  names,
  mayComment,
}: {
  detail: ItemDetail;
  names: Names;
  mayComment: boolean;
}) {
  const key = detail.item.key;
  const refresh = useRefreshItem(key);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!body.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.comment(key, body);
      setBody("");
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage("body") ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="comments">
      {detail.comments.length === 0 ? (
        <p className="muted empty-line">No comments yet.</p>
      ) : (
        <ul className="comments">
          {detail.comments.map((c) => (
            <CommentView key={c.id} comment={c} names={names} />
          ))}
        </ul>
      )}
      {mayComment && (
        <form className="comment-form" onSubmit={submit}>
          <textarea
            className="input textarea"
            value={body}
            maxLength={LIMITS.comment}
            rows={2}
            placeholder="Leave a comment (Markdown; Ctrl+Enter to send)"
            aria-label="New comment"
            data-testid="comment-input"
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.stopPropagation();
                void submit();
              }
            }}
          />
          <div className="comment-actions">
            {error && <span className="field-error">{error}</span>}
            <button type="submit" className="button" disabled={busy || !body.trim()} data-testid="comment-submit">
              Comment
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function CommentView({ comment, names }: { comment: Comment; names: Names }) {
  const author = personName(names.people, comment.authorId);
  return (
    <li className="comment" data-testid="comment">
      <span className="avatar" aria-hidden="true">
        {initials(author)}
      </span>
      <div className="comment-main">
        <div className="comment-meta">
          <strong>{author}</strong>
          <time dateTime={comment.createdAt} title={formatDateTime(comment.createdAt)}>
            {formatRelative(comment.createdAt)}
          </time>
        </div>
        <Markdown source={comment.body} className="comment-body" />
      </div>
    </li>
  );
}

export function HistorySection({ itemKey, names }: { itemKey: string; names: Names }) {
  const history = useItemHistory(itemKey);
  if (history.isLoading) return <p className="muted empty-line">Loading history…</p>;
  if (history.error) return <p className="field-error">Could not load the history: {history.error.message}</p>;
  const events = [...(history.data?.items ?? [])].reverse();
  return (
    <ol className="history" data-testid="history">
      {events.map((e) => (
        <li key={e.id} className="history-entry" data-testid="history-entry">
          <span className="history-dot" aria-hidden="true" />
          <div>
            <span className="history-text">
              <strong>{personName(names.people, e.actorId)}</strong> {describeEvent(e, names)}
            </span>
            <time dateTime={e.at} title={formatDateTime(e.at)}>
              {formatRelative(e.at)}
            </time>
          </div>
        </li>
      ))}
    </ol>
  );
}

function describeEvent(e: HistoryEvent, names: Names) {
  switch (e.kind) {
    case "created":
      return <>created this item</>;
    case "moved":
      return <>moved it in the backlog</>;
    case "commented":
      return <>commented</>;
    case "related":
    case "unrelated": {
      const v = (e.newValue ?? e.oldValue ?? {}) as { kind?: string; from?: string; to?: string };
      const label = v.kind
        ? (RELATION_LABELS[v.kind as keyof typeof RELATION_LABELS]?.outgoing ?? v.kind)
        : "relates to";
      return (
        <>
          {e.kind === "related" ? "linked" : "unlinked"}{" "}
          <span className="history-value">
            {v.from} {label} {v.to}
          </span>
        </>
      );
    }
    case "finding_dismissed":
    case "finding_restored": {
      const rule = RULE_INFO[e.field as QualityRule]?.label ?? e.field ?? "";
      const reason = e.kind === "finding_dismissed" ? e.newValue : e.oldValue;
      return (
        <>
          {e.kind === "finding_dismissed" ? "dismissed the" : "restored the"}{" "}
          <span className="history-field">{rule}</span> finding
          {typeof reason === "string" && reason ? (
            <>
              {e.kind === "finding_dismissed" ? ": " : " (dismissed as: "}
              <span className="history-value">{reason}</span>
              {e.kind === "finding_restored" ? ")" : ""}
            </>
          ) : null}
        </>
      );
    }
    case "rework": {
      const v = (e.newValue ?? {}) as { reason?: string | null; note?: string | null };
      const reason = v.reason ? (REWORK_REASON_LABELS[v.reason as ReworkReason] ?? v.reason) : null;
      return (
        <>
          moved it back from <span className="history-value">{stateLabel(String(e.oldValue ?? ""))}</span> for rework
          {reason ? (
            <>
              : <span className="history-value">{reason}</span>
            </>
          ) : null}
          {v.note ? <> — {v.note}</> : null}
        </>
      );
    }
    case "feedback_linked":
    case "feedback_unlinked": {
      const v = (e.newValue ?? e.oldValue ?? {}) as { customer?: string; source?: string; weight?: number };
      return (
        <>
          {e.kind === "feedback_linked" ? "linked feedback from" : "unlinked feedback from"}{" "}
          <span className="history-value">
            {v.customer} ({v.source}, ×{v.weight})
          </span>
        </>
      );
    }
    default: {
      const field = e.field ?? "";
      const label = FIELD_LABELS[field as keyof typeof FIELD_LABELS] ?? field;
      if (field === "description" || field === "benefitHypothesis" || field === "acceptanceCriteria") {
        return (
          <details className="history-details">
            <summary>edited the {label.toLowerCase()}</summary>
            <div className="history-diff">
              <TextValue value={e.oldValue} tone="old" />
              <TextValue value={e.newValue} tone="new" />
            </div>
          </details>
        );
      }
      return (
        <>
          changed <span className="history-field">{label}</span> from{" "}
          <span className="history-value history-old">{formatValue(field, e.oldValue, names)}</span> to{" "}
          <span className="history-value">{formatValue(field, e.newValue, names)}</span>
        </>
      );
    }
  }
}

/** One criterion of a past list: a string before criteria had a "met" check, `{ text, met }` since. */
function criterionText(v: unknown): string {
  if (v && typeof v === "object" && "text" in v) return `${(v as { met?: boolean }).met ? "✓ " : ""}${String(v.text)}`;
  return String(v);
}

/** A long value (text, or a list of criteria) as it was before or after a change. */
function TextValue({ value, tone }: { value: unknown; tone: "old" | "new" }) {
  const label = tone === "old" ? "Before" : "After";
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
  return (
    <div className={`history-text-value history-${tone}`}>
      <span className="history-text-label">{label}</span>
      {empty ? (
        <span className="muted">(empty)</span>
      ) : Array.isArray(value) ? (
        <ol>
          {value.map((v, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a past list, never reordered
            <li key={i}>{criterionText(v)}</li>
          ))}
        </ol>
      ) : (
        <p>{String(value)}</p>
      )}
    </div>
  );
}
