import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../../lib/config/read-config";
import { formatConfigIssue } from "../../../lib/config/types";
import type { Db } from "../../../lib/db/client";
import { refreshEnvironment } from "../../../lib/deployments/refresh-environment";
import { checkHostKey } from "../../../lib/environments/check-host-key";
import { createEnvironment } from "../../../lib/environments/create-environment";
import { pinHostKey } from "../../../lib/environments/pin-host-key";
import { startRun } from "../../../lib/runs/start-run";
import { probeSshTarget } from "../../../lib/environments/probe-ssh-target";
import { confirmKeyRotation } from "../../../lib/ssh-keys/confirm-key-rotation";
import { getProjectKeys } from "../../../lib/ssh-keys/get-project-keys";
import { rotateProjectKey } from "../../../lib/ssh-keys/rotate-project-key";
import {
  type Fixture,
  freshDatabase,
  seedFixture,
  startWorker,
  storedLog,
  waitForRunEnd,
} from "../../support/harness";
import { type TestSshd, startSshd } from "../../support/sshd";
import { ADMIN_CONFIG, refusal } from "../admin/support";

/** Runs on the SSH host: where, as whom, with which variables. */
const RUN_CONFIG = `applications:
  web:
    source:
      root: app
    variables:
      env:
        GREETING: "it's \\"quoted\\" $(not run)"
    operations:
      where:
        role: viewer
        commands:
          start: 'pwd; id -un; echo "$PLATFORM_ENVIRONMENT|$PLATFORM_APP_DIR|$GREETING"'
`;

const BROKEN = `applications:
  web:
    source:
      root: app
    operations:
      hello:
        role: chief
        commands:
          start: echo hi
`;

/** A key that is not the server's: what a host that changed its key (or a man in the middle) offers. */
const OTHER_KEY = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

