// The item panel's "Blocked" control: a checkbox, and while it is ticked the reason (what the item waits on outside
// the team's control), which blocking needs. The value is the item's `blockedReason`: null when not blocked.
import { useRef } from "react";
import { LIMITS } from "../../core/work-item";

export function BlockedField(props: {
  id: string;
  value: string | null;
  invalid: boolean;
  onChange: (value: string | null) => void;
}) {
  const { id, value, invalid, onChange } = props;
  // Unticking then ticking again brings the reason back.
  const last = useRef(value ?? "");
  if (value) last.current = value;
  return (
    <div className="blocked-field">
      <input
        id={id}
        type="checkbox"
        checked={value !== null}
        onChange={(e) => onChange(e.target.checked ? last.current : null)}
        data-testid="field-blocked"
      />
      {value !== null && (
        <input
          className="input"
          type="text"
          value={value}
          maxLength={LIMITS.blockedReason}
          placeholder="What does it wait on? (required)"
          aria-label="What it waits on"
          aria-invalid={invalid || undefined}
          required
          // biome-ignore lint/a11y/noAutofocus: ticking the box asks for the reason next
          autoFocus={value === ""}
          onChange={(e) => onChange(e.target.value)}
          data-testid="field-blockedReason"
        />
      )}
    </div>
  );
}
