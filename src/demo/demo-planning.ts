// Plans the demo train's PI planning data: each team's capacity per development iteration, the planning details of
// the train's dependencies (what is needed, by when, committed, delivered or declined), milestones, PI objectives with
// business value, ROAMed risks and the current PI's capacity allocation; the plan's finished PI gets objectives with
// actual business value, so predictability has something to show. Stories count where their history leaves them.
// Pure like `planDemoTrain`: the same plan, seed and date always give the same planning.

import {
  type DependencyState,
  dependencyHealth,
  landing,
  normalizedCapacity,
  type Roam,
  workingDays,
} from "../core/pi-planning.js";
import type { AllocationPolicy } from "../core/train.js";
import { type DemoTrainPlan, finalIterations, finalStates, type PlanItem } from "./demo-train.js";
import { type Random, randomInt, shuffle, weightedPick } from "./seeded-random.js";

type Pi = DemoTrainPlan["pis"][number];

/** Someone counted in a team's capacity: a demo person (by email) or a named colleague without an account. */
export interface DemoCapacityMember {
  name: string;
  email: string | null;
  /** Percent of their time on the team. */
  availability: number;
  /** Vacation or holiday days in the iteration. */
  daysOff: number;
}

export interface DemoPlanning {
  /** The plan's finished PI (ended the day before the current one): its objectives have actual value. */
  finishedPi: Pi;
  allocations: Array<{ pi: string; policy: AllocationPolicy }>;
  /** One entry per team and development iteration ("<PI name>/<number>"): from its people, or points set directly. */
  capacity: Array<{ team: string; iteration: string; members: DemoCapacityMember[]; points: number | null }>;
  /** The planning details of every dependency of the train plan (same from/to refs). */
  dependencies: Array<{
    from: string;
    to: string;
    needed: string;
    neededBy: string | null;
    state: DependencyState;
    plannedIteration: string | null;
    declineReason: string | null;
  }>;
  milestones: Array<{ pi: string; name: string; date: string }>;
  objectives: Array<{
    pi: string;
    /** A team key, or null for an objective of the whole train. */
    team: string | null;
    title: string;
    description: string;
    committed: boolean;
    /** Refs of features. */
    features: string[];
    plannedValue: number | null;
    actualValue: number | null;
  }>;
  risks: Array<{
    pi: string | null;
    team: string | null;
    title: string;
    description: string;
    roam: Roam;
    /** An email of a demo person, or null. */
    owner: string | null;
    /** Refs of items. */
    items: string[];
  }>;
}

/**
 * The capacity allocation policy the Product Manager set for the current PI: the demo's teams carry many defects (its
 * stories are real Jira issues), so a quarter of the capacity is kept for maintenance.
 */
export const DEMO_ALLOCATION: AllocationPolicy = { business: 65, enabler: 10, maintenance: 25 };
/** Teams whose Scrum Master enters capacity in points rather than per person. */
const POINTS_TEAMS = 2;

/**
 * Plans the demo train's PI planning data on top of `plan` (from `planDemoTrain` with the same `today`).
 *
 * @example
 * const plan = planDemoTrain(source, mulberry32(42), today);
 * const planning = planDemoPlanning(plan, mulberry32(43), today);
 */
export function planDemoPlanning(plan: DemoTrainPlan, random: Random, today: Date): DemoPlanning {
  const [current, next] = plan.pis;
  if (!current || !next) throw new Error("The demo plan must have two PIs.");
  const finishedPi = plan.finishedPi;
  const calendar = calendarOf([finishedPi, ...plan.pis], today);
  const states = finalStates(plan);
  // Stories as the history leaves them: in the iteration they end in (carried over, added, taken out).
  const iterations = finalIterations(plan);
  const stories = plan.stories.map((story) => ({ ...story, iteration: iterations.get(story.ref) ?? null }));
  const settled: DemoTrainPlan = { ...plan, stories };
  const items = new Map([...plan.features, ...stories].map((item) => [item.ref, item]));
  const storiesOf = groupStories(stories, states);

  return {
    finishedPi,
    allocations: [{ pi: current.name, policy: { ...DEMO_ALLOCATION } }],
    capacity: planCapacity(settled, calendar, states, random),
    dependencies: planDependencyDetails(settled, calendar, items, storiesOf, states),
    milestones: planMilestones(finishedPi, current, next),
    objectives: [...finishedObjectives(plan, finishedPi, random), ...currentObjectives(plan, current, random)],
    risks: planRisks(plan, finishedPi, current, next, items),
  };
}

