// The "Record feedback" form: source, customer or segment, weight, the day it was received and what they said
// (markdown); the server's per-field messages show beside each field. Used on the ART's Feedback screen and in the
// item panel (where the new feedback is linked to the item at once).
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../lib/api";
import {
  FEEDBACK_BODY_MAX,
  FEEDBACK_LABEL_MAX,
  FEEDBACK_WEIGHT_MAX,
  FEEDBACK_WEIGHT_MIN,
  feedbackApi,
  feedbackKeys,
  today,
} from "../lib/feedback";
import { queryKeys } from "../lib/queries";
import { MarkdownEditor } from "./markdown";

const EMPTY = { source: "", customer: "", weight: "1", receivedOn: "", body: "" };

export function RecordFeedbackForm(props: { art: string; itemKey?: string; onDone?: () => void }) {
  const client = useQueryClient();
  const ids = useId();
  const [draft, setDraft] = useState({ ...EMPTY, receivedOn: today() });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof EMPTY, value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const messageFor = (field: string) => error?.fieldMessage(field);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await feedbackApi.record(props.art, {
        source: draft.source,
        customer: draft.customer,
        body: draft.body,
        weight: Number(draft.weight),
        ...(draft.receivedOn ? { receivedOn: draft.receivedOn } : {}),
        ...(props.itemKey ? { items: [props.itemKey] } : {}),
      });
      setDraft({ ...EMPTY, receivedOn: today() });
      await Promise.all([
        client.invalidateQueries({ queryKey: feedbackKeys.art(props.art) }),
        ...(props.itemKey ? [client.invalidateQueries({ queryKey: queryKeys.item(props.itemKey) })] : []),
        ...(props.itemKey ? [client.invalidateQueries({ queryKey: queryKeys.history(props.itemKey) })] : []),
      ]);
      props.onDone?.();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, { detail: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: "source" | "customer", label: string, placeholder: string) => (
    <div className="form-field form-field-grow">
      <label htmlFor={`${ids}-${name}`}>{label}</label>
      <input
        id={`${ids}-${name}`}
        className="input"
        value={draft[name]}
        maxLength={FEEDBACK_LABEL_MAX}
        placeholder={placeholder}
        onChange={(e) => set(name, e.target.value)}
        aria-invalid={Boolean(messageFor(name)) || undefined}
        data-testid={`feedback-${name}`}
      />
      {messageFor(name) && <p className="field-error">{messageFor(name)}</p>}
    </div>
  );

  return (
    <form
      className="feedback-form"
      onSubmit={submit}
      noValidate
      data-testid="feedback-form"
      aria-label="Record feedback"
    >
      <div className="form-row">
        {field("source", "Source", "support ticket, survey, sales call…")}
        {field("customer", "Customer or segment", "Acme Bank, SMB…")}
      </div>
      <div className="form-row">
        <div className="form-field">
          <label htmlFor={`${ids}-weight`}>Weight (votes)</label>
          <input
            id={`${ids}-weight`}
            className="input input-number"
            type="number"
            min={FEEDBACK_WEIGHT_MIN}
            max={FEEDBACK_WEIGHT_MAX}
            step={1}
            value={draft.weight}
            onChange={(e) => set("weight", e.target.value)}
            aria-invalid={Boolean(messageFor("weight")) || undefined}
            data-testid="feedback-weight"
          />
          {messageFor("weight") && <p className="field-error">{messageFor("weight")}</p>}
        </div>
        <div className="form-field">
          <label htmlFor={`${ids}-date`}>Received on</label>
          <input
            id={`${ids}-date`}
            className="input"
            type="date"
            value={draft.receivedOn}
            onChange={(e) => set("receivedOn", e.target.value)}
            aria-invalid={Boolean(messageFor("receivedOn")) || undefined}
            data-testid="feedback-date"
          />
          {messageFor("receivedOn") && <p className="field-error">{messageFor("receivedOn")}</p>}
        </div>
      </div>
      <div className="form-field">
        <label htmlFor={`${ids}-body`}>What they said</label>
        <MarkdownEditor
          id={`${ids}-body`}
          value={draft.body}
          onChange={(v) => set("body", v)}
          placeholder="Their words, a link to the ticket… (Markdown)"
          maxLength={FEEDBACK_BODY_MAX}
          testId="feedback-body"
          invalid={Boolean(messageFor("body"))}
        />
        {messageFor("body") && <p className="field-error">{messageFor("body")}</p>}
      </div>
      {error && error.errors.length === 0 && (
        <p className="field-error" role="alert" data-testid="feedback-error">
          {error.message}
        </p>
      )}
      <div className="feedback-form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="feedback-submit">
          {busy ? "Recording…" : "Record feedback"}
        </button>
        {props.onDone && (
          <button type="button" className="button" onClick={props.onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** One piece of feedback: who, through which channel, its weight and date, and the text as sanitized markdown. */
export function FeedbackMeta(props: { customer: string; source: string; weight: number; receivedOn: string }) {
  return (
    <div className="feedback-meta">
      <span className="feedback-customer" data-testid="feedback-customer">
        {props.customer}
      </span>
      <span className="muted">{props.source}</span>
      <span className="feedback-weight" title="Votes or weight" data-testid="feedback-weight-value">
        ×{props.weight}
      </span>
      <span className="muted">{props.receivedOn}</span>
    </div>
  );
}
