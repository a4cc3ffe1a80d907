// The Plan screen of an ART (`/arts/{art}/plan?pi=&team=`): for one PI, each team's iterations side by side with an
// Unplanned column, its stories as cards dragged between them (dnd-kit: by mouse, or from the keyboard — pick a card
// up with Space and move it with the arrow keys, or press Alt+Left/Right on a card), each iteration's load against
// the team's capacity (set in the capacity editor), the PI's capacity allocation against its policy, PI settings, and
// a proposed plan to review and accept. A drop shows at once and is sent as an item edit on the card's version; a
// conflict or a refusal puts it back and says why. Item changes and planning changes by others refresh the screen.
import {
  type Announcements,
  type CollisionDetection,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { useQueryClient } from "@tanstack/react-query";
import {
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useState,
} from "react";
import { ApiError } from "../lib/api";
import {
  columnLoad,
  currentPi,
  dropChanges,
  fillOf,
  loadText,
  moveCard,
  overloadText,
  type PlanCard,
  type PlanColumn,
  type PlanView as PlanData,
  percent,
  planningApi,
  planningKeys,
  type TeamPlan,
  todayIso,
  usePlan,
  velocityText,
  WORK_KIND_LABELS,
  withVersion,
} from "../lib/planning";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick, setSearch, useLocation } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, Iteration, ProgramIncrement, Team } from "../lib/types";
import { BlockedBadge } from "./badges";
import { CapacityEditor } from "./capacity-editor";
import { GripIcon } from "./icons";
import { PiSettings } from "./pi-settings";
import { PlanProposalDialog } from "./plan-proposal-dialog";

const UNPLANNED = "unplanned";
/** A column's drop id: the team and the iteration (or the unplanned stories). */
const columnId = (teamId: string, iterationId: string | null) => `${teamId}:${iterationId ?? UNPLANNED}`;
const iterationOfColumn = (id: string): string | null => {
  const iteration = id.slice(id.indexOf(":") + 1);
  return iteration === UNPLANNED ? null : iteration;
};

const KEYBOARD_INSTRUCTIONS =
  "To move a story, press Space to pick it up, Left or Right to choose an iteration, and Space to drop it (Escape " +
  "cancels). Alt+Left and Alt+Right on a card move it one column at once.";

type Open =
  | { kind: "capacity"; team: Team; iterationId: string }
  | { kind: "settings"; section: "pi" | "create" }
  | { kind: "propose" }
  | null;

const shortDate = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

