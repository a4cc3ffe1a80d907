// What the benchmark asks the server to do, one request at a time: drag an item before or after another of its
// backlog, read the first page or the whole slim list of a backlog, create a story, preview and apply WSJF order. Each
// workload is a function that sends one request; `measure` times many of them after a warm-up.
import { LIMITS } from "../src/core/work-item.js";
import type { SourceIssue } from "../src/demo/demo-source.js";
import type { HttpClient } from "./http-client.js";
import type { LoadedTrain } from "./load-train.js";
import { type LatencySummary, summarize } from "./stats.js";

export type Workload = () => Promise<void>;

/** Runs `warmup` unmeasured requests, then `n` measured ones, one in flight at a time. */
export async function measure(work: Workload, n: number, warmup: number): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/**
 * Measures several workloads in the same stretch of time, one request of each per round in a random order, so
 * whatever else the machine does slows them alike and their ratio stays fair.
 */
export async function measureInterleaved(
  works: readonly Workload[],
  n: number,
  warmup: number,
  random: () => number,
): Promise<LatencySummary[]> {
  const samples = works.map(() => [] as number[]);
  for (let round = -warmup; round < n; round++) {
    for (const i of shuffledIndexes(works.length, random)) {
      const started = performance.now();
      await (works[i] as Workload)();
      if (round >= 0) samples[i]?.push(performance.now() - started);
    }
  }
  return samples.map((s) => summarize(s));
}

