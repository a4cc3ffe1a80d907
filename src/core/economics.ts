// The economic view of prioritization (Reinertsen, Arnold): an optional quantified Cost of Delay (money per week), an
// urgency profile and a duration per program item; CD3 (Cost of Delay Divided by Duration); how a fixed-date item's
// cost of delay grows as its date nears; and the order CD3 proposes beside the relative-WSJF order.

import { type Candidate, orderAgreement, proposeWsjfOrder, type WsjfInputs, wsjf } from "./wsjf.js";
import type { ProgramLevel } from "./wsjf-views.js";

/** How an item's cost of delay behaves over time. */
export const URGENCY_PROFILES = ["expedite", "fixed_date", "standard", "intangible"] as const;
export type UrgencyProfile = (typeof URGENCY_PROFILES)[number];

export const URGENCY_LABELS: Record<UrgencyProfile, { label: string; explanation: string }> = {
  expedite: { label: "Expedite", explanation: "Very high cost of delay from now on: drop other work and do it." },
  fixed_date: {
    label: "Fixed date",
    explanation: "Nothing is lost until the last start that still meets the date; then the full impact at once.",
  },
  standard: { label: "Standard", explanation: "Cost of delay grows steadily with every week it waits." },
  intangible: {
    label: "Intangible",
    explanation: "Little cost of delay now, but it may rise later (e.g. paying down debt, keeping options open).",
  },
};

/** The four economic fields of an item, as items name them. */
export const ECONOMIC_FIELDS = ["costOfDelayPerWeek", "urgency", "fixedDate", "durationWeeks"] as const;
export type EconomicField = (typeof ECONOMIC_FIELDS)[number];

export const ECONOMIC_FIELD_LABELS: Record<EconomicField, string> = {
  costOfDelayPerWeek: "Cost of Delay per week",
  urgency: "Urgency profile",
  fixedDate: "Fixed date",
  durationWeeks: "Duration (weeks)",
};

/** Upper bounds of the numbers (a cost of delay per week, a duration in weeks). */
export const ECONOMIC_LIMITS = { costOfDelayPerWeek: 1_000_000_000_000, durationWeeks: 520 } as const;

export interface EconomicInputs {
  costOfDelayPerWeek: number | null;
  urgency: UrgencyProfile | null;
  /** yyyy-mm-dd; only with the fixed_date profile. */
  fixedDate: string | null;
  durationWeeks: number | null;
}

export const isUrgencyProfile = (v: unknown): v is UrgencyProfile =>
  typeof v === "string" && (URGENCY_PROFILES as readonly string[]).includes(v);

