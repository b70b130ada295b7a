/**
 * P2 — a command printing 256 MiB: the run complete with the full log stored.
 * Baseline: the same command writing to a file.
 * Goal: ≤ 1.5× the baseline; the stored bytes' sha256 (GET log, Accept: text/plain) equals the
 * produced bytes' sha256.
 *
 * P2-pg (`p2-pg`) — the same run on the PostgreSQL set-up (console + worker with
 * DATABASE_URL=postgresql://…, the server from tests/support/postgres.ts: fsync off, as P5 and P7).
 * Baseline: the same command's stdout read by one Node client and written with `COPY … FROM
 * STDIN (FORMAT binary)` into a table `(seq integer, data bytea)` in ~1 MiB rows, on the same
 * PostgreSQL server (its own database): from the spawn to COPY's completion (committed). The table
 * is an ordinary one, like LogChunk (WAL-logged, the default TOAST compression): a temporary table
 * would skip the WAL and flatter the baseline. Goal: ≤ 1.3× of it, and the same sha256 check.
 *
 * runops time: from before the POST (client clock) to the run's `finishedAt` (the server's clock,
 * the same machine), which is recorded after the last batch is stored. Completion is polled every
 * 250 ms, outside the measure. Baseline and runops alternate.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, rmSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createDatabase, startPostgres } from "../tests/support/postgres";
import { bareSpawn, commandEnv, linesCommand } from "./support/baseline";
import { onCleanup } from "./support/cleanup";
import { type Fixture, createFixture } from "./support/fixture";
import { Api } from "./support/http";
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, copyFrom, copyTupleHeader } from "./support/pg-copy";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { MiB, ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, type Row, verdict } from "./support/types";

const BYTES = 256 * MiB;
const COMMAND = linesCommand(BYTES);
const ROW_BYTES = MiB;

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The produced bytes' sha256: the command's stdout, once. */
async function sha256Output(cwd: string): Promise<string> {
  const hash = createHash("sha256");
  const bare = await bareSpawn(COMMAND, cwd, (d) => hash.update(d));
  if (bare.exitCode !== 0) throw new Error("the command failed");
  return hash.digest("hex");
}

/** One run through the API: time to `finishedAt`, then the whole log downloaded and hashed. */
async function runopsOnce(api: Api, fx: Fixture, expected: string) {
  const wallStart = Date.now();
  const run = await api.trigger(fx.project, "main", "print-256m");
  const done = await api.waitForEnd(run.id, { everyMs: 250 });
  const finished = Date.parse(done.finishedAt ?? "");
  const hash = createHash("sha256");
  let got = 0;
  const dl0 = performance.now();
  await api.downloadLog(run.id, (d) => {
    got += d.length;
    hash.update(d);
  });
  const download = performance.now() - dl0;
  const digest = hash.digest("hex");
  const ok = done.result === "success" && done.logBytes === BYTES && got === BYTES && digest === expected;
  return {
    run: run.id,
    ms: finished - wallStart,
    createdToStarted: Date.parse(done.startedAt ?? "") - Date.parse(done.createdAt),
    startedToFinished: finished - Date.parse(done.startedAt ?? ""),
    result: done.result,
    logBytes: done.logBytes,
    downloadedBytes: got,
    downloadMs: Math.round(download),
    sha256: digest,
    expectedSha256: expected,
    ok,
  };
}

function rows(
  id: string,
  label: string,
  runops: number[],
  base: number[],
  goal: number,
  integrity: boolean,
  expected: string,
): Row[] {
  const r = summarize(runops);
  const b = summarize(base);
  const throughput = (BYTES / MiB / (r.median / 1000)).toFixed(0);
  const n = runops.length;
  return [
    {
      id,
      measure: `256 MiB run${label}, complete and stored, median (n=${n})`,
      runops: `${ms(r.median)} (${throughput} MiB/s)`,
      baseline: ms(b.median),
      goal: `${ratio(r.median, b.median)} · goal ≤ ${goal}×`,
      verdict: verdict(r.median <= goal * b.median),
    },
    {
      id,
      measure: `256 MiB run${label}, worst of ${n}`,
      runops: ms(r.max),
      baseline: ms(b.max),
      goal: `${ratio(r.max, b.max)} · (p99 = max at n=${n})`,
      verdict: "info",
    },
    {
      id,
      measure: `sha256 of the stored log = sha256 of the output${label}`,
      runops: integrity ? "equal" : "DIFFERENT",
      baseline: `${expected.slice(0, 12)}…`,
      goal: "equal, every run",
      verdict: verdict(integrity),
    },
  ];
}

