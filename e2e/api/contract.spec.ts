import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import type { Db } from "../../lib/db/client";
import { z } from "zod";
import { endpoints, healthEndpoint } from "../../lib/api/schemas";
import {
  actorFor,
  answerOf,
  bearer,
  e2eDb,
  expectContract,
  newUser,
  readStreamUntil,
  tokenFor,
} from "./support";
import { revokeApiToken } from "../../lib/tokens/revoke-api-token";
import { hashTokenSecret } from "../../lib/tokens/token-secret";

/**
 * The HTTP API as a script uses it: every endpoint, every error status, each
 * role through API tokens, against the real server and database.
 */
let db: Db;
const tokens: Record<string, string> = {};
const ENV = "/api/v1/projects/shop/environments";

test.beforeAll(async () => {
  db = e2eDb();
  for (const who of ["admin", "dev", "viewer"])
    tokens[who] = await tokenFor(db, `${who}@example.com`, `api-${who}`);
});
test.afterAll(async () => db.$disconnect());

async function waitForEnd(request: APIRequestContext, token: string, id: string) {
  await expect
    .poll(
      async () => (await (await request.get(`/api/v1/runs/${id}`, { headers: bearer(token) })).json()).state,
      {
        timeout: 30_000,
      },
    )
    .toMatch(/complete|cancelled/);
  return (await request.get(`/api/v1/runs/${id}`, { headers: bearer(token) })).json();
}

test("authentication: no token, malformed, unknown, revoked and expired tokens are 401 with a JSON error", async ({
  request,
}) => {
  const expectUnauthenticated = async (headers: Record<string, string>) => {
    const res = await request.get("/api/v1/projects", { headers });
    expect(res.status()).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe("unauthenticated");
    expect(typeof body.error.message).toBe("string");
  };
  await expectUnauthenticated({});
  await expectUnauthenticated({ authorization: "Token abc" });
  await expectUnauthenticated(bearer(`rop_${"x".repeat(43)}`));

  const token = await tokenFor(db, "dev@example.com", "to-revoke");
  expect((await request.get("/api/v1/me", { headers: bearer(token) })).status()).toBe(200);
  const row = await db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashTokenSecret(token) } });
  await revokeApiToken(db, await actorFor(db, "dev@example.com"), row.id);
  await expectUnauthenticated(bearer(token)); // the very next request

  const expiring = await tokenFor(db, "dev@example.com", "expired");
  await db.apiToken.update({
    where: { tokenHash: hashTokenSecret(expiring) },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  await expectUnauthenticated(bearer(expiring));
});

test("no token value can be read back from the database", async () => {
  const token = await tokenFor(db, "viewer@example.com", "secret-check");
  const rows = await db.apiToken.findMany();
  const dump = JSON.stringify(rows);
  expect(dump).not.toContain(token);
  expect(dump).not.toContain(token.slice(8));
  const row = rows.find((r) => r.tokenHash === hashTokenSecret(token));
  expect(row?.prefix).toBe(token.slice(0, 8));
});

test("me, projects and environments reflect each member's roles", async ({ request }) => {
  const me = await (await request.get("/api/v1/me", { headers: bearer(tokens.dev!) })).json();
  expect(me.user.email).toBe("dev@example.com");

  const projects = await (await request.get("/api/v1/projects", { headers: bearer(tokens.viewer!) })).json();
  expect(projects.projects).toContainEqual({ slug: "shop", name: "Demo Shop", role: "viewer" });

  const envs = await (await request.get(ENV, { headers: bearer(tokens.dev!) })).json();
  const byName = Object.fromEntries(
    envs.environments.map((e: { name: string; role: string }) => [e.name, e]),
  );
  expect(byName.main).toMatchObject({ type: "production", status: "active", role: "viewer" });
  expect(byName.staging).toMatchObject({ type: "staging", role: "contributor" });
  expect(byName["feature-search"]).toMatchObject({ type: "development", role: "contributor" });

  const outsider = await newUser(db, "outsider");
  const outsiderToken = await tokenFor(db, outsider.email);
  expect(
    (await (await request.get("/api/v1/projects", { headers: bearer(outsiderToken) })).json()).projects,
  ).toEqual([]);
  const hidden = await request.get(ENV, { headers: bearer(outsiderToken) });
  expect(hidden.status()).toBe(404);
  expect((await hidden.json()).error.code).toBe("not_found");
  expect(
    (await request.get("/api/v1/projects/nope/environments", { headers: bearer(tokens.admin!) })).status(),
  ).toBe(404);
});

