// Risks of a train, ROAMed at PI planning: resolved, owned, accepted or mitigated (unroamed until then), optionally of
// a PI and a team, with an owner and the items they threaten. Everyone who may see the ART reads those of the train
// and of the teams they may see; writing one needs `plan_pi` on its team (the ART for the train's).
import { z } from "zod";
import { invalidFields, notFound } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import { ROAM_STATES, type Roam } from "../core/pi-planning.js";
import type { Risk, RiskList } from "../core/planning-views.js";
import type { Art } from "../core/train.js";
import { LIMITS } from "../core/work-item.js";
import { findItems } from "../store/items.store.js";
import {
  deleteRisk,
  findRisk,
  insertRisk,
  itemSummaries,
  listRisks,
  type StoredRisk,
  updateRisk as saveRisk,
} from "../store/planning.store.js";
import type { Db } from "../store/schema.js";
import { findArt, findPeople } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { DeleteQuery } from "./pi-objectives.js";
import { findVisibleArt, planningChanged, staleVersion, teamsToShow, version } from "./pi-settings.js";

export type { Risk, RiskList, Roam };

const ref = z.string().trim().min(1, "must not be empty").max(100);
const title = z.string().trim().min(1, "a title is required").max(LIMITS.title, `at most ${LIMITS.title} characters`);
const description = z.string().max(LIMITS.description, `at most ${LIMITS.description} characters`);
const roam = z.enum(ROAM_STATES, { error: `one of ${ROAM_STATES.join(", ")}` });
const fields = {
  piId: ref.nullable().describe("Id or name of the PI, if the risk is of one"),
  teamId: ref.nullable().describe("Key or id of the team; null for the train's"),
  ownerId: ref.nullable().describe("Id or email of the person who owns it"),
  itemIds: z.array(ref).max(50).describe("Ids or keys of the items it threatens"),
};

export const RiskInput = z.strictObject({
  title,
  description: description.default(""),
  piId: fields.piId.default(null),
  teamId: fields.teamId.default(null),
  ownerId: fields.ownerId.default(null),
  itemIds: fields.itemIds.default([]),
  roam: roam.default("unroamed"),
});
export type RiskInput = z.input<typeof RiskInput>;

export const UpdateRiskInput = z.strictObject({
  version,
  title: title.optional(),
  description: description.optional(),
  piId: fields.piId.optional(),
  teamId: fields.teamId.optional(),
  ownerId: fields.ownerId.optional(),
  itemIds: fields.itemIds.optional(),
  roam: roam.optional(),
});
export type UpdateRiskInput = z.input<typeof UpdateRiskInput>;

export const RiskQuery = z.object({
  pi: ref.optional().describe("Only the risks of this PI (id or name)"),
  roam: roam.optional().describe("Only the risks in this ROAM state"),
  team: ref.optional().describe("Only the risks of this team (key or id)"),
});

type Refs = { piId?: string | null; teamId?: string | null; ownerId?: string | null; itemIds?: string[] };

/** Resolves what a risk input names within its ART; 400 naming each field that names nothing one may see. */
async function resolveRefs(db: Db, actor: Actor, art: Art, refs: Refs): Promise<Refs> {
  const issues: { path: string; message: string }[] = [];
  const out: Refs = {};
  if (refs.piId !== undefined) {
    const pi = refs.piId === null ? null : art.pis.find((p) => p.id === refs.piId || p.name === refs.piId);
    if (pi === undefined) issues.push({ path: "piId", message: `no PI '${refs.piId}' in ${art.key}` });
    else out.piId = pi?.id ?? null;
  }
  if (refs.teamId !== undefined) {
    const team =
      refs.teamId === null
        ? null
        : teamsToShow(actor, art, undefined).find((t) => t.id === refs.teamId || t.key === refs.teamId);
    if (team === undefined) issues.push({ path: "teamId", message: `no team '${refs.teamId}' in ${art.key}` });
    else out.teamId = team?.id ?? null;
  }
  if (refs.ownerId !== undefined) {
    const person = refs.ownerId === null ? null : (await findPeople(db, [refs.ownerId]))[0];
    if (person === undefined) issues.push({ path: "ownerId", message: `no person '${refs.ownerId}'` });
    else out.ownerId = person?.id ?? null;
  }
  if (refs.itemIds !== undefined) {
    const items = await findItems(db, refs.itemIds);
    const ids: string[] = [];
    refs.itemIds.forEach((r, i) => {
      const item = items.find((x) => x.id === r || x.key === r);
      const visible =
        item !== undefined &&
        item.artId === art.id &&
        canSee(actor, { artId: art.id, teamId: item.level === "story" ? item.teamId : null });
      if (visible) ids.push(item.id);
      else issues.push({ path: `itemIds.${i}`, message: `no item '${r}' in ${art.key}` });
    });
    out.itemIds = [...new Set(ids)];
  }
  if (issues.length > 0) throw invalidFields(issues);
  return out;
}

