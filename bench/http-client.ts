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
  request(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          agent: this.#agent,
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          headers: payload
            ? { ...this.#auth, "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
            : this.#auth,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve({ status, body: text });
            else reject(new Error(`${method} ${path} → ${status}: ${text.slice(0, 500)}`));
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
