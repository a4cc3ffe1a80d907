// `trainyard wsjf …` and `trainyard team align`: prioritization on the database (as its operator) or on a server
// (with a personal API token), printing the same either way. Score items on the WSJF inputs, read the estimation
// grid (or export it as CSV), apply WSJF order with pins and undo it, carry feature rank down to a team, and the
// economic view (Cost of Delay per week, urgency, duration, CD3) beside the WSJF order.
import { type Command, Option } from "commander";
import { URGENCY_PROFILES } from "../core/economics.js";
import { invalid } from "../core/errors.js";
import { WSJF_INPUT_LABELS, WSJF_SCALE, type WsjfInput } from "../core/wsjf.js";
import type { CliContext } from "./context.js";
import { alignmentText, economicsText, print, scoreText, WSJF_SHORT, wsjfGridText, wsjfOrderText } from "./output.js";

const levelOption = () =>
  new Option("--level <level>", "program backlog level").choices(["feature", "capability", "epic"]).default("feature");

/** Collects a repeatable option; each value may also be a comma-separated list. */
const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

/** A score as typed: a whole number (the use case checks it is on the scale), or `none` to clear the input. */
function parseScore(field: WsjfInput, raw: string): number | null {
  if (raw.trim().toLowerCase() === "none") return null;
  if (!/^\s*\d+\s*$/.test(raw)) {
    throw invalid(field, `'${raw}' is not a score: say one of ${WSJF_SCALE.join(", ")}, or none to clear it`);
  }
  return Number(raw);
}

/** The economic fields as typed: `none` clears one; numbers must be numbers (the use case checks their range). */
const ECONOMIC_FLAGS: [option: string, field: string, parse: (raw: string) => number | string][] = [
  ["codPerWeek", "costOfDelayPerWeek", (raw) => parseNumber("costOfDelayPerWeek", raw, "money per week, e.g. 12000")],
  ["urgency", "urgency", (raw) => raw.trim()],
  ["fixedDate", "fixedDate", (raw) => raw.trim()],
  ["duration", "durationWeeks", (raw) => parseNumber("durationWeeks", raw, "weeks to one decimal, e.g. 2.5")],
];

function parseNumber(field: string, raw: string, hint: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw)) throw invalid(field, `'${raw}' is not a number: say ${hint}, or none`);
  return Number(raw);
}

const SCORE_FLAGS: [flag: string, field: WsjfInput][] = [
  ["bv", "businessValue"],
  ["tc", "timeCriticality"],
  ["rr", "riskReduction"],
  ["js", "jobSize"],
];

