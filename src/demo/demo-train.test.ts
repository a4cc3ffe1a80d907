import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { economicProblems } from "../core/economics.js";
import {
  isAnchored,
  missingInputs,
  proposeWsjfOrder,
  WSJF_INPUTS,
  WSJF_SCALE,
  type WsjfInputs,
  wsjfAgreement,
} from "../core/wsjf.js";
import { type DemoSource, loadDemoSource } from "./demo-source.js";
import {
  type DemoTrainPlan,
  FEATURE_STATES,
  finalIterations,
  finalStates,
  MAX_DESCRIPTION_LENGTH,
  type PlanItem,
  planDemoTrain,
  roundToStoryScale,
  STORY_POINT_SCALE,
  STORY_STATES,
} from "./demo-train.js";
import { mulberry32 } from "./seeded-random.js";

const DATA_DIR = fileURLToPath(new URL("../../../shared/data", import.meta.url));
const TODAY = new Date("2025-06-18T09:30:00Z");
const DAY_MS = 86_400_000;

let source: DemoSource;
let plan: DemoTrainPlan;

beforeAll(async () => {
  source = await loadDemoSource(DATA_DIR);
  plan = planDemoTrain(source, mulberry32(42), TODAY);
});

const allItems = (): PlanItem[] => [...plan.epics, ...plan.capabilities, ...plan.features, ...plan.stories];
const teamOf = (item: PlanItem): string | undefined => item.team ?? item.teams?.[0];
const days = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / DAY_MS;

