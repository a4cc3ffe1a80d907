// Collaborative estimation (like planning poker) on an ART: the list of its sessions, and one session's screen — the
// items as rows and one column per estimated WSJF input. While scoring, each cell is the signed-in person's own private
// score (typed from the keyboard, as in the estimation grid) with how many have voted, and a strip shows who is done.
// After the facilitator reveals, each cell shows every score with its author, the spread, a "discuss" flag on wide
// disagreement and the median proposal; the facilitator confirms values (written to the items), starts another round
// for all or the flagged items, and closes the session. Changes by others arrive live.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../lib/api";
import {
  type ConfirmInput,
  type EstimationCell,
  type EstimationItem,
  type EstimationSessionView,
  estimationApi,
  estimationKeys,
  flaggedItems,
  proposalsToConfirm,
  spreadText,
  stateText,
  useEstimationSession,
  useEstimationSessions,
} from "../lib/estimation";
import { formatDateTime, formatRelative, LEVEL_LABELS } from "../lib/format";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import { estimationPath, itemHref, onLinkClick, wsjfPath } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art } from "../lib/types";
import { WSJF_INPUT_LABELS, WSJF_INPUTS, WSJF_SCALE, WSJF_SHORT_LABELS, type WsjfInput } from "../lib/wsjf-grid";
import { Dialog } from "./dialog";
import { StartEstimationDialog, usePeopleOfArt } from "./estimation-dialogs";
import { ScaleCell } from "./scale-picker";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const cellId = (item: string, input: WsjfInput) => `${item}:${input}`;

