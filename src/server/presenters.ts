// Presenters: exactly which fields of a domain value leave the server.

import { parseGherkin } from "../core/acceptance-criteria.js";
import { cd3 } from "../core/economics.js";
import type { WorkItem } from "../core/work-item.js";
import { costOfDelay, wsjf } from "../core/wsjf.js";

export function presentItem(i: WorkItem) {
  return {
    id: i.id,
    key: i.key,
    artId: i.artId,
    level: i.level,
    type: i.type,
    enablerKind: i.enablerKind,
    title: i.title,
    description: i.description,
    benefitHypothesis: i.benefitHypothesis,
    acceptanceCriteria: i.acceptanceCriteria.map((c) => ({ ...c, gherkin: parseGherkin(c.text) })),
    state: i.state,
    parentId: i.parentId,
    teamId: i.teamId,
    teamIds: i.teamIds,
    piId: i.piId,
    iterationId: i.iterationId,
    points: i.points,
    labels: i.labels,
    ownerId: i.ownerId,
    readyChecks: i.readyChecks,
    blockedReason: i.blockedReason,
    businessValue: i.businessValue,
    timeCriticality: i.timeCriticality,
    riskReduction: i.riskReduction,
    jobSize: i.jobSize,
    costOfDelay: costOfDelay(i),
    wsjf: wsjf(i),
    costOfDelayPerWeek: i.costOfDelayPerWeek,
    urgency: i.urgency,
    fixedDate: i.fixedDate,
    durationWeeks: i.durationWeeks,
    cd3: cd3(i.costOfDelayPerWeek, i.durationWeeks),
    rank: i.rank,
    version: i.version,
    createdAt: i.createdAt,
    createdBy: i.createdBy,
    updatedAt: i.updatedAt,
    updatedBy: i.updatedBy,
  };
}

/** The ETag of an item version: a strong tag of the version number. */
export const etagOf = (version: number) => `"${version}"`;

/** The version an If-Match header names (`"5"`, `W/"5"` or `5`), undefined when absent, NaN when unreadable. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  return m ? Number(m[1]) : Number.NaN;
}