test("operations list what each role may run, and why not", async ({ request }) => {
  const res = await request.get(`${ENV}/main/operations`, { headers: bearer(tokens.viewer!) });
  expect(res.status()).toBe(200);
  const { operations } = await res.json();
  const find = (service: string, name: string) =>
    operations.find((o: { service: string; name: string }) => o.service === service && o.name === name);
  expect(find("storefront", "clear-cache")).toMatchObject({
    app: "storefront",
    worker: null,
    role: "admin",
    start: "node scripts/clear-cache.mjs",
    stop: null,
    canRun: false,
    reason: "requires admin",
  });
  expect(find("storefront", "ping")).toMatchObject({ canRun: true, reason: null });
  expect(find("storefront", "long-import")).toMatchObject({
    timeout: 600,
    stop: expect.stringContaining("stop requested"),
  });
  expect(find("api--queue", "drain-queue")).toMatchObject({ app: "api", worker: "queue", role: "admin" });
  expect((await request.get(`${ENV}/nope/operations`, { headers: bearer(tokens.viewer!) })).status()).toBe(
    404,
  );
});

test("trigger: 202 with the run, and 400, 403, 404, 409, 422 refusals", async ({ request }) => {
  const post = (token: string, env: string, data: unknown, headers: Record<string, string> = {}) =>
    request.post(`${ENV}/${env}/runs`, { headers: { ...bearer(token), ...headers }, data });

  const accepted = await post(
    tokens.viewer!,
    "main",
    { operation: "ping", app: "storefront" },
    { "x-runops-client": "cli/test" },
  );
  expect(accepted.status()).toBe(202);
  const run = await accepted.json();
  expect(run).toMatchObject({
    project: "shop",
    environment: "main",
    app: "storefront",
    worker: null,
    operation: "ping",
    source: "cli",
    triggeredBy: { email: "viewer@example.com" },
  });
  expect(run.url).toMatch(new RegExp(`/runs/${run.id}$`));
  expect(accepted.headers().location).toBe(`/api/v1/runs/${run.id}`);
  const done = await waitForEnd(request, tokens.viewer!, run.id);
  expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });

  const viaApi = await post(tokens.admin!, "staging", {
    operation: "drain-queue",
    app: "api",
    worker: "queue",
  });
  expect(viaApi.status()).toBe(202);
  expect((await viaApi.json()).source).toBe("api");

  const bad = await post(tokens.admin!, "main", { app: "storefront" });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("invalid_request");
  const notJson = await request.post(`${ENV}/main/runs`, {
    headers: { ...bearer(tokens.admin!), "content-type": "application/json" },
    data: "{oops",
  });
  expect(notJson.status()).toBe(400);

  const forbidden = await post(tokens.viewer!, "main", { operation: "clear-cache", app: "storefront" });
  expect(forbidden.status()).toBe(403);
  expect(await forbidden.json()).toEqual({
    error: { code: "forbidden", message: "Not allowed: requires admin" },
  });

  expect((await post(tokens.admin!, "main", { operation: "no-such-op" })).status()).toBe(404);
  expect((await post(tokens.admin!, "nope", { operation: "ping", app: "api" })).status()).toBe(404);

  const ambiguous = await post(tokens.admin!, "main", { operation: "ping" });
  expect(ambiguous.status()).toBe(422);
  const body = await ambiguous.json();
  expect(body.error.code).toBe("ambiguous_operation");
  expect(body.error.details.apps.sort()).toEqual(["api", "storefront"]);

  const env = await db.environment.findFirstOrThrow({ where: { name: "feature-search" } });
  await db.environment.update({ where: { id: env.id }, data: { status: "paused" } });
  try {
    const paused = await post(tokens.admin!, "feature-search", { operation: "ping", app: "api" });
    expect(paused.status()).toBe(409);
    expect((await paused.json()).error.code).toBe("environment_paused");
  } finally {
    await db.environment.update({ where: { id: env.id }, data: { status: "active" } });
  }
});

