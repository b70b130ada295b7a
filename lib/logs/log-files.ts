import { open } from "node:fs/promises";
import path from "node:path";
import { databaseProvider, sqliteFilePath } from "../db/url";

/**
 * Where the embedded set-up keeps log bytes: a file per run in a directory
 * beside the SQLite database (`runops.db` → `runops.db-logs/`, as SQLite names
 * its own `-wal` and `-shm`), so whoever has the database has its logs. On
 * PostgreSQL (and for an in-memory database) logs stay in rows: null.
 * Decision 0013.
 */
export function logDirectory(url: string): string | null {
  if (databaseProvider(url) !== "sqlite") return null;
  const file = sqliteFilePath(url);
  return file === ":memory:" ? null : `${file}-logs`;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The run's log file (run ids are checked: they name a file). */
export function logFilePath(dir: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
  return path.join(dir, `${runId}.log`);
}

/**
 * `length` bytes of the run's log file from `offset`: fewer when the file is
 * shorter (bytes that a power loss kept from the disk although their index
 * was committed), none when it does not exist.
 */
export async function readLogRange(dir: string, runId: string, offset: number, length: number) {
  let file;
  try {
    file = await open(logFilePath(dir, runId), "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await file.read(buffer, got, length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === length ? buffer : buffer.subarray(0, got);
  } finally {
    await file.close();
  }
}
