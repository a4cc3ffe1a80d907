// The WSJF estimation grid as CSV, for a spreadsheet or a workshop: one row per item in rank order. The API's
// download and the CLI's `wsjf list --csv` both write it here, so they are the same bytes.
import { stringify } from "csv-stringify/sync";
import type { WsjfGrid } from "./list-wsjf.js";

const COLUMNS = [
  "rank",
  "key",
  "title",
  "type",
  "state",
  "user_business_value",
  "time_criticality",
  "risk_reduction_opportunity_enablement",
  "job_size",
  "cost_of_delay",
  "wsjf",
  "missing",
];

/** The grid as CSV with a header row; empty cells for missing inputs, and the missing inputs named in the last column. */
export function wsjfCsv(grid: WsjfGrid): string {
  return stringify(
    grid.items.map((i) => [
      i.position,
      i.key,
      i.title,
      i.type,
      i.state,
      i.inputs.businessValue,
      i.inputs.timeCriticality,
      i.inputs.riskReduction,
      i.inputs.jobSize,
      i.costOfDelay,
      i.wsjf,
      i.missing.join(" "),
    ]),
    {
      header: true,
      columns: COLUMNS,
      // A cell a spreadsheet would run as a formula is written as text.
      cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
    },
  );
}
