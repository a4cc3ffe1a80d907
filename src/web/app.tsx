// The app shell: picks the screen for the URL — the first-run page when there is no train yet, otherwise a backlog
// of the train with the item panel beside it — and keeps the train's data live.
import { type ReactNode, useEffect, useMemo } from "react";
import { BacklogView } from "./components/backlog-view";
import { FirstRun } from "./components/first-run";
import { ItemPanel } from "./components/item-panel";
import { ToastStack } from "./components/toast-stack";
import { TopBar } from "./components/top-bar";
import { useLiveUpdates } from "./lib/live";
import { type BacklogScope, useArts } from "./lib/queries";
import { navigate, onLinkClick, parseRoute, programPath, setSearch, useLocation } from "./lib/router";
import type { Art } from "./lib/types";

export function App() {
  const { pathname } = useLocation();
  const route = parseRoute(pathname);
  const arts = useArts();
  const list = arts.data ?? [];
  const first = list[0];

  useEffect(() => {
    if (route.name === "home" && first) navigate(programPath(first.key), { replace: true });
  }, [route.name, first]);

  let screen: ReactNode;
  if (arts.isLoading) {
    screen = <div className="splash" aria-busy="true" />;
  } else if (arts.error) {
    screen = (
      <main className="message-page">
        <h1>Trainyard cannot reach its server</h1>
        <p>{arts.error.message}</p>
        <button type="button" className="button" onClick={() => void arts.refetch()}>
          Try again
        </button>
      </main>
    );
  } else if (list.length === 0 || route.name === "setup") {
    screen = <FirstRun hasTrains={list.length > 0} />;
  } else if (route.name === "program" || route.name === "team") {
    const art = list.find((a) => a.key === route.art || a.id === route.art);
    screen = art ? (
      <TrainScreen
        art={art}
        arts={list}
        scope={route.name === "program" ? { kind: "program", level: route.level } : { kind: "team", team: route.team }}
      />
    ) : (
      <NotFound what={`There is no train ${route.art}.`} />
    );
  } else if (route.name === "not-found") {
    screen = <NotFound what={`Nothing lives at ${route.path}.`} />;
  } else {
    screen = <div className="splash" />;
  }

  return (
    <>
      {screen}
      <ToastStack />
    </>
  );
}

function TrainScreen({ art, arts, scope }: { art: Art; arts: Art[]; scope: BacklogScope }) {
  const { pathname, search } = useLocation();
  const openKey = search.get("item");
  const live = useLiveUpdates(art.key);
  const route = useMemo(() => parseRoute(pathname), [pathname]);
  const team = scope.kind === "team" ? art.teams.find((t) => t.key === scope.team || t.id === scope.team) : null;

  useEffect(() => {
    const where = scope.kind === "program" ? "Program backlog" : (team?.name ?? "Team backlog");
    document.title = `${openKey ? `${openKey} · ` : ""}${where} · ${art.name} · Trainyard`;
  }, [art.name, scope, team, openKey]);

  return (
    <div className="app">
      <TopBar art={art} arts={arts} route={route} live={live} />
      {scope.kind === "team" && !team ? (
        <NotFound what={`${art.name} has no team ${scope.team}.`} />
      ) : (
        <div className={`workspace ${openKey ? "has-panel" : ""}`}>
          <BacklogView
            key={`${art.key}/${scope.kind === "team" ? team?.key : scope.level}`}
            art={art}
            scope={team ? { kind: "team", team: team.key } : scope}
          />
          {openKey && <ItemPanel art={art} itemKey={openKey} onClose={() => setSearch({ item: null })} />}
        </div>
      )}
    </div>
  );
}

function NotFound({ what }: { what: string }) {
  return (
    <main className="message-page">
      <h1>Not found</h1>
      <p>{what}</p>
      <a className="button" href="/" onClick={onLinkClick}>
        Go to the program backlog
      </a>
    </main>
  );
}
