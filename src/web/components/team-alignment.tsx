// On a team backlog: how far it has drifted from the program's priorities ("12% out of program order"), and, for
// those who rank the team's stories, aligning it to them with a preview.
import { useState } from "react";
import { useAlignment } from "../lib/queries";
import type { Art, Team } from "../lib/types";
import { driftText } from "../lib/wsjf-grid";
import { AlignTeamDialog } from "./wsjf-dialogs";

export function TeamDrift({ art, team, mayAlign }: { art: Art; team: Team; mayAlign: boolean }) {
  const alignment = useAlignment(art.key, team.key);
  const [open, setOpen] = useState(false);
  const data = alignment.data;
  if (!data) return null;
  const drift = data.driftBefore;
  return (
    <>
      <span
        className={`drift ${drift === 0 ? "drift-none" : drift < 0.2 ? "drift-some" : "drift-much"}`}
        title="The share of story pairs ordered against their features' rank in the program backlog"
        data-testid="team-drift"
        data-value={drift}
      >
        {driftText(drift)}
      </span>
      {mayAlign && data.moved > 0 && (
        <button type="button" className="button" onClick={() => setOpen(true)} data-testid="align-open">
          Align to program priorities…
        </button>
      )}
      {open && <AlignTeamDialog art={art} team={team} preview={data} onClose={() => setOpen(false)} />}
    </>
  );
}
