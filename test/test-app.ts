// A Trainyard app in-process on a fresh real database, with a small request helper: the API tests' one factory.
import pino from "pino";
import { openRuntime, type Runtime } from "../src/runtime.js";
import { createApp } from "../src/server/app.js";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  runtime: Runtime;
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** The raw response, for streams. */
  request(path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function openTestApp(databaseUrl: string): Promise<TestApp> {
  const runtime = await openRuntime(databaseUrl);
  const app = createApp({ deps: runtime.deps, log: pino({ level: "silent" }), databaseKind: runtime.store.kind });
  return {
    runtime,
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { "content-type": "application/json", ...headers } };
      if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
      const res = await app.request(`/api/v1${path}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, headers: res.headers, body: parsed as never };
    },
    request: async (path) => app.request(`/api/v1${path}`),
    close: () => runtime.close(),
  };
}

/** A small train: ART PAY with teams core and web, one PI of five iterations. */
export async function createSmallTrain(t: TestApp) {
  const art = await t.call("POST", "/arts", {
    key: "PAY",
    name: "Payments Train",
    teams: [
      { key: "core", name: "Core" },
      { key: "web", name: "Web" },
    ],
  });
  await t.call("POST", "/arts/PAY/pis", { name: "PI 1", startDate: "2026-11-02" });
  return art.body;
}
