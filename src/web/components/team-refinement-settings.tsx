// A team's refinement settings on the Refine screen: the quality rules switched on or off and their thresholds, the
// Definition of Ready (built-in conditions on or off, the team's own items added, renamed and removed), what moving an
// unready story to Ready does, the capacity per iteration and when items go stale. Saved whole with the version read
// (409: someone else saved first — reloaded); read-only for people without the right to configure refinement.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  READY_CONDITION_LABELS,
  READY_CONDITIONS,
  REFINEMENT_LIMITS,
  type ReadyCondition,
  type ReadyPolicy,
  type RefinementSettings,
} from "../../core/readiness";
import { QUALITY_RULES, type QualityRule, RULE_INFO } from "../../core/story-quality";
import { ApiError, request } from "../lib/api";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import { showToast } from "../lib/toasts";
import type { Art, Team } from "../lib/types";

interface TeamRefinement {
  teamId: string;
  settings: RefinementSettings;
  version: number;
}

/** The form's values: numbers as typed; manual items keep their ids (a new one gets its id from the server). */
interface Draft {
  disabled: QualityRule[];
  smallMaxPoints: string;
  velocityShare: string;
  duplicateSimilarity: string;
  conditions: ReadyCondition[];
  manual: { uid: number; id: string | null; label: string }[];
  readyPolicy: ReadyPolicy;
  capacityPerIteration: string;
  staleAfterDays: string;
}

let nextUid = 1;

function draftOf(s: RefinementSettings): Draft {
  return {
    disabled: [...s.quality.disabled],
    smallMaxPoints: String(s.quality.smallMaxPoints),
    velocityShare: String(s.quality.velocityShare),
    duplicateSimilarity: String(s.quality.duplicateSimilarity),
    conditions: [...s.definitionOfReady.conditions],
    manual: s.definitionOfReady.manual.map((m) => ({ uid: nextUid++, id: m.id, label: m.label })),
    readyPolicy: s.readyPolicy,
    capacityPerIteration: s.capacityPerIteration === null ? "" : String(s.capacityPerIteration),
    staleAfterDays: String(s.staleAfterDays),
  };
}

const NUMBER_FIELDS = {
  smallMaxPoints: "settings.quality.smallMaxPoints",
  velocityShare: "settings.quality.velocityShare",
  duplicateSimilarity: "settings.quality.duplicateSimilarity",
  capacityPerIteration: "settings.capacityPerIteration",
  staleAfterDays: "settings.staleAfterDays",
} as const;
type NumberField = keyof typeof NUMBER_FIELDS;

/** The settings to send, or the fields that are not numbers. */
function settingsOf(d: Draft): { settings: unknown } | { problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  const number = (field: NumberField, optional = false): number | null => {
    const text = d[field].trim();
    if (optional && text === "") return null;
    const n = Number(text);
    if (text === "" || !Number.isFinite(n)) problems.push({ path: NUMBER_FIELDS[field], message: "a number" });
    return n;
  };
  const settings = {
    quality: {
      disabled: d.disabled,
      smallMaxPoints: number("smallMaxPoints"),
      velocityShare: number("velocityShare"),
      duplicateSimilarity: number("duplicateSimilarity"),
    },
    definitionOfReady: {
      conditions: READY_CONDITIONS.filter((c) => d.conditions.includes(c)),
      manual: d.manual.map((m) => (m.id ? { id: m.id, label: m.label } : { label: m.label })),
    },
    readyPolicy: d.readyPolicy,
    capacityPerIteration: number("capacityPerIteration", true),
    staleAfterDays: number("staleAfterDays"),
  };
  return problems.length > 0 ? { problems } : { settings };
}

const enc = encodeURIComponent;

