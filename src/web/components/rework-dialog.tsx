// Moving a finished story back: the dialog that asks why it needs rework (the reasons of the Rework Ratio) before the
// state changes. The answer goes with the edit that moves the story back; Cancel leaves the state as it was.
import { useId, useState } from "react";
import { REWORK_REASON_LABELS, REWORK_REASONS, type ReworkReason } from "../../core/metrics-views";
import { LIMITS } from "../../core/work-item";
import { stateLabel } from "../lib/format";
import { ApplyButtons, Dialog } from "./dialog";
import { FormField } from "./form-field";

/** Why a story is moved back: a reason (or none given) and an optional note. */
export interface ReworkAnswer {
  reason: ReworkReason | null;
  note: string;
}

export function ReworkDialog(props: {
  itemKey: string;
  from: string;
  to: string;
  initial?: ReworkAnswer | null;
  onMoveBack: (answer: ReworkAnswer) => void;
  onCancel: () => void;
}) {
  const { itemKey, from, to, initial, onMoveBack, onCancel } = props;
  const [reason, setReason] = useState<ReworkReason | null>(initial?.reason ?? null);
  const [note, setNote] = useState(initial?.note ?? "");
  const name = useId();
  return (
    <Dialog
      title="Why does this story need rework?"
      onClose={onCancel}
      testId="rework-dialog"
      actions={
        <ApplyButtons
          onCancel={onCancel}
          onApply={() => onMoveBack({ reason, note: note.trim() })}
          busy={false}
          disabled={false}
          label="Move back"
          busyLabel="Moving back…"
          testId="rework-move-back"
        />
      }
    >
      <p className="rework-intro">
        {itemKey} moves back from {stateLabel(from)} to {stateLabel(to)}: that counts as rework. The reason is kept in
        its history and counted in the Rework Ratio.
      </p>
      <fieldset className="rework-reasons" data-testid="rework-reasons">
        <legend>Reason</legend>
        {REWORK_REASONS.map((r) => (
          <label key={r} className="check-field">
            <input
              type="radio"
              name={name}
              value={r}
              checked={reason === r}
              onChange={() => setReason(r)}
              data-testid={`rework-reason-${r}`}
            />
            {REWORK_REASON_LABELS[r]}
          </label>
        ))}
      </fieldset>
      <FormField label="Note (optional)">
        <textarea
          className="input textarea"
          rows={3}
          value={note}
          maxLength={LIMITS.reworkNote}
          placeholder="What was missing or changed?"
          onChange={(e) => setNote(e.target.value)}
          data-testid="rework-note"
        />
      </FormField>
    </Dialog>
  );
}
