// The quality report of a team's backlog or a whole train's: every story still to be built (not done, accepted or
// closed as split) checked against its team's settings and the train's other stories, in ranked order, listing the
// stories with findings and counting the findings by rule. Dismissed findings are left out unless asked for.
import { z } from "zod";
import { invalid, notFound } from "../core/errors.js";
import { canSee } from "../core/permissions.js";
import {
  checkStories,
  type Finding,
  QUALITY_RULES,
  type QualityRule,
  type StoryForCheck,
} from "../core/story-quality.js";
import type { StoryState } from "../core/work-item.js";
import { CLOSED_STORY_STATES } from "../core/work-item.js";
import { listDismissals } from "../store/refinement.store.js";
import { findArt } from "../store/train.store.js";
import { type Actor, mustSee } from "./authorize.js";
import type { Deps } from "./deps.js";
import { parseInput } from "./item-input.js";
import { loadCheckContext, today } from "./story-readiness.js";

const flag = z
  .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
  .default(false)
  .describe("true or false");

export const QualityQuery = z.strictObject({
  team: z.string().trim().min(1).max(100).optional().describe("Only this team's backlog (key or id)"),
  rule: z.enum(QUALITY_RULES).optional().describe("Only the findings of this rule"),
  includeDismissed: flag.describe("Also list the findings someone dismissed"),
});
export type QualityQuery = z.input<typeof QualityQuery>;

/** A finding in a report, with the words its highlights point at (the report carries no descriptions or criteria). */
export type ReportedFinding = Finding & { words: string[] };

/** The words each highlight of `finding` points at in `story`'s title, description or criteria. */
export function highlightedWords(
  story: Pick<StoryForCheck, "title" | "description" | "acceptanceCriteria">,
  finding: Finding,
): string[] {
  return finding.highlights.map((h) => {
    const text =
      h.field === "title"
        ? story.title
        : h.field === "description"
          ? story.description
          : (story.acceptanceCriteria[h.index ?? 0]?.text ?? "");
    return text.slice(h.start, h.end);
  });
}

export interface StoryQuality {
  id: string;
  key: string;
  title: string;
  teamId: string | null;
  state: StoryState;
  points: number | null;
  findings: ReportedFinding[];
  /** The rules whose finding was dismissed on this story. */
  dismissed: QualityRule[];
}

export interface QualityReport {
  /** The stories with findings, in ranked order (team by team for a train). */
  stories: StoryQuality[];
  /** How many findings each rule made. */
  byRule: Record<QualityRule, number>;
  /** How many stories were checked. */
  checked: number;
}

export async function qualityReport(deps: Deps, actor: Actor, artRef: string, query: unknown): Promise<QualityReport> {
  const q = parseInput(QualityQuery, query);
  const db = deps.db;
  const art = await findArt(db, artRef);
  if (!art) throw notFound("ART", artRef);
  mustSee(actor, { artId: art.id, teamId: null }, "ART", artRef);
  let teamId: string | undefined;
  if (q.team !== undefined) {
    const team = art.teams.find((t) => t.id === q.team || t.key === q.team);
    if (!team || !canSee(actor, { artId: art.id, teamId: team.id })) {
      throw invalid("team", `no team '${q.team}' in ${art.key}`);
    }
    teamId = team.id;
  }

  const [ctx, dismissals] = await Promise.all([
    loadCheckContext(db, art, actor, today(deps)),
    listDismissals(db, { artId: art.id }),
  ]);
  const unchecked: readonly string[] = CLOSED_STORY_STATES;
  const checked = ctx.corpus.filter(
    (s) => !unchecked.includes(s.state) && (teamId === undefined || s.teamId === teamId),
  );
  // Team by team in the ART's team order; the stories come in rank order, and the sort keeps it.
  const teamOrder = new Map(art.teams.map((t, i) => [t.id, i]));
  checked.sort((a, b) => (teamOrder.get(a.teamId ?? "") ?? 0) - (teamOrder.get(b.teamId ?? "") ?? 0));
  const findings = checkStories(checked, ctx.corpus, ctx.contextOf);
  const dismissedOf = new Map<string, QualityRule[]>();
  for (const d of dismissals) dismissedOf.set(d.itemId, [...(dismissedOf.get(d.itemId) ?? []), d.rule]);

  const byRule = Object.fromEntries(QUALITY_RULES.map((r) => [r, 0])) as Record<QualityRule, number>;
  const stories: StoryQuality[] = [];
  for (const s of checked) {
    const dismissed = dismissedOf.get(s.id) ?? [];
    const shown = (findings.get(s.id) ?? []).filter(
      (f) => (q.rule === undefined || f.rule === q.rule) && (q.includeDismissed || !dismissed.includes(f.rule)),
    );
    for (const f of shown) byRule[f.rule] += 1;
    if (shown.length === 0) continue;
    stories.push({
      id: s.id,
      key: s.key,
      title: s.title,
      teamId: s.teamId,
      state: s.state,
      points: s.points,
      findings: shown.map((f) => ({ ...f, words: highlightedWords(s, f) })),
      dismissed,
    });
  }
  return { stories, byRule, checked: checked.length };
}
