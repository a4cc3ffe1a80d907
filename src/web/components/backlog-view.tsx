// A backlog screen: the program backlog (epics, capabilities or features) or a team backlog (stories) — its header,
// filters, the ranked list and the inline create row; a team backlog also shows its drift from program priorities.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type RefObject, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { LIMITS } from "../../core/work-item";
import { ApiError, api, type BacklogFilters } from "../lib/api";
import { LEVEL_LABELS } from "../lib/format";
import { moveRow } from "../lib/move-queue";
import { type BacklogScope, queryKeys, useBacklog } from "../lib/queries";
import type { MoveTarget } from "../lib/reorder";
import { useRights } from "../lib/rights";
import { LEVEL_SEGMENTS, onLinkClick, type ProgramLevel, programPath, setSearch, useLocation } from "../lib/router";
import { showToast } from "../lib/toasts";
import type { Art, BacklogRow } from "../lib/types";
import { BacklogList } from "./backlog-list";
import { FiltersBar, readFilters } from "./filters-bar";
import { PlusIcon } from "./icons";
import { TeamDrift } from "./team-alignment";

const NO_ROWS: BacklogRow[] = [];

export function BacklogView({ art, scope }: { art: Art; scope: BacklogScope }) {
  const { search } = useLocation();
  const searchString = search.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters change exactly when the query string does
  const filters = useMemo(() => readFilters(search, scope), [searchString, scope]);
  const openKey = search.get("item");
  const client = useQueryClient();
  const backlog = useBacklog(art.key, scope, filters);
  const rows = backlog.data?.items ?? NO_ROWS;
  const rights = useRights();
  const teamId = scope.kind === "team" ? art.teams.find((t) => t.key === scope.team || t.id === scope.team)?.id : null;
  // What this person may do here (the server decides; this only spares them controls it would refuse).
  const mayRank = rights.can(scope.kind === "program" ? "rank_program" : "rank_stories", art.id, teamId ?? null);
  const mayCreate = rights.can(scope.kind === "program" ? "edit_program" : "edit_story", art.id, teamId ?? null);

  const [selectedKey, setSelectedKey] = useState<string | null>(openKey);
  const [reveal, setReveal] = useState<{ key: string; at: number } | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const createRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (openKey) setSelectedKey(openKey);
  }, [openKey]);

  // Moves go to the list the user sees now, whatever filters it has.
  const queryKey = queryKeys.backlog(art.key, scope, filters);
  const queryKeyRef = useRef(queryKey);
  queryKeyRef.current = queryKey;
  const onMove = useCallback(
    (key: string, target: MoveTarget) => moveRow(client, art.key, queryKeyRef.current, key, target),
    [client, art.key],
  );
  const onOpen = useCallback((key: string) => {
    setSelectedKey(key);
    setSearch({ item: key });
  }, []);

  // Shortcuts outside text fields: "/" filters, "c" creates.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || target?.closest("input, textarea, select, [contenteditable]")) return;
      if (e.key === "/") {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === "c" && createRef.current) {
        e.preventDefault();
        createRef.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const level = scope.kind === "program" ? scope.level : "story";
  const noun = LEVEL_LABELS[level].toLowerCase();
  const plural = level === "capability" ? "capabilities" : level === "story" ? "stories" : `${noun}s`;
  const team = scope.kind === "team" ? art.teams.find((t) => t.key === scope.team || t.id === scope.team) : undefined;
  const points = rows.reduce((sum, r) => sum + (scope.kind === "team" ? (r.points ?? 0) : r.childPoints), 0);
  const labels = useMemo(() => [...new Set(rows.flatMap((r) => r.labels))], [rows]);
  const filtered = Object.keys(filters).length > 0;

  const onCreated = async (key: string) => {
    await client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
    const list = client.getQueryData<{ items: BacklogRow[] }>(queryKeyRef.current);
    if (list?.items.some((r) => r.key === key)) {
      setSelectedKey(key);
      setReveal({ key, at: Date.now() });
    } else {
      showToast(`${key} was created; the filters hide it.`);
    }
  };

  return (
    <section className="backlog" aria-labelledby="backlog-title">
      <header className="page-header">
        <div className="page-title">
          <h1 id="backlog-title" data-testid="backlog-title">
            {scope.kind === "program" ? "Program backlog" : (team?.name ?? scope.team)}
            {scope.kind === "team" && <span className="page-title-key">{team?.key}</span>}
          </h1>
          {scope.kind === "program" && <LevelSwitch art={art} level={scope.level} />}
        </div>
        <div className="page-meta" data-testid="backlog-count">
          {backlog.isFetching && !backlog.isLoading && <span className="spinner" title="Refreshing" />}
          <span>
            {rows.length} {rows.length === 1 ? noun : plural}
            {filtered && " matching"}
          </span>
          <span className="dot-sep">{points} pts</span>
          {team && <TeamDrift art={art} team={team} mayAlign={mayRank} />}
        </div>
        {mayCreate ? (
          <button type="button" className="button button-primary" onClick={() => createRef.current?.focus()}>
            <PlusIcon /> New {noun}
          </button>
        ) : (
          <span className="read-only-badge" title="Your roles let you read this backlog" data-testid="read-only">
            Read only
          </span>
        )}
      </header>
      <FiltersBar art={art} scope={scope} filters={filters} labels={labels} searchRef={searchRef} />
      {backlog.error ? (
        <div className="notice notice-error" role="alert">
          Could not load the backlog: {backlog.error.message}
        </div>
      ) : backlog.isLoading ? (
        <div className="grid grid-loading" aria-busy="true">
          {Array.from({ length: 12 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
            <div key={i} className="skeleton-row" />
          ))}
        </div>
      ) : (
        <BacklogList
          art={art}
          scope={scope}
          rows={rows}
          selectedKey={selectedKey}
          openKey={openKey}
          onSelect={setSelectedKey}
          onOpen={onOpen}
          onMove={mayRank ? onMove : undefined}
          reveal={reveal}
          gridRef={gridRef}
          empty={
            filtered ? (
              <>No {plural} match these filters.</>
            ) : mayCreate ? (
              <>
                The backlog is empty. Add the first {noun} below, or press <kbd>c</kbd>.
              </>
            ) : (
              <>The backlog is empty.</>
            )
          }
        />
      )}
      {mayCreate && (
        <CreateRow art={art} scope={scope} filters={filters} inputRef={createRef} noun={noun} onCreated={onCreated} />
      )}
      <footer className="backlog-help">
        <kbd>↑</kbd>
        <kbd>↓</kbd> select · <kbd>Enter</kbd> open
        {mayRank && (
          <>
            {" "}
            · <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> move · <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd>{" "}
            top/bottom
          </>
        )}{" "}
        · <kbd>/</kbd> filter
        {mayCreate && (
          <>
            {" "}
            · <kbd>c</kbd> new
          </>
        )}
      </footer>
    </section>
  );
}