test("a role change applies to a token on its very next request", async ({ request }) => {
  const member = await newUser(db, "role-change", { projectRole: "viewer", developmentRole: "viewer" });
  const token = await tokenFor(db, member.email);
  const run = () =>
    request.post(`${ENV}/feature-search/runs`, {
      headers: bearer(token),
      data: { operation: "broken-migration" },
    });
  expect((await run()).status()).toBe(403);
  await db.membership.updateMany({
    where: { userId: member.user.id },
    data: { developmentRole: "contributor" },
  });
  const res = await run();
  expect(res.status()).toBe(202);
  await waitForEnd(request, token, (await res.json()).id);
  await db.membership.deleteMany({ where: { userId: member.user.id } });
  expect((await run()).status()).toBe(404);
});

test("runs: get, list with filters and keyset pages, log as SSE and as text, cancel", async ({ request }) => {
  const admin = bearer(tokens.admin!);
  const start = async (operation: string, env = "staging") => {
    const res = await request.post(`${ENV}/${env}/runs`, {
      headers: admin,
      data: { operation, app: "storefront" },
    });
    expect(res.status()).toBe(202);
    return res.json();
  };
  const since = new Date().toISOString();
  const failing = await start("broken-migration");
  const failed = await waitForEnd(request, tokens.admin!, failing.id);
  expect(failed).toMatchObject({
    state: "complete",
    result: "failure",
    exitCode: 3,
    reason: "exited with code 3",
  });
  const ok = await start("ping");
  await waitForEnd(request, tokens.admin!, ok.id);

  const list = async (query: string, token = tokens.admin!) => {
    const res = await request.get(`${ENV}/staging/runs?${query}`, { headers: bearer(token) });
    expect(res.status()).toBe(200);
    return res.json();
  };
  expect((await list(`since=${encodeURIComponent(since)}`)).runs.map((r: { id: string }) => r.id)).toEqual([
    ok.id,
    failing.id,
  ]);
  expect(
    (await list(`since=${encodeURIComponent(since)}&result=failure`)).runs.map((r: { id: string }) => r.id),
  ).toEqual([failing.id]);
  expect(
    (await list("operation=ping&limit=200")).runs.every((r: { operation: string }) => r.operation === "ping"),
  ).toBe(true);
  expect(
    (await list("user=admin@example.com&limit=5")).runs.every(
      (r: { triggeredBy: { email: string } }) => r.triggeredBy.email === "admin@example.com",
    ),
  ).toBe(true);
  const page1 = await list("limit=1");
  expect(page1.runs).toHaveLength(1);
  expect(page1.nextCursor).toBe(page1.runs[0].id);
  const page2 = await list(`limit=1&cursor=${page1.nextCursor}`);
  expect(page2.runs[0].id < page1.runs[0].id).toBe(true);
  const badFilter = await request.get(`${ENV}/staging/runs?state=finished`, { headers: admin });
  expect(badFilter.status()).toBe(400);
  expect((await badFilter.json()).error.code).toBe("invalid_request");

  const sse = await request.get(`/api/v1/runs/${failing.id}/log`, {
    headers: { ...admin, accept: "text/event-stream" },
  });
  expect(sse.headers()["content-type"]).toContain("text/event-stream");
  const events = await sse.text();
  expect(events).toMatch(
    /id: 1\nevent: chunk\ndata: \{"stream":"stdout","text":"Applying migration 0042_add_index/,
  );
  expect(events).toContain('"stream":"stderr","text":"ERROR: relation \\"orders\\" does not exist\\n"');
  expect(events).toContain('event: end\ndata: {"state":"complete","result":"failure","exitCode":3');
  const resumed = await request.get(`/api/v1/runs/${failing.id}/log`, {
    headers: { ...admin, accept: "text/event-stream", "last-event-id": "1" },
  });
  expect(await resumed.text()).not.toContain("id: 1\n");
  const text = await request.get(`/api/v1/runs/${failing.id}/log`, {
    headers: { ...admin, accept: "text/plain" },
  });
  expect(await text.text()).toBe(
    'Applying migration 0042_add_index...\nERROR: relation "orders" does not exist\n',
  );

  const lines = await request.get(`/api/v1/runs/${failing.id}/lines?tail=1`, { headers: admin });
  expect(await lines.json()).toMatchObject({
    total: 2,
    partial: false,
    lines: [{ n: 2, text: 'ERROR: relation "orders" does not exist', stream: "stderr" }],
  });
  const range = await request.get(`/api/v1/runs/${failing.id}/lines?from=0&to=1`, { headers: admin });
  expect((await range.json()).lines.map((l: { text: string }) => l.text)).toEqual([
    "Applying migration 0042_add_index...",
  ]);
  expect((await request.get(`/api/v1/runs/${failing.id}/lines?from=5`, { headers: admin })).status()).toBe(
    400,
  );
  expect(
    (await request.get(`/api/v1/runs/${failing.id}/lines?from=0&to=99999`, { headers: admin })).status(),
  ).toBe(400);
  const found = await request.get(`/api/v1/runs/${failing.id}/search?q=ORDERS`, { headers: admin });
  expect(await found.json()).toEqual({ matches: [2], truncated: false });
  expect((await request.get(`/api/v1/runs/${failing.id}/search`, { headers: admin })).status()).toBe(400);

  const long = await start("long-import");
  const viewerCancel = await request.post(`/api/v1/runs/${long.id}/cancel`, {
    headers: bearer(tokens.viewer!),
  });
  expect(viewerCancel.status()).toBe(403);
  const cancel = await request.post(`/api/v1/runs/${long.id}/cancel`, { headers: bearer(tokens.dev!) });
  expect(cancel.status()).toBe(202);
  expect((await cancel.json()).cancelRequested).toBe(true);
  const cancelled = await waitForEnd(request, tokens.admin!, long.id);
  expect(cancelled).toMatchObject({
    state: "cancelled",
    result: "failure",
    reason: "cancelled by Dev Contributor",
  });
  const again = await request.post(`/api/v1/runs/${long.id}/cancel`, { headers: bearer(tokens.dev!) });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("run_ended");

  const outsider = await tokenFor(db, (await newUser(db, "run-outsider")).email);
  expect((await request.get(`/api/v1/runs/${ok.id}`, { headers: bearer(outsider) })).status()).toBe(404);
  expect((await request.get(`/api/v1/runs/${ok.id}/log`, { headers: bearer(outsider) })).status()).toBe(404);
  expect((await request.post(`/api/v1/runs/${ok.id}/cancel`, { headers: bearer(outsider) })).status()).toBe(
    404,
  );
  expect((await request.get(`/api/v1/runs/nope`, { headers: admin })).status()).toBe(404);
});

test("the OpenAPI document describes every endpoint with the schemas the server validates with", async ({
  request,
}) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths).sort()).toEqual(
    [
      "/me",
      "/openapi.json",
      "/projects",
      "/projects/{project}/environments",
      "/projects/{project}/environments/{environment}/operations",
      "/projects/{project}/environments/{environment}/runs",
      "/projects/{project}/environments/{environment}/runs/events",
      "/runs/{id}",
      "/runs/{id}/cancel",
      "/runs/{id}/lines",
      "/runs/{id}/log",
      "/runs/{id}/search",
    ].sort(),
  );
  expect(doc.components.schemas.Run.properties.state.enum).toEqual([
    "pending",
    "in_progress",
    "complete",
    "cancelled",
  ]);
  expect(doc.components.schemas.TriggerRun.required).toEqual(["operation"]);
  const post = doc.paths["/projects/{project}/environments/{environment}/runs"].post;
  expect(Object.keys(post.responses).sort()).toEqual([
    "202",
    "400",
    "401",
    "403",
    "404",
    "409",
    "415",
    "422",
    "429",
  ]);
});

