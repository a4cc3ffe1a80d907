// The ROAM board of an ART's risks for one PI: a column per ROAM state (Unroamed, Resolved, Owned, Accepted,
// Mitigated), each risk a card with its team, owner and linked items. Cards are dragged between columns (dnd-kit) or
// moved with their "Move to" menu from the keyboard; risks are added, edited and deleted in a dialog. Every change
// names the version it was made on; a stale one (409) is refreshed with a toast.
import {
  DndContext,
  type DragEndEvent,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { CSS } from "@dnd-kit/utilities";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../lib/api";
import {
  boardApi,
  boardKeys,
  type Risk,
  type RiskInput,
  ROAM_HINTS,
  ROAM_LABELS,
  ROAM_STATES,
  type Roam,
  useRisks,
} from "../lib/board";
import { usePeople } from "../lib/queries";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, ProgramIncrement } from "../lib/types";
import { Dialog } from "./dialog";
import { FormField, Input, Select } from "./form-field";

const ROAM_OPTIONS = ROAM_STATES.map((r) => ({ value: r, label: ROAM_LABELS[r] }));

export function RisksBoard({ art, pi }: { art: Art; pi: ProgramIncrement }) {
  const client = useQueryClient();
  const rights = useRights();
  const risks = useRisks(art.key, pi.id);
  const key = boardKeys.risks(art.key, pi.id);
  const [editing, setEditing] = useState<Risk | "new" | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  const mayPlan = (r: { teamId: string | null }) => rights.can("plan_pi", art.id, r.teamId);
  const mayAdd = rights.can("plan_pi", art.id) || art.teams.some((t) => rights.can("plan_pi", art.id, t.id));
  const list = risks.data?.risks ?? [];

  const move = async (risk: Risk, roam: Roam) => {
    if (risk.roam === roam) return;
    // Shown in its new column at once; the server's answer (or a refetch) settles it.
    client.setQueryData<{ risks: Risk[]; counts: Record<Roam, number> }>(key, (d) =>
      d ? { ...d, risks: d.risks.map((r) => (r.id === risk.id ? { ...r, roam } : r)) } : d,
    );
    try {
      await boardApi.changeRisk(risk.id, { version: risk.version, roam });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        showToast(`"${risk.title}" was changed by someone else — the board was refreshed`, "error");
      } else {
        showToast(`Could not move "${risk.title}": ${err instanceof Error ? err.message : String(err)}`, "error");
      }
    } finally {
      void client.invalidateQueries({ queryKey: boardKeys.all(art.key) });
    }
  };

  const onDragEnd = (event: DragEndEvent) => {
    const risk = list.find((r) => r.id === event.active.id);
    const roam = event.over?.id as Roam | undefined;
    if (risk && roam && (ROAM_STATES as readonly string[]).includes(roam)) void move(risk, roam);
  };

  return (
    <div className="pi-body risks" data-testid="risks-board">
      <div className="pi-toolbar">
        <p className="hint">
          ROAM each risk: Resolved, Owned, Accepted or Mitigated. Drag a card to another column, or use its menu.
        </p>
        {risks.isFetching && !risks.isLoading && <span className="spinner" title="Refreshing" />}
        {mayAdd && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setEditing("new")}
            data-testid="risk-add"
          >
            New risk
          </button>
        )}
      </div>
      {risks.isError && (
        <p className="notice notice-error" role="alert">
          {risks.error.message}
        </p>
      )}
      <DndContext sensors={sensors} onDragEnd={onDragEnd}>
        <div className="roam-columns">
          {ROAM_STATES.map((roam) => (
            <RoamColumn key={roam} roam={roam} count={list.filter((r) => r.roam === roam).length}>
              {list
                .filter((r) => r.roam === roam)
                .map((r) => (
                  <RiskCard
                    key={r.id}
                    art={art}
                    risk={r}
                    mayEdit={mayPlan(r)}
                    onMove={(to) => void move(r, to)}
                    onEdit={() => setEditing(r)}
                  />
                ))}
            </RoamColumn>
          ))}
        </div>
      </DndContext>
      {editing && (
        <RiskDialog
          art={art}
          pi={pi}
          risk={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void client.invalidateQueries({ queryKey: boardKeys.all(art.key) });
          }}
        />
      )}
    </div>
  );
}

function RoamColumn({ roam, count, children }: { roam: Roam; count: number; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: roam });
  return (
    <section
      ref={setNodeRef}
      className={`roam-column roam-${roam} ${isOver ? "is-over" : ""}`}
      aria-label={`${ROAM_LABELS[roam]} risks`}
      data-testid="roam-column"
      data-roam={roam}
    >
      <header className="roam-column-head" title={ROAM_HINTS[roam]}>
        <h2>{ROAM_LABELS[roam]}</h2>
        <span className="count" data-testid="roam-count">
          {count}
        </span>
      </header>
      <ul className="roam-cards">{children}</ul>
    </section>
  );
}

