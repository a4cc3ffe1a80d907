// Tables as CSV files, for the charts' "CSV" buttons: csv-stringify's browser build, kept out of the main bundle
// (only the lazily loaded Metrics screen imports this).
import { stringify } from "csv-stringify/browser/esm/sync";
import { downloadUrl } from "./metrics";

/** A table cell: text, a number, or nothing (null: the number cannot be computed). */
export type Cell = string | number | null;

/** The rows a chart is drawn from, as its table and its CSV file show them. */
export interface DataTable {
  head: string[];
  rows: Cell[][];
}

/**
 * csv-stringify's options for a table (RFC 4180, CRLF line ends): text a spreadsheet would run as a formula gets a
 * leading apostrophe (negative numbers stay numbers); a number that cannot be computed is an empty field.
 */
const CSV_OPTIONS = {
  record_delimiter: "windows",
  escape_formulas: true,
  // A line break inside a field is quoted too, not only one like the record delimiter.
  quoted_match: /[\r\n]/,
  cast: { number: (n: number) => (Number.isFinite(n) ? String(n) : "") },
} as const;

/** One CSV field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(cell: Cell): string {
  return stringify([[cell]], { ...CSV_OPTIONS, record_delimiter: "" });
}

/**
 * A table as CSV (a header row, CRLF line ends), from the same rows its chart and table show.
 * @example toCsv({ head: ["Team", "Rate"], rows: [["Core, Web", 62.5]] }) // 'Team,Rate\r\n"Core, Web",62.5\r\n'
 */
export function toCsv(table: DataTable): string {
  return stringify([table.head, ...table.rows], CSV_OPTIONS);
}

/** Offers a table as a CSV file. */
export function downloadCsv(table: DataTable, fileName: string): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: "text/csv;charset=utf-8" }));
  downloadUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
