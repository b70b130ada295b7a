import { z } from "zod";
import { environmentTypeSchema, roleSchema } from "../access/roles";
import { configWarningSchema } from "../config/config-warning-schema";
import { runFiltersSchema } from "../runs/run-filters";
import { runViewSchema } from "../runs/run-view";

/** The API's resources and their lists (re-exported by lib/api/schemas.ts). */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe("stable machine-readable code, e.g. not_found, forbidden, ambiguous_operation"),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

export const meResponse = z
  .object({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }) })
  .meta({ id: "Me" });

/** A member's role on a project as a whole (lib/members has the rule). */
export const projectRoleSchema = z.enum(["admin", "viewer"]);
export const environmentStatusSchema = z.enum(["active", "paused"]);

export const projectsResponse = z
  .object({
    projects: z.array(
      z.object({
        slug: z.string(),
        name: z.string(),
        role: projectRoleSchema.describe("the caller's project role"),
      }),
    ),
  })
  .meta({ id: "Projects" });

export const environmentsResponse = z
  .object({
    environments: z.array(
      z.object({
        name: z.string(),
        type: environmentTypeSchema,
        status: environmentStatusSchema,
        role: roleSchema.describe("the caller's role on this environment"),
      }),
    ),
  })
  .meta({ id: "Environments" });

export const operationSchema = z
  .object({
    service: z.string().describe("the app, or `app--worker` for a worker's operation"),
    app: z.string(),
    worker: z.string().nullable(),
    name: z.string(),
    role: roleSchema,
    start: z.string(),
    stop: z.string().nullable(),
    timeout: z.number().int().nullable(),
    canRun: z.boolean().describe("whether the caller may run it now"),
    reason: z.string().nullable().describe("why not, when canRun is false"),
  })
  .meta({ id: "Operation" });

export const operationsResponse = z
  .object({
    operations: z.array(operationSchema),
    warnings: z
      .array(configWarningSchema)
      .describe(
        "keys set twice in the current deployment's config: it loaded with the last one, as on Upsun",
      ),
  })
  .meta({ id: "Operations" });

export const triggerRunBody = z
  .object({
    operation: z.string().min(1),
    app: z.string().min(1).optional().describe("required when several apps define the operation"),
    worker: z.string().min(1).nullable().optional(),
  })
  .strict()
  .meta({ id: "TriggerRun" });

export const runsQuery = runFiltersSchema;

export const runSchema = runViewSchema.meta({ id: "Run" });

export const runsResponse = z
  .object({
    runs: z.array(runSchema),
    nextCursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last"),
  })
  .meta({ id: "Runs" });

/** GET /api/health (outside /api/v1: for load balancers, no sign-in). */
export const healthResponse = z
  .object({ ok: z.boolean(), database: z.enum(["reachable", "unreachable"]) })
  .meta({ id: "Health" });

/** The OpenAPI document itself, as far as a client relies on it. */
export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: "OpenApiDocument" });

export type ApiError = z.infer<typeof apiErrorSchema>;
export type Me = z.infer<typeof meResponse>;
export type Operation = z.infer<typeof operationSchema>;
export type TriggerRun = z.infer<typeof triggerRunBody>;
export type Run = z.infer<typeof runSchema>;
export type RunsPage = z.infer<typeof runsResponse>;
