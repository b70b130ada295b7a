/**
 * The program runops runs on an SSH target for each run (decision 0012): a
 * constant POSIX sh script, so that nothing of a run is ever spliced into a
 * shell command line. What the run needs (command, stop command, directories,
 * environment) travels over the channel's stdin as a header of lines, decoded
 * without evaluation; afterwards stdin carries only `cancel` and `ping`
 * lines, and its end means the connection is gone.
 *
 * The remote host needs only what Debian and Ubuntu always have: /bin/sh
 * (dash or bash, nothing beyond POSIX), coreutils (`sleep` with fractions),
 * procps (`ps -o sid`), grep (`-z`), awk, sort, util-linux (`setsid`) and
 * Linux's /proc. The login shell only runs `exec /bin/sh -c '<script>'`, so
 * bash or dash both do.
 *
 * Processes: the wrapper W reads the header, checks the directory, says
 * `ready`, then runs the pipeline L | M. L starts the command C in a session
 * of its own (`setsid`), with RUNOPS_RUN_ID only in C's environment (not the
 * wrapper's: its own helpers must not count as the run's), forks F (forwards
 * stdin's `cancel` and `ping` lines, then `eof`) and a ticker (`tick` each
 * second), and reports C's exit status. M is the one place decisions are
 * made, reading those events in order: on `cancel` it runs commands.stop,
 * SIGTERM, the grace period, SIGKILL; on `eof` (the connection is gone), or
 * after the header's silence limit without a `ping` (a connection gone quiet),
 * SIGTERM, grace, SIGKILL at once, writing nothing; when C exits, what it left
 * running gets 200 ms, SIGTERM, 300 ms, SIGKILL. The run's processes are C's
 * session plus every process whose environment holds the marker (`grep -lzx`
 * over /proc/<pid>/environ): setsid, double-fork and nohup children are
 * found, as in the local process-group containment (0006).
 *
 * To runops, the wrapper speaks only in frames, `\x1erunops:<nonce> <word>
 * [argument]\n`, on stdout (and `ready` on stderr too): the nonce comes in the
 * header and lives in no environment or command line, so output that looks
 * like a frame is never taken for one. Frames after `ready` are written by
 * background subshells: a blocked or broken channel (back-pressure, a lost
 * connection) then neither stalls M nor kills it with SIGPIPE; SIGPIPE is not
 * ignored, as C would inherit that.
 */

/** The header's second line: the wrapper refuses any other version. */
export const PROTOCOL_VERSION = "runops-ssh 1";

/** First byte of every frame: ASCII RS, rare in output, so the scan is a memchr. */
export const FRAME_START = 0x1e;

