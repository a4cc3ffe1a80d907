// Closing an estimation session: nothing changes in it afterwards.
import { type EstimationSessionView, nextEstimationState } from "../core/estimation.js";
import type { Actor } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { loadSession, mustFacilitate, sessionChanged, viewFor } from "./open-estimation-session.js";
import { saveSession } from "./reveal-estimation.js";

export async function closeEstimationSession(deps: Deps, actor: Actor, ref: string): Promise<EstimationSessionView> {
  return inTransaction(deps, async (db) => {
    const access = await loadSession(db, actor, ref);
    mustFacilitate(actor, access);
    const { session } = access;
    const next = { ...session, state: nextEstimationState(session.state, "close"), closedAt: now(deps) };
    await saveSession(db, next, session);
    return { result: await viewFor(db, actor, next), changes: [sessionChanged(session, actor)] };
  });
}
