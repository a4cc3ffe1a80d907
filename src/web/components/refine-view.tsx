// The Refine screen of an ART: the whole train's or one team's (`?team=`) backlog health, the quality list over the
// backlog — counts by rule (click one to filter, `?rule=`), then each story with its findings: the words that
// triggered them, why it matters and a fix, the story a link that opens it in the item panel — and, for a team, its
// refinement settings (quality rules, Definition of Ready, ready policy, capacity).
import { useEffect, useState } from "react";
import type { Highlight } from "../../core/story-quality";
import { QUALITY_RULES, RULE_INFO } from "../../core/story-quality";
import { type QualityReport, type QualityRule, useQualityReport } from "../lib/refine";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick, refinePath, setSearch, useLocation } from "../lib/router";
import type { Art, Team } from "../lib/types";
import { StateBadge } from "./badges";
import { HealthPanel } from "./health-panel";
import { TeamRefinementSettings } from "./team-refinement-settings";

/** How many stories the quality list shows before "Show more". */
const PAGE = 100;

export function RefineView({ art }: { art: Art }) {
  const { search } = useLocation();
  const rights = useRights();
  const teams = art.teams.filter((t) => rights.canSee(art.id, t.id));
  const teamRef = search.get("team");
  const team = teamRef ? (teams.find((t) => t.key === teamRef || t.id === teamRef) ?? null) : null;
  const ruleParam = search.get("rule");
  const rule = (QUALITY_RULES as readonly string[]).includes(ruleParam ?? "") ? (ruleParam as QualityRule) : null;

  useEffect(() => {
    document.title = `Refine${team ? ` ${team.name}` : ""} · ${art.name} · Trainyard`;
  }, [art.name, team]);

  return (
    <section className="backlog refine-screen" aria-labelledby="refine-title" data-testid="refine-screen">
      <header className="page-header">
        <div className="page-title">
          <h1 id="refine-title">Refine</h1>
        </div>
        <nav className="segmented" aria-label="Team" data-testid="refine-teams">
          <a
            href={refinePath(art.key)}
            onClick={onLinkClick}
            className={team ? "" : "is-active"}
            aria-current={team ? undefined : "page"}
            data-testid="refine-team-all"
          >
            Whole train
          </a>
          {teams.map((t) => (
            <a
              key={t.id}
              href={refinePath(art.key, t.key)}
              onClick={onLinkClick}
              className={team?.id === t.id ? "is-active" : ""}
              aria-current={team?.id === t.id ? "page" : undefined}
              data-testid={`refine-team-${t.key}`}
            >
              {t.name}
            </a>
          ))}
        </nav>
      </header>
      {teamRef && !team ? (
        <p className="notice notice-error" role="alert">
          {art.name} has no team {teamRef}, or you have no role on it.
        </p>
      ) : (
        <div className="refine-columns">
          <div className="refine-column">
            <HealthPanel art={art} team={team} />
            {team ? (
              <TeamRefinementSettings key={team.id} art={art} team={team} />
            ) : (
              <p className="hint refine-settings-hint">
                Pick a team to see and change its Definition of Ready, quality rules and capacity.
              </p>
            )}
          </div>
          <div className="refine-column refine-column-wide">
            <QualityList art={art} team={team} rule={rule} teams={teams} />
          </div>
        </div>
      )}
    </section>
  );
}

