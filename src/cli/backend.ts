// Where the item commands send their work: the database directly (as its operator) or a Trainyard server over HTTP.
// Both answer with the same shapes, those the API presents, so a command prints the same text and JSON either way.
import type { EconomicsView } from "../core/economics.js";
import type { EstimationSessionSummary, EstimationSessionView } from "../core/estimation.js";
import type { Feedback } from "../core/feedback.js";
import type { ItemDetail } from "../core/item-views.js";
import type { Forecast, InspectAdapt, MetricsDashboard } from "../core/metrics-views.js";
import type { Actor } from "../core/permissions.js";
import type { SplitSuggestion } from "../core/story-splitting.js";
import type { Art, ProgramIncrement } from "../core/train.js";
import type { Runtime } from "../runtime.js";
import { presentItem } from "../server/presenters.js";
import { alignTeamBacklog, type TeamAlignment } from "../use-cases/align-team-backlog.js";
import { applyWsjfOrder, type WsjfOrderPreview } from "../use-cases/apply-wsjf-order.js";
import { type BacklogHealth, backlogHealth } from "../use-cases/backlog-health.js";
import { type BreakdownDrafts, breakDownFeature, breakdownDrafts } from "../use-cases/break-down-feature.js";
import { type CheckReport, checkTrain } from "../use-cases/check-train.js";
import { closeEstimationSession } from "../use-cases/close-estimation-session.js";
import { type ConfidenceView, getConfidence, voteConfidence } from "../use-cases/confidence-vote.js";
import { confirmEstimation } from "../use-cases/confirm-estimation.js";
import { createItem } from "../use-cases/create-items.js";
import {
  changeDependency,
  createDependency,
  type Dependency,
  type DependencyList,
  getDependency,
  listDependencies,
  removeDependency,
} from "../use-cases/dependencies.js";
import { dismissFinding, type RecordedDismissal, restoreFinding } from "../use-cases/dismiss-finding.js";
import { wsjfCsv } from "../use-cases/export-wsjf-csv.js";
import { getItem } from "../use-cases/get-item.js";
import { linkFeedback } from "../use-cases/link-feedback.js";
import { type BacklogPage, type BacklogScope, listBacklog } from "../use-cases/list-backlog.js";
import { listEconomics } from "../use-cases/list-economics.js";
import { type FeedbackEntry, listArtFeedback } from "../use-cases/list-feedback.js";
import { listWsjf, type WsjfGrid } from "../use-cases/list-wsjf.js";
import { forecast, inspectAdapt, metricsDashboard } from "../use-cases/metrics.js";
import { moveItem } from "../use-cases/move-item.js";
import { listEstimationSessionsOf, openEstimationSession } from "../use-cases/open-estimation-session.js";
import {
  addObjective,
  listPiObjectives,
  type Objective,
  type ObjectivesView,
  removeObjective,
  updateObjective,
} from "../use-cases/pi-objectives.js";
import { updatePi } from "../use-cases/pi-settings.js";
import { type ProgramBoard, programBoard } from "../use-cases/program-board.js";
import { acceptPlan, type PlanProposalView, proposePlanFor } from "../use-cases/propose-plan.js";
import { type QualityReport, qualityReport } from "../use-cases/quality-report.js";
import { recordFeedback } from "../use-cases/record-feedback.js";
import { revealEstimation } from "../use-cases/reveal-estimation.js";
import { type FeedbackReviewRow, feedbackReview } from "../use-cases/review-feedback.js";
import { revoteEstimation } from "../use-cases/revote-estimation.js";
import { addRisk, listArtRisks, type Risk, type RiskList, removeRisk, updateRisk } from "../use-cases/risks.js";
import { scoreEstimation } from "../use-cases/score-estimation.js";
import { addProgramIncrement, getTrain } from "../use-cases/set-up-train.js";
import { splitStory, splitSuggestions } from "../use-cases/split-story.js";
import { startEstimationSession } from "../use-cases/start-estimation-session.js";
import { type ItemQuality, itemQuality } from "../use-cases/story-readiness.js";
import { type CapacityEntry, getCapacity, setCapacity, type TeamCapacity } from "../use-cases/team-capacity.js";
import { type PiPlanView, teamPlan } from "../use-cases/team-plan.js";
import { getTeamRefinement, type TeamRefinement, updateTeamRefinement } from "../use-cases/team-refinement.js";
import { undoReorder } from "../use-cases/undo-reorder.js";
import { updateItem } from "../use-cases/update-item.js";

