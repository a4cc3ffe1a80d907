// The item panel beside a backlog: every field of one item in a form, saved with the version it was loaded at. If
// someone else changed the item meanwhile, the save is refused (409) or the live feed notices first, and a banner
// shows which fields differ, offering to keep mine (re-send my changes on their version) or take theirs. Program items
// show their WSJF inputs as scale pickers that save at once, with Cost of Delay and WSJF, and their economic view
// (Cost of Delay per week, urgency profile, fixed date, duration, CD3), saved with the form. Stories show their quality
// findings (live while edited) and their Definition of Ready; a story can be split, a feature broken down into stories.
// Any item can be marked blocked (with what it waits on); moving a finished story back asks why it needs rework.
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import {
  allowedParentLevels,
  EDITABLE_FIELDS,
  type EditableField,
  ENABLER_KINDS,
  ITEM_TYPES,
  isClosedStory,
  isMoveBack,
  LIMITS,
  statesOf,
  WORKFLOW_STORY_STATES,
} from "../../core/work-item";
import { costOfDelay, missingInputs, wsjf } from "../../core/wsjf";
import { ApiError, api, type FieldError } from "../lib/api";
import { cd3, moneyText, URGENCY_LABELS, URGENCY_PROFILES, type UrgencyProfile } from "../lib/economics";
import {
  FIELD_LABELS,
  formatDateTime,
  formatValue,
  LEVEL_LABELS,
  type Names,
  personName,
  stateLabel,
  TYPE_LABELS,
} from "../lib/format";
import { queryKeys, useItemDetail, useLevelItems, usePeople, usePeopleById, useTeamRefinement } from "../lib/queries";
import { useRights } from "../lib/rights";
import { guardNavigation, itemHref, onLinkClick } from "../lib/router";
import type { Art, BacklogRow, Item, ItemDetail, ItemFields } from "../lib/types";
import { missingText, WSJF_INPUT_LABELS, WSJF_INPUTS } from "../lib/wsjf-grid";
import { BlockedBadge, StateBadge, TypeBadge } from "./badges";
import { BlockedField } from "./blocked-field";
import { BreakDownFeatureDialog } from "./breakdown-dialog";
import { CriteriaEditor, CriteriaView } from "./criteria-editor";
import { ChevronIcon, CloseIcon } from "./icons";
import { CommentsSection, HistorySection, RelationsSection } from "./item-activity";
import { FeedbackSection } from "./item-feedback";
import { FieldBackdrop, QualitySection, useStoryQuality } from "./item-quality";
import { ReadinessBadge, ReadinessSection, ReadyWarning, SplitState } from "./item-readiness";
import { Markdown, MarkdownEditor } from "./markdown";
import { type ReworkAnswer, ReworkDialog } from "./rework-dialog";
import { ScalePicker } from "./scale-picker";
import { SplitStoryDialog } from "./split-dialog";

interface PanelProps {
  art: Art;
  itemKey: string;
  onClose: () => void;
}

export function ItemPanel({ art, itemKey, onClose }: PanelProps) {
  const detail = useItemDetail(itemKey);
  return (
    <aside className="panel" data-testid="item-panel" aria-label={`Item ${itemKey}`}>
      {detail.data ? (
        <ItemEditor key={detail.data.item.id} art={art} itemKey={itemKey} detail={detail.data} onClose={onClose} />
      ) : (
        <div className="panel-empty">
          <div className="panel-topbar">
            <span className="key">{itemKey}</span>
            <CloseButton onClose={onClose} />
          </div>
          {detail.error ? (
            <p className="notice notice-error" role="alert">
              {detail.error instanceof ApiError && detail.error.status === 404
                ? `There is no item ${itemKey}.`
                : `Could not load ${itemKey}: ${detail.error.message}`}
            </p>
          ) : (
            <div className="panel-loading" aria-busy="true">
              <div className="skeleton-line wide" />
              <div className="skeleton-line" />
              <div className="skeleton-line" />
            </div>
          )}
        </div>
      )}
    </aside>
  );
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button
      type="button"
      className="icon-button"
      onClick={onClose}
      aria-label="Close the item panel"
      title="Close (Esc)"
      data-testid="panel-close"
    >
      <CloseIcon />
    </button>
  );
}

const fieldsOf = (item: Item): ItemFields =>
  Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, item[f]])) as unknown as ItemFields;
/** The API presents each criterion with its parsed Given/When/Then parts (`gherkin`); they are not the item's data. */
const withoutDerived = (key: string, value: unknown) => (key === "gherkin" ? undefined : value);
const same = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null, withoutDerived) === JSON.stringify(b ?? null, withoutDerived);
/** A change as the API takes it: criteria as `{ text, met }` only. */
const sendable = <F extends EditableField>(field: F, value: ItemFields[F]): unknown =>
  field === "acceptanceCriteria"
    ? (value as ItemFields["acceptanceCriteria"]).map((c) => ({ text: c.text, met: c.met }))
    : value;

interface EditorProps {
  art: Art;
  itemKey: string;
  detail: ItemDetail;
  onClose: () => void;
}

const DISCARD_QUESTION = "Discard your unsaved changes to this item?";

