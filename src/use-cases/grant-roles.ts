// Roles on an ART or one of its teams: who holds which, granting and revoking them. Administrators may grant any
// role anywhere; an ART's RTE may grant roles on their ART and its teams. Every grant and revocation is audited.
import { z } from "zod";
import { AppError, notFound } from "../core/errors.js";
import { type Actor, ROLES, type RoleGrant } from "../core/permissions.js";
import { deleteGrant, findAccount, findGrant, insertGrant, listGrants, recordAudit } from "../store/accounts.store.js";
import { findArt } from "../store/train.store.js";
import { actorId, authorize } from "./authorize.js";
import { type Deps, now, withinTransaction } from "./deps.js";
import { parseInput } from "./item-input.js";
import type { RequestOrigin } from "./sign-in.js";

export const GrantInput = z.strictObject({
  person: z.string().trim().min(1, "required").max(200).describe("The person's id or email"),
  role: z.enum(ROLES),
  team: z.string().trim().min(1).max(100).optional().describe("A team key or id: the role is on that team only"),
});

export interface RoleHolder extends RoleGrant {
  id: string;
  person: { id: string; name: string; email: string };
  createdAt: string;
}

async function mustFindArt(deps: Deps, ref: string) {
  const art = await findArt(deps.db, ref);
  if (!art) throw notFound("ART", ref);
  return art;
}

/** Who holds which role on an ART and its teams. Anyone who may see the ART may see this. */
export async function listRoles(deps: Deps, actor: Actor, artRef: string): Promise<RoleHolder[]> {
  const art = await mustFindArt(deps, artRef);
  authorize(actor, "read", { artId: art.id, teamId: null }, "ART", artRef);
  const grants = await listGrants(deps.db, { artId: art.id });
  const people = new Map<string, RoleHolder["person"]>();
  for (const id of new Set(grants.map((g) => g.personId))) {
    const a = await findAccount(deps.db, id);
    if (a) people.set(id, { id, name: a.name, email: a.email });
  }
  return grants.flatMap((g) => {
    const person = people.get(g.personId);
    return person ? [{ id: g.id, role: g.role, artId: g.artId, teamId: g.teamId, person, createdAt: g.createdAt }] : [];
  });
}

export async function grantRole(
  deps: Deps,
  actor: Actor,
  artRef: string,
  input: unknown,
  origin: RequestOrigin,
): Promise<RoleHolder> {
  const p = parseInput(GrantInput, input);
  const art = await mustFindArt(deps, artRef);
  authorize(actor, "grant_roles", { artId: art.id, teamId: null }, "ART", artRef);
  const team = p.team === undefined ? null : art.teams.find((t) => t.key === p.team || t.id === p.team);
  if (team === undefined) {
    throw new AppError("invalid", `${art.key} has no team '${p.team}'.`, {
      fields: [{ path: "team", message: "no such team on this ART" }],
    });
  }
  const at = now(deps);
  return withinTransaction(deps, async (db) => {
    const account = await findAccount(db, p.person);
    if (!account) {
      throw new AppError("invalid", `No account '${p.person}': invite them first.`, {
        fields: [{ path: "person", message: "no such account" }],
      });
    }
    const id = deps.newId();
    const grant = {
      id,
      personId: account.personId,
      role: p.role,
      artId: art.id,
      teamId: team?.id ?? null,
      createdAt: at,
    };
    if (!(await insertGrant(db, grant, actorId(actor)))) {
      throw new AppError("conflict", `${account.name} is ${p.role} on ${team ? team.name : art.key} already.`);
    }
    await recordAudit(db, {
      at,
      kind: "role_granted",
      actorId: actorId(actor),
      subjectId: account.personId,
      artId: art.id,
      ip: origin.ip,
      detail: { role: p.role, teamId: grant.teamId },
    });
    return {
      id,
      role: p.role,
      artId: art.id,
      teamId: grant.teamId,
      person: { id: account.personId, name: account.name, email: account.email },
      createdAt: at,
    };
  });
}

export async function revokeRole(
  deps: Deps,
  actor: Actor,
  artRef: string,
  grantId: string,
  origin: RequestOrigin,
): Promise<void> {
  const art = await mustFindArt(deps, artRef);
  authorize(actor, "grant_roles", { artId: art.id, teamId: null }, "ART", artRef);
  const at = now(deps);
  await withinTransaction(deps, async (db) => {
    const grant = await findGrant(db, grantId);
    if (!grant || grant.artId !== art.id) throw notFound("role", grantId);
    await deleteGrant(db, grant.id);
    await recordAudit(db, {
      at,
      kind: "role_revoked",
      actorId: actorId(actor),
      subjectId: grant.personId,
      artId: art.id,
      ip: origin.ip,
      detail: { role: grant.role, teamId: grant.teamId },
    });
  });
}
