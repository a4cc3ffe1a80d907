// A change made on the version a screen showed (a dependency, an objective): when someone changed it meanwhile (409)
// the screen is refreshed with a toast instead of showing a failure.
import { ApiError } from "./api";
import { showToast } from "./toasts";

/**
 * Runs `change`, then `refresh`. A stale version (409) shows the toast `stale` and refreshes; another problem goes to
 * `onProblem` when it is an ApiError and `onProblem` is given, else to the toast "`what` failed: …". Resolves to
 * whether the change was made.
 *
 * @example
 * await runVersionedChange("Saving", () => boardApi.changeObjective(id, body), {
 *   refresh,
 *   stale: "Saving: it was changed by someone else — refreshed",
 * });
 */
export async function runVersionedChange(
  what: string,
  change: () => Promise<unknown>,
  options: { refresh: () => void; stale: string; onProblem?: (err: ApiError) => void },
): Promise<boolean> {
  try {
    await change();
    options.refresh();
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      showToast(options.stale, "error");
      options.refresh();
    } else if (err instanceof ApiError && options.onProblem) {
      options.onProblem(err);
    } else {
      showToast(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, "error");
    }
    return false;
  }
}