function ItemEditor({ art, itemKey, detail, onClose }: EditorProps) {
  const client = useQueryClient();
  const people = usePeopleById();
  const server = detail.item;
  const [base, setBase] = useState<Item>(server);
  const [draft, setDraft] = useState<ItemFields>(() => fieldsOf(server));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Item | null>(null);
  const [saving, setSaving] = useState(false);
  const [tab, setTab] = useState<"comments" | "history">("comments");
  const [savedAt, setSavedAt] = useState<number | null>(null);
  // Moving a finished story back: the state asked about, and the answer sent with the save.
  const [askRework, setAskRework] = useState<ItemFields["state"] | null>(null);
  const [rework, setRework] = useState<ReworkAnswer | null>(null);

  const dirty = EDITABLE_FIELDS.filter((f) => !same(draft[f], base[f]));
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  // A newer version arrived (live feed or refetch): take it if nothing is edited, else warn before the save does.
  // biome-ignore lint/correctness/useExhaustiveDependencies: react to the server's item only
  useEffect(() => {
    if (saving || server.version <= base.version) return;
    if (dirtyRef.current.length === 0) {
      setBase(server);
      setDraft(fieldsOf(server));
      setConflict(null);
      setRework(null);
    } else setConflict(server);
  }, [server]);

  const names: Names = useNames(art, detail, people);

  // What this person may do to the item; the server decides, the panel only leaves out what it would refuse.
  const rights = useRights();
  const itemTeam = server.level === "story" ? server.teamId : null;
  const editRight = server.level === "story" ? "edit_story" : "edit_program";
  const mayEdit = rights.can(editRight, art.id, itemTeam);
  const mayAccept = server.level !== "story" || rights.can("accept_story", art.id, itemTeam);
  const mayComment = rights.can("comment", art.id, itemTeam);
  const mayRelate = rights.can("relate", art.id, itemTeam);
  const mayRecordFeedback = rights.can("record_feedback", art.id, itemTeam);

  // Refinement: the story's quality (live while edited), its Definition of Ready and the team's ready policy.
  const quality = useStoryQuality(art, base, draft);
  const refinement = useTeamRefinement(art.key, server.level === "story" ? server.teamId : null);
  const readyPolicy = refinement.data?.settings.readyPolicy ?? "warn";
  const [askReady, setAskReady] = useState(false);
  const [dialog, setDialog] = useState<"split" | "breakdown" | null>(null);

  const update = <F extends EditableField>(field: F, value: ItemFields[F]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((list) => list.filter((e) => e.path !== field && !e.path.startsWith(`${field}.`)));
    setSavedAt(null);
  };

  const send = async (version: number) => {
    if (dirty.length === 0) return;
    if (draft.blockedReason !== null && !draft.blockedReason.trim()) {
      setErrors((list) => [
        ...list.filter((e) => e.path !== "blockedReason"),
        { path: "blockedReason", message: "Say what it waits on to mark it blocked." },
      ]);
      return;
    }
    const changes: Record<string, unknown> = Object.fromEntries(dirty.map((f) => [f, sendable(f, draft[f])]));
    if (rework && dirty.includes("state") && isMoveBack(base.level, base.state, draft.state)) {
      changes.reworkReason = rework.reason;
      if (rework.note) changes.reworkNote = rework.note;
    }
    setSaving(true);
    setFormError(null);
    try {
      const item = await api.updateItem(base.key, version, changes);
      setBase(item);
      setDraft(fieldsOf(item));
      setConflict(null);
      setRework(null);
      setErrors([]);
      setSavedAt(Date.now());
      client.setQueryData<ItemDetail>(queryKeys.item(itemKey), (old) => (old ? { ...old, item } : old));
      void client.invalidateQueries({ queryKey: queryKeys.item(itemKey) });
      void client.invalidateQueries({ queryKey: queryKeys.history(itemKey) });
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.current) {
        setConflict(err.current);
      } else if (err instanceof ApiError && err.errors.length > 0) {
        setErrors(err.errors);
        const known = err.errors.filter((e) => EDITABLE_FIELDS.some((f) => e.path === f || e.path.startsWith(`${f}.`)));
        if (known.length < err.errors.length) setFormError(err.message);
      } else {
        setFormError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  };

  // A WSJF estimate saves at once (as in the estimation grid), on the version the form holds; other unsaved edits
  // stay as they are. Estimates have rights of their own: a Business Owner sets user-business value and nothing else.
  const [scoring, setScoring] = useState(false);
  const score = async (input: (typeof WSJF_INPUTS)[number], value: number | null) => {
    setScoring(true);
    setErrors((list) => list.filter((e) => e.path !== input));
    try {
      const item = await api.updateItem(base.key, base.version, { [input]: value });
      setBase(item);
      setDraft((d) => ({ ...d, [input]: item[input] }));
      client.setQueryData<ItemDetail>(queryKeys.item(itemKey), (old) => (old ? { ...old, item } : old));
      void client.invalidateQueries({ queryKey: queryKeys.history(itemKey) });
      void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.current) {
        const current = err.current;
        if (dirtyRef.current.length === 0) {
          setBase(current);
          setDraft(fieldsOf(current));
        } else setConflict(current);
        setErrors((list) => [
          ...list,
          { path: input, message: "Someone else changed this item meanwhile: its estimates are refreshed." },
        ]);
      } else {
        const message = err instanceof ApiError ? (err.fieldMessage(input) ?? err.message) : String(err);
        setErrors((list) => [...list, { path: input, message }]);
      }
    } finally {
      setScoring(false);
    }
  };

  // The team's own Definition-of-Ready items save at once when ticked (as an estimate does), on the version the form
  // holds; a stale version refreshes the item as any edit's conflict does.
  const [ticking, setTicking] = useState(false);
  const tickReady = async (id: string, ticked: boolean) => {
    const readyChecks = ticked ? [...new Set([...base.readyChecks, id])] : base.readyChecks.filter((c) => c !== id);
    setTicking(true);
    setErrors((list) => list.filter((e) => e.path !== "readyChecks" && !e.path.startsWith("readyChecks.")));
    try {
      const item = await api.updateItem(base.key, base.version, { readyChecks });
      setBase(item);
      setDraft((d) => ({ ...d, readyChecks: item.readyChecks }));
      client.setQueryData<ItemDetail>(queryKeys.item(itemKey), (old) => (old ? { ...old, item } : old));
      void client.invalidateQueries({ queryKey: queryKeys.itemQuality(itemKey) });
      void client.invalidateQueries({ queryKey: queryKeys.history(itemKey) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.current) {
        const current = err.current;
        if (dirtyRef.current.length === 0) {
          setBase(current);
          setDraft(fieldsOf(current));
        } else setConflict(current);
        void client.invalidateQueries({ queryKey: queryKeys.itemQuality(itemKey) });
        setErrors((list) => [
          ...list,
          { path: "readyChecks", message: "Someone else changed this item meanwhile: its checklist is refreshed." },
        ]);
      } else {
        const message = err instanceof ApiError ? (err.fieldMessage("readyChecks") ?? err.message) : String(err);
        setErrors((list) => [...list, { path: "readyChecks", message }]);
      }
    } finally {
      setTicking(false);
    }
  };

  // Moving a done or accepted story back to an earlier state asks why it needs rework first (once per edit).
  const pickState = (state: ItemFields["state"]) => {
    const back = isMoveBack(base.level, base.state, state);
    if (back && !isMoveBack(base.level, base.state, draft.state)) {
      setAskReady(false);
      setAskRework(state);
      return;
    }
    if (!back) setRework(null);
    applyState(state);
  };

  // Picking Ready for a story that is not: a team that warns is asked first; one that refuses answers with the
  // server's message on the state field.
  const applyState = (state: ItemFields["state"]) => {
    const readiness = quality.readiness;
    if (
      base.level === "story" &&
      state === "ready" &&
      draft.state !== "ready" &&
      readiness &&
      !readiness.ready &&
      readyPolicy === "warn"
    ) {
      setAskReady(true);
      return;
    }
    setAskReady(false);
    update("state", state);
  };

  // A split or a breakdown is done (the dialog says so): the item, its history and the backlogs change.
  const afterRefining = () => {
    setDialog(null);
    void client.invalidateQueries({ queryKey: queryKeys.item(itemKey) });
    void client.invalidateQueries({ queryKey: queryKeys.history(itemKey) });
    void client.invalidateQueries({ queryKey: queryKeys.backlogs(art.key) });
  };

  // Saving always names the version the form was loaded at; if that is stale the server says so (409).
  const save = () => void send(base.version);
  const keepMine = () => {
    if (conflict) void send(conflict.version);
  };
  const takeTheirs = () => {
    if (!conflict) return;
    setBase(conflict);
    setDraft(fieldsOf(conflict));
    setConflict(null);
    setRework(null);
    setErrors([]);
    void client.invalidateQueries({ queryKey: queryKeys.item(itemKey) });
    void client.invalidateQueries({ queryKey: queryKeys.history(itemKey) });
  };
  const discard = () => {
    setDraft(fieldsOf(base));
    setRework(null);
    setErrors([]);
    setFormError(null);
  };
  const close = () => {
    if (dirtyRef.current.length > 0 && !window.confirm(DISCARD_QUESTION)) return;
    dirtyRef.current = [];
    onClose();
  };

  // While there are unsaved edits, leaving this item (a breadcrumb, a child, another row) or the page asks first.
  const hasEdits = dirty.length > 0;
  useEffect(() => {
    if (!hasEdits) return;
    const removeGuard = guardNavigation(
      (to) =>
        to.searchParams.get("item") === itemKey || dirtyRef.current.length === 0 || window.confirm(DISCARD_QUESTION),
    );
    const beforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      removeGuard();
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, [hasEdits, itemKey]);

  // Escape closes the panel (from anywhere but a text field); Ctrl/⌘+S saves.
  const closeRef = useRef(close);
  closeRef.current = close;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      // A dialog opened from the panel (split, break down) closes itself.
      if (target?.closest("dialog")) return;
      if (target?.closest("input, textarea, select, details[open]")) {
        target.blur();
        return;
      }
      closeRef.current();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const errorFor = (field: string) =>
    errors.find((e) => e.path === field)?.message ??
    errors.find((e) => e.path.startsWith(`${field}.`) && field !== "acceptanceCriteria")?.message;
  const criteriaErrors = new Map(
    errors
      .filter((e) => e.path.startsWith("acceptanceCriteria."))
      .map((e) => [Number(e.path.split(".")[1]), e.message] as const),
  );

  const level = base.level;
  const isStory = level === "story";
  // Done or accepted: the criteria's "met" checks are what the Product Owner works through now.
  const accepting = draft.state === "done" || draft.state === "accepted";
  const parent = detail.ancestors[detail.ancestors.length - 1];

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the form's own shortcut (Ctrl+S), keys bubble from its fields
    <div
      className="panel-inner"
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "Enter")) {
          e.preventDefault();
          save();
        }
      }}
    >
      <div className="panel-topbar">
        <span className={`level-badge level-${level}`}>{LEVEL_LABELS[level]}</span>
        <span className="key" data-testid="panel-key">
          {base.key}
        </span>
        <TypeBadge type={draft.type} enablerKind={draft.enablerKind} />
        <BlockedBadge reason={base.blockedReason} />
        <span className="muted version" data-testid="panel-version" title="Version">
          v{base.version}
        </span>
        {isStory && quality.readiness && base.state !== "split" && (
          <button
            type="button"
            className="readiness-chip"
            title="Show the Definition of Ready"
            onClick={() => document.getElementById("readiness")?.scrollIntoView({ behavior: "smooth", block: "start" })}
          >
            <ReadinessBadge readiness={quality.readiness} testId="readiness-chip" />
          </button>
        )}
        <span className="spacer" />
        {isStory && mayEdit && !isClosedStory(base.state) && (
          <button
            type="button"
            className="button button-small"
            onClick={() => setDialog("split")}
            disabled={dirty.length > 0}
            title={dirty.length > 0 ? "Save or discard your changes first" : "Split this story into smaller ones"}
            data-testid="split-story-button"
          >
            Split story…
          </button>
        )}
        {level === "feature" && (mayEdit || art.teams.some((t) => rights.can("edit_story", art.id, t.id))) && (
          <button
            type="button"
            className="button button-small"
            onClick={() => setDialog("breakdown")}
            disabled={dirty.length > 0}
            title={dirty.length > 0 ? "Save or discard your changes first" : "Draft this feature's stories"}
            data-testid="break-down-button"
          >
            Break down…
          </button>
        )}
        <CloseButton onClose={close} />
      </div>

      <div className="panel-scroll">
        {detail.ancestors.length > 0 && (
          <nav className="breadcrumb" aria-label="Hierarchy" data-testid="breadcrumb">
            {detail.ancestors.map((a) => (
              <span key={a.id} className="breadcrumb-part">
                <a href={itemHref(a.key)} onClick={onLinkClick} data-testid="breadcrumb-link" title={a.title}>
                  <span className="breadcrumb-level">{LEVEL_LABELS[a.level]}</span>
                  <span className="key">{a.key}</span>
                  <span className="breadcrumb-title">{a.title}</span>
                </a>
                <ChevronIcon className="breadcrumb-sep" />
              </span>
            ))}
            <span className="breadcrumb-current key">{base.key}</span>
          </nav>
        )}

        {conflict && (
          <ConflictBanner
            base={base}
            draft={draft}
            dirty={dirty}
            theirs={conflict}
            names={names}
            saving={saving}
            onKeepMine={keepMine}
            onTakeTheirs={takeTheirs}
          />
        )}

        <fieldset className="item-fields" disabled={!mayEdit} data-testid="item-fields">
          <legend className="visually-hidden">Fields</legend>
          <div className="field field-title">
            <div className="marked-field">
              <FieldBackdrop quality={quality} field="title" text={draft.title} className="title-input" />
              <textarea
                className="title-input marked-input"
                readOnly={!mayEdit}
                value={draft.title}
                maxLength={LIMITS.title}
                rows={1}
                aria-label="Title"
                aria-invalid={errorFor("title") ? true : undefined}
                data-testid="field-title"
                onChange={(e) => update("title", e.target.value.replace(/\n/g, " "))}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    save();
                  }
                }}
              />
            </div>
            <FieldMessage message={errorFor("title")} field="title" />
          </div>

          <div className="properties">
            <Property label="State" field="state" error={errorFor("state")}>
              {(id) =>
                isStory && base.state === "split" ? (
                  <SplitState detail={detail} />
                ) : (
                  <select
                    id={id}
                    className="input"
                    value={draft.state}
                    disabled={!mayAccept && base.state === "accepted"}
                    onChange={(e) => pickState(e.target.value as ItemFields["state"])}
                    data-testid="field-state"
                  >
                    {(isStory ? WORKFLOW_STORY_STATES : statesOf(level)).map((s) => (
                      <option key={s} value={s} disabled={s === "accepted" && !mayAccept}>
                        {stateLabel(s)}
                      </option>
                    ))}
                  </select>
                )
              }
            </Property>
            <Property label="Type" field="type" error={errorFor("type")}>
              {(id) => (
                <select
                  id={id}
                  className="input"
                  value={draft.type}
                  onChange={(e) => {
                    const type = e.target.value as ItemFields["type"];
                    update("type", type);
                    if (type !== "enabler" && draft.enablerKind) update("enablerKind", null);
                  }}
                  data-testid="field-type"
                >
                  {ITEM_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
              )}
            </Property>
            {draft.type === "enabler" && (
              <Property label="Enabler kind" field="enablerKind" error={errorFor("enablerKind")}>
                {(id) => (
                  <select
                    id={id}
                    className="input"
                    value={draft.enablerKind ?? ""}
                    onChange={(e) => update("enablerKind", (e.target.value || null) as ItemFields["enablerKind"])}
                    data-testid="field-enablerKind"
                  >
                    <option value="">Not set</option>
                    {ENABLER_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {k[0]?.toUpperCase()}
                        {k.slice(1)}
                      </option>
                    ))}
                  </select>
                )}
              </Property>
            )}
            <Property label="Points" field="points" error={errorFor("points")}>
              {(id) => (
                <input
                  id={id}
                  className="input input-number"
                  type="number"
                  min={0}
                  max={LIMITS.points}
                  step="any"
                  value={draft.points ?? ""}
                  placeholder="–"
                  onChange={(e) => update("points", e.target.value === "" ? null : Number(e.target.value))}
                  data-testid="field-points"
                />
              )}
            </Property>
            {isStory ? (
              <Property label="Team" field="teamId" error={errorFor("teamId")}>
                {(id) => (
                  <select
                    id={id}
                    className="input"
                    value={draft.teamId ?? ""}
                    onChange={(e) => update("teamId", e.target.value || null)}
                    data-testid="field-teamId"
                  >
                    {!draft.teamId && <option value="">Choose a team</option>}
                    {art.teams
                      .filter((t) => t.id === base.teamId || rights.can("edit_story", art.id, t.id))
                      .map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.key} · {t.name}
                        </option>
                      ))}
                  </select>
                )}
              </Property>
            ) : (
              <Property label="Teams" field="teamIds" error={errorFor("teamIds")} wide>
                {() => (
                  <fieldset className="chip-checks" data-testid="field-teamIds">
                    <legend className="visually-hidden">Teams</legend>
                    {art.teams.map((t) => {
                      const on = draft.teamIds.includes(t.id);
                      return (
                        <label key={t.id} className={`chip-check ${on ? "is-on" : ""}`} title={t.name}>
                          <input
                            type="checkbox"
                            checked={on}
                            value={t.key}
                            onChange={() =>
                              update(
                                "teamIds",
                                art.teams
                                  .map((x) => x.id)
                                  .filter((x) => (x === t.id ? !on : draft.teamIds.includes(x))),
                              )
                            }
                          />
                          {t.key}
                        </label>
                      );
                    })}
                  </fieldset>
                )}
              </Property>
            )}
            {allowedParentLevels(level).length > 0 && (
              <Property label="Parent" field="parentId" error={errorFor("parentId")} wide>
                {(id) => (
                  <ParentSelect
                    id={id}
                    art={art}
                    item={base}
                    value={draft.parentId}
                    currentParent={parent}
                    onChange={(v) => update("parentId", v)}
                  />
                )}
              </Property>
            )}
            <Property label="PI" field="piId" error={errorFor("piId")}>
              {(id) => (
                <select
                  id={id}
                  className="input"
                  value={draft.piId ?? ""}
                  onChange={(e) => {
                    const piId = e.target.value || null;
                    update("piId", piId);
                    const iteration = art.pis.flatMap((p) => p.iterations).find((i) => i.id === draft.iterationId);
                    if (iteration && iteration.piId !== piId) update("iterationId", null);
                  }}
                  data-testid="field-piId"
                >
                  <option value="">No PI</option>
                  {art.pis.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Property>
            <Property label="Iteration" field="iterationId" error={errorFor("iterationId")}>
              {(id) => (
                <select
                  id={id}
                  className="input"
                  value={draft.iterationId ?? ""}
                  onChange={(e) => {
                    const iterationId = e.target.value || null;
                    update("iterationId", iterationId);
                    const pi = art.pis.find((p) => p.iterations.some((i) => i.id === iterationId));
                    if (pi && pi.id !== draft.piId) update("piId", pi.id);
                  }}
                  data-testid="field-iterationId"
                >
                  <option value="">No iteration</option>
                  {art.pis
                    .filter((p) => !draft.piId || p.id === draft.piId)
                    .map((p) => (
                      <optgroup key={p.id} label={p.name}>
                        {p.iterations.map((i) => (
                          <option key={i.id} value={i.id}>
                            {i.name} ({i.startDate.slice(5)} – {i.endDate.slice(5)})
                          </option>
                        ))}
                      </optgroup>
                    ))}
                </select>
              )}
            </Property>
            <Property label="Owner" field="ownerId" error={errorFor("ownerId")}>
              {(id) => <OwnerSelect id={id} value={draft.ownerId} onChange={(v) => update("ownerId", v)} />}
            </Property>
            <Property label="Labels" field="labels" error={errorFor("labels")} wide>
              {(id) => <LabelsInput id={id} value={draft.labels} onChange={(v) => update("labels", v)} />}
            </Property>
            <Property label="Blocked" field="blockedReason" error={errorFor("blockedReason")} wide>
              {(id) => (
                <BlockedField
                  id={id}
                  value={draft.blockedReason}
                  invalid={Boolean(errorFor("blockedReason"))}
                  onChange={(v) => update("blockedReason", v)}
                />
              )}
            </Property>
          </div>

          {askReady && quality.readiness && (
            <ReadyWarning
              missing={quality.readiness.missing}
              onConfirm={() => {
                setAskReady(false);
                update("state", "ready");
              }}
              onCancel={() => setAskReady(false)}
            />
          )}

          <section className="panel-section">
            <h3 className="section-title">
              <label htmlFor="field-description">Description</label>
            </h3>
            {mayEdit ? (
              <MarkdownEditor
                id="field-description"
                value={draft.description}
                onChange={(v) => update("description", v)}
                placeholder="What is this about, and for whom? (Markdown)"
                maxLength={LIMITS.description}
                testId="field-description"
                invalid={Boolean(errorFor("description"))}
              />
            ) : draft.description.trim() ? (
              <Markdown source={draft.description} className="md-preview" testId="description-view" />
            ) : (
              <p className="muted empty-line">No description.</p>
            )}
            <FieldMessage message={errorFor("description")} field="description" />
          </section>

          {!isStory && (
            <section className="panel-section">
              <h3 className="section-title">
                <label htmlFor="field-benefit">Benefit hypothesis</label>
              </h3>
              <textarea
                id="field-benefit"
                className="input textarea"
                readOnly={!mayEdit}
                rows={2}
                value={draft.benefitHypothesis}
                maxLength={LIMITS.benefitHypothesis}
                placeholder="We believe that … will result in …; we will know when …"
                onChange={(e) => update("benefitHypothesis", e.target.value)}
                data-testid="field-benefitHypothesis"
              />
              <FieldMessage message={errorFor("benefitHypothesis")} field="benefitHypothesis" />
            </section>
          )}

          <section className="panel-section">
            <h3 className="section-title">
              Acceptance criteria <span className="count">{draft.acceptanceCriteria.length}</span>
            </h3>
            {mayEdit ? (
              <CriteriaEditor
                value={draft.acceptanceCriteria}
                onChange={(v) => update("acceptanceCriteria", v)}
                errors={criteriaErrors}
                accepting={accepting}
                backdrop={(i, text, className) => (
                  <FieldBackdrop
                    quality={quality}
                    field="acceptanceCriteria"
                    index={i}
                    text={text}
                    className={className}
                  />
                )}
              />
            ) : draft.acceptanceCriteria.length > 0 ? (
              <CriteriaView value={draft.acceptanceCriteria} accepting={accepting} />
            ) : (
              <p className="muted empty-line">No acceptance criteria.</p>
            )}
            <FieldMessage
              message={errors.find((e) => e.path === "acceptanceCriteria")?.message}
              field="acceptanceCriteria"
            />
          </section>
        </fieldset>

        {isStory && base.state !== "split" && (
          <ReadinessSection
            readiness={quality.readiness}
            live={quality.live}
            mayTick={mayEdit}
            busy={ticking}
            error={errorFor("readyChecks")}
            onTick={(id, ticked) => void tickReady(id, ticked)}
          />
        )}

        <QualitySection itemKey={itemKey} quality={quality} names={names} mayDismiss={mayEdit} isStory={isStory} />

        {!isStory && (
          <WsjfSection
            draft={draft}
            mayScore={(input) => rights.canScore(input, art.id)}
            errorFor={errorFor}
            onChange={(input, value) => {
              if (!scoring && !saving) void score(input, value);
            }}
          />
        )}

        {!isStory && (
          <EconomicSection
            draft={draft}
            mayEdit={mayEdit && rights.can("score_wsjf", art.id)}
            errorFor={errorFor}
            onChange={update}
          />
        )}

        {(detail.children.length > 0 || level !== "story") && <ChildrenSection detail={detail} art={art} />}

        <RelationsSection detail={detail} mayRelate={mayRelate} />

        <FeedbackSection art={art.key} itemKey={itemKey} mayRecord={mayRecordFeedback} />

        <section className="panel-section">
          <div className="tabs" role="tablist" aria-label="Activity">
            <button
              type="button"
              role="tab"
              aria-selected={tab === "comments"}
              className={tab === "comments" ? "is-active" : ""}
              onClick={() => setTab("comments")}
              data-testid="tab-comments"
            >
              Comments <span className="count">{detail.comments.length}</span>
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === "history"}
              className={tab === "history" ? "is-active" : ""}
              onClick={() => setTab("history")}
              data-testid="tab-history"
            >
              History
            </button>
          </div>
          <div role="tabpanel">
            {tab === "comments" ? (
              <CommentsSection detail={detail} names={names} mayComment={mayComment} />
            ) : (
              <HistorySection itemKey={itemKey} names={names} />
            )}
          </div>
        </section>
      </div>

      {!mayEdit ? (
        <footer className="savebar savebar-read-only" data-testid="savebar">
          <span className="savebar-status" data-testid="save-status">
            <span className="read-only-badge" data-testid="read-only">
              Read only
            </span>{" "}
            Updated {formatDateTime(base.updatedAt)} by {personName(people, base.updatedBy)}
          </span>
        </footer>
      ) : (
        <footer className="savebar" data-testid="savebar">
          <span className="savebar-status" data-testid="save-status" aria-live="polite">
            {formError ? (
              <span className="field-error" data-testid="form-error">
                {formError}
              </span>
            ) : saving ? (
              "Saving…"
            ) : dirty.length > 0 ? (
              `${dirty.length} unsaved change${dirty.length === 1 ? "" : "s"}: ${dirty.map((f) => FIELD_LABELS[f]).join(", ")}`
            ) : savedAt ? (
              "Saved"
            ) : (
              `Updated ${formatDateTime(base.updatedAt)} by ${personName(people, base.updatedBy)}`
            )}
          </span>
          <button
            type="button"
            className="button"
            onClick={discard}
            disabled={dirty.length === 0 || saving}
            data-testid="discard-button"
          >
            Discard
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={save}
            disabled={dirty.length === 0 || saving}
            title="Save (Ctrl+S)"
            data-testid="save-button"
          >
            Save
          </button>
        </footer>
      )}

      {askRework && (
        <ReworkDialog
          itemKey={base.key}
          from={base.state}
          to={askRework}
          initial={rework}
          onMoveBack={(answer) => {
            setRework(answer);
            setAskRework(null);
            applyState(askRework);
          }}
          onCancel={() => setAskRework(null)}
        />
      )}
      {dialog === "split" && <SplitStoryDialog item={base} onClose={() => setDialog(null)} onDone={afterRefining} />}
      {dialog === "breakdown" && (
        <BreakDownFeatureDialog item={base} onClose={() => setDialog(null)} onDone={afterRefining} />
      )}
    </div>
  );
}