export function PlanView({ art }: { art: Art }) {
  const { search } = useLocation();
  const rights = useRights();
  const teams = useMemo(() => art.teams.filter((t) => rights.canSee(art.id, t.id)), [art, rights]);
  const piRef = search.get("pi");
  const pis = useMemo(() => [...art.pis].sort((a, b) => a.startDate.localeCompare(b.startDate)), [art.pis]);
  const pi = piRef ? (pis.find((p) => p.id === piRef || p.name === piRef) ?? null) : currentPi(pis, todayIso());
  const teamRef = search.get("team");
  const team = teamRef ? (teams.find((t) => t.key === teamRef || t.id === teamRef) ?? null) : null;
  const plan = usePlan(art.key, pi?.id ?? null, team?.key ?? null);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    document.title = `Plan${pi ? ` ${pi.name}` : ""}${team ? ` · ${team.name}` : ""} · ${art.name} · Trainyard`;
  }, [art.name, pi, team]);

  const mayConfigure = rights.can("configure_train", art.id);
  const mayAllocate = rights.can("edit_program", art.id);
  const mayPropose = teams.some((t) => rights.can("edit_story", art.id, t.id));
  const data = plan.data;
  const shownPi: ProgramIncrement | null = data?.pi ?? pi;

  return (
    <section className="backlog plan-screen" aria-labelledby="plan-title" data-testid="plan-screen">
      <header className="page-header plan-header">
        <div className="page-title">
          <h1 id="plan-title">Plan</h1>
          {plan.isFetching && !plan.isLoading && <span className="spinner" title="Refreshing" />}
        </div>
        <label className="plan-picker">
          <span>PI</span>
          <select
            className="input"
            value={pi?.id ?? ""}
            onChange={(e) => setSearch({ pi: e.target.value || null })}
            disabled={pis.length === 0}
            data-testid="plan-pi"
          >
            {pis.length === 0 && <option value="">No PI yet</option>}
            {pis.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({shortDate(p.startDate)} – {shortDate(p.endDate)})
              </option>
            ))}
          </select>
        </label>
        <label className="plan-picker">
          <span>Team</span>
          <select
            className="input"
            value={team?.key ?? ""}
            onChange={(e) => setSearch({ team: e.target.value || null })}
            data-testid="plan-team"
          >
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t.id} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <div className="page-meta plan-actions">
          {(mayConfigure || mayAllocate || pi) && (
            <button
              type="button"
              className="button"
              onClick={() => setOpen({ kind: "settings", section: pi ? "pi" : "create" })}
              data-testid="plan-settings"
            >
              {pi ? "PI settings" : "Create a PI"}
            </button>
          )}
          {mayPropose && pi && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setOpen({ kind: "propose" })}
              disabled={!data}
              data-testid="plan-propose"
            >
              Propose plan
            </button>
          )}
        </div>
      </header>
      {teamRef && !team ? (
        <p className="notice notice-error plan-notice" role="alert">
          {art.name} has no team {teamRef}, or you have no role on it.
        </p>
      ) : !pi ? (
        <div className="plan-empty" data-testid="plan-no-pi">
          <p>{art.name} has no program increment yet.</p>
          {mayConfigure && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setOpen({ kind: "settings", section: "create" })}
            >
              Create a PI
            </button>
          )}
        </div>
      ) : plan.isError ? (
        <p className="notice notice-error plan-notice" role="alert">
          Could not load the plan: {plan.error.message}
        </p>
      ) : !data ? (
        <p className="muted plan-notice" aria-busy="true">
          Loading the plan of {pi.name}…
        </p>
      ) : (
        <div className="plan-body">
          <AllocationPanel
            data={data}
            onEdit={mayAllocate ? () => setOpen({ kind: "settings", section: "pi" }) : null}
          />
          {data.teams.length === 0 && <p className="muted">No team to plan.</p>}
          {data.teams.map((t) => (
            <TeamRow
              key={t.teamId}
              art={art}
              data={data}
              teamPlan={t}
              mayMove={rights.can("edit_story", art.id, t.teamId)}
              mayEditCapacity={rights.can("plan_pi", art.id, t.teamId)}
              onEditCapacity={(iterationId) => {
                const which = art.teams.find((x) => x.id === t.teamId);
                if (which) setOpen({ kind: "capacity", team: which, iterationId });
              }}
              planTeam={team?.key ?? null}
            />
          ))}
        </div>
      )}
      {open?.kind === "capacity" && shownPi && (
        <CapacityEditor
          art={art}
          pi={shownPi}
          team={open.team}
          iterationId={open.iterationId}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === "settings" && (
        <PiSettings art={art} pi={shownPi} initial={open.section} onClose={() => setOpen(null)} />
      )}
      {open?.kind === "propose" && shownPi && (
        <PlanProposalDialog art={art} pi={shownPi} team={team} onClose={() => setOpen(null)} />
      )}
    </section>
  );
}