export const p2: Benchmark = {
  id: "p2",
  title: "256 MiB of output: run complete with the full log stored",
  async run(ctx: BenchContext) {
    const server = await startServer({ source: ctx.source, name: "p2", cpuProfileDir: ctx.cpuProfileDir });
    const fx = await createFixture(server, ctx.source, { "print-256m": COMMAND });
    const api = new Api(server.url, fx.token);
    const file = path.join(server.tmpDir, "baseline.out");
    try {
      const reps = ctx.quick ? 1 : 3;
      ctx.log(`${reps} × (bare command > file, then the same command as a run); sha256 checked every time`);
      const base: number[] = [];
      const runops: number[] = [];
      const details: Array<Record<string, unknown>> = [];
      let expected = "";
      let integrity = true;
      for (let i = 0; i < reps; i++) {
        const bare = await bareSpawn(`${COMMAND} > ${file}`, fx.appDir);
        if (bare.exitCode !== 0) throw new Error("baseline command failed");
        base.push(bare.exitedAt - bare.startedAt);
        if (statSync(file).size !== BYTES) throw new Error(`baseline wrote ${statSync(file).size} bytes`);
        expected ||= await sha256File(file);
        rmSync(file);

        const detail = await runopsOnce(api, fx, expected);
        runops.push(detail.ms);
        integrity &&= detail.ok;
        details.push(detail);
        ctx.log(
          `rep ${i + 1}: bare ${ms(base[i] ?? NaN)}, runops ${ms(detail.ms)} ` +
            `(download ${ms(detail.downloadMs)}, ${detail.ok ? "sha256 equal" : "INTEGRITY FAILURE"})`,
        );
      }
      let dbBytes: number | null = null;
      try {
        dbBytes = statSync(new URL(server.databaseUrl.replace(/^file:/, "file://")).pathname).size;
      } catch {
        dbBytes = null;
      }
      return {
        rows: rows("P2", "", runops, base, 1.5, integrity, expected),
        data: {
          reps,
          bytes: BYTES,
          command: COMMAND,
          runops: summarize(runops),
          baseline: summarize(base),
          details,
          dbBytes,
        },
      };
    } finally {
      api.close();
      await fx.close();
      await server.stop();
    }
  },
};

/**
 * The baseline of P2-pg: spawn the command, read its stdout (with back-pressure) and COPY it into
 * `bench_copy` in rows of ≥ 1 MiB (the pipe's reads as they came, up to one read past 1 MiB;
 * runops' chunks are ≤ 1 MiB). Each read goes out as CopyData as it is, without concatenation.
 */
async function copyOnce(
  client: pg.Client,
  cwd: string,
): Promise<{ ms: number; rows: number; bytes: number }> {
  await client.query("TRUNCATE bench_copy");
  const t0 = performance.now();
  let seq = 0;
  const copied = await copyFrom(
    client,
    "COPY bench_copy (seq, data) FROM STDIN (FORMAT binary)",
    async (write) => {
      await write(COPY_BINARY_HEADER);
      const child = spawn("/bin/sh", ["-c", COMMAND], {
        cwd,
        env: commandEnv() as NodeJS.ProcessEnv,
        detached: true,
        stdio: ["ignore", "pipe", "ignore"],
      });
      const exited = new Promise<number | null>((resolve, reject) => {
        child.once("error", reject);
        child.once("close", resolve);
      });
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        await write(copyTupleHeader(seq++, pendingBytes));
        for (const piece of pending) await write(piece);
        pending = [];
        pendingBytes = 0;
      };
      for await (const data of child.stdout) {
        const piece = data as Buffer;
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes >= ROW_BYTES) await flush();
      }
      await flush();
      await write(COPY_BINARY_TRAILER);
      const code = await exited;
      if (code !== 0) throw new Error(`the command exited with ${code}`);
    },
  );
  const elapsed = performance.now() - t0;
  const stored = await client.query<{ bytes: string }>(
    "SELECT coalesce(sum(length(data)), 0)::text AS bytes FROM bench_copy",
  );
  return { ms: elapsed, rows: copied, bytes: Number(stored.rows[0]?.bytes ?? 0) };
}

export const p2pg: Benchmark = {
  id: "p2-pg",
  title: "256 MiB of output on PostgreSQL: run complete with the full log stored, against COPY",
  async run(ctx: BenchContext) {
    const postgres = await startPostgres();
    const stopPg = onCleanup("PostgreSQL", () => postgres.stop());
    try {
      const server = await startServer({
        source: ctx.source,
        name: "p2-pg",
        databaseUrl: postgres.url,
        cpuProfileDir: ctx.cpuProfileDir,
      });
      const fx = await createFixture(server, ctx.source, { "print-256m": COMMAND });
      const api = new Api(server.url, fx.token);
      const copyUrl = await createDatabase(postgres.url, "p2_copy");
      const client = new pg.Client({ connectionString: copyUrl });
      await client.connect();
      try {
        await client.query("CREATE TABLE bench_copy (seq integer NOT NULL, data bytea NOT NULL)");
        const reps = ctx.quick ? 1 : 3;
        ctx.log(
          `${reps} × (the command COPYed into PostgreSQL, then the same command as a run); sha256 checked`,
        );
        const expected = await sha256Output(fx.appDir);
        const base: number[] = [];
        const runops: number[] = [];
        const details: Array<Record<string, unknown>> = [];
        const copies: Array<Record<string, unknown>> = [];
        let integrity = true;
        for (let i = 0; i < reps; i++) {
          const copy = await copyOnce(client, fx.appDir);
          if (copy.bytes !== BYTES) throw new Error(`the COPY baseline stored ${copy.bytes} bytes`);
          base.push(copy.ms);
          copies.push(copy);
          const detail = await runopsOnce(api, fx, expected);
          runops.push(detail.ms);
          integrity &&= detail.ok;
          details.push(detail);
          ctx.log(
            `rep ${i + 1}: COPY ${ms(copy.ms)} (${copy.rows} rows), runops ${ms(detail.ms)} ` +
              `(download ${ms(detail.downloadMs)}, ${detail.ok ? "sha256 equal" : "INTEGRITY FAILURE"})`,
          );
        }
        return {
          rows: rows("P2-pg", " on PostgreSQL", runops, base, 1.3, integrity, expected),
          data: {
            reps,
            bytes: BYTES,
            command: COMMAND,
            rowBytes: ROW_BYTES,
            runops: summarize(runops),
            baseline: summarize(base),
            details,
            copies,
          },
        };
      } finally {
        await client.end();
        api.close();
        await fx.close();
        await server.stop();
      }
    } finally {
      await stopPg();
    }
  },
};

runStandalone(p2, import.meta.url);