/** Whether a number has at most one decimal (durations are in weeks to one decimal: 2.5, not 2.55). */
export const hasOneDecimal = (v: number): boolean => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9;

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a yyyy-mm-dd date, or null when it is not a real calendar date. */
export function dayNumber(date: string): number | null {
  const m = DATE_PATTERN.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

const isoOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const durationDays = (durationWeeks: number): number => Math.round(durationWeeks * 7);
const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;
const dayOf = (date: string): number => {
  const day = dayNumber(date);
  if (day === null) throw new Error(`not a date: ${date}`);
  return day;
};

/**
 * CD3 = Cost of Delay per week ÷ duration in weeks, two decimals; null while either is missing.
 * E.g. `cd3(10_000, 4)` is 2,500: each week of this job's duration is worth 2,500 of delay cost avoided.
 */
export function cd3(costOfDelayPerWeek: number | null, durationWeeks: number | null): number | null {
  if (costOfDelayPerWeek === null || durationWeeks === null || durationWeeks <= 0) return null;
  return round(costOfDelayPerWeek / durationWeeks, 2);
}

/** What CD3 still waits for (empty when it can be computed). */
export function cd3Missing(e: Pick<EconomicInputs, "costOfDelayPerWeek" | "durationWeeks">): EconomicField[] {
  const missing: EconomicField[] = [];
  if (e.costOfDelayPerWeek === null) missing.push("costOfDelayPerWeek");
  if (e.durationWeeks === null) missing.push("durationWeeks");
  return missing;
}

/** The last day work can start and still finish by `date` (yyyy-mm-dd): the date less the duration. */
export function latestStart(date: string, durationWeeks: number): string {
  return isoOfDay(dayOf(date) - durationDays(durationWeeks));
}

/**
 * Weeks (one decimal) from `asOf` until the latest start that still meets `date`; negative once it is too late.
 * E.g. on 2026-01-01, an item due 2026-03-12 that takes 4 weeks has 6 weeks of slack.
 */
export function slackWeeks(asOf: string, date: string, durationWeeks: number): number {
  return round((dayOf(latestStart(date, durationWeeks)) - dayOf(asOf)) / 7, 1);
}

export interface DelayCostPoint {
  /** Weeks from `asOf` until work starts. */
  week: number;
  /** The day work would start (yyyy-mm-dd). */
  startOn: string;
  /** The cost of delay incurred when work starts then: Cost of Delay per week × the weeks it finishes late. */
  delayCost: number;
}

/**
 * The classic fixed-date profile: for each start week w = 0..weeks, the cost of delay incurred if work starts then —
 * nothing while it still finishes by the date (w + duration ≤ weeks until the date), then the Cost of Delay per week
 * for every week late. Empty unless the item has a fixed date, a Cost of Delay and a duration.
 */
export function fixedDateDelayCost(
  asOf: string,
  item: Pick<EconomicInputs, "costOfDelayPerWeek" | "fixedDate" | "durationWeeks">,
  weeks: number,
): DelayCostPoint[] {
  const { costOfDelayPerWeek: cod, fixedDate, durationWeeks } = item;
  if (cod === null || fixedDate === null || durationWeeks === null) return [];
  const start = dayOf(asOf);
  const daysUntil = dayOf(fixedDate) - start;
  const points: DelayCostPoint[] = [];
  for (let week = 0; week <= weeks; week++) {
    const lateDays = Math.max(0, week * 7 + durationDays(durationWeeks) - daysUntil);
    points.push({ week, startOn: isoOfDay(start + week * 7), delayCost: round((cod * lateDays) / 7, 2) });
  }
  return points;
}

/** How many start weeks a fixed-date curve shows: until a little after the date, at least 4 and at most 104. */
export function curveWeeks(asOf: string, fixedDate: string): number {
  return Math.min(104, Math.max(4, Math.ceil((dayOf(fixedDate) - dayOf(asOf)) / 7) + 2));
}

/**
 * Rules an item's economic fields must satisfy: program items only; Cost of Delay not negative; a duration above 0
 * weeks to one decimal; a fixed-date item needs its date and only a fixed-date item has one.
 */
export function economicProblems(
  item: { level: string } & Partial<EconomicInputs>,
): { path: EconomicField; message: string }[] {
  const problems: { path: EconomicField; message: string }[] = [];
  if (item.level === "story") {
    for (const field of ECONOMIC_FIELDS) {
      const value = item[field];
      if (value !== undefined && value !== null) {
        problems.push({ path: field, message: "stories have no Cost of Delay, urgency or duration: features do" });
      }
    }
    return problems;
  }
  const { costOfDelayPerWeek: cod, durationWeeks: duration, urgency, fixedDate } = item;
  if (
    cod !== undefined &&
    cod !== null &&
    !(Number.isFinite(cod) && cod >= 0 && cod <= ECONOMIC_LIMITS.costOfDelayPerWeek)
  ) {
    problems.push({ path: "costOfDelayPerWeek", message: "money per week, 0 or more" });
  }
  if (duration !== undefined && duration !== null) {
    if (!(Number.isFinite(duration) && duration > 0 && duration <= ECONOMIC_LIMITS.durationWeeks)) {
      problems.push({
        path: "durationWeeks",
        message: `more than 0 and at most ${ECONOMIC_LIMITS.durationWeeks} weeks`,
      });
    } else if (!hasOneDecimal(duration)) {
      problems.push({ path: "durationWeeks", message: "weeks to one decimal, e.g. 2.5" });
    }
  }
  if (urgency !== undefined && urgency !== null && !isUrgencyProfile(urgency)) {
    problems.push({ path: "urgency", message: `one of ${URGENCY_PROFILES.join(", ")}` });
  }
  const hasDate = fixedDate !== undefined && fixedDate !== null;
  if (hasDate && dayNumber(fixedDate) === null) {
    problems.push({ path: "fixedDate", message: "a date, yyyy-mm-dd" });
  } else if (urgency === "fixed_date" && !hasDate) {
    problems.push({ path: "fixedDate", message: "a fixed-date item needs its date" });
  } else if (hasDate && urgency !== "fixed_date") {
    problems.push({ path: "fixedDate", message: "only a fixed-date item has a date: set urgency to fixed_date" });
  }
  return problems;
}

export interface EconomicCandidate {
  id: string;
  economics: EconomicInputs;
}

/**
 * The order CD3 proposes for a backlog given in its current rank order: expedite items first, then by CD3 (highest
 * first), ties by Cost of Delay per week, then by current rank; items without CD3 last, in their current order.
 */
export function proposeCd3Order(current: readonly EconomicCandidate[]): string[] {
  const keyed = current.map((c, index) => ({
    id: c.id,
    index,
    group:
      c.economics.urgency === "expedite"
        ? 0
        : cd3(c.economics.costOfDelayPerWeek, c.economics.durationWeeks) === null
          ? 2
          : 1,
    cd3: cd3(c.economics.costOfDelayPerWeek, c.economics.durationWeeks),
    cod: c.economics.costOfDelayPerWeek,
  }));
  const desc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);
  keyed.sort((a, b) => a.group - b.group || desc(a.cd3, b.cd3) || desc(a.cod, b.cod) || a.index - b.index);
  return keyed.map((k) => k.id);
}

