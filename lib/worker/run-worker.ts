import { type ParsedConfig, envFor } from "../config/types";
import type { DatabaseProvider, Db } from "../db/client";
import { parseStoredConfig } from "../deployments/deployment-config";
import type { ServerEnv } from "../env";
import { startLocal } from "../executor/local-executor";
import type { ExecHandle } from "../executor/types";
import type { ChunkStore } from "../logs/chunk-store";
import type { LogHub } from "../logs/log-hub";
import { RunLogWriter } from "../logs/run-log-writer";
import { claimNextRun } from "../runs/claim-run";
import { finishRun, outcomeToEnd } from "../runs/finish-run";
import { failLostRuns } from "../runs/recover-runs";
import { runSignals } from "../runs/run-signals";
import { buildRunEnvironment } from "./run-environment";

type WorkerOptions = Pick<
  ServerEnv,
  | "RUNOPS_WORKER_CONCURRENCY"
  | "RUNOPS_LEASE_MS"
  | "RUNOPS_DEFAULT_TIMEOUT_SEC"
  | "RUNOPS_CANCEL_GRACE_MS"
  | "RUNOPS_STOP_COMMAND_TIMEOUT_MS"
  | "RUNOPS_LOG_CAP_BYTES"
  | "RUNOPS_LOG_FLUSH_MS"
  | "RUNOPS_LOG_FLUSH_BYTES"
  | "RUNOPS_LOG_BUFFER_BYTES"
>;

type Claimed = NonNullable<Awaited<ReturnType<typeof claimNextRun>>>;

/**
 * Claims pending runs (claim before spawn), executes them with the local
 * executor up to its concurrency, renews their leases, honours cancel
 * requests, and ends runs whose worker died.
 */
export class RunWorker {
  private running = new Map<string, ExecHandle | null>();
  /** The claim loop in flight, if any: stop() waits for it. */
  private ticking: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly onCreated = () => this.wake();
  private readonly onCancel = (runId: string, reason: string) => this.running.get(runId)?.cancel(reason);

  constructor(
    private readonly db: Db,
    private readonly provider: DatabaseProvider,
    private readonly hub: LogHub,
    private readonly chunks: ChunkStore,
    private readonly opts: WorkerOptions,
    readonly workerId: string,
  ) {}

  async start() {
    await failLostRuns(this.db, this.workerId);
    runSignals().on("created", this.onCreated);
    runSignals().on("cancel", this.onCancel);
    // Polling covers runs created by other processes and queues that free up.
    this.timers.push(setInterval(() => this.wake(), 1000));
    this.timers.push(setInterval(() => void this.heartbeat(), Math.max(250, this.opts.RUNOPS_LEASE_MS / 3)));
    this.timers.push(
      setInterval(() => void failLostRuns(this.db, this.workerId).catch(logError), this.opts.RUNOPS_LEASE_MS),
    );
    this.wake();
  }

  /** Stops claiming; running commands are cancelled and awaited. */
  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    runSignals().off("created", this.onCreated);
    runSignals().off("cancel", this.onCancel);
    await this.ticking;
    for (const handle of this.running.values()) handle?.cancel("the worker is shutting down");
    await Promise.all([...this.running.values()].map((h) => h?.done));
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 20));
  }

  wake() {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.fill()
      .catch(logError)
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async fill() {
    while (!this.stopped && this.running.size < this.opts.RUNOPS_WORKER_CONCURRENCY) {
      const run = await claimNextRun(this.db, this.provider, this.workerId, this.opts.RUNOPS_LEASE_MS);
      if (!run) return;
      this.running.set(run.id, null);
      void this.execute(run)
        .catch(logError)
        .finally(() => {
          this.running.delete(run.id);
          this.wake();
        });
    }
  }

  private async execute(run: Claimed) {
    this.hub.state(run.id);
    const env = run.environment;
    const config = this.configOf(run.deployment.id, run.deployment.config);
    const app = config.apps.find((a) => a.name === run.app);
    const appEnv = app ? envFor(app, run.worker) : {};

    const writer = new RunLogWriter(this.chunks, this.hub, run.id, {
      flushMs: this.opts.RUNOPS_LOG_FLUSH_MS,
      flushBytes: this.opts.RUNOPS_LOG_FLUSH_BYTES,
      capBytes: this.opts.RUNOPS_LOG_CAP_BYTES,
      bufferBytes: this.opts.RUNOPS_LOG_BUFFER_BYTES,
    });
    const handle = startLocal(
      {
        command: run.command,
        stopCommand: run.stopCommand,
        cwd: run.appDir,
        env: buildRunEnvironment({
          projectSlug: env.project.slug,
          environmentName: env.name,
          environmentType: env.type,
          app: run.app,
          appDir: run.appDir,
          appEnv,
        }),
        timeoutMs: (run.timeoutSec ?? this.opts.RUNOPS_DEFAULT_TIMEOUT_SEC) * 1000,
        graceMs: this.opts.RUNOPS_CANCEL_GRACE_MS,
        stopTimeoutMs: this.opts.RUNOPS_STOP_COMMAND_TIMEOUT_MS,
      },
      writer,
    );
    this.running.set(run.id, handle);
    // A cancel that arrived between claim and spawn.
    const fresh = await this.db.run.findUnique({
      where: { id: run.id },
      select: { cancelRequestedAt: true },
    });
    if (fresh?.cancelRequestedAt) handle.cancel(await this.cancelReason(run.id));

    const outcome = await handle.done;
    if (outcome.ended === "spawn-failed" && outcome.reason) writer.system(outcome.reason);
    await writer.close();
    const end = outcomeToEnd(outcome);
    if (await finishRun(this.db, run.id, this.workerId, end)) this.hub.end(run.id, end);
  }

  /** Deployments never change once written: parse each one once. */
  private configs = new Map<string, ParsedConfig>();
  private configOf(deploymentId: string, json: string | null): ParsedConfig {
    let config = this.configs.get(deploymentId);
    if (!config) {
      if (this.configs.size > 100) this.configs.clear();
      config = parseStoredConfig(json);
      this.configs.set(deploymentId, config);
    }
    return config;
  }

  private async cancelReason(runId: string): Promise<string> {
    const run = await this.db.run.findUnique({ where: { id: runId }, select: { cancelRequestedBy: true } });
    const user = run?.cancelRequestedBy
      ? await this.db.user.findUnique({ where: { id: run.cancelRequestedBy } })
      : null;
    return `cancelled by ${user?.name || user?.email || "another process"}`;
  }

  /** Renews leases and picks up cancel requests made through other processes. */
  private async heartbeat() {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    try {
      await this.db.run.updateMany({
        where: { id: { in: ids }, state: "in_progress", workerId: this.workerId },
        data: { leaseUntil: new Date(Date.now() + this.opts.RUNOPS_LEASE_MS) },
      });
      const cancelled = await this.db.run.findMany({
        where: { id: { in: ids }, cancelRequestedAt: { not: null } },
        select: { id: true },
      });
      for (const { id } of cancelled) {
        const handle = this.running.get(id);
        if (handle) handle.cancel(await this.cancelReason(id));
      }
    } catch (error) {
      logError(error);
    }
  }
}

function logError(error: unknown) {
  console.error("[runops worker]", error);
}