// ── Calendar ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Calendar {
  /** Every iteration of the ART in time order: its ref, ordinal (1 first), dates and whether it is the IP one. */
  iterations: Array<{
    ref: string;
    ordinal: number;
    pi: string;
    number: number;
    startDate: string;
    endDate: string;
    ip: boolean;
  }>;
  ordinal: (ref: string | null | undefined) => number | null;
  refOf: (ordinal: number) => string;
  /** The ordinal of the iteration today is in. */
  today: number;
}

function calendarOf(pis: readonly Pi[], today: Date): Calendar {
  const iterations = pis.flatMap((pi) =>
    pi.iterations.map((it, i) => ({
      ref: `${pi.name}/${it.number}`,
      pi: pi.name,
      number: it.number,
      startDate: it.startDate,
      endDate: it.endDate,
      ip: i === pi.iterations.length - 1 && pi.iterations.length > 1,
    })),
  );
  const ordered = iterations.map((it, i) => ({ ...it, ordinal: i + 1 }));
  const byRef = new Map(ordered.map((it) => [it.ref, it.ordinal]));
  const day = today.toISOString().slice(0, 10);
  return {
    iterations: ordered,
    ordinal: (ref) => (ref ? (byRef.get(ref) ?? null) : null),
    refOf: (ordinal) => ordered[ordinal - 1]?.ref ?? "",
    today: ordered.find((it) => it.startDate <= day && day <= it.endDate)?.ordinal ?? 0,
  };
}

/** Stories by their feature ref, without the split ones (they carry no work). */
function groupStories(stories: readonly PlanItem[], states: Map<string, string>): Map<string, PlanItem[]> {
  const byFeature = new Map<string, PlanItem[]>();
  for (const story of stories) {
    if (states.get(story.ref) === "split" || !story.parent) continue;
    byFeature.set(story.parent, [...(byFeature.get(story.parent) ?? []), story]);
  }
  return byFeature;
}

// ── Capacity ───────────────────────────────────────────────────────────────────────────────────────────────────

const COLLEAGUES = [
  "Amara Nwosu",
  "Bruno Costa",
  "Camille Dubois",
  "Deniz Aydin",
  "Emeka Obi",
  "Freya Nilsson",
  "Gabriel Silva",
  "Hana Suzuki",
  "Ines Moreno",
  "Jakub Novak",
  "Keira Walsh",
  "Luca Bianchi",
  "Mei Chen",
  "Nadia Haddad",
  "Oskar Lind",
  "Paula Novak",
  "Quentin Roy",
  "Rosa Alvarez",
  "Samir Khan",
  "Talia Cohen",
  "Uma Iyer",
  "Viktor Horvath",
  "Wen Li",
  "Ximena Ortiz",
  "Yusuf Demir",
  "Zoe Adams",
  "Arjun Mehta",
  "Birgit Strand",
  "Ciaran Byrne",
  "Dalia Saleh",
  "Erik Johansson",
  "Farah Aziz",
  "Goran Petrov",
  "Helga Berg",
  "Ivan Sokolov",
  "Julia Weber",
  "Kofi Asante",
  "Leila Farouk",
  "Marco Ricci",
  "Nina Petersen",
  "Omar Said",
  "Pia Hoffmann",
  "Rui Santos",
  "Sven Olsen",
  "Tariq Hassan",
  "Vera Ivanova",
  "Will Turner",
  "Yara Haddad",
];

/**
 * Each team's capacity in the development iterations of both demo PIs. Teams are staffed for their heaviest
 * iteration of the current PI with about a tenth to spare, lose a few days to vacation and holidays, and in exactly
 * one iteration still to come one team's vacations push its planned load over its capacity, for the plan to show.
 * Two teams enter points directly.
 */
