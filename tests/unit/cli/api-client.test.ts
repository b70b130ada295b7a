import { describe, expect, it } from "vitest";
import { ApiClient, networkReason } from "../../../cli/api-client";
import { ExitCode } from "../../../cli/errors";
import type { Run } from "../../../lib/api/schemas";

type Call = { url: string; init: RequestInit };

function client(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fake: typeof fetch = async (input, init) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return respond(call);
  };
  return { api: new ApiClient({ url: "http://runops.test/", token: "rop_x", fetch: fake }), calls };
}

const apiError = (status: number, code: string, message: string, details?: unknown) =>
  Response.json({ error: { code, message, ...(details ? { details } : {}) } }, { status });

/** Typed with the API's own schema: the CLI parses with it, so the fixture must satisfy it. */
const run: Run = {
  id: "r1",
  project: "shop",
  environment: "staging",
  environmentId: "e1",
  app: "storefront",
  worker: null,
  operation: "ping",
  role: "viewer",
  command: "echo",
  state: "pending",
  result: null,
  exitCode: null,
  signal: null,
  reason: null,
  source: "cli",
  triggeredBy: { id: "u", name: "Ada", email: "a@x" },
  createdAt: "2025-01-01T00:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  cancelRequested: false,
  executedBy: null,
  pool: "default",
  target: "local",
  logBytes: 0,
  logTruncated: false,
  canCancel: true,
  url: "http://runops.test/runs/r1",
  repeatOf: null,
};

describe("ApiClient", () => {
  it("sends the bearer token and the CLI's client header, and encodes path segments", async () => {
    const { api, calls } = client(() => Response.json({ operations: [] }));
    await api.operations("shop", "feature/x");
    const [call] = calls;
    expect(call?.url).toBe("http://runops.test/api/v1/projects/shop/environments/feature%2Fx/operations");
    const headers = new Headers(call?.init.headers);
    expect(headers.get("authorization")).toBe("Bearer rop_x");
    expect(headers.get("x-runops-client")).toMatch(/^cli\/\d+\.\d+\.\d+/);
  });

  it("posts a run and keeps fields it does not know", async () => {
    const { api, calls } = client(() => Response.json({ ...run, extra: 1 }, { status: 202 }));
    const started = await api.startRun("shop", "staging", { operation: "ping", app: "storefront" });
    expect(started).toMatchObject({ id: "r1", extra: 1 });
    expect(calls[0]?.init.method).toBe("POST");
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ operation: "ping", app: "storefront" });
  });

  it("builds the run list query from the filters given", async () => {
    const { api, calls } = client(() => Response.json({ runs: [run], nextCursor: null }));
    await api.listRuns("shop", "main", {
      state: "complete",
      limit: 5,
      operation: undefined,
      since: "2026-03-01",
      before: "2026-03-16",
    });
    expect(calls[0]?.url).toBe(
      "http://runops.test/api/v1/projects/shop/environments/main/runs?state=complete&limit=5&since=2026-03-01&before=2026-03-16",
    );
  });

  it("tells its trace one line per request: method, path, status and time (-v)", async () => {
    const lines: string[] = [];
    const api = new ApiClient({
      url: "http://runops.test",
      token: "rop_x",
      fetch: async () => Response.json({ user: { id: "u", email: "a@x", name: "Ada" } }),
      trace: (line) => lines.push(line),
    });
    await api.me();
    expect(lines).toEqual([expect.stringMatching(/^GET \/api\/v1\/me 200 in \d+ ms$/)]);
  });

  it.each([
    [401, "unauthenticated", ExitCode.auth, "the API token was refused: run `runops auth:login`"],
    [403, "forbidden", ExitCode.permission, "permission denied: requires admin"],
    [404, "not_found", ExitCode.notFound, "not found: requires admin"],
    [409, "run_ended", ExitCode.conflict, "requires admin"],
    [400, "invalid_request", ExitCode.usage, "requires admin"],
    [422, "ambiguous_operation", ExitCode.usage, "requires admin"],
    [500, "internal", ExitCode.server, "the server failed: requires admin"],
  ])("maps HTTP %i to its exit code", async (status, code, exitCode, message) => {
    const { api } = client(() => apiError(status, code, "requires admin"));
    await expect(api.getRun("r1")).rejects.toMatchObject({ status, code, exitCode, message });
  });

  it("keeps the server's reason for a refused token as the hint", async () => {
    const { api } = client(() =>
      apiError(401, "unauthenticated", "The API token is invalid, expired or revoked"),
    );
    await expect(api.me()).rejects.toMatchObject({ hint: "The API token is invalid, expired or revoked" });
  });

  it("passes error details through (the apps of an ambiguous operation)", async () => {
    const { api } = client(() =>
      apiError(422, "ambiguous_operation", "ambiguous", { apps: ["storefront", "api"] }),
    );
    await expect(api.startRun("shop", "staging", { operation: "ping" })).rejects.toMatchObject({
      details: { apps: ["storefront", "api"] },
    });
  });

  it("says when the URL is not a runops server", async () => {
    const { api } = client(
      () => new Response("<html>", { status: 200, headers: { "content-type": "text/html" } }),
    );
    await expect(api.me()).rejects.toMatchObject({
      exitCode: ExitCode.server,
      message: /unexpected answer from http:\/\/runops.test/,
    });
  });

  it("says which field of an answer is wrong", async () => {
    const { api } = client(() => Response.json({ ...run, state: "running" }));
    await expect(api.getRun("r1")).rejects.toMatchObject({ exitCode: ExitCode.server, message: /state/ });
  });

  it("turns a refused connection into one line with the system's code", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const { api } = client(() => {
      throw new TypeError("fetch failed", { cause: refused });
    });
    await expect(api.me()).rejects.toMatchObject({
      exitCode: ExitCode.unreachable,
      message: "cannot reach runops at http://runops.test: ECONNREFUSED",
    });
  });

  it("finds the code inside undici's AggregateError", () => {
    const inner = Object.assign(new Error("x"), { code: "EHOSTUNREACH" });
    expect(networkReason(new TypeError("fetch failed", { cause: new AggregateError([inner]) }))).toBe(
      "EHOSTUNREACH",
    );
    expect(networkReason(new TypeError("fetch failed", { cause: new Error("other side closed") }))).toBe(
      "other side closed",
    );
  });

  it("asks for the log as events after the last id, or as text", async () => {
    const { api, calls } = client(() => new Response("", { status: 200 }));
    await api.openLog("r1", 41, new AbortController().signal);
    await api.openLog("r1", 0, new AbortController().signal);
    await api.downloadLog("r1");
    const headers = calls.map((c) => new Headers(c.init.headers));
    expect(headers[0]?.get("last-event-id")).toBe("41");
    expect(headers[0]?.get("accept")).toBe("text/event-stream");
    expect(headers[1]?.has("last-event-id")).toBe(false);
    expect(headers[2]?.get("accept")).toBe("text/plain");
  });
});
