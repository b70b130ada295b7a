import type { Actor } from "../access/actor";
import { environmentTypeSchema } from "../access/roles";
import type { Db } from "../db/client";
import { type EnvironmentRef, getEnvironmentAccess } from "../environments/get-environment-access";
import { notFound } from "../errors";
import { runEvents } from "../events/process-channel";

/** What the history hears: a run of the environment changed (or events may have been missed). */
export type EnvironmentRunEvent =
  { type: "created" | "started" | "cancel-requested" | "ended"; runId: string } | { type: "resync" };

/**
 * Authorizes (anyone who may see the environment), then yields the changes
 * of its runs as the run event channel announces them: ids only, the history
 * re-reads its page. A safety `resync` every `safetyMs` covers a lost event.
 */
export async function watchEnvironmentRuns(
  db: Db,
  actor: Actor,
  environment: string | Extract<EnvironmentRef, { projectSlug: string }>,
  signal: AbortSignal,
  safetyMs = 30_000,
): Promise<AsyncGenerator<EnvironmentRunEvent>> {
  // One read: the environment (by id, or live by name), its project and the actor's membership.
  const loaded = await getEnvironmentAccess(
    db,
    actor,
    typeof environment === "string" ? { environmentId: environment } : environment,
  );
  if (!loaded || loaded.environment.deleted) throw notFound("environment");
  const { environment: env, access } = loaded;
  await access.require(
    { kind: "view-environment", environmentType: environmentTypeSchema.parse(env.type) },
    "environment",
  );
  return follow(env.id, signal, safetyMs);
}

async function* follow(environmentId: string, signal: AbortSignal, safetyMs: number) {
  const queue: EnvironmentRunEvent[] = [];
  let wake: (() => void) | null = null;
  const push = (event: EnvironmentRunEvent) => {
    queue.push(event);
    wake?.();
    wake = null;
  };
  const unsubscribe = runEvents().subscribe((m) => {
    if (m.type === "resync") push(m);
    else if (m.type !== "output" && m.environmentId === environmentId) push({ type: m.type, runId: m.runId });
  });
  const safety = setInterval(() => push({ type: "resync" }), safetyMs);
  const onAbort = () => {
    wake?.();
    wake = null;
  };
  signal.addEventListener("abort", onAbort);
  try {
    while (!signal.aborted) {
      const event = queue.shift();
      if (event) yield event;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    clearInterval(safety);
    signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