/** Names for ids in history and conflicts: people, teams and PIs from the train; items from every loaded list. */
function useNames(art: Art, detail: ItemDetail, people: Names["people"]): Names {
  const client = useQueryClient();
  const lists = client.getQueriesData<{ items: BacklogRow[] }>({ queryKey: queryKeys.backlogs(art.key) });
  return useMemo(() => {
    const items = new Map<string, string>();
    for (const [, list] of lists) for (const r of list?.items ?? []) items.set(r.id, r.key);
    for (const r of [...detail.ancestors, ...detail.children, ...detail.relations.map((x) => x.item)]) {
      items.set(r.id, r.key);
    }
    return { art, people, items };
  }, [art, people, detail, lists]);
}

function Property(props: {
  label: string;
  field: string;
  error: string | undefined;
  wide?: boolean;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`property ${props.wide ? "property-wide" : ""} ${props.error ? "has-error" : ""}`}>
      <label className="property-label" htmlFor={id}>
        {props.label}
      </label>
      <div className="property-value">
        {props.children(id)}
        <FieldMessage message={props.error} field={props.field} />
      </div>
    </div>
  );
}

function FieldMessage({ message, field }: { message: string | undefined; field: string }) {
  if (!message) return null;
  return (
    <p className="field-error" role="alert" data-testid={`error-${field}`}>
      {message}
    </p>
  );
}

