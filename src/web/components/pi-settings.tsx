// A PI's settings on the Plan screen: its name (the RTE's, configure_train), its capacity allocation policy — the
// shares of business, enabler and maintenance work (the Product Manager's, edit_program) — its milestones (added and
// removed by the RTE), and creating the next PI with its iterations (the last one the IP iteration). Controls the
// person has no right for are not offered; what they may not change shows read-only.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { allocationProblem } from "../../core/pi-planning";
import { type AllocationPolicy, WORK_KINDS, type WorkKind } from "../../core/train";
import { ApiError } from "../lib/api";
import { planningApi, useMilestones, WORK_KIND_LABELS } from "../lib/planning";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import { setSearch } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, ProgramIncrement } from "../lib/types";
import { Dialog } from "./dialog";
import { FormField, Input } from "./form-field";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const DAY = 86_400_000;
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export function PiSettings(props: {
  art: Art;
  pi: ProgramIncrement | null;
  initial: "pi" | "create";
  onClose: () => void;
}) {
  const { art, pi, initial, onClose } = props;
  const rights = useRights();
  const mayConfigure = rights.can("configure_train", art.id);
  const mayAllocate = rights.can("edit_program", art.id);
  const createRef = useRef<HTMLElement>(null);
  const [version, setVersion] = useState(pi?.version ?? 0);

  useEffect(() => {
    if (initial === "create") createRef.current?.scrollIntoView({ block: "nearest" });
  }, [initial]);

  return (
    <Dialog
      title={pi ? `${pi.name} settings` : "Create a PI"}
      onClose={onClose}
      testId="pi-settings"
      wide
      actions={
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      }
    >
      {pi && (
        <>
          <PiName art={art} pi={pi} version={version} onSaved={setVersion} editable={mayConfigure} />
          <AllocationPolicyForm art={art} pi={pi} version={version} onSaved={setVersion} editable={mayAllocate} />
          <Milestones art={art} pi={pi} editable={mayConfigure} />
        </>
      )}
      {mayConfigure ? (
        <section ref={createRef} className="settings-block" aria-labelledby="pi-create-title">
          <h3 id="pi-create-title">New PI</h3>
          <CreatePi art={art} onCreated={onClose} />
        </section>
      ) : (
        !pi && <p className="muted">Only the Release Train Engineer creates PIs.</p>
      )}
    </Dialog>
  );
}

function refresh(client: ReturnType<typeof useQueryClient>, art: Art) {
  void client.invalidateQueries({ queryKey: queryKeys.arts });
  void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
}

const staleOr = (err: ApiError) =>
  err.status === 409 ? "Someone changed this PI meanwhile: close and open the settings again." : err.message;

/** Changes the PI on the version the settings were opened on; a problem shows as text (`field`'s message first). */
function usePiUpdate(art: Art, pi: ProgramIncrement, version: number, onSaved: (version: number) => void) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const update = async (
    fields: { name?: string; allocation?: AllocationPolicy | null },
    done: (saved: ProgramIncrement) => string,
    field?: string,
  ): Promise<boolean> => {
    setSaving(true);
    setError(null);
    try {
      const saved = await planningApi.updatePi(art.key, pi.id, { version, ...fields });
      onSaved(saved.version);
      showToast(done(saved), "success");
      refresh(client, art);
      return true;
    } catch (err) {
      setError(
        err instanceof ApiError ? ((field ? err.fieldMessage(field) : undefined) ?? staleOr(err)) : errorText(err),
      );
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { update, error, saving };
}

/** One action of a form at a time: busy while it runs, and its error (an ApiError names its fields). */
function useFormAction() {
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldMessage(path) : undefined);
  return { act, busy, error, fieldError };
}

interface PiFormProps {
  art: Art;
  pi: ProgramIncrement;
  version: number;
  onSaved: (version: number) => void;
  editable: boolean;
}

