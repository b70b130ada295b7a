/**
 * `runops worker` (also `npm run worker`): claims and executes runs. Any
 * number of them may run, on any host that reaches the database. Options:
 *   --name NAME          the name on the workers page (RUNOPS_WORKER_NAME; default: host name)
 *   --concurrency N      runs side by side (RUNOPS_WORKER_CONCURRENCY)
 *   --pool NAME          claim only runs of environments of this pool (RUNOPS_WORKER_POOL; default: default)
 *   --health-port PORT   serve GET /health on 127.0.0.1:PORT
 *   --exit-with-parent   drain and exit when stdin closes (a supervisor such as `npm start`
 *                        starts it with a pipe, so the worker cannot outlive it)
 * SIGTERM or SIGINT drains: no new claims, running runs get
 * RUNOPS_WORKER_DRAIN_MS to finish, then are cancelled ("worker shutting
 * down"). A second signal cancels them at once.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { z } from "zod";
import { createDb } from "../db/client";
import { databaseProvider } from "../db/url";
import { eventsSocketPath, serverEnv, workerPoolSchema } from "../env";
import { openChannel } from "../events/open-channel";
import { installRunEvents } from "../events/process-channel";
import { openContainment } from "../executor/open-containment";
import { resolveRunAs } from "../executor/run-as";
import { createLogger } from "../log/logger";
import { createChunkStore } from "../logs/chunk-store";
import { createRunClaimer } from "../runs/claim-run";
import { serveHealth } from "./health-server";
import { RunWorker } from "./run-worker";

const argsSchema = z.object({
  name: z.string().min(1).optional(),
  concurrency: z.coerce.number().int().positive().optional(),
  pool: workerPoolSchema.optional(),
  "health-port": z.coerce.number().int().min(1).max(65535).optional(),
  "exit-with-parent": z.literal("").optional(),
});

export async function main(argv: string[]): Promise<void> {
  const log = createLogger("worker");
  const args = parseArgs(argv);
  const env = serverEnv();
  process.umask(0o077);
  const runAs = env.RUNOPS_RUN_AS ? resolveRunAs(env.RUNOPS_RUN_AS) : null;
  const containment = openContainment(env);
  const url = env.DATABASE_URL;
  const db = createDb(url);
  const channel = await openChannel("worker", { databaseUrl: url, socketPath: eventsSocketPath(env) });
  installRunEvents(channel);
  const chunks = createChunkStore(url);
  const claimer = createRunClaimer(db, url);
  const opts = {
    ...env,
    RUNOPS_WORKER_CONCURRENCY: args.concurrency ?? env.RUNOPS_WORKER_CONCURRENCY,
  };
  const worker = new RunWorker(
    {
      db,
      provider: databaseProvider(url),
      chunks,
      channel,
      containment,
      runAs,
      log,
      name: args.name ?? env.RUNOPS_WORKER_NAME ?? hostname(),
      version: packageVersion(),
      pool: args.pool ?? env.RUNOPS_WORKER_POOL,
      claimer,
    },
    opts,
  );
  if (runAs === null || runAs.uid === process.getuid?.()) {
    log.warn(
      "commands run as the worker's own OS user: they can read what this user can (set RUNOPS_RUN_AS, see docs/operations.md)",
    );
  }
  // The handlers are in place before the worker can say it started: a SIGTERM that comes right
  // after that line would otherwise meet no handler and kill the process (no drain, no stop recorded).
  const starting = worker.start();
  let health: ReturnType<typeof serveHealth> | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.info({ signal }, "second signal: cancelling running runs now");
      void worker.stop(0);
      return;
    }
    log.info({ signal }, "shutting down");
    stopping = starting
      .catch(() => undefined)
      .then(() => worker.stop(env.RUNOPS_WORKER_DRAIN_MS))
      .then(async () => {
        health?.close();
        await chunks.close();
        await claimer.close();
        await channel.close();
        await db.$disconnect();
      })
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  await starting;
  health = args["health-port"] ? serveHealth(worker, args["health-port"], env.RUNOPS_HEARTBEAT_MS) : null;
  if (args["exit-with-parent"] !== undefined) {
    // A pipe's end arrives as "end" (the supervisor is gone), or as an error on a broken one.
    process.stdin.resume();
    // Its stdout went with it: writing logs to a pipe nobody reads would block the drain.
    const orphaned = () => {
      log.level = "silent";
      shutdown("SIGHUP");
    };
    process.stdin.once("end", orphaned);
    process.stdin.once("error", orphaned);
  }
}

function parseArgs(argv: string[]) {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) throw new Error(`runops worker: unexpected argument ${JSON.stringify(arg)}`);
    if (m[1] === "exit-with-parent") raw[m[1]] = "";
    else raw[m[1]] = m[2] ?? argv[++i] ?? "";
  }
  const parsed = argsSchema.strict().safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `runops worker: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
