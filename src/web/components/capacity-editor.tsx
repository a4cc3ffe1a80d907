// The capacity of one team in one iteration: its people — name, availability (% of their time on the team) and days
// off — with SAFe's normalized capacity computed live by the same rule the server applies (8 points per full-time
// person per 10 working days, less days off), or a number of points set directly. The team's velocity in its last
// completed iterations shows beside it. It may be copied to the PI's other development iterations in the same save.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useState } from "react";
import { type CapacityMember, NORMALIZED_POINTS, normalizedCapacity } from "../../core/pi-planning";
import { ApiError, api } from "../lib/api";
import { type CapacityEntry, planningApi, useCapacity, velocityText } from "../lib/planning";
import { queryKeys } from "../lib/queries";
import { showToast } from "../lib/toasts";
import type { Art, ProgramIncrement, Team } from "../lib/types";
import { ApplyButtons, Dialog } from "./dialog";
import { FormField, Input } from "./form-field";

type Mode = "people" | "points";

/** A person's row as typed (numbers as text until saved). */
interface Row {
  key: number;
  name: string;
  personId: string | null;
  availability: string;
  daysOff: string;
}

let rowKeys = 0;
const toRow = (m: CapacityMember): Row => ({
  key: ++rowKeys,
  name: m.name,
  personId: m.personId,
  availability: String(m.availability),
  daysOff: String(m.daysOff),
});
const toMember = (r: Row): CapacityMember => ({
  name: r.name.trim(),
  personId: r.personId,
  availability: Number(r.availability || 0),
  daysOff: Number(r.daysOff || 0),
});

/** Roles whose holders on a team plan its work: its people. */
const TEAM_ROLES = new Set(["team_member", "product_owner"]);

export function CapacityEditor(props: {
  art: Art;
  pi: ProgramIncrement;
  team: Team;
  iterationId: string;
  onClose: () => void;
}) {
  const { art, pi, team, iterationId, onClose } = props;
  const capacity = useCapacity(art.key, pi.id, team.key);
  const teamCapacity = capacity.data?.teams.find((t) => t.teamId === team.id) ?? capacity.data?.teams[0];
  const iteration = pi.iterations.find((i) => i.id === iterationId);
  const title = `Capacity of ${team.name} in ${iteration?.name ?? "the iteration"}`;

  if (capacity.isError || !teamCapacity) {
    return (
      <Dialog
        title={title}
        onClose={onClose}
        testId="capacity-editor"
        wide
        actions={
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        }
      >
        {capacity.isError ? (
          <p className="notice notice-error" role="alert">
            Could not read the capacity: {capacity.error.message}
          </p>
        ) : (
          <p className="muted" aria-busy="true">
            Reading the capacity…
          </p>
        )}
      </Dialog>
    );
  }
  return (
    <CapacityForm
      title={title}
      art={art}
      pi={pi}
      team={team}
      iterationId={iterationId}
      entries={teamCapacity.iterations}
      velocity={velocityText(teamCapacity.velocity)}
      velocityDetail={teamCapacity.velocity.recent.map((r) => `${r.name}: ${r.points} pts`).join(", ")}
      onClose={onClose}
    />
  );
}

