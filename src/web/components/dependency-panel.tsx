// One dependency, opened from the program board (`?dep=`): the consumer and the provider (each a link that opens the
// item), what is needed and by when, its state, and its health explained in words. It offers the fix a planner wants
// first — move the provider's story to an iteration before the deadline, or the consumer's story after the provider —
// and the provider team's answers: commit with a planned iteration, deliver, decline with a reason; what is needed and
// the needed-by iteration can be edited, and the dependency removed. Every change names the version it was made on; a
// stale one (409) is refreshed with a toast.
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { type ApiError, api } from "../lib/api";
import {
  boardApi,
  boardKeys,
  type Dependency,
  type DependencyChange,
  earlierIterations,
  HEALTH_LABELS,
  healthText,
  iterationLabel,
  iterationOrder,
  laterIterations,
  type ProgramBoard,
  STATE_LABELS,
} from "../lib/board";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, Iteration, ProgramIncrement } from "../lib/types";
import { runVersionedChange } from "../lib/versioned-change";
import { StateBadge } from "./badges";
import { FormField, Input, Select } from "./form-field";
import { CloseIcon } from "./icons";

interface Props {
  art: Art;
  pi: ProgramIncrement;
  dependency: Dependency;
  onClose: () => void;
}

export function DependencyPanel({ art, pi, dependency: d, onClose }: Props) {
  const client = useQueryClient();
  const rights = useRights();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const teamName = (id: string | null) => art.teams.find((t) => t.id === id)?.name ?? "no team";
  const mayAnswer = rights.can("plan_pi", art.id, d.provider.teamId);
  const mayRelate = rights.can("relate", art.id, d.consumer.teamId);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: boardKeys.all(art.key) });
    void client.invalidateQueries({ queryKey: queryKeys.items });
  };

  /** Runs a change; a stale version refreshes the board with a toast, other problems show in the panel. */
  const run = async (what: string, change: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      return await runVersionedChange(what, change, {
        refresh,
        stale: `${what}: someone changed it meanwhile — the board was refreshed`,
        onProblem: setError,
      });
    } finally {
      setBusy(false);
    }
  };

  const change = (what: string, fields: Omit<DependencyChange, "version">) =>
    run(what, async () => {
      const saved = await boardApi.changeDependency(d.id, { version: d.version, ...fields });
      // Shown at once (with its new version), before the board is read again.
      client.setQueryData<ProgramBoard>(boardKeys.board(art.key, pi.id), (b) =>
        b ? { ...b, dependencies: b.dependencies.map((x) => (x.id === saved.id ? saved : x)) } : b,
      );
    });

  /** Moves a story to an iteration, on the version it has now. */
  const moveStory = (key: string, iteration: Iteration) =>
    run(`Moving ${key}`, async () => {
      const detail = await api.item(key);
      await api.updateItem(key, detail.item.version, { iterationId: iteration.id });
      showToast(`${key} moved to ${iteration.name}`, "success");
    });

  /** Moves the provider feature's stories that land too late. */
  const moveFeatureStories = (iteration: Iteration) =>
    run(`Moving the stories of ${d.provider.key}`, async () => {
      const plan = await boardApi.plan(art.key, pi.id);
      const order = iterationOrder(art);
      const target = order.get(iteration.id)?.order ?? 0;
      const late = plan.teams
        .flatMap((t) => t.iterations.flatMap((i) => i.stories))
        .filter((s) => s.featureId === d.provider.id && s.iterationId !== null)
        .filter((s) => (order.get(s.iterationId ?? "")?.order ?? 0) > target);
      for (const s of late) await api.updateItem(s.key, s.version, { iterationId: iteration.id });
      showToast(
        `${late.length} ${late.length === 1 ? "story" : "stories"} of ${d.provider.key} moved to ${iteration.name}`,
        "success",
      );
    });

  const open = d.state !== "delivered" && d.state !== "declined";
  const needsFix = open && (d.health === "conflict" || d.health === "at_risk" || d.health === "unplanned");
  const earlier = earlierIterations(art, pi, d);
  const later = laterIterations(art, pi, d);
  const mayMoveProvider = rights.can("edit_story", art.id, d.provider.teamId);
  const mayMoveConsumer = rights.can("edit_story", art.id, d.consumer.teamId);
  const devIterations = pi.iterations.filter((i) => i.kind !== "ip");

  return (
    <aside className="dep-panel" aria-labelledby="dep-panel-title" data-testid="dependency-panel" data-dep={d.id}>
      <header className="dep-panel-head">
        <h2 id="dep-panel-title">Dependency</h2>
        <span className={`dep-health-badge health-${d.health}`} data-testid="dep-panel-health" data-health={d.health}>
          {HEALTH_LABELS[d.health]}
        </span>
        {busy && <span className="spinner" title="Saving" />}
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          onClick={onClose}
          data-testid="dep-panel-close"
        >
          <CloseIcon />
        </button>
      </header>
      <div className="dep-panel-body">
        <p className={`dep-health-text health-${d.health}`} data-testid="dep-health-text">
          {healthText(art, d, pi.id)}
        </p>
        <dl className="dep-ends">
          <End label="Consumer (needs it)" end={d.consumer} team={teamName(d.consumer.teamId)} art={art} pi={pi} />
          <End label="Provider (delivers it)" end={d.provider} team={teamName(d.provider.teamId)} art={art} pi={pi} />
        </dl>
        <dl className="dep-facts">
          <dt>Needed</dt>
          <dd data-testid="dep-needed">{d.needed || <span className="muted">not said</span>}</dd>
          <dt>Needed by</dt>
          <dd data-testid="dep-needed-by">{d.neededBy ? iterationLabel(art, d.neededBy, pi.id) : "—"}</dd>
          <dt>State</dt>
          <dd data-testid="dep-state">
            {STATE_LABELS[d.state]}
            {d.plannedIteration && ` · planned for ${iterationLabel(art, d.plannedIteration, pi.id)}`}
            {d.declineReason && ` · ${d.declineReason}`}
          </dd>
          {d.inCycle && (
            <>
              <dt>Cycle</dt>
              <dd className="field-error">Part of a dependency cycle: some item here waits on itself.</dd>
            </>
          )}
        </dl>
        {error && (
          <p className="notice notice-error" role="alert" data-testid="dep-panel-error">
            {error.message}
            {error.errors.length > 0 && ` (${error.errors.map((e) => `${e.path}: ${e.message}`).join("; ")})`}
          </p>
        )}

        {needsFix && (
          <Section title="Fix it">
            {d.provider.level === "story" && mayMoveProvider && earlier.length > 0 && (
              <MoveForm
                label={`Move provider ${d.provider.key} to`}
                iterations={earlier}
                busy={busy}
                testId="dep-fix-provider"
                onMove={(it) => void moveStory(d.provider.key, it)}
              />
            )}
            {d.provider.level === "feature" && mayMoveProvider && earlier.length > 0 && (
              <MoveForm
                label={`Move the late stories of ${d.provider.key} to`}
                iterations={earlier}
                busy={busy}
                testId="dep-fix-provider"
                onMove={(it) => void moveFeatureStories(it)}
              />
            )}
            {d.consumer.level === "story" && mayMoveConsumer && later.length > 0 && (
              <MoveForm
                label={`Or move consumer ${d.consumer.key} later, to`}
                iterations={later}
                busy={busy}
                testId="dep-fix-consumer"
                onMove={(it) => void moveStory(d.consumer.key, it)}
              />
            )}
            {earlier.length === 0 && later.length === 0 && (
              <p className="hint">
                No iteration of {pi.name} would fix it: plan the provider first, or change the needed-by iteration.
              </p>
            )}
          </Section>
        )}

        {mayAnswer && (
          <Section title="Provider's answer">
            {(d.state === "requested" || d.state === "committed") && (
              <MoveForm
                key={`${d.state}:${d.plannedIteration?.id ?? d.provider.iteration?.id ?? ""}`}
                label={d.state === "committed" ? "Planned for" : "Commit to deliver in"}
                iterations={devIterations}
                initial={d.plannedIteration?.id ?? d.provider.iteration?.id ?? null}
                busy={busy}
                action={d.state === "committed" ? "Change" : "Commit"}
                testId="dep-commit"
                onMove={(it) => void change("Committing", { state: "committed", plannedIteration: it.id })}
              />
            )}
            {d.state === "committed" && (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void change("Delivering", { state: "delivered" })}
                data-testid="dep-deliver"
              >
                Mark delivered
              </button>
            )}
            {open && (
              <DeclineForm
                busy={busy}
                onDecline={(reason) => void change("Declining", { state: "declined", declineReason: reason })}
              />
            )}
            {!open && (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() =>
                  void change(
                    "Reopening",
                    d.state === "delivered" ? { state: "committed" } : { state: "requested", declineReason: null },
                  )
                }
                data-testid="dep-reopen"
              >
                {d.state === "delivered" ? "Reopen" : "Request again"}
              </button>
            )}
          </Section>
        )}

        {(mayAnswer || mayRelate) && (
          <EditForm
            key={`${d.id}:${d.version}`}
            d={d}
            art={art}
            busy={busy}
            onSave={(fields) => void change("Saving", fields)}
          />
        )}

        {mayRelate && (
          <div className="dep-remove">
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => {
                if (!window.confirm(`Remove the dependency of ${d.consumer.key} on ${d.provider.key}?`)) return;
                void run("Removing", () => boardApi.removeDependency(d.id, d.version)).then((ok) => ok && onClose());
              }}
              data-testid="dep-remove"
            >
              Remove dependency
            </button>
          </div>
        )}
      </div>
    </aside>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="dep-section">
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  );
}

