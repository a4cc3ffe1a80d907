// The app shell: nothing shows until the session is known. Nobody signed in sees the sign-in page (or, on a new
// Trainyard, the page that creates the administrator); a password link opens the page that sets a password. Signed
// in, the URL picks the screen — the first-run page when there is no train yet, a backlog of the train with the item
// panel beside it (kept live), one's account, or the people and audit screens.
import { useQueryClient } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useEffect, useMemo } from "react";
import { AccountPage } from "./components/account-page";
import { AdminAudit } from "./components/admin-audit";
import { AdminPeople } from "./components/admin-people";
import { BacklogView } from "./components/backlog-view";
import { EstimationSessionScreen, EstimationSessionsView } from "./components/estimation-view";
import { FeedbackView } from "./components/feedback-view";
import { FirstRun } from "./components/first-run";
import { ItemPanel } from "./components/item-panel";
import { PlanView } from "./components/plan-view";
import { PrioritizeView } from "./components/prioritize-view";
import { PiScreen } from "./components/program-board";
import { RefineView } from "./components/refine-view";
import { CreateAdminPage, SetPasswordPage, SignInPage } from "./components/sign-in-pages";
import { ToastStack } from "./components/toast-stack";
import { TopBar } from "./components/top-bar";
import { useLiveUpdates } from "./lib/live";
import { type BacklogScope, queryKeys, useArts } from "./lib/queries";
import { useRights } from "./lib/rights";
import {
  navigate,
  onLinkClick,
  type PiTab,
  type ProgramLevel,
  parseRoute,
  programPath,
  type Route,
  setSearch,
  useLocation,
} from "./lib/router";
import { sessionKey, useSession, useSignInOnUnauthenticated } from "./lib/session";
import type { Art } from "./lib/types";

// The Metrics screen brings the chart library: it loads when the screen first opens.
const MetricsView = lazy(() => import("./components/metrics-view").then((m) => ({ default: m.MetricsView })));

export function App() {
  useSignInOnUnauthenticated();
  const session = useSession();
  const { pathname } = useLocation();
  const route = parseRoute(pathname);
  const signedIn = session.data?.signedIn === true;
  const firstAdmin = session.data?.needsFirstAdmin === true;

  useEffect(() => {
    if (route.name === "welcome") document.title = "Set your password · Trainyard";
    else if (session.data && !signedIn) document.title = `${firstAdmin ? "Welcome" : "Sign in"} · Trainyard`;
  }, [route.name, session.data, signedIn, firstAdmin]);

  let screen: ReactNode;
  if (route.name === "welcome") {
    screen = <SetPasswordPage />;
  } else if (session.isLoading) {
    screen = <div className="splash" aria-busy="true" />;
  } else if (!session.data) {
    screen = <Unreachable message={session.error?.message ?? ""} retry={() => void session.refetch()} />;
  } else if (!signedIn) {
    screen = firstAdmin ? <CreateAdminPage /> : <SignInPage />;
  } else {
    screen = <SignedInApp route={route} />;
  }

  return (
    <>
      {screen}
      <ToastStack />
    </>
  );
}

/** The train the pages of no train (account, people, audit) lead back to: the one last opened. */
let lastArtKey: string | null = null;

function SignedInApp({ route }: { route: Route }) {
  const rights = useRights();
  const arts = useArts();
  const list = arts.data ?? [];
  const first = list[0];

  useEffect(() => {
    if (route.name === "home" && first) navigate(programPath(first.key), { replace: true });
  }, [route.name, first]);

  const current = list.find((a) => a.key === lastArtKey) ?? first ?? null;

  if (route.name === "account") {
    return (
      <Shell art={current} arts={list} route={route}>
        <AccountPage section={route.section} />
      </Shell>
    );
  }
  if (route.name === "admin-people" || route.name === "admin-audit") {
    return (
      <Shell art={current} arts={list} route={route}>
        {!rights.administers ? (
          <Message title="Not for your roles" text="Only administrators and Release Train Engineers see this page." />
        ) : route.name === "admin-people" ? (
          <AdminPeople arts={list} />
        ) : (
          <AdminAudit arts={list} />
        )}
      </Shell>
    );
  }
  if (arts.isLoading) return <div className="splash" aria-busy="true" />;
  if (arts.error) return <Unreachable message={arts.error.message} retry={() => void arts.refetch()} />;
  if (list.length === 0 || route.name === "setup") {
    if (rights.admin) {
      return (
        <Shell art={null} arts={list} route={route}>
          <FirstRun hasTrains={list.length > 0} />
        </Shell>
      );
    }
    return (
      <Shell art={current} arts={list} route={route}>
        {list.length === 0 ? (
          <NoRoleYet />
        ) : (
          <Message title="Not for your roles" text="Only administrators create trains." />
        )}
      </Shell>
    );
  }
  if (
    route.name === "program" ||
    route.name === "team" ||
    route.name === "wsjf" ||
    route.name === "feedback" ||
    route.name === "estimation" ||
    route.name === "estimation-session" ||
    route.name === "refine" ||
    route.name === "plan" ||
    route.name === "metrics" ||
    route.name === "pi"
  ) {
    const art = list.find((a) => a.key === route.art || a.id === route.art);
    if (!art) {
      return (
        <Shell art={current} arts={list} route={route}>
          <NotFound what={`There is no train ${route.art}, or you have no role on it.`} />
        </Shell>
      );
    }
    return <TrainScreen art={art} arts={list} view={trainViewOf(route)} />;
  }
  if (route.name === "not-found") {
    return (
      <Shell art={current} arts={list} route={route}>
        <NotFound what={`Nothing lives at ${route.path}.`} />
      </Shell>
    );
  }
  return <div className="splash" />;
}

