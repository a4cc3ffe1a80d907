// A team's refinement settings: the quality rules it switched off and its thresholds, its Definition of Ready (the
// built-in conditions it holds stories to and its own manual items), what moving an unready story to Ready does, and
// the health check's capacity and staleness. Everyone who sees the team may read them; changing them needs
// `configure_refinement` and names the version it was made on.
import { z } from "zod";
import { AppError, invalidFields, notFound } from "../core/errors.js";
import {
  DEFAULT_REFINEMENT_SETTINGS,
  manualItemId,
  READY_CONDITIONS,
  READY_POLICIES,
  type RefinementSettings,
  refinementSettingsProblems,
} from "../core/readiness.js";
import { DEFAULT_QUALITY_SETTINGS, type QualityRule, type QualitySettings } from "../core/story-quality.js";
import type { Art, Team } from "../core/train.js";
import { findTeamRefinement, type StoredRefinement, saveTeamRefinement } from "../store/refinement.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, actorId, authorize, mustSee } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";

const D = DEFAULT_REFINEMENT_SETTINGS;
const DQ = DEFAULT_QUALITY_SETTINGS;

const QualitySettingsInput = z
  .strictObject({
    disabled: z.array(z.string().max(40)).max(50).default([]).describe("Rules switched off for this team"),
    smallMaxPoints: z.number().default(DQ.smallMaxPoints).describe("A story above this many points is not small"),
    velocityShare: z
      .number()
      .default(DQ.velocityShare)
      .describe("A story above this share of the team's average velocity is not small (SAFe: 0.5)"),
    duplicateSimilarity: z
      .number()
      .default(DQ.duplicateSimilarity)
      .describe("Word-set similarity (0–1) from which two stories are near-duplicates"),
  })
  .transform((q): QualitySettings => ({ ...DQ, ...q, disabled: q.disabled as QualityRule[] }));

export const RefinementSettingsInput = z.strictObject({
  quality: QualitySettingsInput.default({ ...DQ, disabled: [] }),
  definitionOfReady: z
    .strictObject({
      conditions: z
        .array(z.string().max(40))
        .max(20)
        .default([...READY_CONDITIONS])
        .describe(`Built-in conditions held: ${READY_CONDITIONS.join(", ")}`),
      manual: z
        .array(
          z.strictObject({
            id: z.string().trim().max(100).optional().describe("Kept from the settings read; a new item gets one"),
            label: z.string().max(1000),
          }),
        )
        .max(100)
        .default([])
        .describe("The team's own items, ticked per story (its readyChecks)"),
    })
    .default({ conditions: [...READY_CONDITIONS], manual: [] }),
  readyPolicy: z
    .enum(READY_POLICIES)
    .default(D.readyPolicy)
    .describe("Moving a story that is not ready to Ready: warn (allowed) or refuse"),
  capacityPerIteration: z.number().nullable().default(D.capacityPerIteration).describe("Points per iteration"),
  staleAfterDays: z.number().default(D.staleAfterDays).describe("Items not updated for this many days are stale"),
});

export const TeamRefinementInput = z.strictObject({
  settings: RefinementSettingsInput.describe("The whole settings; fields left out take their defaults"),
  version: z.number().int().min(0).describe("The version read (0 while the team has never saved any)"),
});
export type TeamRefinementInput = z.input<typeof TeamRefinementInput>;

export type TeamRefinement = StoredRefinement;

async function findTeam(deps: Deps, actor: Actor, artRef: string, teamRef: string): Promise<{ art: Art; team: Team }> {
  const art = await findArt(deps.db, artRef);
  if (!art) throw notFound("ART", artRef);
  const team = art.teams.find((t) => t.id === teamRef || t.key === teamRef);
  if (!team) throw notFound("team", `${art.key}/${teamRef}`);
  mustSee(actor, { artId: art.id, teamId: team.id }, "team", `${art.key}/${teamRef}`);
  return { art, team };
}

/** A team's settings (the defaults, at version 0, until it saves its own). */
export async function getTeamRefinement(
  deps: Deps,
  actor: Actor,
  artRef: string,
  teamRef: string,
): Promise<TeamRefinement> {
  const { team } = await findTeam(deps, actor, artRef, teamRef);
  return findTeamRefinement(deps.db, team.id);
}

/** Replaces a team's settings if they are still at the version given; new manual items get their ids here. */
export async function updateTeamRefinement(
  deps: Deps,
  actor: Actor,
  artRef: string,
  teamRef: string,
  input: unknown,
): Promise<TeamRefinement> {
  const { settings: given, version } = parseInput(TeamRefinementInput, input);
  const { art, team } = await findTeam(deps, actor, artRef, teamRef);
  authorize(actor, "configure_refinement", { artId: art.id, teamId: team.id }, "team", `${art.key}/${teamRef}`);
  const taken = new Set(given.definitionOfReady.manual.flatMap((m) => (m.id ? [m.id] : [])));
  const settings: RefinementSettings = {
    ...given,
    definitionOfReady: {
      conditions: given.definitionOfReady.conditions as RefinementSettings["definitionOfReady"]["conditions"],
      manual: given.definitionOfReady.manual.map((m) => {
        const label = m.label.trim();
        if (m.id) return { id: m.id, label };
        const id = manualItemId(label, taken);
        taken.add(id);
        return { id, label };
      }),
    },
  };
  const problems = refinementSettingsProblems(settings);
  if (problems.length > 0) throw invalidFields(problems);
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const current = await findTeamRefinement(db, team.id);
    const saved =
      current.version === version &&
      (await saveTeamRefinement(db, { teamId: team.id, settings, at: now(deps), by }, version));
    if (!saved) {
      const latest = await findTeamRefinement(db, team.id);
      throw new AppError(
        "conflict",
        `${team.name}'s refinement settings were changed by someone else since version ${version}; they are now at version ${latest.version}.`,
        { data: { currentVersion: latest.version } },
      );
    }
    return {
      result: { teamId: team.id, settings, version: version + 1 },
      changes: [{ kind: "quality.changed", artId: art.id, backlog: `team:${team.id}`, actorId: by }],
    };
  });
}