function End({
  label,
  end,
  team,
  art,
  pi,
}: {
  label: string;
  end: Dependency["consumer"];
  team: string;
  art: Art;
  pi: ProgramIncrement;
}) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="dep-end">
        <a className="ref-link key" href={itemHref(end.key)} onClick={onLinkClick} data-testid="dep-end-link">
          {end.key}
        </a>{" "}
        <span className="dep-end-title">{end.title}</span>
        <span className="dep-end-meta">
          <span className="team-chip">{team}</span>
          <StateBadge state={end.state} />
          <span className="muted">
            {end.iteration ? `lands in ${iterationLabel(art, end.iteration, pi.id)}` : "not in an iteration"}
          </span>
        </span>
      </dd>
    </>
  );
}

function MoveForm({
  label,
  iterations,
  initial = null,
  busy,
  action = "Move",
  testId,
  onMove,
}: {
  label: string;
  iterations: Iteration[];
  initial?: string | null;
  busy: boolean;
  action?: string;
  testId: string;
  onMove: (iteration: Iteration) => void;
}) {
  const [chosen, setChosen] = useState(
    iterations.find((i) => i.id === initial)?.id ?? iterations[iterations.length - 1]?.id ?? "",
  );
  const iteration = iterations.find((i) => i.id === chosen);
  return (
    <form
      className="dep-move"
      onSubmit={(e) => {
        e.preventDefault();
        if (iteration) onMove(iteration);
      }}
      data-testid={testId}
    >
      {/* biome-ignore lint/a11y/noLabelWithoutControl: Select renders the select inside it */}
      <label>
        <span>{label}</span>
        <Select
          value={chosen}
          onChange={setChosen}
          options={iterations.map((i) => ({ value: i.id, label: i.name }))}
          testId={`${testId}-iteration`}
        />
      </label>
      <button
        type="submit"
        className="button button-primary"
        disabled={busy || !iteration}
        data-testid={`${testId}-submit`}
      >
        {action}
      </button>
    </form>
  );
}