function planCapacity(
  plan: DemoTrainPlan,
  calendar: Calendar,
  states: Map<string, string>,
  random: Random,
): DemoPlanning["capacity"] {
  const [current, next] = plan.pis as [Pi, Pi];
  const loads = new Map<string, number>();
  for (const story of plan.stories) {
    if (!story.iteration || !story.team || states.get(story.ref) === "split") continue;
    const key = `${story.team} ${story.iteration}`;
    loads.set(key, (loads.get(key) ?? 0) + (story.points ?? 0));
  }
  const loadOf = (team: string, iteration: string) => loads.get(`${team} ${iteration}`) ?? 0;
  const development = (pi: Pi) => pi.iterations.slice(0, -1).map((it) => ({ ...it, ref: `${pi.name}/${it.number}` }));
  const iterations = [...development(current), ...development(next)];
  const days = (it: { startDate: string; endDate: string }) => workingDays(it.startDate, it.endDate);
  const pointsTeams = new Set(
    shuffle(
      random,
      plan.teams.map((t) => t.key),
    ).slice(0, POINTS_TEAMS),
  );

  let colleague = 0;
  const entries: DemoPlanning["capacity"] = [];
  for (const team of plan.teams) {
    const heaviest = Math.max(8, ...development(current).map((it) => loadOf(team.key, it.ref)));
    if (pointsTeams.has(team.key)) {
      const points = Math.ceil((heaviest * 1.1) / 2) * 2;
      for (const it of iterations) entries.push({ team: team.key, iteration: it.ref, members: [], points });
      continue;
    }
    const people = plan.people
      .filter((p) => p.role === "team_member" && p.teams.includes(team.key))
      .map((p) => ({ name: p.name, email: p.email as string | null }));
    const size = Math.max(4, Math.ceil((heaviest * 1.12) / 8) + 1);
    while (people.length < size) {
      people.push({ name: COLLEAGUES[colleague % COLLEAGUES.length] as string, email: null });
      colleague++;
    }
    // One colleague works half time for another train; one is part-time at 80 %.
    const availability = people.map((_, i) => (i === size - 1 ? 50 : i === size - 2 ? 80 : 100));
    for (const it of iterations) {
      const members = people.map((p, i) => ({
        ...p,
        availability: availability[i] as number,
        daysOff: weightedPick(random, [
          [0, 14],
          [1, 4],
          [2, 2],
        ]),
      }));
      // The current PI was planned to fit: where vacations would overload an iteration, they were moved.
      if (capacityOfPeople(members, days(it)) < loadOf(team.key, it.ref)) for (const m of members) m.daysOff = 0;
      entries.push({ team: team.key, iteration: it.ref, members, points: null });
    }
  }

  // Vacations planned after the PI was: the team with the least room in an iteration still to come is overloaded.
  const upcoming = entries.filter(
    (e) =>
      e.points === null && (calendar.ordinal(e.iteration) ?? 0) > calendar.today && loadOf(e.team, e.iteration) > 0,
  );
  const room = (e: (typeof entries)[number]) =>
    capacityOfPeople(e.members, days(iterationOf(iterations, e.iteration))) - loadOf(e.team, e.iteration);
  const tightest = [...upcoming].sort((a, b) => room(a) - room(b) || a.team.localeCompare(b.team))[0];
  if (tightest) {
    for (const member of tightest.members) {
      if (room(tightest) < 0) break;
      member.daysOff = Math.min(10, member.daysOff + 4);
    }
  }
  return entries;
}

/** SAFe's normalized capacity of the people counted (by the core's rule). */
function capacityOfPeople(members: readonly DemoCapacityMember[], days: number): number {
  return normalizedCapacity(
    members.map((m) => ({ name: m.name, personId: m.email, availability: m.availability, daysOff: m.daysOff })),
    days,
  );
}

function iterationOf<T extends { ref: string }>(iterations: readonly T[], ref: string): T {
  const found = iterations.find((it) => it.ref === ref);
  if (!found) throw new Error(`No iteration ${ref} in the demo plan.`);
  return found;
}

// ── Dependencies ───────────────────────────────────────────────────────────────────────────────────────────────

const FEATURE_NEEDS = [
  (title: string) => `The API contract of "${title}" published and stable on staging`,
  (title: string) => `"${title}" deployed to the integration environment behind a feature flag`,
  (title: string) => `The data model changes of "${title}" merged and documented`,
];
const STORY_NEEDS = [
  (title: string) => `"${title}" merged to main`,
  (title: string) => `The endpoint from "${title}" running on staging`,
];