async function present(db: Db, risks: readonly StoredRisk[]): Promise<Risk[]> {
  const ownerIds = [...new Set(risks.flatMap((r) => (r.ownerId ? [r.ownerId] : [])))];
  const [people, items] = await Promise.all([
    findPeople(db, ownerIds),
    itemSummaries(
      db,
      risks.flatMap((r) => r.itemIds),
    ),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  return risks.map((r) => ({
    id: r.id,
    artId: r.artId,
    piId: r.piId,
    teamId: r.teamId,
    title: r.title,
    description: r.description,
    roam: r.roam as Roam,
    owner: r.ownerId ? { id: r.ownerId, name: names.get(r.ownerId) ?? "" } : null,
    items: r.itemIds.flatMap((id) => {
      const item = items.get(id);
      return item ? [{ id: item.id, key: item.key, title: item.title }] : [];
    }),
    version: r.version,
    updatedAt: r.updatedAt,
  }));
}

/** An ART's risks of the train and of the teams one may see, optionally of one PI, team or ROAM state. */
export async function listArtRisks(deps: Deps, actor: Actor, artRef: string, query: unknown = {}): Promise<RiskList> {
  const q = parseInput(RiskQuery, query);
  const art = await findVisibleArt(deps.db, actor, artRef);
  let piId: string | undefined;
  if (q.pi !== undefined) {
    const pi = art.pis.find((p) => p.id === q.pi || p.name === q.pi);
    if (!pi) throw invalidFields([{ path: "pi", message: `no PI '${q.pi}' in ${art.key}` }]);
    piId = pi.id;
  }
  const visible = new Set(teamsToShow(actor, art, undefined).map((t) => t.id));
  const team = q.team === undefined ? undefined : teamsToShow(actor, art, q.team)[0]?.id;
  const risks = (await listRisks(deps.db, art.id, piId === undefined ? {} : { piId })).filter((r) =>
    team === undefined ? r.teamId === null || visible.has(r.teamId) : r.teamId === team,
  );
  const counts = Object.fromEntries(ROAM_STATES.map((s) => [s, 0])) as Record<Roam, number>;
  for (const r of risks) counts[r.roam as Roam] += 1;
  return { risks: await present(deps.db, q.roam ? risks.filter((r) => r.roam === q.roam) : risks), counts };
}

/** Records a risk of the train or of a team (plan_pi there). */
export async function addRisk(deps: Deps, actor: Actor, artRef: string, input: unknown): Promise<Risk> {
  const given = parseInput(RiskInput, input);
  return inTransaction(deps, async (db) => {
    const art = await findVisibleArt(db, actor, artRef);
    const refs = await resolveRefs(db, actor, art, given);
    const teamId = refs.teamId ?? null;
    authorize(actor, "plan_pi", { artId: art.id, teamId }, "ART", artRef);
    const at = now(deps);
    const by = actorId(actor);
    const risk: StoredRisk = {
      id: deps.newId(),
      artId: art.id,
      piId: refs.piId ?? null,
      teamId,
      title: given.title,
      description: given.description,
      roam: given.roam,
      ownerId: refs.ownerId ?? null,
      itemIds: refs.itemIds ?? [],
      version: 1,
      createdAt: at,
      createdBy: by,
      updatedAt: at,
      updatedBy: by,
    };
    await insertRisk(db, risk);
    return { result: (await present(db, [risk]))[0] as Risk, changes: [planningChanged(art.id, risk.piId, actor)] };
  });
}

async function findVisibleRisk(db: Db, actor: Actor, id: string): Promise<{ art: Art; risk: StoredRisk }> {
  const risk = await findRisk(db, id);
  const art = risk ? await findArt(db, risk.artId) : undefined;
  if (!risk || !art) throw notFound("risk", id);
  mustSee(actor, { artId: art.id, teamId: risk.teamId }, "risk", id);
  return { art, risk };
}

/** Changes a risk on the version read — ROAMs it, reassigns it… (plan_pi on its team, and on a new team). */
export async function updateRisk(deps: Deps, actor: Actor, id: string, input: unknown): Promise<Risk> {
  const change = parseInput(UpdateRiskInput, input);
  return inTransaction(deps, async (db) => {
    const { art, risk } = await findVisibleRisk(db, actor, id);
    authorize(actor, "plan_pi", { artId: art.id, teamId: risk.teamId }, "risk", id);
    const refs = await resolveRefs(db, actor, art, change);
    if (refs.teamId !== undefined && refs.teamId !== risk.teamId) {
      authorize(actor, "plan_pi", { artId: art.id, teamId: refs.teamId }, "risk", id);
    }
    const next: StoredRisk = {
      ...risk,
      title: change.title ?? risk.title,
      description: change.description ?? risk.description,
      roam: change.roam ?? risk.roam,
      piId: refs.piId === undefined ? risk.piId : refs.piId,
      teamId: refs.teamId === undefined ? risk.teamId : refs.teamId,
      ownerId: refs.ownerId === undefined ? risk.ownerId : refs.ownerId,
      itemIds: refs.itemIds ?? risk.itemIds,
      version: change.version + 1,
      updatedAt: now(deps),
      updatedBy: actorId(actor),
    };
    if (risk.version !== change.version || !(await saveRisk(db, next, change.version))) {
      throw staleVersion(`Risk “${risk.title}”`, change.version, risk.version);
    }
    const changes = [planningChanged(art.id, next.piId, actor)];
    if (risk.piId && risk.piId !== next.piId) changes.push(planningChanged(art.id, risk.piId, actor));
    return { result: (await present(db, [next]))[0] as Risk, changes };
  });
}

/** Removes a risk on the version read (plan_pi on its team). */
export async function removeRisk(deps: Deps, actor: Actor, id: string, query: unknown): Promise<void> {
  const { version: expected } = parseInput(DeleteQuery, query);
  return inTransaction(deps, async (db) => {
    const { art, risk } = await findVisibleRisk(db, actor, id);
    authorize(actor, "plan_pi", { artId: art.id, teamId: risk.teamId }, "risk", id);
    if (risk.version !== expected || !(await deleteRisk(db, id, expected))) {
      throw staleVersion(`Risk “${risk.title}”`, expected, risk.version);
    }
    return { result: undefined, changes: [planningChanged(art.id, risk.piId, actor)] };
  });
}
