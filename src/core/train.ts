// The release train around the backlog: the ART, its teams, people, program increments and their iterations.

export interface Team {
  id: string;
  artId: string;
  key: string;
  name: string;
}
export interface Iteration {
  id: string;
  piId: string;
  name: string;
  number: number;
  startDate: string;
  endDate: string;
  /** A development iteration, or the PI's Innovation & Planning iteration (no stories are planned into it). */
  kind: IterationKind;
}
export const ITERATION_KINDS = ["development", "ip"] as const;
export type IterationKind = (typeof ITERATION_KINDS)[number];

/** The kinds of work a PI's capacity is allocated to: business features, enablers, and maintenance (defects, debt). */
export const WORK_KINDS = ["business", "enabler", "maintenance"] as const;
export type WorkKind = (typeof WORK_KINDS)[number];
/** The share of capacity (percent, adding up to 100) the Product Manager reserves for each kind of work in a PI. */
export type AllocationPolicy = Record<WorkKind, number>;

export interface ProgramIncrement {
  id: string;
  artId: string;
  name: string;
  startDate: string;
  endDate: string;
  iterations: Iteration[];
  /** The capacity allocation policy, or null when none is set. */
  allocation: AllocationPolicy | null;
  version: number;
}
export interface Art {
  id: string;
  key: string;
  name: string;
  teams: Team[];
  pis: ProgramIncrement[];
}
export interface Person {
  id: string;
  name: string;
  email: string;
}

const DAY = 86_400_000;

/** Consecutive iterations of `weeks` weeks from `startDate` (yyyy-mm-dd); the last one of a PI is its IP iteration. */
export function planIterations(
  startDate: string,
  count: number,
  weeks: number,
): { number: number; name: string; startDate: string; endDate: string; kind: IterationKind }[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const from = start + i * weeks * 7 * DAY;
    const to = from + (weeks * 7 - 1) * DAY;
    const ip = i === count - 1 && count > 1;
    return {
      number: i + 1,
      name: ip ? `IP ${i + 1}` : `Iteration ${i + 1}`,
      kind: ip ? "ip" : "development",
      startDate: new Date(from).toISOString().slice(0, 10),
      endDate: new Date(to).toISOString().slice(0, 10),
    };
  });
}
