import { RUN_MARKER } from "../executor/containment";
import type { RunAsUser } from "../executor/run-as";

/** Variables of the worker's own environment a command may see (no secrets of runops). */
const INHERITED = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "SHELL", "TMPDIR"];

export type RunContext = {
  runId: string;
  projectSlug: string;
  environmentName: string;
  environmentType: string;
  app: string;
  appDir: string;
  appEnv: Record<string, string>;
  runAs: RunAsUser | null;
};

/**
 * The environment of a command: a few basics inherited from the worker (the
 * run-as user's own HOME, USER and LOGNAME when it has one), the app's
 * `variables.env`, then the PLATFORM_* variables (which win, as on Upsun), and
 * the run's marker.
 */
export function buildRunEnvironment(ctx: RunContext, inherit: NodeJS.ProcessEnv = process.env) {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = inherit[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  if (ctx.runAs) {
    env.HOME = ctx.runAs.home;
    env.USER = ctx.runAs.name;
    env.LOGNAME = ctx.runAs.name;
  }
  return Object.assign(env, operationEnvironment(ctx));
}

/**
 * What a run adds to the environment it runs in: the app's `variables.env`, the
 * PLATFORM_* variables (which win, as on Upsun) and the run's marker. On an SSH
 * target this goes on top of the remote login's own environment (its PATH, HOME…).
 */
export function operationEnvironment(ctx: Omit<RunContext, "runAs">): Record<string, string> {
  const env: Record<string, string> = {};
  Object.assign(env, ctx.appEnv);
  Object.assign(env, {
    PLATFORM_APPLICATION_NAME: ctx.app,
    PLATFORM_ENVIRONMENT: ctx.environmentName,
    PLATFORM_ENVIRONMENT_TYPE: ctx.environmentType,
    PLATFORM_BRANCH: ctx.environmentName,
    PLATFORM_PROJECT: ctx.projectSlug,
    PLATFORM_APP_DIR: ctx.appDir,
    [RUN_MARKER]: ctx.runId,
  });
  return env;
}
