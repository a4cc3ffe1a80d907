// `trainyard feedback …`: customer feedback on the database (as its operator) or on a server (with a personal API
// token), printing the same either way. Record it (linked to items at once if wanted), list it, see the feedback
// review (what to re-score) and link feedback to an item.
import type { Command } from "commander";
import { invalid } from "../core/errors.js";
import { FEEDBACK_WEIGHT_MAX, FEEDBACK_WEIGHT_MIN } from "../core/feedback.js";
import type { CliContext } from "./context.js";
import { feedbackListText, feedbackReviewText, print, recordedFeedbackText } from "./output.js";

/** Collects a repeatable option; each value may also be a comma-separated list. */
const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

/** A weight as typed: a whole number (the use case checks the range). */
function parseWeight(raw: string): number {
  if (!/^\s*\d+\s*$/.test(raw)) {
    throw invalid("weight", `'${raw}' is not a whole number from ${FEEDBACK_WEIGHT_MIN} to ${FEEDBACK_WEIGHT_MAX}`);
  }
  return Number(raw);
}

export function addFeedbackCommands(program: Command, cx: CliContext): void {
  const feedback = program
    .command("feedback")
    .description("customer feedback: record it, link it to items, and see what to re-score (database or server)");

  feedback
    .command("add <art>")
    .description("record customer feedback on an ART")
    .requiredOption("--source <source>", 'the channel, e.g. "support ticket"')
    .requiredOption("--customer <customer>", "the customer or segment")
    .requiredOption("--weight <n>", `votes or weight, ${FEEDBACK_WEIGHT_MIN}..${FEEDBACK_WEIGHT_MAX}`)
    .requiredOption("--text <text>", "what they said (markdown)")
    .option("--date <yyyy-mm-dd>", "the day it was received (default: today)")
    .option("--item <key>", "link it to this item (repeat, or comma-separate)", collect, [] as string[])
    .option("--json", "print JSON")
    .action(
      (
        art: string,
        o: {
          source: string;
          customer: string;
          weight: string;
          text: string;
          date?: string;
          item: string[];
          json?: boolean;
        },
      ) => {
        const input = {
          source: o.source,
          customer: o.customer,
          weight: parseWeight(o.weight),
          body: o.text,
          ...(o.date ? { receivedOn: o.date } : {}),
          ...(o.item.length ? { items: o.item } : {}),
        };
        return cx.withBackend(async (backend) => {
          const recorded = await backend.recordFeedback(art, input);
          print(Boolean(o.json), recorded, () => recordedFeedbackText(recorded));
        });
      },
    );

  feedback
    .command("list <art>")
    .description("an ART's feedback, newest first")
    .option("--q <words>", "only feedback with these words in its customer, source or text")
    .option("--customer <customer>", "only this customer or segment")
    .option("--source <source>", "only this source")
    .option("--json", "print JSON")
    .action((art: string, o: { q?: string; customer?: string; source?: string; json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const query = Object.fromEntries(
          (["q", "customer", "source"] as const).flatMap((k) => (o[k] ? [[k, o[k] as string]] : [])),
        );
        const list = await backend.listFeedback(art, query);
        print(Boolean(o.json), list, () => feedbackListText(art, list.items));
      }),
    );

  feedback
    .command("review <art>")
    .description("program items whose feedback arrived after their value was last estimated: what to re-score")
    .option("--json", "print JSON")
    .action((art: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const review = await backend.feedbackReview(art);
        print(Boolean(o.json), review, () => feedbackReviewText(art, review.items));
      }),
    );

  feedback
    .command("link <item> <feedback-id>")
    .description("link feedback of the item's ART to the item")
    .option("--json", "print JSON")
    .action((item: string, feedbackId: string, o: { json?: boolean }) =>
      cx.withBackend(async (backend) => {
        const link = await backend.linkFeedback(item, feedbackId);
        print(Boolean(o.json), link, () => `Linked feedback ${link.feedbackId} to ${link.key}.`);
      }),
    );
}
