// Splitting a story with help: the ways to split it the server suggests (each with its pattern and the cue behind
// it); picking one fills an editor of the proposed stories — titles, points, and the original's acceptance criteria
// moved between them (each criterion belongs to exactly one new story) — where stories can be added or removed
// (2–10); "Split" closes the original as split and puts the new stories in its place. A version conflict reloads the
// original; the server's field messages show beside their fields.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Criterion } from "../../core/acceptance-criteria";
import { isClosedStory, LIMITS } from "../../core/work-item";
import { ApiError, api, type FieldError } from "../lib/api";
import { queryKeys } from "../lib/queries";
import {
  criteriaFromLines,
  linesFromCriteria,
  parsePoints,
  pointsProblems,
  refineApi,
  refineKeys,
  type SplitSuggestion,
  useSplitSuggestions,
} from "../lib/refine";
import { showToast } from "../lib/toasts";
import type { Item } from "../lib/types";
import { ApplyButtons, Dialog } from "./dialog";

export const MIN_SPLIT_STORIES = 2;
export const MAX_SPLIT_STORIES = 10;
/** States a story can no longer be split from. */

interface Props {
  item: Item;
  onClose: () => void;
  /** Called with the keys of the new stories once the split is done. */
  onDone: (keys: string[]) => void;
}

/** One proposed story in the editor; `uid` follows it while stories are added and removed. */
interface EditedStory {
  uid: number;
  title: string;
  description: string;
  points: string;
  /** Criteria of its own (not the original's), one per line. */
  newCriteria: string;
}

interface Editor {
  /** The suggestion it started from (its pattern is sent with the split), or null for stories written by hand. */
  pattern: string | null;
  stories: EditedStory[];
  /** For each of the original's criteria, the uid of the new story it moves to. */
  owners: number[];
}

let nextUid = 1;
const blankStory = (): EditedStory => ({ uid: nextUid++, title: "", description: "", points: "", newCriteria: "" });
const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The editor filled from a suggestion: each original criterion goes to the proposed story that holds it. */
function editorFrom(suggestion: SplitSuggestion, original: readonly Criterion[]): Editor {
  const stories = suggestion.stories.map((s) => ({
    uid: nextUid++,
    title: s.title,
    description: s.description,
    points: s.points === null ? "" : String(s.points),
    newCriteria: linesFromCriteria(s.acceptanceCriteria.filter((c) => !original.some((o) => sameText(o.text, c.text)))),
  }));
  const first = stories[0]?.uid ?? 0;
  const owners = original.map((o) => {
    const at = suggestion.stories.findIndex((s) => s.acceptanceCriteria.some((c) => sameText(c.text, o.text)));
    return at >= 0 ? (stories[at]?.uid ?? first) : first;
  });
  return { pattern: suggestion.pattern, stories, owners };
}

/** Two empty stories, every criterion with the first. */
function blankEditor(original: readonly Criterion[]): Editor {
  const stories = [blankStory(), blankStory()];
  return { pattern: null, stories, owners: original.map(() => stories[0]?.uid ?? 0) };
}

/** The stories as the split sends them: each one's criteria from the original (in their order), then its own. */
function storiesToSend(editor: Editor, original: readonly Criterion[]) {
  return editor.stories.map((s) => {
    // Only what a criterion is (the API may present more of it, such as its Given/When/Then parts).
    const moved = original.filter((_, i) => editor.owners[i] === s.uid).map((c) => ({ text: c.text, met: c.met }));
    return {
      title: s.title.trim(),
      ...(s.description.trim() ? { description: s.description } : {}),
      acceptanceCriteria: [...moved, ...criteriaFromLines(s.newCriteria)],
      points: parsePoints(s.points) ?? null,
    };
  });
}

