// A modal dialog on the native <dialog> element: it traps focus, closes on Escape, and gives focus back on close; and
// the usual pair of buttons at its bottom, Cancel and the action it applies.
import { type ReactNode, useEffect, useRef } from "react";
import { CloseIcon } from "./icons";

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** The buttons at the bottom (Apply, Cancel). */
  actions: ReactNode;
  testId?: string;
  wide?: boolean;
}

export function Dialog({ title, onClose, children, actions, testId, wide }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} className={`dialog ${wide ? "dialog-wide" : ""}`} aria-label={title} data-testid={testId}>
      <header className="dialog-header">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      <footer className="dialog-actions">{actions}</footer>
    </dialog>
  );
}

/** Cancel (off while the action runs) and the dialog's primary action, which reads `busyLabel` while it runs. */
export function ApplyButtons(props: {
  onCancel: () => void;
  onApply: () => void;
  busy: boolean;
  disabled: boolean;
  label: string;
  busyLabel: string;
  testId: string;
}) {
  return (
    <>
      <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
        Cancel
      </button>
      <button
        type="button"
        className="button button-primary"
        onClick={props.onApply}
        disabled={props.disabled}
        data-testid={props.testId}
      >
        {props.busy ? props.busyLabel : props.label}
      </button>
    </>
  );
}
