// The Feedback screen of an ART: the feedback review (program items whose feedback arrived after their value was last
// estimated, heaviest first, each a link to the item), the ART's feedback newest first with a search, and the form to
// record feedback for people who may.
import { useEffect, useState } from "react";
import { useArtFeedback, useFeedbackReview } from "../lib/feedback";
import { LEVEL_LABELS } from "../lib/format";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick } from "../lib/router";
import type { Art } from "../lib/types";
import { FeedbackMeta, RecordFeedbackForm } from "./feedback-form";
import { Markdown } from "./markdown";

export function FeedbackView({ art }: { art: Art }) {
  const rights = useRights();
  const mayRecord = rights.can("record_feedback", art.id, null);
  const [q, setQ] = useState("");
  const [recording, setRecording] = useState(false);
  const list = useArtFeedback(art.key, q);
  const review = useFeedbackReview(art.key);

  useEffect(() => {
    document.title = `Feedback · ${art.name} · Trainyard`;
  }, [art.name]);

  const rows = review.data?.items ?? [];
  const feedback = list.data?.items ?? [];
  return (
    <section className="backlog feedback-screen" aria-labelledby="feedback-title" data-testid="feedback-screen">
      <header className="page-header">
        <div className="page-title">
          <h1 id="feedback-title">Customer feedback</h1>
        </div>
        <div className="page-meta">
          {list.isFetching && !list.isLoading && <span className="spinner" title="Refreshing" />}
        </div>
        {mayRecord && !recording && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setRecording(true)}
            data-testid="feedback-record-open"
          >
            Record feedback
          </button>
        )}
      </header>

      <div className="feedback-columns">
        <div className="feedback-column">
          {recording && (
            <div className="feedback-card">
              <h2 className="section-title">Record feedback</h2>
              <RecordFeedbackForm art={art.key} onDone={() => setRecording(false)} />
            </div>
          )}
          <div className="feedback-card" data-testid="feedback-review">
            <h2 className="section-title">
              To re-score <span className="count">{rows.length}</span>
            </h2>
            <p className="hint">Program items whose feedback arrived after their value was last estimated.</p>
            {review.isError && <p className="field-error">{review.error.message}</p>}
            {rows.length === 0 && !review.isLoading ? (
              <p className="muted empty-line">Nothing to re-score: no feedback arrived after the last estimates.</p>
            ) : (
              <table className="feedback-review-table">
                <thead>
                  <tr>
                    <th scope="col" className="feedback-cell">
                      Item
                    </th>
                    <th scope="col" className="feedback-cell feedback-cell-num">
                      New
                    </th>
                    <th scope="col" className="feedback-cell feedback-cell-num">
                      New weight
                    </th>
                    <th scope="col" className="feedback-cell feedback-cell-num">
                      BV
                    </th>
                    <th scope="col" className="feedback-cell">
                      Last estimated
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.item.id} data-testid="feedback-review-row" data-key={r.item.key}>
                      <td className="feedback-cell">
                        <a className="ref-link" href={itemHref(r.item.key)} onClick={onLinkClick}>
                          <span className="key">{r.item.key}</span>
                          <span
                            className="ref-title"
                            title={`${LEVEL_LABELS[r.item.level as keyof typeof LEVEL_LABELS] ?? r.item.level}: ${r.item.title}`}
                          >
                            {r.item.title}
                          </span>
                        </a>
                      </td>
                      <td className="feedback-cell feedback-cell-num">{r.newFeedback}</td>
                      <td className="feedback-cell feedback-cell-num" data-testid="feedback-review-weight">
                        {r.newWeight}
                      </td>
                      <td className="feedback-cell feedback-cell-num">
                        {r.item.businessValue ?? <span className="muted">—</span>}
                      </td>
                      <td className="feedback-cell muted">
                        {r.lastEstimatedAt ? r.lastEstimatedAt.slice(0, 10) : "never"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>

        <div className="feedback-column feedback-column-wide">
          <div className="feedback-card" data-testid="feedback-list">
            <h2 className="section-title">
              All feedback <span className="count">{feedback.length}</span>
            </h2>
            <input
              className="input"
              type="search"
              value={q}
              placeholder="Search by customer, source or words"
              aria-label="Search feedback"
              onChange={(e) => setQ(e.target.value)}
              data-testid="feedback-search"
            />
            {list.isError && <p className="field-error">{list.error.message}</p>}
            {feedback.length === 0 && !list.isLoading && (
              <p className="muted empty-line">{q.trim() ? "No feedback matches." : "No feedback recorded yet."}</p>
            )}
            <ul className="feedback-list">
              {feedback.map((f) => (
                <li key={f.id} className="feedback-entry" data-testid="feedback-entry">
                  <FeedbackMeta customer={f.customer} source={f.source} weight={f.weight} receivedOn={f.receivedOn} />
                  <Markdown source={f.body} className="feedback-body" testId="feedback-body-view" />
                  {f.items.length > 0 && (
                    <div className="feedback-links">
                      {f.items.map((i) => (
                        <a key={i.id} className="key" href={itemHref(i.key)} onClick={onLinkClick} title={i.title}>
                          {i.key}
                        </a>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </div>
        </div>
      </div>
    </section>
  );
}
