import { getDb } from "../db/client";
import { eventsSocketPath, serverEnv } from "../env";
import { openChannel } from "../events/open-channel";
import { runEvents, installRunEvents } from "../events/process-channel";
import { createLogger } from "../log/logger";
import { failLostRuns } from "../runs/fail-lost-runs";

const key = Symbol.for("runops.consoleStarted");
type WithFlag = typeof globalThis & { [key]?: boolean };

/**
 * The console process at start-up: joins the run event channel (serving the
 * hub on SQLite) and ends, every half heartbeat, runs whose worker stopped
 * renewing its lease, so a dead worker's runs end even when no other worker
 * runs. The console never spawns a command.
 */
export async function startConsole() {
  const g = globalThis as WithFlag;
  if (g[key]) return;
  g[key] = true;
  const env = serverEnv();
  const log = createLogger("console");
  process.umask(0o077);
  const channel = await openChannel("console", {
    databaseUrl: env.DATABASE_URL,
    socketPath: eventsSocketPath(env),
  });
  installRunEvents(channel);
  const reap = setInterval(() => {
    failLostRuns(getDb(), runEvents())
      .then((ids) => {
        if (ids.length > 0) log.warn({ runIds: ids }, "ended runs of lost workers");
      })
      .catch((error: unknown) => log.error({ err: error }, "reaping lost runs failed"));
  }, env.RUNOPS_HEARTBEAT_MS / 2);
  reap.unref();
  log.info("console started");
}
