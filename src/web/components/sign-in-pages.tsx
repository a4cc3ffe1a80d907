// The pages before the app: signing in, creating the first administrator of a new Trainyard, and setting a password
// with a one-time link (an invitation or a reset). Nothing of any train shows here.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { PASSWORD_MIN } from "../../core/account";
import { LIMITS } from "../../core/work-item";
import { ApiError, api, type FieldError } from "../lib/api";
import { navigate } from "../lib/router";
import { startSession } from "../lib/session";
import type { Session } from "../lib/types";
import { TrainIcon } from "./icons";

/** Field messages and a message for the whole form, from a failed call. */
interface Problems {
  fields: FieldError[];
  form: string | null;
  /** The server's message, even when its fields say it all. */
  message: string | null;
}

const NO_PROBLEMS: Problems = { fields: [], form: null, message: null };

function problemsOf(error: unknown): Problems {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 900) / 60));
      const form = `Too many failed sign-ins from this address. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
      return { fields: [], form, message: form };
    }
    return { fields: error.errors, form: error.errors.length > 0 ? null : error.message, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { fields: [], form: message, message };
}

function AuthPage({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-brand">
        <TrainIcon className="first-run-logo" width={32} height={32} />
        <span>Trainyard</span>
      </div>
      <div className="card auth-card">
        <h1>{title}</h1>
        {intro && <p className="auth-intro">{intro}</p>}
        {children}
      </div>
    </main>
  );
}

function Field(props: {
  label: string;
  type?: "text" | "email" | "password";
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  autoComplete: string;
  testId: string;
  hint?: string;
  maxLength?: number;
  autoFocus?: boolean;
}) {
  const id = useId();
  const described = props.error || props.hint ? `${id}-note` : undefined;
  return (
    <div className="form-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className="input"
        type={props.type ?? "text"}
        value={props.value}
        maxLength={props.maxLength ?? 200}
        autoComplete={props.autoComplete}
        // biome-ignore lint/a11y/noAutofocus: the one field of a page whose only job is this form
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
        required
      />
      {props.error ? (
        <span id={described} className="field-error" data-testid={`${props.testId}-error`}>
          {props.error}
        </span>
      ) : (
        props.hint && (
          <span id={described} className="hint">
            {props.hint}
          </span>
        )
      )}
    </div>
  );
}

function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="notice notice-error auth-error" role="alert" data-testid="auth-error">
      {message}
    </p>
  );
}

const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters; a few words make a good one.`;

/** Checks the two password fields agree before asking the server. */
function confirmProblem(password: string, confirm: string): Problems | null {
  if (password === confirm) return null;
  return { fields: [{ path: "confirm", message: "The two passwords differ." }], form: null, message: null };
}

function useSubmit<T>(call: () => Promise<T>, done: (result: T) => void, precheck?: () => Problems | null) {
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const early = precheck?.();
    if (early) {
      setProblems(early);
      return;
    }
    setBusy(true);
    setProblems(NO_PROBLEMS);
    try {
      done(await call());
    } catch (err) {
      setProblems(problemsOf(err));
      setBusy(false);
    }
  };
  const fieldError = (path: string) => problems.fields.find((f) => f.path === path)?.message;
  return { submit, busy, problems, fieldError };
}

export function SignInPage() {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { submit, busy, problems, fieldError } = useSubmit(
    () => api.signIn({ email: email.trim(), password }),
    (session: Session) => startSession(client, session),
  );
  return (
    <AuthPage title="Sign in">
      <form className="auth-form" onSubmit={submit} data-testid="sign-in-form" noValidate>
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          error={fieldError("email")}
          autoComplete="username"
          testId="sign-in-email"
          autoFocus
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldError("password")}
          autoComplete="current-password"
          testId="sign-in-password"
        />
        <FormError message={problems.form} />
        <button type="submit" className="button button-primary button-large" disabled={busy} data-testid="sign-in">
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p className="hint">Forgot your password? Ask an administrator for a reset link.</p>
      </form>
    </AuthPage>
  );
}

/** Step one of a new Trainyard: the administrator, who then creates the train (or loads the demo). */
export function CreateAdminPage() {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const { submit, busy, problems, fieldError } = useSubmit(
    () => api.createFirstAdmin({ name: name.trim(), email: email.trim(), password }),
    (session: Session) => startSession(client, session),
    () => confirmProblem(password, confirm),
  );
  return (
    <AuthPage
      title="Create the administrator"
      intro="Welcome to Trainyard. First, the administrator's account: they create trains, invite people and grant their roles."
    >
      <form className="auth-form" onSubmit={submit} data-testid="create-admin-form" noValidate>
        <Field
          label="Your name"
          value={name}
          onChange={setName}
          error={fieldError("name")}
          autoComplete="name"
          testId="admin-name"
          maxLength={LIMITS.name}
          autoFocus
        />
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          error={fieldError("email")}
          autoComplete="username"
          testId="admin-email"
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldError("password")}
          autoComplete="new-password"
          testId="admin-password"
          hint={PASSWORD_HINT}
        />
        <Field
          label="Confirm the password"
          type="password"
          value={confirm}
          onChange={setConfirm}
          error={fieldError("confirm")}
          autoComplete="new-password"
          testId="admin-confirm"
        />
        <FormError message={problems.form} />
        <button type="submit" className="button button-primary button-large" disabled={busy} data-testid="create-admin">
          {busy ? "Creating…" : "Create the administrator"}
        </button>
      </form>
    </AuthPage>
  );
}

/** The secret of a password link, taken from the URL's fragment as the page loads and then removed from the URL. */
let linkSecret: string | null = null;

/** Takes the secret out of /welcome#<secret> (the fragment never reaches a server, nor should it stay in history). */
export function captureLinkSecret(): void {
  if (window.location.pathname !== "/welcome" || window.location.hash.length < 2) return;
  linkSecret = decodeURIComponent(window.location.hash.slice(1));
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
}

export function SetPasswordPage() {
  const client = useQueryClient();
  const [secret] = useState(linkSecret);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const { submit, busy, problems, fieldError } = useSubmit(
    () => api.redeemLink({ link: secret ?? "", password }),
    (session: Session) => {
      linkSecret = null;
      startSession(client, session);
      navigate("/", { replace: true });
    },
    () => confirmProblem(password, confirm),
  );
  if (!secret) {
    return (
      <AuthPage title="Set your password">
        <p className="auth-intro" data-testid="link-missing">
          This page needs the whole link you were given. Open it again from your invitation or reset message, or ask an
          administrator for a new one.
        </p>
        <a className="button" href="/" data-testid="to-sign-in">
          Go to sign-in
        </a>
      </AuthPage>
    );
  }
  return (
    <AuthPage title="Set your password" intro="Choose the password you will sign in with.">
      <form className="auth-form" onSubmit={submit} data-testid="set-password-form" noValidate>
        <Field
          label="New password"
          type="password"
          value={password}
          onChange={setPassword}
          error={fieldError("password")}
          autoComplete="new-password"
          testId="new-password"
          hint={PASSWORD_HINT}
          autoFocus
        />
        <Field
          label="Confirm the password"
          type="password"
          value={confirm}
          onChange={setConfirm}
          error={fieldError("confirm")}
          autoComplete="new-password"
          testId="confirm-password"
        />
        <FormError message={problems.form ?? (fieldError("link") ? problems.message : null)} />
        <button type="submit" className="button button-primary button-large" disabled={busy} data-testid="set-password">
          {busy ? "Saving…" : "Set password and sign in"}
        </button>
      </form>
    </AuthPage>
  );
}
