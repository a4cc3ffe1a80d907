// The backlog health check of an ART's team backlogs and of the train: readiness against the next two iterations'
// capacity, ready depth, quality findings by rule, oversized stories, stories without a feature, features without
// stories and stale items. Reads only: the teams the person may see, their settings and velocities, the quality
// report, then the pure core (src/core/backlog-health.ts) computes.
import { z } from "zod";
import {
  type HealthIteration,
  type StoryFindings,
  type TeamHealth,
  type TrainHealth,
  teamHealth,
  trainHealth,
  upcomingIterations,
} from "../core/backlog-health.js";
import { groupBy } from "../core/collections.js";
import { invalid, notFound } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import { averageVelocity, DEFAULT_REFINEMENT_SETTINGS } from "../core/readiness.js";
import { healthFeatures, healthStories } from "../store/health.store.js";
import { teamRefinements, teamVelocities } from "../store/refinement.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import { type Deps, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { qualityReport } from "./quality-report.js";

export type { TeamHealth, TrainHealth };

export const HealthQuery = z.strictObject({
  team: z.string().trim().min(1).max(100).optional().describe("Only this team's backlog (key or id)"),
});

export interface BacklogHealth {
  /** The day the check was made for (yyyy-mm-dd): the next iterations start after it. */
  asOf: string;
  /** Each team shown (the one asked for, or every team the person may see), in the ART's team order. */
  teams: TeamHealth[];
  /** Those teams rolled up, with the ART's features (with a team asked for: the features planned for it). */
  train: TrainHealth;
}

/** The health of the team backlogs `actor` may see on an ART (or of one team), and of the train. */
export async function backlogHealth(deps: Deps, actor: Actor, artRef: string, query: unknown): Promise<BacklogHealth> {
  const q = parseInput(HealthQuery, query);
  const db = deps.db;
  const art = await findArt(db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  const visible = art.teams.filter((t) => canSee(actor, { artId: art.id, teamId: t.id }));
  const teams = q.team === undefined ? visible : visible.filter((t) => t.id === q.team || t.key === q.team);
  if (q.team !== undefined && teams.length === 0) throw invalid("team", `no team '${q.team}' in ${art.key}`);
  const teamIds = teams.map((t) => t.id);

  const at = now(deps);
  const today = at.slice(0, 10);
  const [stories, features, refinement, velocities, quality] = await Promise.all([
    healthStories(db, art.id, teamIds),
    healthFeatures(db, art.id),
    teamRefinements(db, teamIds),
    teamVelocities(db, art.id, today),
    qualityReport(deps, actor, art.id, q.team === undefined ? {} : { team: teams[0]?.id }),
  ]);

  const iterations: HealthIteration[] = art.pis.flatMap((pi) =>
    pi.iterations.map((it) => ({ id: it.id, name: it.name, startDate: it.startDate, endDate: it.endDate })),
  );
  const storiesOf = groupBy(stories, (s) => s.teamId);
  const findingsOf = groupBy(
    quality.stories.map((s) => ({
      teamId: s.teamId,
      findings: { key: s.key, title: s.title, rules: [...new Set(s.findings.map((f) => f.rule))] } as StoryFindings,
    })),
    (s) => s.teamId,
  );
  const settingsOf = (teamId: string) => refinement.get(teamId)?.settings ?? DEFAULT_REFINEMENT_SETTINGS;

  const teamHealths = teams.map((team) => {
    const settings = settingsOf(team.id);
    const velocity = averageVelocity(velocities.get(team.id) ?? []);
    return teamHealth({
      team: { id: team.id, key: team.key, name: team.name },
      stories: storiesOf.get(team.id) ?? [],
      iterations,
      velocity: velocity === null ? null : Math.round(velocity * 100) / 100,
      settings: {
        capacityPerIteration: settings.capacityPerIteration,
        staleAfterDays: settings.staleAfterDays,
        smallMaxPoints: settings.quality.smallMaxPoints,
        velocityShare: settings.quality.velocityShare,
      },
      findings: (findingsOf.get(team.id) ?? []).map((s) => s.findings),
      now: at,
    });
  });

  const shownFeatures =
    q.team === undefined ? features : features.filter((f) => teamIds.some((id) => f.teamIds.includes(id)));
  // The ART has no settings of its own: features are stale by the strictest limit of the teams shown.
  const staleAfterDays = Math.min(
    ...teams.map((t) => settingsOf(t.id).staleAfterDays),
    ...(teams.length === 0 ? [DEFAULT_REFINEMENT_SETTINGS.staleAfterDays] : []),
  );
  const train = trainHealth(teamHealths, shownFeatures, {
    now: at,
    staleAfterDays,
    horizon: upcomingIterations(iterations, today),
  });
  return { asOf: today, teams: teamHealths, train };
}