function shuffledIndexes(length: number, random: () => number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/**
 * A drag: a random item (every item equally likely, so mostly stories) placed before or after a random other item
 * of its own backlog.
 */
export function dragWorkload(client: HttpClient, train: LoadedTrain, random: () => number): Workload {
  const movable = [...train.backlogs.values()].filter((keys) => keys.length >= 2);
  const items = movable.flatMap((keys) => keys.map((key) => ({ key, backlog: keys })));
  return async () => {
    const { key, backlog } = items[Math.floor(random() * items.length)] as (typeof items)[number];
    let target = key;
    while (target === key) target = backlog[Math.floor(random() * backlog.length)] as string;
    const body = random() < 0.5 ? { before: target } : { after: target };
    await client.request("POST", `/api/v1/items/${encodeURIComponent(key)}/move`, body);
  };
}

/** A GET whose response must hold `expect` items (checked once, on the first call). */
export function readWorkload(client: HttpClient, path: string, expect: number): Workload {
  let checked = false;
  return async () => {
    const { body } = await client.request("GET", path);
    if (checked) return;
    const count = (JSON.parse(body) as { items: unknown[] }).items.length;
    if (count !== expect) throw new Error(`GET ${path} returned ${count} items, expected ${expect}`);
    checked = true;
  };
}

/** Creates a story from real issue text at the bottom of a random team's backlog, under one of that team's features. */
export function createWorkload(
  client: HttpClient,
  train: LoadedTrain,
  issues: readonly SourceIssue[],
  random: () => number,
): Workload {
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
  const featuresOf = new Map(train.teamKeys.map((t) => [t, train.features.filter((f) => f.teams.includes(t))]));
  return async () => {
    const team = pick(train.teamKeys) as string;
    const feature = pick(featuresOf.get(team) ?? []);
    const issue = pick(issues) as SourceIssue;
    await client.request("POST", "/api/v1/items", {
      art: train.artKey,
      level: "story",
      title: issue.title.slice(0, LIMITS.title),
      description: issue.description.slice(0, LIMITS.description),
      teamId: team,
      ...(feature ? { parentId: feature.key } : {}),
      points: Math.min(issue.points, LIMITS.points),
      labels: [issue.project],
    });
  };
}

interface WsjfOrderAnswer {
  reorderId: string | null;
  moved: number;
  items: { key: string; pinned: boolean; from: number; to: number }[];
}

/** Checks a WSJF order answer: every item of the backlog, the pinned ones where they were, most of the rest moved. */
function checkOrder(answer: WsjfOrderAnswer, expect: number, pinned: readonly string[]): void {
  const problem =
    answer.items.length !== expect
      ? `${answer.items.length} items, expected ${expect}`
      : answer.items.some((i) => i.pinned !== pinned.includes(i.key) || (i.pinned && i.from !== i.to))
        ? "a pinned item moved, or an unpinned one is marked pinned"
        : answer.moved < expect / 2
          ? `only ${answer.moved} of ${expect} items moved; the backlog was already near WSJF order`
          : undefined;
  if (problem) throw new Error(`WSJF order: ${problem}`);
}

/** A WSJF order preview (`dryRun`) of an ART's feature backlog with `pinned` keys kept in place; checked once. */
export function wsjfPreviewWorkload(
  client: HttpClient,
  art: string,
  pinned: readonly string[],
  expect: number,
): Workload {
  let checked = false;
  return async () => {
    const { body } = await client.request("POST", `/api/v1/arts/${art}/wsjf/order`, { dryRun: true, pinned });
    if (checked) return;
    const answer = JSON.parse(body) as WsjfOrderAnswer;
    checkOrder(answer, expect, pinned);
    if (answer.reorderId !== null) throw new Error("WSJF order: a dry run returned a reorder");
    checked = true;
  };
}

/**
 * Applying WSJF order to an ART's feature backlog (`pinned` kept in place), `warmup` + `n` times. Only the apply is
 * timed; after each one an undo (`POST /arts/{art}/reorders/{id}/undo`, timed separately) puts the backlog back in its
 * order before, so every apply starts from the same order, far from WSJF's, and moves most of the backlog again.
 */
export async function measureWsjfApply(
  client: HttpClient,
  art: string,
  pinned: readonly string[],
  expect: number,
  n: number,
  warmup: number,
): Promise<{ apply: LatencySummary; undo: LatencySummary; moved: number }> {
  const applied: number[] = [];
  const undone: number[] = [];
  let moved = 0;
  for (let i = -warmup; i < n; i++) {
    let started = performance.now();
    const { body } = await client.request("POST", `/api/v1/arts/${art}/wsjf/order`, { pinned });
    const applyMs = performance.now() - started;
    const answer = JSON.parse(body) as WsjfOrderAnswer;
    checkOrder(answer, expect, pinned);
    if (answer.reorderId === null) throw new Error("WSJF order: an apply returned no reorder to undo");
    started = performance.now();
    const undo = await client.request("POST", `/api/v1/arts/${art}/reorders/${answer.reorderId}/undo`);
    const undoMs = performance.now() - started;
    // About as many as the apply moved (the same count, unless either had to respace every key).
    if ((JSON.parse(undo.body) as { moved: number }).moved < expect / 2) {
      throw new Error("WSJF order: an undo put back fewer items than the apply moved");
    }
    if (i < 0) continue;
    applied.push(applyMs);
    undone.push(undoMs);
    moved = answer.moved;
  }
  return { apply: summarize(applied), undo: summarize(undone), moved };
}

/**
 * The live quality check while someone edits a story of `team`: each request sends a real title cut where a typist
 * might be (a word boundary past the half), with the story being edited named so its own duplicate is left out.
 */
export function qualityCheckWorkload(
  client: HttpClient,
  train: LoadedTrain,
  team: string,
  issues: readonly SourceIssue[],
  random: () => number,
): Workload {
  const stories = train.teamBacklogs.get(team) ?? [];
  if (stories.length === 0) throw new Error(`team ${team} has no stories`);
  let checked = false;
  return async () => {
    const issue = issues[Math.floor(random() * issues.length)] as SourceIssue;
    const cut = issue.title.indexOf(" ", Math.floor(issue.title.length / 2));
    const draft = {
      item: stories[Math.floor(random() * stories.length)],
      teamId: team,
      title: cut > 0 ? issue.title.slice(0, cut) : issue.title,
      acceptanceCriteria: ["Given a running cluster, when a node fails, then its tasks are rescheduled quickly"],
      points: 5,
    };
    const { body } = await client.request("POST", `/api/v1/arts/${train.artKey}/quality/check`, draft);
    if (checked) return;
    const answer = JSON.parse(body) as { findings?: unknown[]; readiness?: unknown };
    if (!Array.isArray(answer.findings) || !answer.readiness) throw new Error(`quality check: ${body.slice(0, 200)}`);
    checked = true;
  };
}

/** The program board of a PI (`GET /arts/{art}/pis/{pi}/board`); checked once: its features and dependencies. */
export function boardWorkload(
  client: HttpClient,
  art: string,
  pi: string,
  expect: { features: number; dependencies: number },
): Workload {
  const path = `/api/v1/arts/${art}/pis/${encodeURIComponent(pi)}/board`;
  let checked = false;
  return async () => {
    const { body } = await client.request("GET", path);
    if (checked) return;
    const board = JSON.parse(body) as { features?: unknown[]; dependencies?: unknown[]; load?: unknown[] };
    const features = new Set((board.features ?? []).map((f) => (f as { featureId: string }).featureId)).size;
    const dependencies = board.dependencies?.length ?? 0;
    if (features !== expect.features || dependencies < expect.dependencies || !board.load?.length) {
      throw new Error(
        `board of ${pi}: ${features} features and ${dependencies} dependencies, ` +
          `expected ${expect.features} and at least ${expect.dependencies}, with the load`,
      );
    }
    checked = true;
  };
}

/**
 * The plan proposal for a PI (`GET /arts/{art}/pis/{pi}/plan/proposal`); checked once: it places some stories and
 * leaves others unplaced. `counts` receives the last answer's moves, kept and unplaced stories.
 */
export function proposalWorkload(
  client: HttpClient,
  art: string,
  pi: string,
  counts: { moves: number; kept: number; unplaced: number },
): Workload {
  const path = `/api/v1/arts/${art}/pis/${encodeURIComponent(pi)}/plan/proposal`;
  let checked = false;
  return async () => {
    const { body } = await client.request("GET", path);
    if (checked) return;
    const answer = JSON.parse(body) as { moves?: unknown[]; kept?: number; unplaced?: unknown[] };
    counts.moves = answer.moves?.length ?? 0;
    counts.kept = answer.kept ?? 0;
    counts.unplaced = answer.unplaced?.length ?? 0;
    if (counts.moves === 0 || counts.unplaced === 0) {
      throw new Error(
        `proposal for ${pi}: ${counts.moves} moves and ${counts.unplaced} unplaced, expected some of each`,
      );
    }
    checked = true;
  };
}
