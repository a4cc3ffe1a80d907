// `trainyard story split` and `trainyard feature breakdown`: splitting a story with help, and breaking a feature down
// into stories, on the database (as its operator) or on a server (with a personal API token), printing the same
// either way. `--suggest` shows the suggestions or drafts; without it the split or the breakdown is applied.
import { type Command, Option } from "commander";
import type { Criterion } from "../core/acceptance-criteria.js";
import { invalid } from "../core/errors.js";
import {
  distributeCriteria,
  MAX_SPLIT_STORIES,
  type ProposedStory,
  SPLIT_PATTERNS,
  type SplitSuggestion,
} from "../core/story-splitting.js";
import type { BreakdownDrafts } from "../use-cases/break-down-feature.js";
import type { Backend, ItemView, SplitResultView } from "./backend.js";
import type { CliContext } from "./context.js";
import { print } from "./output.js";

/** A top-level command other modules may share (`story`, `feature`): found if there, made if not. */
function commandOf(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

const repeat = (value: string, previous: string[]) => [...previous, value];

/** "3,5,none" → [3, 5, null]: one value per story. */
function parsePoints(raw: string, count: number): (number | null)[] {
  const values = raw.split(",").map((v) => v.trim());
  if (values.length !== count) {
    throw invalid(
      "points",
      `give ${count} values, one per story (e.g. ${Array(count).fill("3").join(",")}); got ${values.length}`,
    );
  }
  return values.map((v) => {
    if (v === "" || v === "-" || v.toLowerCase() === "none") return null;
    if (!/^\d+(\.\d+)?$/.test(v)) throw invalid("points", `'${v}' is not a number of points (or none)`);
    return Number(v);
  });
}

function parseVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) throw invalid("version", "a version is a whole number from 1");
  return version;
}

const criteriaOf = (item: ItemView): Criterion[] => item.acceptanceCriteria.map((c) => ({ text: c.text, met: c.met }));

interface SplitOptions {
  suggest?: boolean;
  into: string[];
  points?: string;
  pattern?: string;
  fromSuggestion?: string;
  version?: string;
  json?: boolean;
}

/** The stories of a split as the options say: a suggestion's, or titles given with the original's criteria moved. */
async function storiesToSplitInto(
  backend: Backend,
  ref: string,
  o: SplitOptions,
  original: ItemView,
): Promise<{ stories: ProposedStory[]; pattern: string | undefined }> {
  if (o.fromSuggestion !== undefined) {
    const n = Number(o.fromSuggestion);
    const { suggestions } = await backend.splitSuggestions(ref);
    const chosen = Number.isInteger(n) ? suggestions[n - 1] : undefined;
    if (!chosen) {
      throw invalid("from-suggestion", `there are ${suggestions.length} suggestions: say 1 to ${suggestions.length}`);
    }
    if (o.into.length > 0 && o.into.length !== chosen.stories.length) {
      throw invalid(
        "into",
        `suggestion ${n} proposes ${chosen.stories.length} stories: give ${chosen.stories.length} --into titles to rename them, or none`,
      );
    }
    const stories = chosen.stories.map((s, i) => ({ ...s, title: o.into[i] ?? s.title }));
    return { stories, pattern: o.pattern ?? chosen.pattern };
  }
  if (o.into.length < 2) {
    throw invalid("into", "say at least two --into titles, or --from-suggestion N (see --suggest)");
  }
  const moved = distributeCriteria(criteriaOf(original), o.into);
  const stories = o.into.map((title, i) => ({
    title,
    description: "",
    acceptanceCriteria: moved[i] ?? [],
    points: null,
  }));
  return { stories, pattern: o.pattern };
}

