// The toasts, bottom left, announced to screen readers.
import { dismissToast, useToasts } from "../lib/toasts";
import { CloseIcon } from "./icons";

export function ToastStack() {
  const toasts = useToasts();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role="status" data-testid="toast">
          <span>{t.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
