// The Metrics screen's pure readings: what its address holds, numbers in words ("no data", never 0 %), which
// iteration's acceptance the dashboard shows, and CSV files quoted as RFC 4180 says.
import { describe, expect, it } from "vitest";
import type { IterationResult } from "../../core/metrics-views";
import { csvField, toCsv } from "./csv";
import {
  DEFAULT_TRIALS,
  fileNameOf,
  latestCompleted,
  metricsQueryOf,
  metricsSearch,
  numberText,
  percentText,
} from "./metrics";

describe("the Metrics address", () => {
  it("reads team, PI, as-of date, view and trials, leaving the rest to the defaults", () => {
    const q = metricsQueryOf(new URLSearchParams("team=RUN&pi=p2&asOf=2026-03-01&view=flow&trials=500"));
    expect(q).toEqual({ team: "RUN", pi: "p2", asOf: "2026-03-01", view: "flow", horizon: null, trials: 500 });
    expect(metricsQueryOf(new URLSearchParams("asOf=yesterday&view=nope&trials=-3"))).toEqual({
      team: null,
      pi: null,
      asOf: null,
      view: "dashboard",
      horizon: null,
      trials: DEFAULT_TRIALS,
    });
  });

  it("writes only what differs from the defaults, so the plain dashboard has no query", () => {
    expect(metricsSearch({ view: "dashboard", trials: DEFAULT_TRIALS })).toBe("");
    expect(metricsSearch({ team: "RUN", view: "forecast", trials: 2000 })).toBe("?team=RUN&view=forecast&trials=2000");
  });
});

describe("numbers in words", () => {
  it("rounds percentages to whole numbers and says 'no data' for none, never 0% or 100%", () => {
    expect(percentText(62.5)).toBe("63%");
    expect(percentText(0)).toBe("0%");
    expect(percentText(null)).toBe("no data");
    expect(numberText(1.2345)).toBe("1.2");
    expect(numberText(null)).toBe("no data");
  });
});

describe("the iteration whose acceptance the dashboard shows", () => {
  const it_ = (id: string, completed: boolean, planned: number): IterationResult =>
    ({ iterationId: id, completed, planned: { stories: planned, points: planned } }) as IterationResult;

  it("is the latest finished one with stories planned, skipping an empty IP iteration and the running one", () => {
    expect(latestCompleted([it_("a", true, 4), it_("ip", true, 0), it_("b", false, 5)])?.iterationId).toBe("a");
    expect(latestCompleted([it_("ip", true, 0)])?.iterationId).toBe("ip");
    expect(latestCompleted([it_("b", false, 5)])).toBeNull();
  });
});

describe("CSV", () => {
  it("quotes fields with commas, quotes or line breaks, doubling the quotes, and ends lines with CRLF", () => {
    const csv = toCsv({
      head: ["Team", "Rate %"],
      rows: [
        ['Core, "Web"', 62.5],
        ["Line\nbreak", null],
      ],
    });
    expect(csv).toBe('Team,Rate %\r\n"Core, ""Web""",62.5\r\n"Line\nbreak",\r\n');
  });

  it("keeps a spreadsheet from running text as a formula, but writes negative numbers as numbers", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-3)).toBe("-3");
  });

  it("names files from their parts", () => {
    expect(fileNameOf(["DPT", "RUN", "PI 2", "2026-03-01", "velocity"], "csv")).toBe(
      "dpt-run-pi-2-2026-03-01-velocity.csv",
    );
  });
});
