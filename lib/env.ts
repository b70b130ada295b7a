import { z } from "zod";

/**
 * Every environment variable runops reads, validated in one place. Values are
 * read once per process; tests that need other values set them before import.
 */
const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default("file:./data/runops.db"),
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
  /** How long a worker's claim on a run lasts without a heartbeat. */
  RUNOPS_LEASE_MS: z.coerce.number().int().positive().default(30000),
  /** "0" turns the in-process worker off (runs then wait for a separate worker). */
  RUNOPS_EMBEDDED_WORKER: z.enum(["0", "1"]).default("1"),
  /** "0": `npm start` does not seed the demo into an empty database (first start then asks for an admin). */
  RUNOPS_SEED_DEMO: z.enum(["0", "1"]).default("1"),
  /** "1" opens /signup to anyone who can reach the console; off by default (invitations still work). */
  RUNOPS_ALLOW_SIGNUP: z.enum(["0", "1"]).default("0"),
});

export type ServerEnv = z.infer<typeof envSchema>;

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
