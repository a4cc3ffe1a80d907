// Opening an estimation session (as the caller may see it) and listing an ART's sessions; the loading, membership and
// facilitator checks, and the change every session write publishes, shared by the other estimation use cases.
import { AppError, notFound } from "../core/errors.js";
import {
  type EstimationSessionSummary,
  type EstimationSessionView,
  type EstimationState,
  sessionView,
} from "../core/estimation.js";
import type { Change } from "../core/item-views.js";
import { canSee, isAdmin } from "../core/permissions.js";
import {
  type EstimationSession,
  findEstimationSession,
  isParticipant,
  listEstimationSessions,
  loadEstimationRows,
  touchEstimationSession,
} from "../store/estimation.store.js";
import type { Db } from "../store/schema.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import type { Deps } from "./deps.js";

export interface SessionAccess {
  session: EstimationSession;
  facilitator: boolean;
  participant: boolean;
}

/**
 * Loads a session for `actor`: its facilitator, participants and administrators may open it; anyone else (even with a
 * role on the ART) is told it does not exist.
 */
export async function loadSession(db: Db, actor: Actor, ref: string): Promise<SessionAccess> {
  const session = await findEstimationSession(db, ref);
  if (!session || !canSee(actor, { artId: session.artId, teamId: null })) throw notFound("estimation session", ref);
  const personId = actor.personId;
  const facilitator = personId !== null && personId === session.facilitatorId;
  const participant = personId !== null && (facilitator || (await isParticipant(db, session.id, personId)));
  if (!facilitator && !participant && !isAdmin(actor)) throw notFound("estimation session", ref);
  return { session, facilitator, participant };
}

/** Throws forbidden unless `actor` facilitates the session (the operator at the database may act for them). */
export function mustFacilitate(actor: Actor, access: SessionAccess): void {
  if (access.facilitator || actor.kind === "operator") return;
  throw new AppError("forbidden", "Only the facilitator of this session can do this.", {
    data: { facilitator: access.session.facilitatorId },
  });
}

/** Throws conflict unless the session is still in `state` (and holds it for the rest of the transaction). */
export async function holdState(db: Db, session: EstimationSession, state: EstimationState): Promise<void> {
  if (!(await touchEstimationSession(db, session.id, state))) {
    throw new AppError("conflict", "The session changed meanwhile; reload it and try again.");
  }
}

/** The session as `actor` sees it now. */
export async function viewFor(db: Db, actor: Actor, session: EstimationSession): Promise<EstimationSessionView> {
  return sessionView(await loadEstimationRows(db, session), { personId: actor.personId });
}

export const sessionChanged = (session: { id: string; artId: string }, actor: Actor): Change => ({
  kind: "estimation.changed",
  artId: session.artId,
  sessionId: session.id,
  actorId: actor.personId,
});

/** Opens the session `ref` as `actor` sees it. */
export async function openEstimationSession(deps: Deps, actor: Actor, ref: string): Promise<EstimationSessionView> {
  const { session } = await loadSession(deps.db, actor, ref);
  return viewFor(deps.db, actor, session);
}

/** The sessions of the ART `artRef` that `actor` may open (administrators: all of them), newest first. */
export async function listEstimationSessionsOf(
  deps: Deps,
  actor: Actor,
  artRef: string,
): Promise<{ items: EstimationSessionSummary[] }> {
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  const who = isAdmin(actor) ? "all" : (actor.personId as string);
  const rows = await listEstimationSessions(deps.db, art.id, who);
  return {
    items: rows.map((r) => ({
      id: r.session.id,
      artId: r.session.artId,
      title: r.session.title,
      level: r.session.level,
      state: r.session.state,
      round: r.session.round,
      inputs: r.session.inputs,
      facilitator: { id: r.session.facilitatorId, name: r.facilitatorName },
      itemCount: r.itemCount,
      participantCount: r.participantCount,
      createdAt: r.session.createdAt,
      revealedAt: r.session.revealedAt,
      closedAt: r.session.closedAt,
    })),
  };
}
