// Files the CLI reads and writes line by line: an instance export (see move-instance.ts).

import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { AppError } from "../core/errors.js";

/** A writer of lines to a new file, waiting whenever the disk is behind; `close` ends the file. */
export function fileWriter(path: string): ((line: string) => Promise<void>) & { close(): Promise<void> } {
  const out = createWriteStream(path, { flags: "wx" });
  const failed = new Promise<never>((_, reject) =>
    out.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EEXIST"
          ? new AppError("conflict", `${path} exists already: name a new file.`)
          : new AppError("invalid", `Cannot write ${path}: ${e.message}`),
      ),
    ),
  );
  failed.catch(() => undefined);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await Promise.race([once(out, "drain"), failed]);
  };
  return Object.assign(write, {
    close: async () => {
      out.end();
      await Promise.race([once(out, "finish"), failed]);
    },
  });
}

/**
 * The lines of a file, read as they are needed. The file is opened only when the reading begins: a reader opened
 * earlier would drop the lines it read before anyone asked for them.
 */
export function fileLines(path: string): AsyncIterable<string> {
  if (!existsSync(path)) throw new AppError("not_found", `No file ${path}.`);
  return {
    async *[Symbol.asyncIterator]() {
      yield* createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
    },
  };
}
