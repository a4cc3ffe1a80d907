// Small labels the lists and the item panel share: an item's state and type.
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

export function TypeBadge({ type, enablerKind }: { type: ItemType | string; enablerKind?: string | null }) {
  const label = TYPE_LABELS[type] ?? type;
  return (
    <span className={`type type-${type}`} title={enablerKind ? `${label} · ${enablerKind}` : label}>
      {label}
    </span>
  );
}
