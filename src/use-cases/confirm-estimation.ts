// Confirming estimated values: each one is written to its item through the update-item use case (same rights, version
// check and history event, by the facilitator) and recorded in the session with who confirmed it and when — all in
// one transaction.
import { z } from "zod";
import { type FieldIssue, invalidFields } from "../core/errors.js";
import {
  assertEstimationState,
  ESTIMATION_LIMITS,
  type EstimationSessionView,
  medianProposal,
} from "../core/estimation.js";
import { operator } from "../core/permissions.js";
import { WSJF_INPUTS, type WsjfInput } from "../core/wsjf.js";
import { loadEstimationRows, putConfirmation } from "../store/estimation.store.js";
import type { Actor } from "./authorize.js";
import { type Deps, inOneTransaction, now, publishOnCommit } from "./deps.js";
import { parseInput } from "./item-input.js";
import { holdState, loadSession, mustFacilitate, sessionChanged, viewFor } from "./open-estimation-session.js";
import { scaleValue } from "./score-estimation.js";
import { updateItem } from "./update-item.js";

export const ConfirmInput = z.strictObject({
  values: z
    .array(
      z.strictObject({
        item: z.string().trim().min(1).max(100).describe("Key or id of an item of the session"),
        input: z.enum(WSJF_INPUTS),
        value: scaleValue.optional().describe("The value to write; the cell's proposal if left out"),
        version: z.number().int().min(1).optional().describe("The item version you saw; a stale one is a conflict"),
      }),
    )
    .min(1)
    .max(ESTIMATION_LIMITS.cellsPerRequest),
});

export async function confirmEstimation(
  deps: Deps,
  actor: Actor,
  ref: string,
  input: unknown,
): Promise<EstimationSessionView> {
  const { values } = parseInput(ConfirmInput, input);
  return inOneTransaction(deps, async (tx) => {
    const access = await loadSession(tx.db, actor, ref);
    mustFacilitate(actor, access);
    const { session } = access;
    assertEstimationState(session.state, "confirm");
    const rows = await loadEstimationRows(tx.db, session);
    const issues: FieldIssue[] = [];
    const byItem = new Map<string, { version: number; fields: Partial<Record<WsjfInput, number>> }>();
    const confirmed: { itemId: string; input: WsjfInput; value: number }[] = [];
    for (const [i, v] of values.entries()) {
      const item = rows.items.find((it) => it.id === v.item || it.key === v.item);
      if (!item) {
        issues.push({ path: `values.${i}.item`, message: `${v.item} is not in this session` });
        continue;
      }
      if (!session.inputs.includes(v.input)) {
        issues.push({ path: `values.${i}.input`, message: `${v.input} is not estimated in this session` });
        continue;
      }
      const scores = rows.scores.filter((s) => s.itemId === item.id && s.input === v.input).map((s) => s.value);
      const value = v.value ?? medianProposal(scores);
      if (value === null) {
        issues.push({ path: `values.${i}.value`, message: "nobody scored this cell: say which value to confirm" });
        continue;
      }
      const entry = byItem.get(item.id) ?? { version: v.version ?? item.version, fields: {} };
      entry.fields[v.input] = value;
      byItem.set(item.id, entry);
      confirmed.push({ itemId: item.id, input: v.input, value });
    }
    if (issues.length > 0) throw invalidFields(issues);
    await holdState(tx.db, session, "revealed");
    // The facilitator writes the items; the operator at the database writes them in the facilitator's name.
    const by = actor.personId ?? session.facilitatorId;
    const writer = actor.kind === "operator" ? operator(by) : actor;
    for (const [itemId, { version, fields }] of byItem) await updateItem(tx, itemId, fields, writer, version);
    const at = now(deps);
    for (const c of confirmed) await putConfirmation(tx.db, { sessionId: session.id, ...c, by, at });
    publishOnCommit(tx, [sessionChanged(session, actor)]);
    return viewFor(tx.db, actor, session);
  });
}
