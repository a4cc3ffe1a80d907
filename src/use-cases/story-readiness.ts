// A story's readiness against its team's Definition of Ready, and what every quality use case shares: loading what
// checking a whole ART's stories needs in a handful of queries, and judging one story — stored or being written —
// against the train's other stories fast enough to run while someone types: its findings, dismissals and readiness.
import { AppError, notFound } from "../core/errors.js";
import { type Actor, canSee, visibleTeams } from "../core/permissions.js";
import type { Template } from "../core/quality-text.js";
import { contentTerms } from "../core/quality-text.js";
import {
  averageVelocity,
  DEFAULT_REFINEMENT_SETTINGS,
  type Readiness,
  type ReadinessFacts,
  type RefinementSettings,
  readiness,
} from "../core/readiness.js";
import {
  checkStories,
  type Finding,
  type QualityRule,
  type QualitySettings,
  type StoryForCheck,
  type TeamContext,
  teamTemplates,
} from "../core/story-quality.js";
import type { Art } from "../core/train.js";
import type { WorkItem } from "../core/work-item.js";
import { findItem } from "../store/items.store.js";
import {
  type Dependency,
  type Dismissal,
  iterationOrder,
  listDismissals,
  type StoredRefinement,
  type StoryRow,
  storiesFingerprint,
  storiesForCheck,
  storiesToCompare,
  teamRefinements,
  teamVelocities,
} from "../store/refinement.store.js";
import type { Db } from "../store/schema.js";
import { mustSee, scopeOfItem } from "./authorize.js";
import type { Deps } from "./deps.js";

export const today = (deps: Deps): string => deps.clock().toISOString().slice(0, 10);

// ── A whole ART's stories ────────────────────────────────────────────────────────────────────────────────────────

/** Everything checking all of an ART's stories needs, loaded once. */
export interface CheckContext {
  art: Art;
  /**
   * The ART's stories the person may see (never those closed as split, whose stories carry their text on): what each
   * story is compared with for near-duplicates and the team's template.
   */
  corpus: StoryRow[];
  settingsOf(teamId: string | null): RefinementSettings;
  contextOf(teamId: string | null): TeamContext;
}

/** Settings and context per team, from the teams' stored settings and velocity histories. */
function teamContexts(refinement: Map<string, StoredRefinement>, velocities: Map<string, number[]>) {
  const settingsOf = (teamId: string | null) =>
    (teamId ? refinement.get(teamId)?.settings : undefined) ?? DEFAULT_REFINEMENT_SETTINGS;
  const contexts = new Map<string | null, TeamContext>();
  const contextOf = (teamId: string | null): TeamContext => {
    let context = contexts.get(teamId);
    if (!context) {
      context = {
        settings: settingsOf(teamId).quality,
        averageVelocity: teamId ? averageVelocity(velocities.get(teamId) ?? []) : null,
      };
      contexts.set(teamId, context);
    }
    return context;
  };
  return { settingsOf, contextOf };
}

/** The teams of an ART `actor` may see, as a store filter (undefined: all of them). */
function visibleTeamIds(actor: Actor, artId: string): string[] | undefined {
  const visible = visibleTeams(actor, artId);
  return visible === "all" ? undefined : [...(visible ?? [])];
}

/** Loads an ART's stories visible to `actor`, its teams' settings and velocities: six queries, however many stories. */
export async function loadCheckContext(db: Db, art: Art, actor: Actor, day: string): Promise<CheckContext> {
  const teamIds = visibleTeamIds(actor, art.id);
  const { order, completed } = await iterationOrder(db, art.id, day);
  const [corpus, refinement, velocities] = await Promise.all([
    storiesForCheck(db, art.id, { ...(teamIds ? { teamIds } : {}), exceptStates: ["split"] }, order),
    teamRefinements(
      db,
      art.teams.map((t) => t.id),
    ),
    teamVelocities(db, art.id, day, completed),
  ]);
  return { art, corpus, ...teamContexts(refinement, velocities) };
}

// ── One story against the train ──────────────────────────────────────────────────────────────────────────────────

/**
 * An ART's stories as one story is compared with them (their text only), with each one's title words: kept between
 * requests and refreshed when any story of the ART changed (a cheap fingerprint query says so).
 */
interface Comparables {
  fingerprint: string;
  /** The teams' velocities, kept with the stories they are summed from, for the completed iterations named. */
  velocities?: { completed: string; byTeam: Map<string, number[]> };
  stories: StoryForCheck[];
  /** For each content word of a title, the stories whose title has it. */
  byTerm: Map<string, StoryForCheck[]>;
  /** Each team's dominant template among its business stories (the uniform rule). */
  templates: Map<string, Template>;
}

/** Per database, the comparables of the ARTs checked lately. */
const comparableCache = new WeakMap<object, Map<string, Comparables>>();
const CACHED_ARTS = 16;

