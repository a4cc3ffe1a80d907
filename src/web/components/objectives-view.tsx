// PI objectives of one PI: per team (and the train's own), committed or uncommitted, with the features they link, the
// planned business value 1–10 the Business Owners give and the actual value at the end, and the ART predictability
// measure per team and for the train with its band. Values are for those with score_business_value; the rest for
// those who plan the team's PI. Every edit names the version it was made on; a stale one (409) is refreshed.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api } from "../lib/api";
import {
  BAND_LABELS,
  boardApi,
  boardKeys,
  type Objective,
  type ObjectiveInput,
  type ObjectivesView as ObjectivesData,
  type Predictability,
  useObjectives,
} from "../lib/board";
import { useRights } from "../lib/rights";
import { itemHref, onLinkClick } from "../lib/router";
import type { Art, ProgramIncrement } from "../lib/types";
import { runVersionedChange } from "../lib/versioned-change";

const VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export function ObjectivesView({ art, pi }: { art: Art; pi: ProgramIncrement }) {
  const rights = useRights();
  const view = useObjectives(art.key, pi.id);
  const teams = art.teams.filter((t) => rights.canSee(art.id, t.id));
  const features = useQuery({
    queryKey: ["backlog", art.key, "pi", "features", pi.id],
    queryFn: ({ signal }) => api.programBacklog(art.key, "feature", { pi: pi.id }, signal),
    staleTime: 30_000,
  });
  const piFeatures = (features.data?.items ?? []).map((f) => ({ id: f.id, key: f.key, title: f.title }));
  const objectives = view.data?.objectives ?? [];
  const scopes: { id: string | null; name: string }[] = [
    ...teams.map((t) => ({ id: t.id as string | null, name: t.name })),
    { id: null, name: `${art.name} (train)` },
  ];

  return (
    <div className="pi-body objectives" data-testid="objectives">
      {view.isLoading && <p className="muted">Loading the objectives…</p>}
      {view.isError && (
        <p className="notice notice-error" role="alert">
          {view.error.message}
        </p>
      )}
      {view.data && (
        <section
          className="refine-card predictability"
          aria-labelledby="predictability-title"
          data-testid="predictability"
        >
          <h2 id="predictability-title" className="refine-card-title">
            ART predictability
          </h2>
          <p className="hint">
            Actual business value of all objectives ÷ planned business value of the committed ones. 80–100% is
            predictable.
          </p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Planned BV</th>
                <th scope="col">Actual BV</th>
                <th scope="col">Predictability</th>
              </tr>
            </thead>
            <tbody>
              {view.data.predictability.teams
                .filter((p) => teams.some((t) => t.id === p.teamId))
                .map((p) => (
                  <PredictabilityRow key={p.teamId} name={teams.find((t) => t.id === p.teamId)?.name ?? ""} p={p} />
                ))}
              <PredictabilityRow name="Train" p={view.data.predictability.train} train />
            </tbody>
          </table>
        </section>
      )}
      {view.data &&
        scopes.map((s) => (
          <ObjectiveGroup
            key={s.id ?? "train"}
            art={art}
            pi={pi}
            teamId={s.id}
            name={s.name}
            objectives={objectives.filter((o) => o.teamId === s.id)}
            features={piFeatures}
          />
        ))}
    </div>
  );
}

function PredictabilityRow({ name, p, train }: { name: string; p: Predictability; train?: boolean }) {
  return (
    <tr data-testid={train ? "predictability-train" : "predictability-team"} data-band={p.band ?? ""}>
      <th scope="row">{name}</th>
      <td>{p.planned}</td>
      <td>{p.actual}</td>
      <td>
        {p.percent === null ? (
          <span className="muted">{p.planned === 0 ? "no planned value yet" : "no actual value yet"}</span>
        ) : (
          <span
            className={`band band-${p.band}`}
            title={p.band ? BAND_LABELS[p.band] : ""}
            data-testid="predictability-percent"
          >
            {Math.round(p.percent)}% {p.band && <span className="band-label">{BAND_LABELS[p.band]}</span>}
          </span>
        )}
      </td>
    </tr>
  );
}