function PiName({ art, pi, version, onSaved, editable }: PiFormProps) {
  const id = useId();
  const [name, setName] = useState(pi.name);
  const { update, error, saving } = usePiUpdate(art, pi, version, onSaved);
  const save = () => update({ name: name.trim() }, (saved) => `The PI is now called ${saved.name}`, "name");
  return (
    <section className="settings-block" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Program increment</h3>
      {editable ? (
        <div className="form-row">
          <FormField label="Name" className="form-field-grow">
            <Input value={name} onChange={setName} testId="pi-name" aria-invalid={error !== null} />
          </FormField>
          <button
            type="button"
            className="button"
            disabled={saving || name.trim() === "" || name.trim() === pi.name}
            onClick={() => void save()}
            data-testid="pi-name-save"
          >
            Rename
          </button>
        </div>
      ) : (
        <p>{pi.name}</p>
      )}
      {error && <p className="field-error">{error}</p>}
      <p className="hint">
        {pi.startDate} – {pi.endDate} ·{" "}
        {pi.iterations.map((i) => `${i.name}${i.kind === "ip" ? " (IP)" : ""}`).join(", ")}
      </p>
    </section>
  );
}

function AllocationPolicyForm({ art, pi, version, onSaved, editable }: PiFormProps) {
  const id = useId();
  const [shares, setShares] = useState<Record<WorkKind, string>>(() => ({
    business: String(pi.allocation?.business ?? 70),
    enabler: String(pi.allocation?.enabler ?? 20),
    maintenance: String(pi.allocation?.maintenance ?? 10),
  }));
  const [policySet, setPolicySet] = useState(pi.allocation !== null);
  const { update, error, saving } = usePiUpdate(art, pi, version, onSaved);
  const policy = Object.fromEntries(WORK_KINDS.map((k) => [k, Number(shares[k] || 0)])) as AllocationPolicy;
  const total = WORK_KINDS.reduce((sum, k) => sum + policy[k], 0);
  const problem = allocationProblem(policy);

  const save = async (next: AllocationPolicy | null) => {
    const saved = await update({ allocation: next }, () =>
      next ? "Allocation policy saved" : "Allocation policy removed",
    );
    if (saved) setPolicySet(next !== null);
  };

  return (
    <section className="settings-block" aria-labelledby={`${id}-title`} data-testid="allocation-policy">
      <h3 id={`${id}-title`}>Capacity allocation policy</h3>
      <p className="hint">
        The share of the PI's capacity reserved for each kind of work, in percent adding up to 100.
      </p>
      {editable ? (
        <>
          <div className="form-row allocation-inputs">
            {WORK_KINDS.map((k) => (
              <FormField key={k} label={`${WORK_KIND_LABELS[k]} %`}>
                <Input
                  type="number"
                  min={0}
                  max={100}
                  step={1}
                  value={shares[k]}
                  onChange={(v) => setShares((s) => ({ ...s, [k]: v }))}
                  testId={`allocation-${k}`}
                />
              </FormField>
            ))}
            <span className={`allocation-total ${total === 100 ? "" : "is-off"}`} data-testid="allocation-total">
              Total {total}%
            </span>
          </div>
          {problem && (
            <p className="field-error" data-testid="allocation-problem">
              {problem}
            </p>
          )}
          {error && (
            <p className="notice notice-error" role="alert">
              {error}
            </p>
          )}
          <div className="form-row">
            <button
              type="button"
              className="button button-primary"
              disabled={saving || problem !== null}
              onClick={() => void save(policy)}
              data-testid="allocation-save"
            >
              Save policy
            </button>
            {policySet && (
              <button type="button" className="button" disabled={saving} onClick={() => void save(null)}>
                Remove the policy
              </button>
            )}
          </div>
        </>
      ) : pi.allocation ? (
        <p>
          {WORK_KINDS.map((k) => `${WORK_KIND_LABELS[k]} ${pi.allocation?.[k] ?? 0}%`).join(" · ")}
          <span className="hint"> (the Product Manager sets it)</span>
        </p>
      ) : (
        <p className="muted">No policy set (the Product Manager sets it).</p>
      )}
    </section>
  );
}

