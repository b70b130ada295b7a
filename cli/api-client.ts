import type { z } from "zod";
import {
  apiErrorSchema,
  environmentsResponse,
  meResponse,
  operationsResponse,
  projectsResponse,
  runSchema,
  runsQuery,
  runsResponse,
} from "../lib/api/schemas.ts";
import { ApiError, CliError, ExitCode, UnreachableError, exitCodeForStatus } from "./errors.ts";
import { type FollowOptions, type LogEnd, followLog } from "./follow-log.ts";
import { parseWith, safeJson } from "./validate.ts";
import { CLIENT_HEADER, VERSION } from "./version.ts";

// Answers are parsed with the API's own schemas (lib/api/schemas.ts). Runs and
// operations are loose at their top level: fields a newer server adds pass
// through to --format json instead of being dropped.

const looseRun = runSchema.loose();
const looseOperation = operationsResponse.shape.operations.element.loose();

export type User = z.infer<typeof meResponse>["user"];
export type Project = z.infer<typeof projectsResponse>["projects"][number];
export type Environment = z.infer<typeof environmentsResponse>["environments"][number];
export type Operation = z.infer<typeof looseOperation>;
export type OperationList = {
  operations: Operation[];
  warnings: z.infer<typeof operationsResponse>["warnings"];
};
/** A run; `url` (its console page) is always set, filled in when the server left it out. */
export type Run = z.infer<typeof looseRun> & { url: string };

/** The run list's filters, as the API's query names them. */
export type RunQuery = Partial<Record<keyof z.input<typeof runsQuery>, string | number | undefined>>;

export interface ClientOptions {
  url: string;
  token: string;
  /** Tests pass a fake; the default is the global fetch. */
  fetch?: typeof fetch;
  /** How long a plain request may take before it counts as the server being unreachable. */
  timeoutMs?: number;
  /** Told one line per request (method, path, status, time): `-v`. */
  trace?: (line: string) => void;
}

const seg = encodeURIComponent;

/** The HTTP API as the CLI needs it: bearer token, zod-checked answers, errors turned into exit codes. */
export class ApiClient {
  readonly url: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly trace: ((line: string) => void) | undefined;

  constructor(options: ClientOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.token = options.token;
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.trace = options.trace;
  }

  async me(): Promise<User> {
    return (await this.json("GET", "/api/v1/me", meResponse)).user;
  }

  async projects(): Promise<Project[]> {
    return (await this.json("GET", "/api/v1/projects", projectsResponse)).projects;
  }

  async environments(project: string): Promise<Environment[]> {
    return (await this.json("GET", `/api/v1/projects/${seg(project)}/environments`, environmentsResponse))
      .environments;
  }

  /** The current deployment's operations and its config warnings (keys set twice). */
  async operationList(project: string, environment: string): Promise<OperationList> {
    const schema = operationsResponse.extend({
      operations: looseOperation.array(),
      // A console from before config warnings sends none.
      warnings: operationsResponse.shape.warnings.default([]),
    });
    const path = `/api/v1/projects/${seg(project)}/environments/${seg(environment)}/operations`;
    return this.json("GET", path, schema);
  }

  async operations(project: string, environment: string): Promise<Operation[]> {
    return (await this.operationList(project, environment)).operations;
  }

  async startRun(
    project: string,
    environment: string,
    body: { operation: string; app?: string; worker?: string },
  ): Promise<Run> {
    const path = `/api/v1/projects/${seg(project)}/environments/${seg(environment)}/runs`;
    return this.withUrl(await this.json("POST", path, looseRun, body));
  }

