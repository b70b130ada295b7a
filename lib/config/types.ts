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

/** Where something is written in a file; 0 and 0 when it concerns no position. */
export type SourceSpot = { line: number; column: number };

/**
 * A key set twice in one mapping. It loads (the last one wins, as on Upsun) but is shown to
 * people: a silent last-wins can change an operation's role, or drop a whole operation.
 */
export type ConfigWarning = {
  /** As shown to users, e.g. ".upsun/config.yaml": both occurrences are in this file. */
  file: string;
  /** YAML path of the key, e.g. "applications.app.operations.clear.role". */
  path: string;
  /** The first occurrence, overridden. */
  first: SourceSpot;
  /** The last occurrence, the one that counts. */
  kept: SourceSpot;
  message: string;
};

/** Warnings come with either outcome: they never refuse a config, and they explain some errors. */
export type ConfigResult =
  | { ok: true; config: ParsedConfig; warnings: ConfigWarning[] }
  | { ok: false; issues: ConfigIssue[]; warnings: ConfigWarning[] };

/** `.upsun/config.yaml:14:15 applications.app.operations.x.role: expected ...` (position and path omitted when unknown). */
export function formatConfigIssue(i: ConfigIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return i.path === "" ? `${where}: ${i.message}` : `${where} ${i.path}: ${i.message}`;
}

/**
 * `.upsun/config.yaml:9:9 and .upsun/config.yaml:12:9 applications.app.operations.x.role: …`:
 * both positions, each one an editor can jump to.
 */
export function formatConfigWarning(w: ConfigWarning): string {
  if (w.kept.line === 0) return `${w.file}: ${w.message}`;
  const at = (spot: SourceSpot) => `${w.file}:${spot.line}:${spot.column}`;
  return `${at(w.first)} and ${at(w.kept)} ${w.path}: ${w.message}`;
}

/** Environment variables an operation's command gets from the config (worker env already includes the app's). */
export function envFor(app: AppDef, worker: string | null): Record<string, string> {
  const workerEnv = app.workerEnv;
  // Own keys only: a worker named "toString" must not find Object.prototype's.
  if (worker === null || !workerEnv || !Object.hasOwn(workerEnv, worker)) return app.env;
  return workerEnv[worker] ?? app.env;
}
