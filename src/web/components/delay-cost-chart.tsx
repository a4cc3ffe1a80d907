// The chart of the Economic view: how a chosen fixed-date item's cost of delay grows with the week work starts —
// nothing while it can still meet its date, then its Cost of Delay per week for every week late (recharts, loaded
// only when the Economic view opens).
import { useState } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { type EconomicsView, moneyText } from "../lib/economics";

/** How a chosen fixed-date item's cost of delay grows with the week work starts. */
export default function DelayCostChart({ data }: { data: EconomicsView }) {
  const dated = data.items.filter((i) => data.curves[i.id]);
  const [chosen, setChosen] = useState<string | null>(null);
  const item = dated.find((i) => i.id === chosen) ?? dated[0];
  if (!item) {
    return (
      <section className="panel-section economic-chart" data-testid="economic-chart-empty">
        <h2 className="section-title">Fixed-date cost of delay</h2>
        <p className="muted">
          No fixed-date item with a Cost of Delay and a duration yet: give one its urgency, date and duration to see how
          its cost of delay grows as the date nears.
        </p>
      </section>
    );
  }
  const curve = data.curves[item.id] ?? [];
  return (
    <section className="panel-section economic-chart" data-testid="economic-chart">
      <div className="economic-chart-head">
        <h2 className="section-title">Fixed-date cost of delay</h2>
        <label>
          <span className="visually-hidden">Fixed-date item</span>
          <select
            value={item.id}
            onChange={(e) => setChosen(e.target.value)}
            data-testid="economic-chart-item"
            className="input"
          >
            {dated.map((i) => (
              <option key={i.id} value={i.id}>
                {i.key} · {i.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint" data-testid="economic-chart-summary">
        Due {item.fixedDate}, takes {item.durationWeeks} weeks: start by <strong>{item.latestStart}</strong> (
        {(item.slackWeeks ?? 0) < 0 ? "already late" : `${item.slackWeeks} weeks of slack`}). Starting later costs{" "}
        {moneyText(item.costOfDelayPerWeek)} for every week late.
      </p>
      <div className="economic-chart-plot" data-testid="economic-chart-plot">
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={curve} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e5ea" strokeDasharray="3 3" />
            <XAxis
              dataKey="week"
              type="number"
              domain={[0, curve.length - 1]}
              allowDecimals={false}
              tickFormatter={(w: number) => curve[w]?.startOn ?? ""}
              tick={{ fontSize: 11 }}
              minTickGap={24}
            />
            <YAxis tickFormatter={(v: number) => moneyText(v)} tick={{ fontSize: 11 }} width={72} />
            <Tooltip
              formatter={(v) => [moneyText(Number(v)), "Cost of delay"]}
              labelFormatter={(w) => `Work starts ${curve[Number(w)]?.startOn ?? ""}`}
            />
            {item.slackWeeks !== null && item.slackWeeks >= 0 && item.slackWeeks <= curve.length - 1 && (
              <ReferenceLine
                x={item.slackWeeks}
                stroke="#a15c07"
                strokeDasharray="4 4"
                label={{
                  value: `latest start ${item.latestStart}`,
                  fontSize: 11,
                  fill: "#a15c07",
                  position: "insideTopLeft",
                }}
              />
            )}
            <Line
              type="linear"
              dataKey="delayCost"
              name="Cost of delay"
              stroke="#4f46e5"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
