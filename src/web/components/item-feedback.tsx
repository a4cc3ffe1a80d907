// The item panel's Feedback section: the customer feedback linked to the item with its total weight, and, for people
// who may record feedback here, a picker to link existing feedback of the ART and a form to record new feedback.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError } from "../lib/api";
import { feedbackApi, feedbackKeys, useArtFeedback, useItemFeedback } from "../lib/feedback";
import { queryKeys } from "../lib/queries";
import { FeedbackMeta, RecordFeedbackForm } from "./feedback-form";
import { CloseIcon } from "./icons";
import { Markdown } from "./markdown";

export function FeedbackSection(props: { art: string; itemKey: string; mayRecord: boolean }) {
  const { art, itemKey, mayRecord } = props;
  const client = useQueryClient();
  const feedback = useItemFeedback(itemKey);
  const [mode, setMode] = useState<"none" | "link" | "record">("none");
  const [error, setError] = useState<string | null>(null);
  const items = feedback.data?.items ?? [];

  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: feedbackKeys.item(itemKey) }),
      client.invalidateQueries({ queryKey: queryKeys.history(itemKey) }),
      client.invalidateQueries({ queryKey: feedbackKeys.art(art) }),
    ]);

  const unlink = async (id: string) => {
    setError(null);
    try {
      await feedbackApi.unlink(itemKey, id);
      await refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section className="panel-section" data-testid="feedback-section">
      <h3 className="section-title">
        Feedback <span className="count">{items.length}</span>
        {items.length > 0 && (
          <span className="muted section-aside" data-testid="feedback-total-weight">
            weight {feedback.data?.totalWeight}
          </span>
        )}
      </h3>
      {feedback.isError && <p className="field-error">{feedback.error.message}</p>}
      {items.length > 0 && (
        <ul className="feedback-list">
          {items.map((f) => (
            <li key={f.id} className="feedback-entry" data-testid="item-feedback">
              <div className="feedback-entry-head">
                <FeedbackMeta customer={f.customer} source={f.source} weight={f.weight} receivedOn={f.receivedOn} />
                {mayRecord && (
                  <button
                    type="button"
                    className="icon-button icon-button-danger"
                    aria-label={`Unlink the feedback from ${f.customer}`}
                    data-testid="feedback-unlink"
                    onClick={() => unlink(f.id)}
                  >
                    <CloseIcon />
                  </button>
                )}
              </div>
              <Markdown source={f.body} className="feedback-body" testId="feedback-body-view" />
            </li>
          ))}
        </ul>
      )}
      {items.length === 0 && !feedback.isLoading && <p className="muted empty-line">No customer feedback linked.</p>}
      {error && <p className="field-error">{error}</p>}
      {mayRecord && mode === "none" && (
        <div className="feedback-actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => setMode("link")}
            data-testid="feedback-link-open"
          >
            Link feedback…
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => setMode("record")}
            data-testid="feedback-record-open"
          >
            Record feedback
          </button>
        </div>
      )}
      {mayRecord && mode === "link" && (
        <FeedbackPicker
          art={art}
          itemKey={itemKey}
          linked={new Set(items.map((f) => f.id))}
          onLinked={refresh}
          onDone={() => setMode("none")}
        />
      )}
      {mayRecord && mode === "record" && (
        <RecordFeedbackForm art={art} itemKey={itemKey} onDone={() => setMode("none")} />
      )}
    </section>
  );
}

/** Search the ART's feedback and link one to the item. */
function FeedbackPicker(props: {
  art: string;
  itemKey: string;
  linked: ReadonlySet<string>;
  onLinked: () => Promise<unknown>;
  onDone: () => void;
}) {
  const [q, setQ] = useState("");
  const [choice, setChoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useArtFeedback(props.art, q);
  const candidates = (list.data?.items ?? []).filter((f) => !props.linked.has(f.id));

  const link = async (e: FormEvent) => {
    e.preventDefault();
    const id = choice || candidates[0]?.id;
    if (!id) return;
    setBusy(true);
    setError(null);
    try {
      await feedbackApi.link(props.itemKey, id);
      setChoice("");
      await props.onLinked();
      props.onDone();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage("feedbackId") ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="feedback-picker" onSubmit={link} data-testid="feedback-picker" aria-label="Link feedback">
      <input
        className="input"
        type="search"
        value={q}
        placeholder="Search feedback by customer, source or words"
        aria-label="Search feedback"
        onChange={(e) => setQ(e.target.value)}
        data-testid="feedback-picker-search"
      />
      <div className="inline-form">
        <select
          className="input feedback-picker-select"
          value={choice || candidates[0]?.id || ""}
          onChange={(e) => setChoice(e.target.value)}
          aria-label="Feedback to link"
          data-testid="feedback-picker-select"
        >
          {candidates.length === 0 && <option value="">No feedback to link</option>}
          {candidates.map((f) => (
            <option key={f.id} value={f.id}>
              {f.customer} · {f.source} · ×{f.weight} · {f.receivedOn} · {f.body.slice(0, 60)}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || candidates.length === 0}
          data-testid="feedback-picker-link"
        >
          Link
        </button>
        <button type="button" className="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
