// The economic view of a program backlog level: each item's quantified Cost of Delay, urgency profile, duration and
// CD3, a fixed-date item's latest start, slack and cost-of-delay curve, and the WSJF order beside the CD3 order.
import { z } from "zod";
import { dayNumber, type EconomicsView, economicsView } from "../core/economics.js";
import { notFound } from "../core/errors.js";
import { PROGRAM_LEVELS } from "../core/wsjf-views.js";
import { backlogEconomics } from "../store/items.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import { type Deps, now } from "./deps.js";
import { parseInput } from "./item-input.js";

export type { EconomicsView };

export const EconomicsQuery = z.strictObject({
  level: z.enum(PROGRAM_LEVELS).default("feature").describe("Which program backlog: epics, capabilities or features"),
  asOf: z
    .string()
    .refine((d) => dayNumber(d) !== null, "a date, yyyy-mm-dd")
    .optional()
    .describe("The day slack and cost-of-delay curves are counted from (yyyy-mm-dd); today when omitted"),
});

export async function listEconomics(deps: Deps, actor: Actor, artRef: string, query: unknown): Promise<EconomicsView> {
  const { level, asOf } = parseInput(EconomicsQuery, query);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  const items = await backlogEconomics(deps.db, `art:${art.id}:${level}`);
  return economicsView(level, asOf ?? now(deps).slice(0, 10), items);
}
