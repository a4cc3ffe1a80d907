// Acceptance criteria as an ordered list: edit each in place, add at the end, remove, and reorder (buttons, or
// Alt+↑/↓ inside a criterion).
import { useState } from "react";
import { LIMITS } from "../../core/work-item";
import { reorder } from "../lib/reorder";
import { ArrowDownIcon, ArrowUpIcon, CloseIcon } from "./icons";

interface Props {
  value: string[];
  onChange: (value: string[]) => void;
  /** Messages by criterion index, from the server. */
  errors: Map<number, string>;
}

export function CriteriaEditor({ value, onChange, errors }: Props) {
  const [draft, setDraft] = useState("");

  const set = (index: number, text: string) => onChange(value.map((c, i) => (i === index ? text : c)));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= value.length) return;
    onChange(reorder(value, from, to));
    // Keep the focus on the criterion that moved.
    requestAnimationFrame(() => document.getElementById(`criterion-${to}`)?.focus());
  };
  const remove = (index: number) => onChange(value.filter((_, i) => i !== index));
  const add = () => {
    const text = draft.trim();
    if (!text) return;
    onChange([...value, text]);
    setDraft("");
  };

  return (
    <div className="criteria">
      {value.length > 0 && (
        <ol className="criteria-list" data-testid="criteria-list">
          {value.map((criterion, i) => (
            // Criteria have no identity but their place; the index is the key by design.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i} className="criterion" data-testid="criterion">
              <span className="criterion-number">{i + 1}</span>
              <div className="criterion-body">
                <textarea
                  id={`criterion-${i}`}
                  className="input textarea criterion-input"
                  rows={1}
                  value={criterion}
                  maxLength={LIMITS.criterion}
                  aria-label={`Acceptance criterion ${i + 1}`}
                  aria-invalid={errors.has(i) || undefined}
                  data-testid="criterion-input"
                  onChange={(e) => set(i, e.target.value)}
                  onKeyDown={(e) => {
                    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
                      e.preventDefault();
                      move(i, i + (e.key === "ArrowUp" ? -1 : 1));
                    }
                  }}
                />
                {errors.has(i) && <p className="field-error">{errors.get(i)}</p>}
              </div>
              <span className="criterion-actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move criterion ${i + 1} up`}
                  data-testid="criterion-up"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                >
                  <ArrowUpIcon />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move criterion ${i + 1} down`}
                  data-testid="criterion-down"
                  disabled={i === value.length - 1}
                  onClick={() => move(i, i + 1)}
                >
                  <ArrowDownIcon />
                </button>
                <button
                  type="button"
                  className="icon-button icon-button-danger"
                  aria-label={`Remove criterion ${i + 1}`}
                  data-testid="criterion-remove"
                  onClick={() => remove(i)}
                >
                  <CloseIcon />
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="criterion-add">
        <input
          className="input"
          value={draft}
          maxLength={LIMITS.criterion}
          placeholder={
            value.length >= LIMITS.criteria
              ? `At most ${LIMITS.criteria} criteria`
              : "Add a criterion: Given …, when …, then … (Enter)"
          }
          disabled={value.length >= LIMITS.criteria}
          aria-label="New acceptance criterion"
          data-testid="criterion-add-input"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="button" onClick={add} disabled={!draft.trim()} data-testid="criterion-add">
          Add
        </button>
      </div>
    </div>
  );
}