test("every endpoint answers what its contract declares: successes, errors and each streamed event", async ({
  request,
  baseURL,
}) => {
  const seen = new Map<string, Set<number>>();
  type Name = keyof typeof endpoints;
  const check = async (name: Name, res: Parameters<typeof answerOf>[0]) => {
    const answer = await answerOf(res);
    const text = await expectContract(endpoints[name], answer);
    seen.set(name, (seen.get(name) ?? new Set()).add(answer.status));
    return { status: answer.status, text };
  };
  const admin = bearer(tokens.admin!);
  const viewer = bearer(tokens.viewer!);
  const dev = bearer(tokens.dev!);
  const staging = `${ENV}/staging`;

  expect((await check("me", await request.get("/api/v1/me", { headers: admin }))).status).toBe(200);
  expect((await check("me", await request.get("/api/v1/me"))).status).toBe(401);
  expect((await check("projects", await request.get("/api/v1/projects", { headers: viewer }))).status).toBe(
    200,
  );
  const badToken = bearer(`rop_${"y".repeat(43)}`);
  expect((await check("projects", await request.get("/api/v1/projects", { headers: badToken }))).status).toBe(
    401,
  );
  expect((await check("environments", await request.get(ENV, { headers: dev }))).status).toBe(200);
  const noProject = await request.get("/api/v1/projects/nope/environments", { headers: dev });
  expect((await check("environments", noProject)).status).toBe(404);
  expect(
    (await check("operations", await request.get(`${ENV}/main/operations`, { headers: viewer }))).status,
  ).toBe(200);
  expect(
    (await check("operations", await request.get(`${ENV}/nope/operations`, { headers: viewer }))).status,
  ).toBe(404);

  const post = (headers: Record<string, string>, data: unknown, env = "staging") =>
    request.post(`${ENV}/${env}/runs`, { headers, data });
  const started = await check(
    "startRun",
    await post(admin, { operation: "broken-migration", app: "storefront" }),
  );
  expect(started.status).toBe(202);
  const runId: string = JSON.parse(started.text).id;
  expect((await check("startRun", await post(admin, { app: "storefront" }))).status).toBe(400);
  expect(
    (await check("startRun", await post(viewer, { operation: "clear-cache", app: "storefront" }, "main")))
      .status,
  ).toBe(403);
  expect((await check("startRun", await post(admin, { operation: "no-such-op" }))).status).toBe(404);
  const notJson = await request.post(`${staging}/runs`, {
    headers: { ...admin, "content-type": "text/plain" },
    data: "ping",
  });
  expect((await check("startRun", notJson)).status).toBe(415);
  expect((await check("startRun", await post(admin, { operation: "ping" }, "main"))).status).toBe(422);

  await waitForEnd(request, tokens.admin!, runId);
  expect(
    (await check("getRun", await request.get(`/api/v1/runs/${runId}`, { headers: viewer }))).status,
  ).toBe(200);
  expect((await check("getRun", await request.get("/api/v1/runs/nope", { headers: viewer }))).status).toBe(
    404,
  );
  expect(
    (await check("listRuns", await request.get(`${staging}/runs?limit=5`, { headers: viewer }))).status,
  ).toBe(200);
  const badFilter = await request.get(`${staging}/runs?state=finished`, { headers: viewer });
  expect((await check("listRuns", badFilter)).status).toBe(400);

  const lines = await check(
    "lines",
    await request.get(`/api/v1/runs/${runId}/lines?tail=10`, { headers: viewer }),
  );
  expect(lines.status).toBe(200);
  expect(JSON.parse(lines.text).lines).toHaveLength(2);
  expect(
    (await check("lines", await request.get(`/api/v1/runs/${runId}/lines?from=5`, { headers: viewer })))
      .status,
  ).toBe(400);
  expect(
    (await check("lines", await request.get("/api/v1/runs/nope/lines?tail=1", { headers: viewer }))).status,
  ).toBe(404);
  const search = await check(
    "search",
    await request.get(`/api/v1/runs/${runId}/search?q=error`, { headers: viewer }),
  );
  expect(JSON.parse(search.text)).toEqual({ matches: [2], truncated: false });
  expect(
    (await check("search", await request.get(`/api/v1/runs/${runId}/search`, { headers: viewer }))).status,
  ).toBe(400);

  const sse = await check(
    "runLog",
    await request.get(`/api/v1/runs/${runId}/log`, { headers: { ...viewer, accept: "text/event-stream" } }),
  );
  // Every kind of event the contract names went through the check: chunks, the run's state, its end.
  expect(sse.text).toContain("event: chunk\n");
  expect(sse.text).toContain("event: state\n");
  expect(sse.text).toContain("event: end\n");
  const text = await check(
    "runLog",
    await request.get(`/api/v1/runs/${runId}/log`, { headers: { ...viewer, accept: "text/plain" } }),
  );
  expect(text.text).toContain("ERROR: relation");
  expect(
    (await check("runLog", await request.get("/api/v1/runs/nope/log", { headers: viewer }))).status,
  ).toBe(404);

  const changes = await readStreamUntil(
    `${baseURL}${staging}/runs/events`,
    viewer,
    () => post(admin, { operation: "ping", app: "storefront" }),
    (sofar) => sofar.includes("event: run\n"),
  );
  expect(await expectContract(endpoints.runEvents, changes)).toContain("event: run\n");
  seen.set("runEvents", new Set([changes.status]));
  expect(
    (await check("runEvents", await request.get(`${ENV}/nope/runs/events`, { headers: viewer }))).status,
  ).toBe(404);

  const long = JSON.parse(
    (await check("startRun", await post(admin, { operation: "long-import", app: "storefront" }))).text,
  );
  expect(
    (await check("cancelRun", await request.post(`/api/v1/runs/${long.id}/cancel`, { headers: viewer })))
      .status,
  ).toBe(403);
  expect(
    (await check("cancelRun", await request.post(`/api/v1/runs/${long.id}/cancel`, { headers: dev }))).status,
  ).toBe(202);
  await waitForEnd(request, tokens.admin!, long.id);
  expect(
    (await check("cancelRun", await request.post(`/api/v1/runs/${long.id}/cancel`, { headers: dev }))).status,
  ).toBe(409);
  expect(
    (await check("cancelRun", await request.post("/api/v1/runs/nope/cancel", { headers: dev }))).status,
  ).toBe(404);

  expect((await check("openApi", await request.get("/api/v1/openapi.json"))).status).toBe(200);
  const health = await answerOf(await request.get("/api/health"));
  expect(JSON.parse(await expectContract(healthEndpoint, health))).toEqual({
    ok: true,
    database: "reachable",
  });

  // Each endpoint was called, with a success and, where it has any, one of its errors.
  for (const [name, endpoint] of Object.entries(endpoints)) {
    const statuses = [...(seen.get(name) ?? [])];
    expect(
      statuses.some((s) => s < 300),
      `${name} succeeded`,
    ).toBe(true);
    if (endpoint.errors.length > 0)
      expect(
        statuses.some((s) => s >= 400),
        `${name} refused`,
      ).toBe(true);
  }
});

