// People & roles: every account with its state and roles. Administrators invite people (a one-time link to pass on),
// reset passwords, make or remove administrators and deactivate accounts; they and the RTEs of a train grant and
// revoke roles on that train and its teams.
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useMemo, useState } from "react";
import { LIMITS } from "../../core/work-item";
import { ApiError, api, type FieldError } from "../lib/api";
import { formatDateTime } from "../lib/format";
import { ROLE_LABELS, ROLES, type Role, roleLabel, useRights } from "../lib/rights";
import { sessionKey, useMe } from "../lib/session";
import { showToast } from "../lib/toasts";
import type { Account, Art, PasswordLink, RoleGrant } from "../lib/types";
import { CopyField } from "./copy-field";
import { CloseIcon, PlusIcon } from "./icons";

const usersKey = ["users"] as const;
const rolesKey = (art: string) => ["roles", art] as const;

type Grant = RoleGrant & { id: string };

export function AdminPeople({ arts }: { arts: Art[] }) {
  const rights = useRights();
  const client = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: () => api.users().then((r) => r.items) });
  const grantable = useMemo(() => arts.filter((a) => rights.can("grant_roles", a.id)), [arts, rights]);
  // Administrators read everyone's roles with the accounts; an RTE reads them from the trains they look after.
  const roleLists = useQueries({
    queries: (rights.admin ? [] : grantable).map((a) => ({
      queryKey: rolesKey(a.id),
      queryFn: () => api.roles(a.id).then((r) => r.items),
    })),
  });
  const [filter, setFilter] = useState("");

  useEffect(() => {
    document.title = "People & roles · Trainyard";
  }, []);

  const rolesOf = (account: Account): Grant[] => {
    if (rights.admin) return account.roles;
    return roleLists.flatMap((q) => (q.data ?? []).filter((h) => h.person.id === account.id));
  };

  /** After any change: the accounts, the role lists, and one's own session (one may have changed oneself). */
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: usersKey }),
      client.invalidateQueries({ queryKey: ["roles"] }),
      client.invalidateQueries({ queryKey: sessionKey }),
    ]);

  const q = filter.trim().toLowerCase();
  const list = (users.data ?? []).filter(
    (a) => !q || a.name.toLowerCase().includes(q) || a.email.toLowerCase().includes(q),
  );

  return (
    <main className="admin-page" data-testid="people-page">
      <header className="admin-header">
        <h1>People &amp; roles</h1>
        <p className="muted">
          {rights.admin
            ? "Invite people, grant their roles on trains and teams, and manage their accounts."
            : "Grant and revoke roles on the trains you are the RTE of."}
        </p>
      </header>
      {rights.admin && <InviteForm onInvited={refresh} />}
      <div className="admin-toolbar">
        <input
          type="search"
          className="input admin-filter"
          placeholder="Filter by name or email"
          aria-label="Filter people"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="people-filter"
        />
        <span className="muted">{users.data ? `${list.length} of ${users.data.length}` : ""}</span>
      </div>
      {users.error ? (
        <p className="notice notice-error" role="alert">
          Could not load the accounts: {users.error.message}
        </p>
      ) : users.isLoading ? (
        <p className="muted empty-line">Loading…</p>
      ) : (
        <table className="data-table people-table" data-testid="people-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Status</th>
              <th scope="col">Roles</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <PersonRow
                key={a.id}
                account={a}
                roles={rolesOf(a)}
                arts={arts}
                grantable={grantable}
                onChanged={refresh}
              />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function statusOf(a: Account): { label: string; tone: string } {
  if (!a.active) return { label: "Deactivated", tone: "off" };
  if (!a.hasPassword) return { label: "Invited", tone: "invited" };
  if (a.lockedUntil && Date.parse(a.lockedUntil) > Date.now()) {
    return { label: `Locked until ${formatDateTime(a.lockedUntil)}`, tone: "locked" };
  }
  return { label: "Active", tone: "active" };
}

const failed = (err: unknown) => showToast(err instanceof Error ? err.message : String(err), "error");

function PersonRow(props: {
  account: Account;
  roles: Grant[];
  arts: Art[];
  grantable: Art[];
  onChanged: () => Promise<unknown>;
}) {
  const { account: a, roles, arts, grantable, onChanged } = props;
  const rights = useRights();
  const me = useMe();
  const [open, setOpen] = useState<{ kind: "grant" } | { kind: "link"; link: PasswordLink } | null>(null);
  const [busy, setBusy] = useState(false);
  const status = statusOf(a);
  const self = a.id === me.id;

  const run = async (action: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await action();
      await onChanged();
      if (done) showToast(done, "success");
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const reset = () =>
    run(async () => {
      const link = await api.resetPassword(a.id);
      setOpen({ kind: "link", link });
    });
  const setAdmin = (admin: boolean) =>
    run(
      () => api.updateUser(a.id, { admin }),
      admin ? `${a.name} is an administrator now.` : `${a.name} is no longer an administrator.`,
    );
  const setActive = (active: boolean) => {
    if (!active && !window.confirm(`Deactivate ${a.name}? They are signed out and cannot sign in until reactivated.`)) {
      return;
    }
    void run(
      () => api.updateUser(a.id, { active }),
      active ? `${a.name} can sign in again.` : `${a.name} is deactivated.`,
    );
  };
  const revoke = (grant: Grant) =>
    run(() => api.revokeRole(grant.artId, grant.id), `Revoked: ${roleLabel(grant, arts)} of ${a.name}.`);

  const mayRevoke = (grant: Grant) => rights.can("grant_roles", grant.artId);

  return (
    <>
      <tr data-testid="person-row" data-email={a.email} className={a.active ? "" : "is-inactive"}>
        <td>
          <span className="person-name" data-testid="person-name">
            {a.name}
          </span>
          {a.admin && <span className="admin-badge">Admin</span>}
          {self && <span className="muted"> (you)</span>}
        </td>
        <td className="person-email">{a.email}</td>
        <td>
          <span className={`status status-${status.tone}`} data-testid="person-status">
            {status.label}
          </span>
        </td>
        <td>
          <ul className="role-chips" data-testid="person-roles">
            {roles.map((g) => (
              <li key={g.id} className="role-chip" data-testid="role-chip">
                {roleLabel(g, arts)}
                {mayRevoke(g) && (
                  <button
                    type="button"
                    aria-label={`Revoke ${roleLabel(g, arts)} from ${a.name}`}
                    title="Revoke this role"
                    disabled={busy}
                    onClick={() => void revoke(g)}
                    data-testid="role-revoke"
                  >
                    <CloseIcon width={12} height={12} />
                  </button>
                )}
              </li>
            ))}
            {roles.length === 0 && <li className="muted">No role</li>}
          </ul>
        </td>
        <td className="actions">
          {grantable.length > 0 && a.active && (
            <button
              type="button"
              className="button button-small"
              aria-expanded={open?.kind === "grant"}
              onClick={() => setOpen(open?.kind === "grant" ? null : { kind: "grant" })}
              data-testid="grant-open"
            >
              <PlusIcon width={12} height={12} /> Role
            </button>
          )}
          {rights.admin && (
            <>
              {a.active && (
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  onClick={() => void reset()}
                  data-testid="reset-password"
                >
                  Reset password
                </button>
              )}
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => void setAdmin(!a.admin)}
                data-testid="toggle-admin"
              >
                {a.admin ? "Remove admin" : "Make admin"}
              </button>
              <button
                type="button"
                className={`button button-small ${a.active ? "button-danger" : ""}`}
                disabled={busy}
                onClick={() => setActive(!a.active)}
                data-testid="toggle-active"
              >
                {a.active ? "Deactivate" : "Reactivate"}
              </button>
            </>
          )}
        </td>
      </tr>
      {open && (
        <tr className="row-expansion">
          <td colSpan={5}>
            {open.kind === "grant" ? (
              <GrantRoleForm
                account={a}
                arts={grantable}
                onDone={async () => {
                  setOpen(null);
                  await onChanged();
                }}
                onCancel={() => setOpen(null)}
              />
            ) : (
              <LinkNotice link={open.link} name={a.name} onClose={() => setOpen(null)} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function LinkNotice({ link, name, onClose }: { link: PasswordLink; name: string; onClose?: () => void }) {
  return (
    <div className="secret-once" role="status" data-testid="password-link">
      <p>
        <strong>
          {link.purpose === "invite"
            ? `Send ${name} this invitation link`
            : `Send ${name} this link to set a new password`}
        </strong>{" "}
        (it works once, until {formatDateTime(link.expiresAt)}). It is shown only now.
      </p>
      <CopyField value={link.url} label="The one-time link" testId="password-link-url" />
      {onClose && (
        <button type="button" className="button-link" onClick={onClose} data-testid="password-link-close">
          Done
        </button>
      )}
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: () => Promise<unknown> }) {
  const ids = useId();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [admin, setAdmin] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<{ name: string; link: PasswordLink } | null>(null);
  const errorFor = (path: string) => errors.find((e) => e.path === path)?.message;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors([]);
    setFormError(null);
    try {
      const { account, link } = await api.invite({ name: name.trim(), email: email.trim(), admin });
      setInvited({ name: account.name, link });
      setName("");
      setEmail("");
      setAdmin(false);
      await onInvited();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) setErrors(err.errors);
      else setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card invite-card">
      <form className="invite-form" onSubmit={submit} data-testid="invite-form" noValidate>
        <h2>Invite someone</h2>
        <div className="form-row">
          <div className="form-field form-field-grow">
            <label htmlFor={`${ids}-name`}>Name</label>
            <input
              id={`${ids}-name`}
              className="input"
              value={name}
              maxLength={LIMITS.name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={errorFor("name") ? true : undefined}
              data-testid="invite-name"
            />
            {errorFor("name") && <span className="field-error">{errorFor("name")}</span>}
          </div>
          <div className="form-field form-field-grow">
            <label htmlFor={`${ids}-email`}>Email</label>
            <input
              id={`${ids}-email`}
              className="input"
              type="email"
              value={email}
              maxLength={200}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={errorFor("email") ? true : undefined}
              data-testid="invite-email"
            />
            {errorFor("email") && (
              <span className="field-error" data-testid="invite-email-error">
                {errorFor("email")}
              </span>
            )}
          </div>
          <label className="check-field">
            <input
              type="checkbox"
              checked={admin}
              onChange={(e) => setAdmin(e.target.checked)}
              data-testid="invite-admin"
            />
            Administrator
          </label>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="invite">
            {busy ? "Inviting…" : "Invite"}
          </button>
        </div>
        {formError && (
          <p className="field-error" role="alert" data-testid="invite-error">
            {formError}
          </p>
        )}
      </form>
      {invited && <LinkNotice link={invited.link} name={invited.name} onClose={() => setInvited(null)} />}
    </section>
  );
}

function GrantRoleForm(props: { account: Account; arts: Art[]; onDone: () => Promise<void>; onCancel: () => void }) {
  const { account, arts } = props;
  const ids = useId();
  const [chosenArt, setArtId] = useState<string | null>(null);
  const artId = chosenArt ?? arts[0]?.id ?? "";
  const [role, setRole] = useState<Role>("team_member");
  const [teamId, setTeamId] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const art = arts.find((a) => a.id === artId);
  const errorFor = (path: string) => errors.find((e) => e.path === path)?.message;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!art) return;
    setBusy(true);
    setErrors([]);
    setFormError(null);
    try {
      await api.grantRole(art.id, { person: account.id, role, ...(teamId ? { team: teamId } : {}) });
      showToast(
        `${account.name} is ${ROLE_LABELS[role]} on ${art.teams.find((t) => t.id === teamId)?.name ?? art.name} now.`,
        "success",
      );
      await props.onDone();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) setErrors(err.errors);
      else setFormError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="grant-form" onSubmit={submit} data-testid="grant-form">
      <span className="grant-form-title">Grant {account.name} a role</span>
      <label className="form-field">
        <span>Train</span>
        <select
          id={`${ids}-art`}
          className="input"
          value={artId}
          onChange={(e) => {
            setArtId(e.target.value);
            setTeamId("");
          }}
          data-testid="grant-art"
        >
          {arts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.key})
            </option>
          ))}
        </select>
      </label>
      <label className="form-field">
        <span>Role</span>
        <select
          className="input"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          aria-invalid={errorFor("role") ? true : undefined}
          data-testid="grant-role"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <label className="form-field">
        <span>On</span>
        <select
          className="input"
          value={teamId}
          onChange={(e) => setTeamId(e.target.value)}
          aria-invalid={errorFor("team") ? true : undefined}
          data-testid="grant-team"
        >
          <option value="">The whole train</option>
          {(art?.teams ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              Team {t.name} ({t.key})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={busy || !art} data-testid="grant-submit">
        Grant
      </button>
      <button type="button" className="button" onClick={props.onCancel}>
        Cancel
      </button>
      {(formError || errors.length > 0) && (
        <p className="field-error grant-form-error" role="alert" data-testid="grant-error">
          {formError ?? errors.map((e) => `${e.path}: ${e.message}`).join("; ")}
        </p>
      )}
    </form>
  );
}
