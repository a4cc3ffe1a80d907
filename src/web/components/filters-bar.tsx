// The filters above a backlog: team, state, type, label, PI and free text. They live in the URL (so a filtered view is
// a link) and the server applies them.
import { type RefObject, useEffect, useRef, useState } from "react";
import { ITEM_TYPES, type Level, statesOf } from "../../core/work-item";
import type { BacklogFilters } from "../lib/api";
import { stateLabel, TYPE_LABELS } from "../lib/format";
import type { BacklogScope } from "../lib/queries";
import { setSearch } from "../lib/router";
import type { Art } from "../lib/types";
import { SearchIcon } from "./icons";

export const FILTER_PARAMS = ["state", "type", "label", "team", "pi", "q"] as const;

export function readFilters(search: URLSearchParams, scope: BacklogScope): BacklogFilters {
  const filters: BacklogFilters = {};
  for (const name of FILTER_PARAMS) {
    const value = search.get(name);
    if (value && !(name === "team" && scope.kind === "team")) filters[name] = value;
  }
  return filters;
}

interface Props {
  art: Art;
  scope: BacklogScope;
  filters: BacklogFilters;
  labels: string[];
  /** Where the search box's element goes, so the "/" shortcut can focus it. */
  searchRef: RefObject<HTMLInputElement | null>;
}

export function FiltersBar({ art, scope, filters, labels, searchRef }: Props) {
  const level: Level = scope.kind === "team" ? "story" : scope.level;
  const [text, setText] = useState(filters.q ?? "");
  const typed = useRef(false);

  // The search box follows the URL (back/forward), except while the user is typing into it.
  useEffect(() => {
    if (!typed.current) setText(filters.q ?? "");
  }, [filters.q]);

  useEffect(() => {
    if (!typed.current) return;
    const timer = setTimeout(() => {
      typed.current = false;
      setSearch({ q: text.trim() || null }, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [text]);

  const set = (name: string, value: string | null) => setSearch({ [name]: value }, { replace: true });
  const active = Object.keys(filters).length > 0;

  return (
    <search className="filters" data-testid="filters">
      <label className="filter-search">
        <SearchIcon className="filter-search-icon" />
        <input
          ref={searchRef}
          type="search"
          placeholder="Filter by title or key   /"
          aria-label="Free text"
          data-testid="filter-q"
          value={text}
          onChange={(e) => {
            typed.current = true;
            setText(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              typed.current = true;
              setText("");
              e.currentTarget.blur();
            }
          }}
        />
      </label>
      {scope.kind === "program" && (
        <FilterSelect
          label="Team"
          testId="filter-team"
          value={filters.team}
          onChange={(v) => set("team", v)}
          options={art.teams.map((t) => ({ value: t.key, label: `${t.key} · ${t.name}` }))}
        />
      )}
      <MultiFilter
        label="State"
        testId="filter-state"
        value={filters.state}
        onChange={(v) => set("state", v)}
        options={statesOf(level).map((s) => ({ value: s, label: stateLabel(s) }))}
      />
      <MultiFilter
        label="Type"
        testId="filter-type"
        value={filters.type}
        onChange={(v) => set("type", v)}
        options={ITEM_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] ?? t }))}
      />
      <FilterSelect
        label="Label"
        testId="filter-label"
        value={filters.label}
        onChange={(v) => set("label", v)}
        options={[...new Set([...labels, ...(filters.label ? [filters.label] : [])])]
          .sort()
          .map((l) => ({ value: l, label: l }))}
      />
      <FilterSelect
        label="PI"
        testId="filter-pi"
        value={filters.pi}
        onChange={(v) => set("pi", v)}
        options={art.pis.map((p) => ({ value: p.name, label: p.name }))}
      />
      {active && (
        <button
          type="button"
          className="button-link"
          data-testid="filters-clear"
          onClick={() => {
            typed.current = false;
            setText("");
            setSearch(Object.fromEntries(FILTER_PARAMS.map((p) => [p, null])), { replace: true });
          }}
        >
          Clear filters
        </button>
      )}
    </search>
  );
}

interface Option {
  value: string;
  label: string;
}

function FilterSelect(props: {
  label: string;
  testId: string;
  value: string | undefined;
  options: Option[];
  onChange: (value: string | null) => void;
}) {
  return (
    <label className={`filter ${props.value ? "is-set" : ""}`}>
      <span className="filter-label">{props.label}</span>
      <select
        data-testid={props.testId}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value || null)}
      >
        <option value="">Any</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A filter of several values (comma-separated in the URL), as a dropdown of checkboxes. */
function MultiFilter(props: {
  label: string;
  testId: string;
  value: string | undefined;
  options: Option[];
  onChange: (value: string | null) => void;
}) {
  const chosen = new Set((props.value ?? "").split(",").filter(Boolean));
  const ref = useRef<HTMLDetailsElement>(null);

  // Close when clicking elsewhere or pressing Escape.
  useEffect(() => {
    const close = (e: Event) => {
      const el = ref.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !el.contains(e.target as Node)) el.open = false;
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, []);

  const toggle = (value: string) => {
    const next = new Set(chosen);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    // Keep the Kanban order in the URL.
    props.onChange(
      props.options
        .map((o) => o.value)
        .filter((v) => next.has(v))
        .join(",") || null,
    );
  };
  const summary =
    chosen.size === 0
      ? "Any"
      : chosen.size === 1
        ? (props.options.find((o) => chosen.has(o.value))?.label ?? "1")
        : `${chosen.size} selected`;

  return (
    <details ref={ref} className={`filter filter-multi ${chosen.size ? "is-set" : ""}`} data-testid={props.testId}>
      <summary>
        <span className="filter-label">{props.label}</span>
        <span className="filter-value">{summary}</span>
      </summary>
      <fieldset className="menu">
        <legend className="visually-hidden">{props.label}</legend>
        {props.options.map((o) => (
          <label key={o.value} className="menu-check">
            <input type="checkbox" checked={chosen.has(o.value)} onChange={() => toggle(o.value)} value={o.value} />
            {o.label}
          </label>
        ))}
        {chosen.size > 0 && (
          <button type="button" className="button-link menu-clear" onClick={() => props.onChange(null)}>
            Clear
          </button>
        )}
      </fieldset>
    </details>
  );
}
