import { z } from "zod";
import {
  type Answer,
  type Endpoint,
  apiErrorSchema,
  endpoints,
  logLineSchema,
  operationSchema,
} from "./schemas";

type Json = Record<string, unknown>;

/** The id a schema was given with `.meta({ id })` in lib/api (what the document names it). */
const idOf = (schema: z.ZodType) => {
  const id = schema.meta()?.id;
  return typeof id === "string" ? id : undefined;
};

/** Every named schema an endpoint answers, takes or streams, and the named parts inside them. */
function namedSchemas(): z.ZodType[] {
  const all = new Set<z.ZodType>([apiErrorSchema, operationSchema, logLineSchema]);
  for (const e of Object.values(endpoints) as Endpoint[]) {
    if (e.body) all.add(e.body);
    for (const answer of Object.values(e.responses)) {
      if (answer.schema) all.add(answer.schema);
      for (const data of Object.values(answer.events ?? {})) all.add(data);
    }
  }
  return [...all].filter((s) => idOf(s) !== undefined);
}

/** Components generated from the zod schemas the routes validate with. */
function components(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const schema of namedSchemas()) registry.add(schema, { id: idOf(schema)! });
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

const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${idOf(schema)}` });

const ERROR_TEXT: Record<number, string> = {
  400: "invalid request (body, parameters or query): `details` lists the zod issues",
  401: "no valid API token or session",
  403: "the caller's role is not enough (the message says which role is required), or a cookie-authenticated request from another origin (code cross_site)",
  404: "not found, or outside the caller's projects",
  409: "conflict: environment paused, run already ended",
  415: "the body is not application/json",
  422: "ambiguous operation name: give `app` (details.apps lists the candidates)",
  429: "too many invalid tokens from this address: wait `Retry-After` seconds",
  503: "more reads are waiting than the console lets wait: retry after `Retry-After` seconds",
};

/** One answer's content: JSON by its schema, each SSE event by its data's schema, or text. */
function content(answer: Answer) {
  const out: Json = {};
  if (answer.schema) out["application/json"] = { schema: ref(answer.schema) };
  if (answer.events) {
    out["text/event-stream"] = {
      schema: {
        description:
          "Each message of the stream (`event:` name, `id:` when it has one, `data:` JSON); comments keep the connection alive.",
        oneOf: Object.entries(answer.events).map(([event, data]) => ({
          type: "object",
          required: ["event", "data"],
          properties: {
            event: { const: event },
            id: { type: "string", description: "what Last-Event-ID resumes after" },
            data: ref(data),
          },
        })),
      },
    };
  }
  if (answer.text !== undefined) out["text/plain"] = { schema: { type: "string", description: answer.text } };
  return out;
}

function parameters(schema: z.ZodObject | undefined, where: "path" | "query") {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => {
    const type = field as z.ZodType;
    const { $schema: _s, description, ...fieldSchema } = z.toJSONSchema(type, { io: "input" }) as Json;
    return {
      name,
      in: where,
      required: where === "path" || !type.safeParse(undefined).success,
      schema: fieldSchema,
      ...(description === undefined ? {} : { description }),
    };
  });
}

function operation(e: Endpoint) {
  const responses: Json = {};
  for (const [status, answer] of Object.entries(e.responses)) {
    responses[status] = { description: answer.description, content: content(answer) };
  }
  for (const status of e.errors) {
    responses[String(status)] = {
      description: ERROR_TEXT[status] ?? "error",
      content: { "application/json": { schema: ref(apiErrorSchema) } },
    };
  }
  return {
    summary: e.summary,
    ...(e.description === undefined ? {} : { description: e.description }),
    parameters: [...parameters(e.params, "path"), ...parameters(e.query, "query")],
    ...(e.body
      ? { requestBody: { required: true, content: { "application/json": { schema: ref(e.body) } } } }
      : {}),
    // Endpoints that never answer 401 need no token.
    ...(e.errors.includes(401) ? {} : { security: [] }),
    responses,
  };
}

/** The OpenAPI 3.1 document served at /api/v1/openapi.json, generated from lib/api/endpoints.ts. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Json> = {};
  for (const e of Object.values(endpoints) as Endpoint[]) {
    paths[e.path] = { ...paths[e.path], [e.method.toLowerCase()]: operation(e) };
  }
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
    paths,
  };
}
