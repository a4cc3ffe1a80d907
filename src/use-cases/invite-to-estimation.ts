// Inviting a person to an estimation session, or removing one (their scores in it go too); the facilitator's to do.
import { z } from "zod";
import { AppError, notFound } from "../core/errors.js";
import { assertEstimationState, type EstimationSessionView } from "../core/estimation.js";
import { deleteParticipant, insertParticipant } from "../store/estimation.store.js";
import { findPerson } from "../store/train.store.js";
import type { Actor } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { holdState, loadSession, mustFacilitate, sessionChanged, viewFor } from "./open-estimation-session.js";
import { resolveParticipants } from "./start-estimation-session.js";

export const InviteInput = z.strictObject({
  person: z.string().trim().min(1).max(100).describe("The id (or email) of the person to invite"),
});

/** Adds a participant (who must be able to see the ART); inviting someone already in the session changes nothing. */
export async function inviteToEstimation(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
): Promise<EstimationSessionView> {
  const { person } = parseInput(InviteInput, input);
  return inTransaction(deps, async (db) => {
    const access = await loadSession(db, actor, ref);
    mustFacilitate(actor, access);
    const { session } = access;
    assertEstimationState(session.state, "invite");
    const [personId] = await resolveParticipants(db, session.artId, [person], "person");
    await holdState(db, session, session.state);
    const added = await insertParticipant(db, session.id, personId as string, now(deps));
    return { result: await viewFor(db, actor, session), changes: added ? [sessionChanged(session, actor)] : [] };
  });
}

/** Removes a participant and their scores; the facilitator cannot leave their own session. */
export async function removeFromEstimation(
  deps: Deps,
  actor: Actor,
  ref: string,
  personRef: string,
): Promise<EstimationSessionView> {
  return inTransaction(deps, async (db) => {
    const access = await loadSession(db, actor, ref);
    mustFacilitate(actor, access);
    const { session } = access;
    assertEstimationState(session.state, "invite");
    const person = await findPerson(db, personRef);
    if (!person) throw notFound("person", personRef);
    if (person.id === session.facilitatorId) {
      throw new AppError("invalid", "The facilitator takes part in their own session.", {
        fields: [{ path: "person", message: "is the facilitator" }],
      });
    }
    await holdState(db, session, session.state);
    if (!(await deleteParticipant(db, session.id, person.id))) throw notFound("participant", personRef);
    return { result: await viewFor(db, actor, session), changes: [sessionChanged(session, actor)] };
  });
}
