import { hostname } from "node:os";
import type { DatabaseProvider, Db } from "../db/client";
import { type ServerEnv, leaseMs } from "../env";
import type { ChannelMessage, RunEventChannel } from "../events/run-events";
import type { Containment } from "../executor/containment";
import { SpareShells } from "../executor/spare-shell";
import type { RunAsUser } from "../executor/run-as";
import type { ExecHandle } from "../executor/types";
import type { Logger } from "../log/logger";
import type { ChunkStore } from "../logs/chunk-store";
import { RunLogWriter } from "../logs/run-log-writer";
import { type ClaimedRun, DEFAULT_POOL, type RunClaimer, claimRuns } from "../runs/claim-run";
import { failLostRuns } from "../runs/fail-lost-runs";
import { finishRun } from "../runs/finish-run";
import { outcomeToEnd } from "../runs/run-end";
import { endLeftovers } from "./end-leftovers";
import { startExecution } from "./start-execution";
import { recordHeartbeat, recordWorkerStopped, registerWorker } from "./worker-registry";

export type WorkerOptions = Pick<
  ServerEnv,
  | "RUNOPS_WORKER_CONCURRENCY"
  | "RUNOPS_HEARTBEAT_MS"
  | "RUNOPS_DEFAULT_TIMEOUT_SEC"
  | "RUNOPS_CANCEL_GRACE_MS"
  | "RUNOPS_STOP_COMMAND_TIMEOUT_MS"
  | "RUNOPS_LOG_CAP_BYTES"
  | "RUNOPS_LOG_FLUSH_MS"
  | "RUNOPS_LOG_FLUSH_BYTES"
  | "RUNOPS_LOG_BUFFER_BYTES"
>;

export type WorkerParts = {
  db: Db;
  provider: DatabaseProvider;
  chunks: ChunkStore;
  channel: RunEventChannel;
  containment: Containment;
  runAs: RunAsUser | null;
  log: Logger;
  name: string;
  version: string;
  /** The pool whose runs it claims (runops worker --pool); default "default". */
  pool?: string;
  /** How it claims (the worker process: createRunClaimer); default claimRuns through Prisma. */
  claimer?: RunClaimer;
};

/** A slow safety net for a lost "created" event or a queue that freed up. */
const SAFETY_POLL_MS = 5000;

type Running = {
  run: ClaimedRun;
  handle: ExecHandle | null;
  writer: RunLogWriter | null;
  /** Its processes are gone and its end is being recorded: the heartbeat leaves it alone. */
  ending: boolean;
};

/**
 * A `runops worker`: claims pending runs (claim before spawn), executes them
 * up to its concurrency, renews their leases with its heartbeat, honours
 * cancel requests, and gives a run up at once when its lease was taken
 * (fenced). Hears of new runs and cancels on the run event channel.
 */
export class RunWorker {
  workerId = "";
  /** How the runs it claims name it. */
  private label = "";
  private running = new Map<string, Running>();
  private ticking: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private draining = false;
  private unsubscribe: (() => void) | null = null;
  /** The next local run's shell, made ahead (cgroups only). */
  private spares: SpareShells;
  /** When the last heartbeat was written (the health endpoint reports it). */
  lastHeartbeat = 0;

  private log: Logger;

  constructor(
    private readonly parts: WorkerParts,
    private readonly opts: WorkerOptions,
  ) {
    this.log = parts.log;
    this.spares = new SpareShells(parts.containment, parts.runAs);
  }

  get pool(): string {
    return this.parts.pool ?? DEFAULT_POOL;
  }

  get inProgress(): number {
    return this.running.size;
  }