/**
 * What each dependency of the plan needs, by when, and where it stands. Rules, so any seed gives a readable board:
 * - finished providers (done stories; features in validation or later) delivered what was needed;
 * - dependencies whose consumer is in the next PI are requested, needed by its iteration;
 * - this PI's feature dependencies in conflict: the first is committed anyway (the conflict to talk about at the
 *   ART sync), the second declined with a reason, the third left requested; later ones were delivered early
 *   (what was needed is a slice of the provider feature);
 * - this PI's story dependencies are committed to the iteration the provider story is planned in;
 * - at least one is at risk: if none is, the healthiest committed one is needed by the iteration it is planned in.
 */
function planDependencyDetails(
  plan: DemoTrainPlan,
  calendar: Calendar,
  items: Map<string, PlanItem>,
  storiesOf: Map<string, PlanItem[]>,
  states: Map<string, string>,
): DemoPlanning["dependencies"] {
  const [current, next] = plan.pis as [Pi, Pi];
  const teamName = (key: string | undefined) => plan.teams.find((t) => t.key === key)?.name ?? key ?? "";
  const iterationsOf = (item: PlanItem) =>
    item.level === "story"
      ? [calendar.ordinal(item.iteration)]
      : (storiesOf.get(item.ref) ?? []).map((s) => calendar.ordinal(s.iteration));
  const finished = (item: PlanItem) => {
    const state = states.get(item.ref) ?? item.state;
    return item.level === "story"
      ? state === "done" || state === "accepted"
      : ["validating", "deploying", "releasing", "done"].includes(state);
  };
  const nextFirst = `${next.name}/1`;
  let conflicts = 0;

  const details = plan.dependencies.map((d, i) => {
    const consumer = items.get(d.from);
    const provider = items.get(d.to);
    if (!consumer || !provider) throw new Error(`Dependency ${d.from} -> ${d.to} does not resolve.`);
    const needs = provider.level === "story" ? STORY_NEEDS : FEATURE_NEEDS;
    const needed = (needs[i % needs.length] as (title: string) => string)(provider.title);
    const providerAt = landing(iterationsOf(provider), "last");
    const providerFirst = landing(iterationsOf(provider), "first");
    const consumerAt = landing(iterationsOf(consumer), "first");
    const base = { from: d.from, to: d.to, needed, declineReason: null as string | null };
    const inCurrent = consumer.pi === current.name && consumerAt !== null;

    if (!inCurrent) {
      const neededBy = consumer.pi === next.name ? nextFirst : null;
      return { ...base, neededBy, state: "requested" as const, plannedIteration: null };
    }
    const neededBy = calendar.refOf(consumerAt);
    if (finished(provider) && providerAt !== null) {
      const at = Math.min(providerAt, calendar.today);
      return { ...base, neededBy, state: "delivered" as const, plannedIteration: calendar.refOf(at) };
    }
    const health = dependencyHealth({
      state: "committed",
      provider: providerAt,
      consumer: consumerAt,
      neededBy: consumerAt,
    });
    if (health === "conflict" && provider.level === "feature") {
      conflicts++;
      if (conflicts === 2) {
        return {
          ...base,
          neededBy,
          state: "declined" as const,
          plannedIteration: null,
          declineReason:
            `${teamName(provider.teams?.[0])} cannot bring this forward without dropping a committed objective; ` +
            `${teamName(consumer.teams?.[0])} reads the old format this PI and switches in ${next.name}.`,
        };
      }
      if (conflicts === 3) return { ...base, neededBy, state: "requested" as const, plannedIteration: null };
      if (conflicts > 3 && providerFirst !== null && providerFirst < calendar.today) {
        return { ...base, neededBy, state: "delivered" as const, plannedIteration: calendar.refOf(providerFirst) };
      }
    }
    if (providerAt === null) return { ...base, neededBy, state: "requested" as const, plannedIteration: null };
    return { ...base, neededBy, state: "committed" as const, plannedIteration: calendar.refOf(providerAt) };
  });

  const healthOf = (d: (typeof details)[number]) => {
    const consumer = items.get(d.from) as PlanItem;
    const provider = items.get(d.to) as PlanItem;
    return dependencyHealth({
      state: d.state,
      provider: landing(iterationsOf(provider), "last"),
      consumer: landing(iterationsOf(consumer), "first"),
      neededBy: calendar.ordinal(d.neededBy),
    });
  };
  if (!details.some((d) => healthOf(d) === "at_risk")) {
    const healthy = details.find((d) => d.state === "committed" && healthOf(d) === "healthy");
    if (healthy) healthy.neededBy = healthy.plannedIteration;
  }
  return details;
}

