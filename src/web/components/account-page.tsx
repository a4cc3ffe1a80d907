// One's own account: who one is and one's roles, changing one's password, and personal API tokens (for scripts and
// the CLI against a server: made here, shown once, revoked here).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { PASSWORD_MIN } from "../../core/account";
import { ApiError, api, type FieldError } from "../lib/api";
import { formatDateTime, formatRelative } from "../lib/format";
import { useArts } from "../lib/queries";
import { roleLabel } from "../lib/rights";
import { type AccountSection, accountPath, onLinkClick } from "../lib/router";
import { useMe } from "../lib/session";
import { showToast } from "../lib/toasts";
import type { ApiToken, NewApiToken } from "../lib/types";
import { CopyField } from "./copy-field";

const SECTIONS: { section: AccountSection; label: string }[] = [
  { section: "password", label: "Change password" },
  { section: "tokens", label: "API tokens" },
];

export function AccountPage({ section }: { section: AccountSection }) {
  const me = useMe();
  const arts = useArts().data ?? [];
  const title = SECTIONS.find((s) => s.section === section)?.label ?? "";
  useEffect(() => {
    document.title = `${title} · Trainyard`;
  }, [title]);
  return (
    <main className="settings-page" data-testid="account-page">
      <header className="settings-header">
        <h1>{me.name}</h1>
        <p className="muted">
          {me.email}
          {me.admin && <span className="admin-badge">Administrator</span>}
        </p>
        {me.roles.length > 0 && (
          <ul className="role-chips" aria-label="Your roles">
            {me.roles.map((r) => (
              <li key={r.id} className="role-chip">
                {roleLabel(r, arts)}
              </li>
            ))}
          </ul>
        )}
      </header>
      <div className="settings-body">
        <nav className="settings-nav" aria-label="Account">
          {SECTIONS.map((s) => (
            <a
              key={s.section}
              href={accountPath(s.section)}
              onClick={onLinkClick}
              className={s.section === section ? "is-active" : ""}
              aria-current={s.section === section ? "page" : undefined}
            >
              {s.label}
            </a>
          ))}
        </nav>
        <section className="settings-section">
          {section === "password" ? <ChangePassword email={me.email} /> : <ApiTokens />}
        </section>
      </div>
    </main>
  );
}

function PasswordField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  autoComplete: string;
  testId: string;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="form-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className="input"
        type="password"
        value={props.value}
        maxLength={200}
        autoComplete={props.autoComplete}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
      {props.error ? (
        <span className="field-error" data-testid={`${props.testId}-error`}>
          {props.error}
        </span>
      ) : (
        props.hint && <span className="hint">{props.hint}</span>
      )}
    </div>
  );
}

function ChangePassword({ email }: { email: string }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const errorFor = (path: string) => errors.find((e) => e.path === path)?.message;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    setFormError(null);
    if (next !== confirm) {
      setErrors([{ path: "confirm", message: "The two passwords differ." }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await api.changePassword({ currentPassword: current, newPassword: next });
      setCurrent("");
      setNext("");
      setConfirm("");
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) setErrors(err.errors);
      else setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-form" onSubmit={submit} data-testid="change-password-form" noValidate>
      <h2>Change password</h2>
      <input type="hidden" autoComplete="username" value={email} />
      <PasswordField
        label="Current password"
        value={current}
        onChange={setCurrent}
        error={errorFor("currentPassword")}
        autoComplete="current-password"
        testId="current-password"
      />
      <PasswordField
        label="New password"
        value={next}
        onChange={setNext}
        error={errorFor("newPassword")}
        autoComplete="new-password"
        testId="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
      />
      <PasswordField
        label="Confirm the new password"
        value={confirm}
        onChange={setConfirm}
        error={errorFor("confirm")}
        autoComplete="new-password"
        testId="confirm-password"
      />
      {formError && (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      )}
      {done && (
        <p className="notice notice-ok" role="status" data-testid="password-changed">
          Your password is changed. Your other sessions were signed out; this one stays signed in.
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy} data-testid="change-password">
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

const tokensKey = ["tokens"] as const;

function ApiTokens() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => api.tokens().then((r) => r.items) });
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<NewApiToken | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.createToken(name.trim()));
      setName("");
      await client.invalidateQueries({ queryKey: tokensKey });
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldMessage("name") ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: ApiToken) => {
    if (!window.confirm(`Revoke the token "${token.name}"? Anything using it stops working.`)) return;
    try {
      await api.revokeToken(token.id);
      if (created?.id === token.id) setCreated(null);
      await client.invalidateQueries({ queryKey: tokensKey });
      showToast(`Revoked the token "${token.name}".`, "success");
    } catch (err) {
      showToast(err instanceof Error ? err.message : String(err), "error");
    }
  };

  const list = tokens.data ?? [];
  return (
    <div className="settings-form" data-testid="api-tokens">
      <h2>API tokens</h2>
      <p className="muted">
        A personal token lets a script or the <code>trainyard</code> command act as you over the API: send it as{" "}
        <code>Authorization: Bearer …</code>. It can do what you can do.
      </p>
      <form className="inline-form" onSubmit={create}>
        <input
          className="input"
          value={name}
          maxLength={100}
          placeholder="What is it for? e.g. Nightly report"
          aria-label="Token name"
          aria-invalid={error ? true : undefined}
          onChange={(e) => setName(e.target.value)}
          data-testid="token-name"
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !name.trim()}
          data-testid="token-create"
        >
          Create token
        </button>
      </form>
      {error && <p className="field-error">{error}</p>}
      {created && (
        <div className="secret-once" role="status" data-testid="token-created">
          <p>
            <strong>Copy the token "{created.name}" now.</strong> It is shown only this once; if you lose it, revoke it
            and make another.
          </p>
          <CopyField value={created.token} label="The new token" testId="token-value" />
          <button type="button" className="button-link" onClick={() => setCreated(null)} data-testid="token-dismiss">
            I have copied it
          </button>
        </div>
      )}
      {tokens.error ? (
        <p className="notice notice-error">Could not load your tokens: {tokens.error.message}</p>
      ) : list.length === 0 ? (
        <p className="muted empty-line">{tokens.isLoading ? "Loading…" : "You have no tokens."}</p>
      ) : (
        <table className="data-table" data-testid="token-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.id} data-testid="token-row" className={t.revokedAt ? "is-revoked" : ""}>
                <td>{t.name}</td>
                <td className="mono">…{t.hint}</td>
                <td title={formatDateTime(t.createdAt)}>{formatRelative(t.createdAt)}</td>
                <td>{t.lastUsedAt ? formatRelative(t.lastUsedAt) : <span className="muted">never</span>}</td>
                <td className="actions">
                  {t.revokedAt ? (
                    <span className="muted">revoked {formatRelative(t.revokedAt)}</span>
                  ) : (
                    <button
                      type="button"
                      className="button button-danger"
                      onClick={() => void revoke(t)}
                      data-testid="token-revoke"
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
