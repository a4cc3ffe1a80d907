// PI planning on the web: the shapes the planning routes answer (the team plan view, capacity, milestones, the proposed
// plan; from src/core/planning-views.ts), the calls and query hooks that read them, and the pure helpers the Plan screen draws from — which PI to open,
// a story moved between columns before the server answers, load against capacity in words, and the load a proposal
// leaves when only some of its moves are accepted.
import { useQuery } from "@tanstack/react-query";
import type { AllocationShare, Capacity, CapacityMember } from "../../core/pi-planning";
import type {
  CapacityEntry,
  LoadChange,
  Milestone,
  PlanCard,
  PlanProposalView,
  PiPlanView as PlanView,
  ProposedMove,
  TeamCapacity,
  Velocity,
} from "../../core/planning-views";
import type { AllocationPolicy } from "../../core/train";
import { api, request } from "./api";
import { queryKeys } from "./queries";
import type { Item, ProgramIncrement } from "./types";

export { WORK_KIND_LABELS } from "../../core/pi-planning";
export type {
  CapacityEntry,
  IterRef,
  LoadChange,
  Milestone,
  PiPlanView as PlanView,
  PlanCard,
  PlanIterationView as PlanColumn,
  PlanProposalView as PlanProposal,
  ProposalItem as ProposedItem,
  ProposedMove,
  TeamCapacity,
  TeamPlanView as TeamPlan,
  Velocity,
} from "../../core/planning-views";
export type { AllocationShare, Capacity, CapacityMember };

export type ProposalOrder = "wsjf" | "rank";

const enc = encodeURIComponent;
const teamQuery = (team: string | null) => (team ? `?team=${enc(team)}` : "");

/** The planning calls, one per route. */
export const planningApi = {
  plan: (art: string, pi: string, team: string | null, signal?: AbortSignal) =>
    request<PlanView>(`/arts/${enc(art)}/pis/${enc(pi)}/plan${teamQuery(team)}`, signal ? { signal } : {}),
  capacity: (art: string, pi: string, team: string | null, signal?: AbortSignal) =>
    request<{ teams: TeamCapacity[] }>(
      `/arts/${enc(art)}/pis/${enc(pi)}/capacity${teamQuery(team)}`,
      signal ? { signal } : {},
    ),
  setCapacity: (
    art: string,
    team: string,
    iterationId: string,
    body: { version: number; members?: CapacityMember[]; points?: number | null },
  ) =>
    request<CapacityEntry>(`/arts/${enc(art)}/teams/${enc(team)}/capacity/${enc(iterationId)}`, {
      method: "PUT",
      body,
    }),
  updatePi: (art: string, pi: string, body: { version: number; name?: string; allocation?: AllocationPolicy | null }) =>
    request<ProgramIncrement>(`/arts/${enc(art)}/pis/${enc(pi)}`, { method: "PATCH", body }),
  createPi: (art: string, body: { name: string; startDate: string; iterations: number; iterationWeeks: number }) =>
    request<ProgramIncrement>(`/arts/${enc(art)}/pis`, { method: "POST", body }),
  milestones: (art: string, pi: string, signal?: AbortSignal) =>
    request<{ milestones: Milestone[] }>(`/arts/${enc(art)}/pis/${enc(pi)}/milestones`, signal ? { signal } : {}).then(
      (r) => r.milestones,
    ),
  addMilestone: (art: string, pi: string, body: { name: string; date: string }) =>
    request<Milestone>(`/arts/${enc(art)}/pis/${enc(pi)}/milestones`, { method: "POST", body }),
  removeMilestone: (art: string, pi: string, id: string) =>
    request<void>(`/arts/${enc(art)}/pis/${enc(pi)}/milestones/${enc(id)}`, { method: "DELETE" }),
  proposal: (art: string, pi: string, order: ProposalOrder, team: string | null, signal?: AbortSignal) =>
    request<PlanProposalView>(
      `/arts/${enc(art)}/pis/${enc(pi)}/plan/proposal?order=${order}${team ? `&team=${enc(team)}` : ""}`,
      signal ? { signal } : {},
    ),
  accept: (art: string, pi: string, moves: { item: string; iteration: string | null; version: number }[]) =>
    request<{ items: Item[] }>(`/arts/${enc(art)}/pis/${enc(pi)}/plan/accept`, { method: "POST", body: { moves } }),
  /** Moves a story into an iteration (or out of one): the item edit, on the version it was seen at. */
  moveStory: (key: string, version: number, changes: { iterationId: string | null; piId?: string }) =>
    api.updateItem(key, version, changes),
};

