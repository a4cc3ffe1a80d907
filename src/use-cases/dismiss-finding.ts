// Dismissing a quality finding on a story with a reason (the team judged the rule wrong here), and restoring it. Both
// are kept in the story's history; screens showing the story or its backlog's quality hear about it.
import { z } from "zod";
import { AppError, invalid, notFound } from "../core/errors.js";
import type { Change } from "../core/item-views.js";
import { QUALITY_RULES, RULE_INFO } from "../core/story-quality.js";
import type { WorkItem } from "../core/work-item.js";
import { recordEvents } from "../store/history.store.js";
import { deleteDismissal, insertDismissal } from "../store/refinement.store.js";
import { type Actor, actorId, authorize, scopeOfItem } from "./authorize.js";
import { type Deps, inTransaction, now } from "./deps.js";
import { parseInput } from "./item-input.js";
import { assessStory, type DismissedFinding, findStory, presentDismissal } from "./story-readiness.js";

export const DISMISSAL_REASON_MAX = 500;

export const DismissInput = z.strictObject({
  rule: z
    .enum(QUALITY_RULES, { error: `one of ${QUALITY_RULES.join(", ")}` })
    .describe("The rule whose finding to dismiss"),
  reason: z
    .string()
    .trim()
    .min(1, "say why the finding does not apply")
    .max(DISMISSAL_REASON_MAX, `at most ${DISMISSAL_REASON_MAX} characters`)
    .describe("Why the finding does not apply to this story (kept in its history)"),
});
export type DismissInput = z.input<typeof DismissInput>;

export type RecordedDismissal = DismissedFinding & { id: string; itemId: string; key: string };

const qualityChanged = (story: WorkItem, by: string | null): Change => ({
  kind: "quality.changed",
  artId: story.artId,
  itemId: story.id,
  key: story.key,
  backlog: story.backlog,
  actorId: by,
});

/** Dismisses the finding of `rule` on story `ref`; the finding must be one the story has now. */
export async function dismissFinding(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
): Promise<RecordedDismissal> {
  const { rule, reason } = parseInput(DismissInput, input);
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const story = await findStory(db, actor, ref);
    authorize(actor, "edit_story", scopeOfItem(story), "item", ref);
    const { findings, dismissed } = await assessStory(deps, db, actor, story);
    if (dismissed.some((d) => d.rule === rule)) {
      throw new AppError("conflict", `${story.key}'s “${RULE_INFO[rule].label}” finding is dismissed already.`);
    }
    const finding = findings.find((f) => f.rule === rule);
    if (!finding) throw invalid("rule", `${story.key} has no “${RULE_INFO[rule].label}” finding to dismiss`);
    const at = now(deps);
    const dismissal = {
      id: deps.newId(),
      artId: story.artId,
      itemId: story.id,
      rule,
      reason,
      createdAt: at,
      createdBy: by,
    };
    if (!(await insertDismissal(db, dismissal))) {
      throw new AppError("conflict", `${story.key}'s “${RULE_INFO[rule].label}” finding is dismissed already.`);
    }
    await recordEvents(db, [
      {
        artId: story.artId,
        itemId: story.id,
        teamId: story.teamId,
        kind: "finding_dismissed",
        field: rule,
        oldValue: null,
        newValue: reason,
        actorId: by,
        at,
      },
    ]);
    return {
      result: { id: dismissal.id, itemId: story.id, key: story.key, ...presentDismissal({ ...dismissal, finding }) },
      changes: [qualityChanged(story, by)],
    };
  });
}

/** Restores a dismissed finding of `rule` on story `ref`: it counts again. */
export async function restoreFinding(deps: Deps, actor: Actor, ref: string, rule: string): Promise<void> {
  const by = actorId(actor);
  return inTransaction(deps, async (db) => {
    const story = await findStory(db, actor, ref);
    authorize(actor, "edit_story", scopeOfItem(story), "item", ref);
    const removed = await deleteDismissal(db, story.id, rule);
    if (!removed) throw notFound("dismissed finding", `${rule} on ${story.key}`);
    const at = now(deps);
    await recordEvents(db, [
      {
        artId: story.artId,
        itemId: story.id,
        teamId: story.teamId,
        kind: "finding_restored",
        field: removed.rule,
        oldValue: removed.reason,
        newValue: null,
        actorId: by,
        at,
      },
    ]);
    return { result: undefined, changes: [qualityChanged(story, by)] };
  });
}
