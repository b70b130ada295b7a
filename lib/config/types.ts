import type { Role } from "../access/roles";

/** One runtime operation, owned by an application or by one of its workers. */
export type OperationDef = {
  app: string;
  /** Name of the worker owning the operation; null when the application itself owns it. */
  worker: string | null;
  name: string;
  role: Role;
  /** `commands.start`, exactly as YAML yields it (a multi-line script keeps its newlines). */
  start: string;
  stop: string | null;
  /** Seconds; null means "use the server default". */
  timeout: number | null;
};

export type AppDef = {
  name: string;
  /** `source.root` relative to the target, normalised: "" for the root, never starts with "/" or escapes with "..". */
  sourceRoot: string;
  /** `variables.env`, values stringified. */
  env: Record<string, string>;
  /** Worker names, in file order. */
  workers: string[];
  /**
   * Environment of each worker: the app's env overlaid with the worker's own `variables.env`.
   * Optional so that hand-built AppDefs (tests, seeds) stay valid; read it through `envFor`.
   */
  workerEnv?: Record<string, Record<string, string>>;
};

export type ParsedConfig = { apps: AppDef[]; operations: OperationDef[] };

export type ConfigIssue = {
  /** As shown to users, e.g. ".upsun/config.yaml". */
  file: string;
  /** 1-based; 0 when the issue concerns the whole file or directory. */
  line: number;
  /** 1-based; 0 when the issue concerns the whole file or directory. */
  column: number;
  /** YAML path, e.g. "applications.app.operations.clear-rebuild.role"; "" when none applies. */
  path: string;
  message: string;
};

export type ConfigResult = { ok: true; config: ParsedConfig } | { ok: false; issues: ConfigIssue[] };

/** `.upsun/config.yaml:14:15 applications.app.operations.x.role: expected ...` (position and path omitted when unknown). */
export function formatConfigIssue(i: ConfigIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return i.path === "" ? `${where}: ${i.message}` : `${where} ${i.path}: ${i.message}`;
}

/** Environment variables an operation's command gets from the config (worker env already includes the app's). */
export function envFor(app: AppDef, worker: string | null): Record<string, string> {
  const workerEnv = app.workerEnv;
  // Own keys only: a worker named "toString" must not find Object.prototype's.
  if (worker === null || !workerEnv || !Object.hasOwn(workerEnv, worker)) return app.env;
  return workerEnv[worker] ?? app.env;
}
