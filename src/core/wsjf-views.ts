// What the prioritization screens read: the WSJF estimation grid, a WSJF order's preview, a team's alignment to the
// program. Shared by the use cases that build them and the web app that shows them.
import type { WsjfInput, WsjfInputs } from "./wsjf.js";

export const PROGRAM_LEVELS = ["epic", "capability", "feature"] as const;
export type ProgramLevel = (typeof PROGRAM_LEVELS)[number];

export interface WsjfRow {
  id: string;
  key: string;
  title: string;
  type: string;
  state: string;
  version: number;
  /** 1-based position in the backlog's rank. */
  position: number;
  inputs: WsjfInputs;
  costOfDelay: number | null;
  wsjf: number | null;
  /** The inputs still to estimate; WSJF stays empty until there are none. */
  missing: WsjfInput[];
  /** Ranked this many places above (positive) or below (negative) where WSJF would put it; null when unscored. */
  placesFromWsjf: number | null;
}

export interface WsjfGrid {
  level: ProgramLevel;
  items: WsjfRow[];
  /** Per input: whether its smallest estimate is 1 (SAFe anchors each column to its smallest item). */
  anchored: Record<WsjfInput, boolean>;
  /** Kendall's tau between the rank and the WSJF order over scored items: 1 agrees, -1 is reversed. */
  agreement: number | null;
  scored: number;
}

export interface WsjfOrderPreview {
  /** The change to undo (POST /arts/{art}/reorders/{id}/undo), or null for a dry run or when nothing moves. */
  reorderId: string | null;
  dryRun: boolean;
  moved: number;
  agreementBefore: number | null;
  agreementAfter: number | null;
  items: {
    id: string;
    key: string;
    title: string;
    wsjf: number | null;
    costOfDelay: number | null;
    pinned: boolean;
    /** 1-based positions. */
    from: number;
    to: number;
  }[];
}

export interface TeamAlignment {
  reorderId: string | null;
  dryRun: boolean;
  /** Share of story pairs (0–1) ordered against the program's feature rank, before and after. */
  driftBefore: number;
  driftAfter: number;
  moved: number;
  items: { id: string; key: string; title: string; featureKey: string | null; from: number; to: number }[];
}
