// The backlog health panel of a team or of the whole train: capacity per iteration and where it comes from, the
// Backlog Readiness Rate in both forms (stories planned for the next two iterations; the top of the ranked backlog
// that fills two iterations of capacity), the ready-backlog depth (healthy at two iterations or more), and the
// problems to work on — each expands to its items, each item a link that opens it in the item panel.
import { HEALTH_HORIZON, HEALTHY_READY_DEPTH } from "../../core/backlog-health";
import {
  type BacklogHealth,
  type HealthProblem,
  type ReadinessRate,
  type TeamHealth,
  useBacklogHealth,
} from "../lib/refine";
import { itemHref, onLinkClick } from "../lib/router";
import type { Art, Team } from "../lib/types";

const percent = (rate: number | null) => (rate === null ? "no data" : `${Math.round(rate * 100)} %`);
const num = (n: number) => String(Math.round(n * 100) / 100);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function HealthPanel({ art, team }: { art: Art; team: Team | null }) {
  const health = useBacklogHealth(art.key, team?.key ?? null);
  const data = health.data;
  return (
    <section className="refine-card health-panel" aria-labelledby="health-title" data-testid="health-panel">
      <h2 id="health-title" className="refine-card-title">
        Backlog health{team ? `: ${team.name}` : ": the whole train"}
        {health.isFetching && !health.isLoading && <span className="spinner" title="Refreshing" />}
      </h2>
      {health.isLoading && <p className="muted">Checking the backlog…</p>}
      {health.isError && <p className="field-error">{health.error.message}</p>}
      {data && (team ? <TeamFigures data={data} team={team} /> : <TrainFigures data={data} />)}
    </section>
  );
}

function TeamFigures({ data, team }: { data: BacklogHealth; team: Team }) {
  const t = data.teams.find((h) => h.team.id === team.id) ?? data.teams[0];
  if (!t) return <p className="muted">No health figures for {team.name}.</p>;
  const capacity = t.capacityPerIteration;
  return (
    <>
      <Horizon names={t.horizon.map((it) => it.name)} asOf={data.asOf} />
      <dl className="health-figures">
        <Figure
          label="Capacity per iteration"
          testId="health-capacity"
          data={{ "data-points": capacity.points ?? "", "data-source": capacity.source ?? "" }}
          value={capacity.points === null ? "none" : `${num(capacity.points)} points`}
          detail={
            capacity.source === "velocity"
              ? "the team's average velocity over its recent iterations"
              : capacity.source === "set"
                ? "set by the team (no velocity yet)"
                : "no velocity yet and none set: set one in the team's refinement settings"
          }
          tone={capacity.points === null ? "warn" : undefined}
        />
        <RateFigure
          label={`Ready of planned (next ${HEALTH_HORIZON} iterations)`}
          testId="health-readiness-planned"
          rate={t.readiness.planned}
          detail={(r) =>
            r.of === 0
              ? "no stories planned for the next iterations yet"
              : `${r.ready} of ${plural(r.of, "story", "stories")} planned for the next ${HEALTH_HORIZON} iterations are ready`
          }
        />
        <RateFigure
          label="Ready of the ranked top"
          testId="health-readiness-ranked"
          rate={t.readiness.ranked}
          detail={(r) =>
            t.readiness.ranked.capacityPoints === null
              ? "needs a capacity: the top of the backlog that fills two iterations"
              : `${r.ready} of the top ${plural(r.of, "story", "stories")} filling ${HEALTH_HORIZON} × capacity (${num(t.readiness.ranked.capacityPoints)} points) are ready`
          }
        />
        <DepthFigure depth={t.readyDepth} />
      </dl>
      <p className="hint">{plural(t.openStories, "open story", "open stories")}.</p>
      <Problems problems={t.problems} />
    </>
  );
}

function TrainFigures({ data }: { data: BacklogHealth }) {
  const train = data.train;
  return (
    <>
      <Horizon names={train.horizon.map((it) => it.name)} asOf={data.asOf} />
      <dl className="health-figures">
        <Figure
          label="Capacity per iteration"
          testId="health-capacity"
          data={{ "data-points": train.capacityPerIteration ?? "", "data-source": "" }}
          value={train.capacityPerIteration === null ? "none" : `${num(train.capacityPerIteration)} points`}
          detail={
            train.teamsWithoutCapacity.length > 0
              ? `the teams' capacities added up; without one: ${train.teamsWithoutCapacity.join(", ")}`
              : "the teams' capacities added up"
          }
          tone={train.capacityPerIteration === null ? "warn" : undefined}
        />
        <RateFigure
          label={`Ready of planned (next ${HEALTH_HORIZON} iterations)`}
          testId="health-readiness-planned"
          rate={train.readiness.planned}
          detail={(r) =>
            r.of === 0
              ? "no stories planned for the next iterations yet"
              : `${r.ready} of ${plural(r.of, "story", "stories")} planned for the next ${HEALTH_HORIZON} iterations are ready`
          }
        />
        <RateFigure
          label="Ready of the ranked top"
          testId="health-readiness-ranked"
          rate={train.readiness.ranked}
          detail={(r) =>
            r.of === 0
              ? "needs the teams' capacities"
              : `${r.ready} of the top ${plural(r.of, "story", "stories")} of the team backlogs are ready`
          }
        />
        <DepthFigure depth={train.readyDepth} />
      </dl>
      {data.teams.length > 0 && <TeamsTable teams={data.teams} />}
      <Problems problems={train.problems} />
    </>
  );
}

