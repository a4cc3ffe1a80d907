// Collaborative estimation sessions for the screens: the shapes the API sends (from the core), the calls, the cache
// keys and query hooks, and the small readings the session screen needs (which cells to confirm, which to revote).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { EstimationItem, EstimationSessionSummary, EstimationSessionView } from "../../core/estimation";
import type { WsjfInput } from "../../core/wsjf";
import { request } from "./api";
import type { ProgramLevel } from "./router";

export {
  ESTIMATION_LIMITS,
  type EstimationCell,
  type EstimationItem,
  type EstimationSessionSummary,
  type EstimationSessionView,
  type EstimationState,
  type PersonRef,
} from "../../core/estimation";

export interface StartSessionInput {
  title: string;
  level: ProgramLevel;
  inputs: WsjfInput[];
  items: string[];
  participants: string[];
}

/** One participant's score for one cell; null withdraws it. */
export interface ScoreInput {
  item: string;
  input: WsjfInput;
  value: number | null;
}

/** A cell to confirm: its proposal unless `value` says otherwise, on the item version the facilitator saw. */
export interface ConfirmInput {
  item: string;
  input: WsjfInput;
  value?: number;
  version?: number;
}

const enc = encodeURIComponent;
const post = (path: string, body?: unknown) =>
  request<EstimationSessionView>(path, body === undefined ? { method: "POST" } : { method: "POST", body });

export const estimationApi = {
  list: (art: string, signal?: AbortSignal) =>
    request<{ items: EstimationSessionSummary[] }>(`/arts/${enc(art)}/estimation-sessions`, signal ? { signal } : {}),
  start: (art: string, input: StartSessionInput) => post(`/arts/${enc(art)}/estimation-sessions`, input),
  get: (id: string, signal?: AbortSignal) =>
    request<EstimationSessionView>(`/estimation-sessions/${enc(id)}`, signal ? { signal } : {}),
  score: (id: string, scores: ScoreInput[]) =>
    request<EstimationSessionView>(`/estimation-sessions/${enc(id)}/scores`, { method: "PUT", body: { scores } }),
  invite: (id: string, person: string) => post(`/estimation-sessions/${enc(id)}/participants`, { person }),
  remove: (id: string, person: string) =>
    request<EstimationSessionView>(`/estimation-sessions/${enc(id)}/participants/${enc(person)}`, {
      method: "DELETE",
    }),
  reveal: (id: string) => post(`/estimation-sessions/${enc(id)}/reveal`),
  revote: (id: string, items?: string[]) => post(`/estimation-sessions/${enc(id)}/revote`, items ? { items } : {}),
  confirm: (id: string, values: ConfirmInput[]) => post(`/estimation-sessions/${enc(id)}/confirm`, { values }),
  close: (id: string) => post(`/estimation-sessions/${enc(id)}/close`),
};

export const estimationKeys = {
  all: ["estimation"] as const,
  /** The sessions of an ART. */
  list: (art: string) => ["estimation", "list", art] as const,
  /** One session as the signed-in person sees it. */
  session: (id: string) => ["estimation", "session", id] as const,
};

export function useEstimationSessions(art: string) {
  return useQuery({
    queryKey: estimationKeys.list(art),
    queryFn: ({ signal }) => estimationApi.list(art, signal).then((r) => r.items),
  });
}

export function useEstimationSession(id: string) {
  return useQuery({
    queryKey: estimationKeys.session(id),
    queryFn: ({ signal }) => estimationApi.get(id, signal),
    placeholderData: keepPreviousData,
    retry: (count, error) => count < 2 && !(error instanceof Error && "status" in error && error.status === 404),
  });
}

/** The cells the facilitator may confirm with their proposal: revealed, not confirmed yet, with a proposal. */
export function proposalsToConfirm(session: EstimationSessionView): ConfirmInput[] {
  if (session.state !== "revealed") return [];
  return session.items.flatMap((item) =>
    session.inputs.flatMap((input) => {
      const cell = item.cells[input];
      return cell && !cell.confirmed && cell.proposal !== null
        ? [{ item: item.id, input, value: cell.proposal, version: item.version }]
        : [];
    }),
  );
}

/** Items with a cell flagged for discussion (wide disagreement) that is not confirmed yet: the ones to revote. */
export function flaggedItems(session: EstimationSessionView): EstimationItem[] {
  return session.items.filter((item) =>
    session.inputs.some((input) => {
      const cell = item.cells[input];
      return cell?.wideDisagreement === true && !cell.confirmed;
    }),
  );
}

/** "Scoring (round 2)", "Revealed", "Closed". */
export function stateText(session: Pick<EstimationSessionSummary, "state" | "round">): string {
  if (session.state === "scoring") return session.round > 1 ? `Scoring · round ${session.round}` : "Scoring";
  return session.state === "revealed" ? "Revealed" : "Closed";
}

/** The spread of a revealed cell in words: "2–8 · 3 steps". */
export function spreadText(spread: { min: number; max: number; steps: number }): string {
  if (spread.steps === 0) return `all ${spread.min}`;
  return `${spread.min}–${spread.max} · ${spread.steps} step${spread.steps === 1 ? "" : "s"}`;
}