async function comparablesOf(cacheKey: object, db: Db, artId: string): Promise<Comparables> {
  let arts = comparableCache.get(cacheKey);
  if (!arts) {
    arts = new Map();
    comparableCache.set(cacheKey, arts);
  }
  const fingerprint = await storiesFingerprint(db, artId);
  const cached = arts.get(artId);
  if (cached?.fingerprint === fingerprint) return cached;
  const stories = await storiesToCompare(db, artId);
  const byTerm = new Map<string, StoryForCheck[]>();
  for (const s of stories) {
    for (const term of contentTerms(s.title)) {
      const list = byTerm.get(term);
      if (list) list.push(s);
      else byTerm.set(term, [s]);
    }
  }
  const fresh = { fingerprint, stories, byTerm, templates: teamTemplates(stories) };
  arts.delete(artId);
  arts.set(artId, fresh);
  if (arts.size > CACHED_ARTS) arts.delete(arts.keys().next().value as string);
  return fresh;
}

/** The ART's velocities, summed once per change of its stories (or of which iterations are completed). */
async function velocitiesOf(
  c: Comparables,
  db: Db,
  artId: string,
  day: string,
  completed: string[],
): Promise<Map<string, number[]>> {
  const key = completed.join(",");
  if (c.velocities?.completed !== key) {
    c.velocities = { completed: key, byTeam: await teamVelocities(db, artId, day, completed) };
  }
  return c.velocities.byTeam;
}

/**
 * The stories `story` must be compared with to get exactly the findings the whole train would give it under
 * `settings` (the team's dominant template comes from `Comparables.templates`). Near-duplicates need no more than the stories of any team whose titles share at least
 * two content words with its title: the checker compares titles' content words, needs two words of each, and counts
 * stories alike from a word-set similarity of 0.5 at the lowest, so a near-duplicate's title always shares two words.
 * Only stories of teams `actor` may see are compared.
 */
function comparedWith(
  c: Comparables,
  story: StoryForCheck,
  settings: QualitySettings,
  actor: Actor,
  artId: string,
): StoryForCheck[] {
  const compared = new Set<StoryForCheck>();
  if (!settings.disabled.includes("unique")) {
    const shared = new Map<StoryForCheck, number>();
    for (const term of contentTerms(story.title)) {
      for (const s of c.byTerm.get(term) ?? []) {
        const n = (shared.get(s) ?? 0) + 1;
        shared.set(s, n);
        if (n === 2) compared.add(s);
      }
    }
  }
  const visible = new Map<string | null, boolean>();
  return [...compared].filter((s) => {
    let may = visible.get(s.teamId);
    if (may === undefined) {
      may = canSee(actor, { artId, teamId: s.teamId });
      visible.set(s.teamId, may);
    }
    return may;
  });
}

/** A story judged: its open findings, its dismissals, and its readiness against its team's Definition of Ready. */
export interface StoryAssessment {
  /** The findings not dismissed. */
  findings: Finding[];
  /** The story's dismissals, each with the finding as it would be now (null when the rule finds nothing now). */
  dismissed: (Dismissal & { finding: Finding | null })[];
  /** Null for a story without a team. */
  readiness: Readiness | null;
}

/** What judging one story needs beyond its fields: where it is planned, what it depends on, its parent's key. */
export interface StoryFacts {
  /** The story's dependencies, as stored (a story being created has none). */
  dependsOn: Dependency[];
  dismissals: Dismissal[];
  parentKey: string | null;
}

/**
 * Judges `story` (stored, about to be written, or a draft) against its team's settings and Definition of Ready,
 * comparing it with the stories of the train `actor` may see. Runs on `db` (a transaction, if the caller is in one).
 */
