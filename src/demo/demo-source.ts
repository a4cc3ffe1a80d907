// Loads the real backlog content the demo train is built from: Jira issues with their teams' story points
// (story-points/*.csv) and "As a…, I want…, so that…" user stories (user-stories/*.txt), both under
// the shared data directory described in its README. Planning the train from this source is pure; see demo-train.ts.

import { statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { AppError } from "../core/errors.js";

/** One real issue from an open-source project's Jira, with the story points its team gave it. */
export interface SourceIssue {
  /** The CSV file's name without `.csv`, e.g. `springxd`, `mesos`. */
  project: string;
  /** The Jira key, e.g. `XD-1234`. */
  key: string;
  title: string;
  description: string;
  points: number;
}

export interface DemoSource {
  /** Issues of all projects, one per distinct title (the first occurrence wins), in file then row order. */
  issues: SourceIssue[];
  /** One user story per line of every user-stories file, in file then line order. */
  userStories: string[];
}

/** Environment variable that points the demo at a data directory other than `../shared/data`. */
export const DATA_DIR_ENV = "TRAINYARD_DATA_DIR";

/**
 * The data directory: `$TRAINYARD_DATA_DIR` when set, else `../shared/data` relative to `cwd` (the project root).
 * Throws an `unavailable` error naming the path it looked at when that directory does not exist.
 *
 * @example
 * const source = await loadDemoSource(defaultDataDir());
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env[DATA_DIR_ENV]?.trim();
  const dir = fromEnv ? resolve(cwd, fromEnv) : resolve(cwd, "..", "shared", "data");
  if (!isDirectory(dir)) {
    const origin = fromEnv ? `${DATA_DIR_ENV}=${fromEnv}` : `../shared/data relative to ${cwd}`;
    throw new AppError(
      "unavailable",
      `The demo data directory ${dir} (from ${origin}) does not exist. ` +
        `Set ${DATA_DIR_ENV} to the folder that holds story-points/ and user-stories/, ` +
        `e.g. ${DATA_DIR_ENV}=/path/to/shared/data.`,
    );
  }
  return dir;
}

/** Reads every `story-points/*.csv` and `user-stories/*.txt` under `dataDir`, files in name order. */
export async function loadDemoSource(dataDir: string): Promise<DemoSource> {
  const issues: SourceIssue[] = [];
  const seenTitles = new Set<string>();
  for (const file of await listFiles(join(dataDir, "story-points"), ".csv")) {
    for (const issue of await readIssues(file)) {
      if (seenTitles.has(issue.title)) continue;
      seenTitles.add(issue.title);
      issues.push(issue);
    }
  }
  const userStories: string[] = [];
  for (const file of await listFiles(join(dataDir, "user-stories"), ".txt")) {
    const text = await readFile(file, "utf8");
    for (const line of text.split(/\r?\n/)) {
      const story = line.trim();
      if (story) userStories.push(story);
    }
  }
  return { issues, userStories };
}

interface IssueRow {
  issuekey?: string;
  title?: string;
  description?: string;
  storypoint?: string;
}

async function readIssues(file: string): Promise<SourceIssue[]> {
  const project = basename(file, ".csv");
  const issues: SourceIssue[] = [];
  const rows = parse(await readFile(file, "utf8"), { columns: true, bom: true, skip_empty_lines: true }) as IssueRow[];
  for (const row of rows) {
    const title = (row.title ?? "").replace(/\s+/g, " ").trim();
    const points = Number(row.storypoint);
    if (!title || !Number.isFinite(points)) continue;
    issues.push({
      project,
      key: (row.issuekey ?? "").trim(),
      title,
      description: (row.description ?? "").replace(/\r\n?/g, "\n").trim(),
      points,
    });
  }
  return issues;
}

async function listFiles(dir: string, extension: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => join(dir, name));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