describe("SSH environments: keys, host key pinning, config over SFTP", () => {
  let db: Db;
  let fx: Fixture;
  let sshd: TestSshd;
  let remote: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase("sqlite", "ssh-environments");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    const { worker, ready } = startWorker(db, "sqlite", fresh.url);
    await ready;
    sshd = await startSshd();
    // The "remote" directory: on this host, owned by the SSH login user.
    remote = mkdtempSync(path.join(tmpdir(), "runops-remote-"));
    chmodSync(remote, 0o755);
    mkdirSync(path.join(remote, ".upsun"));
    mkdirSync(path.join(remote, "app"));
    writeFileSync(path.join(remote, ".upsun", "config.yaml"), ADMIN_CONFIG);
    for (const p of [remote, path.join(remote, ".upsun"), path.join(remote, "app")]) {
      chownSync(p, sshd.uid, sshd.uid);
    }
    cleanup = async () => {
      await worker.stop();
      await sshd.stop();
      rmSync(remote, { recursive: true, force: true });
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const targetHost = () => `${sshd.user}@127.0.0.1:${sshd.port}`;
  const create = (name: string, extra: { hostKey?: string; targetPath?: string } = {}) =>
    createEnvironment(db, fx.admin, {
      projectId: fx.project.id,
      name,
      type: "staging",
      targetKind: "ssh",
      targetHost: targetHost(),
      targetPath: extra.targetPath ?? remote,
      ...(extra.hostKey ? { hostKey: extra.hostKey } : {}),
    });

  it("shows admins one project key (made once) and keeps its private half sealed", async () => {
    const [first] = await getProjectKeys(db, fx.admin, fx.project.id);
    expect(first?.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ runops@/);
    expect(first?.fingerprint).toMatch(/^SHA256:/);
    expect(await getProjectKeys(db, fx.admin, fx.project.id)).toEqual([first]);
    const row = await db.projectKey.findFirstOrThrow({ where: { projectId: fx.project.id } });
    expect(row.privateKey).not.toContain("PRIVATE KEY");
    expect(await refusal(getProjectKeys(db, fx.viewer, fx.project.id))).toMatchObject({ status: 403 });
    sshd.authorize(first?.publicKey ?? "");
  });

  it("probes the host: the offered key is the server's, and the project key is let in", async () => {
    const probe = await probeSshTarget(db, fx.admin, { projectId: fx.project.id, targetHost: targetHost() });
    expect(probe).toEqual({
      target: targetHost(),
      fingerprint: sshd.hostKeyFingerprint,
      keyAccepted: true,
      error: null,
    });
  });

  it("adds nothing before the host key is confirmed; with it, deploys over SFTP", async () => {
    expect(await refusal(create("remote"))).toMatchObject({ status: 400, details: { field: "hostKey" } });
    const { environment, deploy } = await create("remote", { hostKey: sshd.hostKeyFingerprint });
    expect(environment).toMatchObject({ targetKind: "ssh", targetHost: targetHost(), pool: "default" });
    expect(deploy.ok && deploy.config.operations.map((o) => o.name)).toEqual(["hello", "wait", "purge"]);
  });

  it("refuses a broken config over SFTP with the same positions as a local read, keeping the deployment", async () => {
    const env = await db.environment.findFirstOrThrow({ where: { name: "remote" } });
    writeFileSync(path.join(remote, ".upsun", "config.yaml"), BROKEN);
    const result = await refreshEnvironment(db, fx.admin, env.id);
    const local = await readConfig(remote);
    expect(local.ok).toBe(false);
    expect(result).toMatchObject({
      ok: false,
      error: local.ok ? "" : local.issues.map(formatConfigIssue).join("\n"),
    });
    expect(result.ok ? "" : result.error).toMatch(/^\.upsun\/config\.yaml:7:\d+/);
    const after = await db.environment.findUniqueOrThrow({ where: { id: env.id } });
    expect(after.currentDeploymentId).toBe(env.currentDeploymentId);
    writeFileSync(path.join(remote, ".upsun", "config.yaml"), ADMIN_CONFIG);
  });

  it("refuses a host whose key is not the pinned one, naming both; an admin re-pins after checking", async () => {
    const env = await db.environment.findFirstOrThrow({ where: { name: "remote" } });
    await pinHostKey(db, fx.admin, { environmentId: env.id, hostKey: OTHER_KEY });
    const refused = await refreshEnvironment(db, fx.admin, env.id);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? "" : refused.error).toContain(
      `pinned ${OTHER_KEY}, offered ${sshd.hostKeyFingerprint}`,
    );
    const check = await checkHostKey(db, fx.admin, env.id);
    expect(check).toMatchObject({ pinned: OTHER_KEY, fingerprint: sshd.hostKeyFingerprint });
    await pinHostKey(db, fx.admin, { environmentId: env.id, hostKey: sshd.hostKeyFingerprint });
    expect((await refreshEnvironment(db, fx.admin, env.id)).ok).toBe(true);
    const audit = await db.auditEvent.findMany({ where: { action: "environment.host_key_pinned" } });
    expect(audit).toHaveLength(2);
  });

  it("rotates the key: both keys work until confirmed, then only the new one", async () => {
    const env = await db.environment.findFirstOrThrow({ where: { name: "remote" } });
    const next = await rotateProjectKey(db, fx.admin, fx.project.id);
    expect(await rotateProjectKey(db, fx.admin, fx.project.id)).toEqual(next);
    expect((await getProjectKeys(db, fx.admin, fx.project.id)).map((k) => k.status).sort()).toEqual([
      "active",
      "next",
    ]);
    // The host knows only the old key yet: still let in.
    expect((await refreshEnvironment(db, fx.admin, env.id)).ok).toBe(true);
    await confirmKeyRotation(db, fx.admin, fx.project.id);
    const refused = await refreshEnvironment(db, fx.admin, env.id);
    expect(refused.ok ? "" : refused.error).toContain("refused the project's SSH key");
    sshd.authorize(next.publicKey);
    expect((await refreshEnvironment(db, fx.admin, env.id)).ok).toBe(true);
  });

  it("says clearly when the directory is missing or the host cannot be reached", async () => {
    const missing = await create("missing-dir", {
      hostKey: sshd.hostKeyFingerprint,
      targetPath: path.join(remote, "nope"),
    });
    expect(missing.deploy).toMatchObject({
      ok: false,
      error: expect.stringContaining("no .upsun/ directory"),
    });
    const probe = await probeSshTarget(db, fx.admin, {
      projectId: fx.project.id,
      targetHost: "x@127.0.0.1:1",
    });
    expect(probe).toMatchObject({ fingerprint: null, keyAccepted: false });
    expect(probe.error).toMatch(/cannot reach x@127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  });

  it("runs an operation on the SSH host, in the app's directory, as the SSH user, with its variables", async () => {
    const env = await db.environment.findFirstOrThrow({ where: { name: "remote" } });
    writeFileSync(path.join(remote, ".upsun", "config.yaml"), RUN_CONFIG);
    expect((await refreshEnvironment(db, fx.admin, env.id)).ok).toBe(true);
    const run = await startRun(db, fx.viewer, { environmentId: env.id, app: "web", operation: "where" });
    expect(run).toMatchObject({
      targetKind: "ssh",
      targetHost: targetHost(),
      targetHostKey: sshd.hostKeyFingerprint,
    });
    expect(await waitForRunEnd(db, run.id)).toMatchObject({
      state: "complete",
      result: "success",
      exitCode: 0,
    });
    const app = path.join(remote, "app");
    expect((await storedLog(db, run.id)).text).toBe(
      `${app}\n${sshd.user}\nremote|${app}|it's "quoted" $(not run)\n`,
    );
  });

  it("fails a run whose host key changed, with both fingerprints in the reason", async () => {
    const env = await db.environment.findFirstOrThrow({ where: { name: "remote" } });
    await pinHostKey(db, fx.admin, { environmentId: env.id, hostKey: OTHER_KEY });
    const run = await startRun(db, fx.viewer, { environmentId: env.id, app: "web", operation: "where" });
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({ state: "complete", result: "failure" });
    expect(done.reason).toContain(`pinned ${OTHER_KEY}, offered ${sshd.hostKeyFingerprint}`);
    await pinHostKey(db, fx.admin, { environmentId: env.id, hostKey: sshd.hostKeyFingerprint });
  });
});
