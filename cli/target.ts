import type { ApiClient } from "./api-client.ts";
import type { Context, OptionDef, Options } from "./command.ts";
import { pick } from "./config.ts";
import { UsageError } from "./errors.ts";

export const PROJECT_OPTIONS: Readonly<Record<string, OptionDef>> = {
  project: {
    type: "string",
    short: "p",
    valueName: "PROJECT",
    description: "The project's slug (default: $RUNOPS_PROJECT, or the only project you have)",
  },
  environment: {
    type: "string",
    short: "e",
    valueName: "ENVIRONMENT",
    description:
      "The environment's name; `.` for the project's default (its production environment)\n" +
      "(default: $RUNOPS_ENVIRONMENT, or the project's only environment)",
  },
};

export const SERVICE_OPTIONS: Readonly<Record<string, OptionDef>> = {
  app: { type: "string", short: "A", valueName: "APP", description: "The application's name" },
  worker: {
    type: "string",
    valueName: "WORKER",
    description: "A worker's name (`queue`, or `api--queue` as Upsun names it)",
  },
};

export interface Target {
  project: string;
  environment: string;
}

/**
 * The project and environment: flag, then RUNOPS_PROJECT / RUNOPS_ENVIRONMENT,
 * then the config file; failing those, the only one there is, else a usage
 * error listing what there is to choose from.
 */
export async function resolveTarget(ctx: Context, client: ApiClient, options: Options): Promise<Target> {
  const stored = ctx.config();
  let project = pick(options.string("project"), ctx.env.RUNOPS_PROJECT, stored.project)?.value;
  if (!project) {
    const projects = await client.projects();
    if (projects.length === 1 && projects[0]) project = projects[0].slug;
    else if (projects.length === 0) throw new UsageError("you are not a member of any project");
    else {
      throw new UsageError(
        "choose a project with -p/--project (or set RUNOPS_PROJECT)",
        `projects: ${projects.map((p) => p.slug).join(", ")}`,
      );
    }
  }
  let environment = pick(
    options.string("environment"),
    ctx.env.RUNOPS_ENVIRONMENT,
    stored.environment,
  )?.value;
  if (environment === ".") environment = await defaultEnvironment(client, project);
  if (!environment) {
    const environments = await client.environments(project);
    if (environments.length === 1 && environments[0]) environment = environments[0].name;
    else {
      throw new UsageError(
        "choose an environment with -e/--environment (or set RUNOPS_ENVIRONMENT)",
        environments.length > 0
          ? `environments of ${project}: ${environments.map((e) => e.name).join(", ")}`
          : undefined,
      );
    }
  }
  return { project, environment };
}

/**
 * `-e .`: Upsun's "the project's default environment", the one of its default
 * branch. runops has no branches: it is the project's production environment.
 */
async function defaultEnvironment(client: ApiClient, project: string): Promise<string> {
  const environments = await client.environments(project);
  const production = environments.filter((e) => e.type === "production");
  const [only] = production;
  if (only && production.length === 1) return only.name;
  throw new UsageError(
    production.length === 0
      ? `-e . means the project's production environment, and ${project} has none you may see`
      : `-e . is ambiguous: ${project} has several production environments: ${production.map((e) => e.name).join(", ")}`,
    "choose one with -e/--environment",
  );
}

export interface ServiceFilter {
  app?: string;
  worker?: string;
}

/**
 * Upsun's selection: --app alone means the app's own operations (not its
 * workers'); --worker accepts `queue` or `api--queue`, optionally with --app.
 */
export function matchesService(
  op: { app: string; worker: string | null; service: string },
  filter: ServiceFilter,
) {
  if (filter.worker) {
    if (op.worker === null) return false;
    if (op.service !== filter.worker && op.worker !== filter.worker) return false;
    return !filter.app || op.app === filter.app;
  }
  if (filter.app) return op.app === filter.app && op.worker === null;
  return true;
}
