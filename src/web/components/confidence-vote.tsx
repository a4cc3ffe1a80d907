// The confidence vote of a PI (fist of five): for each team one sees and for the train, one's own vote (1–5; voting
// again replaces it), how many voted, the distribution and the average. Everyone but viewers votes.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { boardApi, boardKeys, type Confidence, useConfidence } from "../lib/board";
import { useRights } from "../lib/rights";
import { showToast } from "../lib/toasts";
import type { Art, ProgramIncrement } from "../lib/types";

const FIST = [1, 2, 3, 4, 5] as const;
const FIST_LABELS: Record<number, string> = {
  1: "No confidence",
  2: "Low confidence",
  3: "Some doubts, but I can commit",
  4: "Good confidence",
  5: "Very high confidence",
};

export function ConfidenceVote({ art, pi }: { art: Art; pi: ProgramIncrement }) {
  const rights = useRights();
  const view = useConfidence(art.key, pi.id);
  const teams = art.teams.filter((t) => rights.canSee(art.id, t.id));
  return (
    <div className="pi-body confidence" data-testid="confidence-vote">
      <p className="hint">
        Fist of five: how confident are you that {pi.name}'s objectives will be met? Below 3 on average, the train talks
        about the concerns and plans again.
      </p>
      {view.isLoading && <p className="muted">Loading the votes…</p>}
      {view.isError && (
        <p className="notice notice-error" role="alert">
          {view.error.message}
        </p>
      )}
      {view.data && (
        <div className="confidence-grid">
          <ConfidenceCard
            art={art}
            pi={pi}
            scope="train"
            name={`${art.name} (train)`}
            confidence={view.data.train}
            mayVote={rights.can("vote_confidence", art.id)}
          />
          {teams.map((t) => {
            const c = view.data.teams.find((x) => x.teamId === t.id);
            return c ? (
              <ConfidenceCard
                key={t.id}
                art={art}
                pi={pi}
                scope={t.key}
                name={t.name}
                confidence={c}
                mayVote={rights.can("vote_confidence", art.id, t.id)}
              />
            ) : null;
          })}
        </div>
      )}
    </div>
  );
}

function ConfidenceCard({
  art,
  pi,
  scope,
  name,
  confidence: c,
  mayVote,
}: {
  art: Art;
  pi: ProgramIncrement;
  scope: string;
  name: string;
  confidence: Confidence;
  mayVote: boolean;
}) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const most = Math.max(1, ...c.distribution);
  const vote = async (value: number) => {
    setBusy(true);
    try {
      const next = await boardApi.vote(art.key, pi.id, scope, value);
      client.setQueryData(boardKeys.confidence(art.key, pi.id), next);
    } catch (err) {
      showToast(`Your vote was not recorded: ${err instanceof Error ? err.message : String(err)}`, "error");
      void client.invalidateQueries({ queryKey: boardKeys.confidence(art.key, pi.id) });
    } finally {
      setBusy(false);
    }
  };
  const tone = c.average === null ? "none" : c.average >= 4 ? "good" : c.average >= 3 ? "fair" : "poor";
  return (
    <section className="refine-card confidence-card" data-testid="confidence-card" data-scope={scope}>
      <h2 className="refine-card-title">{name}</h2>
      <p className={`confidence-average confidence-${tone}`} data-testid="confidence-average">
        {c.average === null ? (
          <span className="muted">No votes yet</span>
        ) : (
          <>
            <strong>{c.average.toFixed(1)}</strong> average of {c.votes} {c.votes === 1 ? "vote" : "votes"}
          </>
        )}
      </p>
      <ol className="confidence-bars" aria-label="Distribution">
        {FIST.map((v, i) => (
          <li
            className="confidence-bar-row"
            key={v}
            title={`${c.distribution[i]} × ${v}: ${FIST_LABELS[v]}`}
            data-testid="confidence-bar"
            data-value={v}
            data-count={c.distribution[i]}
          >
            <span className="confidence-bar-value">{v}</span>
            <span className="confidence-bar">
              <span className="confidence-bar-fill" style={{ width: `${((c.distribution[i] ?? 0) / most) * 100}%` }} />
            </span>
            <span className="count">{c.distribution[i]}</span>
          </li>
        ))}
      </ol>
      {mayVote && (
        <fieldset className="confidence-fist" disabled={busy}>
          <legend>{c.mine === null ? "Your vote" : `Your vote: ${c.mine} (vote again to change it)`}</legend>
          {FIST.map((v) => (
            <button
              key={v}
              type="button"
              className={`confidence-choice ${c.mine === v ? "is-mine" : ""}`}
              aria-pressed={c.mine === v}
              title={FIST_LABELS[v]}
              onClick={() => void vote(v)}
              data-testid="confidence-choice"
              data-value={v}
            >
              {v}
            </button>
          ))}
        </fieldset>
      )}
    </section>
  );
}