/** An item as the API presents it. */
export type ItemView = ReturnType<typeof presentItem>;
/** An opened item as the API presents it. */
export type ItemDetailView = Omit<ItemDetail, "item"> & { item: ItemView };

export interface Backend {
  listBacklog(scope: BacklogScope, query: Record<string, string>): Promise<BacklogPage>;
  getItem(ref: string): Promise<ItemDetailView>;
  createItem(input: Record<string, unknown>): Promise<ItemView>;
  moveItem(ref: string, input: Record<string, unknown>): Promise<ItemView>;
  checkTrain(): Promise<CheckReport>;
  /**
   * Sets some of an item's WSJF inputs and economic fields (null clears one) on `version`, else on its current
   * version.
   */
  scoreItem(ref: string, inputs: Record<string, number | string | null>, version?: number): Promise<ItemView>;
  /** The economic view of a program backlog level: the WSJF and CD3 orders side by side. */
  economics(art: string, level: string, asOf?: string): Promise<EconomicsView>;
  /** The backlog health of the team backlogs one may see (or of `team`) and of the train. */
  backlogHealth(art: string, team?: string): Promise<BacklogHealth>;
  /** Metrics of a team (or the train) for a PI as of a date, Monte Carlo forecasts, inspect & adapt (query as the API's). */
  metrics(art: string, query: Record<string, string>): Promise<MetricsDashboard>;
  forecast(art: string, query: Record<string, string>): Promise<Forecast>;
  inspectAdapt(art: string, query: Record<string, string>): Promise<InspectAdapt>;
  wsjfGrid(art: string, level: string): Promise<WsjfGrid>;
  /** The grid as the API's CSV download. */
  wsjfCsv(art: string, level: string): Promise<string>;
  applyWsjfOrder(art: string, input: { level: string; pinned: string[]; dryRun: boolean }): Promise<WsjfOrderPreview>;
  undoReorder(art: string, reorderId: string): Promise<{ reorderId: string | null; moved: number }>;
  alignTeam(art: string, team: string, input: { dryRun: boolean }): Promise<TeamAlignment>;
  recordFeedback(art: string, input: Record<string, unknown>): Promise<RecordedFeedback>;
  listFeedback(art: string, query: Record<string, string>): Promise<{ items: FeedbackEntry[] }>;
  feedbackReview(art: string): Promise<{ items: FeedbackReviewRow[] }>;
  linkFeedback(item: string, feedbackId: string): Promise<FeedbackLinkView>;
  listEstimationSessions(art: string): Promise<{ items: EstimationSessionSummary[] }>;
  estimationSession(session: string): Promise<EstimationSessionView>;
  startEstimationSession(art: string, input: Record<string, unknown>): Promise<EstimationSessionView>;
  scoreEstimation(session: string, scores: Record<string, unknown>[]): Promise<EstimationSessionView>;
  /** Reveals or closes a session. */
  steerEstimation(session: string, action: "reveal" | "close"): Promise<EstimationSessionView>;
  revoteEstimation(session: string, items?: string[]): Promise<EstimationSessionView>;
  confirmEstimation(session: string, values: Record<string, unknown>[]): Promise<EstimationSessionView>;
  /** Suggested splits of a story. */
  splitSuggestions(ref: string): Promise<{ suggestions: SplitSuggestion[] }>;
  /** Splits a story (the input as POST /items/{item}/split takes it, with the version split on). */
  splitStory(ref: string, input: Record<string, unknown>): Promise<SplitResultView>;
  /** Story drafts for a feature and the teams they may go to. */
  breakdownDrafts(ref: string): Promise<BreakdownDrafts>;
  /** Creates stories under a feature (the input as POST /items/{item}/breakdown takes it). */
  breakDownFeature(ref: string, input: Record<string, unknown>): Promise<{ stories: ItemView[] }>;
  /** Sets some of an item's fields on `version`, else on its current version. */
  editItem(ref: string, fields: Record<string, unknown>, version?: number): Promise<ItemView>;
  qualityReport(art: string, query: Record<string, string>): Promise<QualityReport>;
  itemQuality(ref: string): Promise<ItemQuality>;
  dismissFinding(ref: string, input: { rule: string; reason: string }): Promise<RecordedDismissal>;
  restoreFinding(ref: string, rule: string): Promise<void>;
  teamRefinement(art: string, team: string): Promise<TeamRefinement>;
  updateTeamRefinement(art: string, team: string, input: Record<string, unknown>): Promise<TeamRefinement>;
  listDependencies(art: string, query: Record<string, string>): Promise<DependencyList>;
  getDependency(id: string): Promise<Dependency>;
  createDependency(art: string, input: Record<string, unknown>): Promise<Dependency>;
  /** Changes a dependency (the input as PATCH /dependencies/{id} takes it, with its version). */
  changeDependency(id: string, input: Record<string, unknown>): Promise<Dependency>;
  removeDependency(id: string, version: number): Promise<void>;
  programBoard(art: string, pi: string, query: Record<string, string>): Promise<ProgramBoard>;
  proposePlan(art: string, pi: string, query: Record<string, string>): Promise<PlanProposalView>;
  acceptPlan(art: string, pi: string, input: Record<string, unknown>): Promise<{ items: ItemView[] }>;
  /** One ART with its teams, PIs and iterations. */
  train(art: string): Promise<Art>;
  createPi(art: string, input: Record<string, unknown>): Promise<ProgramIncrement>;
  /** Renames a PI or sets its allocation policy (the input as PATCH /arts/{art}/pis/{pi} takes it, with its version). */
  updatePi(art: string, pi: string, input: Record<string, unknown>): Promise<ProgramIncrement>;
  capacity(art: string, pi: string, query: Record<string, string>): Promise<{ teams: TeamCapacity[] }>;
  setCapacity(art: string, team: string, iteration: string, input: Record<string, unknown>): Promise<CapacityEntry>;
  piPlan(art: string, pi: string, query: Record<string, string>): Promise<PiPlanView>;
  objectives(art: string, pi: string): Promise<ObjectivesView>;
  addObjective(art: string, pi: string, input: Record<string, unknown>): Promise<Objective>;
  updateObjective(id: string, input: Record<string, unknown>): Promise<Objective>;
  removeObjective(id: string, version: number): Promise<void>;
  risks(art: string, query: Record<string, string>): Promise<RiskList>;
  addRisk(art: string, input: Record<string, unknown>): Promise<Risk>;
  updateRisk(id: string, input: Record<string, unknown>): Promise<Risk>;
  removeRisk(id: string, version: number): Promise<void>;
  confidence(art: string, pi: string): Promise<ConfidenceView>;
  voteConfidence(art: string, pi: string, input: Record<string, unknown>): Promise<ConfidenceView>;
}

