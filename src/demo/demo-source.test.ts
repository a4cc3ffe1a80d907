import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DATA_DIR_ENV, defaultDataDir, loadDemoSource } from "./demo-source.js";

const made: string[] = [];

async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "trainyard-demo-"));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("loadDemoSource", () => {
  it("reads quoted descriptions with commas, quotes and newlines, keeping the first issue of each title", async () => {
    const dir = await dataDir({
      "story-points/alpha.csv":
        "issuekey,title,description,storypoint,split_mark\n" +
        'AL-1,Add a Kafka source,"Needs ""offsets"", retries,\nand a second line",5,train\n' +
        "AL-2,Add a Kafka source,duplicate under a new key,8,test\n",
      "story-points/beta.csv": "issuekey,title,description,storypoint,split_mark\nBE-7,Fix the  shell banner,,1,val\n",
      "user-stories/stories.txt": "As a Publisher, I want to publish a dataset, so that I can share it.\n\n",
    });
    const source = await loadDemoSource(dir);
    expect(source.issues).toEqual([
      {
        project: "alpha",
        key: "AL-1",
        title: "Add a Kafka source",
        description: 'Needs "offsets", retries,\nand a second line',
        points: 5,
      },
      { project: "beta", key: "BE-7", title: "Fix the shell banner", description: "", points: 1 },
    ]);
    expect(source.userStories).toEqual(["As a Publisher, I want to publish a dataset, so that I can share it."]);
  });
});

describe("defaultDataDir", () => {
  it("looks in ../shared/data next to the project root by default", async () => {
    const root = await dataDir({ "shared/data/README.md": "", "main/package.json": "{}" });
    expect(defaultDataDir({}, join(root, "main"))).toBe(join(root, "shared", "data"));
  });

  it("uses TRAINYARD_DATA_DIR when it is set", async () => {
    const dir = await dataDir({ "README.md": "" });
    expect(defaultDataDir({ [DATA_DIR_ENV]: dir }, "/nowhere")).toBe(dir);
  });

  it("says where it looked and how to set TRAINYARD_DATA_DIR when the directory is missing", () => {
    expect(() => defaultDataDir({}, "/no/such/project")).toThrow(/\/no\/such\/shared\/data.*TRAINYARD_DATA_DIR/);
    expect(() => defaultDataDir({ [DATA_DIR_ENV]: "/no/data/here" }, "/")).toThrow(/\/no\/data\/here/);
  });
});
