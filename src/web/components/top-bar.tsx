// The bar across the top: the train, its program backlog and team backlogs, and who is using the app.
import { useState } from "react";
import { currentPersonId, setCurrentPersonId } from "../lib/api";
import type { LiveStatus } from "../lib/live";
import { usePeople } from "../lib/queries";
import { navigate, onLinkClick, programPath, type Route, teamPath } from "../lib/router";
import type { Art } from "../lib/types";
import { TrainIcon } from "./icons";

const LIVE_TEXT: Record<LiveStatus, { label: string; title: string }> = {
  live: { label: "Live", title: "Changes by others show as they happen" },
  connecting: { label: "Connecting…", title: "Reconnecting to live changes" },
  offline: { label: "Offline", title: "Not receiving live changes; reload the page" },
};

export function TopBar({ art, arts, route, live }: { art: Art; arts: Art[]; route: Route; live: LiveStatus }) {
  return (
    <header className="topbar">
      <a className="brand" href="/" onClick={onLinkClick} aria-label="Trainyard home">
        <TrainIcon />
        <span>Trainyard</span>
      </a>
      <TrainSwitch art={art} arts={arts} />
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
        <span className="topnav-sep" aria-hidden="true" />
        {art.teams.map((t) => {
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
      <span className={`live live-${live}`} title={LIVE_TEXT[live].title} data-testid="live-status" data-state={live}>
        <span className="live-dot" aria-hidden="true" />
        {LIVE_TEXT[live].label}
      </span>
      <WhoAmI />
    </header>
  );
}

function TrainSwitch({ art, arts }: { art: Art; arts: Art[] }) {
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
        <option value="">New train…</option>
      </select>
    </label>
  );
}

function WhoAmI() {
  const people = usePeople();
  const [person, setPerson] = useState(currentPersonId());
  const known = people.data?.some((p) => p.id === person);
  return (
    <label className="whoami">
      <span className="whoami-label">I am</span>
      <select
        value={known ? (person ?? "") : ""}
        data-testid="whoami"
        onChange={(e) => {
          setCurrentPersonId(e.target.value || null);
          setPerson(e.target.value || null);
        }}
      >
        <option value="">Choose who you are…</option>
        {(people.data ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
