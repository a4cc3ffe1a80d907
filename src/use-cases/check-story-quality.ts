// The live quality check of a story while it is being written: its findings against the team's settings and the
// train's other stories (the story being edited is left out of its own duplicates, and its dependencies count), and —
// when its team is known — its readiness against the team's Definition of Ready. Nothing is written.
import { z } from "zod";
import type { Criterion } from "../core/acceptance-criteria.js";
import { invalid, notFound } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import type { Readiness } from "../core/readiness.js";
import type { Finding } from "../core/story-quality.js";
import { blankStory, ITEM_TYPES, LIMITS, type WorkItem } from "../core/work-item.js";
import { findItem } from "../store/items.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee, scopeOfItem } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";
import { judgeStory, storedFacts } from "./story-readiness.js";

const ref = z.string().trim().min(1, "must not be empty").max(100);
/**
 * While typing, a criterion may be empty for a moment: empty ones are left out. A criterion as the API presents it
 * (with its `gherkin` parts) is taken as it is: only its text and met check are read.
 */
const draftCriterion = z
  .union([
    z.string().max(LIMITS.criterion, `at most ${LIMITS.criterion} characters`),
    z.object({ text: z.string().max(LIMITS.criterion), met: z.boolean().default(false) }),
  ])
  .transform((c): Criterion => (typeof c === "string" ? { text: c, met: false } : { text: c.text, met: c.met }));

export const StoryDraftInput = z.strictObject({
  title: z.string().max(LIMITS.title, `at most ${LIMITS.title} characters`).describe("The title as typed so far"),
  description: z.string().max(LIMITS.description).default(""),
  acceptanceCriteria: z.array(draftCriterion).max(LIMITS.criteria).default([]),
  points: z.number().min(0).max(LIMITS.points).nullable().default(null),
  type: z.enum(ITEM_TYPES).default("business"),
  teamId: ref.nullable().optional().describe("The story's team (id or key); with it, the answer has its readiness"),
  parentId: ref.nullable().optional().describe("The parent feature (id or key)"),
  readyChecks: z.array(z.string().max(40)).max(LIMITS.criteria).optional().describe("Manual DoR items ticked"),
  item: ref
    .optional()
    .describe("The story being edited (id or key): left out of its own duplicates; its dependencies count"),
});
export type StoryDraftInput = z.input<typeof StoryDraftInput>;

export interface QualityCheck {
  findings: Finding[];
  /** Against the team's Definition of Ready; null when no team is given. */
  readiness: Readiness | null;
}

/**
 * Checks a story as it is being written, on ART `artRef`. Fields the draft leaves out (team, parent, manual checks)
 * come from the story being edited, if one is named. Compares it with the train's stories kept from the last check
 * while none of them changed, so it answers while someone types.
 */
export async function checkStoryDraft(deps: Deps, actor: Actor, artRef: string, input: unknown): Promise<QualityCheck> {
  const draft = parseInput(StoryDraftInput, input);
  const db = deps.db;
  const art = await findArt(db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);

  let edited: WorkItem | undefined;
  if (draft.item !== undefined) {
    edited = await findItem(db, draft.item);
    if (!edited || edited.artId !== art.id || edited.level !== "story" || !canSee(actor, scopeOfItem(edited))) {
      throw invalid("item", `no story '${draft.item}' in ${art.key}`);
    }
  }
  const teamRef = draft.teamId === undefined ? (edited?.teamId ?? null) : draft.teamId;
  const team = teamRef === null ? null : art.teams.find((t) => t.id === teamRef || t.key === teamRef);
  if (team === undefined || (team && !canSee(actor, { artId: art.id, teamId: team.id }))) {
    throw invalid("teamId", `no team '${teamRef}' in ${art.key}`);
  }
  let parent: { id: string; key: string } | null = null;
  const parentRef = draft.parentId === undefined ? (edited?.parentId ?? null) : draft.parentId;
  if (parentRef !== null) {
    const found = await findItem(db, parentRef);
    if (!found || found.artId !== art.id || found.level !== "feature") {
      throw invalid("parentId", `no feature '${parentRef}' in ${art.key}`);
    }
    parent = found;
  }

  const facts = edited
    ? { ...(await storedFacts(db, edited)), parentKey: parent?.key ?? null }
    : { dependsOn: [], dismissals: [], parentKey: parent?.key ?? null };
  const story: WorkItem = {
    ...(edited ?? { ...blankStory("(draft)", art.id), key: "(draft)" }),
    title: draft.title,
    description: draft.description,
    acceptanceCriteria: draft.acceptanceCriteria.filter((c) => c.text.trim() !== ""),
    points: draft.points,
    type: draft.type,
    teamId: team?.id ?? null,
    parentId: parent?.id ?? null,
    readyChecks: draft.readyChecks ?? edited?.readyChecks ?? [],
  };
  const { findings, readiness } = await judgeStory(deps, db, actor, story, facts);
  return { findings, readiness };
}
