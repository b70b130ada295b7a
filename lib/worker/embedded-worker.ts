import { databaseProvider, getDb } from "../db/client";
import { serverEnv } from "../env";
import { createChunkStore } from "../logs/chunk-store";
import { logHub } from "../logs/log-hub";
import { makeWorkerId } from "../runs/recover-runs";
import { RunWorker } from "./run-worker";

const key = Symbol.for("runops.embeddedWorker");
type WithWorker = typeof globalThis & { [key]?: RunWorker };

/** Starts the in-process worker once per process (the laptop set-up). */
export async function startEmbeddedWorker(): Promise<RunWorker> {
  const g = globalThis as WithWorker;
  if (g[key]) return g[key];
  const url = serverEnv().DATABASE_URL;
  const worker = new RunWorker(
    getDb(),
    databaseProvider(url),
    logHub(),
    createChunkStore(url),
    serverEnv(),
    makeWorkerId(),
  );
  g[key] = worker;
  await worker.start();
  const stop = () => {
    void worker.stop().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return worker;
}
