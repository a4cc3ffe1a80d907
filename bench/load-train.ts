// Writes a planned train through the use cases (createTrain, addProgramIncrement, addPerson, createItems) and times
// the bulk item creation. Returns what the HTTP measurements need: every item's key, grouped by backlog.
import { operator } from "../src/core/permissions.js";
import type { WorkItem } from "../src/core/work-item.js";
import { createToken } from "../src/use-cases/api-tokens.js";
import { createItems } from "../src/use-cases/create-items.js";
import type { Deps } from "../src/use-cases/deps.js";
import { grantRole } from "../src/use-cases/grant-roles.js";
import type { CreateItemInput } from "../src/use-cases/item-input.js";
import { createAccount } from "../src/use-cases/manage-accounts.js";
import { addPerson, addProgramIncrement, createTrain } from "../src/use-cases/set-up-train.js";
import type { PlannedItem, TrainPlan } from "./train-data.js";

export interface LoadedTrain {
  artKey: string;
  teamKeys: string[];
  /** Item keys per backlog, in creation order. */
  backlogs: Map<string, string[]>;
  /** Team key → its backlog's item keys. */
  teamBacklogs: Map<string, string[]>;
  /** Feature keys with the team keys that work on them, for creating stories under a fitting feature. */
  features: { key: string; teams: string[] }[];
  bulk: { items: number; seconds: number; batches: number };
}

/** Creates the plan's items in batches of `batchSize` (one transaction each), timing only the createItems calls. */
export async function loadTrain(deps: Deps, plan: TrainPlan, batchSize: number): Promise<LoadedTrain> {
  for (const person of plan.people) await addPerson(deps, person, operator());
  const art = await createTrain(deps, { key: plan.art.key, name: plan.art.name, teams: plan.teams }, operator());
  for (const pi of plan.pis) await addProgramIncrement(deps, plan.art.key, pi, operator());

  let seconds = 0;
  let batches = 0;
  const create = async (planned: PlannedItem[], parentKey: (index: number, i: number) => string | undefined) => {
    const inputs: CreateItemInput[] = planned.map(({ parentIndex, ...input }, i) => {
      const parent = parentIndex === undefined ? undefined : parentKey(parentIndex, i);
      return parent ? { ...input, parentId: parent } : input;
    });
    const created: WorkItem[] = [];
    for (let i = 0; i < inputs.length; i += batchSize) {
      const batch = inputs.slice(i, i + batchSize);
      const started = performance.now();
      created.push(...(await createItems(deps, batch, operator())));
      seconds += (performance.now() - started) / 1000;
      batches += 1;
    }
    return created;
  };
  const epics = await create(plan.epics, () => undefined);
  const capabilities = await create(plan.capabilities, (parent) => epics[parent]?.key);
  const features = await create(
    plan.features,
    (parent, i) => (plan.featureParents[i] === "capability" ? capabilities : epics)[parent]?.key,
  );
  const stories = await create(plan.stories, (parent) => features[parent]?.key);

  const all = [...epics, ...capabilities, ...features, ...stories];
  const backlogs = new Map<string, string[]>();
  for (const item of all) {
    const list = backlogs.get(item.backlog);
    if (list) list.push(item.key);
    else backlogs.set(item.backlog, [item.key]);
  }
  return {
    artKey: art.key,
    teamKeys: art.teams.map((t) => t.key),
    backlogs,
    teamBacklogs: new Map(art.teams.map((t) => [t.key, backlogs.get(`team:${t.id}`) ?? []])),
    features: features.map((f, i) => ({ key: f.key, teams: plan.features[i]?.teamIds ?? [] })),
    bulk: { items: all.length, seconds, batches },
  };
}

/**
 * The person the benchmark acts as: a POPM (Product Manager and Product Owner on the ART, not an administrator, so
 * every request runs the full role check) with a personal API token; the `n`th of several.
 */
export async function benchPopm(deps: Deps, shape: { key: string }, n = 0): Promise<string> {
  const origin = { ip: null };
  const account = await createAccount(deps, operator(), {
    name: n ? `Bench POPM ${n + 1}` : "Bench POPM",
    email: `popm${n || ""}@${shape.key.toLowerCase()}.bench`,
    password: "bench password that is long",
  });
  for (const role of ["product_manager", "product_owner"] as const) {
    await grantRole(deps, operator(), shape.key, { person: account.id, role }, origin);
  }
  const member = { kind: "person" as const, personId: account.id, admin: false, grants: [] };
  return (await createToken(deps, member, { name: "bench" }, origin)).token;
}
