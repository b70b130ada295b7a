/**
 * `npm start`: one command from a fresh clone to a working console. Migrates
 * the database (SQLite by default), seeds the demo when the database is
 * empty, builds the console when the sources changed, then starts two
 * processes: the console (Next.js) and one worker (`runops worker`), which
 * alone executes commands. Ctrl-C stops both (the worker drains first).
 */
import { randomBytes } from "node:crypto";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { createDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { serverEnv } from "../lib/env";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../lib/seed/seed-demo";

const root = process.cwd();
const dev = process.argv.includes("--dev");
const env = serverEnv();
const port = String(env.PORT);
const host = env.HOST;

// What the console and the worker inherit.
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.DATABASE_URL = env.DATABASE_URL;
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
// runops' own files (database, session secret, event socket) are for runops' user only.
process.umask(0o077);
const dataDir = path.resolve(root, env.RUNOPS_DATA_DIR);
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
chmodSync(dataDir, 0o700);
if (!env.NEXTAUTH_SECRET) {
  // A secret per installation, kept beside the SQLite file: sessions survive restarts.
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}

const url = env.DATABASE_URL;
const { applied } = await migrate(url);
if (applied.length > 0) console.log(`runops: applied migrations ${applied.join(", ")}`);
const db = createDb(url);
// RUNOPS_SEED_DEMO=0 (production installs): an empty database gets the first-start page instead.
const seedWanted = env.RUNOPS_SEED_DEMO === "1";
const empty = (await db.user.count()) === 0;
const seeded = empty && seedWanted ? await seedDemo(db, root) : false;
await db.$disconnect();

const next = path.join(root, "node_modules", ".bin", "next");
if (!dev && buildIsStale()) {
  console.log("runops: building the console (first start or sources changed)…");
  const build = spawnSync(next, ["build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// glibc gives each thread that allocates an arena of its own and keeps what was freed in them: two
// arenas hold the console's and the worker's native memory ~30–70 MB lower under load (bench P3).
process.env.MALLOC_ARENA_MAX ??= "2";

const server = spawn(
  process.execPath,
  ["--import", "tsx", "scripts/console.ts", ...(dev ? ["--dev"] : []), "-p", port, "-H", host],
  { stdio: ["inherit", "pipe", "inherit"], env: process.env },
);
console.log(`runops: console started (pid ${server.pid})`);
let announced = false;
server.stdout?.on("data", (d: Buffer) => {
  process.stdout.write(d);
  if (!announced && /Ready|started server|Local:/i.test(d.toString())) {
    announced = true;
    console.log(`\nrunops is ready: open http://localhost:${port}`);
    if (empty && !seeded) {
      console.log(`No account yet: open http://localhost:${port}/setup to create the first admin.`);
      return;
    }
    if (!seedWanted) return;
    if (seeded) console.log("A demo project was created. Sign in with one of:");
    else console.log("Demo users (if you kept the demo):");
    for (const u of DEMO_USERS)
      console.log(`  ${u.email.padEnd(22)} password ${DEMO_PASSWORD}   (${u.note})`);
  }
});

// The worker gets no session secret: it has no use for one, and what it holds a command might try to read.
const workerEnv: NodeJS.ProcessEnv = { ...process.env };
delete workerEnv.NEXTAUTH_SECRET;
let stopping = false;
let worker = startWorker();

function startWorker(): ChildProcess {
  // tsx as a loader in the worker's own process (its CLI would put a second process in between).
  // Its own process group: a terminal's Ctrl-C reaches this script, which asks the worker to
  // drain once (a second Ctrl-C cancels its runs). The stdin pipe ends it should this script die.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--exit-with-parent"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: workerEnv,
    detached: true,
  });
  console.log(`runops: worker started (pid ${child.pid})`);
  let rest = "";
  child.stdout?.on("data", (d: Buffer) => {
    const lines = (rest + d.toString()).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line) console.log(`[worker] ${readableLogLine(line)}`);
  });
  child.on("exit", (code, signal) => {
    if (stopping) return maybeExit();
    // Stopped on purpose (SIGTERM drains, exits 0): the console keeps serving, runs wait.
    if (code === 0)
      return console.log("runops: the worker stopped; runs wait until a worker runs (npm run worker)");
    console.log(`runops: the worker ended (${signal ?? `code ${code}`}); starting a new one in 1 s`);
    setTimeout(() => {
      if (!stopping) worker = startWorker();
    }, 1000).unref();
  });
  return child;
}

/** pino's JSON lines, as a person reads them in a terminal. */
function readableLogLine(line: string): string {
  try {
    const o = JSON.parse(line) as {
      level?: number;
      msg?: string;
      runId?: string;
      err?: { message?: string };
    };
    const level = (o.level ?? 30) >= 50 ? "error " : (o.level ?? 30) >= 40 ? "warn " : "";
    const run = o.runId ? ` (run ${o.runId})` : "";
    return `${level}${o.msg ?? line}${run}${o.err?.message ? `: ${o.err.message}` : ""}`;
  } catch {
    return line;
  }
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
function maybeExit() {
  if (!alive(server) && !alive(worker)) process.exit(0);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl-C: the worker cancels its runs now.
      worker.kill("SIGTERM");
      return;
    }
    stopping = true;
    console.log("\nrunops: stopping the console and the worker (the worker lets running runs finish first)…");
    server.kill("SIGTERM");
    worker.kill("SIGTERM");
  });
}
server.on("exit", (code) => {
  if (!stopping) {
    stopping = true;
    console.log(`runops: the console ended (code ${code}); stopping the worker`);
    worker.kill("SIGTERM");
  }
  maybeExit();
});

function buildIsStale(): boolean {
  const stamp = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newer = (p: string): boolean => {
    const s = statSync(p);
    if (s.isDirectory()) {
      return readdirSync(p).some((name) => name !== "generated" && newer(path.join(p, name)));
    }
    return s.mtimeMs > built;
  };
  return [
    "app",
    "components",
    "lib",
    "next.config.ts",
    "instrumentation.ts",
    "instrumentation-client.ts",
    "proxy.ts",
    "package-lock.json",
  ]
    .map((p) => path.join(root, p))
    .some((p) => existsSync(p) && newer(p));
}
