// A participant's own scores in an estimation session, one or many cells at once; null withdraws a score.
import { z } from "zod";
import { AppError, type FieldIssue, invalidFields } from "../core/errors.js";
import { assertEstimationState, ESTIMATION_LIMITS, type EstimationSessionView } from "../core/estimation.js";
import { isOnScale, WSJF_INPUTS } from "../core/wsjf.js";
import { loadEstimationRows, putScore } from "../store/estimation.store.js";
import type { Actor } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { holdState, loadSession, sessionChanged, viewFor } from "./open-estimation-session.js";

export const scaleValue = z.number().int().refine(isOnScale, "expected a value of the scale 1, 2, 3, 5, 8, 13, 20");

export const ScoreInput = z.strictObject({
  scores: z
    .array(
      z.strictObject({
        item: z.string().trim().min(1).max(100).describe("Key or id of an item of the session"),
        input: z.enum(WSJF_INPUTS),
        value: scaleValue.nullable().describe("A scale value, or null to withdraw your score"),
      }),
    )
    .min(1)
    .max(ESTIMATION_LIMITS.cellsPerRequest),
});

/** Sets the caller's own scores; only participants score, and only while the session is scoring. */
export async function scoreEstimation(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
): Promise<EstimationSessionView> {
  const { scores } = parseInput(ScoreInput, input);
  return inTransaction(deps, async (db) => {
    const access = await loadSession(db, actor, ref);
    const { session } = access;
    if (!access.participant) {
      throw new AppError("forbidden", "Only the participants of this session can score in it.");
    }
    assertEstimationState(session.state, "score");
    const rows = await loadEstimationRows(db, session);
    const issues: FieldIssue[] = [];
    const cells: { itemId: string; input: (typeof WSJF_INPUTS)[number]; value: number | null }[] = [];
    for (const [i, s] of scores.entries()) {
      const item = rows.items.find((it) => it.id === s.item || it.key === s.item);
      if (!item) issues.push({ path: `scores.${i}.item`, message: `${s.item} is not in this session` });
      else if (!session.inputs.includes(s.input))
        issues.push({ path: `scores.${i}.input`, message: `${s.input} is not estimated in this session` });
      else cells.push({ itemId: item.id, input: s.input, value: s.value });
    }
    if (issues.length > 0) throw invalidFields(issues);
    await holdState(db, session, "scoring");
    const at = now(deps);
    const personId = actor.personId as string;
    for (const c of cells) {
      await putScore(db, { sessionId: session.id, ...c, personId, round: session.round }, c.value, at);
    }
    return { result: await viewFor(db, actor, session), changes: [sessionChanged(session, actor)] };
  });
}
