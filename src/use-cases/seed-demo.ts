// Loading the demo train: a coherent ART built from real backlog text (../shared/data), with teams, a finished PI and
// two more, epics, features, stories, cross-team dependencies, comments and the history of every iteration so far,
// and its PI planning (capacity, dependency details, milestones, objectives, risks, the allocation policy) — all in
// one transaction, through the same use cases a person's edits go through, each change on a clock set to the instant
// the plan gives it, in time order, so the history (and every metric read from it) reads true.

import { ECONOMIC_FIELDS, type EconomicField } from "../core/economics.js";
import { AppError } from "../core/errors.js";
import { type Actor, operator } from "../core/permissions.js";
import { READY_CONDITIONS } from "../core/readiness.js";
import { WSJF_INPUTS, type WsjfInput } from "../core/wsjf.js";
import { type DemoPlanning, planDemoPlanning } from "../demo/demo-planning.js";
import { defaultDataDir, loadDemoSource } from "../demo/demo-source.js";
import { type DemoTrainPlan, type HistoryEntry, type PlanItem, planDemoTrain } from "../demo/demo-train.js";
import { mulberry32 } from "../demo/seeded-random.js";
import { findArt } from "../store/train.store.js";
import { commentOnItem } from "./comment-on-item.js";
import { createItems } from "./create-items.js";
import { changeDependency, createDependency } from "./dependencies.js";
import { type Deps, inOneTransaction } from "./deps.js";
import { grantRole } from "./grant-roles.js";
import { inviteUser } from "./manage-accounts.js";
import { addObjective, updateObjective } from "./pi-objectives.js";
import { addMilestone, updatePi } from "./pi-settings.js";
import { addRisk } from "./risks.js";
import { sealArt } from "./seal-metrics.js";
import { addPerson, addProgramIncrement, createTrain } from "./set-up-train.js";
import { setCapacity } from "./team-capacity.js";
import { updateTeamRefinement } from "./team-refinement.js";
import { updateItem } from "./update-item.js";

export interface SeedDemoOptions {
  dataDir?: string;
  seed?: number;
  /** Who loads it (an administrator, or the operator): the demo people's accounts and roles are their doing. */
  by?: Actor;
}

export async function seedDemo(deps: Deps, options: SeedDemoOptions): Promise<{ artKey: string; items: number }> {
  const source = await loadDemoSource(options.dataDir ?? defaultDataDir());
  const today = deps.clock();
  const seed = options.seed ?? 42;
  const plan = planDemoTrain(source, mulberry32(seed), today);
  // Its own generator, so the planning data never changes the train planned before it.
  const planning = planDemoPlanning(plan, mulberry32(seed + 1), today);
  if (await findArt(deps.db, plan.art.key)) {
    throw new AppError("conflict", `The demo train ${plan.art.key} is loaded already.`);
  }
  // The train's clock: set to each change's instant before it is written, from the items' creation up to today.
  let instant = Date.parse(plan.createdAt);
  const clock = () => new Date(instant);
  const setClock = (at: string | Date) => {
    instant = typeof at === "string" ? Date.parse(at) : at.getTime();
  };
  const seeded = await inOneTransaction({ ...deps, clock }, (tx) =>
    // Accounts and roles are set up now, by whoever loads the demo.
    writePlan(tx, { ...tx, clock: deps.clock }, options.by ?? operator(), plan, planning, { setClock, today }),
  );
  // Its history was written with earlier dates: the metrics' day records are worked out from it now.
  const art = await findArt(deps.db, seeded.artKey);
  if (art) await sealArt(deps, art.id, { rebuild: true });
  return seeded;
}