/** The PI's planned points by kind of work against the allocation policy. */
function AllocationPanel({ data, onEdit }: { data: PlanData; onEdit: (() => void) | null }) {
  const { policy, capacity, shares } = data.allocation;
  const planned = shares.reduce((sum, s) => sum + s.points, 0);
  return (
    <section className="plan-allocation" aria-labelledby="allocation-title" data-testid="plan-allocation">
      <div className="plan-allocation-head">
        <h2 id="allocation-title">Capacity allocation</h2>
        <span className="muted">
          {planned} pts planned of {capacity} pts capacity
        </span>
        {onEdit && (
          <button type="button" className="button button-small" onClick={onEdit} data-testid="allocation-edit">
            {policy ? "Edit policy" : "Set a policy"}
          </button>
        )}
      </div>
      {!policy && <p className="hint">No allocation policy for this PI: shares are shown as planned.</p>}
      <ul className="plan-shares">
        {shares.map((s) => (
          <li
            key={s.kind}
            className={`plan-share ${s.over ? "is-over" : ""}`}
            data-testid="allocation-share"
            data-kind={s.kind}
            data-over={s.over}
          >
            <span className="plan-share-label">{WORK_KIND_LABELS[s.kind]}</span>
            <span className="plan-share-bar" aria-hidden="true">
              <span
                className={`plan-share-fill kind-${s.kind}`}
                style={{ width: `${Math.min(100, s.share * 100)}%` }}
              />
              {s.policyShare !== null && (
                <span className="plan-share-policy" style={{ left: `${Math.min(100, s.policyShare * 100)}%` }} />
              )}
            </span>
            <span className="plan-share-figures">
              {s.points} pts · {percent(s.share)} planned
              {s.policyShare !== null && <> · policy {percent(s.policyShare)}</>}
              {s.limit !== null && <> (up to {Math.round(s.limit)} pts)</>}
            </span>
            {s.over && s.limit !== null && (
              <strong className="plan-over-flag" data-testid="allocation-over">
                Over the policy by {Math.round((s.points - s.limit) * 10) / 10} pts
              </strong>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Keyboard dragging jumps from column to column (Left/Right) instead of moving a few pixels. */
const columnCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const { collisionRect, droppableRects, droppableContainers, over } = context;
  if (event.code === "ArrowUp" || event.code === "ArrowDown") {
    event.preventDefault();
    return undefined;
  }
  if (event.code !== "ArrowRight" && event.code !== "ArrowLeft") return undefined;
  event.preventDefault();
  if (!collisionRect) return undefined;
  const columns = droppableContainers
    .getEnabled()
    .flatMap((c) => {
      const rect = droppableRects.get(c.id);
      return rect ? [{ id: c.id, rect }] : [];
    })
    .sort((a, b) => a.rect.left - b.rect.left);
  const middle = collisionRect.left + collisionRect.width / 2;
  let at = columns.findIndex((c) => c.id === over?.id);
  if (at < 0) at = columns.findIndex((c) => c.rect.left <= middle && middle <= c.rect.left + c.rect.width);
  const next = at < 0 ? columns[0] : columns[at + (event.code === "ArrowRight" ? 1 : -1)];
  if (!next) return undefined;
  return {
    x: next.rect.left + Math.max(0, (next.rect.width - collisionRect.width) / 2),
    // Level with where the card is, inside the column: a sideways move never scrolls the page under it.
    y: Math.max(next.rect.top, Math.min(collisionRect.top, next.rect.top + next.rect.height - collisionRect.height)),
  };
};

/** The pointer's column while dragging with a mouse; the card's overlap from the keyboard. */
const collision: CollisionDetection = (args) =>
  args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args);

interface TeamRowProps {
  art: Art;
  data: PlanData;
  teamPlan: TeamPlan;
  mayMove: boolean;
  mayEditCapacity: boolean;
  onEditCapacity: (iterationId: string) => void;
  /** The team filter of the plan query (its cache key). */
  planTeam: string | null;
}

/** One team: its Unplanned column and its iterations, with drag and drop between them. */
function TeamRow({ art, data, teamPlan, mayMove, mayEditCapacity, onEditCapacity, planTeam }: TeamRowProps) {
  const client = useQueryClient();
  const pi = data.pi;
  const planKey = planningKeys.plan(art.key, pi.id, planTeam);
  const [active, setActive] = useState<PlanCard | null>(null);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }),
  );
  const featureIds = useMemo(() => new Set(data.features.map((f) => f.id)), [data.features]);
  const columnsById = useMemo(() => new Map(teamPlan.iterations.map((c) => [c.iterationId, c])), [teamPlan]);
  const iterations = pi.iterations;
  /** The drop targets in order: Unplanned, then the development iterations. */
  const targets = useMemo(() => [null, ...iterations.filter((i) => i.kind !== "ip").map((i) => i.id)], [iterations]);
  const nameOf = useCallback(
    (id: string | null) => (id === null ? "Unplanned" : (iterations.find((i) => i.id === id)?.name ?? "an iteration")),
    [iterations],
  );

  const move = useCallback(
    async (card: PlanCard, to: string | null, keyboard = false) => {
      if (card.iterationId === to || pending.has(card.id)) return;
      setPending((p) => new Set(p).add(card.id));
      await client.cancelQueries({ queryKey: planKey });
      const before = client.getQueryData<PlanData>(planKey);
      if (before) client.setQueryData<PlanData>(planKey, moveCard(before, card.id, to));
      // Moved from the keyboard: the card is now in another column; focus follows it there.
      if (keyboard) requestAnimationFrame(() => focusHandle(card.key));
      try {
        const item = await planningApi.moveStory(card.key, card.version, dropChanges(card, to, pi, featureIds));
        client.setQueryData<PlanData>(planKey, (now) => (now ? withVersion(now, card.id, item.version) : now));
      } catch (error) {
        if (before) client.setQueryData<PlanData>(planKey, before);
        showToast(moveFailure(card.key, to === null ? "Unplanned" : nameOf(to), error), "error");
      } finally {
        setPending((p) => {
          const next = new Set(p);
          next.delete(card.id);
          return next;
        });
        void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
        void client.invalidateQueries({ queryKey: queryKeys.item(card.key) });
      }
    },
    [client, planKey, pi, featureIds, nameOf, pending, art.key],
  );

  const cards = useMemo(() => {
    const all = new Map<string, PlanCard>();
    for (const s of teamPlan.unplanned) all.set(s.id, s);
    for (const c of teamPlan.iterations) for (const s of c.stories) all.set(s.id, s);
    return all;
  }, [teamPlan]);

  const onDragStart = (e: DragStartEvent) => setActive(cards.get(String(e.active.id)) ?? null);
  const onDragEnd = (e: DragEndEvent) => {
    setActive(null);
    const card = cards.get(String(e.active.id));
    if (!card || !e.over) return;
    void move(card, iterationOfColumn(String(e.over.id)), e.activatorEvent instanceof KeyboardEvent);
  };
  /** Alt+Left/Right on a card: one column over, skipping the IP iteration. */
  const step = (card: PlanCard, by: -1 | 1) => {
    const at = targets.indexOf(card.iterationId);
    const to = targets[at + by];
    if (at >= 0 && to !== undefined) void move(card, to, true);
  };

  const announcements: Announcements = {
    onDragStart: ({ active: a }) => `Picked up ${cards.get(String(a.id))?.key ?? "a story"}.`,
    onDragOver: ({ active: a, over }) =>
      over
        ? `${cards.get(String(a.id))?.key ?? "The story"} is over ${nameOf(iterationOfColumn(String(over.id)))}.`
        : `${cards.get(String(a.id))?.key ?? "The story"} is not over a column.`,
    onDragEnd: ({ active: a, over }) =>
      over
        ? `${cards.get(String(a.id))?.key ?? "The story"} dropped in ${nameOf(iterationOfColumn(String(over.id)))}.`
        : `${cards.get(String(a.id))?.key ?? "The story"} put back.`,
    onDragCancel: ({ active: a }) => `Moving ${cards.get(String(a.id))?.key ?? "the story"} was cancelled.`,
  };

  const capacityTotal = teamPlan.iterations.reduce<number | null>(
    (sum, c) => (c.capacity.points === null ? sum : (sum ?? 0) + c.capacity.points),
    null,
  );
  const loadTotal = teamPlan.iterations.reduce((sum, c) => sum + c.load, 0);
  const unplannedLoad = columnLoad(teamPlan.unplanned, null);

  return (
    <section
      className="plan-team"
      aria-labelledby={`plan-team-${teamPlan.teamId}`}
      data-testid="plan-team"
      data-team={teamPlan.key}
    >
      <header className="plan-team-head">
        <h2 id={`plan-team-${teamPlan.teamId}`}>{teamPlan.name}</h2>
        <span className="plan-team-figures">
          {loadText(loadTotal, capacityTotal)} planned in {pi.name}
        </span>
        <span className="plan-velocity" data-testid="plan-velocity" title={velocityTitle(teamPlan)}>
          {velocityText(teamPlan.velocity)}
        </span>
      </header>
      <DndContext
        sensors={sensors}
        collisionDetection={collision}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setActive(null)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: KEYBOARD_INSTRUCTIONS } }}
      >
        <ul className="plan-columns" aria-label={`${teamPlan.name}: iterations of ${pi.name}`}>
          <Column
            id={columnId(teamPlan.teamId, null)}
            title="Unplanned"
            subtitle={`${teamPlan.unplanned.length} ${teamPlan.unplanned.length === 1 ? "story" : "stories"} · ${unplannedLoad.load} pts`}
            stories={teamPlan.unplanned}
            disabled={!mayMove}
            unplanned
          >
            {teamPlan.unplanned.map((s) => (
              <Card key={s.id} card={s} mayMove={mayMove} busy={pending.has(s.id)} onStep={step} />
            ))}
          </Column>
          {iterations.map((iteration) => (
            <IterationColumn
              key={iteration.id}
              teamPlan={teamPlan}
              iteration={iteration}
              column={columnsById.get(iteration.id) ?? null}
              mayMove={mayMove}
              mayEditCapacity={mayEditCapacity}
              onEditCapacity={onEditCapacity}
              pending={pending}
              onStep={step}
            />
          ))}
        </ul>
        <DragOverlay dropAnimation={null}>{active ? <CardBody card={active} overlay /> : null}</DragOverlay>
      </DndContext>
    </section>
  );
}