/** Feedback just recorded, with the keys of the items it was linked to. */
export type RecordedFeedback = Feedback & { items: string[] };
/** A story split: the original, closed as split, and the new stories in rank order. */
export interface SplitResultView {
  original: ItemView;
  stories: ItemView[];
}
export interface FeedbackLinkView {
  feedbackId: string;
  itemId: string;
  key: string;
  linkedAt: string;
}

/** The use cases on an open database, acting as `actor` (the operator). */
export function localBackend(rt: Runtime, actor: Actor): Backend {
  return {
    listBacklog: (scope, query) => listBacklog(rt.deps, actor, scope, query),
    getItem: async (ref) => {
      const detail = await getItem(rt.deps, ref, actor);
      return { ...detail, item: presentItem(detail.item) };
    },
    createItem: async (input) => presentItem(await createItem(rt.deps, input, actor)),
    moveItem: async (ref, input) => presentItem(await moveItem(rt.deps, ref, input, actor)),
    checkTrain: () => checkTrain(rt.deps, actor),
    scoreItem: async (ref, inputs, version) => {
      const on = version ?? (await getItem(rt.deps, ref, actor)).item.version;
      return presentItem(await updateItem(rt.deps, ref, inputs, actor, on));
    },
    wsjfGrid: (art, level) => listWsjf(rt.deps, actor, art, { level }),
    economics: (art, level, asOf) => listEconomics(rt.deps, actor, art, { level, ...(asOf ? { asOf } : {}) }),
    backlogHealth: (art, team) => backlogHealth(rt.deps, actor, art, team ? { team } : {}),
    metrics: (art, query) => metricsDashboard(rt.deps, actor, art, query),
    forecast: (art, query) => forecast(rt.deps, actor, art, query),
    inspectAdapt: (art, query) => inspectAdapt(rt.deps, actor, art, query),
    wsjfCsv: async (art, level) => wsjfCsv(await listWsjf(rt.deps, actor, art, { level })),
    applyWsjfOrder: (art, input) => applyWsjfOrder(rt.deps, actor, art, input),
    undoReorder: (art, reorderId) => undoReorder(rt.deps, actor, art, reorderId),
    alignTeam: (art, team, input) => alignTeamBacklog(rt.deps, actor, art, team, input),
    recordFeedback: (art, input) => recordFeedback(rt.deps, actor, art, input),
    listFeedback: (art, query) => listArtFeedback(rt.deps, actor, art, query),
    feedbackReview: (art) => feedbackReview(rt.deps, actor, art),
    linkFeedback: (item, feedbackId) => linkFeedback(rt.deps, actor, item, { feedbackId }),
    listEstimationSessions: (art) => listEstimationSessionsOf(rt.deps, actor, art),
    estimationSession: (session) => openEstimationSession(rt.deps, actor, session),
    startEstimationSession: (art, input) => startEstimationSession(rt.deps, actor, art, input),
    scoreEstimation: (session, scores) => scoreEstimation(rt.deps, actor, session, { scores }),
    steerEstimation: (session, action) =>
      (action === "reveal" ? revealEstimation : closeEstimationSession)(rt.deps, actor, session),
    revoteEstimation: (session, items) => revoteEstimation(rt.deps, actor, session, items ? { items } : {}),
    confirmEstimation: (session, values) => confirmEstimation(rt.deps, actor, session, { values }),
    splitSuggestions: (ref) => splitSuggestions(rt.deps, ref, actor),
    splitStory: async (ref, input) => {
      const r = await splitStory(rt.deps, ref, input, actor);
      return { original: presentItem(r.original), stories: r.stories.map(presentItem) };
    },
    breakdownDrafts: (ref) => breakdownDrafts(rt.deps, ref, actor),
    breakDownFeature: async (ref, input) => ({
      stories: (await breakDownFeature(rt.deps, ref, input, actor)).stories.map(presentItem),
    }),
    editItem: async (ref, fields, version) => {
      const on = version ?? (await getItem(rt.deps, ref, actor)).item.version;
      return presentItem(await updateItem(rt.deps, ref, fields, actor, on));
    },
    qualityReport: (art, query) => qualityReport(rt.deps, actor, art, query),
    itemQuality: (ref) => itemQuality(rt.deps, actor, ref),
    dismissFinding: (ref, input) => dismissFinding(rt.deps, actor, ref, input),
    restoreFinding: (ref, rule) => restoreFinding(rt.deps, actor, ref, rule),
    teamRefinement: (art, team) => getTeamRefinement(rt.deps, actor, art, team),
    updateTeamRefinement: (art, team, input) => updateTeamRefinement(rt.deps, actor, art, team, input),
    listDependencies: (art, query) => listDependencies(rt.deps, actor, art, query),
    getDependency: (id) => getDependency(rt.deps, actor, id),
    createDependency: (art, input) => createDependency(rt.deps, actor, art, input),
    changeDependency: (id, input) => changeDependency(rt.deps, actor, id, input),
    removeDependency: (id, version) => removeDependency(rt.deps, actor, id, version),
    programBoard: (art, pi, query) => programBoard(rt.deps, actor, art, pi, query),
    proposePlan: (art, pi, query) => proposePlanFor(rt.deps, actor, art, pi, query),
    acceptPlan: async (art, pi, input) => ({
      items: (await acceptPlan(rt.deps, actor, art, pi, input)).map(presentItem),
    }),
    train: (art) => getTrain(rt.deps, art, actor),
    createPi: (art, input) => addProgramIncrement(rt.deps, art, input, actor),
    updatePi: (art, pi, input) => updatePi(rt.deps, actor, art, pi, input),
    capacity: (art, pi, query) => getCapacity(rt.deps, actor, art, pi, query),
    setCapacity: (art, team, iteration, input) => setCapacity(rt.deps, actor, art, team, iteration, input),
    piPlan: (art, pi, query) => teamPlan(rt.deps, actor, art, pi, query),
    objectives: (art, pi) => listPiObjectives(rt.deps, actor, art, pi),
    addObjective: (art, pi, input) => addObjective(rt.deps, actor, art, pi, input),
    updateObjective: (id, input) => updateObjective(rt.deps, actor, id, input),
    removeObjective: (id, version) => removeObjective(rt.deps, actor, id, { version }),
    risks: (art, query) => listArtRisks(rt.deps, actor, art, query),
    addRisk: (art, input) => addRisk(rt.deps, actor, art, input),
    updateRisk: (id, input) => updateRisk(rt.deps, actor, id, input),
    removeRisk: (id, version) => removeRisk(rt.deps, actor, id, { version }),
    confidence: (art, pi) => getConfidence(rt.deps, actor, art, pi),
    voteConfidence: (art, pi, input) => voteConfidence(rt.deps, actor, art, pi, input),
  };
}