async function writePlan(
  deps: Deps,
  now: Deps,
  loader: Actor,
  plan: DemoTrainPlan,
  planning: DemoPlanning,
  time: { setClock: (at: string | Date) => void; today: Date },
) {
  const people = new Map<string, string>();
  for (const p of plan.people)
    people.set(p.email, (await addPerson(deps, { name: p.name, email: p.email }, operator())).id);
  const pm = plan.people.find((p) => p.role === "product_manager")?.email ?? plan.people[0]?.email;
  // The demo is written by the operator, each change attributed to the demo person who would have made it.
  const by = (email: string | undefined) => operator(email ? (people.get(email) ?? null) : null);

  const art = await createTrain(deps, { key: plan.art.key, name: plan.art.name, teams: plan.teams }, by(pm));
  for (const pi of [planning.finishedPi, ...plan.pis]) {
    const weeks = Math.max(
      1,
      Math.round((Date.parse(pi.iterations[1]?.startDate ?? "") - Date.parse(pi.startDate)) / (7 * 86_400_000)) || 2,
    );
    await addProgramIncrement(
      deps,
      art.key,
      { name: pi.name, startDate: pi.startDate, iterations: pi.iterations.length, iterationWeeks: weeks },
      by(pm),
    );
  }

  // Everyone on the demo train has an account (invited: an administrator issues their password link) and their role.
  for (const p of plan.people) {
    await inviteUser(now, loader, { name: p.name, email: p.email }, { ip: null });
    const role = p.role === "release_train_engineer" ? "rte" : p.role;
    for (const team of p.teams.length ? p.teams : [undefined]) {
      await grantRole(now, loader, art.key, { person: p.email, role, ...(team ? { team } : {}) }, { ip: null });
    }
  }

  const keys = new Map<string, string>();
  const keyOf = (ref: string) => keys.get(ref) ?? ref;
  // Each item's version as the history moves it on: edits name the version they were made on.
  const versions = new Map<string, number>();
  const create = async (items: PlanItem[]) => {
    const created = await createItems(
      deps,
      items.map((i) => ({
        art: art.key,
        level: i.level,
        type: i.type,
        ...(i.enablerKind ? { enablerKind: i.enablerKind } : {}),
        title: i.title,
        description: i.description,
        benefitHypothesis: i.benefitHypothesis ?? "",
        acceptanceCriteria: i.acceptanceCriteria,
        state: i.state,
        ...(i.parent ? { parentId: keys.get(i.parent) } : {}),
        ...(i.team ? { teamId: i.team } : {}),
        ...(i.teams ? { teamIds: i.teams } : {}),
        ...(i.pi ? { piId: i.pi } : {}),
        ...(i.iteration ? { iterationId: i.iteration } : {}),
        ...(i.points !== undefined ? { points: i.points } : {}),
        labels: i.labels,
        ...(i.owner ? { ownerId: i.owner } : {}),
        ...wsjfInputsOf(i),
        ...economicsOf(i),
      })),
      by(pm),
    );
    for (const [n, c] of created.entries()) {
      keys.set((items[n] as PlanItem).ref, c.key);
      versions.set(c.key, c.version);
    }
  };
  await create(plan.epics);
  await create(plan.capabilities);
  await create(plan.features);
  await create(plan.stories);

  // Then everything that happened since, in time order: the dependencies agreed at the current PI's planning, each
  // change of the history, each comment.
  const actions: Array<{ at: string; write: () => Promise<unknown> }> = [
    {
      at: `${plan.pis[0]?.startDate ?? plan.createdAt.slice(0, 10)}T09:00:00.000Z`,
      write: () => writeDependencies(deps, plan, planning, art, keyOf, by),
    },
    ...plan.history.map((h) => ({
      at: h.at,
      write: async () => {
        const key = keyOf(h.item);
        const item = await updateItem(deps, key, changeOf(h), by(h.actor), versions.get(key));
        versions.set(key, item.version);
      },
    })),
    ...plan.comments.map((c) => ({
      at: c.at,
      write: () => commentOnItem(deps, keyOf(c.item), { body: c.body }, by(c.author)),
    })),
  ];
  actions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const action of actions) {
    time.setClock(action.at);
    await action.write();
  }
  time.setClock(time.today);

  // One team has agreed its own Definition of Ready items beyond the built-in conditions.
  const team = plan.teams[0];
  const po = plan.people.find((p) => p.role === "product_owner" && p.teams.includes(team?.key ?? ""))?.email;
  if (team) {
    await updateTeamRefinement(deps, by(po), art.key, team.key, {
      version: 0,
      settings: {
        definitionOfReady: {
          conditions: [...READY_CONDITIONS],
          manual: [{ label: "Walked through with the team in refinement" }, { label: "UX reviewed" }],
        },
      },
    });
  }
  await writePlanning(deps, plan, planning, art.key, keyOf, by);
  return { artKey: art.key, items: keys.size };
}

type ActorOf = (email: string | undefined) => Actor;

/** The edit a history entry makes: a state (with why, when it moves a finished story back), iteration, blocked reason. */
function changeOf(h: HistoryEntry): Record<string, unknown> {
  return {
    ...(h.state !== undefined ? { state: h.state } : {}),
    ...(h.iteration === null ? { iterationId: null, piId: null } : {}),
    ...(h.iteration ? { iterationId: h.iteration } : {}),
    ...(h.blockedReason !== undefined ? { blockedReason: h.blockedReason } : {}),
    ...(h.reworkReason ? { reworkReason: h.reworkReason, reworkNote: h.reworkNote ?? null } : {}),
  };
}

