// Plans the demo train's iteration history: for each team and each development iteration that started before today,
// the moves its stories make the way a real team's do — planned before the iteration starts, started, blocked for a
// few days, done, accepted by the Product Owner, moved back for rework with a reason, carried over into the next
// iteration, added mid-iteration or taken out again — each at an instant on a working day of the iteration it is in.
// Pure like the rest of the demo plan: the seeded generator and the calendar are its only sources of variation.

import type { ReworkReason } from "../core/metrics-views.js";
import type { StoryState } from "../core/work-item.js";
import { pick, type Random, randomInt, shuffle, weightedPick } from "./seeded-random.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * One change to replay on an item at `at` (an ISO instant), by `actor` (an email): a new state, a move into an
 * iteration ("<PI name>/<number>") or out of any (null), being blocked (a reason) or unblocked (null). A move back
 * from done or accepted carries why (`reworkReason`, `reworkNote`).
 */
export interface HistoryEntry {
  item: string;
  actor: string;
  at: string;
  state?: string;
  iteration?: string | null;
  blockedReason?: string | null;
  reworkReason?: ReworkReason;
  reworkNote?: string;
}

/** A development iteration, by its ref ("<PI name>/<number>") and dates. */
export interface HistoryIteration {
  ref: string;
  startDate: string;
  endDate: string;
}

/** A story planned into one of the iterations, with the state the plan gives it in the end. */
export interface HistoryStory {
  ref: string;
  team: string;
  points: number;
  /** The ref of the iteration it is planned in. */
  iteration: string;
  /** Its state at the end, unless the history takes it out of its iteration (then it ends ready). */
  final: StoryState;
  /** Keeps its iteration: never carried over, added late or taken out (it carries a dependency, say). */
  fixed: boolean;
}

export interface IterationHistoryInput {
  /** The development iterations that started before today, in time order; the last may still be running. */
  iterations: readonly HistoryIteration[];
  stories: readonly HistoryStory[];
  /** Today's first instant (UTC): every entry is before it. */
  cutoff: number;
  /** Emails of who does what: a team member moves the work, the Product Owner accepts, reopens and replans it. */
  memberOf: (team: string) => string;
  productOwnerOf: (team: string) => string;
  /** What a blocked story can wait on, for a team: e.g. another team's API. */
  blockers: (team: string) => readonly string[];
}

export interface IterationHistory {
  /** Every entry, in time order. */
  history: HistoryEntry[];
  /**
   * How each story is created: ready (or still refining, when it is made ready on its iteration's first morning), and
   * in its iteration unless it joins it mid-iteration (then in none).
   */
  created: Map<string, { state: StoryState; iteration: string | null }>;
  /** The moves back from done or accepted, with their reason. */
  reworks: Array<{ item: string; at: string; reason: ReworkReason }>;
}

/** The share of the stories finished in an iteration that were reopened on the way (5–10 % is usual). */
const REWORK_SHARE = 0.07;
/** The share of the stories finished in an iteration that were blocked for a few days while in progress. */
const BLOCKED_SHARE = 0.07;
/** When stories join an iteration late or leave it, at least this many stay planned at its start. */
const MIN_PLANNED = 6;

/** Why finished stories were moved back, how often, and the note the Product Owner wrote. */
const REWORK: ReadonlyArray<readonly [ReworkReason, number, string]> = [
  [
    "unclear_criteria",
    30,
    "The criteria did not say what happens with an empty input; added that case as a criterion.",
  ],
  ["defect", 30, "Fails on staging with the production configuration; the fix comes with a regression test."],
  ["inadequate_refinement", 20, "Existing data needs migrating too, which we missed in refinement."],
  ["changed_requirement", 15, "The Business Owners asked for archived items to be included after the System Demo."],
  ["other", 5, "Moved back to pair on the review comments before it ships."],
];

type Change = Omit<HistoryEntry, "item" | "actor" | "at">;

/** One step of a story's way through an iteration: `gap` working days after the step before (0: later that day). */
interface Step {
  gap: number;
  /** The fewest working days `squeeze` shortens the gap to while others can give way (a block lasts a day). */
  min?: number;
  by: "member" | "po";
  change: Change;
}