type FeatureRef = Objective["features"][number];
type ObjectiveChange = Omit<Parameters<typeof boardApi.changeObjective>[1], "version">;

function useObjectiveChanges(art: Art) {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: boardKeys.all(art.key) });
  return (what: string, change: () => Promise<unknown>): Promise<boolean> =>
    runVersionedChange(what, change, { refresh, stale: `${what}: it was changed by someone else — refreshed` });
}

function ObjectiveGroup({
  art,
  pi,
  teamId,
  name,
  objectives,
  features,
}: {
  art: Art;
  pi: ProgramIncrement;
  teamId: string | null;
  name: string;
  objectives: Objective[];
  features: FeatureRef[];
}) {
  const rights = useRights();
  const mayPlan = rights.can("plan_pi", art.id, teamId);
  const mayScore = rights.can("score_business_value", art.id, teamId);
  const committed = objectives.filter((o) => o.committed);
  const uncommitted = objectives.filter((o) => !o.committed);
  const teamKey = art.teams.find((t) => t.id === teamId)?.key ?? "train";
  return (
    <section className="refine-card objective-group" data-testid="objective-group" data-team={teamKey}>
      <h2 className="refine-card-title">{name}</h2>
      {objectives.length === 0 && <p className="muted empty-line">No objective yet.</p>}
      {[
        { title: "Committed", list: committed },
        { title: "Uncommitted (stretch)", list: uncommitted },
      ]
        .filter((g) => g.list.length > 0)
        .map((g) => (
          <div key={g.title}>
            <h3 className="section-title">{g.title}</h3>
            <ul className="objective-list">
              {g.list.map((o) => (
                <ObjectiveRow
                  key={o.id}
                  art={art}
                  objective={o}
                  mayPlan={mayPlan}
                  mayScore={mayScore}
                  features={features}
                />
              ))}
            </ul>
          </div>
        ))}
      {mayPlan && <NewObjective art={art} pi={pi} teamId={teamId} mayScore={mayScore} />}
    </section>
  );
}

