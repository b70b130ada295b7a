import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { type LiveLogEvent, SAFETY_POLL_MS, liveLog } from "../../../lib/logs/live-log";
import { LogHub } from "../../../lib/logs/log-hub";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture, waitFor } from "../../support/harness";
import {
  type TestConsole,
  killWorkers,
  socketDir,
  startTestConsole,
  startWorkerProcess,
} from "../../support/worker-process";
import { endRunProcesses, processesLeft, runRow, uniqueSleep } from "./support";

const config = (marker: string) => `
applications:
  web:
    source:
      root: app
    operations:
      ticker:
        commands:
          start: |
            ${marker}=1
            i=0
            while [ ! -f "$PLATFORM_APP_DIR/stop-ticker" ]; do i=$((i+1)); echo "tick $i"; sleep 0.05; done
            echo "done after $i"
`;

/** Reads a live log until `stop` says so or it ends; returns the events seen. */
async function collect(gen: AsyncGenerator<LiveLogEvent>, stop: (events: LiveLogEvent[]) => boolean) {
  const events: LiveLogEvent[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return events;
    events.push(next.value);
    if (stop(events)) return events;
  }
}
/** What a state event shows, here: the run's state. */
const stateOf = (run: { state: string }) => run.state;
const seqs = (events: LiveLogEvent[]) => events.flatMap((e) => (e.type === "chunk" ? [e.chunk.seq] : []));
const text = (events: LiveLogEvent[]) =>
  events.flatMap((e) => (e.type === "chunk" ? [e.chunk.data.toString("utf8")] : [])).join("");

describe.each(BACKENDS)("a console restart during a run on %s", (provider) => {
  const marker = `TICKER_${uniqueSleep(9961, provider)}`;
  let db: Db;
  let url: string;
  let fx: Fixture;
  let hub: TestConsole;
  let socketPath: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "console_restart");
    const sock = socketDir();
    db = fresh.db;
    url = fresh.url;
    socketPath = sock.socketPath;
    fx = await seedFixture(db, config(marker));
    hub = await startTestConsole({ db, url, socketPath });
    cleanup = async () => {
      await killWorkers();
      await endRunProcesses(db);
      await hub.close();
      fx.cleanup();
      sock.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => {
    const left = processesLeft([marker]);
    await cleanup?.();
    expect(left).toEqual([]);
  });

  it("the run goes on while the console is away; a viewer of the new console gets the rest, no gap, no repeat, and the end", async () => {
    await startWorkerProcess({ url, socketPath });
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "ticker" });
    const before = liveLog(
      db,
      new LogHub(db, hub.channel()),
      run.id,
      0,
      new AbortController().signal,
      stateOf,
    );
    const seen = await collect(before, (ev) => seqs(ev).length >= 3);
    await before.return(undefined);
    const lastSeen = seqs(seen).at(-1) ?? 0;

    // The console stops (on SQLite its hub goes with it): the worker keeps running and storing.
    await hub.down();
    const stored = await waitFor(
      async () => {
        const row = await runRow(db, run.id);
        return row.logSeq >= lastSeen + 5 ? row : undefined;
      },
      5000,
      "output stored while the console is away",
    );
    expect(stored.state).toBe("in_progress");

    // The console is back; a viewer reconnects after the last chunk it saw.
    const channel = await hub.up();
    let heard = false;
    const off = channel.subscribe((m) => {
      if (m.type === "output" && m.runId === run.id) heard = true;
    });
    const after = liveLog(
      db,
      new LogHub(db, channel),
      run.id,
      lastSeen,
      new AbortController().signal,
      stateOf,
    );
    const resumed = await collect(after, (ev) => seqs(ev).length >= 3);
    // The worker is heard again on the new console's channel before the run is let go.
    await waitFor(() => heard, 5000, "the worker's output announced on the new channel");
    off();
    writeFileSync(path.join(fx.appDir, "stop-ticker"), "");
    const releasedAt = Date.now();
    resumed.push(...(await collect(after, () => false)));
    // The end came as an event from the worker, not from the viewer's slow safety poll.
    expect(Date.now() - releasedAt).toBeLessThan(SAFETY_POLL_MS);

    const all = [...seqs(seen), ...seqs(resumed)];
    expect(all).toEqual(all.map((_, i) => i + 1));
    const done = await runRow(db, run.id);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect(all.length).toBe(done.logSeq);
    expect(resumed.at(-1)).toEqual({
      type: "end",
      end: { state: "complete", result: "success", exitCode: 0, signal: null, reason: null },
    });
    const out = text(seen) + text(resumed);
    const n = Number(/done after (\d+)/.exec(out)?.[1]);
    expect(out).toBe(Array.from({ length: n }, (_, i) => `tick ${i + 1}\n`).join("") + `done after ${n}\n`);
  });
});
