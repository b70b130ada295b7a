import { z } from "zod";
import { linesQuery, searchQuery } from "./log-queries";
import {
  apiErrorSchema,
  environmentsResponse,
  meResponse,
  operationSchema,
  operationsResponse,
  projectsResponse,
  runSchema,
  runsQuery,
  runsResponse,
  triggerRunBody,
} from "./schemas";

type Json = Record<string, unknown>;

/** Components generated from the zod schemas the routes validate with. */
function components(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  const named = {
    Error: apiErrorSchema,
    Me: meResponse,
    Projects: projectsResponse,
    Environments: environmentsResponse,
    Operation: operationSchema,
    Operations: operationsResponse,
    TriggerRun: triggerRunBody,
    Run: runSchema,
    Runs: runsResponse,
  };
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "output",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string, description: string) => ({
  description,
  content: { "application/json": { schema: ref(id) } },
});
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), json("Error", ERROR_TEXT[s] ?? "error")]));
const ERROR_TEXT: Record<number, string> = {
  400: "invalid request (body, parameters or query)",
  401: "no valid API token or session",
  403: "the caller's role is not enough (the message says which role is required), or a cookie-authenticated request from another origin (code cross_site)",
  404: "not found, or outside the caller's projects",
  409: "conflict: environment paused, run already ended",
  415: "the body is not application/json",
  422: "ambiguous operation name: give `app` (details.apps lists the candidates)",
};
const pathParam = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
  description,
});
const projectParams = [pathParam("project", "project slug")];
const envParams = [...projectParams, pathParam("environment", "environment name")];
const runParams = [pathParam("id", "run id")];

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _s, ...fieldSchema } = z.toJSONSchema(field as z.ZodType, { io: "input" }) as Json;
    return { name, in: "query", required: false, schema: fieldSchema };
  });
}

/** The OpenAPI 3.1 document served at /api/v1/openapi.json. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "runops API",
      version: "1",
      description:
        "Run the runtime operations defined in `.upsun/config.yaml` against an environment, follow their logs, and review their history. Authenticate with `Authorization: Bearer <API token>` (create tokens in the console under Account → API tokens).",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "an API token: rop_…" } },
    },
    paths: {
      "/me": { get: { summary: "The caller", responses: { 200: json("Me", "the user"), ...errors(401) } } },
      "/projects": {
        get: {
          summary: "Projects the caller is a member of",
          responses: { 200: json("Projects", "projects"), ...errors(401) },
        },
      },
      "/projects/{project}/environments": {
        get: {
          summary: "Environments of a project the caller has a role on",
          parameters: projectParams,
          responses: { 200: json("Environments", "environments"), ...errors(401, 404) },
        },
      },
      "/projects/{project}/environments/{environment}/operations": {
        get: {
          summary: "Operations of the environment's current deployment",
          parameters: envParams,
          responses: { 200: json("Operations", "operations"), ...errors(401, 404) },
        },
      },
      "/projects/{project}/environments/{environment}/runs": {
        get: {
          summary: "Runs of an environment, newest first",
          description: "Keyset pagination: pass the previous page's `nextCursor` as `cursor`.",
          parameters: [...envParams, ...queryParameters(runsQuery)],
          responses: { 200: json("Runs", "a page of runs"), ...errors(400, 401, 404) },
        },
        post: {
          summary: "Run an operation",
          parameters: envParams,
          requestBody: { required: true, content: { "application/json": { schema: ref("TriggerRun") } } },
          responses: { 202: json("Run", "the pending run"), ...errors(400, 401, 403, 404, 409, 415, 422) },
        },
      },
      "/runs/{id}": {
        get: {
          summary: "A run",
          parameters: runParams,
          responses: { 200: json("Run", "the run"), ...errors(401, 404) },
        },
      },
      "/runs/{id}/cancel": {
        post: {
          summary: "Cancel a run (commands.stop, then SIGTERM, then SIGKILL)",
          parameters: runParams,
          responses: { 202: json("Run", "the run, cancelling or cancelled"), ...errors(401, 403, 404, 409) },
        },
      },
      "/runs/{id}/lines": {
        get: {
          summary: "A range of the run's log by line, as JSON",
          description:
            "`from`/`to` (0-based, at most 5000 lines) or `tail=N`. The answer has `total` (lines so far), `seq` (follow the live log after it), `partial` (the last line has no newline yet) and `lines` of `{n, text, stream, at}`; `text` keeps ANSI escape codes.",
          parameters: [...runParams, ...queryParameters(linesQuery)],
          responses: {
            200: {
              description: "the lines",
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors(400, 401, 404),
          },
        },
      },
      "/runs/{id}/search": {
        get: {
          summary: "Line numbers of the run's log containing a text (case-insensitive, colours ignored)",
          parameters: [...runParams, ...queryParameters(searchQuery)],
          responses: {
            200: {
              description: "`{ matches: number[], truncated: boolean }`",
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors(400, 401, 404),
          },
        },
      },
      "/projects/{project}/environments/{environment}/runs/events": {
        get: {
          summary:
            "Server-Sent Events: a run of the environment was created, started, asked to cancel or ended",
          description:
            '`event: run` with `{"type","runId"}` (`type`: created, started, cancel-requested, ended); `event: resync` when changes may have been missed (re-read the list). Ids only: read the run or the list for the rest.',
          parameters: envParams,
          responses: {
            200: {
              description: "the event stream",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            ...errors(401, 404),
          },
        },
      },
      "/runs/{id}/log": {
        get: {
          summary: "The run's log: live Server-Sent Events, or the whole log as text",
          description:
            'With `Accept: text/event-stream`: `event: chunk` events whose `id` is the chunk\'s sequence number and whose data is `{"stream","text","at"}`; `event: state` (no id) with the run as `GET /runs/{id}` shows it, whenever its state changes (started, cancel requested, ended); then one `event: end` with `{"state","result","exitCode","signal","reason"}`. Reconnect with `Last-Event-ID` (or `?after=N`) to get exactly what was missed. With `Accept: text/plain` (or `?format=text`): every stored byte.',
          parameters: [
            ...runParams,
            { name: "after", in: "query", required: false, schema: { type: "integer", minimum: 0 } },
            { name: "format", in: "query", required: false, schema: { type: "string", enum: ["text"] } },
          ],
          responses: {
            200: {
              description: "the log",
              content: {
                "text/event-stream": { schema: { type: "string" } },
                "text/plain": { schema: { type: "string" } },
              },
            },
            ...errors(401, 404),
          },
        },
      },
    },
  };
}
