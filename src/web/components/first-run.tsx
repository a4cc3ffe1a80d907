// The first screen of an empty Trainyard: create your train (its name, key and teams), or load the demo train.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ART_KEY_PATTERN, LIMITS } from "../../core/work-item";
import { ApiError, api, type FieldError } from "../lib/api";
import { queryKeys } from "../lib/queries";
import { navigate, onLinkClick, programPath } from "../lib/router";
import { CloseIcon, PlusIcon, TrainIcon } from "./icons";

interface TeamRow {
  id: number;
  key: string;
  name: string;
  /** Whether the user typed the key (otherwise it follows the name). */
  keyTouched: boolean;
}

/** A key suggested from a name: the initials of its words ("Payments Train" → PT), or the first three letters of one word. */
export function suggestKey(name: string, max: number): string {
  const words = name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const initials = words.map((w) => w[0]).join("");
  const key = (initials.length >= 2 ? initials : (words[0] ?? "").slice(0, 3)).replace(/^[0-9]+/, "");
  return key.slice(0, max);
}

let nextRow = 1;
const newRow = (): TeamRow => ({ id: nextRow++, key: "", name: "", keyTouched: false });

export function FirstRun({ hasTrains }: { hasTrains: boolean }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const [teams, setTeams] = useState<TeamRow[]>(() => [newRow()]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"create" | "demo" | null>(null);

  const artKey = keyTouched ? key : suggestKey(name, 10);
  const errorFor = (path: string) => errors.find((e) => e.path === path)?.message;

  const setTeam = (id: number, change: Partial<TeamRow>) =>
    setTeams((rows) =>
      rows.map((r) => {
        if (r.id !== id) return r;
        const next = { ...r, ...change };
        if (change.name !== undefined && !next.keyTouched) next.key = suggestKey(change.name, 6);
        return next;
      }),
    );

  const done = async (key: string) => {
    await client.invalidateQueries({ queryKey: queryKeys.arts });
    navigate(programPath(key));
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy("create");
    setErrors([]);
    setFormError(null);
    try {
      const filled = teams.filter((t) => t.key.trim() || t.name.trim());
      const art = await api.createArt({
        key: artKey.trim(),
        name: name.trim(),
        teams: filled.map((t) => ({ key: t.key.trim(), name: t.name.trim() })),
      });
      await done(art.key);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) setErrors(err.errors);
      else setFormError(err instanceof Error ? err.message : String(err));
      setBusy(null);
    }
  };

  const loadDemo = async () => {
    setBusy("demo");
    setFormError(null);
    try {
      const { artKey } = await api.loadDemo();
      await done(artKey);
    } catch (err) {
      setFormError(err instanceof Error ? err.message : String(err));
      setBusy(null);
    }
  };

  // Team errors name the row among the filled ones, as sent.
  const filledIndex = (id: number) => teams.filter((t) => t.key.trim() || t.name.trim()).findIndex((t) => t.id === id);

  return (
    <main className="first-run" data-testid="first-run">
      <div className="first-run-intro">
        <TrainIcon className="first-run-logo" width={40} height={40} />
        {hasTrains && (
          <a href="/" onClick={onLinkClick} className="back-link" data-testid="back-to-backlog">
            ← Back to the backlog
          </a>
        )}
        <h1>{hasTrains ? "Add a release train" : "Welcome to Trainyard"}</h1>
        <p>
          The ranked program backlog of your Agile Release Train and each team's backlog, linked feature to story. Start
          with your own train, or look around the demo train first.
        </p>
      </div>
      <div className="first-run-choices">
        <form className="card" onSubmit={create} data-testid="create-train-form" noValidate>
          <h2>Create your train</h2>
          <div className="form-row">
            <label className="form-field form-field-grow">
              <span>Train name</span>
              <input
                className="input"
                value={name}
                maxLength={LIMITS.name}
                placeholder="e.g. Payments Train"
                onChange={(e) => setName(e.target.value)}
                aria-invalid={errorFor("name") ? true : undefined}
                data-testid="train-name"
                required
              />
              {errorFor("name") && <span className="field-error">{errorFor("name")}</span>}
            </label>
            <label className="form-field form-field-key">
              <span>Key</span>
              <input
                className="input input-key"
                value={artKey}
                maxLength={10}
                placeholder="PAY"
                onChange={(e) => {
                  setKeyTouched(true);
                  setKey(e.target.value.toUpperCase());
                }}
                aria-invalid={errorFor("key") ? true : undefined}
                data-testid="train-key"
                required
              />
              {errorFor("key") ? (
                <span className="field-error" data-testid="error-key">
                  {errorFor("key")}
                </span>
              ) : (
                <span className="hint">
                  {artKey && !ART_KEY_PATTERN.test(artKey)
                    ? "2–10 capitals or digits"
                    : `Items: ${artKey || "KEY"}-1, …`}
                </span>
              )}
            </label>
          </div>

          <fieldset className="teams-fieldset">
            <legend>Teams</legend>
            {teams.map((t, i) => {
              const index = filledIndex(t.id);
              const keyError = index >= 0 ? errorFor(`teams.${index}.key`) : undefined;
              const nameError = index >= 0 ? errorFor(`teams.${index}.name`) : undefined;
              return (
                <div key={t.id} className="team-row" data-testid="team-row">
                  <input
                    className="input"
                    value={t.name}
                    maxLength={LIMITS.name}
                    placeholder={i === 0 ? "Team name, e.g. Checkout" : "Team name"}
                    aria-label={`Team ${i + 1} name`}
                    aria-invalid={nameError ? true : undefined}
                    onChange={(e) => setTeam(t.id, { name: e.target.value })}
                    data-testid="team-name"
                  />
                  <input
                    className="input input-key"
                    value={t.key}
                    maxLength={30}
                    placeholder="Key"
                    aria-label={`Team ${i + 1} key`}
                    aria-invalid={keyError ? true : undefined}
                    onChange={(e) => setTeam(t.id, { key: e.target.value, keyTouched: true })}
                    data-testid="team-key"
                  />
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove team ${i + 1}`}
                    onClick={() => setTeams((rows) => rows.filter((r) => r.id !== t.id))}
                    data-testid="remove-team"
                  >
                    <CloseIcon />
                  </button>
                  {(nameError || keyError) && (
                    <span className="field-error team-row-error">
                      {[nameError, keyError].filter(Boolean).join("; ")}
                    </span>
                  )}
                </div>
              );
            })}
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setTeams((rows) => [...rows, newRow()])}
              data-testid="add-team"
            >
              <PlusIcon /> Add team
            </button>
            {errorFor("teams") && <span className="field-error">{errorFor("teams")}</span>}
          </fieldset>

          <button
            type="submit"
            className="button button-primary button-large"
            disabled={busy !== null}
            data-testid="create-train"
          >
            {busy === "create" ? "Creating…" : "Create train"}
          </button>
        </form>

        <div className="card card-demo">
          <h2>Load the demo train</h2>
          <p>
            The <strong>Developer Platform Train</strong>: six teams, two PIs, epics, capabilities and features with
            their stories, dependencies, comments and history — built from real open-source backlogs.
          </p>
          <button
            type="button"
            className="button button-large"
            onClick={loadDemo}
            disabled={busy !== null}
            data-testid="load-demo"
          >
            {busy === "demo" ? "Loading the demo train…" : "Load the demo train"}
          </button>
        </div>
      </div>
      {formError && (
        <p className="notice notice-error" role="alert" data-testid="first-run-error">
          {formError}
        </p>
      )}
    </main>
  );
}
