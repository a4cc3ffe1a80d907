// Picking a WSJF estimate on the modified Fibonacci scale (1 2 3 5 8 13 20), by mouse or keyboard: a row of choices
// for the item panel, and a compact cell for the estimation grid that commits when you move on.
import { type KeyboardEvent, useRef, useState } from "react";
import { readScaleDigits, stepScale, WSJF_SCALE } from "../lib/wsjf-grid";

/** Typed digits belong together ("1" then "3" is 13) when they come within this long of each other. */
const DIGIT_MS = 1_000;

interface PickerProps {
  value: number | null;
  onChange: (value: number | null) => void;
  label: string;
  disabled?: boolean;
  invalid?: boolean;
  testId?: string;
}

/** The scale as a row of toggle buttons: click a value, or arrow along it from one; Delete or "–" clears. */
export function ScalePicker({ value, onChange, label, disabled, invalid, testId }: PickerProps) {
  const group = useRef<HTMLFieldSetElement>(null);
  const focusValue = (v: number) =>
    group.current?.querySelector<HTMLButtonElement>(`[data-value="${v}"]`)?.focus({ preventScroll: true });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowRight" || e.key === "ArrowUp" || e.key === "ArrowLeft" || e.key === "ArrowDown") {
      e.preventDefault();
      const next = stepScale(value, e.key === "ArrowRight" || e.key === "ArrowUp");
      onChange(next);
      focusValue(next);
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      onChange(null);
    }
  };
  return (
    <fieldset
      ref={group}
      className={`scale-picker ${disabled ? "is-disabled" : ""}`}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      data-testid={testId}
      data-value={value ?? ""}
    >
      <legend className="visually-hidden">{label}</legend>
      {WSJF_SCALE.map((v) => (
        <button
          key={v}
          type="button"
          aria-pressed={value === v}
          tabIndex={value === v || (value === null && v === 1) ? 0 : -1}
          className={`scale-choice ${value === v ? "is-on" : ""}`}
          data-value={v}
          onClick={() => onChange(v)}
          onKeyDown={onKeyDown}
        >
          {v}
        </button>
      ))}
      <button
        type="button"
        className="scale-choice scale-clear"
        aria-label={`Clear ${label.toLowerCase()}`}
        title="Clear"
        tabIndex={-1}
        disabled={value === null}
        onClick={() => onChange(null)}
      >
        –
      </button>
    </fieldset>
  );
}

interface CellProps {
  value: number | null;
  /** What the cell estimates, for screen readers: "Job size of DPT-12". */
  label: string;
  disabled: boolean;
  saving: boolean;
  /** Whether Tab stops here (the column being estimated). */
  tabbable: boolean;
  onCommit: (value: number | null) => void;
  /** Moves the focus to the next (1) or previous (-1) row of the same column; false when there is none. */
  onMove: (step: 1 | -1) => boolean;
  onFocus: () => void;
  cellRef: (el: HTMLDivElement | null) => void;
  testId?: string;
}

/**
 * One estimate in the grid. Type a value (digits; 13 and 20 as two), step with ←/→, clear with Delete, or click one
 * in the scale that opens under it; Enter, Tab or ↓ keeps it and goes to the next row (↑ or Shift+Tab the previous),
 * Escape takes it back. Leaving the cell keeps it too.
 */
export function ScaleCell(props: CellProps) {
  const { value, disabled } = props;
  const [pending, setPendingState] = useState<number | null | undefined>(undefined);
  const [open, setOpen] = useState(false);
  const pendingRef = useRef<number | null | undefined>(undefined);
  const digits = useRef({ buffer: "", at: 0 });

  const setPending = (v: number | null | undefined) => {
    pendingRef.current = v;
    setPendingState(v);
  };
  const commit = (v: number | null | undefined = pendingRef.current) => {
    setPending(undefined);
    digits.current.buffer = "";
    if (v !== undefined && v !== value) props.onCommit(v);
  };
  const shown = pending !== undefined ? pending : value;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    const forward = e.key === "Enter" || e.key === "ArrowDown" || (e.key === "Tab" && !e.shiftKey);
    const back = e.key === "ArrowUp" || (e.key === "Tab" && e.shiftKey);
    if (forward || back) {
      commit();
      if (props.onMove(forward ? 1 : -1) || e.key !== "Tab") e.preventDefault();
      return;
    }
    if (disabled) return;
    if (/^[0-9]$/.test(e.key)) {
      e.preventDefault();
      const now = Date.now();
      const buffer = now - digits.current.at > DIGIT_MS ? "" : digits.current.buffer;
      const read = readScaleDigits(buffer, e.key);
      digits.current = { buffer: read.buffer, at: now };
      if (read.value !== null) setPending(read.value);
    } else if (e.key === "ArrowRight" || e.key === "+" || e.key === "ArrowLeft" || e.key === "-") {
      e.preventDefault();
      setPending(stepScale(shown, e.key === "ArrowRight" || e.key === "+"));
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      setPending(null);
    } else if (e.key === "Escape" && pendingRef.current !== undefined) {
      e.preventDefault();
      setPending(undefined);
    }
  };

  return (
    <div className="scale-cell-wrap">
      <div
        ref={props.cellRef}
        role="spinbutton"
        tabIndex={props.tabbable ? 0 : -1}
        aria-label={props.label}
        aria-valuemin={1}
        aria-valuemax={20}
        aria-valuenow={shown ?? undefined}
        aria-valuetext={shown === null ? "not estimated" : String(shown)}
        aria-readonly={disabled || undefined}
        aria-disabled={disabled || undefined}
        className={`scale-cell ${pending !== undefined ? "is-pending" : ""} ${props.saving ? "is-saving" : ""}`}
        data-testid={props.testId}
        data-value={shown ?? ""}
        title={disabled ? "Your roles do not let you estimate this" : undefined}
        onKeyDown={onKeyDown}
        onFocus={() => {
          setOpen(true);
          props.onFocus();
        }}
        onBlur={() => {
          setOpen(false);
          commit();
        }}
      >
        {shown ?? <span className="muted">·</span>}
      </div>
      {open && !disabled && (
        <div className="scale-pop" data-testid="scale-pop">
          {[...WSJF_SCALE, null].map((v) => (
            <button
              key={v ?? "clear"}
              type="button"
              tabIndex={-1}
              className={`scale-choice ${v === shown ? "is-on" : ""}`}
              aria-label={v === null ? "Clear" : String(v)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => commit(v)}
            >
              {v ?? "–"}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
