// The schemas of what a person may send about an item, shared by the HTTP routes, the CLI and the web app's limits,
// and the resolution of the references it names (item keys, team keys, PI names, emails) to ids.

import { z } from "zod";
import type { Criterion } from "../core/acceptance-criteria.js";
import { ECONOMIC_LIMITS, hasOneDecimal, URGENCY_PROFILES } from "../core/economics.js";
import { type FieldIssue, invalidFields } from "../core/errors.js";
import { REWORK_REASONS } from "../core/metrics-views.js";
import type { Placement } from "../core/rank.js";
import type { Art, Person } from "../core/train.js";
import {
  ENABLER_KINDS,
  ITEM_TYPES,
  LEVELS,
  type Level,
  LIMITS,
  parentProblem,
  type WorkItem,
} from "../core/work-item.js";
import { isOnScale, WSJF_SCALE } from "../core/wsjf.js";
import { findItem, findItems } from "../store/items.store.js";
import type { Db } from "../store/schema.js";
import { findPeople, findPerson } from "../store/train.store.js";

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const ref = z.string().trim().min(1, "must not be empty").max(100);
const criterionText = z
  .string()
  .trim()
  .min(1, "a criterion must not be empty")
  .max(LIMITS.criterion, `at most ${LIMITS.criterion} characters`);

export const PlacementInput = z.union([
  z.strictObject({ position: z.enum(["top", "bottom"]) }),
  z.strictObject({ before: ref.describe("Id or key of the item to place this one before") }),
  z.strictObject({ after: ref.describe("Id or key of the item to place this one after") }),
]);

/** A WSJF input: a value of the modified Fibonacci scale, or null to clear it. */
const wsjfScore = (what: string) =>
  z
    .number()
    .refine(isOnScale, `one of ${WSJF_SCALE.join(", ")} (the modified Fibonacci scale)`)
    .nullable()
    .describe(`${what}: 1, 2, 3, 5, 8, 13 or 20`);

const itemFields = {
  type: z.enum(ITEM_TYPES),
  enablerKind: z.enum(ENABLER_KINDS).nullable(),
  title: z.string().trim().min(1, "a title is required").max(LIMITS.title, `at most ${LIMITS.title} characters`),
  description: text(LIMITS.description),
  benefitHypothesis: text(LIMITS.benefitHypothesis),
  acceptanceCriteria: z
    .array(
      z
        .union([
          criterionText,
          z.strictObject({
            text: criterionText,
            met: z.boolean().default(false).describe("Met at acceptance"),
            gherkin: z
              .unknown()
              .optional()
              .describe("Ignored: derived from the text (so a read item can be sent back)"),
          }),
        ])
        .transform((c): Criterion => (typeof c === "string" ? { text: c, met: false } : { text: c.text, met: c.met })),
    )
    .max(LIMITS.criteria, `at most ${LIMITS.criteria} criteria`)
    .describe("Conditions of satisfaction in order: text (plain or Given/When/Then), or { text, met }"),
  readyChecks: z
    .array(z.string().trim().min(1).max(40))
    .max(LIMITS.criteria)
    .transform((ids) => [...new Set(ids)])
    .describe("Ids of the team's manual Definition-of-Ready items ticked on this story"),
  state: z.string().min(1).max(40),
  parentId: ref.nullable().describe("Id or key of the parent item"),
  teamId: ref.nullable().describe("Id or key of the story's team"),
  teamIds: z.array(ref).max(50).describe("Ids or keys of a feature's teams"),
  piId: ref.nullable().describe("Id or name of the PI"),
  iterationId: ref.nullable().describe("Id of the iteration, or 'PI name/iteration number'"),
  points: z.number().min(0, "points are not negative").max(LIMITS.points).nullable(),
  labels: z
    .array(z.string().trim().min(1).max(LIMITS.label))
    .max(LIMITS.labels)
    .transform((ls) => [...new Set(ls)].sort()),
  ownerId: ref.nullable().describe("Id or email of the owner"),
  businessValue: wsjfScore("User-business value"),
  timeCriticality: wsjfScore("Time criticality"),
  riskReduction: wsjfScore("Risk reduction | opportunity enablement"),
  jobSize: wsjfScore("Job size (a proxy for duration)"),
  costOfDelayPerWeek: z
    .number()
    .min(0, "money per week, 0 or more")
    .max(ECONOMIC_LIMITS.costOfDelayPerWeek, "too large")
    .nullable()
    .describe("Quantified Cost of Delay: money lost per week of delay (economic view; program items only)"),
  urgency: z
    .enum(URGENCY_PROFILES, { error: `one of ${URGENCY_PROFILES.join(", ")}` })
    .nullable()
    .describe("Urgency profile: expedite, fixed_date (with fixedDate), standard or intangible"),
  fixedDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date, yyyy-mm-dd")
    .nullable()
    .describe("The date a fixed_date item must meet, yyyy-mm-dd"),
  durationWeeks: z
    .number()
    .gt(0, "more than 0 weeks")
    .max(ECONOMIC_LIMITS.durationWeeks, `at most ${ECONOMIC_LIMITS.durationWeeks} weeks`)
    .refine(hasOneDecimal, "weeks to one decimal, e.g. 2.5")
    .nullable()
    .describe("How many weeks the work takes, to one decimal (CD3 = Cost of Delay per week ÷ duration)"),
  blockedReason: z
    .string()
    .trim()
    .min(1, "say what it waits on, or send null to unblock it")
    .max(LIMITS.blockedReason, `at most ${LIMITS.blockedReason} characters`)
    .nullable()
    .describe("What the item waits on outside the team's control (blocked); null when it is not blocked"),
};

