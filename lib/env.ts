import path from "node:path";
import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./db/url";

/** A worker pool's name (RUNOPS_WORKER_POOL, runops worker --pool): slug-like, as environment names. */
export const workerPoolSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "use lower-case letters, digits and inner hyphens");

/**
 * Every environment variable runops reads, validated in one place. Values are
 * read once per process; tests that need other values set them before import.
 * (Next.js's own NODE_ENV and NEXT_RUNTIME are left to Next, which inlines them
 * at build time.)
 */
const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
  /** Where `npm start` serves the console. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** next-auth's session secret; unset, `npm start` makes one per installation in the data directory. */
  NEXTAUTH_SECRET: z.string().min(1).optional(),
  /** The checkout holding prisma/ (default: found above the working directory). */
  RUNOPS_ROOT: z.string().min(1).optional(),
  /**
   * The console's public URL (`npm start` sets it to http://localhost:$PORT when unset). Read by
   * next-auth itself too; runops uses its origin to keep redirects after sign-in on the console.
   */
  NEXTAUTH_URL: z.string().min(1).optional(),
  /** Seconds a run may last when its operation sets no `timeout`. */
  RUNOPS_DEFAULT_TIMEOUT_SEC: z.coerce.number().int().positive().default(3600),
  /** Time between SIGTERM and SIGKILL when a run is cancelled or times out. */
  RUNOPS_CANCEL_GRACE_MS: z.coerce.number().int().nonnegative().default(5000),
  /** Longest time `commands.stop` may take before the group is signalled anyway. */
  RUNOPS_STOP_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  /** Bytes of output kept per run; past it the log says it was cut. */
  RUNOPS_LOG_CAP_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  /** A log batch is written when it is this old ... */
  RUNOPS_LOG_FLUSH_MS: z.coerce.number().int().positive().default(50),
  /** ... or this big, whichever comes first. */
  RUNOPS_LOG_FLUSH_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** Unwritten output held in memory before the command's pipes are paused. */
  RUNOPS_LOG_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  RUNOPS_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /** A worker's heartbeat; its lease on a run lasts two of them (leaseMs), so a dead worker's runs end within 3. */
  RUNOPS_HEARTBEAT_MS: z.coerce.number().int().positive().default(5000),
  /** On SIGTERM a worker lets its runs finish this long, then cancels them. */
  RUNOPS_WORKER_DRAIN_MS: z.coerce.number().int().nonnegative().default(30000),
  /** The worker's name on the workers page (default: the host name). */
  RUNOPS_WORKER_NAME: z.string().min(1).optional(),
  /** The pool a worker serves (runops worker --pool): it claims only runs of environments of this pool. */
  RUNOPS_WORKER_POOL: workerPoolSchema.default("default"),
  /** The OS user (name or uid) commands run as; unset: the worker's own user (a warning in the console). */
  RUNOPS_RUN_AS: z.string().min(1).optional(),
  /** How a run's processes are found: a cgroup v2 per run, the process group plus a marker, or auto. */
  RUNOPS_CONTAINMENT: z.enum(["auto", "cgroup", "process-group"]).default("auto"),
  /** The cgroup v2 directory the worker makes run cgroups in (default: under its own cgroup). */
  RUNOPS_CGROUP_ROOT: z.string().min(1).optional(),
  /** runops' own files (SQLite database, session secret, event socket): mode 0700. */
  RUNOPS_DATA_DIR: z.string().min(1).default("./data"),
  /**
   * The key (32 bytes, base64) that seals the projects' SSH private keys in the database. Unset:
   * RUNOPS_SECRET_KEY_FILE, made on first use. Every console and worker needs the same key.
   */
  RUNOPS_SECRET_KEY: z.string().min(1).optional(),
  /** The file holding that key when RUNOPS_SECRET_KEY is unset (default: secret.key in the data directory). */
  RUNOPS_SECRET_KEY_FILE: z.string().min(1).optional(),
  /** The console's run event socket on SQLite (default: run-events.sock in the data directory). */
  RUNOPS_EVENTS_SOCKET: z.string().min(1).optional(),
  /** Level of the JSON-line logs of the console and the worker (pino's levels). */
  RUNOPS_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /**
   * Addresses or CIDRs (comma-separated) of the reverse proxies in front of the console: only
   * from them is X-Forwarded-For believed. Unset: the socket's address is the client's.
   */
  RUNOPS_TRUSTED_PROXIES: z.string().optional(),
  /** "0": `npm start` does not seed the demo into an empty database (first start then asks for an admin). */
  RUNOPS_SEED_DEMO: z.enum(["0", "1"]).default("1"),
  /** "1" opens /signup to anyone who can reach the console; off by default (invitations still work). */
  RUNOPS_ALLOW_SIGNUP: z.enum(["0", "1"]).default("0"),
});

export type ServerEnv = z.infer<typeof envSchema>;

/** A worker's claim on a run lasts two heartbeats. */
export const leaseMs = (env: Pick<ServerEnv, "RUNOPS_HEARTBEAT_MS">) => 2 * env.RUNOPS_HEARTBEAT_MS;

/** Where the console and the workers of one host meet on SQLite. */
export function eventsSocketPath(env: Pick<ServerEnv, "RUNOPS_DATA_DIR" | "RUNOPS_EVENTS_SOCKET">) {
  return path.resolve(
    /*turbopackIgnore: true*/ env.RUNOPS_EVENTS_SOCKET ?? path.join(env.RUNOPS_DATA_DIR, "run-events.sock"),
  );
}

/**
 * DATABASE_URL, read on every call (unlike `serverEnv`): the integration tests point one process
 * at several databases in turn, and the process-wide client and throttle follow it.
 */
export function configuredDatabaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
