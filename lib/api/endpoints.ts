import { z } from "zod";
import { linesResponse, logStreamEvents, runsStreamEvents, searchResponse } from "./log-schemas";
import { linesQuery, logQuery, searchQuery } from "./log-queries";
import {
  environmentsResponse,
  healthResponse,
  meResponse,
  openApiDocumentSchema,
  operationsResponse,
  projectsResponse,
  runSchema,
  runsQuery,
  runsResponse,
  triggerRunBody,
} from "./resources";

/**
 * One answer of an endpoint: JSON of `schema`, Server-Sent Events whose data
 * match `events` (by event name), and/or text (`text` says what it is).
 */
export type Answer = {
  description: string;
  schema?: z.ZodType;
  events?: Record<string, z.ZodType>;
  text?: string;
};

/**
 * An endpoint's contract: what the route builder parses the request with and
 * checks the answer against (lib/http/api-route.ts), what the OpenAPI document
 * says (lib/api/openapi.ts) and what clients parse with. `errors` are the
 * statuses answered with the API's error shape.
 */
export type Endpoint = {
  method: "GET" | "POST";
  /** Under /api/v1, with {placeholders}; or an absolute path outside it (health). */
  path: `/${string}`;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, Answer>;
  errors: readonly number[];
};

const endpoint = <const E extends Endpoint>(e: E): E => e;

/** Path parameters: present, non-empty strings, each with what it names. */
export const pathParams = <K extends string>(described: Record<K, string>) =>
  z.object(
    Object.fromEntries(
      Object.entries(described).map(([n, d]) => [n, z.string().min(1).describe(String(d))]),
    ) as Record<K, z.ZodString>,
  );

const envParams = pathParams({ project: "project slug", environment: "environment name" });
const runParams = pathParams({ id: "run id" });
/** Every authenticated request may be refused for its token (401, 429); reads may wait too long (503). */
const READ = [401, 429, 503] as const;
const WRITE = [401, 403, 429] as const;

export const endpoints = {
  me: endpoint({
    method: "GET",
    path: "/me",
    summary: "The caller",
    responses: { 200: { description: "the token's (or session's) user", schema: meResponse } },
    errors: READ,
  }),
  projects: endpoint({
    method: "GET",
    path: "/projects",
    summary: "Projects the caller is a member of",
    responses: { 200: { description: "projects, with the caller's project role", schema: projectsResponse } },
    errors: READ,
  }),
  environments: endpoint({
    method: "GET",
    path: "/projects/{project}/environments",
    summary: "Environments of a project the caller has a role on",
    params: pathParams({ project: "project slug" }),
    responses: { 200: { description: "environments", schema: environmentsResponse } },
    errors: [...READ, 404],
  }),
  operations: endpoint({
    method: "GET",
    path: "/projects/{project}/environments/{environment}/operations",
    summary: "Operations of the environment's current deployment",
    params: envParams,
    responses: {
      200: { description: "operations, with whether the caller may run each", schema: operationsResponse },
    },
    errors: [...READ, 404],
  }),
  listRuns: endpoint({
    method: "GET",
    path: "/projects/{project}/environments/{environment}/runs",
    summary: "Runs of an environment, newest first",
    description: "Keyset pagination: pass the previous page's `nextCursor` as `cursor`.",
    params: envParams,
    query: runsQuery,
    responses: { 200: { description: "a page of runs", schema: runsResponse } },
    errors: [...READ, 400, 404],
  }),
  startRun: endpoint({
    method: "POST",
    path: "/projects/{project}/environments/{environment}/runs",
    summary: "Run an operation",
    description: "Answers at once with the pending run; `Location` is its URL.",
    params: envParams,
    body: triggerRunBody,
    responses: { 202: { description: "the pending run", schema: runSchema } },
    errors: [...WRITE, 400, 404, 409, 415, 422],
  }),
  runEvents: endpoint({
    method: "GET",
    path: "/projects/{project}/environments/{environment}/runs/events",
    summary: "Server-Sent Events: a run of the environment was created, started, asked to cancel or ended",
    description:
      '`event: run` with `{"type","runId"}`; `event: resync` when changes may have been missed (re-read the list). Ids only: read the run or the list for the rest. The console\'s run history listens to this instead of polling.',
    params: envParams,
    responses: { 200: { description: "the event stream", events: runsStreamEvents } },
    errors: [...READ, 404],
  }),
  getRun: endpoint({
    method: "GET",
    path: "/runs/{id}",
    summary: "A run",
    params: runParams,
    responses: { 200: { description: "the run", schema: runSchema } },
    errors: [...READ, 404],
  }),
  cancelRun: endpoint({
    method: "POST",
    path: "/runs/{id}/cancel",
    summary: "Cancel a run (commands.stop, then SIGTERM, then SIGKILL)",
    params: runParams,
    responses: { 202: { description: "the run, cancelling or cancelled", schema: runSchema } },
    errors: [...WRITE, 404, 409],
  }),
  runLog: endpoint({
    method: "GET",
    path: "/runs/{id}/log",
    summary: "The run's log: live Server-Sent Events, or the whole log as text",
    description:
      "With `Accept: text/event-stream`: `event: chunk` events whose `id` is the chunk's sequence number; `event: state` (no id) with the run as `GET /runs/{id}` shows it, whenever its state changes (started, cancel requested, ended); then one `event: end`. Reconnect with `Last-Event-ID` (or `?after=N`) to get exactly what was missed. With `Accept: text/plain` (or `?format=text`): every stored byte, as an attachment `run-<id>.log`.",
    params: runParams,
    query: logQuery,
    responses: {
      200: {
        description: "the log",
        events: logStreamEvents,
        text: "every stored byte of the log, as the command printed it",
      },
    },
    errors: [...READ, 404],
  }),
  lines: endpoint({
    method: "GET",
    path: "/runs/{id}/lines",
    summary: "A range of the run's log by line, as JSON",
    description: "`from`/`to` (0-based, at most 5000 lines) or `tail=N`.",
    params: runParams,
    query: linesQuery,
    responses: { 200: { description: "the lines", schema: linesResponse } },
    errors: [...READ, 400, 404],
  }),
  search: endpoint({
    method: "GET",
    path: "/runs/{id}/search",
    summary: "Line numbers of the run's log containing a text (case-insensitive, colours ignored)",
    params: runParams,
    query: searchQuery,
    responses: { 200: { description: "the matching line numbers", schema: searchResponse } },
    errors: [...READ, 400, 404],
  }),
  openApi: endpoint({
    method: "GET",
    path: "/openapi.json",
    summary: "This document (no token needed)",
    responses: { 200: { description: "the OpenAPI 3.1 document", schema: openApiDocumentSchema } },
    errors: [],
  }),
} satisfies Record<string, Endpoint>;

/** GET /api/health: outside /api/v1 and its document, but answered under the same contract. */
export const healthEndpoint = endpoint({
  method: "GET",
  path: "/api/health",
  summary: "The console's health",
  responses: {
    200: { description: "the database answers", schema: healthResponse },
    503: { description: "the database does not answer", schema: healthResponse },
  },
  errors: [],
});