function Milestones({ art, pi, editable }: { art: Art; pi: ProgramIncrement; editable: boolean }) {
  const client = useQueryClient();
  const id = useId();
  const milestones = useMilestones(art.key, pi.id);
  const [name, setName] = useState("");
  const [date, setDate] = useState(pi.startDate);
  const { act, busy, error, fieldError } = useFormAction();

  const run = (action: () => Promise<unknown>, done: string) =>
    act(async () => {
      await action();
      showToast(done, "success");
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
    });

  return (
    <section className="settings-block" aria-labelledby={`${id}-title`} data-testid="milestones">
      <h3 id={`${id}-title`}>Milestones</h3>
      {milestones.isError && <p className="field-error">{milestones.error.message}</p>}
      {milestones.data && milestones.data.length === 0 && <p className="muted">No milestones in this PI.</p>}
      <ul className="pi-milestone-list">
        {(milestones.data ?? []).map((m) => (
          <li key={m.id} className="pi-milestone" data-testid="milestone">
            <span className="pi-milestone-date">{m.date}</span>
            <span className="pi-milestone-name">{m.name}</span>
            {editable && (
              <button
                type="button"
                className="button button-ghost button-small"
                aria-label={`Remove milestone ${m.name}`}
                disabled={busy}
                onClick={() => void run(() => planningApi.removeMilestone(art.key, pi.id, m.id), `Removed ${m.name}`)}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              () => planningApi.addMilestone(art.key, pi.id, { name: name.trim(), date }),
              `Added ${name.trim()}`,
            ).then((ok) => ok && setName(""));
          }}
        >
          <FormField label="Milestone" className="form-field-grow" error={fieldError("name")}>
            <Input
              value={name}
              onChange={setName}
              placeholder="e.g. Release to beta customers"
              testId="milestone-name"
            />
          </FormField>
          <FormField label="Date" error={fieldError("date")}>
            <Input type="date" value={date} onChange={setDate} testId="milestone-date" />
          </FormField>
          <button type="submit" className="button" disabled={busy || name.trim() === "" || date === ""}>
            Add milestone
          </button>
        </form>
      )}
      {error && !fieldError("name") && !fieldError("date") && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

function CreatePi({ art, onCreated }: { art: Art; onCreated: () => void }) {
  const client = useQueryClient();
  const last = [...art.pis].sort((a, b) => a.endDate.localeCompare(b.endDate)).at(-1);
  const [name, setName] = useState(`PI ${art.pis.length + 1}`);
  const [startDate, setStartDate] = useState(last ? addDays(last.endDate, 1) : new Date().toISOString().slice(0, 10));
  const [iterations, setIterations] = useState("5");
  const [weeks, setWeeks] = useState("2");
  const { act, busy, error, fieldError } = useFormAction();

  const create = () =>
    act(async () => {
      const pi = await planningApi.createPi(art.key, {
        name: name.trim(),
        startDate,
        iterations: Number(iterations),
        iterationWeeks: Number(weeks),
      });
      await client.invalidateQueries({ queryKey: queryKeys.arts });
      showToast(`${pi.name} created with ${pi.iterations.length} iterations`, "success");
      setSearch({ pi: pi.id });
      onCreated();
    });

  return (
    <form
      className="create-pi"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
      data-testid="pi-create"
    >
      <div className="form-row">
        <FormField label="Name" className="form-field-grow" error={fieldError("name")}>
          <Input value={name} onChange={setName} testId="pi-create-name" />
        </FormField>
        <FormField label="Starts" error={fieldError("startDate")}>
          <Input type="date" value={startDate} onChange={setStartDate} testId="pi-create-start" />
        </FormField>
        <FormField label="Iterations" error={fieldError("iterations")}>
          <Input
            type="number"
            min={1}
            max={12}
            value={iterations}
            onChange={setIterations}
            testId="pi-create-iterations"
          />
        </FormField>
        <FormField label="Weeks each" error={fieldError("iterationWeeks")}>
          <Input type="number" min={1} max={6} value={weeks} onChange={setWeeks} testId="pi-create-weeks" />
        </FormField>
      </div>
      <p className="hint">With more than one iteration, the last is the Innovation & Planning (IP) iteration.</p>
      {error && !(error instanceof ApiError && error.errors.length > 0) && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy || name.trim() === "" || startDate === ""}>
        Create PI
      </button>
    </form>
  );
}
