// Audit: the access trail (sign-ins and failures, account, role and token events, newest first, by kind, page by
// page) and the backlog changes of a train with their authors (the ART's history).
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { api } from "../lib/api";
import { FIELD_LABELS, formatDateTime, formatRelative, formatValue, type Names, personName } from "../lib/format";
import { usePeopleById } from "../lib/queries";
import { ROLE_LABELS, type Role } from "../lib/rights";
import { onLinkClick, setSearch, useLocation } from "../lib/router";
import { type Art, AUDIT_KINDS, type AuditEntry, type AuditKind, type HistoryPage } from "../lib/types";

export const AUDIT_LABELS: Record<AuditKind, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Sign-in failed",
  sign_out: "Signed out",
  password_changed: "Changed their password",
  password_set: "Set a password with a link",
  password_reset_issued: "Password reset link made",
  account_created: "Account created",
  account_invited: "Invited",
  account_deactivated: "Account deactivated",
  account_reactivated: "Account reactivated",
  admin_granted: "Made administrator",
  admin_revoked: "No longer administrator",
  role_granted: "Role granted",
  role_revoked: "Role revoked",
  token_created: "API token made",
  token_revoked: "API token revoked",
  token_used: "API token used",
};

type Tab = "access" | "changes";

export function AdminAudit({ arts }: { arts: Art[] }) {
  const { search } = useLocation();
  const tab: Tab = search.get("tab") === "changes" ? "changes" : "access";
  useEffect(() => {
    document.title = `${tab === "access" ? "Audit" : "Backlog changes"} · Trainyard`;
  }, [tab]);
  return (
    <main className="admin-page" data-testid="audit-page">
      <header className="admin-header">
        <h1>Audit</h1>
        <p className="muted">Who signed in, and who changed accounts, roles, tokens and backlogs.</p>
      </header>
      <div className="tabs" role="tablist" aria-label="Audit">
        <a
          role="tab"
          href="/admin/audit"
          aria-selected={tab === "access"}
          className={tab === "access" ? "is-active" : ""}
          onClick={onLinkClick}
          data-testid="tab-access"
        >
          Access trail
        </a>
        <a
          role="tab"
          href="/admin/audit?tab=changes"
          aria-selected={tab === "changes"}
          className={tab === "changes" ? "is-active" : ""}
          onClick={onLinkClick}
          data-testid="tab-changes"
        >
          Backlog changes
        </a>
      </div>
      {tab === "access" ? <AccessTrail arts={arts} /> : <BacklogChanges arts={arts} />}
    </main>
  );
}