export function addWsjfCommands(program: Command, cx: CliContext): void {
  const wsjf = program
    .command("wsjf")
    .description(
      "Weighted Shortest Job First: score items, the estimation grid, apply WSJF order (database or server)",
    );

  wsjf
    .command("list <art>")
    .description("the estimation grid in rank order: inputs, Cost of Delay, WSJF, places off WSJF, agreement")
    .addOption(levelOption())
    .option("--json", "print JSON")
    .option("--csv", "print the grid as CSV (the same as the API's download)")
    .action((art: string, o: { level: string; json?: boolean; csv?: boolean }) => {
      if (o.json && o.csv) throw invalid("csv", "say --json or --csv, not both");
      return cx.withBackend(async (backend) => {
        if (o.csv) {
          process.stdout.write(await backend.wsjfCsv(art, o.level));
          return;
        }
        const grid = await backend.wsjfGrid(art, o.level);
        print(Boolean(o.json), grid, () => wsjfGridText(art, grid));
      });
    });

  wsjf
    .command("economics <art>")
    .description("the economic view: WSJF order beside CD3 order (Cost of Delay per week ÷ duration), fixed dates")
    .addOption(levelOption())
    .option("--as-of <yyyy-mm-dd>", "count slack and cost-of-delay curves from this day (default: today)")
    .option("--json", "print JSON")
    .action((art: string, o: { level: string; asOf?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const view = await backend.economics(art, o.level, o.asOf);
        print(Boolean(o.json), view, () => economicsText(art, view));
      }),
    );

  wsjf
    .command("apply <art>")
    .description("put a program backlog in WSJF order as one undoable change; pinned items keep their places")
    .addOption(levelOption())
    .option("--pin <key>", "keep this item where it is (repeat, or comma-separate)", collect, [] as string[])
    .option("--dry-run", "only preview: change nothing")
    .option("--json", "print JSON")
    .action((art: string, o: { level: string; pin: string[]; dryRun?: boolean; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const preview = await backend.applyWsjfOrder(art, {
          level: o.level,
          pinned: o.pin,
          dryRun: Boolean(o.dryRun),
        });
        print(Boolean(o.json), preview, () => wsjfOrderText(art, o.level, preview));
      }),
    );

  wsjf
    .command("undo <art> <reorder>")
    .description("undo a WSJF order or a team alignment in one step, if none of its items changed since")
    .option("--json", "print JSON")
    .action((art: string, reorder: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const undone = await backend.undoReorder(art, reorder);
        print(Boolean(o.json), undone, () =>
          undone.moved === 0
            ? `Undid reorder ${reorder}: nothing needed to move back.`
            : `Undid reorder ${reorder}: ${undone.moved} item${undone.moved === 1 ? "" : "s"} back in place.`,
        );
      }),
    );

  const score = wsjf
    .command("score <item>")
    .description(
      `set an item's WSJF inputs, each one of ${WSJF_SCALE.join(", ")}, and its economic fields (none clears one)`,
    );
  for (const [flag, field] of SCORE_FLAGS)
    score.option(`--${flag} <n>`, `${WSJF_INPUT_LABELS[field]} (${WSJF_SHORT[field]})`);
  score
    .option("--cod-per-week <money>", "quantified Cost of Delay: money lost per week of delay")
    .option("--urgency <profile>", `urgency profile: ${URGENCY_PROFILES.join(", ")}`)
    .option("--fixed-date <yyyy-mm-dd>", "the date a fixed_date item must meet")
    .option("--duration <weeks>", "how many weeks the work takes, to one decimal")
    .option("--version <n>", "fail if the item changed since this version (default: its current version)")
    .option("--json", "print JSON")
    .action((ref: string, o: Record<string, string | boolean | undefined>) => {
      const inputs = Object.fromEntries([
        ...SCORE_FLAGS.flatMap(([flag, field]) => {
          const raw = o[flag];
          return typeof raw === "string" ? [[field, parseScore(field, raw)]] : [];
        }),
        ...ECONOMIC_FLAGS.flatMap(([option, field, parse]) => {
          const raw = o[option];
          if (typeof raw !== "string") return [];
          return [[field, raw.trim().toLowerCase() === "none" ? null : parse(raw)]];
        }),
      ]);
      if (Object.keys(inputs).length === 0) {
        throw invalid(
          "inputs",
          "say at least one of --bv, --tc, --rr, --js, --cod-per-week, --urgency, --fixed-date or --duration",
        );
      }
      let version: number | undefined;
      if (typeof o.version === "string") {
        version = Number(o.version);
        if (!Number.isInteger(version) || version < 1) throw invalid("version", "a version is a whole number from 1");
      }
      return cx.withBackend(async (backend) => {
        const item = await backend.scoreItem(ref, inputs, version);
        print(Boolean(o.json), item, () => scoreText(item));
      });
    });

  program
    .command("team")
    .description("a team's backlog")
    .command("align <art> <team>")
    .description(
      "carry feature rank down: order the team's stories by their feature's program rank (one undoable change)",
    )
    .option("--dry-run", "only preview, with the drift from program priorities: change nothing")
    .option("--json", "print JSON")
    .action((art: string, team: string, o: { dryRun?: boolean; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const alignment = await backend.alignTeam(art, team, { dryRun: Boolean(o.dryRun) });
        print(Boolean(o.json), alignment, () => alignmentText(art, team, alignment));
      }),
    );
}
