// The shapes of what the API returns, for the OpenAPI document. Presenters build exactly these.
import { z } from "@hono/zod-openapi";
import { ECONOMIC_FIELDS, URGENCY_PROFILES } from "../core/economics.js";
import { ROLES } from "../core/permissions.js";
import { ENABLER_KINDS, ITEM_TYPES, LEVELS, PROGRAM_STATES, RELATION_KINDS, STORY_STATES } from "../core/work-item.js";
import { AUDIT_KINDS } from "../use-cases/audit-trail.js";

const id = z.string();
const wsjfScore = z.number().nullable();
const state = z.enum([...PROGRAM_STATES, ...STORY_STATES]);

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum([
      "invalid",
      "not_found",
      "conflict",
      "version_required",
      "unauthenticated",
      "forbidden",
      "rate_limited",
      "unavailable",
      "too_large",
    ]),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    current: z.unknown().optional().describe("On a version conflict: the item as it is now"),
  })
  .openapi("Problem");

export const ItemSchema = z
  .object({
    id,
    key: z.string().openapi({ example: "DPT-42" }),
    artId: id,
    level: z.enum(LEVELS),
    type: z.enum(ITEM_TYPES),
    enablerKind: z.enum(ENABLER_KINDS).nullable(),
    title: z.string(),
    description: z.string().describe("Markdown"),
    benefitHypothesis: z.string(),
    acceptanceCriteria: z.array(
      z.object({
        text: z.string(),
        met: z.boolean().describe("Ticked at acceptance"),
        gherkin: z
          .object({ context: z.string(), event: z.string(), outcome: z.string() })
          .nullable()
          .describe("The parts of a Given <context>, when <event>, then <outcome> criterion; null for a plain one"),
      }),
    ),
    state,
    parentId: id.nullable(),
    teamId: id.nullable(),
    teamIds: z.array(id),
    piId: id.nullable(),
    iterationId: id.nullable(),
    points: z.number().nullable(),
    businessValue: wsjfScore.describe("User-business value (WSJF input)"),
    timeCriticality: wsjfScore.describe("Time criticality (WSJF input)"),
    riskReduction: wsjfScore.describe("Risk reduction | opportunity enablement (WSJF input)"),
    jobSize: wsjfScore.describe("Job size (WSJF input)"),
    costOfDelay: z
      .number()
      .nullable()
      .describe("User-business value + time criticality + risk reduction; null until all are given"),
    wsjf: z.number().nullable().describe("Cost of Delay ÷ job size, two decimals; null until every input is given"),
    costOfDelayPerWeek: z.number().nullable().describe("Quantified Cost of Delay: money per week (economic view)"),
    urgency: z.enum(URGENCY_PROFILES).nullable().describe("Urgency profile (economic view)"),
    fixedDate: z.string().nullable().describe("The date a fixed_date item must meet, yyyy-mm-dd"),
    durationWeeks: z.number().nullable().describe("Duration in weeks, one decimal (economic view)"),
    cd3: z.number().nullable().describe("Cost of Delay per week ÷ duration, two decimals; null until both are given"),
    labels: z.array(z.string()),
    ownerId: id.nullable(),
    readyChecks: z.array(z.string()).describe("The team's manual Definition-of-Ready items ticked on this story"),
    blockedReason: z
      .string()
      .nullable()
      .describe("What the item waits on outside the team's control (blocked); null when it is not blocked"),
    rank: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: id.nullable(),
    updatedAt: z.string(),
    updatedBy: id.nullable(),
  })
  .openapi("Item");

export const BacklogRowSchema = z
  .object({
    id,
    key: z.string(),
    title: z.string(),
    level: z.enum(LEVELS),
    type: z.enum(ITEM_TYPES),
    enablerKind: z.string().nullable(),
    state,
    points: z.number().nullable(),
    teamId: id.nullable(),
    teamIds: z.array(id),
    parentId: id.nullable(),
    parentKey: z.string().nullable(),
    parentTitle: z.string().nullable(),
    piId: id.nullable(),
    iterationId: id.nullable(),
    ownerId: id.nullable(),
    labels: z.array(z.string()),
    blockedReason: z.string().nullable().describe("What the item waits on (blocked); null when it is not blocked"),
    rank: z.string(),
    version: z.number().int(),
    childCount: z.number().int(),
    childPoints: z.number(),
  })
  .openapi("BacklogRow");

export const BacklogPageSchema = z
  .object({ items: z.array(BacklogRowSchema), nextCursor: z.string().nullable() })
  .openapi("BacklogPage");
