// The WSJF estimation grid of a program backlog level: every item with its inputs, Cost of Delay and WSJF (or what
// is missing), where it is ranked against where WSJF would put it, whether each column is anchored at 1, and how well
// the backlog's order agrees with WSJF overall.
import { z } from "zod";
import { notFound } from "../core/errors.js";
import {
  costOfDelay,
  isAnchored,
  missingInputs,
  placesFromWsjf,
  WSJF_INPUTS,
  type WsjfInput,
  type WsjfInputs,
  wsjf,
  wsjfAgreement,
} from "../core/wsjf.js";
import { backlogCandidates } from "../store/reorders.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

export const PROGRAM_LEVELS = ["epic", "capability", "feature"] as const;
export const WsjfQuery = z.strictObject({
  level: z.enum(PROGRAM_LEVELS).default("feature").describe("Which program backlog: epics, capabilities or features"),
});

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
  level: (typeof PROGRAM_LEVELS)[number];
  items: WsjfRow[];
  /** Per input: whether its smallest estimate is 1 (SAFe anchors each column to its smallest item). */
  anchored: Record<WsjfInput, boolean>;
  /** Kendall's tau between the rank and the WSJF order over scored items: 1 agrees, -1 is reversed. */
  agreement: number | null;
  scored: number;
}

export async function listWsjf(deps: Deps, actor: Actor, artRef: string, query: unknown): Promise<WsjfGrid> {
  const { level } = parseInput(WsjfQuery, query);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  const candidates = await backlogCandidates(deps.db, `art:${art.id}:${level}`);
  const places = placesFromWsjf(candidates);
  const items = candidates.map(
    (c, i): WsjfRow => ({
      id: c.id,
      key: c.key,
      title: c.title,
      type: c.type,
      state: c.state,
      version: c.version,
      position: i + 1,
      inputs: c.inputs,
      costOfDelay: costOfDelay(c.inputs),
      wsjf: wsjf(c.inputs),
      missing: missingInputs(c.inputs),
      placesFromWsjf: places.get(c.id) ?? null,
    }),
  );
  const anchored = Object.fromEntries(
    WSJF_INPUTS.map((k) => [k, isAnchored(candidates.map((c) => c.inputs[k]))]),
  ) as Record<WsjfInput, boolean>;
  return {
    level,
    items,
    anchored,
    agreement: wsjfAgreement(candidates),
    scored: items.filter((i) => i.wsjf !== null).length,
  };
}
