// The WSJF estimation grid of a program backlog level: every item with its inputs, Cost of Delay and WSJF (or what
// is missing), where it is ranked against where WSJF would put it, whether each column is anchored at 1, and how well
// the backlog's order agrees with WSJF overall.
import { PROGRAM_LEVELS, type WsjfGrid, type WsjfRow } from "../core/wsjf-views.js";

export { PROGRAM_LEVELS, type WsjfGrid, type WsjfRow };

import { z } from "zod";
import { notFound } from "../core/errors.js";
import {
  costOfDelay,
  isAnchored,
  missingInputs,
  placesFromWsjf,
  WSJF_INPUTS,
  type WsjfInput,
  wsjf,
  wsjfAgreement,
} from "../core/wsjf.js";
import { backlogCandidates } from "../store/reorders.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";

export const WsjfQuery = z.strictObject({
  level: z.enum(PROGRAM_LEVELS).default("feature").describe("Which program backlog: epics, capabilities or features"),
});

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
