"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { cancelRunAction, runAgainAction } from "@/app/actions/runs";
import type { RunAgainOffer } from "@/lib/runs/run-again";
import { isTerminal } from "@/lib/runs/run-states";
import { getApi } from "@/lib/api/console-fetch";
import { runSchema } from "@/lib/api/schemas";
import type { RunView } from "@/lib/runs/run-view";
import { LogView } from "./log-view";
import { RelativeTime } from "./relative-time";
import { formatDuration, runDuration, stateLabel } from "./run-format";
import { useNow } from "./use-now";

/**
 * A run's facts, its Cancel and Run again buttons and its live log.
 * `runAgain`: whether this member may run the operation again now, and why not (null: the
 * environment was deleted); offered once the run has finished.
 */
export function RunPanel({ initial, runAgain }: { initial: RunView; runAgain: RunAgainOffer | null }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const key = ["run", initial.id];
  // The run's state arrives over the log's SSE stream (LogView's onState): nothing polls.
  const { data: run } = useQuery({
    queryKey: key,
    queryFn: () => getApi(`/api/v1/runs/${initial.id}`, runSchema),
    initialData: initial,
    staleTime: Infinity,
  });
  const now = useNow(isTerminal(run.state) ? null : 250);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);

  const [againError, setAgainError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  async function again() {
    setStarting(true);
    setAgainError(null);
    const res = await runAgainAction({ runId: run.id });
    if (res.status === "ok" && res.result) {
      router.push(`/runs/${res.result.runId}`);
      return;
    }
    setStarting(false);
    setAgainError(res.message ?? "The run could not be started again");
  }

  async function cancel() {
    setCancelling(true);
    setCancelError(null);
    const res = await cancelRunAction({ runId: run.id });
    if (res.status === "error") setCancelError(res.message ?? "The run could not be cancelled");
    await queryClient.invalidateQueries({ queryKey: key });
    setCancelling(false);
  }

  const elapsed = runDuration(run, now);
  const service = run.worker ? `${run.app} › ${run.worker}` : run.app;
  return (
    <>
      <div className="row">
        <h1>
          {run.operation} <span className="muted">on {service}</span>
        </h1>
        <span className="spacer" />
        {run.canCancel && !isTerminal(run.state) && (
          <button
            className="danger"
            onClick={() => void cancel()}
            disabled={cancelling || run.cancelRequested}
          >
            {run.cancelRequested ? "Cancelling…" : "Cancel"}
          </button>
        )}
        {runAgain && isTerminal(run.state) && (
          <>
            {runAgain.reason && (
              <span className="muted" id="run-again-reason">
                {runAgain.reason}
              </span>
            )}
            <button
              type="button"
              onClick={() => void again()}
              disabled={!runAgain.allowed || starting}
              aria-describedby={runAgain.reason ? "run-again-reason" : undefined}
            >
              {starting ? "Starting…" : "Run again"}
            </button>
          </>
        )}
        <a className="button" href={`/api/v1/runs/${run.id}/log?format=text`} download>
          Download log
        </a>
      </div>
      {cancelError && (
        <p role="alert" className="error">
          {cancelError}
        </p>
      )}
      {againError && (
        <p role="alert" className="error">
          {againError}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>State</dt>
          <dd>
            <span className={`badge ${run.state}`} data-testid="run-state">
              {stateLabel[run.state]}
            </span>
          </dd>
        </div>
        <div>
          <dt>Result</dt>
          <dd data-testid="run-result">
            {run.result ? <span className={`badge ${run.result}`}>{run.result}</span> : "—"}
          </dd>
        </div>
        <div>
          <dt>Exit code</dt>
          <dd data-testid="run-exit">{run.exitCode ?? run.signal ?? "—"}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{elapsed === null ? "—" : formatDuration(elapsed)}</dd>
        </div>
        <div>
          <dt>Triggered by</dt>
          <dd data-testid="run-trigger">
            {run.triggeredBy.name || run.triggeredBy.email} <span className="muted">via {run.source}</span>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <RelativeTime at={run.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Worker</dt>
          <dd data-testid="run-worker">
            {run.executedBy ??
              (run.state === "pending"
                ? `waiting for a worker${run.pool === "default" ? "" : ` of pool ${run.pool}`}`
                : "—")}
          </dd>
        </div>
        {run.repeatOf && (
          <div>
            <dt>Repeats</dt>
            <dd>
              <Link href={`/runs/${run.repeatOf}`}>run {run.repeatOf}</Link>
            </dd>
          </div>
        )}
        {run.target !== "local" && (
          <div>
            <dt>SSH host</dt>
            <dd data-testid="run-target">{run.target}</dd>
          </div>
        )}
      </dl>
      {run.reason && (
        <p data-testid="run-reason">
          <strong>Reason:</strong> {run.reason}
        </p>
      )}
      <details>
        <summary>Command</summary>
        <pre className="panel" style={{ whiteSpace: "pre-wrap" }}>
          {run.command}
        </pre>
      </details>
      <h2>Log</h2>
      <LogView
        runId={run.id}
        onState={(view) => queryClient.setQueryData(key, view)}
        onEnd={() => void queryClient.invalidateQueries({ queryKey: key })}
      />
    </>
  );
}
