// Customer feedback and its links to items; the last time each item's value was estimated, read from history.
import { type Selectable, type SqlBool, sql } from "kysely";
import { ESTIMATE_FIELDS, type Feedback, type ReviewLink } from "../core/feedback.js";
import type { Db, FeedbackTable } from "./schema.js";

export interface FeedbackLink {
  feedbackId: string;
  itemId: string;
  createdAt: string;
  createdBy: string | null;
}

/** An item a piece of feedback is linked to. */
export interface LinkedItem {
  feedbackId: string;
  id: string;
  key: string;
  title: string;
  level: string;
  teamId: string | null;
  artId: string;
}

export interface FeedbackFilter {
  /** Words in the customer, source or body. */
  q?: string;
  customer?: string;
  source?: string;
  limit: number;
}

export async function insertFeedback(db: Db, f: Feedback): Promise<void> {
  await db
    .insertInto("feedback")
    .values({
      id: f.id,
      art_id: f.artId,
      source: f.source,
      customer: f.customer,
      body: f.body,
      weight: f.weight,
      received_on: f.receivedOn,
      created_at: f.createdAt,
      created_by: f.createdBy,
    })
    .execute();
}

export async function findFeedback(db: Db, id: string): Promise<Feedback | undefined> {
  const row = await db.selectFrom("feedback").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toFeedback(row);
}

/** Contains, ignoring case, on both databases; `%` and `_` in the needle match themselves. */
const like = (needle: string) => `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** An ART's feedback, newest first (by the day it was received, then when it was recorded). */
export async function listFeedback(db: Db, artId: string, filter: FeedbackFilter): Promise<Feedback[]> {
  let q = db
    .selectFrom("feedback")
    .selectAll()
    .where("art_id", "=", artId)
    .orderBy("received_on", "desc")
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(filter.limit);
  const contains = (column: "customer" | "source" | "body", needle: string) =>
    sql<SqlBool>`lower(${sql.ref(column)}) like ${like(needle)} escape '\\'`;
  if (filter.customer) q = q.where(contains("customer", filter.customer));
  if (filter.source) q = q.where(contains("source", filter.source));
  const words = filter.q?.trim();
  if (words) {
    q = q.where((eb) => eb.or([contains("customer", words), contains("source", words), contains("body", words)]));
  }
  return (await q.execute()).map(toFeedback);
}

export async function insertFeedbackLink(db: Db, link: FeedbackLink): Promise<void> {
  await db
    .insertInto("feedback_links")
    .values({
      feedback_id: link.feedbackId,
      item_id: link.itemId,
      created_at: link.createdAt,
      created_by: link.createdBy,
    })
    .execute();
}

export async function findFeedbackLink(db: Db, feedbackId: string, itemId: string): Promise<FeedbackLink | undefined> {
  const row = await db
    .selectFrom("feedback_links")
    .selectAll()
    .where("feedback_id", "=", feedbackId)
    .where("item_id", "=", itemId)
    .executeTakeFirst();
  return (
    row && { feedbackId: row.feedback_id, itemId: row.item_id, createdAt: row.created_at, createdBy: row.created_by }
  );
}

export async function deleteFeedbackLink(db: Db, feedbackId: string, itemId: string): Promise<void> {
  await db.deleteFrom("feedback_links").where("feedback_id", "=", feedbackId).where("item_id", "=", itemId).execute();
}

/** An item's feedback with when each was linked, newest received first. */
export async function feedbackOfItem(db: Db, itemId: string): Promise<(Feedback & { linkedAt: string })[]> {
  const rows = await db
    .selectFrom("feedback_links")
    .innerJoin("feedback", "feedback.id", "feedback_links.feedback_id")
    .selectAll("feedback")
    .select("feedback_links.created_at as linked_at")
    .where("feedback_links.item_id", "=", itemId)
    .orderBy("feedback.received_on", "desc")
    .orderBy("feedback.created_at", "desc")
    .execute();
  return rows.map((r) => ({ ...toFeedback(r), linkedAt: r.linked_at }));
}

/** The items each of these pieces of feedback is linked to, in key order. */
export async function itemsLinkedTo(db: Db, feedbackIds: readonly string[]): Promise<LinkedItem[]> {
  if (feedbackIds.length === 0) return [];
  const rows = await db
    .selectFrom("feedback_links")
    .innerJoin("items", "items.id", "feedback_links.item_id")
    .select([
      "feedback_links.feedback_id",
      "items.id",
      "items.key",
      "items.title",
      "items.level",
      "items.team_id",
      "items.art_id",
      "items.number",
    ])
    .where("feedback_links.feedback_id", "in", feedbackIds)
    .orderBy("items.number")
    .execute();
  return rows.map((r) => ({
    feedbackId: r.feedback_id,
    id: r.id,
    key: r.key,
    title: r.title,
    level: r.level,
    teamId: r.team_id,
    artId: r.art_id,
  }));
}

/** Every link of feedback to a program item (not a story) of an ART. */
export async function programFeedbackLinks(db: Db, artId: string): Promise<ReviewLink[]> {
  const rows = await db
    .selectFrom("feedback_links")
    .innerJoin("feedback", "feedback.id", "feedback_links.feedback_id")
    .innerJoin("items", "items.id", "feedback_links.item_id")
    .select([
      "feedback_links.item_id",
      "feedback_links.feedback_id",
      "feedback_links.created_at as linked_at",
      "feedback.created_at as feedback_created_at",
      "feedback.weight",
    ])
    .where("items.art_id", "=", artId)
    .where("items.level", "!=", "story")
    .execute();
  return rows.map((r) => ({
    itemId: r.item_id,
    feedbackId: r.feedback_id,
    weight: Number(r.weight),
    feedbackCreatedAt: r.feedback_created_at,
    linkedAt: r.linked_at,
  }));
}

/** When a WSJF input of each of these items last changed, from history; items never estimated are left out. */
export async function lastEstimates(db: Db, itemIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db
      .selectFrom("events")
      .select(["item_id", (eb) => eb.fn.max("at").as("at")])
      .where("item_id", "in", itemIds.slice(i, i + 500))
      .where("field", "in", ESTIMATE_FIELDS)
      .groupBy("item_id")
      .execute();
    for (const r of rows) if (r.at) result.set(r.item_id, String(r.at));
  }
  return result;
}

function toFeedback(r: Selectable<FeedbackTable>): Feedback {
  return {
    id: r.id,
    artId: r.art_id,
    source: r.source,
    customer: r.customer,
    body: r.body,
    weight: Number(r.weight),
    receivedOn: r.received_on,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}