function QualityList({
  art,
  team,
  rule,
  teams,
}: {
  art: Art;
  team: Team | null;
  rule: QualityRule | null;
  teams: Team[];
}) {
  // The counts come from the whole list; the stories from the list of the rule picked (the same query without one).
  const all = useQualityReport(art.key, team?.key ?? null, null);
  const filtered = useQualityReport(art.key, team?.key ?? null, rule);
  const report = rule ? filtered : all;
  const [shown, setShown] = useState(PAGE);
  const stories = report.data?.stories ?? [];
  const byRule = all.data?.byRule ?? {};
  const teamName = new Map(teams.map((t) => [t.id, t.name]));

  return (
    <section className="refine-card quality-list" aria-labelledby="quality-title" data-testid="quality-list">
      <h2 id="quality-title" className="refine-card-title">
        Story quality
        {report.isFetching && !report.isLoading && <span className="spinner" title="Refreshing" />}
      </h2>
      {all.data && (
        <p className="hint" data-testid="quality-report-summary">
          {all.data.checked} {all.data.checked === 1 ? "story" : "stories"} checked; {all.data.stories.length} with
          findings.
        </p>
      )}
      <fieldset className="quality-rules" aria-label="Filter by rule">
        {QUALITY_RULES.filter((r) => (byRule[r] ?? 0) > 0 || r === rule).map((r) => (
          <button
            key={r}
            type="button"
            className={`quality-rule-chip quality-${RULE_INFO[r].severity} ${rule === r ? "is-on" : ""}`}
            aria-pressed={rule === r}
            title={RULE_INFO[r].why}
            onClick={() => setSearch({ rule: rule === r ? null : r })}
            data-testid="quality-rule-count"
            data-rule={r}
            data-count={byRule[r] ?? 0}
          >
            {RULE_INFO[r].label} <span className="count">{byRule[r] ?? 0}</span>
          </button>
        ))}
        {rule && (
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => setSearch({ rule: null })}
            data-testid="quality-rule-clear"
          >
            All rules
          </button>
        )}
      </fieldset>
      {report.isLoading && <p className="muted">Checking the stories…</p>}
      {report.isError && <p className="field-error">{report.error.message}</p>}
      {report.data && stories.length === 0 && (
        <p className="muted empty-line" data-testid="quality-empty">
          {rule
            ? `No story has a ${RULE_INFO[rule].label} finding.`
            : "No findings: every open story passes the checks."}
        </p>
      )}
      <ul className="quality-stories">
        {stories.slice(0, shown).map((s) => (
          <QualityStory key={s.id} story={s} team={team ? null : (teamName.get(s.teamId ?? "") ?? null)} />
        ))}
      </ul>
      {stories.length > shown && (
        <button type="button" className="button button-ghost" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, stories.length - shown)} more of {stories.length - shown}
        </button>
      )}
    </section>
  );
}

type ReportedStory = QualityReport["stories"][number];

function QualityStory({ story, team }: { story: ReportedStory; team: string | null }) {
  const titleMarks = story.findings.flatMap((f) => f.highlights.filter((h) => h.field === "title"));
  return (
    <li className="quality-story" data-testid="quality-story" data-key={story.key}>
      <div className="quality-story-head">
        <a className="ref-link" href={itemHref(story.key)} onClick={onLinkClick} data-testid="quality-story-link">
          <span className="key">{story.key}</span>
        </a>
        <span className="quality-story-title">
          <Marked text={story.title} marks={titleMarks} />
        </span>
        <span className="quality-story-meta">
          {team && <span className="team-chip">{team}</span>}
          <StateBadge state={story.state} />
          {story.points !== null && <span className="points">{story.points} pts</span>}
        </span>
      </div>
      <ul className="quality-findings">
        {story.findings.map((f) => (
          <li
            key={`${f.rule}:${f.message}`}
            className={`quality-finding quality-${f.severity}`}
            data-testid="quality-report-finding"
            data-rule={f.rule}
          >
            <span className={`quality-rule-chip quality-${f.severity}`}>{RULE_INFO[f.rule].label}</span>
            <span className="quality-message">
              {f.message}
              {f.words.length > 0 && (
                <span className="quality-words">
                  {" "}
                  {f.words.map((w, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the same word may be highlighted twice
                    <mark key={i}>{w}</mark>
                  ))}
                  {whereOutsideTitle(f.highlights)}
                </span>
              )}
            </span>
            {f.fix && <span className="quality-fix">Fix: {f.fix}</span>}
            <details className="quality-why">
              <summary>Why it matters</summary>
              {f.why}
            </details>
          </li>
        ))}
      </ul>
    </li>
  );
}

/** Where highlights outside the title are: "in the description", "in criterion 2". */
function whereOutsideTitle(highlights: readonly Highlight[]): string {
  const places = [
    ...new Set(
      highlights
        .filter((h) => h.field !== "title")
        .map((h) => (h.field === "description" ? "the description" : `criterion ${(h.index ?? 0) + 1}`)),
    ),
  ];
  return places.length === 0 ? "" : ` (in ${places.join(", ")})`;
}

/** Text with character ranges marked (overlapping ranges merged). */
export function Marked({ text, marks }: { text: string; marks: readonly { start: number; end: number }[] }) {
  const ranges = [...marks]
    .map((m) => ({ start: Math.max(0, m.start), end: Math.min(text.length, m.end) }))
    .filter((m) => m.end > m.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const parts: { text: string; marked: boolean; at: number }[] = [];
  let at = 0;
  for (const r of merged) {
    if (r.start > at) parts.push({ text: text.slice(at, r.start), marked: false, at });
    parts.push({ text: text.slice(r.start, r.end), marked: true, at: r.start });
    at = r.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false, at });
  return <>{parts.map((p) => (p.marked ? <mark key={p.at}>{p.text}</mark> : <span key={p.at}>{p.text}</span>))}</>;
}
