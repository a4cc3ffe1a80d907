// The PI screens for the web app (program board, dependencies, PI objectives, risks, confidence vote): the shapes the
// planning and dependency routes answer with (from src/core/planning-views.ts), the calls, the cache keys (under the
// ART's backlogs, so live changes — `planning.changed` and item changes — refresh them) and the small readings the
// screens need: which PI is current, iterations in order across the ART, and a dependency's health explained in words.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DependencyHealth, DependencyState, PredictabilityBand, Roam } from "../../core/pi-planning";
import type {
  ConfidenceView,
  Dependency,
  DependencyList,
  IterRef,
  Objective,
  ObjectivesView,
  PiPlanView,
  ProgramBoard,
  Risk,
  RiskList,
} from "../../core/planning-views";
import { request } from "./api";
import { currentPi, todayIso } from "./planning";
import type { Art, Iteration, ProgramIncrement } from "./types";

export {
  DEPENDENCY_HEALTH_LABELS as HEALTH_LABELS,
  DEPENDENCY_STATE_LABELS as STATE_LABELS,
  DEPENDENCY_STATES,
  type DependencyHealth,
  type DependencyState,
  type PredictabilityBand,
  ROAM_LABELS,
  ROAM_STATES,
  type Roam,
} from "../../core/pi-planning";
export type {
  BoardFeature,
  BoardIteration,
  BoardLoad,
  Confidence,
  ConfidenceView,
  DepEnd,
  Dependency,
  DependencyList,
  IterRef,
  Objective,
  ObjectivesView,
  Predictability,
  ProgramBoard,
  Risk,
  RiskList,
} from "../../core/planning-views";

/** Health in the order the board lists it: what needs a planner first. */
export const DEPENDENCY_HEALTH: readonly DependencyHealth[] = [
  "conflict",
  "at_risk",
  "unplanned",
  "healthy",
  "declined",
];

export const ROAM_HINTS: Record<Roam, string> = {
  unroamed: "Raised, not yet discussed",
  resolved: "No longer a risk",
  owned: "Someone takes care of it",
  accepted: "Understood; nothing more can be done",
  mitigated: "A plan lowers its impact or likelihood",
};

export interface DependencyChange {
  version: number;
  needed?: string;
  neededBy?: string | null;
  state?: DependencyState;
  plannedIteration?: string | null;
  declineReason?: string | null;
}

export interface ObjectiveInput {
  teamId: string | null;
  title: string;
  description?: string;
  committed: boolean;
  featureIds?: string[];
  plannedValue?: number | null;
}