function DeclineForm({ busy, onDecline }: { busy: boolean; onDecline: (reason: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)} data-testid="dep-decline">
        Decline…
      </button>
    );
  }
  return (
    <form
      className="dep-decline"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) onDecline(reason.trim());
      }}
    >
      <FormField label="Why the provider's team declines">
        <Input value={reason} onChange={setReason} required testId="dep-decline-reason" />
      </FormField>
      <div className="dep-form-actions">
        <button
          type="submit"
          className="button button-danger"
          disabled={busy || !reason.trim()}
          data-testid="dep-decline-submit"
        >
          Decline
        </button>
        <button type="button" className="button button-ghost" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EditForm({
  d,
  art,
  busy,
  onSave,
}: {
  d: Dependency;
  art: Art;
  busy: boolean;
  onSave: (fields: { needed: string; neededBy: string | null }) => void;
}) {
  const [needed, setNeeded] = useState(d.needed);
  const [neededBy, setNeededBy] = useState(d.neededBy?.id ?? "");
  const changed = needed !== d.needed || neededBy !== (d.neededBy?.id ?? "");
  const iterations = [...iterationOrder(art).values()];
  return (
    <form
      className="dep-section dep-edit"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ needed: needed.trim(), neededBy: neededBy || null });
      }}
      data-testid="dep-edit"
    >
      <h3 className="section-title">What is needed, by when</h3>
      <FormField label="Needed">
        <textarea
          className="input textarea"
          rows={2}
          value={needed}
          onChange={(e) => setNeeded(e.target.value)}
          data-testid="dep-edit-needed"
        />
      </FormField>
      <FormField label="Needed by">
        <Select
          value={neededBy}
          onChange={setNeededBy}
          options={iterations.map(({ iteration, pi }) => ({
            value: iteration.id,
            label: `${pi.name} · ${iteration.name}`,
          }))}
          testId="dep-edit-needed-by"
        >
          <option value="">No iteration</option>
        </Select>
      </FormField>
      <div className="dep-form-actions">
        <button
          type="submit"
          className="button"
          disabled={busy || !changed || needed.trim() === ""}
          data-testid="dep-edit-save"
        >
          Save
        </button>
      </div>
    </form>
  );
}