/** Focuses a card's drag handle (after its column changed under the keyboard). */
function focusHandle(key: string): void {
  const handle = document.querySelector<HTMLElement>(
    `[data-testid="plan-card"][data-key="${CSS.escape(key)}"] [data-testid="plan-card-handle"]`,
  );
  handle?.focus();
}

function velocityTitle(teamPlan: TeamPlan): string {
  const recent = teamPlan.velocity.recent;
  if (recent.length === 0) return "Velocity: done and accepted points of completed iterations; none completed yet";
  return `Done and accepted points: ${recent.map((r) => `${r.name} ${r.points}`).join(", ")}`;
}

function moveFailure(key: string, where: string, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) {
    return `${key} was changed by someone else — the plan is refreshed; move it again if it still belongs in ${where}`;
  }
  if (error instanceof ApiError && error.status === 403) return `You may not move ${key}: ${error.message}`;
  if (error instanceof ApiError && error.status === 404) return `${key} no longer exists — the plan is refreshed`;
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not move ${key} to ${where}: ${reason}`;
}

interface IterationColumnProps {
  teamPlan: TeamPlan;
  iteration: Iteration;
  column: PlanColumn | null;
  mayMove: boolean;
  mayEditCapacity: boolean;
  onEditCapacity: (iterationId: string) => void;
  pending: ReadonlySet<string>;
  onStep: (card: PlanCard, by: -1 | 1) => void;
}

function IterationColumn(props: IterationColumnProps) {
  const { teamPlan, iteration, column, mayMove, mayEditCapacity, onEditCapacity, pending, onStep } = props;
  const ip = iteration.kind === "ip";
  const capacity = column?.capacity.points ?? null;
  const load = column?.load ?? 0;
  const over = overloadText(load, capacity);
  const fill = fillOf(load, capacity);
  const stories = column?.stories ?? [];
  const capacityLabel =
    capacity === null
      ? "no capacity set"
      : `capacity ${capacity} points${column?.capacity.source === "people" ? " from people" : ""}`;
  return (
    <Column
      id={columnId(teamPlan.teamId, iteration.id)}
      title={iteration.name}
      subtitle={`${shortDate(iteration.startDate)} – ${shortDate(iteration.endDate)}`}
      stories={stories}
      disabled={!mayMove || ip}
      ip={ip}
      overloaded={over !== null}
      head={
        ip ? (
          <p className="plan-ip-note">Innovation & Planning: no stories are planned into it.</p>
        ) : (
          <div
            className="plan-load"
            data-testid="plan-load"
            data-load={load}
            data-capacity={capacity ?? ""}
            data-overloaded={over !== null}
          >
            <div className="plan-load-line">
              <span className="plan-load-text">{loadText(load, capacity)}</span>
              {mayEditCapacity ? (
                <button
                  type="button"
                  className="button button-ghost button-small plan-capacity-button"
                  onClick={() => onEditCapacity(iteration.id)}
                  aria-label={`Capacity of ${teamPlan.name} in ${iteration.name}: ${capacityLabel}. Edit`}
                  data-testid="plan-capacity-edit"
                >
                  {capacity === null ? "Set capacity" : "Capacity"}
                </button>
              ) : (
                <span className="muted plan-capacity-source">{capacity === null ? "No capacity" : ""}</span>
              )}
            </div>
            <div className={`plan-bar ${over ? "is-over" : ""}`} aria-hidden="true">
              {fill !== null && <span className="plan-bar-fill" style={{ width: `${fill * 100}%` }} />}
            </div>
            {over && (
              <strong className="plan-over-flag" data-testid="plan-overloaded">
                {over}
              </strong>
            )}
            {(column?.unestimated ?? 0) > 0 && (
              <span className="plan-unestimated" data-testid="plan-unestimated">
                {column?.unestimated} unestimated
              </span>
            )}
          </div>
        )
      }
    >
      {stories.map((s) => (
        <Card key={s.id} card={s} mayMove={mayMove} busy={pending.has(s.id)} onStep={onStep} />
      ))}
    </Column>
  );
}

interface ColumnProps {
  id: string;
  title: string;
  subtitle: string;
  stories: readonly PlanCard[];
  disabled: boolean;
  unplanned?: boolean;
  ip?: boolean;
  overloaded?: boolean;
  head?: ReactNode;
  children: ReactNode;
}

function Column({ id, title, subtitle, stories, disabled, unplanned, ip, overloaded, head, children }: ColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id, disabled });
  const classes = ["plan-column"];
  if (unplanned) classes.push("is-unplanned");
  if (ip) classes.push("is-ip");
  if (overloaded) classes.push("is-overloaded");
  if (isOver) classes.push("is-over");
  return (
    <li
      ref={setNodeRef}
      className={classes.join(" ")}
      aria-label={`${title}, ${stories.length} ${stories.length === 1 ? "story" : "stories"}`}
      data-testid="plan-column"
      data-column={ip ? "ip" : unplanned ? UNPLANNED : title}
      data-iteration={iterationOfColumn(id) ?? ""}
    >
      <header className="plan-column-head">
        <h3>{title}</h3>
        <span className="muted plan-column-dates">{subtitle}</span>
        {head}
      </header>
      <ul className="plan-cards">{children}</ul>
    </li>
  );
}

function Card({
  card,
  mayMove,
  busy,
  onStep,
}: {
  card: PlanCard;
  mayMove: boolean;
  busy: boolean;
  onStep: (card: PlanCard, by: -1 | 1) => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: card.id,
    disabled: !mayMove || busy,
  });
  const onKeyDown = (e: ReactKeyboardEvent<HTMLLIElement>) => {
    if (!mayMove || busy || !e.altKey || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
    e.preventDefault();
    onStep(card, e.key === "ArrowLeft" ? -1 : 1);
  };
  return (
    <li
      ref={setNodeRef}
      className={`plan-card ${isDragging ? "is-dragging" : ""} ${busy ? "is-busy" : ""}`}
      data-testid="plan-card"
      data-key={card.key}
      data-iteration={card.iterationId ?? ""}
      onKeyDown={onKeyDown}
    >
      {mayMove && (
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="plan-card-handle"
          aria-label={`Move ${card.key} ${card.title}`}
          data-testid="plan-card-handle"
          disabled={busy}
          {...attributes}
          {...listeners}
        >
          <GripIcon />
        </button>
      )}
      <CardBody card={card} />
    </li>
  );
}

function CardBody({ card, overlay }: { card: PlanCard; overlay?: boolean }) {
  return (
    <div className={`plan-card-body ${overlay ? "is-overlay" : ""}`}>
      <div className="plan-card-top">
        {overlay ? (
          <span className="key">{card.key}</span>
        ) : (
          <a className="ref-link key" href={itemHref(card.key)} onClick={onLinkClick} title={`Open ${card.key}`}>
            {card.key}
          </a>
        )}
        {card.featureKey && (
          <span className="plan-card-feature" title="Feature">
            {card.featureKey}
          </span>
        )}
        <BlockedBadge reason={card.blockedReason} />
        <span className={`plan-card-points ${card.points === null ? "is-unestimated" : ""}`}>
          {card.points === null ? "?" : card.points}
          <span className="visually-hidden"> points</span>
        </span>
      </div>
      <span className={`plan-card-title type-line-${card.type}`}>{card.title}</span>
    </div>
  );
}
