// The prioritization dialogs, each a preview before a change: re-anchoring a WSJF column at 1, applying WSJF order to
// a program backlog (pinning items in place), and aligning a team backlog to the program's priorities. Reorders end
// with a toast that undoes them in one step.
import { keepPreviousData, type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { reanchor } from "../../core/wsjf";
import { ApiError, api } from "../lib/api";
import { LEVEL_LABELS } from "../lib/format";
import { queryKeys } from "../lib/queries";
import type { ProgramLevel } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, TeamAlignment, WsjfRow } from "../lib/types";
import { driftText, WSJF_INPUT_LABELS, type WsjfInput } from "../lib/wsjf-grid";
import { Dialog } from "./dialog";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const tau = (v: number | null) => (v === null ? "—" : v.toFixed(2));

/** After a reorder: refresh the ART's lists and offer to undo it from a toast. */
function offerUndo(client: QueryClient, art: Art, reorderId: string | null, message: string): void {
  void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
  if (!reorderId) {
    showToast(message);
    return;
  }
  showToast(message, "success", {
    label: "Undo",
    run: () => {
      api
        .undoReorder(art.key, reorderId)
        .then((r) => showToast(`Undone: ${r.moved} ${r.moved === 1 ? "item is" : "items are"} back in place`))
        .catch((err: unknown) =>
          showToast(
            err instanceof ApiError && err.status === 409
              ? `Cannot undo: ${err.message}`
              : `Could not undo the reorder: ${errorText(err)}`,
            "error",
          ),
        )
        .finally(() => void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) }));
    },
  });
}

/** Re-anchoring a column: the smallest estimate becomes 1, the others keep their ratio to it on the scale. */
export function ReanchorDialog(props: {
  art: Art;
  level: ProgramLevel;
  input: WsjfInput;
  rows: readonly WsjfRow[];
  onClose: () => void;
}) {
  const { art, level, input, rows, onClose } = props;
  const client = useQueryClient();
  const [changes] = useState(() => {
    const next = reanchor(rows.map((r) => r.inputs[input]));
    return rows.map((row, i) => ({ row, from: row.inputs[input], to: next[i] ?? null })).filter((c) => c.from !== c.to);
  });
  const [progress, setProgress] = useState<{ done: number; error: string | null; running: boolean }>({
    done: 0,
    error: null,
    running: false,
  });
  const label = WSJF_INPUT_LABELS[input];

  const apply = async () => {
    setProgress({ done: 0, error: null, running: true });
    let done = 0;
    try {
      for (const c of changes) {
        await api.updateItem(c.row.key, c.row.version, { [input]: c.to });
        done++;
        setProgress({ done, error: null, running: true });
      }
      showToast(`${label} re-anchored: ${done} ${done === 1 ? "estimate" : "estimates"} changed`, "success");
      onClose();
    } catch (err) {
      const at = changes[done]?.row.key ?? "";
      setProgress({
        done,
        running: false,
        error: `Stopped at ${at}: ${errorText(err)} ${done} of ${changes.length} changed; the rest are as they were.`,
      });
    } finally {
      void client.invalidateQueries({ queryKey: queryKeys.wsjf(art.key, level) });
      void client.invalidateQueries({ queryKey: queryKeys.items });
    }
  };

  return (
    <Dialog
      title={`Re-anchor ${label.toLowerCase()}`}
      onClose={onClose}
      testId="reanchor-dialog"
      actions={
        <>
          <span className="dialog-status" aria-live="polite" data-testid="reanchor-progress">
            {progress.running ? `Re-anchoring ${progress.done} of ${changes.length}…` : ""}
          </span>
          <button type="button" className="button" onClick={onClose} disabled={progress.running}>
            {progress.error ? "Close" : "Cancel"}
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void apply()}
            disabled={progress.running || changes.length === 0 || progress.error !== null}
            data-testid="reanchor-apply"
          >
            Re-anchor {changes.length} {changes.length === 1 ? "estimate" : "estimates"}
          </button>
        </>
      }
    >
      <p>
        The smallest {LEVEL_LABELS[level].toLowerCase()} becomes 1; every other estimate keeps its ratio to it, rounded
        to the nearest value on the scale.
      </p>
      {progress.error && (
        <p className="notice notice-error" role="alert" data-testid="reanchor-error">
          {progress.error}
        </p>
      )}
      <table className="preview-table" data-testid="reanchor-preview">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col" className="num">
              Re-anchored
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.row.id} data-testid="reanchor-row" data-key={c.row.key} data-from={c.from} data-to={c.to}>
              <td className="preview-cell key">{c.row.key}</td>
              <td className="preview-cell preview-title">{c.row.title}</td>
              <td className="preview-cell num">{c.from}</td>
              <td className="preview-cell num">
                <strong>{c.to}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