  async start() {
    const { db, channel, containment, runAs, log } = this.parts;
    this.workerId = await registerWorker(db, {
      name: this.parts.name,
      version: this.parts.version,
      concurrency: this.opts.RUNOPS_WORKER_CONCURRENCY,
      // Only another user isolates the commands from the worker.
      runAs: runAs && runAs.uid !== process.getuid?.() ? runAs.name : null,
      containment: containment.kind,
      pool: this.pool,
    });
    this.label = `${this.parts.name} (pid ${process.pid} on ${hostname()})`;
    this.lastHeartbeat = Date.now();
    this.log = log.child({ workerId: this.workerId });
    // What runs of dead workers left behind ends before anything new starts.
    await failLostRuns(db, channel, { selfWorkerId: this.workerId });
    await endLeftovers(db, containment, this.log);
    this.spares.start();
    this.unsubscribe = channel.subscribe((m) => this.onMessage(m));
    const beat = this.opts.RUNOPS_HEARTBEAT_MS;
    this.timers.push(setInterval(() => void this.heartbeat(), beat));
    this.timers.push(
      setInterval(() => {
        failLostRuns(db, channel, { selfWorkerId: this.workerId }).catch((e: unknown) => this.fail(e));
      }, beat / 2),
    );
    this.timers.push(setInterval(() => this.wake(), SAFETY_POLL_MS));
    this.log.info(
      {
        pool: this.pool,
        concurrency: this.opts.RUNOPS_WORKER_CONCURRENCY,
        runAs: runAs?.name ?? null,
        containment: containment.kind,
      },
      "worker started",
    );
    this.wake();
  }

  /**
   * Stops claiming; lets running runs finish for up to `drainMs`, then cancels
   * them with the reason, waits for them to end, and records the stop.
   */
  async stop(drainMs = 0) {
    this.draining = true;
    this.unsubscribe?.();
    await this.ticking;
    if (this.running.size > 0) {
      this.log.info({ runs: [...this.running.keys()], drainMs }, "draining: waiting for runs to finish");
      await Promise.race([this.allDone(), new Promise((r) => setTimeout(r, drainMs))]);
    }
    for (const r of this.running.values()) r.handle?.cancel("worker shutting down");
    await this.allDone();
    await this.spares.close();
    for (const t of this.timers) clearInterval(t);
    if (this.workerId)
      await recordWorkerStopped(this.parts.db, this.workerId).catch((e: unknown) => this.fail(e));
    this.log.info("worker stopped");
  }

