import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseDocument } from "yaml";
import { type Db, createDb } from "../../../lib/db/client";
import { migrate } from "../../../lib/db/migrate";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, storedLog, waitForRunEnd } from "../../support/harness";
import { type OsUser, ensureRunAsUser, processesOfUser } from "../../support/os-user";
import { createDatabase } from "../../support/postgres";
import {
  type TestConsole,
  type WorkerProcess,
  killWorkers,
  socketDir,
  startTestConsole,
  startWorkerProcess,
} from "../../support/worker-process";
import { endRunProcesses, seedTarget } from "./support";

const SHOP = path.resolve(import.meta.dirname, "../../../examples/shop");

/** What a command tries to read of runops' own secrets; each line says whether it could. */
function probeScript(files: string[], dataDir: string) {
  return [
    'echo "parent: $PPID"',
    'if cat "/proc/$PPID/environ" >/dev/null 2>&1; then echo "worker environment: read"; else echo "worker environment: denied"; fi',
    `if ls '${dataDir}' >/dev/null 2>&1; then echo "data directory: listed"; else echo "data directory: denied"; fi`,
    ...files.map(
      (f) =>
        `if cat '${f}' >/dev/null 2>&1; then echo "${path.basename(f)}: read"; else echo "${path.basename(f)}: denied"; fi`,
    ),
    'if [ -z "$DATABASE_URL$NEXTAUTH_SECRET" ]; then echo "environment: no secrets"; else echo "environment: secrets"; fi',
    'echo "user: $(id -un)"',
  ].join("\n");
}

describe.each(BACKENDS)("commands run as another OS user on %s", (provider) => {
  let user: OsUser;
  let db: Db;
  let dataDir: string;
  let target: string;
  let probedFiles: string[];
  let hub: TestConsole;
  let worker: WorkerProcess;
  let env: Awaited<ReturnType<typeof seedTarget>>;
  let secret: string;
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    user = await ensureRunAsUser();
    // runops' data directory, as `npm start` makes it: the SQLite file and the session secret, mode 0700.
    dataDir = mkdtempSync(path.join(tmpdir(), "runops-data-"));
    chmodSync(dataDir, 0o700);
    secret = `fake-nextauth-secret-${Math.random().toString(36).slice(2)}`;
    const secretFile = path.join(dataDir, "auth-secret");
    writeFileSync(secretFile, secret, { mode: 0o600 });
    const dbFile = path.join(dataDir, "runops.db");
    url = provider === "sqlite" ? `file:${dbFile}` : await createDatabase(inject("postgresUrl"), "run_as");
    await migrate(url);
    db = createDb(url);
    probedFiles = provider === "sqlite" ? [dbFile, secretFile] : [secretFile];

    // A checkout of the demo project, owned by the run-as user, with one more operation: the probe.
    target = mkdtempSync(path.join(tmpdir(), "runops-shop-"));
    cpSync(SHOP, target, {
      recursive: true,
      filter: (src) => !/\/(public|var)$/.test(src),
    });
    const configFile = path.join(target, ".upsun", "config.yaml");
    const config = parseDocument(readFileSync(configFile, "utf8"));
    config.setIn(["applications", "storefront", "operations", "probe"], {
      role: "viewer",
      commands: { start: probeScript(probedFiles, dataDir) },
    });
    writeFileSync(configFile, config.toString());
    execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, target]);
    env = await seedTarget(db, target);

    const sock = socketDir();
    hub = await startTestConsole({ db, url, socketPath: sock.socketPath });
    worker = await startWorkerProcess({
      url,
      socketPath: sock.socketPath,
      env: { RUNOPS_RUN_AS: user.name, RUNOPS_DATA_DIR: dataDir, NEXTAUTH_SECRET: secret },
    });
    cleanup = async () => {
      await killWorkers();
      await endRunProcesses(db);
      await hub.close();
      await db.$disconnect();
      sock.cleanup();
      rmSync(target, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    // The worker stops as a service does (its shell made ahead for the next run goes with it);
    // then no process of the run-as user may be left: every command ended with its run.
    worker.kill("SIGTERM");
    await worker.exited;
    const left = processesOfUser(user.uid);
    await cleanup?.();
    expect(left).toEqual([]);
  });

  const trigger = (operation: string) =>
    startRun(db, env.admin, { environmentId: env.env.id, app: "storefront", operation });

  it("cannot read the worker's environment, the data directory, the database or the session secret", async () => {
    const run = await trigger("probe");
    const done = await waitForRunEnd(db, run.id, 10000);
    expect(done).toMatchObject({ state: "complete", result: "success" });
    const log = (await storedLog(db, run.id)).text;
    expect(log).toBe(
      [
        `parent: ${worker.pid}`,
        "worker environment: denied",
        "data directory: denied",
        ...probedFiles.map((f) => `${path.basename(f)}: denied`),
        "environment: no secrets",
        `user: ${user.name}`,
        "",
      ].join("\n"),
    );
    expect(log).not.toContain(secret);
    // The worker knows it isolates commands, and says so on the workers page.
    const row = await db.worker.findUniqueOrThrow({ where: { id: done.workerId! } });
    expect(row.runAs).toBe(user.name);
    expect(worker.logs().map((l) => l.msg)).not.toContainEqual(
      expect.stringContaining("commands run as the worker's own OS user"),
    );
  });

  it("runs the demo's clear-rebuild as that user: the site is rebuilt in the checkout", async () => {
    const run = await trigger("clear-rebuild");
    const done = await waitForRunEnd(db, run.id, 15000);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    const log = (await storedLog(db, run.id)).text;
    expect(log).toContain("Rebuilding Demo Shop for feature-x (development)\n");
    expect(log).toContain("6 pages written to public/");
    const publicDir = path.join(target, "storefront", "public");
    const pages = readdirSync(publicDir).sort();
    expect(pages).toEqual([1, 2, 3, 4, 5, 6].map((i) => `page-${i}.html`));
    for (const page of pages) {
      const file = path.join(publicDir, page);
      expect(statSync(file).uid).toBe(user.uid);
      expect(readFileSync(file, "utf8")).toContain("<title>Demo Shop</title>");
    }
  });
});
