import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SshExecSpec, startSsh } from "../../../lib/executor/ssh-executor";
import { REMOTE_COMMAND, encodeHeader } from "../../../lib/executor/ssh-remote-script";
import { newId } from "../../../lib/ids";
import { outcomeToEnd } from "../../../lib/runs/run-end";
import { connectSsh } from "../../../lib/ssh/connect";
import { publicKeyFingerprint } from "../../../lib/ssh/fingerprint";
import { ensureLoginUser, processesOfUser } from "../../support/os-user";
import { type TestSshd, startSshd } from "../../support/sshd";
import { processesOfRun, recordingSink, waitUntil } from "./support";

const GRACE_MS = 500;
// A login user of this file's own: "no process of it left" then means none of these runs'.
const LOGIN = "runops-ssh-exec";
const BASH_LOGIN = "runops-ssh-bash";

describe("running a command over SSH (startSsh against a real sshd)", () => {
  let sshd: TestSshd;
  let keys: { private: string; public: string };
  let root: string;
  let targetDir: string;
  let appDir: string;

  beforeAll(async () => {
    sshd = await startSshd({ user: LOGIN });
    keys = ssh2.utils.generateKeyPairSync("ed25519");
    sshd.authorize(keys.public);
    root = mkdtempSync(path.join(tmpdir(), "runops-ssh-exec-"));
    chmodSync(root, 0o755);
    targetDir = path.join(root, "target");
    // Quotes and spaces in the path: directories travel in the header, not in a command line.
    appDir = path.join(targetDir, `app dir's "x"`);
    mkdirSync(appDir, { recursive: true });
    chownSync(targetDir, sshd.uid, sshd.uid);
    chownSync(appDir, sshd.uid, sshd.uid);
    symlinkSync("/tmp", path.join(targetDir, "escape"));
  });
  afterAll(async () => {
    await sshd?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const where = () => `${LOGIN}@127.0.0.1:${sshd.port}`;
  const specFor = (command: string, more: Partial<SshExecSpec> = {}): SshExecSpec => ({
    runId: newId(),
    target: { user: sshd.user, host: "127.0.0.1", port: sshd.port },
    privateKeys: [keys.private],
    hostKey: sshd.hostKeyFingerprint,
    command,
    stopCommand: null,
    cwd: appDir,
    targetDir,
    env: { PLATFORM_APPLICATION_NAME: "web" },
    timeoutMs: 30_000,
    graceMs: GRACE_MS,
    stopTimeoutMs: 2000,
    ...more,
  });
  const start = (command: string, more: Partial<SshExecSpec> = {}) => {
    const spec = specFor(command, more);
    const rec = recordingSink();
    const handle = startSsh(spec, rec.sink);
    return { spec, rec, handle };
  };
  /** Nothing of the run on the remote host: no marked process, then no process of the login user (sshd's too). */
  const nothingLeft = async (runId: string) => {
    expect(processesOfRun(runId)).toEqual([]);
    await waitUntil(() => processesOfUser(sshd.uid).length === 0, 3000, `the processes of ${LOGIN} to end`);
  };

  it("runs in the app's directory with the variables verbatim, stdin empty, and records the exit code", async () => {
    const value = `it's "quoted" $(echo no) \`echo no\` back\\slash \\n\nsecond line\\`;
    const { spec, rec, handle } = start(
      [
        `printf '%s\\n' "$PWD"`,
        `printf '[%s]\\n' "$PLATFORM_VALUE" "$PLATFORM_APPLICATION_NAME" "$RUNOPS_RUN_ID"`,
        "cat", // stdin is /dev/null: this ends at once
        "echo 'it broke' >&2",
        "exit 3",
      ].join("\n"),
      { env: { PLATFORM_APPLICATION_NAME: "web", PLATFORM_VALUE: value } },
    );
    const outcome = await handle.done;
    expect(outcome).toEqual({ ended: "exited", exitCode: 3, signal: null, reason: null });
    expect(rec.text("stdout")).toBe(`${appDir}\n[${value}]\n[web]\n[${spec.runId}]\n`);
    expect(rec.text("stderr")).toBe("it broke\n");
    expect(rec.text("system")).toBe("");
    await nothingLeft(spec.runId);
  });

  it("keeps interleaved stdout and stderr in the order they were printed", async () => {
    const { rec, handle } = start(
      'for i in 1 2 3 4 5; do echo "out $i"; sleep 0.2; echo "err $i" >&2; sleep 0.2; done',
    );
    await handle.done;
    const lines = rec.events.flatMap((e) =>
      e.data
        .toString("utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => `${e.stream}:${l}`),
    );
    expect(lines).toEqual([1, 2, 3, 4, 5].flatMap((i) => [`stdout:out ${i}`, `stderr:err ${i}`]));
  });

  it("keeps every byte, not UTF-8 ones and look-alikes of the wrapper's frames included", async () => {
    const { rec, handle } = start(
      "printf '\\377\\376\\036runops:0123 ready\\n\\036'; head -c 400000 /dev/urandom > big.bin; cat big.bin",
    );
    expect((await handle.done).exitCode).toBe(0);
    const produced = readFileSync(path.join(appDir, "big.bin"));
    const expected = Buffer.concat([Buffer.from("\xff\xfe\x1erunops:0123 ready\n\x1e", "latin1"), produced]);
    expect(rec.bytes("stdout").equals(expected)).toBe(true);
  });

  it("pauses the channel while the sink is full and delivers everything after", async () => {
    const spec = specFor("head -c 8000000 /dev/zero");
    let received = 0;
    let full = false;
    let wasFull = false;
    let settled = false;
    let writesWhileFull = 0;
    const drains: Array<() => void> = [];
    const outcome = await startSsh(spec, {
      write: (_stream, data) => {
        received += data.length;
        if (full && settled) writesWhileFull++;
        if (received > 1_000_000 && !wasFull) {
          full = wasFull = true;
          setImmediate(() => (settled = true)); // the rest of the chunk being handed over is fine
          setTimeout(() => {
            full = false;
            for (const d of drains.splice(0)) d();
          }, 300);
          return false;
        }
        return true;
      },
      onDrain: (callback) => (full ? drains.push(callback) : callback()),
      system: () => undefined,
    }).done;
    expect(outcome.ended).toBe("exited");
    expect(writesWhileFull).toBe(0);
    expect(received).toBe(8_000_000);
  });

  it("cancel: stop command, SIGTERM, SIGKILL after the grace period, nothing of the run left", async () => {
    const { spec, rec, handle } = start(
      [
        "trap '' TERM",
        "sleep 1000 &",
        `sh -c 'trap "" TERM; sleep 1000; echo never' &`,
        "setsid sh -c 'sleep 1000' &",
        "echo ready",
        "wait",
      ].join("\n"),
      { stopCommand: 'echo "stop command ran"; echo "stop saw $RUNOPS_RUN_ID"' },
    );
    await rec.waitForText("stdout", "ready");
    expect(processesOfRun(spec.runId).length).toBeGreaterThanOrEqual(4);
    const cancelledAt = Date.now();
    handle.cancel("cancelled by admin");
    const outcome = await handle.done;
    expect(outcome).toEqual({
      ended: "cancelled",
      reason: "cancelled by admin",
      exitCode: null,
      signal: "SIGKILL",
    });
    expect(Date.now() - cancelledAt).toBeLessThan(GRACE_MS + 1000);
    expect(rec.text("system")).toBe(
      [
        "cancelled by admin",
        "running commands.stop",
        "still running 0.5s after SIGTERM: sending SIGKILL",
        "",
      ].join("\n"),
    );
    expect(rec.text("stdout")).toBe(`ready\nstop command ran\nstop saw ${spec.runId}\n`);
    expect(outcomeToEnd(outcome)).toMatchObject({ state: "cancelled", result: "failure", signal: "SIGKILL" });
    await nothingLeft(spec.runId);
  });

  it("cancel: a command that stops on SIGTERM needs no SIGKILL; a slow stop command is cut short", async () => {
    const { spec, rec, handle } = start("echo ready; exec sleep 1000", {
      stopCommand: "echo stopping; sleep 1000",
      stopTimeoutMs: 300,
    });
    await rec.waitForText("stdout", "ready");
    handle.cancel("cancelled by admin");
    const outcome = await handle.done;
    expect(outcome).toMatchObject({ ended: "cancelled", signal: "SIGTERM" });
    expect(rec.text("system")).toBe(
      ["cancelled by admin", "running commands.stop", "commands.stop did not finish within 0.3s", ""].join(
        "\n",
      ),
    );
    expect(rec.text("stdout")).toBe("ready\nstopping\n");
    await nothingLeft(spec.runId);
  });

  it("cancel before the connection is up: nothing runs", async () => {
    const { spec, handle } = start("touch ran-anyway");
    handle.cancel("cancelled by admin");
    expect(await handle.done).toEqual({
      ended: "cancelled",
      reason: "cancelled by admin",
      exitCode: null,
      signal: null,
    });
    expect(existsSync(path.join(appDir, "ran-anyway"))).toBe(false);
    await nothingLeft(spec.runId);
  });

  it("times out: the timeout is said in the log and the command ends within the grace period", async () => {
    const startedAt = Date.now();
    const { spec, rec, handle } = start("trap '' TERM; echo started; sleep 1000 & wait", { timeoutMs: 1000 });
    const outcome = await handle.done;
    const ranFor = Date.now() - startedAt;
    expect(outcome).toEqual({
      ended: "timed-out",
      reason: "timed out after 1s",
      exitCode: null,
      signal: "SIGKILL",
    });
    expect(rec.text("stdout")).toBe("started\n");
    expect(rec.text("system")).toMatch(
      /^timed out after 1s\nstill running 0.5s after SIGTERM: sending SIGKILL\n$/,
    );
    expect(ranFor).toBeGreaterThanOrEqual(1000);
    expect(ranFor).toBeLessThan(1000 + GRACE_MS + 1500);
    await nothingLeft(spec.runId);
  });

  it("a background child holding stdout does not hold the run", async () => {
    const startedAt = Date.now();
    const { spec, rec, handle } = start("sleep 1000 & echo done");
    const outcome = await handle.done;
    expect(outcome).toEqual({ ended: "exited", exitCode: 0, signal: null, reason: null });
    expect(rec.text("stdout")).toBe("done\n");
    expect(rec.text("system")).toMatch(
      /^the command's shell exited; ending what it left running: \d+ \(sleep\)\n$/,
    );
    expect(Date.now() - startedAt).toBeLessThan(3000);
    await nothingLeft(spec.runId);
  });

  it("setsid, double-forked and nohup children are ended when the shell exits, and the log names them", async () => {
    const { spec, rec, handle } = start(
      [
        "setsid sleep 1000 &",
        "(nohup sleep 1001 >/dev/null 2>&1 &)",
        `sh -c 'sh -c "sleep 1002 </dev/null >/dev/null 2>&1 &" &'`,
        "echo forked",
        "exit 0",
      ].join("\n"),
    );
    const outcome = await handle.done;
    expect(outcome).toMatchObject({ ended: "exited", exitCode: 0 });
    expect(rec.text("stdout")).toBe("forked\n");
    expect(rec.text("system")).toMatch(
      /^the command's shell exited; ending what it left running: \d+ \(sleep\), \d+ \(sleep\), \d+ \(sleep\)\n$/,
    );
    await nothingLeft(spec.runId);
  });

  it("the connection dropping mid-run: the run is lost, and the remote side ends everything by itself", async () => {
    const { spec, rec, handle } = start(
      "trap '' TERM; setsid sh -c 'trap \"\" TERM; sleep 1000' & sleep 1000 & echo ready; wait",
    );
    await rec.waitForText("stdout", "ready");
    expect(processesOfRun(spec.runId).length).toBeGreaterThanOrEqual(3);
    const sessions = sshd.sessionPids();
    expect(sessions).toHaveLength(1);
    for (const pid of sessions) process.kill(pid, "SIGKILL");
    const outcome = await handle.done;
    const reason = `the SSH connection to ${where()} was lost`;
    expect(outcome).toEqual({ ended: "lost", exitCode: null, signal: null, reason });
    expect(rec.text("system")).toBe(`${reason}\n`);
    expect(outcomeToEnd(outcome)).toEqual({
      state: "complete",
      result: "failure",
      exitCode: null,
      signal: null,
      reason,
    });
    // The wrapper notices the end of its stdin: SIGTERM, the grace period, SIGKILL.
    await waitUntil(
      () => processesOfRun(spec.runId).length === 0,
      GRACE_MS + 3000,
      "the run's processes to end",
    );
    await nothingLeft(spec.runId);
  });

  it("a login shell that is bash and talks in its .bashrc: the run sees none of it", async () => {
    const bash = await ensureLoginUser(BASH_LOGIN, "/bin/bash");
    const rc = path.join(bash.home, ".bashrc");
    writeFileSync(rc, 'echo "hello from .bashrc"\necho "a .bashrc warning" >&2\n');
    chownSync(rc, bash.uid, bash.gid);
    sshd.authorize(keys.public, BASH_LOGIN);
    const { spec, rec, handle } = start(`echo "hi from $0"; echo "to stderr" >&2`, {
      target: { user: BASH_LOGIN, host: "127.0.0.1", port: sshd.port },
    });
    expect(await handle.done).toEqual({ ended: "exited", exitCode: 0, signal: null, reason: null });
    expect(rec.text("stdout")).toBe("hi from /bin/sh\n");
    expect(rec.text("stderr")).toBe("to stderr\n");
    expect(processesOfRun(spec.runId)).toEqual([]);
    await waitUntil(
      () => processesOfUser(bash.uid).length === 0,
      3000,
      `the processes of ${BASH_LOGIN} to end`,
    );
  });

  it("a connection that stays up but goes silent: the wrapper ends the run by itself", async () => {
    // Below startSsh, which pings every few seconds: the wrapper's own header, with a 1 s silence limit.
    const target = { user: sshd.user, host: "127.0.0.1", port: sshd.port };
    const { client } = await connectSsh(target, {
      privateKeys: [keys.private],
      hostKey: sshd.hostKeyFingerprint,
    });
    const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
      client.exec(REMOTE_COMMAND, (error, ch) => (error ? reject(error) : resolve(ch))),
    );
    const runId = newId();
    const nonce = `n${runId}`;
    channel.write(
      encodeHeader({
        nonce,
        runId,
        graceMs: GRACE_MS,
        stopTimeoutMs: 1000,
        silenceS: 1,
        targetDir,
        cwd: appDir,
        command: "trap '' TERM; sleep 1000 & echo started; wait",
        stopCommand: null,
        env: [],
      }),
    );
    let out = "";
    channel.on("data", (d: Buffer) => (out += d.toString("latin1")));
    channel.stderr.resume();
    try {
      await waitUntil(() => out.includes("started\n"), 5000, "the command to start");
      expect(processesOfRun(runId).length).toBeGreaterThan(0);
      await waitUntil(
        () => processesOfRun(runId).length === 0,
        2000 + GRACE_MS + 3000,
        "the run to be ended",
      );
      await waitUntil(() => out.includes(`\x1erunops:${nonce} silent`), 1000, "the wrapper to say why");
    } finally {
      client.end();
    }
    await nothingLeft(runId);
  });

  it("refuses a host whose key is not the pinned one, naming both", async () => {
    const other = publicKeyFingerprint(ssh2.utils.generateKeyPairSync("ed25519").public);
    const { handle } = start("touch ran-anyway", { hostKey: other });
    const outcome = await handle.done;
    expect(outcome.ended).toBe("spawn-failed");
    expect(outcome.reason).toContain(`the host key of ${where()} changed`);
    expect(outcome.reason).toContain(`pinned ${other}, offered ${sshd.hostKeyFingerprint}`);
    expect(existsSync(path.join(appDir, "ran-anyway"))).toBe(false);
  });

  it("says so when the host refuses the key", async () => {
    const stranger = ssh2.utils.generateKeyPairSync("ed25519");
    const outcome = await start("true", { privateKeys: [stranger.private] }).handle.done;
    expect(outcome).toMatchObject({ ended: "spawn-failed", exitCode: null });
    expect(outcome.reason).toBe(
      `${where()} refused the project's SSH key: add the project's public key to ~${LOGIN}/.ssh/authorized_keys on 127.0.0.1`,
    );
  });

  it("says so when nothing listens on the port", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const outcome = await start("true", { target: { user: LOGIN, host: "127.0.0.1", port } }).handle.done;
    expect(outcome.ended).toBe("spawn-failed");
    expect(outcome.reason).toMatch(
      new RegExp(`^cannot reach ${LOGIN}@127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
  });

  it("refuses a missing application directory", async () => {
    const missing = path.join(targetDir, "nope");
    const outcome = await start("touch ran-anyway", { cwd: missing }).handle.done;
    expect(outcome).toEqual({
      ended: "spawn-failed",
      exitCode: null,
      signal: null,
      reason: `application directory ${missing} does not exist on ${where()}`,
    });
  });

  it("refuses an application directory that a symlink takes outside the target", async () => {
    const escape = path.join(targetDir, "escape");
    const { spec, handle } = start("touch ran-anyway", { cwd: escape });
    const outcome = await handle.done;
    expect(outcome).toEqual({
      ended: "spawn-failed",
      exitCode: null,
      signal: null,
      reason: `application directory ${escape} resolves to /tmp, outside the target ${targetDir} on ${where()}`,
    });
    expect(existsSync("/tmp/ran-anyway")).toBe(false);
    await nothingLeft(spec.runId);
  });

  it("refuses a variable name a shell cannot carry, without connecting", async () => {
    const outcome = await start("true", { env: { "NOT-A-NAME": "x" } }).handle.done;
    expect(outcome).toMatchObject({
      ended: "spawn-failed",
      reason: '"NOT-A-NAME" is not a valid environment variable name',
    });
  });
});