/**
 * Kendall's tau between two orders of the same items over the items both rank (`comparable`), from 1 (the same
 * order) to -1 (reversed); null with fewer than two such items.
 */
export function ordersAgreement(first: readonly string[], second: readonly string[], comparable: ReadonlySet<string>) {
  const at = new Map(second.map((id, i) => [id, i]));
  return orderAgreement(first.filter((id) => comparable.has(id)).map((id) => -(at.get(id) as number)));
}

export interface EconomicRow {
  id: string;
  key: string;
  title: string;
  type: string;
  version: number;
  costOfDelayPerWeek: number | null;
  urgency: UrgencyProfile | null;
  fixedDate: string | null;
  durationWeeks: number | null;
  cd3: number | null;
  /** For a fixed-date item: the last day work can start and still meet the date. */
  latestStart: string | null;
  /** For a fixed-date item: weeks from today until that latest start (negative once too late). */
  slackWeeks: number | null;
  wsjf: number | null;
  /** 1-based positions in the WSJF order and in the CD3 order. */
  wsjfPosition: number;
  cd3Position: number;
  /** What CD3 still waits for. */
  missing: EconomicField[];
}

export interface EconomicsView {
  level: ProgramLevel;
  /** The day the slack and curves are computed from (yyyy-mm-dd). */
  asOf: string;
  /** In the backlog's rank order. */
  items: EconomicRow[];
  wsjfOrder: string[];
  cd3Order: string[];
  /** Kendall's tau between the WSJF and the CD3 order over items with both: 1 agrees, -1 is reversed. */
  agreement: number | null;
  /** Per fixed-date item: its cost of delay by the week work starts. */
  curves: Record<string, DelayCostPoint[]>;
}

export interface EconomicItem extends Candidate {
  key: string;
  title: string;
  type: string;
  version: number;
  inputs: WsjfInputs;
  economics: EconomicInputs;
}

/** The economic view of a backlog given in rank order, as of a day (yyyy-mm-dd). */
export function economicsView(level: ProgramLevel, asOf: string, items: readonly EconomicItem[]): EconomicsView {
  const wsjfOrder = proposeWsjfOrder(items);
  const cd3Order = proposeCd3Order(items);
  const wsjfAt = new Map(wsjfOrder.map((id, i) => [id, i + 1]));
  const cd3At = new Map(cd3Order.map((id, i) => [id, i + 1]));
  const curves: Record<string, DelayCostPoint[]> = {};
  const comparable = new Set<string>();
  const rows = items.map((item): EconomicRow => {
    const e = item.economics;
    const score = wsjf(item.inputs);
    const itemCd3 = cd3(e.costOfDelayPerWeek, e.durationWeeks);
    if (score !== null && itemCd3 !== null) comparable.add(item.id);
    const dated = e.urgency === "fixed_date" && e.fixedDate !== null && dayNumber(e.fixedDate) !== null;
    if (dated && e.costOfDelayPerWeek !== null && e.durationWeeks !== null) {
      curves[item.id] = fixedDateDelayCost(asOf, e, curveWeeks(asOf, e.fixedDate as string));
    }
    return {
      id: item.id,
      key: item.key,
      title: item.title,
      type: item.type,
      version: item.version,
      ...e,
      cd3: itemCd3,
      latestStart: dated && e.durationWeeks !== null ? latestStart(e.fixedDate as string, e.durationWeeks) : null,
      slackWeeks: dated && e.durationWeeks !== null ? slackWeeks(asOf, e.fixedDate as string, e.durationWeeks) : null,
      wsjf: score,
      wsjfPosition: wsjfAt.get(item.id) as number,
      cd3Position: cd3At.get(item.id) as number,
      missing: cd3Missing(e),
    };
  });
  return {
    level,
    asOf,
    items: rows,
    wsjfOrder,
    cd3Order,
    agreement: ordersAgreement(wsjfOrder, cd3Order, comparable),
    curves,
  };
}
