// The Metrics screen's data: the shapes the metrics routes answer (from src/core/metrics-views.ts), the calls and
// query hooks that read them, what the screen's address holds (team, PI, as-of date, view, trials), and the small pure
// readings it shows — a percentage in words ("no data" for null, never 0 %), a CSV file from a table's rows.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Forecast, InspectAdapt, IterationResult, MetricsDashboard } from "../../core/metrics-views";
import { request } from "./api";
import { queryKeys } from "./queries";

export {
  type BurnDownDay,
  type BurnUpDay,
  type CfdDay,
  type FeatureForecast,
  type FlowMetrics,
  type Forecast,
  type InspectAdapt,
  type IterationResult,
  type MetricsDashboard,
  type PiResult,
  REWORK_REASON_LABELS,
  type Readiness,
  type ReworkRatio,
  type VelocityStats,
} from "../../core/metrics-views";

/** The views of the Metrics screen, in the order its tabs show them; the first is the default. */
export const METRICS_VIEWS = ["dashboard", "flow", "forecast", "inspect"] as const;
export type MetricsView = (typeof METRICS_VIEWS)[number];
export const METRICS_VIEW_LABELS: Record<MetricsView, string> = {
  dashboard: "Team dashboard",
  flow: "Flow",
  forecast: "Forecast",
  inspect: "Inspect & adapt",
};

/** Monte Carlo trials unless the address says otherwise. */
export const DEFAULT_TRIALS = 10_000;
export const MAX_TRIALS = 100_000;

/** What the Metrics screen's address holds: null for each left to the server (whole train, current PI, today). */
export interface MetricsQuery {
  team: string | null;
  pi: string | null;
  asOf: string | null;
  view: MetricsView;
  horizon: number | null;
  trials: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the screen's query string; anything unusable is left to its default. */
export function metricsQueryOf(search: URLSearchParams): MetricsQuery {
  const view = METRICS_VIEWS.find((v) => v === search.get("view")) ?? "dashboard";
  const asOf = search.get("asOf");
  const horizon = Number(search.get("horizon"));
  const trials = Number(search.get("trials"));
  return {
    team: search.get("team") || null,
    pi: search.get("pi") || null,
    asOf: asOf && ISO_DATE.test(asOf) ? asOf : null,
    view,
    horizon: Number.isInteger(horizon) && horizon >= 1 && horizon <= 6 ? horizon : null,
    trials: Number.isInteger(trials) && trials >= 1 && trials <= MAX_TRIALS ? trials : DEFAULT_TRIALS,
  };
}

/** The query string of a Metrics address: only what differs from the defaults. */
export function metricsSearch(q: Partial<MetricsQuery>): string {
  const params = new URLSearchParams();
  if (q.team) params.set("team", q.team);
  if (q.pi) params.set("pi", q.pi);
  if (q.asOf) params.set("asOf", q.asOf);
  if (q.view && q.view !== "dashboard") params.set("view", q.view);
  if (q.horizon) params.set("horizon", String(q.horizon));
  if (q.trials && q.trials !== DEFAULT_TRIALS) params.set("trials", String(q.trials));
  const s = params.toString();
  return s ? `?${s}` : "";
}

const enc = encodeURIComponent;

/** A query string of the parameters that are set. */
function paramsOf(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export const metricsApi = {
  dashboard: (art: string, q: Pick<MetricsQuery, "team" | "pi" | "asOf" | "horizon">, signal?: AbortSignal) =>
    request<MetricsDashboard>(
      `/arts/${enc(art)}/metrics${paramsOf({ team: q.team, pi: q.pi, asOf: q.asOf, horizon: q.horizon })}`,
      signal ? { signal } : {},
    ),
  forecast: (art: string, q: Pick<MetricsQuery, "team" | "pi" | "asOf" | "trials">, signal?: AbortSignal) =>
    request<Forecast>(
      `/arts/${enc(art)}/forecast${paramsOf({ team: q.team, pi: q.pi, asOf: q.asOf, trials: q.trials })}`,
      signal ? { signal } : {},
    ),
  inspectAdapt: (art: string, q: Pick<MetricsQuery, "pi" | "asOf">, signal?: AbortSignal) =>
    request<InspectAdapt>(
      `/arts/${enc(art)}/inspect-adapt${paramsOf({ pi: q.pi, asOf: q.asOf })}`,
      signal ? { signal } : {},
    ),
};

/** Under the ART's backlogs in the cache: every item change (and planning change) pushed live refreshes them. */
export const metricsKeys = {
  all: (art: string) => [...queryKeys.backlogs(art), "metrics"] as const,
  dashboard: (art: string, q: Pick<MetricsQuery, "team" | "pi" | "asOf" | "horizon">) =>
    [...metricsKeys.all(art), "dashboard", q.team ?? "*", q.pi ?? "", q.asOf ?? "", q.horizon ?? ""] as const,
  forecast: (art: string, q: Pick<MetricsQuery, "team" | "pi" | "asOf" | "trials">) =>
    [...metricsKeys.all(art), "forecast", q.team ?? "*", q.pi ?? "", q.asOf ?? "", q.trials] as const,
  inspectAdapt: (art: string, q: Pick<MetricsQuery, "pi" | "asOf">) =>
    [...metricsKeys.all(art), "inspect-adapt", q.pi ?? "", q.asOf ?? ""] as const,
};

export function useMetricsDashboard(art: string, q: MetricsQuery, enabled = true) {
  return useQuery({
    queryKey: metricsKeys.dashboard(art, q),
    queryFn: ({ signal }) => metricsApi.dashboard(art, q, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useForecast(art: string, q: MetricsQuery, enabled = true) {
  return useQuery({
    queryKey: metricsKeys.forecast(art, q),
    queryFn: ({ signal }) => metricsApi.forecast(art, q, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useInspectAdapt(art: string, q: MetricsQuery, enabled = true) {
  return useQuery({
    queryKey: metricsKeys.inspectAdapt(art, q),
    queryFn: ({ signal }) => metricsApi.inspectAdapt(art, q, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The latest finished iteration that had stories planned (an IP iteration usually has none), else the latest. */
export function latestCompleted(iterations: readonly IterationResult[]): IterationResult | null {
  const done = iterations.filter((i) => i.completed);
  return [...done].reverse().find((i) => i.planned.stories > 0) ?? done[done.length - 1] ?? null;
}

/** Shown for a number that cannot be computed (nothing planned, nothing finished): never 0 % or 100 %. */
export const NO_DATA = "no data";

/** A percentage rounded to a whole number ("63%"), or "no data". */
export const percentText = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? NO_DATA : `${Math.round(value)}%`;

/** A number with at most `digits` decimals ("12.5"), or "no data". */
export function numberText(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_DATA;
  const f = 10 ** digits;
  return String(Math.round(value * f) / f);
}

/** "1 story", "3 stories". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A file name from its parts: lower case, words joined by dashes. */
export function fileNameOf(parts: (string | null | undefined)[], ext: string): string {
  const base = parts
    .filter((p): p is string => Boolean(p))
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${base || "metrics"}.${ext}`;
}

/** Offers a file to save: through a link with `download`, clicked and removed. */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
}

/** A short date for axes and tables: "3 Mar". */
export const shortDate = (iso: string): string =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