// ── Milestones ─────────────────────────────────────────────────────────────────────────────────────────────────

function planMilestones(finished: Pi, current: Pi, next: Pi): DemoPlanning["milestones"] {
  const day = (date: string, plus: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);
  const ipStart = (pi: Pi) => pi.iterations.at(-1)?.startDate ?? pi.startDate;
  const endOf = (pi: Pi, number: number) => pi.iterations.find((it) => it.number === number)?.endDate ?? pi.startDate;
  return [
    { pi: finished.name, name: "PI System Demo", date: day(ipStart(finished), 1) },
    { pi: current.name, name: "PI Planning", date: current.startDate },
    { pi: current.name, name: "Beta release", date: day(endOf(current, 3), -2) },
    { pi: current.name, name: "PI System Demo", date: day(ipStart(current), 1) },
    { pi: current.name, name: "Inspect & Adapt", date: day(ipStart(current), 3) },
    { pi: next.name, name: "PI Planning", date: next.startDate },
    { pi: next.name, name: "General availability", date: day(endOf(next, 2), -2) },
  ];
}

// ── Objectives ─────────────────────────────────────────────────────────────────────────────────────────────────

const FINISHED_OBJECTIVES = [
  (team: string) => `Cut the ${team} build time below ten minutes`,
  (team: string) => `Ship the first ${team} release through the new pipeline`,
  (team: string) => `Close the ${team} defects customers raised last PI`,
  (team: string) => `Publish the ${team} API reference`,
  (team: string) => `Automate the ${team} regression suite`,
  (team: string) => `Instrument ${team} features with usage metrics`,
];
const COMMITTED_OBJECTIVES = [
  (title: string) => `Release "${title}" to all customers`,
  (title: string) => `Demo "${title}" end to end at the System Demo`,
  (title: string) => `Pilot "${title}" with two customers`,
];

/** The finished PI's objectives: two committed and one stretch per team, each with the value the BOs assessed. */
function finishedObjectives(plan: DemoTrainPlan, pi: Pi, random: Random): DemoPlanning["objectives"] {
  const objectives: DemoPlanning["objectives"] = [];
  for (const team of plan.teams) {
    const titles = shuffle(random, FINISHED_OBJECTIVES).slice(0, 3);
    titles.forEach((title, i) => {
      const committed = i < 2;
      const planned = committed
        ? weightedPick(random, [
            [10, 1],
            [9, 1],
            [8, 2],
            [7, 2],
            [6, 1],
          ])
        : randomInt(random, 2, 5);
      const shortfall = committed
        ? weightedPick(random, [
            [0, 4],
            [1, 4],
            [2, 2],
            [3, 1],
          ])
        : weightedPick(random, [
            [0, 2],
            [planned, 1],
          ]);
      objectives.push({
        pi: pi.name,
        team: team.key,
        title: title(team.name),
        description: committed
          ? "Committed at PI planning; assessed by the Business Owners at the System Demo."
          : "Stretch objective.",
        committed,
        features: [],
        plannedValue: planned,
        actualValue: Math.max(0, planned - shortfall),
      });
    });
  }
  return objectives;
}

/**
 * The current PI's objectives: for each team, a committed objective for each of its first two features of the PI
 * and an uncommitted one for the third, with planned value 1–10; and one train objective over the top features.
 */
