// Asking the person at the terminal: a line (an email), a password with echo off, or one line piped on stdin
// (--password-stdin). Prompts go to stderr so stdout stays clean for --json; a password is never printed.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { invalid } from "../core/errors.js";

/** The person at the terminal pressed Ctrl-C or Ctrl-D instead of answering. */
export class Cancelled extends Error {
  constructor() {
    super("Cancelled.");
  }
}

/** Whether there is a person at a terminal to ask. */
export const canPrompt = (): boolean => Boolean(process.stdin.isTTY);

/** Reads one line from the terminal, echoed (`hidden`: not echoed; readline still handles backspace). */
function ask(question: string, hidden: boolean): Promise<string> {
  if (!canPrompt()) throw invalid("stdin", "there is no terminal to ask on");
  // Hidden, readline writes its echo to a sink instead of the terminal. It turns the terminal's own echo off as it
  // starts, and the question is shown only then, so nothing typed after it can be echoed.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({
    input: process.stdin,
    output: hidden ? sink : process.stderr,
    prompt: hidden ? "" : question,
    terminal: true,
  });
  if (hidden) process.stderr.write(question);
  else rl.prompt();
  return new Promise((resolve, reject) => {
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once("SIGINT", () => rl.close());
    rl.once("close", () => {
      if (hidden) process.stderr.write("\n");
      if (!answered) reject(new Cancelled());
    });
  });
}

export const askLine = (question: string): Promise<string> => ask(question, false);

export const askPassword = (question: string): Promise<string> => ask(question, true);

/** The first line piped on stdin, without its line ending. */
export async function readStdinLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  try {
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
  }
}

/**
 * A new password: one line from stdin with `fromStdin`, else asked twice at the terminal.
 * Its strength is the use case's to judge; this only makes sure it was typed as meant.
 */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdinLine();
  if (!canPrompt()) throw invalid("password", "no terminal to ask on: pipe it in with --password-stdin");
  const first = await askPassword("Password: ");
  const again = await askPassword("The same password again: ");
  if (first !== again) throw invalid("password", "the two passwords differ");
  return first;
}

/** A password to sign in with: one line from stdin with `fromStdin`, else asked once at the terminal. */
export async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdinLine();
  if (!canPrompt()) throw invalid("password", "no terminal to ask on: pipe it in with --password-stdin");
  return askPassword("Password: ");
}
