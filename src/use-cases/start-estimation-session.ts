// Starting an estimation session: the facilitator picks program items of one level, the WSJF inputs to estimate and
// the people to invite; they need the right to estimate every input they pick.
import { z } from "zod";
import { AppError, type FieldIssue, invalid, invalidFields, notFound } from "../core/errors.js";
import { ESTIMATION_LIMITS, type EstimationSessionView } from "../core/estimation.js";
import type { Permission } from "../core/permissions.js";
import { WSJF_INPUTS, type WsjfInput } from "../core/wsjf.js";
import { PROGRAM_LEVELS } from "../core/wsjf-views.js";
import { findAccount, listGrants } from "../store/accounts.store.js";
import { type EstimationSession, insertEstimationSession } from "../store/estimation.store.js";
import { findItems } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { findArt, findPeople, findPerson } from "../store/train.store.js";
import { type Actor, authorize } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { sessionChanged, viewFor } from "./open-estimation-session.js";

const ref = z.string().trim().min(1).max(100);

export const StartEstimationInput = z.strictObject({
  title: z.string().trim().min(1).max(ESTIMATION_LIMITS.title).describe("What the session is about"),
  level: z.enum(PROGRAM_LEVELS).default("feature").describe("The level of the items to estimate"),
  inputs: z
    .array(z.enum(WSJF_INPUTS))
    .min(1)
    .refine((a) => new Set(a).size === a.length, "each input once")
    .optional()
    .describe("The WSJF inputs to estimate (all four if left out)"),
  items: z.array(ref).min(1).max(ESTIMATION_LIMITS.items).describe("Keys or ids of program items of this ART"),
  participants: z
    .array(ref)
    .max(ESTIMATION_LIMITS.participants)
    .default([])
    .describe("Ids (or emails) of the people to invite; the facilitator takes part anyway"),
});

/** The right a person needs to estimate an input. */
export const rightFor = (input: WsjfInput): Permission =>
  input === "businessValue" ? "score_business_value" : "score_wsjf";

/** Whether a person may see the ART: an administrator, or someone with a role on it. */
export async function personSeesArt(db: Db, personId: string, artId: string): Promise<boolean> {
  const account = await findAccount(db, personId);
  if (account?.admin && account.active) return true;
  return (await listGrants(db, { personId, artId })).length > 0;
}

/** Resolves people by id or email, each of whom must be able to see the ART; issues are named `${path}.${i}`. */
export async function resolveParticipants(
  db: Db,
  artId: string,
  refs: readonly string[],
  path: string,
): Promise<string[]> {
  const people = await findPeople(db, refs);
  const issues: FieldIssue[] = [];
  const ids: string[] = [];
  for (const [i, r] of refs.entries()) {
    const person = people.find((p) => p.id === r || p.email.toLowerCase() === r.toLowerCase());
    if (!person) issues.push({ path: `${path}.${i}`, message: `no person '${r}'` });
    else if (!(await personSeesArt(db, person.id, artId)))
      issues.push({ path: `${path}.${i}`, message: `${person.name} cannot see this ART` });
    else ids.push(person.id);
  }
  if (issues.length > 0) throw invalidFields(issues);
  return ids;
}

export async function startEstimationSession(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
): Promise<EstimationSessionView> {
  const { title, level, inputs = [...WSJF_INPUTS], items, participants } = parseInput(StartEstimationInput, input);
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  const scope = { artId: art.id, teamId: null };
  for (const right of new Set(inputs.map(rightFor))) authorize(actor, right, scope);
  const facilitatorId = actor.personId;
  if (facilitatorId === null || !(await findPerson(deps.db, facilitatorId))) {
    throw new AppError("invalid", "Say who facilitates the session (--as a person).", {
      fields: [{ path: "facilitator", message: "required" }],
    });
  }
  const found = await findItems(deps.db, items);
  const issues: FieldIssue[] = [];
  const itemIds: string[] = [];
  for (const [i, r] of items.entries()) {
    const item = found.find((f) => f.id === r || f.key === r);
    if (!item || item.artId !== art.id) issues.push({ path: `items.${i}`, message: `no item '${r}' on ${art.key}` });
    else if (item.level !== level) issues.push({ path: `items.${i}`, message: `${item.key} is not a ${level}` });
    else if (itemIds.includes(item.id)) issues.push({ path: `items.${i}`, message: `${item.key} is listed twice` });
    else itemIds.push(item.id);
  }
  if (issues.length > 0) throw invalidFields(issues);
  const people = await resolveParticipants(deps.db, art.id, participants, "participants");
  if (new Set(people).size !== people.length) throw invalid("participants", "each person once");
  const session: EstimationSession = {
    id: deps.newId(),
    artId: art.id,
    title,
    level,
    inputs: WSJF_INPUTS.filter((k) => inputs.includes(k)),
    state: "scoring",
    round: 1,
    facilitatorId,
    createdAt: now(deps),
    revealedAt: null,
    closedAt: null,
    version: 1,
  };
  return inTransaction(deps, async (db) => {
    await insertEstimationSession(db, session, itemIds, [facilitatorId, ...people.filter((p) => p !== facilitatorId)]);
    return { result: await viewFor(db, actor, session), changes: [sessionChanged(session, actor)] };
  });
}