describe("planDemoTrain", () => {
  it("plans an ART of at least four teams and about ten people with example.com addresses", () => {
    expect(plan.art.key).toMatch(/^[A-Z]{2,5}$/);
    expect(plan.teams.length).toBeGreaterThanOrEqual(4);
    expect(new Set(plan.teams.map((team) => team.key)).size).toBe(plan.teams.length);
    expect(plan.people.length).toBeGreaterThanOrEqual(8);
    for (const person of plan.people) expect(person.email).toMatch(/^[a-z.]+@example\.com$/);
    const roles = new Set(plan.people.map((person) => person.role));
    for (const role of [
      "product_manager",
      "product_owner",
      "release_train_engineer",
      "business_owner",
      "team_member",
    ]) {
      expect(roles).toContain(role);
    }
  });

  it("lays out two PIs of four two-week iterations and an IP iteration, the first started about six weeks ago", () => {
    expect(plan.pis).toHaveLength(2);
    for (const pi of plan.pis) {
      expect(pi.iterations.map((iteration) => iteration.number)).toEqual([1, 2, 3, 4, 5]);
      expect(pi.iterations.at(-1)?.name).toMatch(/IP/);
      expect(pi.iterations[0]?.startDate).toBe(pi.startDate);
      for (const iteration of pi.iterations) {
        expect(iteration.startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(days(iteration.startDate, iteration.endDate)).toBe(13);
      }
    }
    expect(new Set(plan.pis.map((pi) => pi.name)).size).toBe(2);
    const [first, second] = plan.pis;
    expect(days(first?.iterations.at(-1)?.endDate ?? "", second?.startDate ?? "")).toBe(1);
    const startedDaysAgo = days(first?.startDate ?? "", TODAY.toISOString().slice(0, 10));
    expect(startedDaysAgo).toBeGreaterThanOrEqual(35);
    expect(startedDaysAgo).toBeLessThan(42);
  });

  it("gives at least 40 features a benefit hypothesis and acceptance criteria", () => {
    expect(plan.features.length).toBeGreaterThanOrEqual(40);
    for (const feature of plan.features) {
      expect(feature.benefitHypothesis).toMatch(/^We believe that .+ will result in .+; we will know when .+\.$/);
      expect(feature.acceptanceCriteria.length).toBeGreaterThanOrEqual(1);
      expect(feature.acceptanceCriteria.length).toBeLessThanOrEqual(4);
      expect(feature.teams?.length).toBeGreaterThanOrEqual(1);
    }
    const givenWhenThen = plan.features
      .flatMap((f) => f.acceptanceCriteria)
      .filter((c) => /^Given .+ when .+ then /.test(c));
    expect(givenWhenThen.length).toBeGreaterThan(plan.features.length);
    expect(plan.features.some((feature) => feature.type === "enabler" && feature.enablerKind)).toBe(true);
  });

  it("plans at least 300 stories, each with points on the scale and at least one acceptance criterion", () => {
    expect(plan.stories.length).toBeGreaterThanOrEqual(300);
    for (const story of plan.stories) {
      expect(STORY_POINT_SCALE).toContain(story.points);
      expect(story.points).toBeLessThanOrEqual(13);
      expect(story.acceptanceCriteria.length).toBeGreaterThanOrEqual(1);
      expect(story.acceptanceCriteria.length).toBeLessThanOrEqual(3);
      expect(story.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    }
    const types = new Set(plan.stories.map((story) => story.type));
    expect(types).toEqual(new Set(["business", "enabler", "defect", "debt"]));
    expect(plan.stories.some((story) => story.type === "enabler" && story.enablerKind === "exploration")).toBe(true);
  });

  it("takes story titles, descriptions and points from the source issues and user stories", () => {
    const issues = new Map(source.issues.map((issue) => [issue.title, issue]));
    const userStories = new Set(source.userStories);
    let fromUserStories = 0;
    for (const story of plan.stories) {
      const issue = issues.get(story.title);
      if (issue) {
        expect(story.points).toBe(roundToStoryScale(issue.points));
        const shown = story.description.replace(/…$/, "");
        expect(issue.description.startsWith(shown)).toBe(true);
      } else {
        expect(userStories).toContain(story.title);
        fromUserStories++;
      }
    }
    expect(fromUserStories).toBeGreaterThan(0);
    expect(new Set(plan.stories.map((story) => story.title)).size).toBe(plan.stories.length);
  });

  it("gives every item a unique ref", () => {
    const refs = allItems().map((item) => item.ref);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it("resolves every parent, team, owner, dependency, comment and history reference", () => {
    const refs = new Set(allItems().map((item) => item.ref));
    const teams = new Set(plan.teams.map((team) => team.key));
    const emails = new Set(plan.people.map((person) => person.email));
    const piNames = new Set([plan.finishedPi, ...plan.pis].map((pi) => pi.name));
    const iterations = new Set(
      [plan.finishedPi, ...plan.pis].flatMap((pi) => pi.iterations.map((it) => `${pi.name}/${it.number}`)),
    );
    for (const item of allItems()) {
      if (item.parent !== undefined) expect(refs).toContain(item.parent);
      if (item.team !== undefined) expect(teams).toContain(item.team);
      for (const team of item.teams ?? []) expect(teams).toContain(team);
      if (item.owner !== undefined) expect(emails).toContain(item.owner);
      if (item.pi !== undefined) expect(piNames).toContain(item.pi);
    }
    for (const person of plan.people) for (const team of person.teams) expect(teams).toContain(team);
    for (const { from, to } of plan.dependencies) {
      expect(refs).toContain(from);
      expect(refs).toContain(to);
    }
    for (const story of plan.stories) if (story.iteration) expect(iterations).toContain(story.iteration);
    const today = TODAY.toISOString().slice(0, 10);
    for (const comment of plan.comments) {
      expect(refs).toContain(comment.item);
      expect(emails).toContain(comment.author);
      expect(comment.body.length).toBeGreaterThan(0);
      expect(comment.at > plan.createdAt && comment.at < today).toBe(true);
    }
    for (const entry of plan.history) {
      expect(refs).toContain(entry.item);
      expect(emails).toContain(entry.actor);
      if (entry.iteration) expect(iterations).toContain(entry.iteration);
    }
  });

  it("hangs stories under features, features under epics or capabilities, and capabilities under epics", () => {
    const levelOf = new Map(allItems().map((item) => [item.ref, item.level]));
    for (const story of plan.stories) {
      expect(levelOf.get(story.parent ?? "")).toBe("feature");
      expect(story.team).toBeDefined();
    }
    for (const feature of plan.features) expect(["epic", "capability"]).toContain(levelOf.get(feature.parent ?? ""));
    for (const capability of plan.capabilities) expect(levelOf.get(capability.parent ?? "")).toBe("epic");
    for (const epic of plan.epics) expect(epic.parent).toBeUndefined();
  });

  it("plans about fifteen dependencies, each between items of different teams", () => {
    const byRef = new Map(allItems().map((item) => [item.ref, item]));
    expect(plan.dependencies.length).toBeGreaterThanOrEqual(10);
    for (const { from, to } of plan.dependencies) {
      const needing = byRef.get(from);
      const providing = byRef.get(to);
      if (!needing || !providing) throw new Error(`Dependency ${from} -> ${to} does not resolve.`);
      expect(teamOf(needing)).toBeDefined();
      expect(teamOf(needing)).not.toBe(teamOf(providing));
      expect(needing.level).toBe(providing.level);
    }
    expect(new Set(plan.dependencies.map((d) => `${d.from}>${d.to}`)).size).toBe(plan.dependencies.length);
  });

  it("uses only the known state ids and, after history, every one of them", () => {
    const states = finalStates(plan);
    for (const item of allItems()) {
      const allowed: readonly string[] = item.level === "story" ? STORY_STATES : FEATURE_STATES;
      expect(allowed).toContain(item.state);
      expect(allowed).toContain(states.get(item.ref));
    }
    expect(new Set(plan.features.map((f) => states.get(f.ref)))).toEqual(new Set(FEATURE_STATES));
    expect(new Set(plan.stories.map((s) => states.get(s.ref)))).toEqual(new Set(STORY_STATES));
  });

  it("plans stories into the finished and current PIs only, finished in past iterations and not started after", () => {
    const [current] = plan.pis;
    const finished = plan.finishedPi;
    const states = finalStates(plan);
    const iterations = finalIterations(plan);
    const today = TODAY.toISOString().slice(0, 10);
    const now = current?.iterations.find((it) => it.startDate <= today && today <= it.endDate)?.number ?? 0;
    expect(now).toBe(3);
    for (const story of plan.stories) {
      const state = states.get(story.ref);
      if (story.iteration) expect(story.pi).toBe(story.iteration.split("/")[0]);
      const ref = iterations.get(story.ref);
      if (!ref) {
        expect(["new", "refining", "ready"]).toContain(state);
        continue;
      }
      const [piName, number] = ref.split("/");
      expect([finished.name, current?.name]).toContain(piName);
      const iteration = Number(number);
      expect(iteration).toBeGreaterThanOrEqual(1);
      expect(iteration).toBeLessThanOrEqual(4);
      if (piName === finished.name || iteration < now) expect(["done", "accepted"]).toContain(state);
      if (piName === current?.name && iteration > now) expect(["ready", "refining", "new"]).toContain(state);
    }
    expect(
      plan.stories.some(
        (s) => iterations.get(s.ref) === `${current?.name}/${now}` && states.get(s.ref) === "in_progress",
      ),
    ).toBe(true);
  });

  it("records a dated history of the iterations so far, with stories reworked after acceptance, and comments", () => {
    expect(plan.history.length).toBeGreaterThanOrEqual(600);
    expect(plan.history.length).toBeLessThanOrEqual(2000);
    const before = new Map<string, string>();
    for (const item of allItems()) before.set(item.ref, item.state);
    let afterAcceptance = 0;
    for (const entry of plan.history) {
      if (entry.reworkReason && before.get(entry.item) === "accepted") afterAcceptance++;
      if (entry.state) before.set(entry.item, entry.state);
    }
    expect(afterAcceptance).toBeGreaterThanOrEqual(2);
    expect(plan.comments.length).toBeGreaterThanOrEqual(20);
  });

  it("gives the same plan for the same seed and date, and a different one for another seed", () => {
    expect(planDemoTrain(source, mulberry32(42), TODAY)).toEqual(plan);
    const other = planDemoTrain(source, mulberry32(7), TODAY);
    expect(other.stories.map((s) => s.title)).not.toEqual(plan.stories.map((s) => s.title));
  });

  it("scores most features, and every epic and capability, on the WSJF scale, each column anchored at 1", () => {
    const inputsOf = (item: PlanItem): WsjfInputs =>
      Object.fromEntries(WSJF_INPUTS.map((k) => [k, item[k] ?? null])) as WsjfInputs;
    for (const item of [...plan.epics, ...plan.capabilities, ...plan.features]) {
      for (const k of WSJF_INPUTS) if (item[k] != null) expect(WSJF_SCALE).toContain(item[k]);
    }
    for (const level of [plan.epics, plan.capabilities]) {
      for (const item of level) expect(missingInputs(inputsOf(item))).toEqual([]);
    }
    const unscored = plan.features.filter((f) => missingInputs(inputsOf(f)).length > 0);
    expect(unscored.length).toBeGreaterThanOrEqual(2);
    expect(unscored.length).toBeLessThanOrEqual(plan.features.length / 5);
    for (const level of [plan.epics, plan.capabilities, plan.features]) {
      for (const k of WSJF_INPUTS) expect(Math.min(...level.flatMap((i) => (i[k] == null ? [] : [i[k]])))).toBe(1);
      for (const k of WSJF_INPUTS) expect(isAnchored(level.map((i) => i[k] ?? null))).toBe(true);
    }
    for (const story of plan.stories) for (const k of WSJF_INPUTS) expect(story[k]).toBeUndefined();
  });

  it("leaves the program backlog out of WSJF order, so applying it has something to do", () => {
    const candidates = plan.features.map((f) => ({
      id: f.ref,
      inputs: Object.fromEntries(WSJF_INPUTS.map((k) => [k, f[k] ?? null])) as WsjfInputs,
    }));
    const proposed = proposeWsjfOrder(candidates);
    expect(proposed.filter((ref, i) => plan.features[i]?.ref !== ref).length).toBeGreaterThan(plan.features.length / 2);
    expect(wsjfAgreement(candidates)).toBeLessThan(0.5);
  });

  it("prices ten open features for the economic view: fixed dates inside the demo PIs, one expedite, some intangible", () => {
    const priced = plan.features.filter((f) => f.urgency);
    expect(priced.length).toBe(10);
    expect(priced.every((f) => f.state !== "done" && f.durationWeeks && f.costOfDelayPerWeek)).toBe(true);
    expect(priced.filter((f) => f.urgency === "expedite").length).toBe(1);
    expect(priced.filter((f) => f.urgency === "intangible").length).toBeGreaterThanOrEqual(2);
    const dated = priced.filter((f) => f.urgency === "fixed_date");
    expect(dated.length).toBe(3);
    const first = plan.pis[0]?.startDate as string;
    const last = plan.pis.at(-1)?.iterations.at(-1)?.endDate as string;
    for (const f of dated) {
      expect(f.fixedDate && f.fixedDate > TODAY.toISOString().slice(0, 10) && f.fixedDate >= first).toBe(true);
      expect((f.fixedDate as string) <= last).toBe(true);
      expect(economicProblems(f)).toEqual([]);
    }
    expect(priced.filter((f) => f.urgency !== "fixed_date").every((f) => f.fixedDate === null)).toBe(true);
  });

  it("ranks this PI's features above the next PI's and those above features not yet in a PI", () => {
    const [current, next] = plan.pis;
    const group = (feature: PlanItem) =>
      feature.pi === current?.name ? 0 : feature.pi === next?.name ? 1 : feature.state === "funnel" ? 3 : 2;
    const finished = plan.features.filter((f) => f.pi === plan.finishedPi.name);
    const inFlight = plan.features.filter(
      (f) => !finished.includes(f) && (f.pi !== current?.name || finalStates(plan).get(f.ref) !== "done"),
    );
    const groups = inFlight.map(group);
    expect(groups).toEqual([...groups].sort((a, b) => a - b));
    // The finished PI's features come last, below everything still to do.
    expect(plan.features.slice(-finished.length)).toEqual(finished);
  });
});
