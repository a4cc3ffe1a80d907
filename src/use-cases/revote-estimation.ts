// Another round of an estimation session for some or all items: their unconfirmed scores are cleared (kept in the old
// round), the round goes up by one and the session is back to scoring.
import { z } from "zod";
import { type FieldIssue, invalidFields } from "../core/errors.js";
import { ESTIMATION_LIMITS, type EstimationSessionView, nextEstimationState } from "../core/estimation.js";
import { carryScoresToNextRound, loadEstimationRows } from "../store/estimation.store.js";
import type { Actor } from "./authorize.js";
import { type Deps, inTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import { loadSession, mustFacilitate, sessionChanged, viewFor } from "./open-estimation-session.js";
import { saveSession } from "./reveal-estimation.js";

export const RevoteInput = z.strictObject({
  items: z
    .array(z.string().trim().min(1).max(100))
    .min(1)
    .max(ESTIMATION_LIMITS.items)
    .optional()
    .describe("Keys or ids of the items to vote on again (all of them if left out)"),
});

export async function revoteEstimation(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
): Promise<EstimationSessionView> {
  const { items } = parseInput(RevoteInput, input ?? {});
  return inTransaction(deps, async (db) => {
    const access = await loadSession(db, actor, ref);
    mustFacilitate(actor, access);
    const { session } = access;
    const state = nextEstimationState(session.state, "revote");
    const rows = await loadEstimationRows(db, session);
    let revoted = rows.items.map((i) => i.id);
    if (items) {
      const issues: FieldIssue[] = [];
      revoted = [];
      for (const [i, r] of items.entries()) {
        const item = rows.items.find((it) => it.id === r || it.key === r);
        if (!item) issues.push({ path: `items.${i}`, message: `${r} is not in this session` });
        else revoted.push(item.id);
      }
      if (issues.length > 0) throw invalidFields(issues);
    }
    const next = { ...session, state, round: session.round + 1, revealedAt: null };
    await saveSession(db, next, session);
    await carryScoresToNextRound(db, session.id, session.round, revoted);
    return { result: await viewFor(db, actor, next), changes: [sessionChanged(session, actor)] };
  });
}
