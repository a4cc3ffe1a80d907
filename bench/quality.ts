// The story quality check's performance budget (issue 5): checkStories over 10,000 real stories in ≤ 1 s on one core,
// and checkStoryText (the live check while typing) in ≤ 20 ms. Pure CPU work in this process: no server, no database.
// bench/bench.ts calls measureStoryQuality(storiesForQualityBench(source)) and reports qualityResults(...).
import { performance } from "node:perf_hooks";
import {
  checkStories,
  checkStoryText,
  DEFAULT_QUALITY_SETTINGS,
  type StoryForCheck,
} from "../src/core/story-quality.js";
import type { DemoSource } from "../src/demo/demo-source.js";
import { latency, type Result } from "./report.js";
import { type LatencySummary, summarize } from "./stats.js";

export const QUALITY_BUDGET = { checkStoriesP95Ms: 1000, checkStoryTextP95Ms: 20 };

export interface StoryQualityMeasurement {
  stories: number;
  /** Findings of one whole run (the same every run). */
  findings: number;
  /** One checkStories call over every story, against all of them as the corpus. */
  wholeRun: LatencySummary;
  /** One checkStoryText call on one story. */
  oneStory: LatencySummary;
}

/**
 * `count` stories of real text: the story-point issues (title, description, points; the project as the team) and the
 * user stories, in file order and repeated if needed. The data has no acceptance criteria, so up to three sentences of
 * each description stand in for them, to exercise the criteria rules; every tenth story depends on the one before
 * and stories spread over six iterations, so the independence rule has work too.
 */
export function storiesForQualityBench(source: DemoSource, count = 10_000): StoryForCheck[] {
  const texts = [
    ...source.userStories.map((title, i) => ({
      key: `US-${i + 1}`,
      project: "user-stories",
      title,
      description: "",
      points: 3,
    })),
    ...source.issues,
  ];
  const stories: StoryForCheck[] = [];
  for (let i = 0; i < count && texts.length > 0; i++) {
    const t = texts[i % texts.length] as (typeof texts)[number];
    const previous = stories[i - 1];
    const sentences = t.description.split(/(?<=[.!?])\s+/).filter((s) => s.length > 10 && s.length < 300);
    stories.push({
      id: `q${i}`,
      key: i < texts.length ? t.key : `${t.key}-${i}`,
      teamId: t.project,
      type: "business",
      title: t.title,
      description: t.description,
      acceptanceCriteria: sentences.slice(0, 3).map((text) => ({ text, met: false })),
      points: i % 17 === 0 ? null : t.points,
      parentId: i % 3 === 0 ? null : "feature",
      iterationOrder: i % 5 === 0 ? null : i % 6,
      dependsOn:
        previous && i % 10 === 0
          ? [{ key: previous.key, iterationOrder: previous.iterationOrder, finished: false }]
          : [],
    });
  }
  return stories;
}

/**
 * Times `runs` whole checkStories runs over `stories` (after `warmup` unmeasured ones) and `texts` checkStoryText calls
 * on stories taken evenly from the list.
 */
export function measureStoryQuality(
  stories: StoryForCheck[],
  options: { runs?: number; warmup?: number; texts?: number } = {},
): StoryQualityMeasurement {
  const { runs = 20, warmup = 3, texts = 2_000 } = options;
  const contextOf = () => ({ settings: DEFAULT_QUALITY_SETTINGS, averageVelocity: 30 });
  let findings = 0;
  const whole: number[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    // Fresh objects each run: checkStories keeps each story object's text analysis, and this measures a cold check.
    const fresh = stories.map((story) => ({ ...story }));
    const start = performance.now();
    const result = checkStories(fresh, fresh, contextOf);
    const elapsed = performance.now() - start;
    if (r >= warmup) whole.push(elapsed);
    findings = [...result.values()].reduce((n, list) => n + list.length, 0);
  }
  const one: number[] = [];
  const step = Math.max(1, Math.floor(stories.length / texts));
  for (let i = 0; i < texts * 2; i++) {
    const story = stories[(i * step) % stories.length] as StoryForCheck;
    const start = performance.now();
    checkStoryText(story, DEFAULT_QUALITY_SETTINGS);
    const elapsed = performance.now() - start;
    if (i >= texts) one.push(elapsed);
  }
  return { stories: stories.length, findings, wholeRun: summarize(whole), oneStory: summarize(one) };
}

/** The two measurements as benchmark results against the issue's budgets. */
export function qualityResults(m: StoryQualityMeasurement): Result[] {
  const n = m.stories.toLocaleString("en-US");
  return [
    latency("quality-all", `story quality check, ${n} stories`, m.wholeRun, QUALITY_BUDGET.checkStoriesP95Ms),
    latency("quality-one", "story quality check, one story (live)", m.oneStory, QUALITY_BUDGET.checkStoryTextP95Ms),
  ];
}
