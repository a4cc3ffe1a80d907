// The benchmark's results against the budgets of the performance issue, as a table for people and JSON for machines.
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import type { LatencySummary } from "./stats.js";

export type Result =
  | {
      id: string;
      name: string;
      kind: "latency";
      summary: LatencySummary;
      /** null for a figure reported alongside the budgets but without one of its own (it always passes). */
      budget: { p95Ms: number } | null;
      pass: boolean;
    }
  | { id: string; name: string; kind: "ratio"; value: number; budget: { max: number }; pass: boolean }
  | { id: string; name: string; kind: "count"; value: number; budget: { max: number }; pass: boolean }
  | {
      id: string;
      name: string;
      kind: "throughput";
      items: number;
      seconds: number;
      perSecond: number;
      /** CPU seconds the benchmark process used meanwhile: far below `seconds` means the machine was busy elsewhere. */
      cpuSeconds: number;
      budget: { minPerSecond: number };
      pass: boolean;
    };

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run started; much above 0 means other work shared the CPUs. */
  loadAverage: number;
}

export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function latency(id: string, name: string, summary: LatencySummary, p95Ms: number | null): Result {
  if (p95Ms === null) return { id, name, kind: "latency", summary, budget: null, pass: true };
  return { id, name, kind: "latency", summary, budget: { p95Ms }, pass: summary.p95 <= p95Ms };
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const count = (x: number) => Math.round(x).toLocaleString("en-US");

/** A fixed-width table: measurement, n, p50, p95, p99, throughput, budget, result. */
export function formatTable(results: readonly Result[]): string {
  const rows = results.map(cellsOf);
  const header = ["measurement", "n", "p50", "p95", "p99", "throughput", "budget", "result"];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? "").length)));
  const right = new Set([1, 2, 3, 4, 5]);
  const line = (row: string[]) =>
    row
      .map((cell, c) => (right.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function formatMachine(m: Machine, database: string, server: string): string {
  return (
    `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
    `${database}; server via ${server}; load average ${m.loadAverage} at start; ${m.date}`
  );
}

function cellsOf(r: Result): string[] {
  const verdict = r.pass ? "pass" : "FAIL";
  switch (r.kind) {
    case "latency":
      return [
        r.name,
        count(r.summary.n),
        `${ms(r.summary.p50)} ms`,
        `${ms(r.summary.p95)} ms`,
        `${ms(r.summary.p99)} ms`,
        `${count(r.summary.perSecond)} req/s`,
        r.budget ? `p95 ≤ ${r.budget.p95Ms} ms` : "(none)",
        r.budget ? verdict : "",
      ];
    case "ratio":
      return [r.name, "", "", `${r.value.toFixed(2)}×`, "", "", `≤ ${r.budget.max.toFixed(2)}×`, verdict];
    case "count":
      return [r.name, count(r.value), "", "", "", "", `≤ ${count(r.budget.max)}`, verdict];
    case "throughput":
      return [
        r.name,
        count(r.items),
        "",
        "",
        "",
        `${count(r.perSecond)} items/s`,
        `≥ ${count(r.budget.minPerSecond)} items/s`,
        verdict,
      ];
  }
}
