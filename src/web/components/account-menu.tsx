// The signed-in person's menu, top right: their password and API tokens, the people and audit screens for those who
// administer, and signing out.
import { useQueryClient } from "@tanstack/react-query";
import { type MouseEvent, useEffect, useRef } from "react";
import { initials } from "../lib/format";
import { useRights } from "../lib/rights";
import { ADMIN_AUDIT_PATH, ADMIN_PEOPLE_PATH, accountPath, onLinkClick } from "../lib/router";
import { signOut, useMe } from "../lib/session";
import { showToast } from "../lib/toasts";

export function AccountMenu() {
  const me = useMe();
  const rights = useRights();
  const client = useQueryClient();
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

  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    if (ref.current) ref.current.open = false;
    onLinkClick(e);
  };
  const leave = async () => {
    if (ref.current) ref.current.open = false;
    try {
      await signOut(client);
    } catch (err) {
      showToast(`Signed out here; the server said: ${err instanceof Error ? err.message : String(err)}`, "error");
    }
  };

  return (
    <details ref={ref} className="account-menu" data-testid="account-menu">
      <summary className="account-menu-button" title={me.email} data-testid="account-menu-button">
        <span className="avatar avatar-small" aria-hidden="true">
          {initials(me.name)}
        </span>
        <span className="account-name" data-testid="account-name">
          {me.name}
        </span>
      </summary>
      <div className="menu account-menu-list" role="menu">
        <div className="account-menu-who">
          <strong>{me.name}</strong>
          <span className="muted">{me.email}</span>
          {me.admin && <span className="admin-badge">Administrator</span>}
        </div>
        <a role="menuitem" href={accountPath("password")} onClick={follow} data-testid="menu-password">
          Change password
        </a>
        <a role="menuitem" href={accountPath("tokens")} onClick={follow} data-testid="menu-tokens">
          API tokens
        </a>
        {rights.administers && (
          <>
            <span className="menu-sep" />
            <a role="menuitem" href={ADMIN_PEOPLE_PATH} onClick={follow} data-testid="menu-people">
              People &amp; roles
            </a>
            <a role="menuitem" href={ADMIN_AUDIT_PATH} onClick={follow} data-testid="menu-audit">
              Audit
            </a>
          </>
        )}
        <span className="menu-sep" />
        <button type="button" role="menuitem" onClick={() => void leave()} data-testid="sign-out">
          Sign out
        </button>
      </div>
    </details>
  );
}
