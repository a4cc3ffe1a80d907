// Starting a collaborative estimation session: a title, the program level, the WSJF inputs to estimate (those the
// facilitator may score), the items (the unscored ones preselected) and the participants (people with a role on the
// ART). The facilitator takes part too; the new session opens at once.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { ApiError, api } from "../lib/api";
import { ESTIMATION_LIMITS, estimationApi, estimationKeys } from "../lib/estimation";
import { LEVEL_LABELS } from "../lib/format";
import { useWsjfGrid } from "../lib/queries";
import { ROLE_LABELS, useRights } from "../lib/rights";
import { estimationPath, navigate, type ProgramLevel } from "../lib/router";
import { useMe } from "../lib/session";
import { showToast } from "../lib/toasts";
import type { Art } from "../lib/types";
import { WSJF_INPUT_LABELS, WSJF_INPUTS, type WsjfInput } from "../lib/wsjf-grid";
import { Dialog } from "./dialog";

const LEVELS: ProgramLevel[] = ["feature", "capability", "epic"];

/** Who may be invited: everyone holding a role on the ART or one of its teams, once, with their roles. */
export function usePeopleOfArt(art: string, enabled = true) {
  return useQuery({
    queryKey: ["roles", art],
    queryFn: () => api.roles(art),
    select: (r) => {
      const people = new Map<string, { id: string; name: string; email: string; roles: string[] }>();
      for (const holder of r.items) {
        const entry = people.get(holder.person.id) ?? { ...holder.person, roles: [] };
        const label = ROLE_LABELS[holder.role];
        if (!entry.roles.includes(label)) entry.roles.push(label);
        people.set(holder.person.id, entry);
      }
      return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 30_000,
    enabled,
  });
}

export function StartEstimationDialog(props: { art: Art; level: ProgramLevel; onClose: () => void }) {
  const { art, onClose } = props;
  const client = useQueryClient();
  const rights = useRights();
  const me = useMe();
  const mayScore = (i: WsjfInput) => rights.canScore(i, art.id);
  const [title, setTitle] = useState("");
  const [level, setLevel] = useState<ProgramLevel>(props.level);
  const [inputs, setInputs] = useState<WsjfInput[]>(() => WSJF_INPUTS.filter(mayScore));
  const [items, setItems] = useState<string[] | null>(null);
  const [participants, setParticipants] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const grid = useWsjfGrid(art.key, level);
  const people = usePeopleOfArt(art.key);
  const others = useMemo(() => (people.data ?? []).filter((p) => p.id !== me.id), [people.data, me.id]);

  const rows = grid.data?.level === level ? grid.data.items : [];
  // Until the facilitator picks items, the ones missing an estimate of a chosen input are picked.
  const preselected = useMemo(
    () => rows.filter((r) => r.missing.some((m) => inputs.includes(m))).map((r) => r.id),
    [rows, inputs],
  );
  const chosen = items ?? preselected;

  const toggle = <T,>(list: readonly T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldMessage(path) : undefined);
  const problems = [
    title.trim() === "" ? "Give the session a title." : null,
    inputs.length === 0 ? "Choose at least one input to estimate." : null,
    chosen.length === 0 ? "Choose at least one item." : null,
    chosen.length > ESTIMATION_LIMITS.items ? `Choose at most ${ESTIMATION_LIMITS.items} items.` : null,
  ].filter((p): p is string => p !== null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.length > 0) return;
    setSaving(true);
    setError(null);
    try {
      const order = rows.filter((r) => chosen.includes(r.id)).map((r) => r.id);
      const session = await estimationApi.start(art.key, {
        title: title.trim(),
        level,
        inputs: WSJF_INPUTS.filter((i) => inputs.includes(i)),
        items: order,
        participants,
      });
      client.setQueryData(estimationKeys.session(session.id), session);
      void client.invalidateQueries({ queryKey: estimationKeys.list(art.key) });
      showToast(`Session “${session.title}” started`, "success");
      onClose();
      navigate(estimationPath(art.key, session.id));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setSaving(false);
    }
  };

  const noun = LEVEL_LABELS[level].toLowerCase();
  return (
    <Dialog
      title="Estimate together"
      onClose={onClose}
      testId="estimation-start-dialog"
      wide
      actions={
        <>
          <span className="dialog-status" data-testid="estimation-start-summary">
            {chosen.length} {chosen.length === 1 ? "item" : "items"} · {participants.length + 1}{" "}
            {participants.length === 0 ? "participant" : "participants"}
          </span>
          <button type="button" className="button" onClick={onClose} disabled={saving}>
            Cancel
          </button>
          <button
            type="submit"
            form="estimation-start-form"
            className="button button-primary"
            disabled={saving || problems.length > 0}
            title={problems.join(" ")}
            data-testid="estimation-start-submit"
          >
            Start session
          </button>
        </>
      }
    >
      <form id="estimation-start-form" className="estimation-form" onSubmit={(e) => void submit(e)}>
        <p>
          Everyone scores privately; nobody sees another's score until you reveal them. Then you confirm the values,
          which are written to the items.
        </p>
        {error && (
          <p className="notice notice-error" role="alert" data-testid="estimation-start-error">
            {error.message}
          </p>
        )}
        <div className="form-row">
          <label className="form-field form-field-grow">
            <span>Title</span>
            <input
              className="input"
              value={title}
              maxLength={ESTIMATION_LIMITS.title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="PI 3 planning: features"
              aria-invalid={fieldError("title") ? true : undefined}
              data-testid="estimation-title"
              autoFocus
            />
            {fieldError("title") && <span className="field-error">{fieldError("title")}</span>}
          </label>
          <label className="form-field">
            <span>Level</span>
            <select
              className="input"
              value={level}
              onChange={(e) => {
                setLevel(e.target.value as ProgramLevel);
                setItems(null);
              }}
              data-testid="estimation-level"
            >
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {LEVEL_LABELS[l]}s
                </option>
              ))}
            </select>
          </label>
        </div>

        <fieldset className="estimation-fieldset" data-testid="estimation-inputs">
          <legend>Inputs to estimate</legend>
          <div className="estimation-checks">
            {WSJF_INPUTS.map((i) => (
              <label
                key={i}
                className="check-field"
                title={mayScore(i) ? undefined : "Your roles do not let you estimate this"}
              >
                <input
                  type="checkbox"
                  checked={inputs.includes(i)}
                  disabled={!mayScore(i)}
                  onChange={() => setInputs((list) => toggle(list, i))}
                />
                {WSJF_INPUT_LABELS[i]}
              </label>
            ))}
          </div>
          {fieldError("inputs") && <span className="field-error">{fieldError("inputs")}</span>}
        </fieldset>

        <fieldset className="estimation-fieldset" data-testid="estimation-items">
          <legend>
            {LEVEL_LABELS[level]}s <span className="count">{chosen.length}</span>
          </legend>
          <div className="estimation-pick-actions">
            <button type="button" className="button-link" onClick={() => setItems(rows.map((r) => r.id))}>
              All
            </button>
            <button type="button" className="button-link" onClick={() => setItems(preselected)}>
              Unscored
            </button>
            <button type="button" className="button-link" onClick={() => setItems([])}>
              None
            </button>
          </div>
          {grid.isLoading && <span className="spinner" title="Loading" />}
          {grid.error && <p className="field-error">{grid.error.message}</p>}
          {!grid.isLoading && rows.length === 0 && <p className="muted empty-line">No {noun}s on this train yet.</p>}
          <ul className="estimation-pick-list">
            {rows.map((r) => (
              <li key={r.id}>
                <label className="check-field estimation-pick">
                  <input
                    type="checkbox"
                    checked={chosen.includes(r.id)}
                    onChange={() => setItems(toggle(chosen, r.id))}
                    aria-label={`${r.key} ${r.title}`}
                    data-testid="estimation-item-check"
                    data-key={r.key}
                  />
                  <span className="key">{r.key}</span>
                  <span className="estimation-pick-title">{r.title}</span>
                  {r.missing.length > 0 && <span className="missing">{r.missing.length} missing</span>}
                </label>
              </li>
            ))}
          </ul>
          {fieldError("items") && <span className="field-error">{fieldError("items")}</span>}
        </fieldset>

        <fieldset className="estimation-fieldset" data-testid="estimation-participants">
          <legend>
            Participants <span className="count">{participants.length + 1}</span>
          </legend>
          <p className="hint">You take part too. Invite the people who estimate with you.</p>
          {people.error && <p className="field-error">{people.error.message}</p>}
          {!people.isLoading && others.length === 0 && (
            <p className="muted empty-line">Nobody else holds a role on {art.name} yet.</p>
          )}
          <ul className="estimation-pick-list">
            {others.map((p) => (
              <li key={p.id}>
                <label className="check-field estimation-pick">
                  <input
                    type="checkbox"
                    checked={participants.includes(p.id)}
                    onChange={() => setParticipants((list) => toggle(list, p.id))}
                    aria-label={`Invite ${p.name}`}
                    data-testid="estimation-participant-check"
                    data-email={p.email}
                  />
                  <span>{p.name}</span>
                  <span className="muted">{p.roles.join(", ")}</span>
                </label>
              </li>
            ))}
          </ul>
          {fieldError("participants") && <span className="field-error">{fieldError("participants")}</span>}
        </fieldset>
      </form>
    </Dialog>
  );
}
