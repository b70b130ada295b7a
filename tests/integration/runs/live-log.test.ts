import { createHash } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { type LiveLogEvent, liveLog } from "../../../lib/logs/live-log";
import { BEHIND_BYTES, type LogHub, WINDOW_BYTES } from "../../../lib/logs/log-hub";
import { formatEvent } from "../../../lib/logs/sse";
import { startRun } from "../../../lib/runs/start-run";
import {
  BACKENDS,
  type Fixture,
  freshDatabase,
  seedFixture,
  startWorker,
  waitForRunEnd,
} from "../../support/harness";

const CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      ticker:
        commands:
          start: |
            i=0
            while [ ! -f "$PLATFORM_APP_DIR/stop-ticker" ]; do
              i=$((i+1)); echo "tick $i"; [ $((i % 3)) -eq 0 ] && echo "warn $i" >&2; sleep 0.01
            done
            echo "done after $i"
      flood:
        commands:
          start: 'yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxy | head -c 33554432'
      quick:
        commands:
          start: 'printf "\\033[31mred\\033[0m\\n"; echo "€ and 😀"'
`;

/** Reads a live log until `stop` says so or it ends (without closing it); returns the events seen. */
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
const text = (events: LiveLogEvent[]) =>
  events.flatMap((e) => (e.type === "chunk" ? [e.chunk.data.toString("utf8")] : [])).join("");
const seqs = (events: LiveLogEvent[]) => events.flatMap((e) => (e.type === "chunk" ? [e.chunk.seq] : []));

describe.each(BACKENDS)("the live log on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let hub: LogHub;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "livelog");
    db = fresh.db;
    fx = await seedFixture(db, CONFIG);
    // Room for the flood's 32 MiB.
    const started = startWorker(db, provider, fresh.url, { RUNOPS_LOG_CAP_BYTES: 64 * 1024 * 1024 });
    hub = started.hub;
    await started.ready;
    cleanup = async () => {
      await started.worker.stop();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("delivers lines while the command runs, then everything in order with no gap, ending with the final state", async () => {
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "ticker" });
    const abort = new AbortController();
    const live = liveLog(db, hub, run.id, 0, abort.signal, stateOf);
    // Output arrives while the run is still in progress.
    const early = await collect(live, (ev) => text(ev).includes("tick 5\n"));
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("in_progress");

    writeFileSync(path.join(fx.appDir, "stop-ticker"), "");
    const rest = await collect(live, () => false);
    const all = [...early, ...rest];
    // The run's state comes over the same stream: in progress while it ran, then its end.
    const states = all.flatMap((e) => (e.type === "state" ? [e.view] : []));
    expect(states.filter((state) => state !== "pending")).toEqual(["in_progress", "complete"]);
    const last = all[all.length - 1];
    expect(last).toEqual({
      type: "end",
      end: { state: "complete", result: "success", exitCode: 0, signal: null, reason: null },
    });
    const s = seqs(all);
    expect(s).toEqual(s.map((_, i) => i + 1));

    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(s.length).toBe(stored.logSeq);
    const out = text(all.filter((e) => e.type !== "chunk" || e.chunk.stream === "stdout"));
    const n = Number(/done after (\d+)/.exec(out)?.[1]);
    expect(out).toBe(Array.from({ length: n }, (_, i) => `tick ${i + 1}\n`).join("") + `done after ${n}\n`);
  });

  it("resumes after a given sequence number with exactly what was missed", async () => {
    rmSync(path.join(fx.appDir, "stop-ticker"), { force: true });
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "ticker" });
    const first = liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf);
    const seen = await collect(first, (ev) => seqs(ev).length >= 4);
    await first.return(undefined); // the connection drops
    const lastSeen = seqs(seen).at(-1) ?? 0;
    expect(lastSeen).toBeGreaterThanOrEqual(4);

    writeFileSync(path.join(fx.appDir, "stop-ticker"), "");
    await waitForRunEnd(db, run.id);
    const resumed = await collect(
      liveLog(db, hub, run.id, lastSeen, new AbortController().signal, stateOf),
      () => false,
    );
    const s = [...seqs(seen), ...seqs(resumed)];
    expect(s).toEqual(s.map((_, i) => i + 1));
    expect(s.length).toBe((await db.run.findUniqueOrThrow({ where: { id: run.id } })).logSeq);
    expect(resumed.at(-1)?.type).toBe("end");
  });

  it("formats chunks as SSE events whose id is the sequence number, keeping text intact", async () => {
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "quick" });
    await waitForRunEnd(db, run.id);
    const events = await collect(
      liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf),
      () => false,
    );
    const sse = events.map(formatEvent).join("");
    expect(sse).toMatch(/^id: 1\nevent: chunk\ndata: \{"stream":"stdout","text":"\\u001b\[31mred/);
    expect(text(events)).toBe("\x1b[31mred\x1b[0m\n€ and 😀\n");
    expect(
      sse.endsWith(
        'event: end\ndata: {"state":"complete","result":"success","exitCode":0,"signal":null,"reason":null}\n\n',
      ),
    ).toBe(true);
  });

  it("keeps a viewer that stops reading to what the hub holds (bounded), and gives it every byte in order when it resumes", async () => {
    const FLOOD_BYTES = 33554432;
    const expected = createHash("sha256")
      .update(
        Buffer.alloc(
          FLOOD_BYTES,
          "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxy\n",
        ),
      )
      .digest("hex");
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "flood" });
    const stalled = liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf);
    const firstSeen = await collect(stalled, (ev) => seqs(ev).length >= 1);

    // Another viewer reads everything meanwhile, so the hub keeps reading the run.
    let held = 0;
    const active = liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf);
    const activeEvents = await collect(active, () => {
      held = Math.max(held, hub.heldBytes(run.id));
      return false;
    });
    expect(activeEvents.at(-1)?.type).toBe("end");
    // The run printed four times the window; the hub held no more than its bounds and a chunk each.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(WINDOW_BYTES + BEHIND_BYTES + 2 * 1024 * 1024);

    const rest = await collect(stalled, () => false);
    const all = [...firstSeen, ...rest];
    const s = seqs(all);
    expect(s).toEqual(s.map((_, i) => i + 1));
    const bytes = Buffer.concat(all.flatMap((e) => (e.type === "chunk" ? [e.chunk.data] : [])));
    expect(bytes.length).toBe(FLOOD_BYTES);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(expected);
    expect(all.at(-1)?.type).toBe("end");
  });

  it("gives viewers behind the window the same chunks from one storage read each (read once, encoded once)", async () => {
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "flood" });
    await waitForRunEnd(db, run.id);
    // Two viewers of a finished 32 MiB log, in step: both are behind the (empty) window all along.
    const a = liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf);
    const b = liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf);
    let chunks = 0;
    for (;;) {
      const [x, y] = [await a.next(), await b.next()];
      if (x.done || y.done) {
        expect(x.done && y.done).toBe(true);
        break;
      }
      if (x.value.type !== "chunk" || y.value.type !== "chunk") continue;
      expect(y.value.chunk).toBe(x.value.chunk);
      chunks++;
    }
    expect(chunks).toBe((await db.run.findUniqueOrThrow({ where: { id: run.id } })).logSeq);
  });

  it("lets a viewer that joins late catch up from the shared window: the same chunks, no storage read", async () => {
    rmSync(path.join(fx.appDir, "stop-ticker"), { force: true });
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "ticker" });
    const first = liveLog(db, hub, run.id, 0, new AbortController().signal, stateOf);
    const seen = await collect(first, (ev) => seqs(ev).length >= 30);
    const chunks = seen.flatMap((e) => (e.type === "chunk" ? [e.chunk] : []));
    const recent = chunks.slice(-5);

    // Everything the late viewer asks of the database, apart from the run's row.
    const storageReads: string[] = [];
    const observed = new Proxy(db, {
      get(target, prop) {
        if (prop === "$queryRaw" || prop === "logChunk") storageReads.push(String(prop));
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const late = liveLog(
      observed,
      hub,
      run.id,
      (recent[0]?.seq ?? 1) - 1,
      new AbortController().signal,
      stateOf,
    );
    const lateSeen = await collect(late, (ev) => seqs(ev).length >= recent.length);
    const lateChunks = lateSeen.flatMap((e) => (e.type === "chunk" ? [e.chunk] : []));
    // The very objects the first viewer got (read once, encoded once), and not one storage read.
    lateChunks.forEach((chunk, i) => expect(chunk).toBe(recent[i]));
    expect(storageReads).toEqual([]);

    await late.return(undefined);
    await first.return(undefined);
    writeFileSync(path.join(fx.appDir, "stop-ticker"), "");
    await waitForRunEnd(db, run.id);
  });
});