export const WholeBacklogSchema = z
  .object({ items: z.array(BacklogRowSchema), total: z.number().int() })
  .openapi("WholeBacklog");

const ItemRefSchema = z.object({ id, key: z.string(), title: z.string(), level: z.enum(LEVELS), state });
export const CommentSchema = z
  .object({ id, itemId: id, authorId: id.nullable(), body: z.string(), createdAt: z.string() })
  .openapi("Comment");
export const RelationSchema = z
  .object({
    id,
    kind: z.enum(RELATION_KINDS),
    direction: z.enum(["outgoing", "incoming"]),
    label: z.string(),
    item: ItemRefSchema,
  })
  .openapi("Relation");
export const ItemDetailSchema = z
  .object({
    item: ItemSchema,
    ancestors: z.array(ItemRefSchema),
    children: z.array(ItemRefSchema.extend({ points: z.number().nullable(), teamId: id.nullable() })),
    childCount: z.number().int(),
    childPoints: z.number(),
    relations: z.array(RelationSchema),
    comments: z.array(CommentSchema),
  })
  .openapi("ItemDetail");

export const TeamSchema = z.object({ id, artId: id, key: z.string(), name: z.string() }).openapi("Team");
export const IterationSchema = z
  .object({
    id,
    piId: id,
    name: z.string(),
    number: z.number().int(),
    startDate: z.string(),
    endDate: z.string(),
    kind: z.enum(["development", "ip"]).describe("A development iteration, or the Innovation & Planning iteration"),
  })
  .openapi("Iteration");
export const PiSchema = z
  .object({
    id,
    artId: id,
    name: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    iterations: z.array(IterationSchema),
    allocation: z
      .object({ business: z.number(), enabler: z.number(), maintenance: z.number() })
      .nullable()
      .describe("The capacity allocation policy: percent per kind of work, adding up to 100; null when none is set"),
    version: z.number().int().describe("Name it when changing the PI"),
  })
  .openapi("ProgramIncrement");
export const ArtSchema = z
  .object({ id, key: z.string(), name: z.string(), teams: z.array(TeamSchema), pis: z.array(PiSchema) })
  .openapi("Art");
export const PersonSchema = z.object({ id, name: z.string(), email: z.string() }).openapi("Person");

export const HistoryEventSchema = z
  .object({
    id: z.number().int(),
    artId: id,
    itemId: id,
    itemKey: z.string(),
    teamId: id.nullable(),
    kind: z.string().describe("created, updated, moved, commented, related, unrelated"),
    field: z.string().nullable(),
    oldValue: z.unknown(),
    newValue: z.unknown(),
    actorId: id.nullable(),
    at: z.string(),
  })
  .openapi("HistoryEvent");
export const HistoryPageSchema = z
  .object({ items: z.array(HistoryEventSchema), nextCursor: z.number().int().nullable() })
  .openapi("HistoryPage");

export const CheckReportSchema = z
  .object({
    ok: z.boolean(),
    items: z.number().int(),
    backlogs: z.number().int(),
    problems: z.array(z.object({ key: z.string(), problem: z.string() })),
  })
  .openapi("CheckReport");

export const RoleGrantSchema = z
  .object({
    id,
    role: z.enum(ROLES),
    artId: id,
    teamId: id.nullable().describe("The team the role is held on; null: the whole ART"),
  })
  .openapi("RoleGrant");

export const AccountSchema = z
  .object({
    id: id.describe("The person's id"),
    name: z.string(),
    email: z.string(),
    admin: z.boolean(),
    active: z.boolean(),
    hasPassword: z.boolean().describe("False while an invitation is not yet taken up"),
    lockedUntil: z.string().nullable().describe("Locked after failed sign-ins until then"),
    createdAt: z.string(),
    roles: z.array(RoleGrantSchema),
  })
  .openapi("Account");

export const SessionSchema = z
  .object({
    signedIn: z.boolean(),
    needsFirstAdmin: z.boolean().describe("No administrator yet: the first-run page creates one"),
    account: AccountSchema.optional(),
    csrfToken: z.string().optional().describe("Send it in X-CSRF-Token with every change made with the session cookie"),
  })
  .openapi("Session");

export const PasswordLinkSchema = z
  .object({
    purpose: z.enum(["invite", "reset"]),
    url: z.string().describe("Shown once: give it to the person; it sets their password once"),
    expiresAt: z.string(),
  })
  .openapi("PasswordLink");

