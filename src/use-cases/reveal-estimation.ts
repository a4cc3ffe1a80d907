// Revealing an estimation session's scores: every participant then sees all of them, the spread and the proposal.
import { AppError } from "../core/errors.js";
import { type EstimationSessionView, nextEstimationState } from "../core/estimation.js";
import { type EstimationSession, updateEstimationSession } from "../store/estimation.store.js";
import type { Db } from "../store/schema.js";
import type { Actor } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { loadSession, mustFacilitate, sessionChanged, viewFor } from "./open-estimation-session.js";

/** Writes the session's next state if nobody changed it meanwhile. */
export async function saveSession(db: Db, next: EstimationSession, before: EstimationSession): Promise<void> {
  if (!(await updateEstimationSession(db, { ...next, version: before.version + 1 }, before.version))) {
    throw new AppError("conflict", "The session changed meanwhile; reload it and try again.");
  }
}

/** Reveals the scores of the current round (the facilitator's, while scoring). */
export async function revealEstimation(deps: Deps, actor: Actor, ref: string): Promise<EstimationSessionView> {
  return inTransaction(deps, async (db) => {
    const access = await loadSession(db, actor, ref);
    mustFacilitate(actor, access);
    const { session } = access;
    const next = { ...session, state: nextEstimationState(session.state, "reveal"), revealedAt: now(deps) };
    await saveSession(db, next, session);
    return { result: await viewFor(db, actor, next), changes: [sessionChanged(session, actor)] };
  });
}
