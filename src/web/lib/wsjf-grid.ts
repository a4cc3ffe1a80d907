// How the WSJF estimation grid reads and sorts: column labels, the words for agreement, drift and "places above its
// WSJF", client-side sorting (unscored last whichever way), and reading typed digits as a value on the scale.
import { WSJF_INPUT_LABELS, WSJF_SCALE, type WsjfInput } from "../../core/wsjf";
import type { WsjfRow } from "./types";

export { WSJF_INPUT_LABELS, WSJF_INPUTS, WSJF_SCALE, type WsjfInput } from "../../core/wsjf";

/** Column headings: short enough for a grid; the full label is the heading's title. */
export const WSJF_SHORT_LABELS: Record<WsjfInput, string> = {
  businessValue: "Value",
  timeCriticality: "Time crit.",
  riskReduction: "RR | OE",
  jobSize: "Job size",
};

/** The columns the grid sorts by. */
export const SORT_COLUMNS = [
  "position",
  "key",
  "title",
  "type",
  "state",
  "businessValue",
  "timeCriticality",
  "riskReduction",
  "jobSize",
  "costOfDelay",
  "wsjf",
  "placesFromWsjf",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export interface GridSort {
  column: SortColumn;
  descending: boolean;
}

function cellValue(row: WsjfRow, column: SortColumn): string | number | null {
  switch (column) {
    case "businessValue":
    case "timeCriticality":
    case "riskReduction":
    case "jobSize":
      return row.inputs[column];
    default:
      return row[column];
  }
}

/**
 * The rows sorted by one column, either way; empty values (an unscored WSJF, a missing input) always come last, and
 * equal values keep their rank order.
 */
export function sortRows(rows: readonly WsjfRow[], sort: GridSort): WsjfRow[] {
  const direction = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = cellValue(a, sort.column);
    const vb = cellValue(b, sort.column);
    if (va === null || vb === null) return va === vb ? a.position - b.position : va === null ? 1 : -1;
    const order =
      typeof va === "number" && typeof vb === "number"
        ? va - vb
        : String(va).localeCompare(String(vb), undefined, { numeric: true });
    return order === 0 ? a.position - b.position : order * direction;
  });
}

/** The direction a column sorts in when first chosen: the biggest first for the figures, A–Z and rank ascending. */
export function firstDirection(column: SortColumn): boolean {
  return !["position", "key", "title", "type", "state", "placesFromWsjf"].includes(column);
}

/** Kendall's tau in words: "Rank and WSJF agree 0.62". */
export function agreementText(tau: number | null): string {
  if (tau === null) return "Score two or more items to compare rank with WSJF";
  if (tau <= -0.3) return `Rank and WSJF disagree ${tau.toFixed(2)}`;
  return `Rank and WSJF agree ${tau.toFixed(2)}`;
}

/** How closely, for the indicator's colour: 1 is the same order, -1 reversed. */
export function agreementTone(tau: number | null): "none" | "good" | "fair" | "poor" {
  if (tau === null) return "none";
  return tau >= 0.7 ? "good" : tau >= 0.3 ? "fair" : "poor";
}

/** Where an item is ranked against where WSJF would put it. */
export function placesText(places: number | null): string {
  if (places === null) return "—";
  if (places === 0) return "At its WSJF place";
  const n = Math.abs(places);
  return `${n} place${n === 1 ? "" : "s"} ${places > 0 ? "above" : "below"} its WSJF`;
}

/** What keeps an item's WSJF empty: "missing: job size". */
export function missingText(missing: readonly WsjfInput[]): string {
  return `missing: ${missing.map((m) => WSJF_INPUT_LABELS[m].toLowerCase()).join(", ")}`;
}

/** A team backlog's drift from program priorities (a share 0–1) in words. */
export function driftText(drift: number): string {
  if (drift === 0) return "In program order";
  return `${Math.max(1, Math.round(drift * 100))}% out of program order`;
}

/**
 * Digits typed into a scale cell, read as a value: "8" → 8, "1" then "3" → 13, "2" then "0" → 20. Returns the new
 * digit buffer and the value it names (null if none yet: a digit that starts no scale value starts over).
 */
export function readScaleDigits(buffer: string, digit: string): { buffer: string; value: number | null } {
  const onScale = (s: string) => (WSJF_SCALE as readonly number[]).includes(Number(s)) && !s.startsWith("0");
  const startsValue = (s: string) => WSJF_SCALE.some((v) => String(v).startsWith(s));
  for (const candidate of [buffer + digit, digit]) {
    if (startsValue(candidate)) return { buffer: candidate, value: onScale(candidate) ? Number(candidate) : null };
  }
  return { buffer: "", value: null };
}

/** The next value up or down the scale from `value` (from nothing, up starts at 1 and down at 20). */
export function stepScale(value: number | null, up: boolean): number {
  const scale = WSJF_SCALE as readonly number[];
  if (value === null) return (up ? scale[0] : scale[scale.length - 1]) as number;
  const at = scale.indexOf(value);
  const next = Math.min(scale.length - 1, Math.max(0, (at === -1 ? 0 : at) + (up ? 1 : -1)));
  return scale[next] as number;
}