// Kept readable: this is the program, and it is sent as is (quoted once).
const SCRIPT = String.raw`
nl='
'
for S in /usr/bin/setsid /bin/setsid; do [ -x "$S" ] && break; done

# \\ -> \ and \n -> newline, left to right, into $v: builtins only, nothing is evaluated.
dec() {
  r=$1 v=
  while :; do
    case $r in
      *\\*)
        v=$v\${r%%\\*}
        r=\${r#*\\}
        case $r in n*) v=$v$nl ;; *) v=$v\\ ;; esac
        r=\${r#?}
        ;;
      *) v=$v$r; return 0 ;;
    esac
  done
}
# Every $2 in $1 replaced by $3, into $R.
repl() {
  R= s=$1
  while :; do
    case $s in
      *"$2"*) R=$R\${s%%"$2"*}$3; s=\${s#*"$2"} ;;
      *) R=$R$s; return 0 ;;
    esac
  done
}
# An argument of a frame: \ newline and space escaped.
enc() { repl "$1" '\' '\\'; repl "$R" "$nl" '\n'; repl "$R" ' ' '\s'; }
frame() { printf '\036runops:%s %s\n' "$nonce" "$1"; }
fail() { frame "error $1"; exit 125; }

IFS= read -r nonce || exit 125
IFS= read -r l && [ "$l" = "${PROTOCOL_VERSION}" ] || fail protocol
IFS= read -r id && IFS= read -r grace && IFS= read -r stopms && IFS= read -r silence || fail protocol
case $id in ""|*[!A-Za-z0-9_-]*) fail protocol ;; esac
for n in "$grace" "$stopms" "$silence"; do case $n in ""|*[!0-9]*) fail protocol ;; esac; done
IFS= read -r l || fail protocol; dec "$l"; tgt=$v
IFS= read -r l || fail protocol; dec "$l"; app=$v
IFS= read -r l || fail protocol; dec "$l"; cmd=$v
IFS= read -r l || fail protocol
case $l in -) stop= ;; +*) dec "\${l#+}"; stop=$v ;; *) fail protocol ;; esac
set --
go=
while IFS= read -r l; do
  case $l in
    go) go=1; break ;;
    "env "*)
      l=\${l#env }; n=\${l%%=*}
      case $n in ""|[!A-Za-z_]*|*[!A-Za-z0-9_]*) fail protocol ;; esac
      dec "\${l#*=}"; set -- "$@" "$n=$v"
      ;;
    *) fail protocol ;;
  esac
done
[ -n "$go" ] || fail protocol

[ -e "$app" ] || fail no-app
[ -d "$app" ] || fail not-dir
cd -P "$tgt" 2>/dev/null || fail no-target
rt=$PWD
cd -P "$app" 2>/dev/null || fail no-access
case $rt in
  /) ;;
  *) case $PWD/ in "$rt"/*) ;; *) enc "$PWD"; a=$R; enc "$rt"; fail "outside $a $R" ;; esac ;;
esac
[ -x "$S" ] || fail no-setsid

# On both streams: what came before it is the login shell's (a chatty .bashrc), not the command's.
frame ready
frame ready >&2
exec 3<&0 4>&1
{
  {
    for kv do export "$kv"; done
    export RUNOPS_RUN_ID="$id"
    exec "$S" /bin/sh -c "$cmd"
  } </dev/null >&4 4>&- 3<&- &
  c=$!
  echo "run $c"
  { while IFS= read -r l; do case $l in cancel|ping) echo "$l" ;; esac; done; echo eof; } <&3 2>/dev/null 3<&- 4>&- &
  echo "helper $!"
  # One tick a second: runops pings every few seconds, so a long silence means it is gone.
  {
    trap 'kill "$z" 2>/dev/null; exit 0' TERM
    while :; do sleep 1 & z=$!; wait "$z"; echo tick; done
  } </dev/null 2>/dev/null 3<&- 4>&- &
  echo "helper $!"
  wait "$c" 2>/dev/null
  echo "exit $?"
} | {
  exec 3<&- 4>&-
  now() { read -r t _ </proc/uptime; t=\${t%.*}\${t#*.}; }
  # The run's live processes: C's session, and whatever carries the marker.
  # (A zombie's environ reads empty; ps shows its state.) One awk: fewer forks per poll.
  pids() {
    { ps -e -o pid= -o sid= -o stat=; grep -lzx -e "RUNOPS_RUN_ID=$id" /proc/[0-9]*/environ; } 2>/dev/null |
      awk -v s="$sid" '
        /^\/proc\// { split($0, f, "/"); p = f[3] }
        !/^\/proc\// { if ($2 != s || $3 ~ /^Z/) next; p = $1 }
        !(p in seen) { seen[p]; print p }'
  }
  sig() {
    kill -s "$1" -- "-$sid" 2>/dev/null
    for p in $(pids); do kill -s "$1" "$p" 2>/dev/null; done
  }
  # True once no process of the run is left; false after $1 ms.
  empty() {
    now; e=$((t + ($1 + 9) / 10))
    while [ -n "$(pids)" ]; do
      now; [ "$t" -ge "$e" ] && return 1
      sleep 0.02
    done
    return 0
  }
  alive() {
    s=
    read -r s 2>/dev/null </proc/"$1"/stat || return 1
    case \${s##*) } in Z*|X*) return 1 ;; esac
    return 0
  }
  note() { enc "$2"; a=$R; ( frame "$1 $a" ) & }
  cancel() {
    if [ -n "$stop" ]; then
      note stop
      {
        for kv do export "$kv"; done
        export RUNOPS_RUN_ID="$id"
        exec "$S" /bin/sh -c "$stop"
      } </dev/null &
      sp=$!
      now; e2=$((t + (stopms + 9) / 10))
      while alive "$sp"; do
        now
        if [ "$t" -ge "$e2" ]; then note stop-late; kill -s KILL -- "-$sp" 2>/dev/null; break; fi
        sleep 0.02
      done
    fi
    sig TERM
    empty "$grace" || { note kill; sig KILL; empty 1000; }
  }
  lost() {
    exec >/dev/null 2>&1
    sig TERM
    empty "$grace" || { sig KILL; empty 1000; }
  }
  leftovers() {
    empty 200 && return 0
    d=
    for p in $(pids); do
      n=?
      read -r n 2>/dev/null </proc/"$p"/comm
      d="$d\${d:+, }$p ($n)"
    done
    [ -n "$d" ] || return 0
    note left "$d"
    sig TERM
    empty 300 || { sig KILL; empty 1000; }
  }
  sid= helpers= st= term= quiet=0
  while IFS= read -r ev; do
    case $ev in
      "run "*) sid=\${ev#run } ;;
      "helper "*) helpers="$helpers \${ev#helper }" ;;
      ping) quiet=0 ;;
      tick)
        quiet=$((quiet + 1))
        # Connected but silent (a network gone quiet): as if the connection were lost.
        [ "$quiet" -lt "$silence" ] || { note silent; lost; break; }
        ;;
      cancel) [ -n "$term" ] || { term=1; cancel; } ;;
      eof) lost; break ;;
      "exit "*) st=\${ev#exit }; [ -n "$term" ] || leftovers; break ;;
    esac
  done
  kill $helpers 2>/dev/null
  exit "\${st:-125}"
}
`;

