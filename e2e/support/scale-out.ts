// A runops installation spread out as it would be over several hosts: one PostgreSQL server, two
// console processes and two `runops worker` processes, each with a data directory of its own,
// meeting only through the database (and its LISTEN/NOTIFY run event channel). Used by
// e2e/scale-out.spec.ts; it starts every process itself and ends every one in stop().
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Actor } from "../../lib/access/actor";
import { hashPassword } from "../../lib/auth/password";
import { type Db, createDb } from "../../lib/db/client";
import { migrate } from "../../lib/db/migrate";
import { deployEnvironment } from "../../lib/deployments/deploy-environment";
import { openContainment } from "../../lib/executor/open-containment";
import { newId } from "../../lib/ids";
import { type RunView, runViewSchema } from "../../lib/runs/run-view";
import { createApiToken } from "../../lib/tokens/create-api-token";
import { type TestPostgres, startPostgres } from "../../tests/support/postgres";
import { processesMatching } from "../../tests/support/processes";
import { type WorkerProcess, killWorkers, spawnWorker } from "../../tests/support/worker-process";

const ROOT = path.resolve(import.meta.dirname, "../..");

export const PROJECT = "fleet";
export const ENVIRONMENT = "main";
export const APP = "app";
export const USER = { email: "ops@example.com", name: "Olga Ops", password: "scale-out-password" };

/** Lines each payload operation prints. */
export const PAYLOAD_LINES = 200;
export const payloadOperation = (i: number) => `op-${String(i).padStart(2, "0")}`;
/** Exactly what a payload operation's run prints: its own id on every line. */
export const payloadLog = (operation: string, runId: string) =>
  Array.from({ length: PAYLOAD_LINES }, (_, i) => `${operation} ${runId} line ${i + 1}\n`).join("");

export const holdOperation = (i: number) => `hold-${i}`;
/** What a hold operation prints before it waits, and after it was released. */
export const holdStarted = (operation: string) => `${operation} started\n`;
export const HOLD_RELEASED = "released\n";