export const ApiTokenSchema = z
  .object({
    id,
    name: z.string(),
    hint: z.string().describe("The token's last four characters"),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");

export const RoleHolderSchema = RoleGrantSchema.extend({
  person: z.object({ id, name: z.string(), email: z.string() }),
  createdAt: z.string(),
}).openapi("RoleHolder");

const who = z.object({ id, name: z.string() }).nullable();
export const AuditPageSchema = z
  .object({
    entries: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        kind: z.enum(AUDIT_KINDS),
        actor: who.describe("Who did it"),
        subject: who.describe("Whose account it concerns"),
        artId: id.nullable(),
        ip: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    nextCursor: z.number().int().nullable(),
  })
  .openapi("AuditPage");

const wsjfInputs = z.object({
  businessValue: wsjfScore,
  timeCriticality: wsjfScore,
  riskReduction: wsjfScore,
  jobSize: wsjfScore,
});
const wsjfInputName = z.enum(["businessValue", "timeCriticality", "riskReduction", "jobSize"]);

export const WsjfGridSchema = z
  .object({
    level: z.enum(["epic", "capability", "feature"]),
    items: z.array(
      z.object({
        id,
        key: z.string(),
        title: z.string(),
        type: z.string(),
        state: z.string(),
        version: z.number().int(),
        position: z.number().int().describe("1-based position in the backlog's rank"),
        inputs: wsjfInputs,
        costOfDelay: z.number().nullable(),
        wsjf: z.number().nullable(),
        missing: z.array(wsjfInputName).describe("Inputs still to estimate; WSJF stays empty until there are none"),
        placesFromWsjf: z
          .number()
          .int()
          .nullable()
          .describe("Ranked this many places above (positive) or below (negative) its WSJF position"),
      }),
    ),
    anchored: z.record(wsjfInputName, z.boolean()).describe("Per input: whether its smallest estimate is 1"),
    agreement: z.number().nullable().describe("Kendall's tau between rank and WSJF order: 1 agrees, -1 reversed"),
    scored: z.number().int(),
  })
  .openapi("WsjfGrid");

export const WsjfOrderSchema = z
  .object({
    reorderId: z.string().nullable().describe("To undo the change; null for a dry run or when nothing moved"),
    dryRun: z.boolean(),
    moved: z.number().int(),
    agreementBefore: z.number().nullable(),
    agreementAfter: z.number().nullable(),
    items: z.array(
      z.object({
        id,
        key: z.string(),
        title: z.string(),
        wsjf: z.number().nullable(),
        costOfDelay: z.number().nullable(),
        pinned: z.boolean(),
        from: z.number().int(),
        to: z.number().int(),
      }),
    ),
  })
  .openapi("WsjfOrder");

const delayCostPoint = z.object({
  week: z.number().int().describe("Weeks from asOf until work starts"),
  startOn: z.string().describe("The day work would start, yyyy-mm-dd"),
  delayCost: z.number().describe("Cost of delay incurred when work starts then"),
});

export const EconomicsSchema = z
  .object({
    level: z.enum(["epic", "capability", "feature"]),
    asOf: z.string().describe("The day slack and curves are counted from, yyyy-mm-dd"),
    items: z.array(
      z.object({
        id,
        key: z.string(),
        title: z.string(),
        type: z.string(),
        version: z.number().int(),
        costOfDelayPerWeek: z.number().nullable(),
        urgency: z.enum(URGENCY_PROFILES).nullable(),
        fixedDate: z.string().nullable(),
        durationWeeks: z.number().nullable(),
        cd3: z.number().nullable().describe("Cost of Delay per week ÷ duration in weeks"),
        latestStart: z.string().nullable().describe("Fixed-date items: the last day to start and still meet the date"),
        slackWeeks: z.number().nullable().describe("Fixed-date items: weeks until that latest start (negative: late)"),
        wsjf: z.number().nullable(),
        wsjfPosition: z.number().int().describe("1-based position in the WSJF order"),
        cd3Position: z.number().int().describe("1-based position in the CD3 order"),
        missing: z.array(z.enum(ECONOMIC_FIELDS)).describe("What CD3 still waits for"),
      }),
    ),
    wsjfOrder: z.array(id).describe("Item ids by WSJF (ties by Cost of Delay, then rank; unscored last)"),
    cd3Order: z.array(id).describe("Item ids: expedite first, then by CD3 (ties by Cost of Delay per week, then rank)"),
    agreement: z.number().nullable().describe("Kendall's tau between the two orders over items with both scores"),
    curves: z.record(z.string(), z.array(delayCostPoint)).describe("Per fixed-date item id: its cost-of-delay curve"),
  })
  .openapi("Economics");

export const AlignmentSchema = z
  .object({
    reorderId: z.string().nullable(),
    dryRun: z.boolean(),
    driftBefore: z.number().describe("Share of story pairs (0–1) ordered against the program's feature rank"),
    driftAfter: z.number(),
    moved: z.number().int(),
    items: z.array(
      z.object({
        id,
        key: z.string(),
        title: z.string(),
        featureKey: z.string().nullable(),
        from: z.number().int(),
        to: z.number().int(),
      }),
    ),
  })
  .openapi("TeamAlignment");

export const FeedbackSchema = z
  .object({
    id,
    artId: id,
    source: z.string().describe('The channel, e.g. "support ticket"'),
    customer: z.string().describe("A customer or a segment"),
    body: z.string().describe("Markdown"),
    weight: z.number().int().describe("Votes or weight, 1..100"),
    receivedOn: z.string().describe("yyyy-mm-dd"),
    createdAt: z.string(),
    createdBy: id.nullable(),
  })
  .openapi("Feedback");

const feedbackItem = z.object({ id, key: z.string(), title: z.string(), level: z.enum(LEVELS) });

export const FeedbackListSchema = z
  .object({ items: z.array(FeedbackSchema.extend({ items: z.array(feedbackItem) })) })
  .openapi("FeedbackList");

export const RecordedFeedbackSchema = FeedbackSchema.extend({
  items: z.array(z.string()).describe("Keys of the items it was linked to"),
}).openapi("RecordedFeedback");

export const FeedbackLinkSchema = z
  .object({ feedbackId: id, itemId: id, key: z.string(), linkedAt: z.string() })
  .openapi("FeedbackLink");

export const ItemFeedbackSchema = z
  .object({
    item: z.object({ id, key: z.string() }),
    items: z.array(FeedbackSchema.extend({ linkedAt: z.string() })),
    totalWeight: z.number().int(),
  })
  .openapi("ItemFeedback");

export const FeedbackReviewSchema = z
  .object({
    items: z.array(
      z.object({
        item: z.object({
          id,
          key: z.string(),
          title: z.string(),
          level: z.enum(LEVELS),
          state,
          businessValue: wsjfScore,
        }),
        lastEstimatedAt: z.string().nullable().describe("When a WSJF input last changed; null if never estimated"),
        newFeedback: z.number().int(),
        newWeight: z.number().int(),
        totalFeedback: z.number().int(),
        totalWeight: z.number().int(),
      }),
    ),
  })
  .openapi("FeedbackReview");

// ---- estimation sessions

const personRef = z.object({ id, name: z.string() });
const estimationState = z.enum(["scoring", "revealed", "closed"]);

export const EstimationSessionSummarySchema = z
  .object({
    id,
    artId: id,
    title: z.string(),
    level: z.enum(["feature", "capability", "epic"]),
    state: estimationState,
    round: z.number().int(),
    inputs: z.array(wsjfInputName),
    facilitator: personRef,
    itemCount: z.number().int(),
    participantCount: z.number().int(),
    createdAt: z.string(),
    revealedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi("EstimationSessionSummary");

export const EstimationSessionListSchema = z
  .object({ items: z.array(EstimationSessionSummarySchema) })
  .openapi("EstimationSessionList");

const estimationCell = z
  .object({
    yours: z.number().int().nullable().describe("The caller's own score this round"),
    votes: z.number().int().describe("How many participants scored this cell this round"),
    scores: z
      .array(personRef.extend({ value: z.number().int() }))
      .nullable()
      .describe("Every score with its person: null until revealed, and for non-members"),
    spread: z.object({ min: z.number(), max: z.number(), steps: z.number().int() }).nullable(),
    wideDisagreement: z.boolean(),
    proposal: z.number().int().nullable().describe("The median snapped to the scale, after reveal"),
    confirmed: z.object({ value: z.number().int(), by: personRef, at: z.string() }).nullable(),
  })
  .openapi("EstimationCell");

export const EstimationSessionViewSchema = EstimationSessionSummarySchema.extend({
  you: z.object({ personId: id.nullable(), facilitator: z.boolean(), participant: z.boolean() }),
  participants: z.array(personRef.extend({ scored: z.number().int(), done: z.boolean() })),
  items: z.array(
    z.object({
      id,
      key: z.string(),
      title: z.string(),
      type: z.string(),
      version: z.number().int(),
      current: wsjfInputs,
      cells: z.partialRecord(wsjfInputName, estimationCell),
    }),
  ),
}).openapi("EstimationSessionView");