function LevelSwitch({ art, level }: { art: Art; level: ProgramLevel }) {
  const levels: ProgramLevel[] = ["epic", "capability", "feature"];
  return (
    <nav className="segmented" aria-label="Level" data-testid="level-switch">
      {levels.map((l) => (
        <a
          key={l}
          href={programPath(art.key, l)}
          onClick={onLinkClick}
          className={l === level ? "is-active" : ""}
          aria-current={l === level ? "page" : undefined}
          data-testid={`level-${LEVEL_SEGMENTS[l]}`}
        >
          {LEVEL_SEGMENTS[l][0]?.toUpperCase()}
          {LEVEL_SEGMENTS[l].slice(1)}
        </a>
      ))}
    </nav>
  );
}

interface CreateRowProps {
  art: Art;
  scope: BacklogScope;
  filters: BacklogFilters;
  noun: string;
  inputRef: RefObject<HTMLInputElement | null>;
  onCreated: (key: string) => Promise<void>;
}

/** Type a title, press Enter: a new item at the bottom of this backlog (in the filtered team, when one is chosen). */
function CreateRow({ art, scope, filters, noun, inputRef, onCreated }: CreateRowProps) {
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = title.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    try {
      const input: Record<string, unknown> =
        scope.kind === "team"
          ? { art: art.key, level: "story", title: text, teamId: scope.team }
          : {
              art: art.key,
              level: scope.level,
              title: text,
              ...(filters.team && scope.level === "feature" ? { teamIds: [filters.team] } : {}),
            };
      const item = await api.createItem(input);
      setTitle("");
      await onCreated(item.key);
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage("title") ?? err.message) : String(err));
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  };

  return (
    <form className="create-row" onSubmit={submit} data-testid="create-row">
      <PlusIcon className="create-row-icon" />
      <input
        ref={inputRef}
        value={title}
        maxLength={LIMITS.title}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            setTitle("");
            e.currentTarget.blur();
          }
        }}
        placeholder={`New ${noun}: type a title and press Enter`}
        aria-label={`New ${noun} title`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "create-error" : undefined}
        data-testid="create-input"
        readOnly={busy}
      />
      {error && (
        <span id="create-error" className="field-error" data-testid="create-error">
          {error}
        </span>
      )}
    </form>
  );
}
