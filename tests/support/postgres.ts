// A throwaway PostgreSQL server for tests: initdb into a temp dir, listen on a
// free 127.0.0.1 port (and a unix socket in that dir), fsync off. Takes a
// couple of seconds. Needs the server binaries (initdb, pg_ctl, postgres),
// from PATH, /usr/local/bin or /usr/lib/postgresql/<version>/bin; as root,
// installs them with apt-get when missing. Runs the server as the `postgres`
// OS user when started as root (initdb refuses to run as root).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chownSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface TestPostgres {
  /** postgresql:// URL of a fresh, empty database on the server. */
  url: string;
  stop(): Promise<void>;
}

interface PgBinaries {
  initdb: string;
  pgCtl: string;
}

const INSTALL_HINT =
  "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them " +
  "(Debian/Ubuntu: `apt-get install -y postgresql`) or set RUNOPS_TEST_PG_URL to an existing server.";

function findBinaries(): PgBinaries | undefined {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  dirs.push("/usr/local/bin");
  const versioned = "/usr/lib/postgresql";
  if (existsSync(versioned)) {
    const versions = readdirSync(versioned)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => path.join(versioned, v, "bin")));
  }
  for (const dir of dirs) {
    const initdb = path.join(dir, "initdb");
    const pgCtl = path.join(dir, "pg_ctl");
    if (existsSync(initdb) && existsSync(pgCtl) && existsSync(path.join(dir, "postgres"))) {
      return { initdb, pgCtl };
    }
  }
  return undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function ensureBinaries(): PgBinaries {
  const found = findBinaries();
  if (found) return found;
  if (!isRoot() || !existsSync("/usr/bin/apt-get")) throw new Error(INSTALL_HINT);
  const install = () =>
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
      stdio: "pipe",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  try {
    install();
  } catch {
    try {
      execFileSync("apt-get", ["update"], { stdio: "pipe" });
      install();
    } catch (error) {
      throw new Error(
        `${INSTALL_HINT} (apt-get failed: ${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  const installed = findBinaries();
  if (!installed) throw new Error(INSTALL_HINT);
  return installed;
}

/** uid/gid of the `postgres` OS user, when we are root and must drop privileges. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error("Running as root but there is no `postgres` OS user to run the test server as.");
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", LANG: "C" },
      ...(user ?? {}),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(file)} ${args.join(" ")} exited with ${code}:\n${output}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Starts a PostgreSQL server in a fresh temp dir and creates a database
 * `runops_test` on it. `stop()` shuts the server down (fast mode) and deletes
 * the dir. A process that dies without calling stop() leaves the server
 * running (`pg_ctl -D <its temp dir>/data stop` ends it).
 */
export async function startPostgres(): Promise<TestPostgres> {
  const { initdb, pgCtl } = ensureBinaries();
  const user = serverUser();
  const dir = mkdtempSync(path.join(tmpdir(), "runops-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  const cleanup = () => rmSync(dir, { recursive: true, force: true });

  try {
    await run(
      initdb,
      ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
      user,
    );
  } catch (error) {
    cleanup();
    throw error;
  }

  let port = 0;
  let started = false;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freePort();
    const options = [
      "-c listen_addresses=127.0.0.1",
      `-p ${port}`,
      `-k ${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    try {
      await run(pgCtl, ["-D", dataDir, "-l", logFile, "-w", "-t", "30", "-o", options, "start"], user);
      started = true;
    } catch (error) {
      lastError = error;
    }
  }
  if (!started) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
    cleanup();
    throw new Error(`Could not start the test PostgreSQL server: ${String(lastError)}\n${log}`);
  }

  const stop = async () => {
    try {
      await run(pgCtl, ["-D", dataDir, "-m", "fast", "-w", "stop"], user);
    } finally {
      cleanup();
    }
  };
  try {
    const serverUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const url = await createDatabase(serverUrl, "runops_test", { unique: false });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Creates a fresh, empty database on the server `baseUrl` points to and
 * returns its URL, so that each test file can work in its own database. The
 * name gets a random suffix (unless `unique: false`), so parallel runs against
 * one shared server do not collide; a database of the same name is dropped first.
 */
export async function createDatabase(
  baseUrl: string,
  name: string,
  options: { unique?: boolean } = {},
): Promise<string> {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .slice(0, 40) || "test";
  const database = options.unique === false ? base : `${base}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}"`);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return withDatabase(baseUrl, database);
}

/**
 * The PostgreSQL server tests should use: $RUNOPS_TEST_PG_URL, else the URL a
 * vitest globalSetup provided as `postgresUrl`, else a server started here
 * (stop it in afterAll). Pass vitest's `inject` to read the provided URL.
 */
export async function testPostgres(provided?: string): Promise<{ url: string; stop(): Promise<void> }> {
  const existing = process.env.RUNOPS_TEST_PG_URL || provided;
  if (existing) return { url: existing, stop: async () => undefined };
  return startPostgres();
}