/** The parts of an OpenAPI document the next test walks (a mismatch fails it at once). */
const jsonSchema = z.looseObject({
  $ref: z.string().optional(),
  type: z.unknown().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const media = z.record(z.string(), z.object({ schema: z.unknown() }));
const streamSchema = z.object({
  oneOf: z
    .array(z.object({ properties: z.object({ event: z.object({ const: z.string() }), data: jsonSchema }) }))
    .min(1),
});
const documentSchema = z.object({
  paths: z.record(
    z.string(),
    z.record(
      z.string(),
      z.object({
        requestBody: z.object({ content: media }).optional(),
        responses: z.record(z.string(), z.object({ content: media.optional() })),
      }),
    ),
  ),
  components: z.object({ schemas: z.record(z.string(), jsonSchema) }),
});

test("the OpenAPI document names a real schema for every answer, every request body and every streamed event", async ({
  request,
}) => {
  const doc = documentSchema.parse(await (await request.get("/api/v1/openapi.json")).json());
  // A real schema says what is inside: not a bare {type: object}, nor a $ref to nothing.
  const expectReal = (schema: unknown, where: string) => {
    const named = jsonSchema.parse(schema);
    const resolved = named.$ref
      ? doc.components.schemas[named.$ref.replace("#/components/schemas/", "")]
      : named;
    expect(resolved, `${where}: ${JSON.stringify(schema)} resolves`).toBeDefined();
    expect(
      resolved?.type === "object" && resolved.properties === undefined,
      `${where} is more than {type: object}`,
    ).toBe(false);
  };
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (op.requestBody) expectReal(op.requestBody.content["application/json"]?.schema, `${at} body`);
      for (const [status, response] of Object.entries(op.responses)) {
        const content = Object.entries(response.content ?? {});
        expect(content.length, `${at} ${status} has content`).toBeGreaterThan(0);
        for (const [type, { schema }] of content) {
          if (type === "text/event-stream") {
            for (const event of streamSchema.parse(schema).oneOf)
              expectReal(event.properties.data, `${at} event ${event.properties.event.const}`);
          } else if (type === "text/plain") {
            expect(jsonSchema.parse(schema).type, `${at} ${status} text`).toBe("string");
          } else {
            expectReal(schema, `${at} ${status}`);
          }
        }
      }
    }
  }
  expect(doc.components.schemas.Lines?.properties).toMatchObject({
    lines: { items: { $ref: "#/components/schemas/LogLine" } },
  });
  expect(doc.components.schemas.Search?.required).toEqual(["matches", "truncated"]);
  expect(Object.keys(doc.components.schemas)).toEqual(
    expect.arrayContaining(["LogChunkEvent", "LogEndEvent", "RunChangeEvent", "ResyncEvent"]),
  );
});