export async function judgeStory(
  deps: Deps,
  db: Db,
  actor: Actor,
  story: WorkItem,
  facts: StoryFacts,
): Promise<StoryAssessment> {
  const day = today(deps);
  const [{ order, completed }, comparables, refinement] = await Promise.all([
    iterationOrder(db, story.artId, day),
    comparablesOf(deps.db, db, story.artId),
    teamRefinements(db, story.teamId ? [story.teamId] : []),
  ]);
  const velocities = await velocitiesOf(comparables, db, story.artId, day, completed);
  const { settingsOf, contextOf } = teamContexts(refinement, velocities);
  const checked: StoryForCheck = {
    id: story.id,
    key: story.key,
    teamId: story.teamId,
    type: story.type,
    title: story.title,
    description: story.description,
    acceptanceCriteria: story.acceptanceCriteria,
    points: story.points,
    parentId: story.parentId,
    iterationOrder: story.iterationId === null ? null : (order.get(story.iterationId) ?? null),
    dependsOn: facts.dependsOn,
  };
  // The team's template is known from all its stories, so the corpus is only the story's possible near-duplicates.
  const withTemplate = (teamId: string | null): TeamContext => ({
    ...contextOf(teamId),
    dominantTemplate: teamId === null ? null : (comparables.templates.get(teamId) ?? null),
  });
  const corpus = comparedWith(comparables, checked, contextOf(story.teamId).settings, actor, story.artId);
  const all = checkStories([checked], corpus, withTemplate).get(story.id) ?? [];
  const dismissedRules = new Set(facts.dismissals.map((d) => d.rule));
  const readinessFacts: ReadinessFacts = {
    findings: all,
    dismissed: [...dismissedRules],
    dependsOn: facts.dependsOn,
    parentKey: facts.parentKey,
  };
  return {
    findings: all.filter((f) => !dismissedRules.has(f.rule)),
    dismissed: facts.dismissals.map((d) => ({ ...d, finding: all.find((f) => f.rule === d.rule) ?? null })),
    readiness: story.teamId ? readiness(story, readinessFacts, settingsOf(story.teamId)) : null,
  };
}

/** The stored facts of story `id` (its dependencies and dismissals) and its parent's key. */
export async function storedFacts(db: Db, story: WorkItem): Promise<StoryFacts> {
  const [[row], dismissals, parent] = await Promise.all([
    storiesForCheck(db, story.artId, { ids: [story.id] }),
    listDismissals(db, { itemId: story.id }),
    story.parentId ? findItem(db, story.parentId) : Promise.resolve(undefined),
  ]);
  return { dependsOn: row?.dependsOn ?? [], dismissals, parentKey: parent?.key ?? null };
}

/** Judges a story as stored (or as it is about to be written over the stored one). */
export async function assessStory(deps: Deps, db: Db, actor: Actor, story: WorkItem): Promise<StoryAssessment> {
  return judgeStory(deps, db, actor, story, await storedFacts(db, story));
}

/** Loads a story `actor` may see, or throws: not found (or hidden), or invalid when the item is not a story. */
export async function findStory(db: Db, actor: Actor, ref: string, path = "item"): Promise<WorkItem> {
  const item = await findItem(db, ref);
  if (!item) throw notFound("item", ref);
  mustSee(actor, scopeOfItem(item), "item", ref);
  if (item.level !== "story") {
    throw new AppError("invalid", `${item.key} is a ${item.level}: quality checks and readiness are about stories.`, {
      fields: [{ path, message: "not a story" }],
    });
  }
  return item;
}

const NO_READINESS: Readiness = { ready: false, checks: [], missing: [] };

/** A story's readiness against its team's Definition of Ready: each condition, met or what is missing. */
export async function storyReadiness(deps: Deps, actor: Actor, ref: string): Promise<Readiness> {
  const story = await findStory(deps.db, actor, ref);
  return (await assessStory(deps, deps.db, actor, story)).readiness ?? NO_READINESS;
}

/**
 * Why moving `story` to Ready is refused under its team's policy ("not ready: …" naming what is missing), or null when
 * it may move (the team only warns, or the story is ready). Runs inside the edit's transaction, on `db`.
 */
export async function readyRefusal(deps: Deps, db: Db, actor: Actor, story: WorkItem): Promise<string | null> {
  if (!story.teamId) return null;
  const [refinement] = (await teamRefinements(db, [story.teamId])).values();
  if (refinement?.settings.readyPolicy !== "refuse") return null;
  const r = (await assessStory(deps, db, actor, story)).readiness;
  return !r || r.ready ? null : `not ready: ${r.missing.join("; ")}`;
}

// ── What the API shows of one story ──────────────────────────────────────────────────────────────────────────────

/** A dismissed finding as the API shows it: the rule, why, who and when, and the finding as it would be now. */
export interface DismissedFinding {
  rule: QualityRule;
  reason: string;
  /** Who dismissed it (a person id). */
  by: string | null;
  at: string;
  finding: Finding | null;
}

export interface ItemQuality {
  findings: Finding[];
  dismissed: DismissedFinding[];
  readiness: Readiness;
}

export const presentDismissal = (d: Dismissal & { finding: Finding | null }): DismissedFinding => ({
  rule: d.rule,
  reason: d.reason,
  by: d.createdBy,
  at: d.createdAt,
  finding: d.finding,
});

/** A stored story's open findings, its dismissed ones with their reasons, and its readiness. */
export async function itemQuality(deps: Deps, actor: Actor, ref: string): Promise<ItemQuality> {
  const story = await findStory(deps.db, actor, ref);
  const a = await assessStory(deps, deps.db, actor, story);
  return {
    findings: a.findings,
    dismissed: a.dismissed.map(presentDismissal),
    readiness: a.readiness ?? NO_READINESS,
  };
}