function CapacityForm(props: {
  title: string;
  art: Art;
  pi: ProgramIncrement;
  team: Team;
  iterationId: string;
  entries: CapacityEntry[];
  velocity: string;
  velocityDetail: string;
  onClose: () => void;
}) {
  const { title, art, pi, team, iterationId, entries, velocity, velocityDetail, onClose } = props;
  const client = useQueryClient();
  const id = useId();
  const entry = entries.find((e) => e.iterationId === iterationId);
  const workingDays = entry?.workingDays ?? 10;
  const roles = useQuery({ queryKey: ["roles", art.key], queryFn: () => api.roles(art.key), staleTime: 60_000 });

  const [mode, setMode] = useState<Mode>(entry?.capacity.source === "points" ? "points" : "people");
  const [rows, setRows] = useState<Row[]>(() => startingRows(entries, iterationId));
  const [points, setPoints] = useState(
    entry?.points === null || entry?.points === undefined ? "" : String(entry.points),
  );
  const [copy, setCopy] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  // Nobody set yet anywhere in the PI: start from the people holding a role on the team.
  const teamPeople = roles.data?.items.filter((r) => r.teamId === team.id && TEAM_ROLES.has(r.role)) ?? [];
  useEffect(() => {
    if (rows.length > 0 || teamPeople.length === 0) return;
    const seen = new Set<string>();
    const fromRoles = teamPeople.flatMap((r) => {
      if (seen.has(r.person.id)) return [];
      seen.add(r.person.id);
      return [toRow({ name: r.person.name, personId: r.person.id, availability: 100, daysOff: 0 })];
    });
    setRows(fromRoles);
  }, [rows.length, teamPeople]);

  const members = rows.filter((r) => r.name.trim() !== "").map(toMember);
  const fromPeople = normalizedCapacity(members, workingDays);
  const others = entries.filter(
    (e) => e.iterationId !== iterationId && pi.iterations.find((i) => i.id === e.iterationId)?.kind !== "ip",
  );

  const update = (key: number, change: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const save = async () => {
    setSaving(true);
    setError(null);
    const body = {
      members,
      points: mode === "points" ? (points.trim() === "" ? null : Number(points)) : null,
    };
    const targets = [entry, ...(copy ? others : [])].filter((e): e is CapacityEntry => e !== undefined);
    let done = 0;
    try {
      for (const target of targets) {
        const members =
          target.iterationId === iterationId ? body.members : body.members.map((m) => ({ ...m, daysOff: 0 }));
        await planningApi.setCapacity(art.key, team.key, target.iterationId, {
          ...body,
          members,
          version: target.version,
        });
        done++;
      }
      const shown = mode === "points" ? body.points : fromPeople;
      showToast(
        `${team.name}: capacity ${shown === null ? "cleared" : `${shown} pts`}${done > 1 ? ` in ${done} iterations` : ""}`,
        "success",
      );
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setSaving(false);
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
    }
  };

  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldMessage(path) : undefined);
  const stale = error instanceof ApiError && error.status === 409;

  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId="capacity-editor"
      wide
      actions={
        <>
          <span className="dialog-status" aria-live="polite">
            {mode === "points"
              ? `Capacity: ${points.trim() === "" ? "none" : `${points} pts`}`
              : `Capacity: ${fromPeople} pts from ${members.length} ${members.length === 1 ? "person" : "people"}`}
          </span>
          <ApplyButtons
            onCancel={onClose}
            onApply={() => void save()}
            busy={saving}
            disabled={saving || stale}
            label="Save capacity"
            busyLabel="Saving…"
            testId="capacity-save"
          />
        </>
      }
    >
      <div className="capacity-form" data-testid="capacity-form">
        <p className="capacity-summary">
          <span>
            {workingDays} working days · {NORMALIZED_POINTS} points per full-time person per 10 days, less days off
          </span>
          <span className="capacity-velocity" data-testid="capacity-velocity" title={velocityDetail || undefined}>
            {velocity}
          </span>
        </p>
        <fieldset className="capacity-mode">
          <legend className="visually-hidden">How the capacity is set</legend>
          <label className="check-field">
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === "people"}
              onChange={() => setMode("people")}
              data-testid="capacity-mode-people"
            />
            From the team's people
          </label>
          <label className="check-field">
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === "points"}
              onChange={() => setMode("points")}
              data-testid="capacity-mode-points"
            />
            Points set directly
          </label>
        </fieldset>
        {mode === "points" ? (
          <FormField
            label="Capacity (points)"
            className="capacity-points"
            error={fieldError("points")}
            hint="The people below are kept; points set here win over them."
          >
            <Input
              type="number"
              min={0}
              step="any"
              inputMode="decimal"
              value={points}
              onChange={setPoints}
              testId="capacity-points"
            />
          </FormField>
        ) : null}
        <table className="preview-table capacity-people" data-testid="capacity-people">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col" className="num">
                Availability %
              </th>
              <th scope="col" className="num">
                Days off
              </th>
              <th scope="col" className="num">
                Points
              </th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const member = toMember(r);
              const own = r.name.trim() === "" ? 0 : normalizedCapacity([member], workingDays);
              return (
                <tr key={r.key} data-testid="capacity-person">
                  <PersonCell error={fieldError(`members.${i}.name`)}>
                    <Input
                      value={r.name}
                      aria-label={`Person ${i + 1}: name`}
                      onChange={(name) => update(r.key, { name, personId: null })}
                      testId="capacity-person-name"
                    />
                  </PersonCell>
                  <PersonCell error={fieldError(`members.${i}.availability`)} num>
                    <Input
                      type="number"
                      min={0}
                      max={100}
                      value={r.availability}
                      aria-label={`${r.name || `Person ${i + 1}`}: availability in percent`}
                      onChange={(availability) => update(r.key, { availability })}
                      testId="capacity-person-availability"
                    />
                  </PersonCell>
                  <PersonCell error={fieldError(`members.${i}.daysOff`)} num>
                    <Input
                      type="number"
                      min={0}
                      max={workingDays}
                      value={r.daysOff}
                      aria-label={`${r.name || `Person ${i + 1}`}: days off`}
                      onChange={(daysOff) => update(r.key, { daysOff })}
                      testId="capacity-person-days-off"
                    />
                  </PersonCell>
                  <td className="preview-cell num" data-testid="capacity-person-points">
                    {own}
                  </td>
                  <td className="preview-cell">
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      aria-label={`Remove ${r.name || `person ${i + 1}`}`}
                      onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <td className="preview-cell">
                <button
                  type="button"
                  className="button button-small"
                  onClick={() =>
                    setRows((rs) => [...rs, toRow({ name: "", personId: null, availability: 100, daysOff: 0 })])
                  }
                  data-testid="capacity-add-person"
                >
                  Add a person
                </button>
              </td>
              <td className="preview-cell num" colSpan={3}>
                <strong data-testid="capacity-normalized" data-value={fromPeople}>
                  Normalized capacity: {fromPeople} pts
                </strong>
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
        {others.length > 0 && (
          <label className="check-field capacity-copy">
            <input
              type="checkbox"
              checked={copy}
              onChange={(e) => setCopy(e.target.checked)}
              data-testid="capacity-copy"
            />
            Also set the same for {others.length} other {others.length === 1 ? "iteration" : "iterations"} of {pi.name}{" "}
            (without the days off)
          </label>
        )}
        {error && (
          <p className="notice notice-error" role="alert" data-testid="capacity-error">
            {stale
              ? "Someone changed this capacity since you opened it. Close and open it again to see theirs."
              : error.message}
          </p>
        )}
      </div>
    </Dialog>
  );
}

/** A cell of a person's row: its input and the server's message for it. */
function PersonCell({ error, num, children }: { error: string | undefined; num?: boolean; children: ReactNode }) {
  return (
    <td className={num ? "preview-cell num" : "preview-cell"}>
      {children}
      {error && <span className="field-error">{error}</span>}
    </td>
  );
}

/** The people to start from: this iteration's, else the latest other iteration's (without its days off). */
function startingRows(entries: readonly CapacityEntry[], iterationId: string): Row[] {
  const own = entries.find((e) => e.iterationId === iterationId);
  if (own && own.members.length > 0) return own.members.map(toRow);
  const other = [...entries].reverse().find((e) => e.members.length > 0);
  return other ? other.members.map((m) => toRow({ ...m, daysOff: 0 })) : [];
}
