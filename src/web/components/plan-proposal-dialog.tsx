// A proposed plan for the PI (by feature WSJF or by rank), to review before anything moves: the stories it would move,
// grouped by team (from → to, and why — on hover or focus, and in full when a row is expanded), chosen all at once or
// one by one; the stories it could not place and why; each iteration's load before and after the chosen moves; and
// the allocation it would give. Accepting sends the chosen moves in one transaction; when a story changed since the
// proposal, nothing moves and the dialog offers to propose again.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { ApiError } from "../lib/api";
import {
  loadText,
  loadWithMoves,
  movesByTeam,
  overloadText,
  type PlanProposal,
  type ProposalOrder,
  type ProposedMove,
  percent,
  planningApi,
  planningKeys,
  WORK_KIND_LABELS,
} from "../lib/planning";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import { showToast } from "../lib/toasts";
import type { Art, ProgramIncrement, Team } from "../lib/types";
import { Dialog } from "./dialog";

const NO_MOVES: ProposedMove[] = [];

export function PlanProposalDialog(props: { art: Art; pi: ProgramIncrement; team: Team | null; onClose: () => void }) {
  const { art, pi, team, onClose } = props;
  const client = useQueryClient();
  const rights = useRights();
  const [order, setOrder] = useState<ProposalOrder>("wsjf");
  const key = planningKeys.proposal(art.key, pi.id, order, team?.key ?? null);
  const proposal = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => planningApi.proposal(art.key, pi.id, order, team?.key ?? null, signal),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
  const data = proposal.data;
  const moves = data?.moves ?? NO_MOVES;
  const mayMove = useMemo(
    () => new Set(art.teams.filter((t) => rights.can("edit_story", art.id, t.id)).map((t) => t.id)),
    [art, rights],
  );
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [accepting, setAccepting] = useState(false);
  const [failure, setFailure] = useState<{ stale: boolean; message: string } | null>(null);

  // A new proposal: every move the person may make is chosen.
  useEffect(() => {
    setChosen(new Set(moves.filter((m) => mayMove.has(m.item.teamId)).map((m) => m.item.id)));
  }, [moves, mayMove]);

  const choosable = moves.filter((m) => mayMove.has(m.item.teamId));
  const groups = movesByTeam(moves, art.teams);
  const loads = data ? loadWithMoves(data.load, moves, chosen) : [];

  const toggle = (ids: readonly string[], on: boolean) =>
    setChosen((c) => {
      const next = new Set(c);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const propose = () => {
    setFailure(null);
    void client.invalidateQueries({ queryKey: key });
  };

  const accept = async () => {
    setAccepting(true);
    setFailure(null);
    const picked = moves.filter((m) => chosen.has(m.item.id));
    try {
      const result = await planningApi.accept(
        art.key,
        pi.id,
        picked.map((m) => ({ item: m.item.id, iteration: m.to?.id ?? null, version: m.item.version })),
      );
      const n = result.items.length;
      showToast(`Plan accepted: ${n} ${n === 1 ? "story" : "stories"} moved`, "success");
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setFailure({
          stale: true,
          message: `${err.message} Nothing was moved: the plan changed since it was proposed. Propose again to see a plan for the stories as they are now.`,
        });
      } else {
        setFailure({ stale: false, message: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      setAccepting(false);
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
      void client.invalidateQueries({ queryKey: queryKeys.items });
    }
  };

  const count = chosen.size;
  return (
    <Dialog
      title={`Proposed plan for ${pi.name}${team ? ` · ${team.name}` : ""}`}
      onClose={onClose}
      testId="plan-proposal"
      wide
      actions={
        <>
          <span className="dialog-status" aria-live="polite" data-testid="proposal-status">
            {data ? `${count} of ${moves.length} moves chosen` : ""}
          </span>
          <button type="button" className="button" onClick={onClose} disabled={accepting}>
            Cancel
          </button>
          {failure?.stale ? (
            <button type="button" className="button button-primary" onClick={propose} data-testid="proposal-again">
              Propose again
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary"
              onClick={() => void accept()}
              disabled={!data || accepting || count === 0 || proposal.isFetching}
              data-testid="proposal-accept"
            >
              {accepting ? "Accepting…" : `Accept ${count} ${count === 1 ? "move" : "moves"}`}
            </button>
          )}
        </>
      }
    >
      <div className="proposal-toolbar">
        <fieldset className="segmented segmented-buttons proposal-order">
          <legend className="visually-hidden">Order of the proposal</legend>
          {(["wsjf", "rank"] as const).map((o) => (
            <label key={o} className={`segment ${order === o ? "is-active" : ""}`}>
              <input
                type="radio"
                className="visually-hidden"
                name="proposal-order"
                checked={order === o}
                onChange={() => setOrder(o)}
                data-testid={`proposal-order-${o}`}
              />
              {o === "wsjf" ? "By feature WSJF" : "By rank"}
            </label>
          ))}
        </fieldset>
        {proposal.isFetching && <span className="spinner" title="Proposing" />}
        {data && (
          <span className="muted" data-testid="proposal-summary">
            {moves.length} {moves.length === 1 ? "move" : "moves"}, {data.kept} kept where they are,{" "}
            {data.unplaced.length} not placed
          </span>
        )}
      </div>
      {failure && (
        <p className="notice notice-error" role="alert" data-testid="proposal-error">
          {failure.message}
        </p>
      )}
      {proposal.isError && (
        <p className="notice notice-error" role="alert">
          Could not propose a plan: {proposal.error.message}
        </p>
      )}
      {proposal.isLoading && (
        <p className="muted" aria-busy="true">
          Proposing a plan…
        </p>
      )}
      {data && (
        <>
          {moves.length === 0 ? (
            <p className="muted" data-testid="proposal-empty">
              Nothing to move: the plan already fits.
            </p>
          ) : (
            <>
              <div className="check-field proposal-all">
                <TriStateBox
                  checked={choosable.length > 0 && choosable.every((m) => chosen.has(m.item.id))}
                  mixed={choosable.some((m) => chosen.has(m.item.id)) && !choosable.every((m) => chosen.has(m.item.id))}
                  onChange={(on) =>
                    toggle(
                      choosable.map((m) => m.item.id),
                      on,
                    )
                  }
                  testId="proposal-all"
                  id="proposal-all"
                />
                <label htmlFor="proposal-all">Accept all moves</label>
              </div>
              {groups.map((g) => (
                <TeamMoves
                  key={g.team.id}
                  team={g.team}
                  moves={g.moves}
                  chosen={chosen}
                  mayMove={mayMove.has(g.team.id)}
                  onToggle={toggle}
                />
              ))}
            </>
          )}
          <Unplaced data={data} art={art} />
          <LoadTable data={data} loads={loads} art={art} pi={pi} />
          {data.allocation.length > 0 && (
            <section className="proposal-section" aria-label="Allocation after the proposal">
              <h3>Allocation if all moves are accepted</h3>
              <ul className="plan-shares">
                {data.allocation.map((s) => (
                  <li key={s.kind} className={`plan-share ${s.over ? "is-over" : ""}`}>
                    <span className="plan-share-label">{WORK_KIND_LABELS[s.kind]}</span>
                    <span className="plan-share-figures">
                      {s.points} pts · {percent(s.share)}
                      {s.policyShare !== null && <> · policy {percent(s.policyShare)}</>}
                    </span>
                    {s.over && <strong className="plan-over-flag">Over the policy</strong>}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </Dialog>
  );
}

/** A checkbox that can show "some" (indeterminate). */
function TriStateBox(props: {
  checked: boolean;
  mixed: boolean;
  onChange: (on: boolean) => void;
  testId?: string;
  label?: string;
  disabled?: boolean;
  id?: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = props.mixed;
  }, [props.mixed]);
  return (
    <input
      ref={ref}
      id={props.id}
      type="checkbox"
      checked={props.checked}
      disabled={props.disabled}
      aria-label={props.label}
      aria-checked={props.mixed ? "mixed" : props.checked}
      onChange={(e) => props.onChange(e.target.checked)}
      data-testid={props.testId}
    />
  );
}

function TeamMoves(props: {
  team: { id: string; key: string; name: string };
  moves: ProposedMove[];
  chosen: ReadonlySet<string>;
  mayMove: boolean;
  onToggle: (ids: readonly string[], on: boolean) => void;
}) {
  const { team, moves, chosen, mayMove, onToggle } = props;
  const ids = moves.map((m) => m.item.id);
  const all = ids.every((id) => chosen.has(id));
  const some = ids.some((id) => chosen.has(id));
  return (
    <section className="proposal-section" aria-labelledby={`proposal-team-${team.id}`} data-testid="proposal-team">
      <h3 id={`proposal-team-${team.id}`} className="proposal-team-head">
        <TriStateBox
          checked={all}
          mixed={some && !all}
          disabled={!mayMove}
          onChange={(on) => onToggle(ids, on)}
          label={`Accept all moves of ${team.name}`}
        />
        {team.name}
        <span className="muted">
          {moves.length} {moves.length === 1 ? "move" : "moves"}
        </span>
        {!mayMove && <span className="hint">You may not plan this team's stories.</span>}
      </h3>
      <table className="preview-table proposal-moves">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Accept</span>
            </th>
            <th scope="col">Story</th>
            <th scope="col" className="num">
              Points
            </th>
            <th scope="col">Move</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {moves.map((m) => (
            <MoveRow
              key={m.item.id}
              move={m}
              chosen={chosen.has(m.item.id)}
              mayMove={mayMove}
              onToggle={(on) => onToggle([m.item.id], on)}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MoveRow(props: { move: ProposedMove; chosen: boolean; mayMove: boolean; onToggle: (on: boolean) => void }) {
  const { move, chosen, mayMove, onToggle } = props;
  const [open, setOpen] = useState(false);
  const tip = useId();
  const from = move.from?.name ?? "Unplanned";
  const to = move.to?.name ?? "Unplanned";
  return (
    <>
      <tr
        className={chosen ? "is-chosen" : ""}
        data-testid="proposal-move"
        data-key={move.item.key}
        data-to={move.to?.id ?? ""}
      >
        <td className="preview-cell">
          <input
            type="checkbox"
            checked={chosen}
            disabled={!mayMove}
            onChange={(e) => onToggle(e.target.checked)}
            aria-label={`Accept moving ${move.item.key} from ${from} to ${to}`}
            data-testid="proposal-move-check"
          />
        </td>
        <td className="preview-cell preview-title">
          <span className="key">{move.item.key}</span> {move.item.title}
        </td>
        <td className="preview-cell num">{move.item.points ?? "?"}</td>
        <td className="preview-cell proposal-fromto">
          {from} → <strong>{to}</strong>
        </td>
        <td className="preview-cell">
          <span className="reason-wrap">
            <button
              type="button"
              className="button button-ghost button-small reason-button"
              aria-expanded={open}
              aria-describedby={tip}
              onClick={() => setOpen((o) => !o)}
              data-testid="proposal-reason-toggle"
            >
              Why?
            </button>
            <span role="tooltip" id={tip} className="reason-tip">
              {move.reason}
            </span>
          </span>
        </td>
      </tr>
      {open && (
        <tr className="reason-row">
          <td />
          <td className="preview-cell" colSpan={4} data-testid="proposal-reason">
            {move.reason}
          </td>
        </tr>
      )}
    </>
  );
}

function Unplaced({ data, art }: { data: PlanProposal; art: Art }) {
  if (data.unplaced.length === 0) return null;
  const teamName = new Map(art.teams.map((t) => [t.id, t.name]));
  return (
    <section className="proposal-section" aria-labelledby="proposal-unplaced" data-testid="proposal-unplaced">
      <h3 id="proposal-unplaced">Not placed ({data.unplaced.length})</h3>
      <ul className="proposal-unplaced-list">
        {data.unplaced.map((u) => (
          <li key={u.item.id} data-testid="proposal-unplaced-item" data-key={u.item.key}>
            <span className="key">{u.item.key}</span> {u.item.title}{" "}
            <span className="muted">
              ({teamName.get(u.item.teamId) ?? "no team"}, {u.item.points ?? "unestimated"}
              {u.item.points !== null ? " pts" : ""})
            </span>
            <span className="proposal-unplaced-reason">{u.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function LoadTable(props: {
  data: PlanProposal;
  loads: ReturnType<typeof loadWithMoves>;
  art: Art;
  pi: ProgramIncrement;
}) {
  const { loads, art, pi } = props;
  if (loads.length === 0) return null;
  const teamName = new Map(art.teams.map((t) => [t.id, t.name]));
  const iterationName = new Map(pi.iterations.map((i) => [i.id, i.name]));
  const order = new Map(pi.iterations.map((i) => [i.id, i.number]));
  const rows = [...loads].sort(
    (a, b) =>
      (teamName.get(a.teamId) ?? "").localeCompare(teamName.get(b.teamId) ?? "") ||
      (order.get(a.iterationId) ?? 0) - (order.get(b.iterationId) ?? 0),
  );
  return (
    <section className="proposal-section" aria-labelledby="proposal-load">
      <h3 id="proposal-load">Load before and after</h3>
      <table className="preview-table proposal-load" data-testid="proposal-load">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Iteration</th>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col" className="num">
              With the chosen moves
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => {
            const over = overloadText(l.chosen, l.capacity);
            return (
              <tr
                key={`${l.teamId}/${l.iterationId}`}
                className={over ? "is-over" : ""}
                data-testid="proposal-load-row"
                data-team={l.teamId}
                data-iteration={l.iterationId}
                data-after={l.chosen}
              >
                <td className="preview-cell">{teamName.get(l.teamId) ?? l.teamId}</td>
                <td className="preview-cell">{iterationName.get(l.iterationId) ?? l.iterationId}</td>
                <td className="preview-cell num">{loadText(l.before, l.capacity)}</td>
                <td className="preview-cell num">
                  {loadText(l.chosen, l.capacity)}
                  {over && <span className="plan-over-flag"> {over}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