export function TeamRefinementSettings({ art, team }: { art: Art; team: Team }) {
  const client = useQueryClient();
  const rights = useRights();
  const key = ["backlog", art.key, "refinement-settings", team.id] as const;
  const stored = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      request<TeamRefinement>(`/arts/${enc(art.key)}/teams/${enc(team.key)}/refinement`, { signal }),
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [version, setVersion] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [forbidden, setForbidden] = useState(false);
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [notice, setNotice] = useState<{ tone: "error" | "warn" | "ok"; text: string } | null>(null);
  const editable = rights.can("configure_refinement", art.id, team.id) && !forbidden;

  // Take the stored settings while the person has not changed anything (or after a reload).
  useEffect(() => {
    if (!stored.data || dirty) return;
    setDraft(draftOf(stored.data.settings));
    setVersion(stored.data.version);
  }, [stored.data, dirty]);

  const change = (update: (d: Draft) => Draft) => {
    setDraft((d) => d && update(d));
    setDirty(true);
    setNotice((n) => (n?.tone === "ok" ? null : n));
  };
  const at = (path: string) => errors.find((e) => e.path === path)?.message;

  const save = async () => {
    if (!draft) return;
    const built = settingsOf(draft);
    if ("problems" in built) {
      setErrors(built.problems);
      return;
    }
    setSaving(true);
    setErrors([]);
    setNotice(null);
    try {
      const saved = await request<TeamRefinement>(`/arts/${enc(art.key)}/teams/${enc(team.key)}/refinement`, {
        method: "PUT",
        body: { settings: built.settings, version },
      });
      client.setQueryData(key, saved);
      setDraft(draftOf(saved.settings));
      setVersion(saved.version);
      setDirty(false);
      setNotice({ tone: "ok", text: "Saved." });
      showToast(`${team.name}'s refinement settings saved`, "success");
      // The health check, the quality list and the item panel's readiness follow the settings.
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
      void client.invalidateQueries({ queryKey: queryKeys.items });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setNotice({
          tone: "warn",
          text: `Someone else changed ${team.name}'s settings since you opened them. They are reloaded: make your change again.`,
        });
        setDirty(false);
        void stored.refetch();
      } else if (err instanceof ApiError && err.status === 403) {
        setForbidden(true);
        setDirty(false);
        setNotice({ tone: "error", text: err.message });
      } else if (err instanceof ApiError && err.errors.length > 0) {
        setErrors(err.errors);
        setNotice({ tone: "error", text: err.message });
      } else {
        setNotice({ tone: "error", text: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      setSaving(false);
    }
  };

  const numberField = (field: NumberField, label: string, hint: string, props: { step?: string } = {}) => {
    const error = at(NUMBER_FIELDS[field]);
    return (
      <label className="form-field refine-number">
        <span>{label}</span>
        <input
          className={`input input-number ${error ? "has-error" : ""}`}
          type="number"
          step={props.step ?? "1"}
          value={draft?.[field] ?? ""}
          disabled={!editable}
          aria-invalid={error ? true : undefined}
          onChange={(e) => change((d) => ({ ...d, [field]: e.target.value }))}
          data-testid={`refinement-${field}`}
        />
        {error ? <span className="field-error">{error}</span> : <span className="hint">{hint}</span>}
      </label>
    );
  };

  return (
    <section
      className="refine-card refinement-settings"
      aria-labelledby="refinement-title"
      data-testid="refinement-settings"
      data-editable={editable}
    >
      <h2 id="refinement-title" className="refine-card-title">
        {team.name}'s refinement settings
        {!editable && (
          <span className="read-only-badge" data-testid="refinement-read-only">
            Read-only
          </span>
        )}
      </h2>
      {!editable && !forbidden && (
        <p className="hint">Changing them is for the team's Product Owner and the train's RTE or Product Management.</p>
      )}
      {stored.isLoading && <p className="muted">Loading the settings…</p>}
      {stored.isError && <p className="field-error">{stored.error.message}</p>}
      {notice && (
        <p
          className={`notice notice-${notice.tone} refine-notice`}
          role={notice.tone === "ok" ? "status" : "alert"}
          data-testid={`refinement-${notice.tone === "warn" ? "conflict" : notice.tone === "ok" ? "saved" : "error"}`}
        >
          {notice.text}
        </p>
      )}
      {draft && (
        <>
          <fieldset className="refine-fieldset" disabled={!editable}>
            <legend>Definition of Ready</legend>
            <ul className="refine-checks">
              {READY_CONDITIONS.map((c) => (
                <li key={c}>
                  <label className="check-field">
                    <input
                      type="checkbox"
                      className="refine-check-input"
                      checked={draft.conditions.includes(c)}
                      onChange={(e) =>
                        change((d) => ({
                          ...d,
                          conditions: e.target.checked ? [...d.conditions, c] : d.conditions.filter((x) => x !== c),
                        }))
                      }
                      data-testid="refinement-condition"
                      data-condition={c}
                    />
                    {READY_CONDITION_LABELS[c]}
                  </label>
                </li>
              ))}
            </ul>
            <h3 className="section-title">The team's own items, ticked on each story</h3>
            {draft.manual.length === 0 && <p className="muted empty-line">None yet.</p>}
            <ul className="refine-manual">
              {draft.manual.map((m, i) => {
                const error =
                  at(`settings.definitionOfReady.manual.${i}.label`) ?? at(`settings.definitionOfReady.manual.${i}.id`);
                return (
                  <li key={m.uid} className="refine-manual-item" data-testid="refinement-manual-item">
                    <input
                      className={`input refine-manual-label ${error ? "has-error" : ""}`}
                      value={m.label}
                      maxLength={REFINEMENT_LIMITS.manualLabel}
                      aria-label={`Item ${i + 1} of the Definition of Ready`}
                      aria-invalid={error ? true : undefined}
                      onChange={(e) =>
                        change((d) => ({
                          ...d,
                          manual: d.manual.map((x) => (x.uid === m.uid ? { ...x, label: e.target.value } : x)),
                        }))
                      }
                      data-testid="refinement-manual-label"
                    />
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      onClick={() => change((d) => ({ ...d, manual: d.manual.filter((x) => x.uid !== m.uid) }))}
                      data-testid="refinement-manual-remove"
                    >
                      Remove
                    </button>
                    {error && <span className="field-error refine-manual-error">{error}</span>}
                  </li>
                );
              })}
            </ul>
            {editable && (
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={draft.manual.length >= REFINEMENT_LIMITS.manualItems}
                onClick={() =>
                  change((d) => ({ ...d, manual: [...d.manual, { uid: nextUid++, id: null, label: "" }] }))
                }
                data-testid="refinement-manual-add"
              >
                + Add an item
              </button>
            )}
            <div className="refine-policy" role="radiogroup" aria-label="Moving a story that is not ready to Ready">
              <span className="refine-policy-label">Moving a story that is not ready to Ready</span>
              {(["warn", "refuse"] as const).map((p) => (
                <label key={p} className="check-field">
                  <input
                    type="radio"
                    name={`ready-policy-${team.id}`}
                    checked={draft.readyPolicy === p}
                    onChange={() => change((d) => ({ ...d, readyPolicy: p }))}
                    data-testid={`refinement-policy-${p}`}
                  />
                  {p === "warn" ? "Warn, then allow it" : "Refuse it"}
                </label>
              ))}
              {at("settings.readyPolicy") && <span className="field-error">{at("settings.readyPolicy")}</span>}
            </div>
          </fieldset>

          <fieldset className="refine-fieldset" disabled={!editable}>
            <legend>Quality rules</legend>
            <ul className="refine-checks refine-rules">
              {QUALITY_RULES.map((r) => (
                <li key={r}>
                  <label className="check-field" title={RULE_INFO[r].why}>
                    <input
                      type="checkbox"
                      className="refine-check-input"
                      checked={!draft.disabled.includes(r)}
                      onChange={(e) =>
                        change((d) => ({
                          ...d,
                          disabled: e.target.checked ? d.disabled.filter((x) => x !== r) : [...d.disabled, r],
                        }))
                      }
                      data-testid="refinement-rule"
                      data-rule={r}
                    />
                    {RULE_INFO[r].label} <span className="muted">{RULE_INFO[r].group}</span>
                  </label>
                </li>
              ))}
            </ul>
            {at("settings.quality.disabled") && <p className="field-error">{at("settings.quality.disabled")}</p>}
            <div className="refine-numbers">
              {numberField("smallMaxPoints", "Small: at most", "points in one story")}
              {numberField("velocityShare", "Small: at most this share of velocity", "0–1 (SAFe: 0.5)", {
                step: "0.05",
              })}
              {numberField("duplicateSimilarity", "Near-duplicates from", "word similarity 0–1", { step: "0.05" })}
            </div>
          </fieldset>

          <fieldset className="refine-fieldset" disabled={!editable}>
            <legend>Backlog health</legend>
            <div className="refine-numbers">
              {numberField(
                "capacityPerIteration",
                "Capacity per iteration",
                "points; used while the team has no velocity (empty: none)",
              )}
              {numberField("staleAfterDays", "Stale after", "days without a change")}
            </div>
          </fieldset>

          {editable && (
            <div className="refine-actions">
              <span className="muted">{dirty ? "Unsaved changes" : `Version ${version}`}</span>
              <button
                type="button"
                className="button"
                disabled={!dirty || saving}
                onClick={() => {
                  setDirty(false);
                  setErrors([]);
                  if (stored.data) setDraft(draftOf(stored.data.settings));
                }}
              >
                Discard
              </button>
              <button
                type="button"
                className="button button-primary"
                disabled={!dirty || saving}
                onClick={() => void save()}
                data-testid="refinement-save"
              >
                {saving ? "Saving…" : "Save settings"}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
