// Integrity of a train's backlogs: every backlog a strict order of unique, bounded keys, every item where the
// hierarchy rules put it. Pure: the store hands over the rows, this finds the problems.
import { MAX_RANK_LENGTH } from "./rank.js";
import { backlogOf, isStateOf, type Level, parentProblem } from "./work-item.js";

export interface CheckedItem {
  id: string;
  key: string;
  artId: string;
  level: Level;
  state: string;
  teamId: string | null;
  parentId: string | null;
  backlog: string;
  rank: string;
}

export interface Problem {
  key: string;
  problem: string;
}

export function checkBacklogs(items: readonly CheckedItem[]): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(items.map((i) => [i.id, i]));
  const seen = new Map<string, string>();
  for (const item of items) {
    const slot = `${item.backlog}\u0000${item.rank}`;
    const other = seen.get(slot);
    if (other) problems.push({ key: item.key, problem: `has the same rank as ${other} in ${item.backlog}` });
    seen.set(slot, item.key);
    if (item.rank.length > MAX_RANK_LENGTH) {
      problems.push({ key: item.key, problem: `rank key is ${item.rank.length} characters, over ${MAX_RANK_LENGTH}` });
    }
    if (!/^[0-9A-Za-z]+$/.test(item.rank))
      problems.push({ key: item.key, problem: `rank key '${item.rank}' is malformed` });
    if (!isStateOf(item.level, item.state))
      problems.push({ key: item.key, problem: `state '${item.state}' is not a ${item.level} state` });
    if (item.level === "story" && !item.teamId) problems.push({ key: item.key, problem: "story has no team" });
    else if (backlogOf(item) !== item.backlog) {
      problems.push({ key: item.key, problem: `is ranked in ${item.backlog} but belongs in ${backlogOf(item)}` });
    }
    if (item.parentId) {
      const parent = byId.get(item.parentId);
      if (!parent) problems.push({ key: item.key, problem: "parent is missing" });
      else {
        const problem = parentProblem(item.level, parent.level);
        if (problem) problems.push({ key: item.key, problem: `parent ${parent.key}: ${problem}` });
        if (parent.artId !== item.artId)
          problems.push({ key: item.key, problem: `parent ${parent.key} is in another ART` });
      }
    }
  }
  return problems;
}