function ParentSelect(props: {
  id: string;
  art: Art;
  item: Item;
  value: string | null;
  currentParent: { id: string; key: string; title: string } | undefined;
  onChange: (value: string | null) => void;
}) {
  const levels = allowedParentLevels(props.item.level);
  const epics = useLevelItems(props.art.key, "epic", levels.includes("epic"));
  const capabilities = useLevelItems(props.art.key, "capability", levels.includes("capability"));
  const features = useLevelItems(props.art.key, "feature", levels.includes("feature"));
  const groups = [
    { label: "Epics", rows: levels.includes("epic") ? (epics.data?.items ?? []) : [] },
    { label: "Capabilities", rows: levels.includes("capability") ? (capabilities.data?.items ?? []) : [] },
    { label: "Features", rows: levels.includes("feature") ? (features.data?.items ?? []) : [] },
  ].filter((g) => g.rows.length > 0);
  const known = groups.some((g) => g.rows.some((r) => r.id === props.value));
  return (
    <select
      id={props.id}
      className="input"
      value={props.value ?? ""}
      onChange={(e) => props.onChange(e.target.value || null)}
      data-testid="field-parentId"
    >
      <option value="">No parent</option>
      {props.value && !known && (
        <option value={props.value}>
          {props.currentParent?.id === props.value
            ? `${props.currentParent.key} · ${props.currentParent.title}`
            : "Current parent"}
        </option>
      )}
      {groups.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {g.rows.map((r) => (
            <option key={r.id} value={r.id}>
              {r.key} · {r.title}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

function OwnerSelect(props: { id: string; value: string | null; onChange: (value: string | null) => void }) {
  const people = usePeople();
  return (
    <select
      id={props.id}
      className="input"
      value={props.value ?? ""}
      onChange={(e) => props.onChange(e.target.value || null)}
      data-testid="field-ownerId"
    >
      <option value="">Unassigned</option>
      {(people.data ?? []).map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

/** Labels as chips: type and press Enter (or comma) to add, Backspace in the empty box to remove the last. */
function LabelsInput(props: { id: string; value: string[]; onChange: (value: string[]) => void }) {
  const [text, setText] = useState("");
  const add = () => {
    const label = text.trim().replace(/,$/, "").trim();
    if (label && !props.value.includes(label) && props.value.length < LIMITS.labels) {
      props.onChange([...props.value, label].sort());
    }
    setText("");
  };
  return (
    <div className="chips-input">
      {props.value.map((l) => (
        <span key={l} className="label-chip label-chip-edit">
          {l}
          <button
            type="button"
            aria-label={`Remove label ${l}`}
            data-testid="label-remove"
            onClick={() => props.onChange(props.value.filter((x) => x !== l))}
          >
            <CloseIcon width={12} height={12} />
          </button>
        </span>
      ))}
      <input
        id={props.id}
        value={text}
        maxLength={LIMITS.label}
        placeholder={props.value.length ? "" : "Add a label"}
        data-testid="field-labels"
        onChange={(e) => setText(e.target.value)}
        onBlur={add}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === ",") {
            e.preventDefault();
            add();
          } else if (e.key === "Backspace" && text === "" && props.value.length > 0) {
            props.onChange(props.value.slice(0, -1));
          }
        }}
      />
    </div>
  );
}

/** The WSJF inputs of a program item as scale pickers (each saved when picked), and its Cost of Delay and WSJF. */
function WsjfSection(props: {
  draft: ItemFields;
  mayScore: (input: (typeof WSJF_INPUTS)[number]) => boolean;
  errorFor: (field: string) => string | undefined;
  onChange: (input: (typeof WSJF_INPUTS)[number], value: number | null) => void;
}) {
  const { draft } = props;
  const missing = missingInputs(draft);
  const value = wsjf(draft);
  const cod = costOfDelay(draft);
  return (
    <section className="panel-section" data-testid="wsjf-section">
      <h3 className="section-title">WSJF</h3>
      <div className="wsjf-inputs">
        {WSJF_INPUTS.map((input) => (
          <div key={input} className={`wsjf-input ${props.errorFor(input) ? "has-error" : ""}`}>
            <span className="property-label">{WSJF_INPUT_LABELS[input]}</span>
            <ScalePicker
              value={draft[input]}
              onChange={(v) => props.onChange(input, v)}
              label={WSJF_INPUT_LABELS[input]}
              disabled={!props.mayScore(input)}
              invalid={Boolean(props.errorFor(input))}
              testId={`field-${input}`}
            />
            <FieldMessage message={props.errorFor(input)} field={input} />
          </div>
        ))}
      </div>
      <p className="wsjf-result" data-testid="wsjf-result">
        <span>
          Cost of Delay <strong data-testid="panel-cod">{cod ?? "—"}</strong>
        </span>
        <span>
          WSJF <strong data-testid="panel-wsjf">{value ?? "—"}</strong>
        </span>
        {missing.length > 0 && (
          <span className="missing" data-testid="panel-wsjf-missing">
            {missingText(missing)}
          </span>
        )}
      </p>
    </section>
  );
}

type EconomicChange = <F extends "costOfDelayPerWeek" | "urgency" | "fixedDate" | "durationWeeks">(
  field: F,
  value: ItemFields[F],
) => void;

/**
 * The economic view of a program item: Cost of Delay per week, urgency profile (a fixed date only for fixed-date
 * items), duration in weeks, and the CD3 they give. Saved with the rest of the form.
 */
function EconomicSection(props: {
  draft: ItemFields;
  mayEdit: boolean;
  errorFor: (field: string) => string | undefined;
  onChange: EconomicChange;
}) {
  const { draft, errorFor, onChange } = props;
  const value = cd3(draft.costOfDelayPerWeek, draft.durationWeeks);
  const number = (raw: string) => (raw === "" ? null : Number(raw));
  return (
    <section className="panel-section" data-testid="economic-section">
      <h3 className="section-title">Cost of Delay (economic view)</h3>
      <fieldset className="properties economic-properties" disabled={!props.mayEdit}>
        <Property label="Cost of Delay per week" field="costOfDelayPerWeek" error={errorFor("costOfDelayPerWeek")}>
          {(id) => (
            <input
              id={id}
              className="input input-number"
              type="number"
              min={0}
              step="any"
              value={draft.costOfDelayPerWeek ?? ""}
              placeholder="money per week"
              onChange={(e) => onChange("costOfDelayPerWeek", number(e.target.value))}
              data-testid="field-costOfDelayPerWeek"
            />
          )}
        </Property>
        <Property label="Urgency" field="urgency" error={errorFor("urgency")}>
          {(id) => (
            <select
              id={id}
              className="input"
              value={draft.urgency ?? ""}
              onChange={(e) => {
                const urgency = (e.target.value || null) as UrgencyProfile | null;
                onChange("urgency", urgency);
                if (urgency !== "fixed_date" && draft.fixedDate !== null) onChange("fixedDate", null);
              }}
              data-testid="field-urgency"
            >
              <option value="">Not set</option>
              {URGENCY_PROFILES.map((u) => (
                <option key={u} value={u}>
                  {URGENCY_LABELS[u].label}
                </option>
              ))}
            </select>
          )}
        </Property>
        {(draft.urgency === "fixed_date" || draft.fixedDate !== null) && (
          <Property label="Fixed date" field="fixedDate" error={errorFor("fixedDate")}>
            {(id) => (
              <input
                id={id}
                className="input"
                type="date"
                value={draft.fixedDate ?? ""}
                onChange={(e) => onChange("fixedDate", e.target.value || null)}
                data-testid="field-fixedDate"
              />
            )}
          </Property>
        )}
        <Property label="Duration (weeks)" field="durationWeeks" error={errorFor("durationWeeks")}>
          {(id) => (
            <input
              id={id}
              className="input input-number"
              type="number"
              min={0.1}
              step={0.1}
              value={draft.durationWeeks ?? ""}
              placeholder="weeks"
              onChange={(e) => onChange("durationWeeks", number(e.target.value))}
              data-testid="field-durationWeeks"
            />
          )}
        </Property>
      </fieldset>
      {draft.urgency && <p className="hint">{URGENCY_LABELS[draft.urgency].explanation}</p>}
      <p className="wsjf-result" data-testid="economic-result">
        <span>
          CD3 <strong data-testid="panel-cd3">{value === null ? "—" : moneyText(value)}</strong>
        </span>
        {value === null && (
          <span className="missing">
            {draft.costOfDelayPerWeek === null && draft.durationWeeks === null
              ? "needs a Cost of Delay per week and a duration"
              : draft.costOfDelayPerWeek === null
                ? "needs a Cost of Delay per week"
                : "needs a duration"}
          </span>
        )}
      </p>
    </section>
  );
}

function ChildrenSection({ detail, art }: { detail: ItemDetail; art: Art }) {
  const noun = detail.item.level === "feature" ? "Stories" : "Children";
  return (
    <section className="panel-section" data-testid="children">
      <h3 className="section-title">
        {noun} <span className="count">{detail.childCount}</span>
        {detail.childPoints > 0 && <span className="muted section-aside">{detail.childPoints} pts</span>}
      </h3>
      {detail.children.length === 0 ? (
        <p className="muted empty-line">No {noun.toLowerCase()} yet.</p>
      ) : (
        <ul className="ref-list">
          {detail.children.map((c) => (
            <li key={c.id} className="ref-item">
              <a href={itemHref(c.key)} onClick={onLinkClick} className="ref-link" data-testid="child-link">
                <span className="key">{c.key}</span>
                <span className="ref-title">{c.title}</span>
              </a>
              {c.teamId && <span className="team-chip">{art.teams.find((t) => t.id === c.teamId)?.key}</span>}
              {c.points !== null && <span className="points">{c.points}</span>}
              <StateBadge state={c.state} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ConflictBanner(props: {
  base: Item;
  draft: ItemFields;
  dirty: EditableField[];
  theirs: Item;
  names: Names;
  saving: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const { base, draft, dirty, theirs, names } = props;
  const theirChanges = EDITABLE_FIELDS.filter((f) => !same(theirs[f], base[f]));
  const clashes = dirty.filter((f) => !same(draft[f], theirs[f]));
  const alsoTheirs = theirChanges.filter((f) => !dirty.includes(f));
  const who = theirs.updatedBy ? personName(names.people, theirs.updatedBy) : null;
  return (
    <div className="conflict" role="alert" data-testid="conflict-banner">
      <p className="conflict-title">
        Someone else changed this item (now version {theirs.version})
        {who && <span className="muted"> — last by {who}</span>}
      </p>
      {clashes.length > 0 && (
        <table className="conflict-fields" data-testid="conflict-fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Yours</th>
              <th scope="col">Theirs</th>
            </tr>
          </thead>
          <tbody>
            {clashes.map((f) => (
              <tr key={f} data-testid="conflict-field" data-field={f}>
                <th scope="row">{FIELD_LABELS[f]}</th>
                <td>{formatValue(f, draft[f], names)}</td>
                <td>{formatValue(f, theirs[f], names)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {alsoTheirs.length > 0 && (
        <p className="conflict-note">
          They also changed {alsoTheirs.map((f) => FIELD_LABELS[f]).join(", ")}; keeping yours leaves{" "}
          {alsoTheirs.length === 1 ? "that" : "those"} as they set {alsoTheirs.length === 1 ? "it" : "them"}.
        </p>
      )}
      <div className="conflict-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={props.onKeepMine}
          disabled={props.saving || dirty.length === 0}
          data-testid="conflict-keep-mine"
        >
          Keep mine
        </button>
        <button
          type="button"
          className="button"
          onClick={props.onTakeTheirs}
          disabled={props.saving}
          data-testid="conflict-take-theirs"
        >
          Take theirs
        </button>
      </div>
    </div>
  );
}
