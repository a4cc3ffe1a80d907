// `trainyard wsjf session …`: collaborative estimation sessions on the database (as its operator, --as a person) or on
// a server (as the token's owner), printing the same either way: list, show, create, score, reveal, revote, confirm
// and close.
import type { Command } from "commander";
import { invalid } from "../core/errors.js";
import type { EstimationSessionView } from "../core/estimation.js";
import type { CliContext } from "./context.js";
import { estimationSessionsText, estimationSessionText, print } from "./output.js";

const list = (raw: string | undefined): string[] =>
  (raw ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

function parseValue(raw: string, path = "value"): number {
  if (!/^\s*\d+\s*$/.test(raw)) throw invalid(path, `'${raw}' is not a value of the scale 1, 2, 3, 5, 8, 13, 20`);
  return Number(raw);
}

/** Every revealed, unconfirmed cell that has a proposal, on the item version the session shows. */
export function cellsToConfirm(s: EstimationSessionView): { item: string; input: string; version: number }[] {
  return s.items.flatMap((i) =>
    s.inputs.flatMap((input) => {
      const c = i.cells[input];
      return c && !c.confirmed && c.proposal !== null ? [{ item: i.key, input, version: i.version }] : [];
    }),
  );
}

/** Adds `session …` under the `wsjf` command. */
export function addEstimationCommands(program: Command, cx: CliContext): void {
  const wsjf = program.commands.find((c) => c.name() === "wsjf") ?? program.command("wsjf");
  const session = wsjf
    .command("session")
    .description("collaborative estimation sessions: score privately, reveal, confirm onto the items");
  const show = (json: boolean | undefined) => (s: EstimationSessionView) =>
    print(Boolean(json), s, () => estimationSessionText(s));

  session
    .command("list <art>")
    .description("the ART's estimation sessions you take part in, newest first")
    .option("--json", "print JSON")
    .action((art: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const r = await backend.listEstimationSessions(art);
        print(Boolean(o.json), r, () => estimationSessionsText(art, r.items));
      }),
    );

  session
    .command("show <session>")
    .description("a session as you see it (before reveal: your own scores and the vote counts)")
    .option("--json", "print JSON")
    .action((id: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => show(o.json)(await backend.estimationSession(id))),
    );

  session
    .command("create <art>")
    .description("start a session on program items (you facilitate it; on the database say who with --as)")
    .requiredOption("--title <title>", "what the session is about")
    .requiredOption("--items <keys>", "comma-separated item keys")
    .option("--inputs <inputs>", "comma-separated WSJF inputs (default: all four)")
    .option("--level <level>", "feature (default), capability or epic")
    .option("--participants <people>", "comma-separated person ids or emails")
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        o: { title: string; items: string; inputs?: string; level?: string; participants?: string; json?: boolean },
      ) =>
        cx.withBackend(async (backend) => {
          const input = {
            title: o.title,
            items: list(o.items),
            participants: list(o.participants),
            ...(o.inputs ? { inputs: list(o.inputs) } : {}),
            ...(o.level ? { level: o.level } : {}),
          };
          show(o.json)(await backend.startEstimationSession(art, input));
        }),
    );

  session
    .command("score <session> <item> <input> <value>")
    .description("set your own score for one cell (`none` withdraws it)")
    .option("--json", "print JSON")
    .action((id: string, item: string, input: string, value: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const v = value === "none" ? null : parseValue(value);
        show(o.json)(await backend.scoreEstimation(id, [{ item, input, value: v }]));
      }),
    );

  for (const action of ["reveal", "close"] as const) {
    session
      .command(`${action} <session>`)
      .description(action === "reveal" ? "reveal everyone's scores (facilitator)" : "close the session (facilitator)")
      .option("--json", "print JSON")
      .action((id: string, o: { json?: boolean }) =>
        cx.withBackend(async (backend) => show(o.json)(await backend.steerEstimation(id, action))),
      );
  }

  session
    .command("revote <session>")
    .description("another round for some or all items, clearing their unconfirmed scores (facilitator)")
    .option("--items <keys>", "comma-separated item keys (default: all)")
    .option("--json", "print JSON")
    .action((id: string, o: { items?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const items = list(o.items);
        show(o.json)(await backend.revoteEstimation(id, items.length ? items : undefined));
      }),
    );

  session
    .command("confirm <session>")
    .description("write values onto the items: one cell (its proposal unless --value) or --all proposals (facilitator)")
    .option("--item <key>", "the item of the cell")
    .option("--input <input>", "the WSJF input of the cell")
    .option("--value <value>", "the value to confirm (default: the proposal)")
    .option("--all", "every revealed, unconfirmed cell with a proposal")
    .option("--json", "print JSON")
    .action((id: string, o: { item?: string; input?: string; value?: string; all?: boolean; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        let values: Record<string, unknown>[];
        if (o.all) {
          if (o.item || o.input || o.value) throw invalid("all", "give either --all or --item and --input");
          values = cellsToConfirm(await backend.estimationSession(id));
          if (values.length === 0) throw invalid("all", "no revealed, unconfirmed cell has a proposal");
        } else {
          if (!o.item || !o.input) throw invalid("item", "say which cell: --item KEY --input INPUT (or --all)");
          values = [{ item: o.item, input: o.input, ...(o.value ? { value: parseValue(o.value) } : {}) }];
        }
        show(o.json)(await backend.confirmEstimation(id, values));
      }),
    );
}
