// A throwaway OpenSSH server for tests and benchmarks: its own host key, config
// and authorized keys in a temp dir, listening on a free 127.0.0.1 port, one
// dedicated login user (`runops-ssh`, shell /bin/sh). Needs root (sshd must
// switch to the login user) and /usr/sbin/sshd; as root on Debian/Ubuntu it
// installs openssh-server with apt-get when missing. A process that dies without
// calling stop() leaves that sshd running (its pid is in <temp dir>/sshd.pid).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { allPids, isRunning, procInfo } from "../../lib/executor/proc";
import { publicKeyFingerprint } from "../../lib/ssh/fingerprint";
import { ensureLoginUser } from "./os-user";

const SSHD = "/usr/sbin/sshd";
const INSTALL_HINT =
  "OpenSSH server not found (/usr/sbin/sshd): install it (Debian/Ubuntu: `apt-get install -y openssh-server`).";

export interface TestSshd {
  port: number;
  host: "127.0.0.1";
  /** The login user, with /bin/sh as its shell. */
  user: string;
  uid: number;
  home: string;
  /** SHA256:… of the server's host key, as a pinned key is written. */
  hostKeyFingerprint: string;
  /** The host key's public line (`ssh-ed25519 AAAA…`), for an OpenSSH client's known_hosts. */
  hostPublicKey: string;
  /** Lets `publicKeyLine` (`ssh-ed25519 AAAA… comment`) log in as `user` (or as `as`, another OS user). */
  authorize(publicKeyLine: string, as?: string): void;
  /**
   * The sshd process serving each connection (`sshd: user@notty`, the child of the
   * per-connection monitor): it holds the socket and the session's pipes, so
   * killing it drops that connection. (Killing only the monitor does not.)
   */
  sessionPids(): number[];
  /** What sshd logged (stderr, -e). */
  log(): string;
  stop(): Promise<void>;
}

function ensureSshd() {
  if (existsSync(SSHD)) return;
  const root = process.getuid?.() === 0;
  if (!root || !existsSync("/usr/bin/apt-get")) throw new Error(INSTALL_HINT);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "openssh-server"], {
      stdio: "pipe",
      env,
    });
  try {
    install();
  } catch {
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "pipe", env });
      install();
    } catch (error) {
      throw new Error(`${INSTALL_HINT} (apt-get failed: ${(error as Error).message})`);
    }
  }
  if (!existsSync(SSHD)) throw new Error(INSTALL_HINT);
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

/** OpenSSH 9.8 added per-source penalties, which would block 127.0.0.1 after the refused-key tests. */
function hasPenalties(): boolean {
  const out = (() => {
    try {
      return execFileSync(SSHD, ["-V"], { stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      return String((error as { stderr?: string }).stderr ?? "");
    }
  })();
  const m = /OpenSSH_(\d+)\.(\d+)/.exec(out);
  return m !== null && (Number(m[1]) > 9 || (Number(m[1]) === 9 && Number(m[2]) >= 8));
}

function childrenOf(ppid: number): number[] {
  return allPids().filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[1]) === ppid && isRunning(procInfo(pid));
    } catch {
      return false;
    }
  });
}

/** Starts sshd; resolves once it listens. `stop()` ends it and its connections and removes the temp dir. */
export async function startSshd(opts: { user?: string } = {}): Promise<TestSshd> {
  ensureSshd();
  const login = await ensureLoginUser(opts.user);
  const dir = mkdtempSync(path.join(tmpdir(), "runops-sshd-"));
  // sshd reads authorized keys as the login user: the dir must be readable by it.
  chmodSync(dir, 0o755);
  const keysDir = path.join(dir, "authorized_keys");
  mkdirSync(keysDir, { mode: 0o755 });
  const hostKey = path.join(dir, "host_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "runops-test-host", "-f", hostKey], {
    stdio: "pipe",
  });
  const hostPublicKey = readFileSync(`${hostKey}.pub`, "utf8").trim();
  const hostKeyFingerprint = publicKeyFingerprint(hostPublicKey);
  // The privilege separation directory sshd insists on.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });

  let logText = "";
  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    const config = path.join(dir, "sshd_config");
    writeFileSync(
      config,
      [
        "ListenAddress 127.0.0.1",
        `Port ${port}`,
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${keysDir}/%u`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin no",
        `PidFile ${path.join(dir, "sshd.pid")}`,
        "MaxStartups 100:30:200",
        // runops reads an SSH target's config over SFTP.
        "Subsystem sftp internal-sftp",
        "LogLevel INFO",
        ...(hasPenalties() ? ["PerSourcePenalties no"] : []),
        "",
      ].join("\n"),
    );
    const started = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    const listening = await new Promise<boolean>((resolve) => {
      started.stderr?.on("data", (d: Buffer) => {
        logText += d.toString();
        if (logText.includes(`Server listening on 127.0.0.1 port ${port}`)) resolve(true);
      });
      started.once("exit", () => resolve(false));
      started.once("error", () => resolve(false));
    });
    if (listening) child = started;
    else started.kill("SIGKILL");
  }
  if (!child || child.pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start the test sshd:\n${logText}`);
  }
  const server = child;
  const listenerPid = child.pid;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));

  return {
    port,
    host: "127.0.0.1",
    user: login.name,
    uid: login.uid,
    home: login.home,
    hostKeyFingerprint,
    hostPublicKey,
    authorize(line, as = login.name) {
      appendFileSync(path.join(keysDir, as), `${line.trim()}\n`, { mode: 0o644 });
    },
    sessionPids: () =>
      childrenOf(listenerPid).flatMap((monitor) => {
        const served = childrenOf(monitor).filter((pid) => procInfo(pid)?.comm === "sshd");
        return served.length > 0 ? served : [monitor];
      }),
    log: () => logText,
    async stop() {
      // The listener first (no new connections), then what each connection left.
      for (const pid of [listenerPid, ...childrenOf(listenerPid)]) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // gone
        }
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
