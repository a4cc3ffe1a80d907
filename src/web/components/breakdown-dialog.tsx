// Breaking a feature down into stories: the server drafts them from the feature's acceptance criteria and benefit
// hypothesis; here each draft's title, criteria (one per line), points and team are edited, drafts removed or added,
// and "Create N stories" makes them all in one step, ranked under the feature in each team's backlog. The server's
// field messages show beside their fields.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { LIMITS } from "../../core/work-item";
import { ApiError, type FieldError } from "../lib/api";
import { queryKeys } from "../lib/queries";
import {
  criteriaFromLines,
  linesFromCriteria,
  parsePoints,
  pointsProblems,
  refineApi,
  useBreakdown,
} from "../lib/refine";
import { showToast } from "../lib/toasts";
import type { Item } from "../lib/types";
import { ApplyButtons, Dialog } from "./dialog";

export const MAX_BREAKDOWN_STORIES = 30;

interface Props {
  item: Item;
  onClose: () => void;
  /** Called with the keys of the new stories once they are made. */
  onDone: (keys: string[]) => void;
}

interface EditedDraft {
  uid: number;
  title: string;
  description: string;
  criteria: string;
  points: string;
  teamId: string;
}

let nextUid = 1;

export function BreakDownFeatureDialog({ item, onClose, onDone }: Props) {
  const client = useQueryClient();
  const breakdown = useBreakdown(item.key);
  const [drafts, setDrafts] = useState<EditedDraft[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  /** Problems found before sending (points that are not numbers), shown like the server's. */
  const [local, setLocal] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const teams = breakdown.data?.teams ?? [];
  const firstTeam = teams[0]?.id ?? "";

  // The server's drafts, copied once into the editor.
  useEffect(() => {
    if (!breakdown.data || drafts) return;
    setDrafts(
      breakdown.data.drafts.map((d) => ({
        uid: nextUid++,
        title: d.title,
        description: d.description,
        criteria: linesFromCriteria(d.acceptanceCriteria),
        points: d.points === null ? "" : String(d.points),
        teamId: d.teamId,
      })),
    );
  }, [breakdown.data, drafts]);

  const list = drafts ?? [];
  const set = (uid: number, change: Partial<EditedDraft>) =>
    setDrafts((ds) => (ds ?? []).map((d) => (d.uid === uid ? { ...d, ...change } : d)));
  const remove = (uid: number) => setDrafts((ds) => (ds ?? []).filter((d) => d.uid !== uid));
  const add = () =>
    setDrafts((ds) => [
      ...(ds ?? []),
      {
        uid: nextUid++,
        title: "",
        description: "",
        criteria: "",
        points: "",
        teamId: ds?.[ds.length - 1]?.teamId ?? firstTeam,
      },
    ]);

  const create = async () => {
    const problems = pointsProblems(list.map((d) => d.points));
    setLocal(problems);
    if (problems.length > 0) return;
    setSaving(true);
    setError(null);
    try {
      const done = await refineApi.breakDown(
        item.key,
        list.map((d) => ({
          title: d.title.trim(),
          description: d.description,
          acceptanceCriteria: criteriaFromLines(d.criteria),
          teamId: d.teamId,
          points: parsePoints(d.points) ?? null,
        })),
      );
      const keys = done.stories.map((s) => s.key);
      showToast(`${item.key} broken down into ${keys.length} ${keys.length === 1 ? "story" : "stories"}`, "success");
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(item.artId) });
      void client.invalidateQueries({ queryKey: queryKeys.items });
      void client.invalidateQueries({ queryKey: queryKeys.histories });
      onDone(keys);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setSaving(false);
    }
  };

  const fieldErrors = local.length > 0 ? local : error instanceof ApiError ? error.errors : [];
  const messageAt = (path: string) => fieldErrors.find((e) => e.path === path)?.message;
  const placed = (path: string) => /^stories\.\d+\.(title|points|teamId|description|acceptanceCriteria)/.test(path);
  const unplaced = fieldErrors.filter((e) => !placed(e.path));
  const count = list.length;

  return (
    <Dialog
      title={`Break down ${item.key}`}
      onClose={onClose}
      testId="breakdown-dialog"
      wide
      actions={
        <>
          <span className="dialog-status">{drafts && teams.length === 0 ? "The train has no teams yet." : ""}</span>
          <ApplyButtons
            onCancel={onClose}
            onApply={() => void create()}
            busy={saving}
            disabled={saving || count === 0 || count > MAX_BREAKDOWN_STORIES}
            label={`Create ${count} ${count === 1 ? "story" : "stories"}`}
            busyLabel="Creating…"
            testId="breakdown-apply"
          />
        </>
      }
    >
      <p className="split-original">
        <span className="key">{item.key}</span> {item.title}
      </p>
      <p className="hint">
        Drafts from the feature's acceptance criteria and benefit hypothesis. The stories are ranked under the feature
        in each team's backlog.
      </p>
      {breakdown.isLoading && <p className="muted">Drafting stories…</p>}
      {breakdown.isError && <p className="field-error">{breakdown.error.message}</p>}
      {error && (!(error instanceof ApiError) || unplaced.length > 0 || fieldErrors.length === 0) && (
        <div className="notice notice-error split-notice" role="alert" data-testid="breakdown-error">
          {error.message}
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((e) => (
                <li key={e.path}>
                  {e.path}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {drafts && count === 0 && <p className="muted empty-line">No stories: add one.</p>}
      <ol className="split-stories">
        {list.map((d, index) => {
          const titleError = messageAt(`stories.${index}.title`);
          const pointsError = messageAt(`stories.${index}.points`);
          const teamError = messageAt(`stories.${index}.teamId`);
          const criteriaErrors = fieldErrors.filter((e) => e.path.startsWith(`stories.${index}.acceptanceCriteria`));
          return (
            <li key={d.uid} className="split-story" data-testid="breakdown-draft">
              <div className="split-story-head">
                <span className="split-story-number">{index + 1}</span>
                <label className="form-field form-field-grow">
                  <span className="visually-hidden">Title of story {index + 1}</span>
                  <input
                    className={`input ${titleError ? "has-error" : ""}`}
                    value={d.title}
                    maxLength={LIMITS.title}
                    placeholder="As a …, I want …, so that …"
                    aria-invalid={titleError ? true : undefined}
                    onChange={(e) => set(d.uid, { title: e.target.value })}
                    data-testid="breakdown-title"
                  />
                  {titleError && <span className="field-error">{titleError}</span>}
                </label>
                <label className="form-field">
                  <span className="visually-hidden">Team of story {index + 1}</span>
                  <select
                    className={`input ${teamError ? "has-error" : ""}`}
                    value={d.teamId}
                    aria-invalid={teamError ? true : undefined}
                    onChange={(e) => set(d.uid, { teamId: e.target.value })}
                    data-testid="breakdown-team"
                  >
                    {!teams.some((t) => t.id === d.teamId) && <option value={d.teamId}>Pick a team</option>}
                    {teams.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                  {teamError && <span className="field-error">{teamError}</span>}
                </label>
                <label className="form-field split-points">
                  <span className="visually-hidden">Points of story {index + 1}</span>
                  <input
                    className={`input input-number ${pointsError ? "has-error" : ""}`}
                    inputMode="decimal"
                    value={d.points}
                    placeholder="Points"
                    aria-invalid={pointsError ? true : undefined}
                    onChange={(e) => set(d.uid, { points: e.target.value })}
                    data-testid="breakdown-points"
                  />
                  {pointsError && <span className="field-error">{pointsError}</span>}
                </label>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => remove(d.uid)}
                  data-testid="breakdown-remove"
                >
                  Remove
                </button>
              </div>
              {d.description !== "" && (
                <details className="split-description">
                  <summary>Description</summary>
                  <textarea
                    className="input textarea"
                    rows={2}
                    value={d.description}
                    maxLength={LIMITS.description}
                    aria-label={`Description of story ${index + 1}`}
                    onChange={(e) => set(d.uid, { description: e.target.value })}
                  />
                </details>
              )}
              <label className="form-field split-new-criteria">
                <span className="split-criteria-label">Acceptance criteria, one per line</span>
                <textarea
                  className="input textarea"
                  rows={Math.min(5, Math.max(1, d.criteria.split("\n").length))}
                  value={d.criteria}
                  placeholder="Given …, when …, then …"
                  onChange={(e) => set(d.uid, { criteria: e.target.value })}
                  data-testid="breakdown-criteria"
                />
              </label>
              {criteriaErrors.map((e) => (
                <p key={e.path} className="field-error">
                  Criterion {Number(e.path.split(".")[3] ?? 0) + 1}: {e.message}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
      {drafts && (
        <button
          type="button"
          className="button button-ghost"
          onClick={add}
          disabled={count >= MAX_BREAKDOWN_STORIES}
          title={count >= MAX_BREAKDOWN_STORIES ? `At most ${MAX_BREAKDOWN_STORIES} stories at once` : undefined}
          data-testid="breakdown-add"
        >
          + Add a story
        </button>
      )}
    </Dialog>
  );
}