function ValueSelect({
  value,
  disabled,
  label,
  onChange,
  testId,
}: {
  value: number | null;
  disabled: boolean;
  label: string;
  onChange: (v: number | null) => void;
  testId: string;
}) {
  return (
    <label className="objective-value">
      <span className="muted">{label}</span>
      <select
        className="input objective-value-select"
        value={value ?? ""}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
        data-testid={testId}
      >
        <option value="">—</option>
        {VALUES.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

function ObjectiveRow({
  art,
  objective: o,
  mayPlan,
  mayScore,
  features,
}: {
  art: Art;
  objective: Objective;
  mayPlan: boolean;
  mayScore: boolean;
  features: FeatureRef[];
}) {
  const client = useQueryClient();
  const save = useObjectiveChanges(art);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(o.title);
  // Edits of one objective go out one after another, each on the version the previous one answered with.
  const version = useRef(o.version);
  version.current = Math.max(version.current, o.version);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const patch = (what: string, change: ObjectiveChange) => {
    const next = chain.current.then(() =>
      save(what, async () => {
        const saved = await boardApi.changeObjective(o.id, { version: version.current, ...change });
        version.current = saved.version;
        client.setQueryData<ObjectivesData>(boardKeys.objectives(art.key, o.piId), (v) =>
          v ? { ...v, objectives: v.objectives.map((x) => (x.id === saved.id ? saved : x)) } : v,
        );
      }),
    );
    chain.current = next;
    return next;
  };
  const linkable = features.filter((f) => !o.features.some((x) => x.id === f.id));
  return (
    <li className="objective" data-testid="objective" data-objective={o.id}>
      <div className="objective-main">
        {editing ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (title.trim()) void patch("Saving the title", { title: title.trim() }).then(() => setEditing(false));
            }}
          >
            <input
              className="input"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              data-testid="objective-title-input"
            />
            <button type="submit" className="button button-small">
              Save
            </button>
            <button type="button" className="button button-ghost button-small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <span className="objective-title" data-testid="objective-title">
            {o.title}
          </span>
        )}
        {o.description && <span className="muted objective-description">{o.description}</span>}
        <span className="objective-features">
          {o.features.map((f) => (
            <span key={f.id} className="objective-feature">
              <a className="ref-link key" href={itemHref(f.key)} onClick={onLinkClick} title={f.title}>
                {f.key}
              </a>
              {mayPlan && (
                <button
                  type="button"
                  className="icon-button objective-unlink"
                  aria-label={`Unlink ${f.key}`}
                  onClick={() =>
                    void patch("Unlinking", { featureIds: o.features.filter((x) => x.id !== f.id).map((x) => x.id) })
                  }
                >
                  ×
                </button>
              )}
            </span>
          ))}
          {mayPlan && linkable.length > 0 && (
            <select
              className="input objective-link"
              value=""
              aria-label="Link a feature"
              onChange={(e) =>
                e.target.value &&
                void patch("Linking", { featureIds: [...o.features.map((x) => x.id), e.target.value] })
              }
            >
              <option value="">+ feature</option>
              {linkable.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.key} {f.title}
                </option>
              ))}
            </select>
          )}
        </span>
      </div>
      <div className="objective-side">
        <ValueSelect
          label="Planned BV"
          value={o.plannedValue}
          disabled={!mayScore}
          onChange={(v) => void patch("Saving the planned value", { plannedValue: v })}
          testId="objective-planned"
        />
        <ValueSelect
          label="Actual BV"
          value={o.actualValue}
          disabled={!mayScore}
          onChange={(v) => void patch("Saving the actual value", { actualValue: v })}
          testId="objective-actual"
        />
        {mayPlan && (
          <label className="check-field objective-committed">
            <input
              type="checkbox"
              checked={o.committed}
              onChange={(e) => void patch("Saving", { committed: e.target.checked })}
              data-testid="objective-committed"
            />
            Committed
          </label>
        )}
        {mayPlan && (
          <span className="objective-actions">
            <button type="button" className="button button-ghost button-small" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => {
                if (window.confirm(`Delete the objective "${o.title}"?`)) {
                  void save("Deleting", () => boardApi.removeObjective(o.id, o.version));
                }
              }}
              data-testid="objective-delete"
            >
              Delete
            </button>
          </span>
        )}
      </div>
    </li>
  );
}

function NewObjective({
  art,
  pi,
  teamId,
  mayScore,
}: {
  art: Art;
  pi: ProgramIncrement;
  teamId: string | null;
  mayScore: boolean;
}) {
  const client = useQueryClient();
  const [title, setTitle] = useState("");
  const [committed, setCommitted] = useState(true);
  const [planned, setPlanned] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    const input: ObjectiveInput = { teamId, title: title.trim(), committed };
    if (mayScore && planned !== null) input.plannedValue = planned;
    try {
      await boardApi.createObjective(art.key, pi.id, input);
      setTitle("");
      setPlanned(null);
      setError(null);
      void client.invalidateQueries({ queryKey: boardKeys.all(art.key) });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form
      className="objective-new"
      onSubmit={(e) => {
        e.preventDefault();
        if (title.trim()) void add();
      }}
      data-testid="objective-new"
    >
      <input
        className="input objective-new-title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        placeholder="New objective, e.g. Returning shoppers pay in one step"
        aria-label="New objective"
        data-testid="objective-new-title"
      />
      <label className="check-field">
        <input type="checkbox" checked={committed} onChange={(e) => setCommitted(e.target.checked)} />
        Committed
      </label>
      {mayScore && (
        <ValueSelect
          label="Planned BV"
          value={planned}
          disabled={false}
          onChange={setPlanned}
          testId="objective-new-planned"
        />
      )}
      <button type="submit" className="button" disabled={!title.trim()} data-testid="objective-add">
        Add objective
      </button>
      {error && <span className="field-error">{error}</span>}
    </form>
  );
}