function Shell({ art, arts, route, children }: { art: Art | null; arts: Art[]; route: Route; children: ReactNode }) {
  return (
    <div className="app">
      <TopBar art={art} arts={arts} route={route} />
      <div className="page-scroll">{children}</div>
    </div>
  );
}

/** What a train's screen shows beside the item panel: a backlog, or the WSJF grid of a program level. */
type TrainView =
  | { kind: "backlog"; scope: BacklogScope }
  | { kind: "wsjf"; level: ProgramLevel }
  | { kind: "feedback" }
  | { kind: "estimation" }
  | { kind: "estimation-session"; session: string }
  | { kind: "refine" }
  | { kind: "plan" }
  | { kind: "metrics" }
  | { kind: "pi"; tab: PiTab };

/** The screen a train's route names. */
function trainViewOf(route: Extract<Route, { art: string }>): TrainView {
  switch (route.name) {
    case "wsjf":
      return { kind: "wsjf", level: route.level };
    case "feedback":
      return { kind: "feedback" };
    case "estimation":
      return { kind: "estimation" };
    case "estimation-session":
      return { kind: "estimation-session", session: route.session };
    case "refine":
      return { kind: "refine" };
    case "plan":
      return { kind: "plan" };
    case "metrics":
      return { kind: "metrics" };
    case "pi":
      return { kind: "pi", tab: route.tab };
    case "program":
      return { kind: "backlog", scope: { kind: "program", level: route.level } };
    case "team":
      return { kind: "backlog", scope: { kind: "team", team: route.team } };
  }
}

function TrainScreen({ art, arts, view }: { art: Art; arts: Art[]; view: TrainView }) {
  const { pathname, search } = useLocation();
  const rights = useRights();
  const openKey = search.get("item");
  const live = useLiveUpdates(art.key);
  const route = useMemo(() => parseRoute(pathname), [pathname]);
  const scope: BacklogScope =
    view.kind === "backlog" ? view.scope : { kind: "program", level: view.kind === "wsjf" ? view.level : "feature" };
  const team = scope.kind === "team" ? art.teams.find((t) => t.key === scope.team || t.id === scope.team) : null;
  lastArtKey = art.key;

  useEffect(() => {
    if (view.kind !== "backlog") return;
    const where = scope.kind === "program" ? "Program backlog" : (team?.name ?? "Team backlog");
    document.title = `${openKey ? `${openKey} · ` : ""}${where} · ${art.name} · Trainyard`;
  }, [art.name, scope, team, openKey, view.kind]);

  const hidden = team && !rights.canSee(art.id, team.id);
  return (
    <div className="app">
      <TopBar art={art} arts={arts} route={route} live={live} />
      {scope.kind === "team" && (!team || hidden) ? (
        <NotFound what={`${art.name} has no team ${scope.team}, or you have no role on it.`} />
      ) : (
        <div className={`workspace ${openKey ? "has-panel" : ""}`}>
          {view.kind === "wsjf" ? (
            <PrioritizeView key={`${art.key}/wsjf/${view.level}`} art={art} level={view.level} />
          ) : view.kind === "feedback" ? (
            <FeedbackView key={`${art.key}/feedback`} art={art} />
          ) : view.kind === "estimation" ? (
            <EstimationSessionsView key={`${art.key}/estimation`} art={art} />
          ) : view.kind === "refine" ? (
            <RefineView key={`${art.key}/refine`} art={art} />
          ) : view.kind === "plan" ? (
            <PlanView key={`${art.key}/plan`} art={art} />
          ) : view.kind === "metrics" ? (
            <Suspense fallback={<div className="splash" aria-busy="true" />}>
              <MetricsView key={`${art.key}/metrics`} art={art} />
            </Suspense>
          ) : view.kind === "pi" ? (
            <PiScreen key={`${art.key}/pi`} art={art} tab={view.tab} />
          ) : view.kind === "estimation-session" ? (
            <EstimationSessionScreen key={`${art.key}/estimation/${view.session}`} art={art} sessionId={view.session} />
          ) : (
            <BacklogView
              key={`${art.key}/${scope.kind === "team" ? team?.key : scope.level}`}
              art={art}
              scope={team ? { kind: "team", team: team.key } : scope}
            />
          )}
          {openKey && <ItemPanel art={art} itemKey={openKey} onClose={() => setSearch({ item: null })} />}
        </div>
      )}
    </div>
  );
}

/** A signed-in person without any role: there is nothing they may see yet. */
function NoRoleYet() {
  const client = useQueryClient();
  useEffect(() => {
    document.title = "No train yet · Trainyard";
  }, []);
  return (
    <main className="message-page" data-testid="no-role">
      <h1>You have no role on any train yet</h1>
      <p>Ask an administrator (or your train's RTE) to give you a role; then your train's backlogs show here.</p>
      <button
        type="button"
        className="button"
        onClick={() => {
          void client.invalidateQueries({ queryKey: sessionKey });
          void client.invalidateQueries({ queryKey: queryKeys.arts });
        }}
      >
        Check again
      </button>
    </main>
  );
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <main className="message-page" data-testid="message-page">
      <h1>{title}</h1>
      <p>{text}</p>
      <a className="button" href="/" onClick={onLinkClick}>
        Go to the backlog
      </a>
    </main>
  );
}

function Unreachable({ message, retry }: { message: string; retry: () => void }) {
  return (
    <main className="message-page">
      <h1>Trainyard cannot reach its server</h1>
      <p>{message}</p>
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </main>
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