export const CreateItemInput = z.strictObject({
  art: ref.describe("Id or key of the ART"),
  level: z.enum(LEVELS),
  ...itemFields,
  type: itemFields.type.default("business"),
  description: itemFields.description.default(""),
  benefitHypothesis: itemFields.benefitHypothesis.default(""),
  acceptanceCriteria: itemFields.acceptanceCriteria.default([]),
  readyChecks: itemFields.readyChecks.default([]),
  labels: itemFields.labels.default([]),
  teamIds: itemFields.teamIds.default([]),
  enablerKind: itemFields.enablerKind.optional(),
  state: itemFields.state.optional(),
  parentId: itemFields.parentId.optional(),
  teamId: itemFields.teamId.optional(),
  piId: itemFields.piId.optional(),
  iterationId: itemFields.iterationId.optional(),
  points: itemFields.points.optional(),
  ownerId: itemFields.ownerId.optional(),
  businessValue: itemFields.businessValue.optional(),
  timeCriticality: itemFields.timeCriticality.optional(),
  riskReduction: itemFields.riskReduction.optional(),
  jobSize: itemFields.jobSize.optional(),
  costOfDelayPerWeek: itemFields.costOfDelayPerWeek.optional(),
  urgency: itemFields.urgency.optional(),
  fixedDate: itemFields.fixedDate.optional(),
  durationWeeks: itemFields.durationWeeks.optional(),
  blockedReason: itemFields.blockedReason.optional(),
  placement: PlacementInput.optional().describe("Where the item goes in its backlog; the bottom when omitted"),
});
export type CreateItemInput = z.input<typeof CreateItemInput>;

/** Why a finished story is moved back: not item fields, only with an edit that moves a story back from done or accepted. */
const reworkFields = {
  reworkReason: z
    .enum(REWORK_REASONS, { error: `one of ${REWORK_REASONS.join(", ")}` })
    .nullable()
    .describe(
      `Only when this edit moves a story back from done or accepted to an earlier state: why it needs rework, one of ${REWORK_REASONS.join(", ")}`,
    ),
  reworkNote: z
    .string()
    .trim()
    .max(LIMITS.reworkNote, `at most ${LIMITS.reworkNote} characters`)
    .nullable()
    .describe("Only with a move back from done or accepted: a note on the rework"),
};

export const UpdateItemInput = z
  .strictObject({
    ...itemFields,
    ...reworkFields,
    version: z.number().int().positive().optional().describe("The version this edit was made on (or send If-Match)"),
  })
  .partial();
export type UpdateItemInput = z.input<typeof UpdateItemInput>;

export type PlacementInput = z.infer<typeof PlacementInput>;
export const toPlacement = (p: PlacementInput | undefined): Placement => p ?? { position: "bottom" };

/** Turns zod issues into the domain's field issues; `whole` names the input itself (e.g. "(body)", "(query)"). */
export function fieldIssues(error: z.ZodError, whole = "(body)"): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".") || whole;
    if (issue.code === "unrecognized_keys") {
      const fields = issue.keys.join(", ");
      return { path, message: `unknown field${issue.keys.length > 1 ? "s" : ""}: ${fields}` };
    }
    return { path, message: issue.message };
  });
}

