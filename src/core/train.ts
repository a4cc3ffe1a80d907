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
}
export interface ProgramIncrement {
  id: string;
  artId: string;
  name: string;
  startDate: string;
  endDate: string;
  iterations: Iteration[];
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
): { number: number; name: string; startDate: string; endDate: string }[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const from = start + i * weeks * 7 * DAY;
    const to = from + (weeks * 7 - 1) * DAY;
    return {
      number: i + 1,
      name: i === count - 1 && count > 1 ? `IP ${i + 1}` : `Iteration ${i + 1}`,
      startDate: new Date(from).toISOString().slice(0, 10),
      endDate: new Date(to).toISOString().slice(0, 10),
    };
  });
}
