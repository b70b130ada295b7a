/**
 * `npm run bench [-- p1 p3 …] [--source=worktree|HEAD|<commit>] [--quick] [--cpu-prof]`: the
 * benchmark suite of docs/benchmarks.md. Each benchmark starts its own runops server (and
 * PostgreSQL for P1, P2-pg, P5, P7) on a fresh database, runs runops and its baseline in the same run, and stops
 * everything it started. One table at the end; raw numbers in bench/results/<timestamp>.json.
 */
import { p1 } from "./p1-first-byte";
import { p2, p2pg } from "./p2-throughput";
import { p3 } from "./p3-viewers";
import { p4 } from "./p4-browser";
import { p5 } from "./p5-history";
import { p6 } from "./p6-memory";
import { p7 } from "./p7-dispatch";
import { p8 } from "./p8-ssh";
import { p9 } from "./p9-list-load";
import { p10 } from "./p10-stalled-viewers";
import { parseArgs, runBenchmarks } from "./support/runner";

const ALL = [p1, p2, p2pg, p3, p4, p5, p6, p7, p8, p9, p10];

const { names, options } = parseArgs(
  process.argv.slice(2),
  ALL.map((b) => b.id),
);
const chosen = names.length > 0 ? ALL.filter((b) => names.includes(b.id)) : ALL;
runBenchmarks(chosen, options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
