// The server data the screens read, as TanStack Query hooks, and the keys that name it in the cache (so live
// changes and edits invalidate exactly what they affect).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type BacklogFilters } from "./api";
import type { ProgramLevel } from "./router";
import type { Art, Person, QualityDraft } from "./types";

/** Which backlog a list shows: the ART's program backlog at one level, or one team's backlog of stories. */
export type BacklogScope = { kind: "program"; level: ProgramLevel } | { kind: "team"; team: string };

export const queryKeys = {
  arts: ["arts"] as const,
  people: ["people"] as const,
  /** Every backlog list of an ART (any scope, any filters). */
  backlogs: (art: string) => ["backlog", art] as const,
  backlog: (art: string, scope: BacklogScope, filters: BacklogFilters) =>
    ["backlog", art, scope.kind === "program" ? `program:${scope.level}` : `team:${scope.team}`, filters] as const,
  /** The WSJF grid of one program level (under the ART's backlogs, so live changes refresh it too). */
  wsjf: (art: string, level: ProgramLevel) => ["backlog", art, `wsjf:${level}`] as const,
  /** The preview of WSJF order with these pins. */
  wsjfOrder: (art: string, level: ProgramLevel, pinned: readonly string[]) =>
    ["backlog", art, `wsjf-order:${level}`, [...pinned].sort()] as const,
  /** A team backlog's drift from the program's feature rank. */
  alignment: (art: string, team: string) => ["backlog", art, `alignment:${team}`] as const,
  items: ["item"] as const,
  item: (key: string) => ["item", key] as const,
  histories: ["history"] as const,
  history: (key: string) => ["history", key] as const,
  /** A stored story's findings, dismissals and readiness (under the item, so its edits and live changes refresh it). */
  itemQuality: (key: string) => ["item", key, "quality"] as const,
  /** The live check of one draft of an item. */
  qualityCheck: (key: string, draft: QualityDraft) => ["item", key, "quality-check", draft] as const,
  /** A team's refinement settings (Definition of Ready, ready policy). */
  teamRefinement: (art: string, team: string) => ["backlog", art, `refinement:${team}`] as const,
};

export function useArts() {
  return useQuery({ queryKey: queryKeys.arts, queryFn: () => api.arts().then((r) => r.items) });
}

/** The ART a screen names, by key or id, once the trains are loaded. */
export function useArt(ref: string): { art: Art | undefined; isLoading: boolean } {
  const { data, isLoading } = useArts();
  return { art: data?.find((a) => a.key === ref || a.id === ref), isLoading };
}

export function usePeople() {
  return useQuery({ queryKey: queryKeys.people, queryFn: () => api.people().then((r) => r.items), staleTime: 60_000 });
}

export function usePeopleById(): Map<string, Person> {
  const { data } = usePeople();
  return new Map((data ?? []).map((p) => [p.id, p]));
}

export function useBacklog(art: string, scope: BacklogScope, filters: BacklogFilters) {
  return useQuery({
    queryKey: queryKeys.backlog(art, scope, filters),
    queryFn: ({ signal }) =>
      scope.kind === "program"
        ? api.programBacklog(art, scope.level, filters, signal)
        : api.teamBacklog(art, scope.team, filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function useItemDetail(key: string | null) {
  return useQuery({
    queryKey: queryKeys.item(key ?? ""),
    queryFn: () => api.item(key ?? ""),
    enabled: key !== null,
    retry: (count, error) => count < 2 && !(error instanceof Error && "status" in error && error.status === 404),
  });
}

export function useItemHistory(key: string) {
  return useQuery({ queryKey: queryKeys.history(key), queryFn: () => api.history(key) });
}

/** Every item of a program level (unfiltered), for choosing a parent. */
export function useLevelItems(art: string, level: ProgramLevel, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.backlog(art, { kind: "program", level }, {}),
    queryFn: ({ signal }) => api.programBacklog(art, level, {}, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useWsjfGrid(art: string, level: ProgramLevel) {
  return useQuery({
    queryKey: queryKeys.wsjf(art, level),
    queryFn: ({ signal }) => api.wsjf(art, level, signal),
    placeholderData: keepPreviousData,
  });
}

/** How far a team backlog has drifted from program priorities (and the aligned order). */
export function useAlignment(art: string, team: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.alignment(art, team),
    queryFn: ({ signal }) => api.alignment(art, team, signal),
    enabled,
  });
}

/** A stored story's quality: its findings, the ones dismissed (with reason and who) and its Definition of Ready. */
export function useItemQuality(key: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.itemQuality(key),
    queryFn: ({ signal }) => api.itemQuality(key, signal),
    enabled,
  });
}

/**
 * The live check of a draft (null: none to run). The caller debounces the draft; a newer draft replaces the query, and
 * the one still in flight is aborted (its signal is consumed). The same draft again is answered from the cache.
 */
export function useQualityCheck(art: string, key: string, draft: QualityDraft | null) {
  return useQuery({
    queryKey: queryKeys.qualityCheck(key, draft ?? ({} as QualityDraft)),
    queryFn: ({ signal }) => api.qualityCheck(art, draft as QualityDraft, signal),
    enabled: draft !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    gcTime: 30_000,
    retry: false,
  });
}

/** A team's refinement settings, for its ready policy and its own checklist. */
export function useTeamRefinement(art: string, team: string | null) {
  return useQuery({
    queryKey: queryKeys.teamRefinement(art, team ?? ""),
    queryFn: ({ signal }) => api.teamRefinement(art, team ?? "", signal),
    enabled: team !== null,
    staleTime: 60_000,
    retry: false,
  });
}