/** Applying WSJF order to a program backlog: the preview, pins that keep items in place, then Apply (undoable). */
export function ApplyWsjfOrderDialog({ art, level, onClose }: { art: Art; level: ProgramLevel; onClose: () => void }) {
  const client = useQueryClient();
  const [pinned, setPinned] = useState<readonly string[]>([]);
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const preview = useQuery({
    queryKey: queryKeys.wsjfOrder(art.key, level, pinned),
    queryFn: () => api.wsjfOrder(art.key, { level, pinned: [...pinned], dryRun: true }),
    placeholderData: keepPreviousData,
  });
  const data = preview.data;

  const togglePin = (key: string) =>
    setPinned((list) => (list.includes(key) ? list.filter((k) => k !== key) : [...list, key]));

  const apply = async () => {
    setApplying(true);
    setError(null);
    try {
      const done = await api.wsjfOrder(art.key, { level, pinned: [...pinned], dryRun: false });
      onClose();
      offerUndo(
        client,
        art,
        done.reorderId,
        done.moved === 0 ? "The backlog is already in WSJF order" : `Backlog reordered: ${done.moved} moved`,
      );
    } catch (err) {
      setError(errorText(err));
      void preview.refetch();
    } finally {
      setApplying(false);
    }
  };

  return (
    <Dialog
      title="Apply WSJF order"
      onClose={onClose}
      testId="wsjf-order-dialog"
      wide
      actions={
        <>
          <span className="dialog-status" data-testid="wsjf-order-summary">
            {data &&
              `${data.moved} of ${data.items.length} move · agreement ${tau(data.agreementBefore)} → ${tau(data.agreementAfter)}`}
          </span>
          <button type="button" className="button" onClick={onClose} disabled={applying}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void apply()}
            disabled={applying || !data || preview.isFetching || data.moved === 0}
            data-testid="wsjf-order-apply"
          >
            Apply
          </button>
        </>
      }
    >
      <p>
        Each {LEVEL_LABELS[level].toLowerCase()} by WSJF, highest first (ties by Cost of Delay, then current rank);
        unscored ones after the scored. Pin an item to keep it where it is.
        {preview.isFetching && <span className="spinner inline-spinner" title="Updating the preview" />}
      </p>
      {(error || preview.error) && (
        <p className="notice notice-error" role="alert">
          {error ?? preview.error?.message}
        </p>
      )}
      <table className="preview-table" data-testid="wsjf-order-preview">
        <thead>
          <tr>
            <th scope="col">Pin</th>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col" className="num">
              Proposed
            </th>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col" className="num">
              WSJF
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((i) => (
            <tr
              key={i.id}
              className={i.pinned ? "is-pinned" : i.from !== i.to ? "is-moved" : ""}
              data-testid="wsjf-order-row"
              data-key={i.key}
              data-from={i.from}
              data-to={i.to}
            >
              <td className="preview-cell">
                <input
                  type="checkbox"
                  checked={pinned.includes(i.key)}
                  onChange={() => togglePin(i.key)}
                  aria-label={`Pin ${i.key} at ${i.from}`}
                  data-testid="wsjf-pin"
                />
              </td>
              <td className="preview-cell num muted">{i.from}</td>
              <td className="preview-cell num">
                <strong>{i.to}</strong>
                {i.from !== i.to && (
                  <span className={i.to < i.from ? "places-above" : "places-below"}>
                    {" "}
                    {i.to < i.from ? "↑" : "↓"}
                    {Math.abs(i.from - i.to)}
                  </span>
                )}
              </td>
              <td className="preview-cell key">{i.key}</td>
              <td className="preview-cell preview-title">{i.title}</td>
              <td className="preview-cell num">{i.wsjf ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

/** Aligning a team backlog to program priorities: stories by their feature's rank, the team's order within one. */
export function AlignTeamDialog(props: {
  art: Art;
  team: { id: string; key: string; name: string };
  preview: TeamAlignment;
  onClose: () => void;
}) {
  const { art, team, preview, onClose } = props;
  const client = useQueryClient();
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const moved = preview.items.filter((i) => i.from !== i.to);

  const apply = async () => {
    setApplying(true);
    setError(null);
    try {
      const done = await api.align(art.key, team.key);
      onClose();
      offerUndo(client, art, done.reorderId, `${team.name} aligned to program priorities: ${done.moved} moved`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setApplying(false);
    }
  };

  return (
    <Dialog
      title="Align to program priorities"
      onClose={onClose}
      testId="align-dialog"
      wide
      actions={
        <>
          <span className="dialog-status" data-testid="align-summary">
            {preview.moved} of {preview.items.length} move · {driftText(preview.driftBefore).toLowerCase()} →{" "}
            {driftText(preview.driftAfter).toLowerCase()}
          </span>
          <button type="button" className="button" onClick={onClose} disabled={applying}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void apply()}
            disabled={applying || preview.moved === 0}
            data-testid="align-apply"
          >
            Apply
          </button>
        </>
      }
    >
      <p>
        {team.name}'s stories ordered by their feature's rank in the program backlog, keeping the team's own order among
        one feature's stories; stories without a ranked feature stay last.
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <table className="preview-table" data-testid="align-preview">
        <thead>
          <tr>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col" className="num">
              Aligned
            </th>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col">Feature</th>
          </tr>
        </thead>
        <tbody>
          {moved.map((i) => (
            <tr key={i.id} data-testid="align-row" data-key={i.key} data-from={i.from} data-to={i.to}>
              <td className="preview-cell num muted">{i.from}</td>
              <td className="preview-cell num">
                <strong>{i.to}</strong>
              </td>
              <td className="preview-cell key">{i.key}</td>
              <td className="preview-cell preview-title">{i.title}</td>
              <td className="preview-cell key">{i.featureKey ?? <span className="muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
