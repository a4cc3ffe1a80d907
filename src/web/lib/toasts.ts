// Short messages at the edge of the screen ("DPT-12 was changed by someone else — list refreshed"): a tiny store any
// module can push to, and a hook the toast stack renders from.
import { useSyncExternalStore } from "react";

export interface Toast {
  id: number;
  message: string;
  tone: "info" | "error" | "success";
}

const TOAST_MS = 6_000;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

export function showToast(message: string, tone: Toast["tone"] = "info"): void {
  // The same message twice in a row (e.g. several queued moves failing together) shows once.
  if (toasts.some((t) => t.message === message)) return;
  const toast = { id: nextId++, message, tone };
  toasts = [...toasts.slice(-3), toast];
  emit();
  setTimeout(() => dismissToast(toast.id), TOAST_MS);
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