/**
 * The history of the stories in `input.stories`, team by team and iteration by iteration. In an iteration that has
 * ended, each planned story is started and finished inside it, except one or two carried over (still in progress at
 * the end, moved into the next iteration on its first day and finished there); now and then a story joins in the
 * middle or is taken out again; some are blocked for a few days; about one in thirteen is reopened with a reason, at
 * least one of them twice; a few are still refining when it begins and made ready on its first morning. In the running
 * iteration each story gets as far as its final state, on days before today.
 *
 * @example
 * const { history, created } = planIterationHistory(input, mulberry32(1));
 */
export function planIterationHistory(input: IterationHistoryInput, random: Random): IterationHistory {
  const entries: Array<HistoryEntry & { ms: number }> = [];
  const created = new Map<string, { state: StoryState; iteration: string | null }>();
  const reworks: IterationHistory["reworks"] = [];
  const teams = [...new Set(input.stories.map((s) => s.team))].sort();
  let reopenedTwice = false;
  // Rework and blocks are spread over the iterations by share, not by chance, so every seed shows about as many.
  const owed = { rework: 0, blocked: 0 };
  const take = (kind: keyof typeof owed, from: readonly HistoryStory[]) => {
    owed[kind] += from.length * (kind === "rework" ? REWORK_SHARE : BLOCKED_SHARE);
    const count = Math.min(from.length, Math.floor(owed[kind]));
    owed[kind] -= count;
    return new Set(
      shuffle(random, from)
        .slice(0, count)
        .map((s) => s.ref),
    );
  };

  for (const team of teams) {
    const member = input.memberOf(team);
    const po = input.productOwnerOf(team);
    const blockers = input.blockers(team);
    const emit = (story: HistoryStory, ms: number, by: Step["by"], change: Change) => {
      const at = new Date(ms).toISOString();
      entries.push({ item: story.ref, actor: by === "po" ? po : member, at, ms, ...change });
      if (change.reworkReason) reworks.push({ item: story.ref, at, reason: change.reworkReason });
    };
    let carried: Array<{ story: HistoryStory; blocked: boolean }> = [];

    for (const iteration of input.iterations) {
      const days = workingDays(iteration, input.cutoff);
      if (days.length === 0) break;
      const last = days.length - 1;
      const completed = Date.parse(`${iteration.endDate}T00:00:00Z`) + DAY_MS <= input.cutoff;
      const planned = input.stories.filter((s) => s.team === team && s.iteration === iteration.ref);

      // Who joins late, who leaves, who is carried over: never a fixed story, and the iteration keeps its plan.
      const movable = shuffle(
        random,
        planned.filter((s) => !s.fixed && (completed ? isFinished(s.final) : isStarted(s.final))),
      );
      const joining = new Set<string>();
      const leaving = new Set<string>();
      const room = () => planned.length - joining.size - leaving.size > MIN_PLANNED;
      const joinCount = weightedPick(random, [
        [0, 5],
        [1, 4],
        [2, 1],
      ]);
      for (const s of movable) if (joining.size < joinCount && s.points <= 5 && room()) joining.add(s.ref);
      const leaver = movable.find((s) => !joining.has(s.ref));
      if (completed && leaver && random() < 0.18 && room()) leaving.add(leaver.ref);
      const carryCount = completed
        ? weightedPick(random, [
            [0, 2],
            [1, 5],
            [2, 3],
          ])
        : 0;
      // What slips is at most a fifth of the iteration's points, so velocity moves by about a quarter, not half.
      const carryOut = new Set<string>();
      let slipping = planned.reduce((sum, s) => sum + s.points, 0) / 5;
      for (const s of movable) {
        if (carryOut.size >= carryCount || joining.has(s.ref) || leaving.has(s.ref) || s.points > slipping) continue;
        carryOut.add(s.ref);
        slipping -= s.points;
      }
      const carryNext: typeof carried = [];
      const finishing = planned.filter(
        (s) => isFinished(s.final) && !carryOut.has(s.ref) && !leaving.has(s.ref) && (completed || !joining.has(s.ref)),
      );
      const reworked = take("rework", finishing);
      const blockedOnes = take("blocked", finishing);
      // A few planned stories are still being refined when the iteration begins and made ready on its first morning,
      // so readiness at the start varies from iteration to iteration as it does in a real team.
      const refinedLate = new Set(
        shuffle(
          random,
          planned.filter(
            (s) => isStarted(s.final) && !joining.has(s.ref) && !leaving.has(s.ref) && !carryOut.has(s.ref),
          ),
        )
          .slice(
            0,
            Math.min(
              Math.floor((planned.length - joining.size) / 4),
              weightedPick(random, [
                [0, 3],
                [1, 4],
                [2, 3],
                [3, 1],
              ]),
            ),
          )
          .map((s) => s.ref),
      );

      for (const story of planned) {
        const joins = joining.has(story.ref);
        const late = refinedLate.has(story.ref);
        created.set(story.ref, { state: late ? "refining" : "ready", iteration: joins ? null : story.iteration });
        const track = new Track(days, random);
        if (late) emit(story, track.at(0, 8, 10), "po", { state: "ready" });
        if (leaving.has(story.ref)) {
          // Taken out mid-iteration (to make room for something urgent); back in the team backlog, still ready.
          emit(story, track.at(randomInt(random, 1, Math.min(5, last)), 9, 16), "po", { iteration: null });
          continue;
        }
        if (!isStarted(story.final)) continue;
        let lo = 0;
        if (joins) {
          lo = randomInt(random, 2, Math.max(2, Math.min(5, last - 1)));
          emit(story, track.at(lo, 8, 11), "po", { iteration: iteration.ref });
        }
        if (carryOut.has(story.ref)) {
          // Started late and still in progress at the end, sometimes because it has waited on someone since.
          const start = Math.max(lo, last - randomInt(random, 0, 3));
          const blocked = random() < 0.3;
          emit(story, joins ? track.after(start - lo) : track.at(start), "member", {
            state: "in_progress",
            ...(blocked ? { blockedReason: pick(random, blockers) } : {}),
          });
          carryNext.push({ story, blocked });
          continue;
        }
        const cycles = !reworked.has(story.ref) ? 0 : (completed && !reopenedTwice) || random() < 0.1 ? 2 : 1;
        if (cycles === 2) reopenedTwice = true;
        const blocked = story.final === "in_progress" ? random() < 0.2 : blockedOnes.has(story.ref);
        const steps = squeeze(flow(story, cycles, blocked ? pick(random, blockers) : null, random), last - lo);
        const span = steps.reduce((sum, s) => sum + s.gap, 0);
        const startGap = Math.floor(random() ** 1.6 * (last - lo - span + 1));
        steps.forEach((step, i) => {
          const ms = i > 0 ? track.after(step.gap) : joins ? track.after(startGap) : track.at(startGap);
          emit(story, ms, step.by, step.change);
        });
      }

      // Carried over from the iteration before: moved in on its first morning (unblocked by then), finished in it.
      for (const { story, blocked } of carried) {
        const steps: Step[] = [
          { gap: 0, by: "po", change: { iteration: iteration.ref, ...(blocked ? { blockedReason: null } : {}) } },
        ];
        steps.push({ gap: randomInt(random, 1, 3), by: "member", change: { state: "done" } });
        if (story.final === "accepted") {
          steps.push({ gap: randomInt(random, 0, 2), by: "po", change: { state: "accepted" } });
        }
        const track = new Track(days, random);
        squeeze(steps, last).forEach((step, i) => {
          emit(story, i === 0 ? track.at(0, 8, 10) : track.after(step.gap), step.by, step.change);
        });
      }
      carried = carryNext;
    }
  }

  entries.sort((a, b) => a.ms - b.ms);
  return { history: entries.map(({ ms: _ms, ...entry }) => entry), created, reworks };
}