function AccessTrail({ arts }: { arts: Art[] }) {
  const { search } = useLocation();
  const kindParam = search.get("kind");
  const kind = AUDIT_KINDS.find((k) => k === kindParam);
  const trail = useInfiniteQuery({
    queryKey: ["audit", kind ?? "all"],
    queryFn: ({ pageParam }) => api.audit({ kind, cursor: pageParam, limit: 100 }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = trail.data?.pages.flatMap((p) => p.entries) ?? [];

  return (
    <section data-testid="access-trail">
      <div className="admin-toolbar">
        <label className="filter">
          <span className="filter-label">Kind</span>
          <select
            value={kind ?? ""}
            onChange={(e) => setSearch({ kind: e.target.value || null }, { replace: true })}
            data-testid="audit-kind"
          >
            <option value="">Any</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {AUDIT_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {trail.isFetching && <span className="spinner" title="Loading" />}
      </div>
      {trail.error ? (
        <p className="notice notice-error" role="alert">
          Could not load the audit trail: {trail.error.message}
        </p>
      ) : entries.length === 0 ? (
        <p className="muted empty-line">{trail.isLoading ? "Loading…" : "Nothing recorded."}</p>
      ) : (
        <table className="data-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Who</th>
              <th scope="col">Whose account</th>
              <th scope="col">Address</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-kind={e.kind}>
                <td title={formatDateTime(e.at)}>{formatDateTime(e.at)}</td>
                <td>{AUDIT_LABELS[e.kind] ?? e.kind}</td>
                <td data-testid="audit-actor">{e.actor?.name ?? <span className="muted">—</span>}</td>
                <td data-testid="audit-subject">{e.subject?.name ?? <span className="muted">—</span>}</td>
                <td className="mono">{e.ip ?? <span className="muted">—</span>}</td>
                <td className="audit-detail" data-testid="audit-detail">
                  {describeDetail(e, arts)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {trail.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          disabled={trail.isFetchingNextPage}
          onClick={() => void trail.fetchNextPage()}
          data-testid="audit-more"
        >
          {trail.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}

/** An entry's detail as one line of text: a role where it is held, otherwise its fields. */
function describeDetail(e: AuditEntry, arts: Art[]): string {
  const { role, teamId, tokenId: _tokenId, ...rest } = e.detail;
  const parts: string[] = [];
  const art = arts.find((a) => a.id === e.artId);
  if (typeof role === "string") {
    const team = typeof teamId === "string" ? art?.teams.find((t) => t.id === teamId) : undefined;
    const where = teamId ? `team ${team?.name ?? "?"}` : (art?.name ?? "a train");
    parts.push(`${ROLE_LABELS[role as Role] ?? role} on ${where}`);
  } else if (art) {
    parts.push(art.name);
  }
  for (const [k, v] of Object.entries(rest)) {
    if (v === null || v === undefined || v === false) continue;
    parts.push(v === true ? k : `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  return parts.join(" · ");
}

const PERIODS = [
  { days: 1, label: "Last 24 hours" },
  { days: 7, label: "Last 7 days" },
  { days: 30, label: "Last 30 days" },
  { days: 90, label: "Last 90 days" },
  { days: 365, label: "Last year" },
];
/** The most events one view reads (ten pages); a busier period asks for a shorter one. */
const MOST_PAGES = 10;
const SHOW_STEP = 200;

type Event = HistoryPage["items"][number];

/** Every event of an ART (or one team) since `from`, oldest first, page after page; `complete` false when capped. */
async function readHistory(art: string, team: string | undefined, from: string) {
  const events: Event[] = [];
  let cursor: number | undefined;
  for (let page = 0; page < MOST_PAGES; page++) {
    const result = await api.artHistory(art, { team, from, cursor });
    events.push(...result.items);
    if (result.nextCursor === null) return { events, complete: true };
    cursor = result.nextCursor;
  }
  return { events, complete: false };
}

function BacklogChanges({ arts }: { arts: Art[] }) {
  // The first train until one is chosen (the trains may still be loading on the first render).
  const [chosenArt, setArtId] = useState<string | null>(null);
  const artId = chosenArt ?? arts[0]?.id ?? "";
  const [team, setTeam] = useState("");
  const [days, setDays] = useState(30);
  const [shown, setShown] = useState(SHOW_STEP);
  const art = arts.find((a) => a.id === artId);
  const people = usePeopleById();
  // The start of the period, to the minute, so the query key stays put while the page is open.
  const from = useMemo(
    () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - days * 86_400_000).toISOString(),
    [days],
  );
  const history = useQuery({
    queryKey: ["art-history", artId, team, from],
    queryFn: () => readHistory(artId, team || undefined, from),
    enabled: Boolean(artId),
  });

  const events = useMemo(() => [...(history.data?.events ?? [])].reverse(), [history.data]);
  const names: Names = useMemo(() => {
    const items = new Map<string, string>();
    for (const e of events) items.set(e.itemId, e.itemKey);
    return { art, people, items };
  }, [art, people, events]);

  if (arts.length === 0) return <p className="muted empty-line">There is no train yet.</p>;
  return (
    <section data-testid="backlog-changes">
      <div className="admin-toolbar">
        <label className="filter">
          <span className="filter-label">Train</span>
          <select
            value={artId}
            onChange={(e) => {
              setArtId(e.target.value);
              setTeam("");
              setShown(SHOW_STEP);
            }}
            data-testid="changes-art"
          >
            {arts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.key})
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Team</span>
          <select value={team} onChange={(e) => setTeam(e.target.value)} data-testid="changes-team">
            <option value="">Any</option>
            {(art?.teams ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Period</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="changes-period">
            {PERIODS.map((p) => (
              <option key={p.days} value={p.days}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {history.isFetching && <span className="spinner" title="Loading" />}
        {history.data && (
          <span className="muted">
            {events.length} change{events.length === 1 ? "" : "s"}
          </span>
        )}
      </div>
      {history.data && !history.data.complete && (
        <p className="notice notice-warn">
          This period has more changes than one view reads; these are its earliest. Choose a shorter period or a team.
        </p>
      )}
      {history.error ? (
        <p className="notice notice-error" role="alert">
          Could not load the changes: {history.error.message}
        </p>
      ) : events.length === 0 ? (
        <p className="muted empty-line">{history.isLoading ? "Loading…" : "No changes in this period."}</p>
      ) : (
        <table className="data-table changes-table" data-testid="changes-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Item</th>
              <th scope="col">What</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {events.slice(0, shown).map((e) => (
              <tr key={e.id} data-testid="change-row">
                <td title={formatDateTime(e.at)}>{formatRelative(e.at)}</td>
                <td data-testid="change-author">{e.actorId ? personName(people, e.actorId) : "—"}</td>
                <td className="mono">{e.itemKey}</td>
                <td>{describeKind(e)}</td>
                <td className="change-values" data-testid="change-values">
                  {describeChange(e, names)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.length > shown && (
        <button
          type="button"
          className="button load-more"
          onClick={() => setShown((n) => n + SHOW_STEP)}
          data-testid="changes-more"
        >
          Show older changes
        </button>
      )}
    </section>
  );
}

function describeKind(e: Event): string {
  switch (e.kind) {
    case "created":
      return "Created";
    case "moved":
      return "Ranked";
    case "commented":
      return "Commented";
    case "related":
      return "Linked";
    case "unrelated":
      return "Unlinked";
    default:
      return FIELD_LABELS[(e.field ?? "") as keyof typeof FIELD_LABELS] ?? e.field ?? e.kind;
  }
}

function describeChange(e: Event, names: Names): string {
  if (e.kind === "related" || e.kind === "unrelated") {
    const v = (e.newValue ?? e.oldValue ?? {}) as { kind?: string; from?: string; to?: string };
    return `${v.from ?? ""} ${v.kind?.replace("_", " ") ?? "relates to"} ${v.to ?? ""}`.trim();
  }
  if (e.kind !== "updated" || !e.field) return "";
  return `${formatValue(e.field, e.oldValue, names)} → ${formatValue(e.field, e.newValue, names)}`;
}
