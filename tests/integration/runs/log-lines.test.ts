import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { type ChunkStore, createChunkStore } from "../../../lib/logs/chunk-store";
import { MemoryChannel } from "../../../lib/events/memory-channel";
import { liveLog } from "../../../lib/logs/live-log";
import { LogHub } from "../../../lib/logs/log-hub";
import { PAGE_BYTES, readChunks } from "../../../lib/logs/read-log";
import { readLines } from "../../../lib/logs/read-lines";
import { RunLogWriter } from "../../../lib/logs/run-log-writer";
import { searchLog } from "../../../lib/logs/search-log";
import {
  BACKENDS,
  type Fixture,
  freshDatabase,
  NOOP_CONFIG,
  insertRun,
  seedFixture,
} from "../../support/harness";

/** A run whose log is `pieces`, written through the real writer in those exact reads. */
async function runWithLog(
  db: Db,
  chunks: ChunkStore,
  fx: Fixture,
  pieces: Array<["stdout" | "stderr", string]>,
) {
  const runId = await insertRun(db, fx);
  const writer = new RunLogWriter(chunks, () => undefined, runId, {
    holder: null,
    flushMs: 5,
    flushBytes: 64,
    capBytes: 10 * 1024 * 1024,
    bufferBytes: 1024 * 1024,
  });
  for (const [stream, text] of pieces) writer.write(stream, Buffer.from(text));
  await writer.close();
  return runId;
}

describe.each(BACKENDS)("log lines on %s", (provider) => {
  let db: Db;
  let chunks: ChunkStore;
  let fx: Fixture;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "loglines");
    db = fresh.db;
    chunks = createChunkStore(fresh.url);
    fx = await seedFixture(db, NOOP_CONFIG);
    cleanup = async () => {
      await chunks.close();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("reads a log of megabyte chunks back whole, never more than a bounded page at a time", async () => {
    const mib = (c: string) => c.repeat(1024 * 1024);
    const pieces: Array<["stdout" | "stderr", string]> = Array.from({ length: 9 }, (_, i) => [
      i % 2 ? "stderr" : "stdout",
      mib(String.fromCharCode(97 + i)),
    ]);
    const id = await runWithLog(db, chunks, fx, pieces);
    const page = await readChunks(db, id, 0);
    const pageBytes = page.reduce((n, c) => n + c.data.length, 0);
    expect(page.length).toBeGreaterThan(0);
    expect(pageBytes).toBeLessThanOrEqual(PAGE_BYTES);

    const seen: Buffer[] = [];
    let end: unknown = null;
    const viewer = liveLog(
      db,
      new LogHub(db, new MemoryChannel()),
      id,
      0,
      new AbortController().signal,
      (r) => r.state,
    );
    for await (const event of viewer) {
      if (event.type === "chunk") seen.push(event.chunk.data);
      if (event.type === "end") end = event.end;
    }
    expect(Buffer.concat(seen).toString("latin1")).toBe(pieces.map(([, t]) => t).join(""));
    expect(end).toMatchObject({ state: "complete", result: "success" });
  });

  it("serves any range of lines, whatever the chunk boundaries, with the stream and time each line started in", async () => {
    // Lines split across reads, several lines per read, an empty line, a multi-byte character cut in two.
    const euro = Buffer.from("€");
    const text = Array.from({ length: 300 }, (_, i) =>
      i % 7 === 0 ? "" : `line ${i + 1} ${"x".repeat(i % 13)} €`,
    );
    const whole = `${text.join("\n")}\nlast line without newline`;
    const pieces: Array<["stdout" | "stderr", string]> = [];
    for (let i = 0; i < whole.length;) {
      const size = 1 + ((i * 7919) % 97);
      pieces.push([i % 3 === 0 ? "stderr" : "stdout", whole.slice(i, i + size)]);
      i += size;
    }
    expect(euro.length).toBe(3);
    const runId = await runWithLog(db, chunks, fx, pieces);
    const expected = whole.split("\n");

    const all = await readLines(db, runId, 0, 10_000);
    expect(all.total).toBe(301);
    expect(all.lines.map((l) => l.text)).toEqual(expected);
    expect(all.lines.map((l) => l.n)).toEqual(expected.map((_, i) => i + 1));

    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [7, 8],
      [13, 60],
      [150, 151],
      [299, 301],
      [300, 301],
      [250, 999],
    ] as const) {
      const range = await readLines(db, runId, from, to);
      expect(range.lines.map((l) => l.text)).toEqual(expected.slice(from, to));
      expect(range.lines[0]?.n).toBe(from + 1);
    }
    expect((await readLines(db, runId, 400, 500)).lines).toEqual([]);
    const first = (await readLines(db, runId, 0, 1)).lines[0];
    expect(first?.stream).toBe("stderr");
    expect(Number.isNaN(Date.parse(first?.at ?? ""))).toBe(false);
  });

  it("counts a run's lines as it stores them", async () => {
    const runId = await runWithLog(db, chunks, fx, [
      ["stdout", "a\nb"],
      ["stdout", "c\n"],
    ]);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.logLines).toBe(2);
    expect((await readLines(db, runId, 0, 10)).lines.map((l) => l.text)).toEqual(["a", "bc"]);
    expect((await readLines(db, runId, 0, 10)).total).toBe(2);
  });

  it("finds the lines that contain a text, case-insensitively", async () => {
    const runId = await runWithLog(db, chunks, fx, [
      ["stdout", "starting\n\x1b[33mWA\x1b[1mRN\x1b[0m: disk"],
      ["stderr", " almost full\nok\nwarn again\n"],
    ]);
    expect(await searchLog(db, runId, "warn")).toEqual({ matches: [2, 4], truncated: false });
    expect(await searchLog(db, runId, "almost")).toEqual({ matches: [2], truncated: false });
    expect(await searchLog(db, runId, "nothing")).toEqual({ matches: [], truncated: false });
    expect(await searchLog(db, runId, "a", 2)).toEqual({ matches: [1, 2], truncated: true });
  });
});