/** A story's steps from in progress to its final state: blocked for a while, reopened `cycles` times on the way. */
function flow(story: HistoryStory, cycles: number, blocker: string | null, random: Random): Step[] {
  // A blocked story waits from the moment it is started (on what it turns out to need) until a few days later.
  const steps: Step[] = [
    { gap: 0, by: "member", change: { state: "in_progress", ...(blocker ? { blockedReason: blocker } : {}) } },
  ];
  if (blocker) {
    // A story still in progress today may still be waiting.
    if (story.final === "in_progress") return steps;
    steps.push({ gap: randomInt(random, 1, 3), min: 1, by: "member", change: { blockedReason: null } });
  }
  if (story.final === "in_progress") return steps;
  steps.push({ gap: duration(story.points, random), by: "member", change: { state: "done" } });
  const accepted = story.final === "accepted";
  for (let c = 0; c < cycles; c++) {
    if (accepted && random() < 0.7) {
      steps.push({ gap: randomInt(random, 0, 2), by: "po", change: { state: "accepted" } });
    }
    const [reason, , note] = weightedPick(
      random,
      REWORK.map((r) => [r, r[1]] as const),
    );
    steps.push({
      gap: randomInt(random, 0, 1),
      by: "po",
      change: { state: "in_progress", reworkReason: reason, reworkNote: note },
    });
    steps.push({ gap: randomInt(random, 1, 2), by: "member", change: { state: "done" } });
  }
  if (accepted) steps.push({ gap: randomInt(random, 0, 2), by: "po", change: { state: "accepted" } });
  return steps;
}