function currentObjectives(plan: DemoTrainPlan, pi: Pi, random: Random): DemoPlanning["objectives"] {
  const objectives: DemoPlanning["objectives"] = [];
  for (const team of plan.teams) {
    const features = plan.features.filter((f) => f.pi === pi.name && f.teams?.[0] === team.key);
    features.slice(0, 3).forEach((feature, i) => {
      const committed = i < 2;
      const phrase = COMMITTED_OBJECTIVES[(i + objectives.length) % COMMITTED_OBJECTIVES.length] as (
        t: string,
      ) => string;
      objectives.push({
        pi: pi.name,
        team: team.key,
        title: phrase(feature.title),
        description: feature.benefitHypothesis ?? "",
        committed,
        features: [feature.ref],
        plannedValue: committed ? randomInt(random, 6, 10) : randomInt(random, 2, 5),
        actualValue: null,
      });
    });
  }
  const top = plan.features.filter((f) => f.pi === pi.name).slice(0, 2);
  objectives.push({
    pi: pi.name,
    team: null,
    title: "Reach the beta release with every pilot customer on the new platform",
    description: "The train's objective for this PI, agreed with the Business Owners at PI planning.",
    committed: true,
    features: top.map((f) => f.ref),
    plannedValue: 10,
    actualValue: null,
  });
  return objectives;
}

// ── Risks ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Risks raised at PI planning, one or more in each ROAM state, tied to the items they threaten. */
function planRisks(
  plan: DemoTrainPlan,
  finished: Pi,
  current: Pi,
  next: Pi,
  items: Map<string, PlanItem>,
): DemoPlanning["risks"] {
  const email = (role: string, team?: string) =>
    plan.people.find((p) => p.role === role && (!team || p.teams.includes(team)))?.email ?? null;
  const teamName = (key: string | undefined) => plan.teams.find((t) => t.key === key)?.name ?? key ?? "";
  const inPi = plan.features.filter((f) => f.pi === current.name);
  const feature = (i: number) => inPi[i % Math.max(1, inPi.length)] as PlanItem;
  const crossFeature = plan.dependencies.find(
    (d) => items.get(d.from)?.level === "feature" && items.get(d.from)?.pi === current.name,
  );
  const consumer = items.get(crossFeature?.from ?? "") ?? feature(0);
  const provider = items.get(crossFeature?.to ?? "") ?? feature(1);
  const providerTeam = provider.teams?.[0] ?? plan.teams[0]?.key ?? "";
  const enabler = inPi.find((f) => f.type === "enabler") ?? feature(2);
  const [a, b] = plan.teams;
  return [
    {
      pi: current.name,
      team: providerTeam,
      title: `${teamName(providerTeam)} may not finish "${provider.title}" in time for ${teamName(consumer.teams?.[0])}`,
      description: "Raised at the ART sync: the providing stories sit in the last development iteration.",
      roam: "unroamed",
      owner: null,
      items: [provider.ref, consumer.ref],
    },
    {
      pi: current.name,
      team: a?.key ?? null,
      title: `Only one person on ${teamName(a?.key)} knows the release scripts`,
      description: "Pairing on every release this PI; the scripts get a runbook in the IP iteration.",
      roam: "owned",
      owner: email("product_owner", a?.key),
      items: [feature(0).ref],
    },
    {
      pi: current.name,
      team: null,
      title: "The vendor's API rate limits may slow the System Demo's import",
      description: "Accepted: the demo uses a smaller data set; production is not affected.",
      roam: "accepted",
      owner: email("release_train_engineer"),
      items: [feature(3).ref],
    },
    {
      pi: current.name,
      team: b?.key ?? null,
      title: "The schema migration may lock the production database during the upgrade",
      description: "Mitigated: the migration runs online in batches, rehearsed on a copy of production.",
      roam: "mitigated",
      owner: email("team_member", b?.key),
      items: [enabler.ref],
    },
    {
      pi: current.name,
      team: null,
      title: "Test environment licences expire in the middle of the PI",
      description: "Resolved: procurement renewed them for a year.",
      roam: "resolved",
      owner: email("release_train_engineer"),
      items: [],
    },
    {
      pi: next.name,
      team: null,
      title: `Holidays halve the train's capacity in the first iteration of ${next.name}`,
      description: "To plan around at PI planning: load the first iteration lightly.",
      roam: "unroamed",
      owner: null,
      items: [],
    },
    {
      pi: finished.name,
      team: null,
      title: "The build farm may not cope with the new pipeline's load",
      description: "Resolved: two more build agents were added in the IP iteration.",
      roam: "resolved",
      owner: email("release_train_engineer"),
      items: [],
    },
  ];
}
