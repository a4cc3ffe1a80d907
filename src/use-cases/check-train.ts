// `trainyard check`: verifies rank integrity and the hierarchy rules over every backlog and reports the problems.
import { checkBacklogs, type Problem } from "../core/check.js";
import { allItemPlacements } from "../store/items.store.js";
import { type Actor, mustBeAdmin } from "./authorize.js";
import type { Deps } from "./deps.js";

export interface CheckReport {
  ok: boolean;
  items: number;
  backlogs: number;
  problems: Problem[];
}

export async function checkTrain(deps: Deps, actor: Actor): Promise<CheckReport> {
  mustBeAdmin(actor);
  const items = await allItemPlacements(deps.db);
  const problems = checkBacklogs(items);
  return {
    ok: problems.length === 0,
    items: items.length,
    backlogs: new Set(items.map((i) => i.backlog)).size,
    problems,
  };
}