export interface RiskInput {
  title: string;
  description?: string;
  piId?: string | null;
  teamId?: string | null;
  ownerId?: string | null;
  itemIds?: string[];
  roam?: Roam;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : "";
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export const boardApi = {
  board: (art: string, pi: string, signal?: AbortSignal) =>
    request<ProgramBoard>(`/arts/${enc(art)}/pis/${enc(pi)}/board`, opts(signal)),
  dependencies: (art: string, pi: string, signal?: AbortSignal) =>
    request<DependencyList>(`/arts/${enc(art)}/dependencies${query({ pi })}`, opts(signal)),
  createDependency: (art: string, input: { consumer: string; provider: string; needed: string; neededBy?: string }) =>
    request<Dependency>(`/arts/${enc(art)}/dependencies`, { method: "POST", body: input }),
  changeDependency: (id: string, change: DependencyChange) =>
    request<Dependency>(`/dependencies/${enc(id)}`, { method: "PATCH", body: change }),
  removeDependency: (id: string, version: number) =>
    request<void>(`/dependencies/${enc(id)}?version=${version}`, { method: "DELETE" }),
  plan: (art: string, pi: string, signal?: AbortSignal) =>
    request<PiPlanView>(`/arts/${enc(art)}/pis/${enc(pi)}/plan`, opts(signal)),
  objectives: (art: string, pi: string, signal?: AbortSignal) =>
    request<ObjectivesView>(`/arts/${enc(art)}/pis/${enc(pi)}/objectives`, opts(signal)),
  createObjective: (art: string, pi: string, input: ObjectiveInput) =>
    request<Objective>(`/arts/${enc(art)}/pis/${enc(pi)}/objectives`, { method: "POST", body: input }),
  changeObjective: (
    id: string,
    change: Partial<Omit<ObjectiveInput, "teamId">> & { version: number; actualValue?: number | null },
  ) => request<Objective>(`/objectives/${enc(id)}`, { method: "PATCH", body: change }),
  removeObjective: (id: string, version: number) =>
    request<void>(`/objectives/${enc(id)}?version=${version}`, { method: "DELETE" }),
  risks: (art: string, pi: string | null, signal?: AbortSignal) =>
    request<RiskList>(`/arts/${enc(art)}/risks${query({ pi })}`, opts(signal)),
  createRisk: (art: string, input: RiskInput) =>
    request<Risk>(`/arts/${enc(art)}/risks`, { method: "POST", body: input }),
  changeRisk: (id: string, change: Partial<RiskInput> & { version: number }) =>
    request<Risk>(`/risks/${enc(id)}`, { method: "PATCH", body: change }),
  removeRisk: (id: string, version: number) =>
    request<void>(`/risks/${enc(id)}?version=${version}`, { method: "DELETE" }),
  confidence: (art: string, pi: string, signal?: AbortSignal) =>
    request<ConfidenceView>(`/arts/${enc(art)}/pis/${enc(pi)}/confidence`, opts(signal)),
  vote: (art: string, pi: string, scope: string, value: number) =>
    request<ConfidenceView>(`/arts/${enc(art)}/pis/${enc(pi)}/confidence`, {
      method: "PUT",
      body: { scope, value },
    }),
};

/** Under the ART's backlogs: every live change of the ART refreshes them. */
export const boardKeys = {
  all: (art: string) => ["backlog", art, "pi"] as const,
  board: (art: string, pi: string) => ["backlog", art, "pi", "board", pi] as const,
  dependencies: (art: string, pi: string) => ["backlog", art, "pi", "dependencies", pi] as const,
  plan: (art: string, pi: string) => ["backlog", art, "pi", "plan", pi] as const,
  objectives: (art: string, pi: string) => ["backlog", art, "pi", "objectives", pi] as const,
  risks: (art: string, pi: string | null) => ["backlog", art, "pi", "risks", pi ?? ""] as const,
  confidence: (art: string, pi: string) => ["backlog", art, "pi", "confidence", pi] as const,
};

export function useProgramBoard(art: string, pi: string | null) {
  return useQuery({
    queryKey: boardKeys.board(art, pi ?? ""),
    queryFn: ({ signal }) => boardApi.board(art, pi ?? "", signal),
    enabled: pi !== null,
    placeholderData: keepPreviousData,
  });
}

export function useDependencies(art: string, pi: string | null) {
  return useQuery({
    queryKey: boardKeys.dependencies(art, pi ?? ""),
    queryFn: ({ signal }) => boardApi.dependencies(art, pi ?? "", signal),
    enabled: pi !== null,
    placeholderData: keepPreviousData,
  });
}

export function useObjectives(art: string, pi: string | null) {
  return useQuery({
    queryKey: boardKeys.objectives(art, pi ?? ""),
    queryFn: ({ signal }) => boardApi.objectives(art, pi ?? "", signal),
    enabled: pi !== null,
    placeholderData: keepPreviousData,
  });
}

export function useRisks(art: string, pi: string | null) {
  return useQuery({
    queryKey: boardKeys.risks(art, pi),
    queryFn: ({ signal }) => boardApi.risks(art, pi, signal),
    placeholderData: keepPreviousData,
  });
}

export function useConfidence(art: string, pi: string | null) {
  return useQuery({
    queryKey: boardKeys.confidence(art, pi ?? ""),
    queryFn: ({ signal }) => boardApi.confidence(art, pi ?? "", signal),
    enabled: pi !== null,
  });
}

/** The PI a `?pi=` names (id or name), else the current one. */
export function piOf(art: Art, ref: string | null): ProgramIncrement | null {
  if (ref) {
    const named = art.pis.find((p) => p.id === ref || p.name === ref);
    if (named) return named;
  }
  return currentPi(art.pis, todayIso());
}

/** Every iteration of the ART in time order, with its ordinal (0 first): how dependencies compare iterations. */
export function iterationOrder(art: Art): Map<string, { order: number; iteration: Iteration; pi: ProgramIncrement }> {
  const all = art.pis.flatMap((pi) => pi.iterations.map((iteration) => ({ iteration, pi })));
  all.sort(
    (a, b) => a.iteration.startDate.localeCompare(b.iteration.startDate) || a.iteration.number - b.iteration.number,
  );
  return new Map(all.map((x, order) => [x.iteration.id, { order, ...x }]));
}

/** An iteration's name, with its PI's when it is not in `pi`. */
export function iterationLabel(art: Art, ref: IterRef | null, pi?: string): string {
  if (!ref) return "no iteration";
  if (pi && ref.piId !== pi) {
    const other = art.pis.find((p) => p.id === ref.piId);
    return other ? `${ref.name} of ${other.name}` : ref.name;
  }
  return ref.name;
}

/**
 * Why a dependency has its health, in one sentence a planner acts on: "Provider PAY-12 lands in Iteration 3, after
 * needed-by Iteration 2". The deadline is the earlier of the needed-by iteration and the consumer's iteration.
 */
export function healthText(art: Art, d: Dependency, pi?: string): string {
  const order = iterationOrder(art);
  const at = (ref: IterRef | null) => (ref ? (order.get(ref.id)?.order ?? null) : null);
  const name = (ref: IterRef | null) => iterationLabel(art, ref, pi);
  const provider = `Provider ${d.provider.key}`;
  if (d.state === "delivered") return `${provider} delivered what ${d.consumer.key} needs.`;
  if (d.state === "declined") {
    return `${provider}'s team declined${d.declineReason ? `: ${d.declineReason}` : "."}`;
  }
  const p = at(d.provider.iteration);
  const needed = at(d.neededBy);
  const consumer = at(d.consumer.iteration);
  if (p === null) return `${provider} is not planned in any iteration yet.`;
  const deadlines: { order: number; text: string }[] = [];
  if (needed !== null) deadlines.push({ order: needed, text: `needed-by ${name(d.neededBy)}` });
  if (consumer !== null) {
    deadlines.push({ order: consumer, text: `consumer ${d.consumer.key} in ${name(d.consumer.iteration)}` });
  }
  deadlines.sort((a, b) => a.order - b.order);
  const deadline = deadlines[0];
  const lands = `${provider} lands in ${name(d.provider.iteration)}`;
  if (!deadline) return `${lands}; nothing needs it by a given iteration.`;
  if (p > deadline.order) return `${lands}, after ${deadline.text}.`;
  if (p === deadline.order) return `${lands}, the same iteration as ${deadline.text}: no slack.`;
  return `${lands}, before ${deadline.text}.`;
}

/**
 * The iterations a provider story could move to so that it lands before the deadline (the earlier of needed-by and
 * the consumer's iteration): development iterations of the PI that end before it. Null deadline: none needed.
 */
export function earlierIterations(art: Art, pi: ProgramIncrement, d: Dependency): Iteration[] {
  const order = iterationOrder(art);
  const at = (ref: IterRef | null) => (ref ? (order.get(ref.id)?.order ?? null) : null);
  const bounds = [at(d.neededBy), at(d.consumer.iteration)].filter((x): x is number => x !== null);
  if (bounds.length === 0) return [];
  const deadline = Math.min(...bounds);
  return pi.iterations.filter(
    (i) => i.kind !== "ip" && (order.get(i.id)?.order ?? Number.POSITIVE_INFINITY) < deadline,
  );
}

/** The iterations a consumer story could move to so that it lands after its provider (and its needed-by allows it). */
export function laterIterations(art: Art, pi: ProgramIncrement, d: Dependency): Iteration[] {
  const order = iterationOrder(art);
  const provider = d.provider.iteration ? order.get(d.provider.iteration.id)?.order : undefined;
  if (provider === undefined) return [];
  return pi.iterations.filter((i) => i.kind !== "ip" && (order.get(i.id)?.order ?? -1) > provider);
}

/** Health counts for a legend. */
export function healthCounts(deps: readonly Dependency[]): Record<DependencyHealth, number> {
  const counts = Object.fromEntries(DEPENDENCY_HEALTH.map((h) => [h, 0])) as Record<DependencyHealth, number>;
  for (const d of deps) counts[d.health]++;
  return counts;
}

/** The words for a predictability band. */
export const BAND_LABELS: Record<PredictabilityBand, string> = {
  below: "Below the 80–100% band",
  predictable: "Predictable (80–100%)",
  above: "Above 100%",
};
