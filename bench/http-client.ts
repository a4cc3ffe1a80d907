// A minimal keep-alive HTTP client for the benchmark: one socket, one request in flight, the body read in full, so a
// sample is the round trip a browser's drag or list request would see on loopback.
import { Agent, request as httpRequest } from "node:http";

export interface Response {
  status: number;
  body: string;
}

export class HttpClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #base: URL;
  readonly #auth: Record<string, string>;

  /** `token`: the personal API token every request is sent with, as the tool's own scripts would. */
  constructor(baseUrl: string, token: string) {
    this.#base = new URL(baseUrl);
    this.#auth = { authorization: `Bearer ${token}` };
  }

  /** Sends a request and resolves with the status and the whole body; a non-2xx status is an error. */
  async request(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload ? { ...this.#auth, "content-type": "application/json" } : this.#auth;
    const res = await send(this.#agent, this.#base, { method, path, headers, ...(payload ? { body: payload } : {}) });
    if (res.status >= 200 && res.status < 300) return res;
    throw new Error(`${method} ${path} → ${res.status}: ${res.body.slice(0, 500)}`);
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * One request on `agent`'s sockets to the server at `base`: resolves with the status and the whole body (status 0 when
 * the connection failed, with the error as the body).
 */
export function send(
  agent: Agent,
  base: URL,
  request: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<Response> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: request.body
          ? { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) }
          : request.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => resolve({ status: 0, body: String(e) }));
      },
    );
    req.on("error", (e) => resolve({ status: 0, body: String(e) }));
    req.end(request.body);
  });
}