/** Working days from in progress to done, by the story's size. */
function duration(points: number, random: Random): number {
  if (points <= 1) return randomInt(random, 0, 1);
  if (points <= 2) return randomInt(random, 1, 2);
  if (points <= 3) return randomInt(random, 1, 3);
  if (points <= 5) return randomInt(random, 2, 4);
  if (points <= 8) return randomInt(random, 3, 5);
  return randomInt(random, 4, 7);
}

/**
 * The steps with their gaps shortened, the one with the most to spare first (down to its minimum while any other can
 * give way), until they span at most `days` working days.
 */
function squeeze(steps: Step[], days: number): Step[] {
  const fitted = steps.map((s) => ({ ...s }));
  const rest = fitted.slice(1);
  let span = rest.reduce((sum, s) => sum + s.gap, 0);
  const spare = (s: Step) => s.gap - (s.min ?? 0);
  while (span > Math.max(0, days)) {
    const roomy = rest.filter((s) => spare(s) > 0);
    const longest = roomy.length > 0 ? roomy.reduce((a, b) => (spare(b) > spare(a) ? b : a)) : undefined;
    const shortened = longest ?? rest.reduce((a, b) => (b.gap > a.gap ? b : a));
    shortened.gap--;
    span--;
  }
  return fitted;
}

/** The first instant (UTC) of each weekday of the iteration that ended before `cutoff`. */
function workingDays(iteration: HistoryIteration, cutoff: number): number[] {
  const days: number[] = [];
  const end = Date.parse(`${iteration.endDate}T00:00:00Z`);
  for (let day = Date.parse(`${iteration.startDate}T00:00:00Z`); day <= end && day + DAY_MS <= cutoff; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  return days;
}

/** Instants on the working days of an iteration, each later than the one before. */
class Track {
  index = 0;
  ms = 0;
  constructor(
    private readonly days: readonly number[],
    private readonly random: Random,
  ) {}

  /** On working day `index` (the last one at most), between `from` and `to` o'clock, after the last instant. */
  at(index: number, from = 8, to = 12): number {
    this.index = Math.min(Math.max(0, index), this.days.length - 1);
    const minutes = Math.floor((from + this.random() * (to - from)) * 60);
    const ms = (this.days[this.index] as number) + minutes * 60_000;
    this.ms = ms > this.ms ? ms : this.ms + HOUR_MS / 2;
    return this.ms;
  }

  /** `gap` working days after the last instant, or 30–120 minutes later the same day when `gap` is 0. */
  after(gap: number): number {
    if (gap > 0) return this.at(this.index + gap);
    this.ms += (30 + Math.floor(this.random() * 90)) * 60_000;
    return this.ms;
  }
}

function isStarted(state: string): boolean {
  return state === "in_progress" || state === "done" || state === "accepted";
}

function isFinished(state: string): boolean {
  return state === "done" || state === "accepted";
}