/** String.raw keeps `\${` (the shell's `${`, not an interpolation) as written. */
export const REMOTE_SCRIPT = SCRIPT.replaceAll("\\${", "${");

/** What one run sends the wrapper on stdin, before anything else. */
export type RemoteHeader = {
  /** Random per run: frames carrying it are the wrapper's, not the command's. */
  nonce: string;
  /** [A-Za-z0-9_-]+: the marker RUNOPS_RUN_ID=<runId> in every process of the run. */
  runId: string;
  graceMs: number;
  stopTimeoutMs: number;
  /** Seconds without a `ping` after which the wrapper ends the run as if the connection were lost. */
  silenceS: number;
  targetDir: string;
  cwd: string;
  command: string;
  stopCommand: string | null;
  /** Names match [A-Za-z_][A-Za-z0-9_]*; no value holds a NUL byte (the caller checks). */
  env: Array<[string, string]>;
};

/** One value a line: `\` and newline escaped, decoded by the wrapper's dec without evaluation. */
const encodeValue = (value: string) => value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");

export function encodeHeader(h: RemoteHeader): string {
  const lines = [
    h.nonce,
    PROTOCOL_VERSION,
    h.runId,
    String(Math.max(0, Math.round(h.graceMs))),
    String(Math.max(0, Math.round(h.stopTimeoutMs))),
    String(Math.max(1, Math.round(h.silenceS))),
    encodeValue(h.targetDir),
    encodeValue(h.cwd),
    encodeValue(h.command),
    h.stopCommand ? `+${encodeValue(h.stopCommand)}` : "-",
    ...h.env.map(([name, value]) => `env ${name}=${encodeValue(value)}`),
    "go",
  ];
  return `${lines.join("\n")}\n`;
}

/** What starts each of the wrapper's frames on stdout; the rest of the line is `word [argument]`. */
export const framePrefix = (nonce: string) => Buffer.from(`\x1erunops:${nonce} `, "latin1");

/** A frame's argument, as the wrapper's enc wrote it (`\\`, `\n`, `\s` for a space). */
export const decodeFrameArg = (text: string) =>
  text.replace(/\\([\\ns])/g, (_, c: string) => (c === "n" ? "\n" : c === "s" ? " " : "\\"));

/**
 * Splits the channel's stdout into output and the wrapper's frames
 * (`\x1erunops:<nonce> word arg\n`). Output is passed on as the chunks it came
 * in, uncopied; only bytes that may begin a frame at a chunk's end are held
 * until the next chunk (or the end).
 */
export class FrameReader {
  private readonly prefix: Buffer;
  private held: Buffer | null = null;
  private frame: Buffer[] | null = null;
  private frameBytes = 0;

  constructor(
    nonce: string,
    private readonly onOutput: (data: Buffer) => void,
    private readonly onFrame: (word: string, arg: string) => void,
  ) {
    this.prefix = framePrefix(nonce);
  }

  push(chunk: Buffer) {
    let data = chunk;
    if (this.held) {
      data = Buffer.concat([this.held, chunk]);
      this.held = null;
    }
    let start = 0; // of output not yet passed on
    let scan = 0;
    while (scan < data.length) {
      if (this.frame) {
        const nl = data.indexOf(0x0a, scan);
        const end = nl === -1 ? data.length : nl;
        // A frame is a short line; a runaway one is not ours, so it is dropped, not buffered forever.
        if (this.frameBytes < 64 * 1024) this.frame.push(data.subarray(scan, end));
        this.frameBytes += end - scan;
        if (nl === -1) return;
        const text = Buffer.concat(this.frame).toString("utf8");
        this.frame = null;
        const space = text.indexOf(" ");
        this.onFrame(space === -1 ? text : text.slice(0, space), space === -1 ? "" : text.slice(space + 1));
        start = scan = nl + 1;
        continue;
      }
      const at = data.indexOf(FRAME_START, scan);
      if (at === -1) break;
      const avail = data.length - at;
      if (avail >= this.prefix.length) {
        if (data.compare(this.prefix, 0, this.prefix.length, at, at + this.prefix.length) === 0) {
          if (at > start) this.onOutput(data.subarray(start, at));
          this.frame = [];
          this.frameBytes = 0;
          scan = at + this.prefix.length;
          start = scan;
          continue;
        }
      } else if (data.compare(this.prefix, 0, avail, at, data.length) === 0) {
        if (at > start) this.onOutput(data.subarray(start, at));
        this.held = Buffer.from(data.subarray(at));
        return;
      }
      scan = at + 1;
    }
    if (start < data.length && !this.frame) this.onOutput(start === 0 ? data : data.subarray(start));
  }

  /** The stream ended: held bytes were output after all. */
  end() {
    if (this.held) {
      const held = this.held;
      this.held = null;
      this.onOutput(held);
    }
    this.frame = null;
  }
}

/** Single-quoted for the login shell: `'` becomes `'\''`. */
function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The exec request's command: the same string for every run. */
export const REMOTE_COMMAND = `exec /bin/sh -c ${shQuote(REMOTE_SCRIPT)} runops-ssh`;
