/** Variables of the worker's own environment a command may see (no secrets of runops). */
const INHERITED = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "SHELL", "TMPDIR"];

export type RunContext = {
  projectSlug: string;
  environmentName: string;
  environmentType: string;
  app: string;
  appDir: string;
  appEnv: Record<string, string>;
};

/**
 * The environment of a command: a few basics inherited from the worker, the
 * app's `variables.env`, then the PLATFORM_* variables (which win, as on Upsun).
 */
export function buildRunEnvironment(ctx: RunContext, inherit: NodeJS.ProcessEnv = process.env) {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = inherit[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  Object.assign(env, ctx.appEnv);
  Object.assign(env, {
    PLATFORM_APPLICATION_NAME: ctx.app,
    PLATFORM_ENVIRONMENT: ctx.environmentName,
    PLATFORM_ENVIRONMENT_TYPE: ctx.environmentType,
    PLATFORM_BRANCH: ctx.environmentName,
    PLATFORM_PROJECT: ctx.projectSlug,
    PLATFORM_APP_DIR: ctx.appDir,
  });
  return env;
}