/** The train's dependencies, each moved on to the state the planning gives it by its provider's Product Owner. */
async function writeDependencies(
  deps: Deps,
  plan: DemoTrainPlan,
  planning: DemoPlanning,
  art: { key: string; teams: { id: string; key: string }[] },
  keyOf: (ref: string) => string,
  by: ActorOf,
) {
  const pm = plan.people.find((p) => p.role === "product_manager")?.email;
  const details = new Map(planning.dependencies.map((d) => [`${d.from}>${d.to}`, d]));
  for (const d of plan.dependencies) {
    const detail = details.get(`${d.from}>${d.to}`);
    const dependency = await createDependency(deps, by(pm), art.key, {
      consumer: keyOf(d.from),
      provider: keyOf(d.to),
      needed: detail?.needed ?? "What the consumer needs, to agree at the ART sync",
      neededBy: detail?.neededBy ?? null,
    });
    if (detail)
      await settleDependency(deps, by(productOwnerOf(plan, dependency.provider.teamId, art)), dependency, detail);
  }
}

/** Moves a new (requested) dependency on to the state the planning gives it, the way its provider would. */
async function settleDependency(
  deps: Deps,
  actor: Actor,
  dependency: { id: string; version: number },
  detail: DemoPlanning["dependencies"][number],
) {
  let version = dependency.version;
  const change = async (input: Record<string, unknown>) => {
    version = (await changeDependency(deps, actor, dependency.id, { version, ...input })).version;
  };
  if (detail.state === "committed" || detail.state === "delivered") {
    await change({ state: "committed", plannedIteration: detail.plannedIteration });
  }
  if (detail.state === "delivered") await change({ state: "delivered" });
  if (detail.state === "declined") await change({ state: "declined", declineReason: detail.declineReason });
}

/** The PI planning of the demo: allocation, capacity, milestones, objectives (with business value) and risks. */
async function writePlanning(
  deps: Deps,
  plan: DemoTrainPlan,
  planning: DemoPlanning,
  art: string,
  keyOf: (ref: string) => string,
  by: ActorOf,
) {
  const emailOf = (role: string, team?: string | null) =>
    plan.people.find((p) => p.role === role && (!team || p.teams.includes(team)))?.email;
  const pm = emailOf("product_manager");
  const rte = emailOf("release_train_engineer");
  const bo = emailOf("business_owner");
  for (const { pi, policy } of planning.allocations) {
    const current = (await findArt(deps.db, art))?.pis.find((p) => p.name === pi);
    await updatePi(deps, by(pm), art, pi, { version: current?.version ?? 1, allocation: policy });
  }
  for (const c of planning.capacity) {
    await setCapacity(deps, by(emailOf("product_owner", c.team)), art, c.team, c.iteration, {
      version: 0,
      members: c.members.map((m) => ({
        name: m.name,
        personId: m.email,
        availability: m.availability,
        daysOff: m.daysOff,
      })),
      points: c.points,
    });
  }
  for (const m of planning.milestones) await addMilestone(deps, by(rte), art, m.pi, { name: m.name, date: m.date });
  for (const o of planning.objectives) {
    const objective = await addObjective(deps, by(emailOf("product_owner", o.team) ?? pm), art, o.pi, {
      teamId: o.team,
      title: o.title,
      description: o.description,
      committed: o.committed,
      featureIds: o.features.map(keyOf),
      ...(o.plannedValue === null ? {} : { plannedValue: o.plannedValue }),
    });
    if (o.actualValue !== null) {
      await updateObjective(deps, by(bo), objective.id, { version: objective.version, actualValue: o.actualValue });
    }
  }
  for (const r of planning.risks) {
    await addRisk(deps, by(rte), art, {
      title: r.title,
      description: r.description,
      piId: r.pi,
      teamId: r.team,
      ownerId: r.owner,
      itemIds: r.items.map(keyOf),
      roam: r.roam,
    });
  }
}

/** The email of the Product Owner of a team (by id), else the Product Manager's: who answers for a provider. */
function productOwnerOf(plan: DemoTrainPlan, teamId: string | null, art: { teams: { id: string; key: string }[] }) {
  const team = art.teams.find((t) => t.id === teamId)?.key;
  return (
    plan.people.find((p) => p.role === "product_owner" && team && p.teams.includes(team))?.email ??
    plan.people.find((p) => p.role === "product_manager")?.email
  );
}

/** The WSJF inputs a plan item was estimated on (the ones it has; none for stories). */
function wsjfInputsOf(i: PlanItem): Partial<Record<WsjfInput, number | null>> {
  return Object.fromEntries(WSJF_INPUTS.filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));
}

/** The economic fields the plan gives an item (none for most). */
function economicsOf(i: PlanItem): Partial<Record<EconomicField, number | string | null>> {
  return Object.fromEntries(ECONOMIC_FIELDS.filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));
}