/** Planning data lives under the ART's backlogs in the cache: item changes and `planning.changed` refresh it. */
export const planningKeys = {
  plan: (art: string, pi: string, team: string | null) =>
    [...queryKeys.backlogs(art), "plan", pi, team ?? "*"] as const,
  capacity: (art: string, pi: string, team: string | null) =>
    [...queryKeys.backlogs(art), "capacity", pi, team ?? "*"] as const,
  milestones: (art: string, pi: string) => [...queryKeys.backlogs(art), "milestones", pi] as const,
  /** Not under the backlogs: a proposal stays as it was while someone reads and picks from it. */
  proposal: (art: string, pi: string, order: ProposalOrder, team: string | null) =>
    ["plan-proposal", art, pi, order, team ?? "*"] as const,
};

export function usePlan(art: string, pi: string | null, team: string | null) {
  return useQuery({
    queryKey: planningKeys.plan(art, pi ?? "", team),
    queryFn: ({ signal }) => planningApi.plan(art, pi ?? "", team, signal),
    enabled: pi !== null,
  });
}

export function useCapacity(art: string, pi: string, team: string) {
  return useQuery({
    queryKey: planningKeys.capacity(art, pi, team),
    queryFn: ({ signal }) => planningApi.capacity(art, pi, team, signal),
  });
}

export function useMilestones(art: string, pi: string) {
  return useQuery({
    queryKey: planningKeys.milestones(art, pi),
    queryFn: ({ signal }) => planningApi.milestones(art, pi, signal),
  });
}

/** The PI to open: the one today falls in, else the next to start, else the latest; null when there is none. */
export function currentPi<P extends { id: string; startDate: string; endDate: string }>(
  pis: readonly P[],
  today: string,
): P | null {
  const sorted = [...pis].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id));
  return (
    sorted.find((p) => p.startDate <= today && today <= p.endDate) ??
    sorted.find((p) => p.startDate > today) ??
    sorted[sorted.length - 1] ??
    null
  );
}

/** Today as yyyy-mm-dd (UTC, as the server dates iterations). */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A column's figures from its stories: load (Σ points), unestimated stories, and whether it is over capacity. */
export function columnLoad(
  stories: readonly { points: number | null }[],
  capacity: number | null,
): { load: number; unestimated: number; overloaded: boolean } {
  let load = 0;
  let unestimated = 0;
  for (const s of stories) {
    if (s.points === null) unestimated++;
    else load += s.points;
  }
  return { load, unestimated, overloaded: capacity !== null && load > capacity };
}

/**
 * The plan with one story moved to another iteration of its team (null: unplanned), loads recomputed — what the
 * screen shows until the server answers. Unchanged when the story is not on the plan or already there.
 */
export function moveCard(plan: PlanView, storyId: string, to: string | null): PlanView {
  const team = plan.teams.find(
    (t) =>
      t.unplanned.some((s) => s.id === storyId) || t.iterations.some((i) => i.stories.some((s) => s.id === storyId)),
  );
  if (!team) return plan;
  const card =
    team.unplanned.find((s) => s.id === storyId) ??
    team.iterations.flatMap((i) => i.stories).find((s) => s.id === storyId);
  if (!card || card.iterationId === to) return plan;
  if (to !== null && !team.iterations.some((i) => i.iterationId === to)) return plan;
  const moved: PlanCard = { ...card, iterationId: to };
  const byRank = (a: PlanCard, b: PlanCard) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0);
  const iterations = team.iterations.map((column) => {
    const without = column.stories.filter((s) => s.id !== storyId);
    const stories = column.iterationId === to ? [...without, moved].sort(byRank) : without;
    if (stories.length === column.stories.length && column.iterationId !== to) return column;
    return { ...column, stories, ...columnLoad(stories, column.capacity.points) };
  });
  const rest = team.unplanned.filter((s) => s.id !== storyId);
  const unplanned = to === null ? [...rest, moved].sort(byRank) : rest;
  return { ...plan, teams: plan.teams.map((t) => (t === team ? { ...team, iterations, unplanned } : t)) };
}