function RiskCard({
  art,
  risk,
  mayEdit,
  onMove,
  onEdit,
}: {
  art: Art;
  risk: Risk;
  mayEdit: boolean;
  onMove: (roam: Roam) => void;
  onEdit: () => void;
}) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: risk.id,
    disabled: !mayEdit,
  });
  const team = art.teams.find((t) => t.id === risk.teamId);
  return (
    <li
      ref={setNodeRef}
      className={`risk-card ${isDragging ? "is-dragging" : ""}`}
      style={{ transform: CSS.Translate.toString(transform) }}
      data-testid="risk-card"
      data-risk={risk.id}
      data-roam={risk.roam}
    >
      <div className="risk-card-drag" {...listeners} {...attributes} tabIndex={-1}>
        <span className="risk-title" data-testid="risk-title">
          {risk.title}
        </span>
        {risk.description && <span className="muted risk-description">{risk.description}</span>}
      </div>
      <div className="risk-meta">
        {team ? <span className="team-chip">{team.name}</span> : <span className="team-chip">Train</span>}
        <span className={risk.owner ? "" : "muted"}>{risk.owner ? `Owner: ${risk.owner.name}` : "No owner"}</span>
        {risk.items.map((i) => (
          <a key={i.id} className="ref-link key" href={itemHref(i.key)} onClick={onLinkClick} title={i.title}>
            {i.key}
          </a>
        ))}
      </div>
      {mayEdit && (
        <div className="risk-actions">
          {/* biome-ignore lint/a11y/noLabelWithoutControl: Select renders the select inside it */}
          <label>
            <span className="visually-hidden">Move “{risk.title}” to</span>
            <Select
              className="input risk-move"
              value={risk.roam}
              onChange={onMove}
              options={ROAM_OPTIONS}
              testId="risk-move"
            />
          </label>
          <button type="button" className="button button-ghost button-small" onClick={onEdit} data-testid="risk-edit">
            Edit
          </button>
        </div>
      )}
    </li>
  );
}

function RiskDialog({
  art,
  pi,
  risk,
  onClose,
  onSaved,
}: {
  art: Art;
  pi: ProgramIncrement;
  risk: Risk | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const rights = useRights();
  const people = usePeople();
  const [title, setTitle] = useState(risk?.title ?? "");
  const [description, setDescription] = useState(risk?.description ?? "");
  const wholeTrain = rights.can("plan_pi", art.id);
  const teams = art.teams.filter((t) => rights.can("plan_pi", art.id, t.id));
  const [teamId, setTeamId] = useState(risk ? (risk.teamId ?? "") : wholeTrain ? "" : (teams[0]?.id ?? ""));
  const [ownerId, setOwnerId] = useState(risk?.owner?.id ?? "");
  const [roam, setRoam] = useState<Roam>(risk?.roam ?? "unroamed");
  const [itemKeys, setItemKeys] = useState((risk?.items ?? []).map((i) => i.key).join(", "));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  /** A stale version refreshes the board with a toast; another problem shows in the dialog. */
  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409) {
      showToast("The risk was changed by someone else — refreshed", "error");
      onSaved();
    } else setError(err instanceof ApiError ? err : new ApiError(0, { detail: String(err) }));
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const keys = itemKeys
        .split(/[\s,]+/)
        .map((k) => k.trim())
        .filter(Boolean);
      // Items are linked by id: each key is looked up (an unknown key is named at the field).
      const itemIds = await Promise.all(
        keys.map((k) =>
          api.item(k).then(
            (d) => d.item.id,
            () => {
              throw new ApiError(400, {
                detail: `There is no item ${k}.`,
                errors: [{ path: "itemIds", message: `no item ${k}` }],
              });
            },
          ),
        ),
      );
      const input: RiskInput = {
        title: title.trim(),
        description: description.trim(),
        teamId: teamId || null,
        ownerId: ownerId || null,
        itemIds,
        roam,
      };
      if (risk) await boardApi.changeRisk(risk.id, { version: risk.version, ...input });
      else await boardApi.createRisk(art.key, { ...input, piId: pi.id });
      onSaved();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!risk || !window.confirm(`Delete the risk "${risk.title}"?`)) return;
    try {
      await boardApi.removeRisk(risk.id, risk.version);
      onSaved();
    } catch (err) {
      failed(err);
    }
  };

  const field = (path: string) => error?.fieldMessage(path);
  return (
    <Dialog
      title={risk ? "Edit risk" : "New risk"}
      onClose={onClose}
      testId="risk-dialog"
      actions={
        <>
          {risk && (
            <button
              type="button"
              className="button button-danger"
              onClick={() => void remove()}
              data-testid="risk-delete"
            >
              Delete
            </button>
          )}
          <button type="button" className="button button-ghost" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !title.trim()}
            onClick={() => void save()}
            data-testid="risk-save"
          >
            {risk ? "Save" : "Add risk"}
          </button>
        </>
      }
    >
      <FormField label="Risk" error={field("title")}>
        <Input value={title} onChange={setTitle} testId="risk-title-input" />
      </FormField>
      <FormField label="Description">
        <textarea
          className="input textarea"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </FormField>
      <div className="form-row">
        <FormField label="Team">
          <Select
            value={teamId}
            onChange={setTeamId}
            options={teams.map((t) => ({ value: t.id, label: t.name }))}
            testId="risk-team"
          >
            {wholeTrain && <option value="">The whole train</option>}
          </Select>
        </FormField>
        <FormField label="Owner">
          <Select
            value={ownerId}
            onChange={setOwnerId}
            options={(people.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            testId="risk-owner"
          >
            <option value="">Nobody yet</option>
          </Select>
        </FormField>
        <FormField label="ROAM">
          <Select value={roam} onChange={setRoam} options={ROAM_OPTIONS} testId="risk-roam" />
        </FormField>
      </div>
      <FormField label="Linked items (keys, comma separated)" error={field("itemIds")}>
        <Input value={itemKeys} onChange={setItemKeys} placeholder="PAY-12, PAY-40" testId="risk-items" />
      </FormField>
      {error && error.errors.length === 0 && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
