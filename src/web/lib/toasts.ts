// Short messages at the edge of the screen ("DPT-12 was changed by someone else — list refreshed"): a tiny store any
// module can push to, and a hook the toast stack renders from.
import { useSyncExternalStore } from "react";

export interface Toast {
  id: number;
  message: string;
  tone: "info" | "error" | "success";
  /** A button on the toast ("Undo"); pressing it runs `run` and dismisses the toast. */
  action?: { label: string; run: () => void };
}

const TOAST_MS = 6_000;
/** A toast with an action stays longer: time to notice and press it. */
const ACTION_TOAST_MS = 15_000;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

export function showToast(message: string, tone: Toast["tone"] = "info", action?: Toast["action"]): void {
  // The same message twice in a row (e.g. several queued moves failing together) shows once; one with an action
  // belongs to its own change, so it always shows.
  if (!action && toasts.some((t) => t.message === message && !t.action)) return;
  const toast: Toast = { id: nextId++, message, tone, ...(action ? { action } : {}) };
  toasts = [...toasts.slice(-3), toast];
  emit();
  setTimeout(() => dismissToast(toast.id), action ? ACTION_TOAST_MS : TOAST_MS);
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function useToasts(): Toast[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    () => toasts,
  );
}