export function addSplittingCommands(program: Command, cx: CliContext): void {
  commandOf(program, "story", "a team's stories: split one with help")
    .command("split <story>")
    .description(
      "split a story into 2 to 10 stories that take its place in the backlog (--suggest first to see suggestions)",
    )
    .option("--suggest", "show the suggested splits, with the cue behind each, and change nothing")
    .option("--into <title>", "a new story's title (repeat, in backlog order)", repeat, [] as string[])
    .option("--points <list>", "the new stories' points, comma-separated (none for no estimate), e.g. 3,5")
    .addOption(new Option("--pattern <pattern>", "the splitting pattern followed").choices([...SPLIT_PATTERNS]))
    .option("--from-suggestion <n>", "apply suggestion n of --suggest (with --into: renamed)")
    .option("--version <n>", "fail if the story changed since this version (default: its current version)")
    .option("--json", "print JSON")
    .action((ref: string, o: SplitOptions) => {
      if (o.suggest && (o.into.length > 0 || o.points || o.pattern || o.fromSuggestion || o.version)) {
        throw invalid(
          "suggest",
          "--suggest only shows suggestions: leave out --into, --points, --pattern and the rest",
        );
      }
      if (o.into.length > MAX_SPLIT_STORIES) {
        throw invalid("into", `split into at most ${MAX_SPLIT_STORIES} stories`);
      }
      const version = parseVersion(o.version);
      return cx.withBackend(async (backend) => {
        if (o.suggest) {
          const { suggestions } = await backend.splitSuggestions(ref);
          print(Boolean(o.json), { suggestions }, () => suggestionsText(ref, suggestions));
          return;
        }
        const original = (await backend.getItem(ref)).item;
        const { stories, pattern } = await storiesToSplitInto(backend, ref, o, original);
        const points = o.points !== undefined ? parsePoints(o.points, stories.length) : null;
        const input = {
          version: version ?? original.version,
          ...(pattern ? { pattern } : {}),
          stories: stories.map((s, i) => ({
            title: s.title,
            description: s.description,
            acceptanceCriteria: s.acceptanceCriteria,
            points: points ? points[i] : s.points,
          })),
        };
        const result = await backend.splitStory(ref, input);
        print(Boolean(o.json), result, () => splitText(result, pattern));
      });
    });

  commandOf(program, "feature", "the ART's features: break one down into stories")
    .command("breakdown <feature>")
    .description("break a feature down into stories: --suggest shows drafts, --apply creates them under the feature")
    .option("--suggest", "show story drafts from the feature's criteria, workflow steps or title; change nothing")
    .option("--apply", "create the drafts as stories, ranked under the feature in each team backlog")
    .option("--team <team>", "with --apply: put every story in this team (key or id) instead of the feature's first")
    .option("--json", "print JSON")
    .action((ref: string, o: { suggest?: boolean; apply?: boolean; team?: string; json?: boolean }) => {
      if (Boolean(o.suggest) === Boolean(o.apply)) {
        throw invalid("apply", "say --suggest to see the drafts, or --apply to create them");
      }
      if (o.team && !o.apply) throw invalid("team", "--team says where --apply puts the stories");
      return cx.withBackend(async (backend) => {
        const drafts = await backend.breakdownDrafts(ref);
        if (o.suggest) {
          print(Boolean(o.json), drafts, () => draftsText(ref, drafts));
          return;
        }
        const teamId = o.team ? (drafts.teams.find((t) => t.key === o.team || t.id === o.team)?.id ?? o.team) : null;
        const stories = drafts.drafts.map((d) => {
          const team = teamId ?? d.teamId;
          if (!team) throw invalid("team", "the feature names no team and its ART has none: say --team");
          return { title: d.title, description: d.description, acceptanceCriteria: d.acceptanceCriteria, teamId: team };
        });
        const created = await backend.breakDownFeature(ref, { stories });
        print(Boolean(o.json), created, () => createdText(ref, created.stories, drafts, o.team));
      });
    });
}

const letter = (i: number) => String.fromCharCode(97 + i);

function storyLines(s: { title: string; acceptanceCriteria: Criterion[]; points: number | null }, label: string) {
  return [
    `   ${label} ${s.title}${s.points !== null ? `  (${s.points} pts)` : ""}`,
    ...s.acceptanceCriteria.map((c) => `        - ${c.text}`),
  ];
}

export function suggestionsText(ref: string, suggestions: readonly SplitSuggestion[]): string {
  return [
    `Suggested splits of ${ref}, strongest cue first:`,
    ...suggestions.flatMap((s, i) => [
      "",
      `${i + 1}. ${s.label} (${s.pattern})`,
      `   ${s.rationale}`,
      ...s.stories.flatMap((p, j) => storyLines(p, `${letter(j)}.`)),
    ]),
    "",
    `Apply one with: trainyard story split ${ref} --from-suggestion N [--into "title" …] [--points 3,5]`,
  ].join("\n");
}

function splitText(result: SplitResultView, pattern: string | undefined): string {
  const keys = result.stories.map((s) => s.key).join(", ");
  return [
    `Split ${result.original.key} into ${keys}${pattern ? ` (${pattern})` : ""}; ${result.original.key} is closed as split.`,
    ...result.stories.map((s) => `  ${s.key.padEnd(10)} ${`${s.points ?? "-"} pts`.padEnd(8)} ${s.title}`),
  ].join("\n");
}

function draftsText(ref: string, drafts: BreakdownDrafts): string {
  const teamKey = (id: string | null) => drafts.teams.find((t) => t.id === id)?.key ?? "no team";
  return [
    `Story drafts for ${ref} (teams: ${drafts.teams.map((t) => t.key).join(", ") || "none"}):`,
    ...drafts.drafts.flatMap((d, i) => storyLines(d, `${i + 1}. [${teamKey(d.teamId)}]`)),
    "",
    `Create them with: trainyard feature breakdown ${ref} --apply [--team KEY]`,
  ].join("\n");
}

function createdText(ref: string, stories: readonly ItemView[], drafts: BreakdownDrafts, team?: string): string {
  const teamKey = (id: string | null) => drafts.teams.find((t) => t.id === id)?.key ?? team ?? id ?? "";
  return [
    `Created ${stories.length} ${stories.length === 1 ? "story" : "stories"} under ${ref}:`,
    ...stories.map((s) => `  ${s.key.padEnd(10)} ${teamKey(s.teamId).padEnd(10)} ${s.title}`),
  ].join("\n");
}