  private async allDone() {
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 20));
  }

  wake() {
    if (this.draining) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.fill()
      .catch((e: unknown) => this.fail(e))
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private onMessage(message: ChannelMessage) {
    if (message.type === "created" || message.type === "ended" || message.type === "resync") this.wake();
    if (message.type === "resync") void this.heartbeat();
    if (message.type === "cancel-requested") void this.honourCancel(message.runId);
  }

  private async fill() {
    const { db, provider } = this.parts;
    while (!this.draining && this.running.size < this.opts.RUNOPS_WORKER_CONCURRENCY) {
      // Every free slot in one claim: slots freed while it is under way wait for one claim, not one each.
      const me = { id: this.workerId, label: this.label, pool: this.pool };
      const free = this.opts.RUNOPS_WORKER_CONCURRENCY - this.running.size;
      const runs = this.parts.claimer
        ? await this.parts.claimer.claim(me, leaseMs(this.opts), free)
        : await claimRuns(db, provider, me, leaseMs(this.opts), free);
      if (runs.length === 0) return;
      for (const run of runs) {
        const entry: Running = { run, handle: null, writer: null, ending: false };
        this.running.set(run.id, entry);
        void this.execute(entry)
          .catch((e: unknown) => this.fail(e, run.id))
          .finally(() => {
            this.running.delete(run.id);
            this.wake();
          });
      }
    }
  }

  private async execute(entry: Running) {
    const { run } = entry;
    const { db, chunks, channel, containment, runAs } = this.parts;
    const log = this.log.child({ runId: run.id });
    channel.publish({
      type: "started",
      runId: run.id,
      environmentId: run.environmentId,
      workerId: this.workerId,
    });
    log.info({ operation: run.operation, app: run.app }, "run started");

    const writer = new RunLogWriter(
      chunks,
      (seq) => channel.publish({ type: "output", runId: run.id, seq }),
      run.id,
      {
        flushMs: this.opts.RUNOPS_LOG_FLUSH_MS,
        flushBytes: this.opts.RUNOPS_LOG_FLUSH_BYTES,
        capBytes: this.opts.RUNOPS_LOG_CAP_BYTES,
        bufferBytes: this.opts.RUNOPS_LOG_BUFFER_BYTES,
        holder: this.workerId,
      },
    );
    entry.writer = writer;
    const handle = await startExecution(
      run,
      { db, containment, runAs, spares: this.spares },
      {
        defaultTimeoutSec: this.opts.RUNOPS_DEFAULT_TIMEOUT_SEC,
        graceMs: this.opts.RUNOPS_CANCEL_GRACE_MS,
        stopTimeoutMs: this.opts.RUNOPS_STOP_COMMAND_TIMEOUT_MS,
      },
      writer,
    );
    entry.handle = handle;
    // A cancel that arrived between claim and spawn.
    await this.honourCancel(run.id);

    const outcome = await handle.done;
    entry.ending = true;
    if (outcome.ended === "spawn-failed" && outcome.reason) writer.system(outcome.reason);
    await writer.close();
    if (writer.fenced) {
      log.warn("run was taken from this worker (lease lost): its output and end were not recorded");
      return;
    }
    const end = outcomeToEnd(outcome);
    if (await finishRun(db, run.id, this.workerId, end)) {
      channel.publish({ type: "ended", runId: run.id, environmentId: run.environmentId });
      log.info(
        { state: end.state, result: end.result, exitCode: end.exitCode, reason: end.reason },
        "run ended",
      );
    }
  }

  private async honourCancel(runId: string) {
    const entry = this.running.get(runId);
    if (!entry?.handle) return;
    const run = await this.parts.db.run.findUnique({
      where: { id: runId },
      select: { cancelRequestedAt: true, cancelRequestedBy: true },
    });
    if (!run?.cancelRequestedAt) return;
    const user = run.cancelRequestedBy
      ? await this.parts.db.user.findUnique({ where: { id: run.cancelRequestedBy } })
      : null;
    entry.handle.cancel(`cancelled by ${user?.name || user?.email || "another process"}`);
  }

  /**
   * Renews the leases of this worker's runs and its own row. A run whose lease
   * is no longer this worker's was ended elsewhere: its processes are ended
   * and nothing more of it is written (fenced). Also picks up cancel requests
   * whose event was lost.
   */
  private async heartbeat() {
    const { db } = this.parts;
    try {
      const ids = [...this.running.keys()];
      // Leases first: under load, a renewal queued behind the worker row's write could come late.
      if (ids.length > 0) {
        await db.run.updateMany({
          where: { id: { in: ids }, state: "in_progress", workerId: this.workerId },
          data: { leaseUntil: new Date(Date.now() + leaseMs(this.opts)) },
        });
      }
      await recordHeartbeat(db, this.workerId);
      this.lastHeartbeat = Date.now();
      if (ids.length === 0) return;
      const rows = await db.run.findMany({
        where: { id: { in: ids } },
        select: { id: true, state: true, workerId: true, cancelRequestedAt: true },
      });
      for (const row of rows) {
        const entry = this.running.get(row.id);
        if (!entry || entry.ending) continue;
        if (row.state !== "in_progress" || row.workerId !== this.workerId) {
          this.log.warn({ runId: row.id }, "lease lost: ending the run's processes");
          if (entry.writer) entry.writer.fenced = true;
          entry.handle?.cancel("this worker no longer holds the run");
        } else if (row.cancelRequestedAt) await this.honourCancel(row.id);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown, runId?: string) {
    this.log.error({ err: error, runId }, "worker error");
  }
}