/** Parses input with a schema or throws the domain's `invalid` error naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldIssues(result.error);
  throw invalidFields(fields);
}

export interface ResolvedRefs {
  parent?: WorkItem | null;
  teamId?: string | null;
  teamIds?: string[];
  piId?: string | null;
  iterationId?: string | null;
  ownerId?: string | null;
}

/** How references are looked up: straight from the database, or from what a bulk operation loaded up front. */
export interface RefLookup {
  item(ref: string): Promise<WorkItem | undefined>;
  person(ref: string): Promise<Person | undefined>;
}

export function lookupIn(db: Db): RefLookup {
  return { item: (r) => findItem(db, r), person: (r) => findPerson(db, r) };
}

/** A lookup over items and people loaded once, for creating many items in one go. */
export async function preloadedLookup(
  db: Db,
  refs: { items: readonly string[]; people: readonly string[] },
): Promise<RefLookup> {
  const items = await findItems(db, [...new Set(refs.items)]);
  const byRef = new Map<string, WorkItem>();
  for (const i of items) byRef.set(i.id, i).set(i.key, i);
  const people = await findPeople(db, [...new Set(refs.people)]);
  const personByRef = new Map<string, Person>();
  for (const p of people) personByRef.set(p.id, p).set(p.email, p);
  return { item: async (r) => byRef.get(r), person: async (r) => personByRef.get(r) };
}

type Refs = {
  parentId?: string | null;
  teamId?: string | null;
  teamIds?: string[];
  piId?: string | null;
  iterationId?: string | null;
  ownerId?: string | null;
};

/**
 * Resolves the references an item input names within its ART, collecting a field issue for each one that does not
 * exist or does not fit (a parent of the wrong level or another ART, a team of another ART, an iteration of another PI).
 */
export async function resolveRefs(lookup: RefLookup, art: Art, level: Level, refs: Refs): Promise<ResolvedRefs> {
  const issues: FieldIssue[] = [];
  const out: ResolvedRefs = {};
  const team = (r: string) => art.teams.find((t) => t.id === r || t.key === r);

  if (refs.parentId !== undefined) {
    if (refs.parentId === null) out.parent = null;
    else {
      const parent = await lookup.item(refs.parentId);
      if (!parent || parent.artId !== art.id) {
        issues.push({ path: "parentId", message: `no item '${refs.parentId}' in ${art.key}` });
      } else {
        const problem = parentProblem(level, parent.level);
        if (problem) issues.push({ path: "parentId", message: problem });
        else out.parent = parent;
      }
    }
  }
  if (refs.teamId !== undefined) {
    if (refs.teamId === null) out.teamId = null;
    else {
      const t = team(refs.teamId);
      if (t) out.teamId = t.id;
      else issues.push({ path: "teamId", message: `no team '${refs.teamId}' in ${art.key}` });
    }
  }
  if (refs.teamIds !== undefined) {
    const ids: string[] = [];
    refs.teamIds.forEach((r, i) => {
      const t = team(r);
      if (t) ids.push(t.id);
      else issues.push({ path: `teamIds.${i}`, message: `no team '${r}' in ${art.key}` });
    });
    out.teamIds = [...new Set(ids)];
  }
  if (refs.piId !== undefined) {
    if (refs.piId === null) out.piId = null;
    else {
      const pi = art.pis.find((p) => p.id === refs.piId || p.name === refs.piId);
      if (pi) out.piId = pi.id;
      else issues.push({ path: "piId", message: `no PI '${refs.piId}' in ${art.key}` });
    }
  }
  if (refs.iterationId !== undefined) {
    if (refs.iterationId === null) out.iterationId = null;
    else {
      const r = refs.iterationId;
      const found = art.pis
        .flatMap((p) => p.iterations.map((it) => ({ pi: p, it })))
        .find(({ pi, it }) => it.id === r || `${pi.name}/${it.number}` === r);
      if (found) {
        out.iterationId = found.it.id;
        if (refs.piId === undefined) out.piId = found.pi.id;
        else if (out.piId && out.piId !== found.pi.id) {
          issues.push({ path: "iterationId", message: `iteration '${r}' is not in the item's PI` });
        }
      } else issues.push({ path: "iterationId", message: `no iteration '${r}' in ${art.key}` });
    }
  }
  if (refs.ownerId !== undefined) {
    if (refs.ownerId === null) out.ownerId = null;
    else {
      const person = await lookup.person(refs.ownerId);
      if (person) out.ownerId = person.id;
      else issues.push({ path: "ownerId", message: `no person '${refs.ownerId}'` });
    }
  }
  if (issues.length > 0) {
    throw invalidFields(issues);
  }
  return out;
}