function Horizon({ names, asOf }: { names: string[]; asOf: string }) {
  return (
    <p className="hint health-horizon">
      As of {asOf}; the next iterations: {names.length === 0 ? "none planned yet" : names.join(", ")}.
    </p>
  );
}

function Figure(props: {
  label: string;
  value: string;
  detail: string;
  testId: string;
  tone?: "ok" | "warn" | "bad" | undefined;
  data?: Record<string, string | number>;
}) {
  return (
    <div
      className={`health-figure ${props.tone ? `health-${props.tone}` : ""}`}
      data-testid={props.testId}
      {...props.data}
    >
      <dt>{props.label}</dt>
      <dd>
        <strong className="health-value" data-testid="health-value">
          {props.value}
        </strong>
        <span className="health-detail">{props.detail}</span>
      </dd>
    </div>
  );
}

function RateFigure(props: {
  label: string;
  testId: string;
  rate: ReadinessRate;
  detail: (r: ReadinessRate) => string;
}) {
  const { rate } = props;
  const tone = rate.rate === null ? undefined : rate.rate >= 0.8 ? "ok" : rate.rate >= 0.5 ? "warn" : "bad";
  return (
    <Figure
      label={props.label}
      testId={props.testId}
      tone={tone}
      data={{ "data-ready": rate.ready, "data-of": rate.of, "data-rate": rate.rate ?? "" }}
      value={rate.rate === null ? "no data" : `${percent(rate.rate)} (${rate.ready}/${rate.of})`}
      detail={props.detail(rate)}
    />
  );
}

function DepthFigure({ depth }: { depth: TeamHealth["readyDepth"] }) {
  return (
    <Figure
      label="Ready depth"
      testId="health-depth"
      tone={depth.healthy === null ? undefined : depth.healthy ? "ok" : "bad"}
      data={{ "data-iterations": depth.iterations ?? "", "data-points": depth.points }}
      value={depth.iterations === null ? "no data" : `${num(depth.iterations)} iterations`}
      detail={`${num(depth.points)} ready points; healthy at ${HEALTHY_READY_DEPTH} iterations or more${
        depth.healthy === null ? " (needs a capacity)" : depth.healthy ? ": healthy" : ": too shallow"
      }`}
    />
  );
}

/** The train view: each team's figures in a row. */
function TeamsTable({ teams }: { teams: TeamHealth[] }) {
  return (
    <table className="health-teams" data-testid="health-teams">
      <thead>
        <tr>
          <th scope="col" className="health-cell health-head">
            Team
          </th>
          <th scope="col" className="health-cell health-head num">
            Capacity
          </th>
          <th scope="col" className="health-cell health-head num">
            Ready of planned
          </th>
          <th scope="col" className="health-cell health-head num">
            Ready of top
          </th>
          <th scope="col" className="health-cell health-head num">
            Depth
          </th>
        </tr>
      </thead>
      <tbody>
        {teams.map((t) => (
          <tr key={t.team.id} data-testid="health-team" data-team={t.team.key}>
            <th scope="row" className="health-cell">
              {t.team.name}
            </th>
            <td className="health-cell num">
              {t.capacityPerIteration.points === null ? (
                <span className="muted">none</span>
              ) : (
                num(t.capacityPerIteration.points)
              )}
            </td>
            <td className="health-cell num">{percent(t.readiness.planned.rate)}</td>
            <td className="health-cell num">{percent(t.readiness.ranked.rate)}</td>
            <td className={`health-cell num ${t.readyDepth.healthy === false ? "health-text-bad" : ""}`}>
              {t.readyDepth.iterations === null ? <span className="muted">—</span> : num(t.readyDepth.iterations)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Problems({ problems }: { problems: HealthProblem[] }) {
  if (problems.length === 0) {
    return (
      <p className="notice notice-ok health-none" data-testid="health-no-problems">
        No problems found.
      </p>
    );
  }
  return (
    <div className="health-problems">
      <h3 className="section-title">
        Problems <span className="count">{problems.length}</span>
      </h3>
      <ul className="health-problem-list">
        {problems.map((p) => (
          <li
            key={`${p.kind}:${p.rule ?? ""}`}
            className={`health-problem health-problem-${p.severity}`}
            data-testid="health-problem"
            data-kind={p.kind}
            data-rule={p.rule ?? ""}
            data-count={p.items.length}
          >
            {p.items.length === 0 ? (
              <span className="health-problem-label">{p.label}</span>
            ) : (
              <details>
                <summary>
                  <span className="health-problem-label">{p.label}</span>
                  <span className="count">{p.items.length}</span>
                </summary>
                <ul className="ref-list health-problem-items">
                  {p.items.map((i) => (
                    <li key={i.key} className="ref-item">
                      <a
                        className="ref-link"
                        href={itemHref(i.key)}
                        onClick={onLinkClick}
                        data-testid="health-problem-item"
                        data-key={i.key}
                      >
                        <span className="key">{i.key}</span>
                        <span className="ref-title">{i.title}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
