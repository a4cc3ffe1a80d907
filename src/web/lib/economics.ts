// The economic view for the screens: the shape the API sends (from the core), its query hook and cache key, and the
// small readings the Economic view and the item panel need (money, positions moved, what CD3 waits for).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ECONOMIC_FIELD_LABELS, type EconomicField, type EconomicsView } from "../../core/economics";
import { request } from "./api";
import type { ProgramLevel } from "./router";

export {
  cd3,
  type DelayCostPoint,
  ECONOMIC_FIELD_LABELS,
  ECONOMIC_FIELDS,
  type EconomicField,
  type EconomicRow,
  type EconomicsView,
  URGENCY_LABELS,
  URGENCY_PROFILES,
  type UrgencyProfile,
} from "../../core/economics";

/** Under the ART's backlogs, so live changes and edits refresh it with the grid. */
export const economicsKey = (art: string, level: ProgramLevel) => ["backlog", art, `economics:${level}`] as const;

export function useEconomics(art: string, level: ProgramLevel) {
  return useQuery({
    queryKey: economicsKey(art, level),
    queryFn: ({ signal }) =>
      request<EconomicsView>(`/arts/${encodeURIComponent(art)}/economics?${new URLSearchParams({ level })}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

const money = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

/** An amount of money, grouped (12,000), or a dash when there is none. */
export const moneyText = (v: number | null): string => (v === null ? "—" : money.format(v));

/** How many places the CD3 order moves an item against the WSJF order: "▲2", "▼1" or "=". */
export function movedText(wsjfPosition: number, cd3Position: number): string {
  const moved = wsjfPosition - cd3Position;
  return moved === 0 ? "=" : moved > 0 ? `▲${moved}` : `▼${-moved}`;
}

/** What CD3 waits for, in words. */
export const cd3MissingText = (missing: readonly EconomicField[]): string =>
  `needs ${missing.map((m) => ECONOMIC_FIELD_LABELS[m].toLowerCase()).join(" and ")}`;