export function SplitStoryDialog({ item, onClose, onDone }: Props) {
  const client = useQueryClient();
  const [original, setOriginal] = useState<Item>(item);
  const suggestions = useSplitSuggestions(item.key);
  const [picked, setPicked] = useState<number | "own" | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  /** Problems found before sending (points that are not numbers), shown like the server's. */
  const [local, setLocal] = useState<FieldError[]>([]);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const criteria = original.acceptanceCriteria;
  // Suggestions have no identity but their place in the answer.
  const choices = (suggestions.data?.suggestions ?? []).map((s, i) => ({ s, i, id: `${i}:${s.pattern}` }));
  const closed = isClosedStory(original.state);

  const pick = (choice: number | "own") => {
    const suggestion = typeof choice === "number" ? suggestions.data?.suggestions[choice] : undefined;
    setPicked(choice);
    setEditor(suggestion ? editorFrom(suggestion, criteria) : blankEditor(criteria));
    setError(null);
  };

  const setStory = (uid: number, change: Partial<EditedStory>) =>
    setEditor((e) => e && { ...e, stories: e.stories.map((s) => (s.uid === uid ? { ...s, ...change } : s)) });
  const moveCriterion = (index: number, to: number) =>
    setEditor((e) => e && { ...e, owners: e.owners.map((o, i) => (i === index ? to : o)) });
  const addStory = () =>
    setEditor((e) => (e && e.stories.length < MAX_SPLIT_STORIES ? { ...e, stories: [...e.stories, blankStory()] } : e));
  const removeStory = (uid: number) =>
    setEditor((e) => {
      if (!e || e.stories.length <= MIN_SPLIT_STORIES) return e;
      const stories = e.stories.filter((s) => s.uid !== uid);
      const first = stories[0]?.uid ?? 0;
      // Its criteria go to the first story left: every criterion stays with one story.
      return { ...e, stories, owners: e.owners.map((o) => (o === uid ? first : o)) };
    });

  /** After a conflict: the original as it is now, its criteria kept with the stories they were moved to. */
  const reload = async (current: Item | undefined) => {
    const now = current ?? (await api.item(original.key)).item;
    setEditor(
      (e) =>
        e && {
          ...e,
          owners: now.acceptanceCriteria.map((c) => {
            const before = criteria.findIndex((o) => sameText(o.text, c.text));
            return (before >= 0 ? e.owners[before] : undefined) ?? e.stories[0]?.uid ?? 0;
          }),
        },
    );
    setOriginal(now);
    void client.invalidateQueries({ queryKey: refineKeys.splitSuggestions(original.key) });
    void client.invalidateQueries({ queryKey: queryKeys.item(original.key) });
  };

  const split = async () => {
    if (!editor) return;
    const problems = pointsProblems(editor.stories.map((s) => s.points));
    setLocal(problems);
    if (problems.length > 0) return;
    setSaving(true);
    setError(null);
    setConflict(null);
    try {
      const done = await refineApi.split(original.key, {
        version: original.version,
        ...(editor.pattern ? { pattern: editor.pattern } : {}),
        stories: storiesToSend(editor, criteria),
      });
      const keys = done.stories.map((s) => s.key);
      showToast(`${original.key} split into ${keys.join(", ")}`, "success");
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(original.artId) });
      void client.invalidateQueries({ queryKey: queryKeys.items });
      void client.invalidateQueries({ queryKey: queryKeys.histories });
      onDone(keys);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(
          `Someone changed ${original.key} since you opened it. It is reloaded: check the stories and split again.`,
        );
        await reload(err.current).catch((e: unknown) => setError(e instanceof Error ? e : new Error(String(e))));
      } else {
        setError(err instanceof Error ? err : new Error(String(err)));
      }
    } finally {
      setSaving(false);
    }
  };

  const fieldErrors = local.length > 0 ? local : error instanceof ApiError ? error.errors : [];
  const messageAt = (path: string) => fieldErrors.find((e) => e.path === path)?.message;
  const storyCount = editor?.stories.length ?? 0;
  // Errors no field shows: the problem's detail with whatever it names that has no place on screen.
  const shown = (path: string) =>
    /^stories\.\d+\.(title|points|description)$/.test(path) || /^stories\.\d+\.acceptanceCriteria/.test(path);
  const unplaced = fieldErrors.filter((e) => !shown(e.path));

  return (
    <Dialog
      title={`Split ${original.key}`}
      onClose={onClose}
      testId="split-dialog"
      wide
      actions={
        <>
          <span className="dialog-status" data-testid="split-summary">
            {editor
              ? `${storyCount} stories · ${criteria.length} ${criteria.length === 1 ? "criterion" : "criteria"} moved`
              : ""}
          </span>
          <ApplyButtons
            onCancel={onClose}
            onApply={() => void split()}
            busy={saving}
            disabled={!editor || saving || closed}
            label="Split"
            busyLabel="Splitting…"
            testId="split-apply"
          />
        </>
      }
    >
      <p className="split-original">
        <span className="key">{original.key}</span> {original.title}
      </p>
      {closed && (
        <p className="notice notice-error split-notice" role="alert">
          {original.key} is {original.state === "split" ? "already closed as split" : `${original.state}`}: only an
          unfinished story can be split.
        </p>
      )}
      {conflict && (
        <p className="notice notice-warn split-notice" role="alert" data-testid="split-conflict">
          {conflict}
        </p>
      )}
      {error && (!(error instanceof ApiError) || unplaced.length > 0 || fieldErrors.length === 0) && (
        <div className="notice notice-error split-notice" role="alert" data-testid="split-error">
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

      <h3 className="section-title">Ways to split it</h3>
      {suggestions.isLoading && <p className="muted">Looking for ways to split the story…</p>}
      {suggestions.isError && <p className="field-error">{suggestions.error.message}</p>}
      <fieldset className="split-suggestions">
        <legend className="visually-hidden">Ways to split the story</legend>
        {choices.map(({ s, i, id }) => (
          <label
            key={id}
            className={`split-suggestion ${picked === i ? "is-picked" : ""}`}
            data-testid="split-suggestion"
            data-pattern={s.pattern}
          >
            <input
              className="split-radio"
              type="radio"
              name="split-suggestion"
              checked={picked === i}
              onChange={() => pick(i)}
            />
            <span className="split-suggestion-text">
              <span className="split-suggestion-head">
                <strong className="split-pattern">{s.label}</strong>
                <span className="muted">{s.stories.length} stories</span>
              </span>
              <span className="split-rationale">{s.rationale}</span>
            </span>
          </label>
        ))}
        {suggestions.data && (
          <label className={`split-suggestion ${picked === "own" ? "is-picked" : ""}`} data-testid="split-own">
            <input
              className="split-radio"
              type="radio"
              name="split-suggestion"
              checked={picked === "own"}
              onChange={() => pick("own")}
            />
            <span className="split-suggestion-text">
              <span className="split-suggestion-head">
                <strong className="split-pattern">My own split</strong>
              </span>
              <span className="split-rationale">Start from two empty stories and write them yourself.</span>
            </span>
          </label>
        )}
      </fieldset>

      {editor && (
        <>
          <h3 className="section-title split-stories-title">
            The new stories <span className="count">{storyCount}</span>
          </h3>
          <p className="hint">
            They take {original.key}'s place in the backlog, in this order, under the same feature and team;{" "}
            {original.key} is closed as split. Move each of its acceptance criteria to the story it belongs to.
          </p>
          <ol className="split-stories">
            {editor.stories.map((s, index) => {
              const owned = criteria.map((c, i) => ({ c, i })).filter(({ i }) => editor.owners[i] === s.uid);
              const titleError = messageAt(`stories.${index}.title`);
              const pointsError = messageAt(`stories.${index}.points`);
              const descriptionError = messageAt(`stories.${index}.description`);
              const criteriaErrors = fieldErrors.filter((e) =>
                e.path.startsWith(`stories.${index}.acceptanceCriteria`),
              );
              return (
                <li key={s.uid} className="split-story" data-testid="split-story">
                  <div className="split-story-head">
                    <span className="split-story-number">{index + 1}</span>
                    <label className="form-field form-field-grow">
                      <span className="visually-hidden">Title of story {index + 1}</span>
                      <input
                        className={`input ${titleError ? "has-error" : ""}`}
                        value={s.title}
                        maxLength={LIMITS.title}
                        placeholder="As a …, I want …, so that …"
                        aria-invalid={titleError ? true : undefined}
                        onChange={(e) => setStory(s.uid, { title: e.target.value })}
                        data-testid="split-story-title"
                      />
                      {titleError && <span className="field-error">{titleError}</span>}
                    </label>
                    <label className="form-field split-points">
                      <span className="visually-hidden">Points of story {index + 1}</span>
                      <input
                        className={`input input-number ${pointsError ? "has-error" : ""}`}
                        inputMode="decimal"
                        value={s.points}
                        placeholder="Points"
                        aria-invalid={pointsError ? true : undefined}
                        onChange={(e) => setStory(s.uid, { points: e.target.value })}
                        data-testid="split-story-points"
                      />
                      {pointsError && <span className="field-error">{pointsError}</span>}
                    </label>
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      onClick={() => removeStory(s.uid)}
                      disabled={storyCount <= MIN_SPLIT_STORIES}
                      title={storyCount <= MIN_SPLIT_STORIES ? "A split makes at least two stories" : undefined}
                      data-testid="split-remove-story"
                    >
                      Remove
                    </button>
                  </div>
                  <details className="split-description" open={s.description !== "" || undefined}>
                    <summary>Description</summary>
                    <textarea
                      className="input textarea"
                      rows={2}
                      value={s.description}
                      maxLength={LIMITS.description}
                      aria-label={`Description of story ${index + 1}`}
                      onChange={(e) => setStory(s.uid, { description: e.target.value })}
                      data-testid="split-story-description"
                    />
                    {descriptionError && <span className="field-error">{descriptionError}</span>}
                  </details>
                  <div className="split-criteria">
                    <span className="split-criteria-label">From {original.key}</span>
                    {owned.length === 0 ? (
                      <span className="muted split-criteria-none">none of its criteria</span>
                    ) : (
                      <ul className="split-criteria-list">
                        {owned.map(({ c, i }) => (
                          <li key={i} className="split-criterion" data-testid="split-criterion" data-index={i}>
                            <span className="split-criterion-text">{c.text}</span>
                            <label>
                              <span className="visually-hidden">Move criterion {i + 1} to</span>
                              <select
                                className="input split-criterion-owner"
                                value={s.uid}
                                onChange={(e) => moveCriterion(i, Number(e.target.value))}
                                data-testid="split-criterion-owner"
                              >
                                {editor.stories.map((t, n) => (
                                  <option key={t.uid} value={t.uid}>
                                    {t.uid === s.uid ? `Story ${n + 1} (here)` : `Move to story ${n + 1}`}
                                  </option>
                                ))}
                              </select>
                            </label>
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                  <label className="form-field split-new-criteria">
                    <span className="split-criteria-label">Its own criteria, one per line</span>
                    <textarea
                      className="input textarea"
                      rows={Math.min(4, Math.max(1, s.newCriteria.split("\n").length))}
                      value={s.newCriteria}
                      placeholder="Given …, when …, then …"
                      onChange={(e) => setStory(s.uid, { newCriteria: e.target.value })}
                      data-testid="split-story-criteria"
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
          <button
            type="button"
            className="button button-ghost"
            onClick={addStory}
            disabled={storyCount >= MAX_SPLIT_STORIES}
            title={storyCount >= MAX_SPLIT_STORIES ? `At most ${MAX_SPLIT_STORIES} stories` : undefined}
            data-testid="split-add-story"
          >
            + Add a story
          </button>
        </>
      )}
    </Dialog>
  );
}