/** A card's version after the server answered a move. */
export function withVersion(plan: PlanView, storyId: string, version: number): PlanView {
  const bump = (s: PlanCard) => (s.id === storyId ? { ...s, version } : s);
  return {
    ...plan,
    teams: plan.teams.map((t) => ({
      ...t,
      unplanned: t.unplanned.map(bump),
      iterations: t.iterations.map((i) => ({ ...i, stories: i.stories.map(bump) })),
    })),
  };
}

const pts = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} pts`;

/** "18 / 20 pts"; "18 pts" when no capacity is set. */
export function loadText(load: number, capacity: number | null): string {
  const l = Number.isInteger(load) ? String(load) : load.toFixed(1);
  return capacity === null ? pts(load) : `${l} / ${pts(capacity)}`;
}

/** "Overloaded by 3" when the load passes the capacity, else null. */
export function overloadText(load: number, capacity: number | null): string | null {
  if (capacity === null || load <= capacity) return null;
  const over = load - capacity;
  return `Overloaded by ${Number.isInteger(over) ? over : over.toFixed(1)}`;
}

/** How full a column is, 0..1 for the bar (a column without capacity shows none). */
export function fillOf(load: number, capacity: number | null): number | null {
  if (capacity === null) return null;
  if (capacity <= 0) return load > 0 ? 1 : 0;
  return Math.min(1, load / capacity);
}

/** "Velocity 21 (last 3)", or that there is none yet. */
export function velocityText(velocity: Velocity): string {
  if (velocity.average === null) return "No velocity yet";
  const average = Number.isInteger(velocity.average) ? velocity.average : velocity.average.toFixed(1);
  const counted = Math.min(3, velocity.recent.length);
  return `Velocity ${average} (last ${counted})`;
}

/** A share 0..1 as a whole percent. */
export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The moves of a proposal grouped by team, in the order of `teams` (teams with no move left out). */
export function movesByTeam<T extends { item: { teamId: string } }>(
  moves: readonly T[],
  teams: readonly { id: string; key: string; name: string }[],
): { team: { id: string; key: string; name: string }; moves: T[] }[] {
  return teams
    .map((team) => ({ team, moves: moves.filter((m) => m.item.teamId === team.id) }))
    .filter((g) => g.moves.length > 0);
}

/**
 * The load of each iteration when only the chosen moves are accepted: the proposal's before, plus the points moved
 * in, minus the points moved out (an unestimated story weighs nothing).
 */
export function loadWithMoves(
  load: readonly LoadChange[],
  moves: readonly ProposedMove[],
  chosen: ReadonlySet<string>,
): (LoadChange & { chosen: number })[] {
  const delta = new Map<string, number>();
  const at = (teamId: string, iterationId: string) => `${teamId}/${iterationId}`;
  for (const m of moves) {
    if (!chosen.has(m.item.id) || m.item.points === null) continue;
    if (m.from) delta.set(at(m.item.teamId, m.from.id), (delta.get(at(m.item.teamId, m.from.id)) ?? 0) - m.item.points);
    if (m.to) delta.set(at(m.item.teamId, m.to.id), (delta.get(at(m.item.teamId, m.to.id)) ?? 0) + m.item.points);
  }
  return load.map((l) => ({ ...l, chosen: l.before + (delta.get(at(l.teamId, l.iterationId)) ?? 0) }));
}

/** The changes of a drop: into an iteration, or back to the PI's unplanned stories (kept in the PI when need be). */
export function dropChanges(
  card: Pick<PlanCard, "featureId">,
  to: string | null,
  pi: { id: string },
  featureIds: ReadonlySet<string>,
): { iterationId: string | null; piId?: string } {
  if (to !== null) return { iterationId: to };
  // A story shows in the PI through its feature or its own PI; without either it would drop off the plan.
  return card.featureId !== null && featureIds.has(card.featureId)
    ? { iterationId: null }
    : { iterationId: null, piId: pi.id };
}
