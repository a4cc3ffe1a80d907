// The "New dependency" dialog of the program board: pick the consumer (the item that needs something) and the provider
// (the item that delivers it) by key or title — features of the program backlog and stories of the teams one sees —
// say what is needed and, optionally, by which iteration. The server names a bad pick at its field.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { ApiError, api } from "../lib/api";
import { boardApi, boardKeys, type Dependency } from "../lib/board";
import { queryKeys } from "../lib/queries";
import { useRights } from "../lib/rights";
import type { Art, BacklogRow, ProgramIncrement } from "../lib/types";
import { Dialog } from "./dialog";
import { FormField, Input, Select } from "./form-field";

interface Props {
  art: Art;
  pi: ProgramIncrement;
  onClose: () => void;
  onCreated: (dependency: Dependency) => void;
}

/** An item picked for one end. */
interface Picked {
  id: string;
  key: string;
  title: string;
  level: string;
  teamId: string | null;
}

export function DependencyDialog({ art, pi, onClose, onCreated }: Props) {
  const client = useQueryClient();
  const [consumer, setConsumer] = useState<Picked | null>(null);
  const [provider, setProvider] = useState<Picked | null>(null);
  const [needed, setNeeded] = useState("");
  const [neededBy, setNeededBy] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const create = async () => {
    if (!consumer || !provider) return;
    setBusy(true);
    setError(null);
    try {
      const created = await boardApi.createDependency(art.key, {
        consumer: consumer.id,
        provider: provider.id,
        needed: needed.trim(),
        ...(neededBy ? { neededBy } : {}),
      });
      void client.invalidateQueries({ queryKey: boardKeys.all(art.key) });
      void client.invalidateQueries({ queryKey: queryKeys.items });
      onCreated(created);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, { detail: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  const field = (path: string) => error?.fieldMessage(path);
  const general = error && error.errors.length === 0 ? error.message : null;
  return (
    <Dialog
      title="New dependency"
      onClose={onClose}
      testId="dependency-dialog"
      actions={
        <>
          <button type="button" className="button button-ghost" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !consumer || !provider || needed.trim() === ""}
            onClick={() => void create()}
            data-testid="dependency-create"
          >
            Create dependency
          </button>
        </>
      }
    >
      <ItemPicker
        art={art}
        label="Consumer — the item that needs something"
        picked={consumer}
        onPick={setConsumer}
        error={field("consumer")}
        testId="dependency-consumer"
      />
      <ItemPicker
        art={art}
        label="Provider — the item that delivers it"
        picked={provider}
        onPick={setProvider}
        error={field("provider")}
        testId="dependency-provider"
      />
      <FormField label="What is needed" error={field("needed")}>
        <Input
          value={needed}
          onChange={setNeeded}
          placeholder="e.g. the refund API in staging"
          aria-invalid={field("needed") ? true : undefined}
          testId="dependency-needed"
        />
      </FormField>
      <FormField label="Needed by (optional)" error={field("neededBy")}>
        <Select
          value={neededBy}
          onChange={setNeededBy}
          options={pi.iterations.map((i) => ({ value: i.id, label: i.name }))}
          testId="dependency-needed-by"
        >
          <option value="">No iteration</option>
        </Select>
      </FormField>
      {general && (
        <p className="notice notice-error" role="alert" data-testid="dependency-error">
          {general}
        </p>
      )}
    </Dialog>
  );
}

/** Debounced text, for searching as one types. */
function useDebounced(value: string, ms = 200): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9]*-\d+$/;
const MAX_RESULTS = 12;

function ItemPicker({
  art,
  label,
  picked,
  onPick,
  error,
  testId,
}: {
  art: Art;
  label: string;
  picked: Picked | null;
  onPick: (item: Picked | null) => void;
  error: string | undefined;
  testId: string;
}) {
  const rights = useRights();
  const id = useId();
  const [text, setText] = useState("");
  const q = useDebounced(text.trim());
  const teams = art.teams.filter((t) => rights.canSee(art.id, t.id));
  const results = useQuery({
    queryKey: ["dependency-picker", art.key, q],
    enabled: q.length > 0,
    staleTime: 10_000,
    queryFn: async ({ signal }) => {
      const found: Picked[] = [];
      if (KEY_PATTERN.test(q)) {
        const exact = await api.item(q.toUpperCase()).catch(() => null);
        if (exact && exact.item.artId === art.id) found.push(exact.item);
      }
      const lists = await Promise.all([
        api.programBacklog(art.key, "feature", { q }, signal).catch(() => ({ items: [] as BacklogRow[] })),
        ...teams.map((t) =>
          api.teamBacklog(art.key, t.key, { q }, signal).catch(() => ({ items: [] as BacklogRow[] })),
        ),
      ]);
      for (const l of lists) found.push(...l.items.filter((r) => r.state !== "split"));
      const seen = new Set<string>();
      return found.filter((f) => !seen.has(f.id) && seen.add(f.id)).slice(0, MAX_RESULTS);
    },
  });
  const teamName = (teamId: string | null) => art.teams.find((t) => t.id === teamId)?.name ?? "";

  if (picked) {
    return (
      <div className="form-field dep-picked" data-testid={testId}>
        <span>{label}</span>
        <span className="dep-picked-item" data-testid={`${testId}-picked`} data-key={picked.key}>
          <span className="key">{picked.key}</span> {picked.title}
          {picked.teamId && <span className="team-chip">{teamName(picked.teamId)}</span>}
          <button type="button" className="button button-ghost button-small" onClick={() => onPick(null)}>
            Change
          </button>
        </span>
        {error && <span className="field-error">{error}</span>}
      </div>
    );
  }
  return (
    <div className="form-field dep-picker" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Key or words of the title"
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        data-testid={`${testId}-search`}
      />
      {error && <span className="field-error">{error}</span>}
      {q && results.data && (
        <ul className="dep-picker-results" aria-label="Matching items">
          {results.data.length === 0 && <li className="muted">No item matches.</li>}
          {results.data.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="dep-picker-result"
                onClick={() => onPick({ id: r.id, key: r.key, title: r.title, level: r.level, teamId: r.teamId })}
                data-testid={`${testId}-result`}
                data-key={r.key}
              >
                <span className="key">{r.key}</span>
                <span className="dep-picker-title">{r.title}</span>
                <span className="muted">{r.level === "story" ? teamName(r.teamId) : r.level}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
