// The bar across the top: the train, its program backlog, prioritizing it, and the team backlogs the person may see, whether changes
// arrive live, and the person's account menu.
import type { LiveStatus } from "../lib/live";
import { useRights } from "../lib/rights";
import {
  estimationPath,
  feedbackPath,
  metricsPath,
  navigate,
  onLinkClick,
  piPath,
  planPath,
  programPath,
  type Route,
  refinePath,
  teamPath,
  wsjfPath,
} from "../lib/router";
import type { Art } from "../lib/types";
import { AccountMenu } from "./account-menu";
import { TrainIcon } from "./icons";

const LIVE_TEXT: Record<LiveStatus, { label: string; title: string }> = {
  live: { label: "Live", title: "Changes by others show as they happen" },
  connecting: { label: "Connecting…", title: "Reconnecting to live changes" },
  offline: { label: "Offline", title: "Not receiving live changes; reload the page" },
};

interface Props {
  /** The train whose backlogs the bar leads to; none on pages of no train (or when there is none yet). */
  art: Art | null;
  arts: Art[];
  route: Route;
  live?: LiveStatus;
}

export function TopBar({ art, arts, route, live }: Props) {
  const rights = useRights();
  const teams = art ? art.teams.filter((t) => rights.canSee(art.id, t.id)) : [];
  return (
    <header className="topbar">
      <a className="brand" href="/" onClick={onLinkClick} aria-label="Trainyard home">
        <TrainIcon />
        <span>Trainyard</span>
      </a>
      {art && <TrainSwitch art={art} arts={arts} />}
      {art && (
        <nav className="topnav" aria-label="Backlogs" data-testid="topnav">
          <a
            href={programPath(art.key)}
            onClick={onLinkClick}
            className={route.name === "program" ? "is-active" : ""}
            aria-current={route.name === "program" ? "page" : undefined}
            data-testid="nav-program"
          >
            Program backlog
          </a>
          {/* Prioritizing is the train's business: the link is for those with a role on the whole train (the screen
              itself opens for anyone who may see the program backlog). */}
          {rights.onWholeTrain(art.id) && (
            <a
              href={wsjfPath(art.key)}
              onClick={onLinkClick}
              className={route.name === "wsjf" ? "is-active" : ""}
              aria-current={route.name === "wsjf" ? "page" : undefined}
              title="Prioritize: estimate WSJF and apply its order"
              data-testid="nav-wsjf"
            >
              Prioritize
            </a>
          )}
          {/* Refining is every team's business: anyone with a role on the train opens it (a team's people see their teams). */}
          <a
            href={refinePath(art.key)}
            onClick={onLinkClick}
            className={route.name === "refine" ? "is-active" : ""}
            aria-current={route.name === "refine" ? "page" : undefined}
            title="Refine: backlog health, story quality and each team's Definition of Ready"
            data-testid="nav-refine"
          >
            Refine
          </a>
          {/* Planning is every team's business too: anyone with a role on the train opens it (a team's people see their teams). */}
          <a
            href={planPath(art.key)}
            onClick={onLinkClick}
            className={route.name === "plan" ? "is-active" : ""}
            aria-current={route.name === "plan" ? "page" : undefined}
            title="Plan: each team's iterations of a PI, load against capacity, and a proposed plan"
            data-testid="nav-plan"
          >
            Plan
          </a>
          {/* Metrics, like planning, are every team's business: a team's people see their teams. */}
          <a
            href={metricsPath(art.key)}
            onClick={onLinkClick}
            className={route.name === "metrics" ? "is-active" : ""}
            aria-current={route.name === "metrics" ? "page" : undefined}
            title="Metrics: backlog health, flow, forecasts and inspect & adapt"
            data-testid="nav-metrics"
          >
            Metrics
          </a>
          {/* Like prioritizing, for those on the whole train (a team member invited to a session opens it by its link). */}
          {rights.onWholeTrain(art.id) && (
            <a
              href={estimationPath(art.key)}
              onClick={onLinkClick}
              className={route.name === "estimation" || route.name === "estimation-session" ? "is-active" : ""}
              aria-current={route.name === "estimation" ? "page" : undefined}
              title="Estimation sessions: score WSJF together, privately until revealed"
              data-testid="nav-estimation"
            >
              Estimation
            </a>
          )}
          {rights.onWholeTrain(art.id) && (
            <a
              href={feedbackPath(art.key)}
              onClick={onLinkClick}
              className={route.name === "feedback" ? "is-active" : ""}
              aria-current={route.name === "feedback" ? "page" : undefined}
              title="Customer feedback, and the items to re-score"
              data-testid="nav-feedback"
            >
              Feedback
            </a>
          )}
          {/* The PI screens (board, objectives, risks, confidence) are every team's business, like refining. */}
          <a
            href={piPath(art.key)}
            onClick={onLinkClick}
            className={route.name === "pi" ? "is-active" : ""}
            aria-current={route.name === "pi" ? "page" : undefined}
            title="Program board, PI objectives, risks and the confidence vote"
            data-testid="nav-board"
          >
            Board
          </a>
          <span className="topnav-sep" aria-hidden="true" />
          {teams.map((t) => {
            const active = route.name === "team" && (route.team === t.key || route.team === t.id);
            return (
              <a
                key={t.id}
                href={teamPath(art.key, t.key)}
                onClick={onLinkClick}
                className={active ? "is-active" : ""}
                aria-current={active ? "page" : undefined}
                title={`${t.name} team backlog`}
                data-testid={`nav-team-${t.key}`}
              >
                {t.name}
              </a>
            );
          })}
        </nav>
      )}
      {live ? (
        <span className={`live live-${live}`} title={LIVE_TEXT[live].title} data-testid="live-status" data-state={live}>
          <span className="live-dot" aria-hidden="true" />
          {LIVE_TEXT[live].label}
        </span>
      ) : (
        <span className="topbar-spacer" />
      )}
      <AccountMenu />
    </header>
  );
}

function TrainSwitch({ art, arts }: { art: Art; arts: Art[] }) {
  const { admin } = useRights();
  return (
    <label className="train-switch" title="Release train">
      <span className="visually-hidden">Release train</span>
      <select
        value={art.key}
        data-testid="train-switch"
        onChange={(e) => navigate(e.target.value === "" ? "/setup" : programPath(e.target.value))}
      >
        {arts.map((a) => (
          <option key={a.id} value={a.key}>
            {a.name} ({a.key})
          </option>
        ))}
        {admin && <option value="">New train…</option>}
      </select>
    </label>
  );
}