/** What `follow` prints before its pause, and after it was released. */
export const FOLLOW_PART_1 = ["part 1: line 1", "part 1: line 2", "part 1: line 3"];
export const FOLLOW_PART_2 = ["part 2: line 1", "part 2: the end"];

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
  what: string,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= until) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : "";
      throw new Error(`timed out after ${ms} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T, i);
      }
    }),
  );
  return results;
}

export function freePort(): Promise<number> {
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

/** Config of the target: 20 payload operations, 8 hold operations and `follow`, all on one app. */
function configYaml(records: string, releases: string, holds: number): string {
  const op = (name: string, script: string) =>
    `      ${name}:\n        commands:\n          start: |\n${script
      .trim()
      .split("\n")
      .map((l) => `            ${l.trim()}`)
      .join("\n")}\n`;
  // Every spawn appends "start <run id>" to its operation's record file, and "end <run id>" when
  // it is done: what actually ran, counted on the host, independent of what the database says.
  const start = (name: string) => `echo "start $RUNOPS_RUN_ID" >> ${records}/${name}`;
  const end = (name: string) => `echo "end $RUNOPS_RUN_ID" >> ${records}/${name}`;
  const wait = `while [ ! -e ${releases}/$RUNOPS_RUN_ID ]; do sleep 0.1; done`;
  let ops = "";
  for (let i = 1; i <= 20; i++) {
    const name = payloadOperation(i);
    // A short pause mid-way: a second run of the queue started beside this one would show in
    // the records as two starts in a row.
    ops += op(
      name,
      `set -e
      ${start(name)}
      i=1; while [ $i -le ${PAYLOAD_LINES / 2} ]; do echo "${name} $RUNOPS_RUN_ID line $i"; i=$((i+1)); done
      sleep 0.05
      while [ $i -le ${PAYLOAD_LINES} ]; do echo "${name} $RUNOPS_RUN_ID line $i"; i=$((i+1)); done
      ${end(name)}`,
    );
  }
  for (let i = 1; i <= holds; i++) {
    const name = holdOperation(i);
    ops += op(
      name,
      `set -e
      ${start(name)}
      echo "${name} started"
      ${wait}
      echo "released"
      ${end(name)}`,
    );
  }
  ops += op(
    "follow",
    `set -e
    ${start("follow")}
    ${FOLLOW_PART_1.map((l) => `echo "${l}"`).join("\n")}
    ${wait}
    ${FOLLOW_PART_2.map((l) => `echo "${l}"`).join("\n")}
    ${end("follow")}`,
  );
  return `applications:\n  ${APP}:\n    source:\n      root: app\n    operations:\n${ops}`;
}

/** The console's HTTP API as a script uses it: a bearer token, JSON, the run views checked by their schema. */
export class ConsoleApi {
  constructor(
    readonly origin: string,
    private readonly token: string,
  ) {}

  private async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${this.origin}/api/v1${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${this.token}`, ...init.headers },
    });
    if (!res.ok) {
      throw new Error(`${init.method ?? "GET"} ${this.origin}${pathname}: ${res.status} ${await res.text()}`);
    }
    return res;
  }

  /** Triggers an operation: the pending run. */
  async trigger(operation: string): Promise<RunView> {
    const res = await this.request(`/projects/${PROJECT}/environments/${ENVIRONMENT}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operation }),
    });
    if (res.status !== 202) throw new Error(`trigger ${operation}: ${res.status}, not 202`);
    return runViewSchema.parse(await res.json());
  }

  async run(id: string): Promise<RunView> {
    return runViewSchema.parse(await (await this.request(`/runs/${id}`)).json());
  }

  /** Every run of the environment, newest first (all pages). */
  async runs(): Promise<RunView[]> {
    const all: RunView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await this.request(
        `/projects/${PROJECT}/environments/${ENVIRONMENT}/runs?limit=200${query}`,
      );
      const page = (await res.json()) as { runs: unknown[]; nextCursor: string | null };
      all.push(...page.runs.map((r) => runViewSchema.parse(r)));
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** The whole stored log, as the bytes the command printed. */
  async log(id: string): Promise<string> {
    const res = await this.request(`/runs/${id}/log`, { headers: { accept: "text/plain" } });
    return res.text();
  }
}

export type ConsoleProcess = {
  name: string;
  origin: string;
  pid: number;
  api: ConsoleApi;
  stop(): Promise<void>;
};

export type ScaleOutWorker = { name: string; dataDir: string; process: WorkerProcess };

const ended = (state: string) => state === "complete" || state === "cancelled";

/**
 * The installation. Build it, then start() it; stop() ends whatever start()
 * got to, also when start() failed half-way.
 */
export class ScaleOut {
  readonly heartbeatMs: number;
  /** Everything of this installation on disk: data directories, target, records, process logs. */
  readonly root = mkdtempSync(path.join(tmpdir(), "runops-scale-out-"));
  /** Where operations record their spawns: one file per operation. */
  readonly records = path.join(this.root, "records");
  /** A file named after a run id here lets the run's `wait` go on. */
  readonly releases = path.join(this.root, "releases");
  readonly target = path.join(this.root, "target");
  readonly holds = 8;
  pg: TestPostgres | null = null;
  db: Db | null = null;
  url = "";
  token = "";
  consoles: ConsoleProcess[] = [];
  workers: ScaleOutWorker[] = [];
  private readonly secrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    RUNOPS_SECRET_KEY: randomBytes(32).toString("base64"),
  };

  constructor(opts: { heartbeatMs: number }) {
    this.heartbeatMs = opts.heartbeatMs;
    for (const dir of [
      this.records,
      this.releases,
      path.join(this.target, ".upsun"),
      path.join(this.target, "app"),
    ]) {
      mkdirSync(dir, { recursive: true });
    }
    mkdirSync(path.join(this.root, "logs"));
  }

  get a(): ConsoleProcess {
    return this.console(0);
  }
  get b(): ConsoleProcess {
    return this.console(1);
  }
  private console(i: number): ConsoleProcess {
    const c = this.consoles[i];
    if (!c) throw new Error(`console ${i + 1} is not running`);
    return c;
  }
  /** The latest worker process of that name. */
  worker(name: string): ScaleOutWorker {
    const w = this.workers.findLast((x) => x.name === name);
    if (!w) throw new Error(`no worker ${name}`);
    return w;
  }

  async start() {
    this.pg = await startPostgres();
    this.url = this.pg.url;
    await migrate(this.url);
    this.db = createDb(this.url);
    await this.seed();
    this.consoles = await Promise.all(["console-a", "console-b"].map((name) => this.startConsole(name)));
    for (const name of ["worker-1", "worker-2"]) await this.startWorker(name);
  }

  /** The user with a token, the project, and its environment deployed from the generated config. */
  private async seed() {
    const db = this.requireDb();
    writeFileSync(
      path.join(this.target, ".upsun", "config.yaml"),
      configYaml(this.records, this.releases, this.holds),
    );
    const user = await db.user.create({
      data: {
        id: newId(),
        email: USER.email,
        name: USER.name,
        passwordHash: await hashPassword(USER.password),
      },
    });
    const actor: Actor = { userId: user.id, email: user.email, name: user.name, source: "console" };
    const project = await db.project.create({ data: { id: newId(), slug: PROJECT, name: "Fleet" } });
    await db.membership.create({
      data: { id: newId(), projectId: project.id, userId: user.id, projectRole: "admin" },
    });
    const env = await db.environment.create({
      data: {
        id: newId(),
        projectId: project.id,
        name: ENVIRONMENT,
        type: "production",
        targetPath: this.target,
      },
    });
    const deployed = await deployEnvironment(db, env.id, user.id);
    if (!deployed.ok) throw new Error(`the generated config does not deploy:\n${deployed.error}`);
    this.token = (await createApiToken(db, actor, { name: "scale-out", expiresInDays: 1 })).secret;
  }

  requireDb(): Db {
    if (!this.db) throw new Error("the database is not up");
    return this.db;
  }

  private dataDir(name: string): string {
    const dir = path.join(this.root, name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * `node --import tsx scripts/console.ts`, as scripts/start.ts starts it (umask 077, its own
   * data directory, the shared secrets), without the migration and seeding done here already.
   */
  private async startConsole(name: string): Promise<ConsoleProcess> {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: process.env.HOME ?? "/root",
      LANG: "C.UTF-8",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: this.url,
      RUNOPS_DATA_DIR: this.dataDir(name),
      NEXTAUTH_URL: origin,
      RUNOPS_HEARTBEAT_MS: String(this.heartbeatMs),
      RUNOPS_SEED_DEMO: "0",
      RUNOPS_LOG_LEVEL: "info",
      ...this.secrets,
    };
    const logFile = path.join(this.root, "logs", `${name}.log`);
    const out = createWriteStream(logFile);
    // scripts/start.ts sets this umask before it starts the console: runops' files are its user's only.
    const umask = process.umask(0o077);
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ["--import", "tsx", "scripts/console.ts"], {
        cwd: ROOT,
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } finally {
      process.umask(umask);
    }
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const alive = () => child.exitCode === null && child.signalCode === null;
    const stop = async () => {
      if (alive()) {
        child.kill("SIGTERM");
        const quit = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
        if (!quit) child.kill("SIGKILL");
      }
      await exited;
      out.end();
    };
    const proc: ConsoleProcess = {
      name,
      origin,
      pid: child.pid ?? -1,
      api: new ConsoleApi(origin, this.token),
      stop,
    };
    // Registered before it is ready, so that stop() ends it even when it never gets there.
    this.consoles.push(proc);
    await waitFor(
      async () => {
        if (!alive()) throw new Error(`${name} exited:\n${readFileSync(logFile, "utf8")}`);
        const res = await fetch(`${origin}/api/health`);
        return res.ok && ((await res.json()) as { ok?: boolean }).ok === true;
      },
      60_000,
      `${name} to answer /api/health`,
      200,
    ).catch((error: unknown) => {
      if (!alive()) throw new Error(`${name} exited:\n${readFileSync(logFile, "utf8")}`);
      throw error;
    });
    return proc;
  }

  /** `runops worker` (tests/support/worker-process.ts) with its own data directory and the short heartbeat. */
  async startWorker(name: string): Promise<ScaleOutWorker> {
    const dataDir = this.dataDir(name);
    const proc = spawnWorker({
      url: this.url,
      socketPath: path.join(dataDir, "run-events.sock"),
      env: {
        RUNOPS_WORKER_NAME: name,
        RUNOPS_DATA_DIR: dataDir,
        RUNOPS_HEARTBEAT_MS: String(this.heartbeatMs),
        RUNOPS_WORKER_CONCURRENCY: "4",
        RUNOPS_WORKER_DRAIN_MS: "1000",
        RUNOPS_SECRET_KEY: this.secrets.RUNOPS_SECRET_KEY,
      },
    });
    const worker = { name, dataDir, process: proc };
    // A worker started again under its name comes last; the one before stays listed (its logs).
    this.workers.push(worker);
    await proc.waitForLog("worker started", 30_000);
    return worker;
  }

  /** Lets the run's `wait` go on. */
  release(runId: string) {
    writeFileSync(path.join(this.releases, runId), "");
  }

  /** The spawn records of an operation: ["start <id>", "end <id>", …] in the order they happened. */
  recordsOf(operation: string): string[] {
    const file = path.join(this.records, operation);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  }

  /** Polls (through console A) until every run of `ids` ended; returns their views. */
  async waitForEnd(ids: string[], ms: number): Promise<RunView[]> {
    return waitFor(
      async () => {
        const runs = await mapLimit(ids, 8, (id) => this.a.api.run(id));
        return runs.every((r) => ended(r.state)) ? runs : undefined;
      },
      ms,
      `${ids.length} run(s) to end`,
      100,
    );
  }

  /** Pids of processes still running a command of this installation (its paths are in their command line). */
  commandProcesses(): number[] {
    return processesMatching(this.root);
  }

  /** Lines of level error or worse the consoles and workers logged (pino JSON), with who logged them. */
  errorsLogged(): string[] {
    const errors: string[] = [];
    const isError = (line: string) => {
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
      } catch {
        // Not pino's: what a process printed on stderr (a crash, a warning of Node's).
        return /error/i.test(line);
      }
    };
    for (const c of this.consoles) {
      const file = path.join(this.root, "logs", `${c.name}.log`);
      const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
      errors.push(...lines.filter((l) => l && isError(l)).map((l) => `${c.name}: ${l}`));
    }
    for (const w of this.workers) {
      errors.push(
        ...w.process
          .logs()
          .filter((l) => l.level >= 50)
          .map((l) => `${w.name} (pid ${w.process.pid}): ${JSON.stringify(l)}`),
      );
    }
    return errors;
  }

  /** What the processes logged, for a failed test's report. */
  diagnostics(): string {
    const parts: string[] = [];
    for (const c of this.consoles) {
      const file = path.join(this.root, "logs", `${c.name}.log`);
      parts.push(
        `=== ${c.name} (${c.origin}, pid ${c.pid})\n${existsSync(file) ? readFileSync(file, "utf8") : ""}`,
      );
    }
    for (const w of this.workers) {
      parts.push(
        `=== ${w.name} (pid ${w.process.pid})\n${w.process
          .logs()
          .map((l) => JSON.stringify(l))
          .join("\n")}`,
      );
    }
    return parts.join("\n\n");
  }

  /** Ends every process this installation started, its commands' processes too, then removes its files. */
  async stop() {
    await Promise.all(
      this.workers.map(async (w) => {
        w.process.kill("SIGTERM");
        await Promise.race([w.process.exited, delay(5000)]);
      }),
    );
    await killWorkers();
    await this.endCommandProcesses();
    await Promise.all(this.consoles.map((c) => c.stop()));
    await this.db?.$disconnect();
    await this.pg?.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * The safety net once the workers are gone: a worker killed with -9 cannot end its commands,
   * so what runs of this database still have running on the host is ended here (their cgroups
   * removed), and any process still running one of this installation's commands is killed.
   */
  private async endCommandProcesses() {
    const db = this.db;
    if (db) {
      const containment = openContainment({ RUNOPS_CONTAINMENT: "auto", RUNOPS_CGROUP_ROOT: undefined });
      for (const leftover of containment.leftovers()) {
        const known = await db.run.count({ where: { id: leftover.runId } }).catch(() => 0);
        if (known === 0) continue;
        leftover.containment.kill();
        await waitFor(
          () => {
            leftover.containment.release();
            return !containment.leftovers().some((l) => l.runId === leftover.runId);
          },
          3000,
          `the processes of run ${leftover.runId} to end`,
        ).catch(() => undefined);
      }
    }
    for (const pid of this.commandProcesses()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
