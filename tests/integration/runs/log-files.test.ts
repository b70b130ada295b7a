import { appendFileSync, readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { type ChunkStore, FencedError, createChunkStore } from "../../../lib/logs/chunk-store";
import { logDirectory, logFilePath } from "../../../lib/logs/log-files";
import { readLines } from "../../../lib/logs/read-lines";
import { readChunks } from "../../../lib/logs/read-log";
import { RunLogWriter } from "../../../lib/logs/run-log-writer";
import { searchLog } from "../../../lib/logs/search-log";
import {
  type Fixture,
  freshDatabase,
  NOOP_CONFIG,
  insertRun,
  seedFixture,
  storedLog,
} from "../../support/harness";

describe("log files of the embedded set-up (SQLite)", () => {
  let db: Db;
  let url: string;
  let chunks: ChunkStore;
  let fx: Fixture;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase("sqlite", "logfiles");
    db = fresh.db;
    url = fresh.url;
    chunks = createChunkStore(url);
    fx = await seedFixture(db, NOOP_CONFIG);
    cleanup = async () => {
      await chunks.close();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const newRun = (state: "in_progress" | "complete" = "complete", workerId: string | null = null) =>
    insertRun(db, fx, { state, workerId });

  const writer = (runId: string, holder: string | null = null) =>
    new RunLogWriter(chunks, () => undefined, runId, {
      holder,
      flushMs: 5,
      flushBytes: 64,
      capBytes: 10 * 1024 * 1024,
      bufferBytes: 1024 * 1024,
    });

  const file = (runId: string) => logFilePath(logDirectory(url) ?? "", runId);

  it("keeps the bytes in a file per run beside the database, readable only by runops, and the index in the database", async () => {
    const runId = await newRun();
    const w = writer(runId);
    const text = Array.from({ length: 500 }, (_, i) => `line ${i + 1}: ${"é".repeat(i % 11)}\n`).join("");
    for (let i = 0; i < text.length; i += 333) {
      w.write(i % 2 ? "stderr" : "stdout", Buffer.from(text.slice(i, i + 333)));
      await new Promise((r) => setImmediate(r));
    }
    await w.close();

    expect(logDirectory(url)).toBe(`${url.slice("file:".length)}-logs`);
    expect(readFileSync(file(runId), "utf8")).toBe(text);
    expect(statSync(file(runId)).mode & 0o777).toBe(0o600);
    const rows = await db.logChunk.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(rows.length).toBeGreaterThan(1);
    // The rows hold where each chunk is, not its bytes; one after the other.
    let offset = 0;
    for (const row of rows) {
      expect(row.data.length).toBe(0);
      expect(Number(row.offset)).toBe(offset);
      offset += row.size;
    }
    expect(offset).toBe(Buffer.byteLength(text));

    // Everything that reads logs reads the file by range.
    expect((await storedLog(db, runId)).text).toBe(text);
    const lines = text.split("\n").slice(0, -1);
    expect((await readLines(db, runId, 250, 253)).lines.map((l) => l.text)).toEqual(lines.slice(250, 253));
    expect((await searchLog(db, runId, "line 499:")).matches).toEqual([499]);
  });

  it("reads logs stored in rows before log files, and a log that is partly in rows, partly in its file", async () => {
    const runId = await newRun();
    const at = new Date();
    await db.logChunk.create({
      data: { runId, seq: 1, stream: "stdout", data: Buffer.from("from a row\n"), at, newlines: 1, size: 11 },
    });
    await db.run.update({ where: { id: runId }, data: { logSeq: 1, logBytes: 11, logLines: 1 } });
    const data = Buffer.from("from the file\n");
    await chunks.store(runId, [{ seq: 2, stream: "stdout", data, at, lineStart: 1, newlines: 1 }], {
      seq: 2,
      bytes: data.length,
      lines: 2,
      truncated: false,
      holder: null,
    });
    await chunks.finish(runId);
    expect((await storedLog(db, runId)).text).toBe("from a row\nfrom the file\n");
    expect((await readLines(db, runId, 0, 2)).lines.map((l) => l.text)).toEqual([
      "from a row",
      "from the file",
    ]);
  });

  it("overwrites bytes a crash left past the committed index, and never shows them", async () => {
    const runId = await newRun();
    const first = writer(runId);
    first.write("stdout", Buffer.from("committed\n"));
    await first.close();
    // A worker died between writing a batch to the file and committing its index.
    appendFileSync(file(runId), "GARBAGE NOBODY INDEXED\n");
    expect((await storedLog(db, runId)).text).toBe("committed\n");

    const next = new RunLogWriter(
      chunks,
      () => undefined,
      runId,
      { holder: null, flushMs: 5, flushBytes: 64, capBytes: 1024, bufferBytes: 1024 },
      1,
    );
    next.write("stdout", Buffer.from("next\n"));
    await next.close();
    expect((await storedLog(db, runId)).text).toBe("committed\nnext\n");
    expect(readFileSync(file(runId), "utf8").startsWith("committed\nnext\n")).toBe(true);
  });

  it("writes nothing of a worker that no longer holds the run", async () => {
    const runId = await newRun("in_progress", "another-worker");
    await expect(
      chunks.store(
        runId,
        [
          {
            seq: 1,
            stream: "stdout",
            data: Buffer.from("late\n"),
            at: new Date(),
            lineStart: 0,
            newlines: 1,
          },
        ],
        { seq: 1, bytes: 5, lines: 1, truncated: false, holder: "this-worker" },
      ),
    ).rejects.toBeInstanceOf(FencedError);
    await chunks.finish(runId);
    expect(await readChunks(db, runId, 0)).toEqual([]);
    expect(() => statSync(file(runId))).toThrow(/ENOENT/);
  });
});
