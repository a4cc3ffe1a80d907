// Refinement for the screens: the shapes the refinement, splitting and health routes answer with, the calls, and the
// query hooks (under the ART's backlog keys or the item's, so live changes and edits refresh them).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Criterion } from "../../core/acceptance-criteria";
import type { TeamHealth, TrainHealth } from "../../core/backlog-health";
import type { Finding, QualityRule } from "../../core/story-quality";
import { request } from "./api";
import type { Item } from "./types";

export type { HealthProblem, ReadinessRate, TeamHealth, TrainHealth } from "../../core/backlog-health";
export type { Finding, QualityRule } from "../../core/story-quality";

/** The backlog health of the train and of each team the person sees (one team's with `?team=`). */
export interface BacklogHealth {
  /** The day of the check (yyyy-mm-dd). */
  asOf: string;
  teams: TeamHealth[];
  train: TrainHealth;
}

/** A proposed story of a split or a breakdown, as the editor and the API hold it. */
export interface StoryDraft {
  title: string;
  description: string;
  acceptanceCriteria: Criterion[];
  points: number | null;
}

export interface SplitSuggestion {
  pattern: string;
  label: string;
  rationale: string;
  stories: StoryDraft[];
}

export interface SplitInput {
  version: number;
  pattern?: string;
  stories: { title: string; description?: string; acceptanceCriteria?: Criterion[]; points?: number | null }[];
}

export interface BreakdownDraft extends StoryDraft {
  teamId: string;
}

export interface Breakdown {
  drafts: BreakdownDraft[];
  teams: { id: string; key: string; name: string }[];
}

export interface QualityReport {
  stories: {
    id: string;
    key: string;
    title: string;
    teamId: string | null;
    state: string;
    points: number | null;
    /** Each with the words its highlights point at. */
    findings: (Finding & { words: string[] })[];
    /** Rules whose finding was dismissed on this story. */
    dismissed: QualityRule[];
  }[];
  byRule: Partial<Record<QualityRule, number>>;
  checked: number;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : "";
}

export const refineApi = {
  splitSuggestions: (item: string, signal?: AbortSignal) =>
    request<{ suggestions: SplitSuggestion[] }>(`/items/${enc(item)}/split-suggestions`, signal ? { signal } : {}),
  split: (item: string, input: SplitInput) =>
    request<{ original: Item; stories: Item[] }>(`/items/${enc(item)}/split`, { method: "POST", body: input }),
  breakdown: (item: string, signal?: AbortSignal) =>
    request<Breakdown>(`/items/${enc(item)}/breakdown`, signal ? { signal } : {}),
  breakDown: (item: string, stories: (Omit<BreakdownDraft, "points"> & { points?: number | null })[]) =>
    request<{ stories: Item[] }>(`/items/${enc(item)}/breakdown`, { method: "POST", body: { stories } }),
  health: (art: string, team: string | null, signal?: AbortSignal) =>
    request<BacklogHealth>(`/arts/${enc(art)}/health${query({ team })}`, signal ? { signal } : {}),
  quality: (art: string, filters: { team?: string | null; rule?: string | null }, signal?: AbortSignal) =>
    request<QualityReport>(
      `/arts/${enc(art)}/quality${query({ team: filters.team, rule: filters.rule })}`,
      signal ? { signal } : {},
    ),
};

export const refineKeys = {
  /** Under the item's key, so refreshing the item refreshes them too. */
  splitSuggestions: (item: string) => ["item", item, "split-suggestions"] as const,
  breakdown: (item: string) => ["item", item, "breakdown"] as const,
  /** Under the ART's backlogs, so live changes refresh them. */
  quality: (art: string, team: string | null, rule: string | null) =>
    ["backlog", art, "quality", team ?? "", rule ?? ""] as const,
  health: (art: string, team: string | null) => ["backlog", art, "health", team ?? ""] as const,
};

export function useSplitSuggestions(item: string) {
  return useQuery({
    queryKey: refineKeys.splitSuggestions(item),
    queryFn: ({ signal }) => refineApi.splitSuggestions(item, signal),
  });
}

export function useBreakdown(item: string) {
  return useQuery({
    queryKey: refineKeys.breakdown(item),
    queryFn: ({ signal }) => refineApi.breakdown(item, signal),
    // The drafts are a starting point the dialog copies once; a refetch must not reset the person's edits.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useQualityReport(art: string, team: string | null, rule: string | null) {
  return useQuery({
    queryKey: refineKeys.quality(art, team, rule),
    queryFn: ({ signal }) => refineApi.quality(art, { team, rule }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useBacklogHealth(art: string, team: string | null) {
  return useQuery({
    queryKey: refineKeys.health(art, team),
    queryFn: ({ signal }) => refineApi.health(art, team, signal),
    placeholderData: keepPreviousData,
  });
}

/** Points typed in a field: a number (the server judges its range), or null when empty; undefined when not a number. */
export function parsePoints(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** The `stories.N.points` messages for points typed that are not numbers, to show before anything is sent. */
export function pointsProblems(points: readonly string[]): { path: string; message: string }[] {
  return points.flatMap((p, i) =>
    parsePoints(p) === undefined ? [{ path: `stories.${i}.points`, message: "points are a number" }] : [],
  );
}

/** Criteria written one per line, as criteria (empty lines dropped). */
export function criteriaFromLines(text: string): Criterion[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => ({ text: l, met: false }));
}

export function linesFromCriteria(criteria: readonly Criterion[]): string {
  return criteria.map((c) => c.text).join("\n");
}