  async listRuns(
    project: string,
    environment: string,
    query: RunQuery,
  ): Promise<{ runs: Run[]; nextCursor: string | null }> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== "") params.set(key, String(value));
    }
    const qs = params.size > 0 ? `?${params}` : "";
    const path = `/api/v1/projects/${seg(project)}/environments/${seg(environment)}/runs${qs}`;
    const schema = runsResponse.extend({ runs: looseRun.array() });
    const page = await this.json("GET", path, schema);
    return { runs: page.runs.map((r) => this.withUrl(r)), nextCursor: page.nextCursor };
  }

  async getRun(id: string): Promise<Run> {
    return this.withUrl(await this.json("GET", `/api/v1/runs/${seg(id)}`, looseRun));
  }

  async cancelRun(id: string): Promise<Run> {
    return this.withUrl(await this.json("POST", `/api/v1/runs/${seg(id)}/cancel`, looseRun));
  }

  /**
   * Opens the run's log as Server-Sent Events, resuming after sequence number
   * `after`. No timeout: the stream lasts as long as the run; the caller
   * watches for stalls and aborts through `signal`.
   */
  async openLog(id: string, after: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (after > 0) headers["last-event-id"] = String(after);
    const response = await this.send("GET", `/api/v1/runs/${seg(id)}/log`, { headers, signal });
    if (!response.body) throw new CliError("the log stream has no body", ExitCode.server);
    return response.body;
  }

  /** The whole stored log, as the bytes the command printed. */
  async downloadLog(id: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await this.send("GET", `/api/v1/runs/${seg(id)}/log`, {
      headers: { accept: "text/plain" },
      signal,
    });
    if (!response.body) throw new CliError("the log download has no body", ExitCode.server);
    return response.body;
  }

  private withUrl(run: z.infer<typeof looseRun>): Run {
    return { ...run, url: run.url ?? `${this.url}/runs/${encodeURIComponent(run.id)}` };
  }

  /** Follows the run's log until it ends, resuming after dropped connections (see follow-log.ts). */
  follow(id: string, options: FollowOptions): Promise<LogEnd> {
    return followLog(this, id, options);
  }

  private async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const response = await this.send(method, path, {
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (error) {
      if (signal.aborted) throw this.unreachable(error, "timed out");
      throw this.notUnderstood(response, "its body is not JSON");
    }
    return parseWith(schema, parsed, `${method} ${path}`);
  }

  /** Sends a request; non-2xx answers become ApiError, connection failures UnreachableError. */
  private async send(
    method: string,
    path: string,
    init: { headers: Record<string, string>; body?: string; signal?: AbortSignal },
  ): Promise<Response> {
    let response: Response;
    const started = Date.now();
    try {
      response = await this.fetchImpl(`${this.url}${path}`, {
        method,
        body: init.body,
        signal: init.signal,
        headers: {
          authorization: `Bearer ${this.token}`,
          "x-runops-client": CLIENT_HEADER,
          "user-agent": `runops-cli/${VERSION} node/${process.versions.node}`,
          ...init.headers,
        },
      });
    } catch (error) {
      if (
        init.signal?.aborted &&
        init.signal.reason instanceof Error &&
        init.signal.reason.name !== "TimeoutError"
      ) {
        // Aborted by the caller (Ctrl-C, stall watchdog): not a network failure.
        throw init.signal.reason;
      }
      this.trace?.(`${method} ${path} failed after ${Date.now() - started} ms`);
      throw this.unreachable(error, init.signal?.aborted ? "timed out" : undefined);
    }
    this.trace?.(`${method} ${path} ${response.status} in ${Date.now() - started} ms`);
    if (response.ok) return response;
    throw await this.apiError(response);
  }

  private async apiError(response: Response): Promise<CliError> {
    const text = await response.text().catch(() => "");
    const body = apiErrorSchema.safeParse(safeJson(text));
    if (!body.success) {
      if (response.status >= 500) {
        return new CliError(`the server failed (HTTP ${response.status})`, ExitCode.server);
      }
      return this.notUnderstood(response, `HTTP ${response.status} without the API's error body`);
    }
    const { code, message, details } = body.data.error;
    const status = response.status;
    if (status === 401) {
      return new ApiError(
        "the API token was refused: run `runops auth:login`",
        ExitCode.auth,
        status,
        code,
        details,
        message,
      );
    }
    const prefix =
      status === 403
        ? "permission denied: "
        : status === 404
          ? "not found: "
          : status >= 500
            ? "the server failed: "
            : "";
    return new ApiError(`${prefix}${message}`, exitCodeForStatus(status), status, code, details);
  }

  private unreachable(error: unknown, override?: string): UnreachableError {
    const reason = override ?? networkReason(error);
    return new UnreachableError(`cannot reach runops at ${this.url}: ${reason}`, reason);
  }

  private notUnderstood(response: Response, why: string): CliError {
    const type = response.headers.get("content-type") ?? "no content type";
    return new CliError(
      `unexpected answer from ${this.url} (${why}; ${type})`,
      ExitCode.server,
      "is this the URL of a runops console? Check RUNOPS_URL or `runops auth:login`",
    );
  }
}

/**
 * The most telling word of a fetch failure: undici wraps the system error
 * (ECONNREFUSED, ENOTFOUND, ...) in `cause`, sometimes in an AggregateError of
 * one per address tried.
 */
export function networkReason(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if ("code" in current && typeof current.code === "string" && !current.code.startsWith("ERR_")) {
      return current.code;
    }
    if (current instanceof AggregateError && current.errors.length > 0) {
      current = current.errors[0];
      continue;
    }
    if (current.cause === undefined) break;
    current = current.cause;
  }
  return error instanceof Error
    ? error.cause instanceof Error
      ? error.cause.message
      : error.message
    : String(error);
}
