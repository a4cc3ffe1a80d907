// Small labels the lists and the item panel share: an item's state and type, and whether it is blocked.
import type { ItemType } from "../../core/work-item";
import { stateLabel, stateTone, TYPE_LABELS } from "../lib/format";

export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`state state-${stateTone(state)}`} data-testid="state-badge">
      <span className="state-dot" aria-hidden="true" />
      {stateLabel(state)}
    </span>
  );
}

/** "Blocked", with what the item waits on as its tooltip (and for screen readers); nothing when it is not blocked. */
export function BlockedBadge({ reason }: { reason: string | null }) {
  if (reason === null) return null;
  return (
    <span className="blocked-badge" title={`Blocked: ${reason}`} data-testid="blocked-badge">
      Blocked<span className="visually-hidden">: {reason}</span>
    </span>
  );
}

export function TypeBadge({ type, enablerKind }: { type: ItemType | string; enablerKind?: string | null }) {
  const label = TYPE_LABELS[type] ?? type;
  return (
    <span className={`type type-${type}`} title={enablerKind ? `${label} · ${enablerKind}` : label}>
      {label}
    </span>
  );
}