/** The sessions of an ART that the signed-in person may open, newest first, and starting a new one. */
export function EstimationSessionsView({ art }: { art: Art }) {
  const rights = useRights();
  const sessions = useEstimationSessions(art.key);
  const [starting, setStarting] = useState(false);
  const mayStart = WSJF_INPUTS.some((i) => rights.canScore(i, art.id));

  useEffect(() => {
    document.title = `Estimation sessions · ${art.name} · Trainyard`;
  }, [art.name]);

  const list = sessions.data ?? [];
  return (
    <section className="backlog estimation" aria-labelledby="estimation-title" data-testid="estimation-sessions">
      <header className="page-header">
        <div className="page-title">
          <h1 id="estimation-title">Estimation sessions</h1>
        </div>
        <div className="page-meta">
          {sessions.isFetching && !sessions.isLoading && <span className="spinner" title="Refreshing" />}
          <a href={wsjfPath(art.key)} onClick={onLinkClick}>
            Estimation grid
          </a>
        </div>
        {mayStart && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setStarting(true)}
            data-testid="estimation-start-open"
          >
            Estimate together…
          </button>
        )}
      </header>
      <div className="estimation-body">
        {sessions.error && (
          <p className="notice notice-error" role="alert">
            Could not load the sessions: {sessions.error.message}
          </p>
        )}
        {!sessions.isLoading && list.length === 0 && !sessions.error && (
          <p className="muted empty-line" data-testid="estimation-none">
            No estimation sessions you take part in yet.
          </p>
        )}
        {list.length > 0 && (
          <table className="data-table estimation-list" data-testid="estimation-list">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">State</th>
                <th scope="col">Estimates</th>
                <th scope="col" className="num">
                  Items
                </th>
                <th scope="col" className="num">
                  People
                </th>
                <th scope="col">Facilitator</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} data-testid="estimation-list-row" data-id={s.id} data-state={s.state}>
                  <td>
                    <a href={estimationPath(art.key, s.id)} onClick={onLinkClick} className="estimation-list-title">
                      {s.title}
                    </a>
                  </td>
                  <td>
                    <span className={`session-state session-state-${s.state}`}>{stateText(s)}</span>
                  </td>
                  <td className="muted">
                    {LEVEL_LABELS[s.level]}s · {s.inputs.map((i) => WSJF_SHORT_LABELS[i]).join(", ")}
                  </td>
                  <td className="num">{s.itemCount}</td>
                  <td className="num">{s.participantCount}</td>
                  <td>{s.facilitator.name}</td>
                  <td className="muted" title={formatDateTime(s.createdAt)}>
                    {formatRelative(s.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {starting && <StartEstimationDialog art={art} level="feature" onClose={() => setStarting(false)} />}
    </section>
  );
}

/** One session, as the signed-in person sees it. */
export function EstimationSessionScreen({ art, sessionId }: { art: Art; sessionId: string }) {
  const client = useQueryClient();
  const query = useEstimationSession(sessionId);
  const key = estimationKeys.session(sessionId);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, number | null>>(new Map());
  const [busy, setBusy] = useState<string | null>(null);
  const [column, setColumn] = useState<WsjfInput | null>(null);
  const [closing, setClosing] = useState(false);
  const cells = useRef(new Map<string, HTMLDivElement>());
  const chain = useRef<Promise<void>>(Promise.resolve());

  const session = query.data;
  useEffect(() => {
    document.title = `${session ? `${session.title} · ` : ""}Estimation · ${art.name} · Trainyard`;
  }, [art.name, session]);

  const settle = useCallback(
    (view: EstimationSessionView) => {
      client.setQueryData(key, view);
      void client.invalidateQueries({ queryKey: estimationKeys.list(art.key) });
    },
    [client, key, art.key],
  );

  /** When the session moved on meanwhile (revealed, closed), say so and read it again. */
  const failed = useCallback(
    (what: string, err: unknown) => {
      showToast(`${what}: ${errorText(err)}`, "error");
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        void client.invalidateQueries({ queryKey: key });
      }
    },
    [client, key],
  );

  /** Saves one's own score for a cell: shown at once, sent after any earlier one, the answer replaces the session. */
  const score = useCallback(
    (item: EstimationItem, input: WsjfInput, value: number | null) => {
      const id = cellId(item.id, input);
      setOverrides((m) => new Map(m).set(id, value));
      chain.current = chain.current.then(async () => {
        try {
          settle(await estimationApi.score(sessionId, [{ item: item.id, input, value }]));
        } catch (err) {
          failed(`Could not save your ${WSJF_INPUT_LABELS[input].toLowerCase()} score for ${item.key}`, err);
        } finally {
          setOverrides((m) => {
            if (m.get(id) !== value) return m;
            const rest = new Map(m);
            rest.delete(id);
            return rest;
          });
        }
      });
    },
    [sessionId, settle, failed],
  );

  /** Runs one of the facilitator's actions; its answer is the session as it is now. */
  const act = async (name: string, run: () => Promise<EstimationSessionView>, done?: string) => {
    setBusy(name);
    try {
      const view = await run();
      settle(view);
      if (done) showToast(done, "success");
      return view;
    } catch (err) {
      failed(`Could not ${name}`, err);
      return null;
    } finally {
      setBusy(null);
    }
  };

  const confirm = async (values: ConfirmInput[], what: string) => {
    const view = await act("confirm", () => estimationApi.confirm(sessionId, values), what);
    // Confirmed values are written to the items: the grid and the backlogs show them.
    void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
    void client.invalidateQueries({ queryKey: queryKeys.items });
    return view;
  };

  if (query.error && !session) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <main className="message-page" data-testid="estimation-missing">
        <h1>{missing ? "Not found" : "Could not load the session"}</h1>
        <p>{missing ? "There is no such session, or you are not part of it." : query.error.message}</p>
        <a className="button" href={estimationPath(art.key)} onClick={onLinkClick}>
          All sessions
        </a>
      </main>
    );
  }
  if (!session) return <div className="splash" aria-busy="true" />;

  const facilitator = session.you.facilitator;
  const scoring = session.state === "scoring";
  const revealed = session.state === "revealed";
  const open = session.state !== "closed";
  const mayScore = scoring && session.you.participant;
  const toConfirm = proposalsToConfirm(session);
  const flagged = flaggedItems(session);
  const activeColumn = column ?? session.inputs[0] ?? "businessValue";
  const totalCells = session.items.length * session.inputs.length;

  const focusCell = (index: number, input: WsjfInput): boolean => {
    const item = session.items[index];
    const el = item ? cells.current.get(cellId(item.id, input)) : undefined;
    if (!el) return false;
    el.focus();
    el.scrollIntoView({ block: "nearest" });
    return true;
  };

  return (
    <section
      className="backlog estimation estimation-session"
      aria-labelledby="estimation-session-title"
      data-testid="estimation-session"
      data-state={session.state}
      data-round={session.round}
    >
      <header className="page-header">
        <div className="page-title">
          <a className="session-crumb" href={estimationPath(art.key)} onClick={onLinkClick}>
            Estimation sessions
          </a>
          <span className="session-crumb-sep" aria-hidden="true">
            /
          </span>
          <h1 id="estimation-session-title" data-testid="estimation-session-title">
            {session.title}
          </h1>
          <span
            className={`session-state session-state-${session.state}`}
            data-testid="estimation-state"
            data-state={session.state}
          >
            {stateText(session)}
          </span>
        </div>
        <div className="page-meta">
          {query.isFetching && <span className="spinner" title="Refreshing" />}
          <span>
            {session.items.length} {LEVEL_LABELS[session.level].toLowerCase()}
            {session.items.length === 1 ? "" : "s"} · facilitated by {session.facilitator.name}
          </span>
        </div>
        {facilitator && open && (
          <div className="estimation-actions" role="toolbar" aria-label="Facilitator">
            {scoring && (
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null}
                onClick={() => void act("reveal", () => estimationApi.reveal(sessionId), "Scores revealed")}
                data-testid="estimation-reveal"
              >
                Reveal scores
              </button>
            )}
            {revealed && (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null || flagged.length === 0}
                  title="Another round for the items flagged for discussion"
                  onClick={() =>
                    void act(
                      "start another round",
                      () =>
                        estimationApi.revote(
                          sessionId,
                          flagged.map((i) => i.id),
                        ),
                      `Round ${session.round + 1}: ${flagged.length} flagged ${flagged.length === 1 ? "item" : "items"}`,
                    )
                  }
                  data-testid="estimation-revote-flagged"
                >
                  Revote flagged ({flagged.length})
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  title="Another round for every item (confirmed values stay)"
                  onClick={() =>
                    void act(
                      "start another round",
                      () => estimationApi.revote(sessionId),
                      `Round ${session.round + 1} started`,
                    )
                  }
                  data-testid="estimation-revote-all"
                >
                  Revote all
                </button>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={busy !== null || toConfirm.length === 0}
                  onClick={() =>
                    void confirm(
                      toConfirm,
                      `${toConfirm.length} ${toConfirm.length === 1 ? "proposal" : "proposals"} confirmed`,
                    )
                  }
                  data-testid="estimation-confirm-all"
                >
                  Confirm all proposals ({toConfirm.length})
                </button>
              </>
            )}
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => setClosing(true)}
              data-testid="estimation-close"
            >
              Close session
            </button>
          </div>
        )}
      </header>

      <div className="estimation-bar">
        <ul className="participants" aria-label="Participants" data-testid="estimation-participants-strip">
          {session.participants.map((p) => (
            <li
              key={p.id}
              className={`participant ${p.done ? "is-done" : ""}`}
              data-testid="estimation-participant"
              data-person={p.id}
              data-done={p.done}
              data-scored={p.scored}
              aria-label={`${p.name}${p.id === session.facilitator.id ? " (facilitator)" : ""}: ${p.done ? "done" : `${p.scored} of ${totalCells} scored`}`}
            >
              <span className="participant-check" aria-hidden="true">
                {p.done ? "✓" : ""}
              </span>
              <span className="participant-name">{p.name}</span>
              {!p.done && (
                <span className="participant-count muted" aria-hidden="true">
                  {p.scored}/{totalCells}
                </span>
              )}
              {facilitator && open && p.id !== session.facilitator.id && (
                <button
                  type="button"
                  className="participant-remove"
                  disabled={busy !== null}
                  aria-label={`Remove ${p.name} from the session`}
                  title="Remove from the session (their scores go)"
                  onClick={() =>
                    void act("remove a participant", () => estimationApi.remove(sessionId, p.id), `${p.name} removed`)
                  }
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        {facilitator && open && (
          <InvitePicker
            art={art}
            session={session}
            busy={busy !== null}
            onInvite={(person) =>
              void act("invite", () => estimationApi.invite(sessionId, person.id), `${person.name} invited`)
            }
          />
        )}
        {mayScore && (
          <span className="hint">
            Your scores are private until the facilitator reveals them. Type <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd>{" "}
            <kbd>5</kbd> <kbd>8</kbd> <kbd>13</kbd> <kbd>20</kbd> or <kbd>←</kbd>
            <kbd>→</kbd>, <kbd>Delete</kbd> withdraws, <kbd>Tab</kbd>/<kbd>↓</kbd> next row
          </span>
        )}
        {scoring && !session.you.participant && (
          <span className="hint">You are not a participant: you see who has voted, not the scores.</span>
        )}
      </div>

      <div className="grid wsjf-grid-scroll estimation-scroll">
        <table className="wsjf-grid estimation-grid" data-testid="estimation-grid">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Title</th>
              {session.inputs.map((i) => (
                <th
                  key={i}
                  scope="col"
                  className={`estimation-col ${mayScore && activeColumn === i ? "is-active" : ""}`}
                  title={WSJF_INPUT_LABELS[i]}
                >
                  {WSJF_INPUT_LABELS[i]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {session.items.map((item, index) => (
              <tr key={item.id} data-testid="estimation-row" data-key={item.key}>
                <td>
                  <a className="key" href={itemHref(item.key)} onClick={onLinkClick}>
                    {item.key}
                  </a>
                </td>
                <td className="wsjf-title" title={item.title}>
                  {item.title}
                </td>
                {session.inputs.map((input) => {
                  const cell = item.cells[input];
                  const id = cellId(item.id, input);
                  return (
                    <td
                      key={input}
                      className={`estimation-cell ${mayScore && activeColumn === input ? "is-active" : ""} ${cell?.wideDisagreement && !cell.confirmed ? "is-flagged" : ""}`}
                      data-testid={`estimation-cell-${input}`}
                      data-votes={cell?.votes ?? 0}
                      data-confirmed={cell?.confirmed?.value ?? ""}
                    >
                      {cell && (
                        <CellBody
                          session={session}
                          item={item}
                          input={input}
                          cell={cell}
                          yours={overrides.has(id) ? (overrides.get(id) ?? null) : cell.yours}
                          saving={overrides.has(id)}
                          mayScore={mayScore}
                          tabbable={activeColumn === input}
                          busy={busy !== null}
                          onScore={(v) => score(item, input, v)}
                          onMove={(step) => focusCell(index + step, input)}
                          onFocus={() => setColumn(input)}
                          cellRef={(el) => {
                            if (el) cells.current.set(id, el);
                            else cells.current.delete(id);
                          }}
                          onConfirm={(value) =>
                            void confirm(
                              [{ item: item.id, input, value, version: item.version }],
                              `${WSJF_INPUT_LABELS[input]} of ${item.key} confirmed: ${value}`,
                            )
                          }
                        />
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {closing && (
        <Dialog
          title="Close the session"
          onClose={() => setClosing(false)}
          testId="estimation-close-dialog"
          actions={
            <>
              <button type="button" className="button" onClick={() => setClosing(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null}
                onClick={() =>
                  void act("close the session", () => estimationApi.close(sessionId), "Session closed").then(() =>
                    setClosing(false),
                  )
                }
                data-testid="estimation-close-confirm"
              >
                Close session
              </button>
            </>
          }
        >
          <p>
            {toConfirm.length > 0
              ? `${toConfirm.length} ${toConfirm.length === 1 ? "proposal is" : "proposals are"} not confirmed and will not be written to the items. `
              : ""}
            Once closed, nobody scores or confirms in this session any more; everyone can still open it.
          </p>
        </Dialog>
      )}
    </section>
  );
}

interface CellBodyProps {
  session: EstimationSessionView;
  item: EstimationItem;
  input: WsjfInput;
  cell: EstimationCell;
  /** One's own score, with a change not yet saved laid over it. */
  yours: number | null;
  saving: boolean;
  mayScore: boolean;
  tabbable: boolean;
  busy: boolean;
  onScore: (value: number | null) => void;
  onMove: (step: 1 | -1) => boolean;
  onFocus: () => void;
  cellRef: (el: HTMLDivElement | null) => void;
  onConfirm: (value: number) => void;
}

/** What one cell shows in the session's state: one's own score and the votes, the revealed scores, the confirmation. */
function CellBody(props: CellBodyProps) {
  const { session, item, input, cell } = props;
  const label = `${WSJF_INPUT_LABELS[input]} of ${item.key}`;
  const now = item.current[input];
  const votes = (
    <span
      className="votes"
      data-testid="estimation-votes"
      title={`${cell.votes} of ${session.participants.length} voted`}
    >
      {cell.votes} {cell.votes === 1 ? "vote" : "votes"}
    </span>
  );

  if (cell.confirmed) {
    return (
      <div className="estimation-confirmed" data-testid="estimation-confirmed">
        <strong>
          <span aria-hidden="true">✓ </span>
          <span className="visually-hidden">Confirmed: </span>
          {cell.confirmed.value}
        </strong>
        <span className="muted" title={formatDateTime(cell.confirmed.at)}>
          by {cell.confirmed.by.name} · {formatRelative(cell.confirmed.at)}
        </span>
      </div>
    );
  }

  if (session.state === "scoring") {
    return (
      <div className="estimation-scoring">
        {props.mayScore ? (
          <ScaleCell
            value={props.yours}
            label={`Your score: ${label}`}
            disabled={false}
            saving={props.saving}
            tabbable={props.tabbable}
            onCommit={props.onScore}
            onMove={props.onMove}
            onFocus={props.onFocus}
            cellRef={props.cellRef}
            testId="estimation-yours"
          />
        ) : null}
        {votes}
        {now !== null && (
          <span className="estimation-now muted" title="The item's value now">
            now {now}
          </span>
        )}
      </div>
    );
  }

  const scores = cell.scores ?? [];
  return (
    <div className="estimation-revealed">
      {scores.length === 0 ? (
        <span className="muted">no votes</span>
      ) : (
        <ul className="score-chips" aria-label={`Scores: ${label}`}>
          {scores.map((s) => (
            <li
              key={s.id}
              className="score-chip"
              data-testid="estimation-score"
              data-person={s.id}
              data-value={s.value}
            >
              <span className="score-chip-name">{s.name}</span> <strong>{s.value}</strong>
            </li>
          ))}
        </ul>
      )}
      <div className="estimation-summary">
        {cell.spread && (
          <span className="muted" data-testid="estimation-spread">
            {spreadText(cell.spread)}
          </span>
        )}
        {cell.wideDisagreement && (
          <span
            className="discuss"
            data-testid="estimation-discuss"
            title="Wide disagreement: talk it over, then revote or confirm"
          >
            discuss
          </span>
        )}
        {cell.proposal !== null && (
          <span className="proposal" data-testid="estimation-proposal" data-value={cell.proposal}>
            proposal <strong>{cell.proposal}</strong>
          </span>
        )}
        {now !== null && (
          <span className="estimation-now muted" title="The item's value now">
            now {now}
          </span>
        )}
      </div>
      {session.you.facilitator && session.state === "revealed" && (
        <ConfirmControl label={label} proposal={cell.proposal} busy={props.busy} onConfirm={props.onConfirm} />
      )}
    </div>
  );
}

/** The facilitator inviting someone else with a role on the ART into a running session. */
function InvitePicker(props: {
  art: Art;
  session: EstimationSessionView;
  busy: boolean;
  onInvite: (person: { id: string; name: string }) => void;
}) {
  const [opened, setOpened] = useState(false);
  const people = usePeopleOfArt(props.art.key, opened);
  const taking = new Set(props.session.participants.map((p) => p.id));
  const candidates = (people.data ?? []).filter((p) => !taking.has(p.id));
  if (!opened) {
    return (
      <button
        type="button"
        className="button button-small"
        onClick={() => setOpened(true)}
        data-testid="estimation-invite-open"
      >
        Invite…
      </button>
    );
  }
  return (
    <select
      className="input confirm-select"
      value=""
      disabled={props.busy || people.isLoading}
      aria-label="Invite someone to the session"
      data-testid="estimation-invite"
      onChange={(e) => {
        const person = candidates.find((p) => p.id === e.target.value);
        if (person) props.onInvite(person);
        setOpened(false);
      }}
    >
      <option value="">
        {people.isLoading ? "Loading…" : candidates.length ? "Invite…" : "Nobody else to invite"}
      </option>
      {candidates.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.roles.join(", ")})
        </option>
      ))}
    </select>
  );
}

/** The facilitator's confirmation of one cell: the proposal, or another value on the scale. */
function ConfirmControl(props: {
  label: string;
  proposal: number | null;
  busy: boolean;
  onConfirm: (value: number) => void;
}) {
  const [value, setValue] = useState<number | null>(props.proposal);
  useEffect(() => setValue(props.proposal), [props.proposal]);
  return (
    <div className="confirm-control">
      <select
        className="input confirm-select"
        value={value ?? ""}
        onChange={(e) => setValue(e.target.value === "" ? null : Number(e.target.value))}
        aria-label={`Value to confirm: ${props.label}`}
        data-testid="estimation-confirm-value"
      >
        <option value="">–</option>
        {WSJF_SCALE.map((v) => (
          <option key={v} value={v}>
            {v}
            {v === props.proposal ? " (proposal)" : ""}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button-small"
        disabled={props.busy || value === null}
        onClick={() => value !== null && props.onConfirm(value)}
        aria-label={`Confirm ${props.label}`}
        data-testid="estimation-confirm"
      >
        Confirm
      </button>
    </div>
  );
}
