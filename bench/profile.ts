/**
 * `npx tsx bench/profile.ts <file.cpuprofile> [top] [--callers <regex>]`: where a server's CPU
 * time went, from the V8 profiles `npm run bench -- --cpu-prof` writes
 * (bench/results/profiles/<time>/<bench>/). Prints self time by function and by package/file
 * (idle and GC included); with --callers, the call stacks (innermost first) that lead to the
 * functions or files matching the regex, with their total time.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function where(url: string): string {
  if (!url) return "(native / V8)";
  const file = url.replace(/^file:\/\//, "");
  const nm = file.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = file.slice(nm + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
  }
  if (file.startsWith("node:")) return file;
  const next = file.indexOf("/.next/");
  return next >= 0 ? file.slice(next + 1) : path.basename(file);
}

function main() {
  const args = process.argv.slice(2);
  const callersAt = args.indexOf("--callers");
  const callers = callersAt >= 0 ? new RegExp(args[callersAt + 1] ?? ".") : null;
  if (callersAt >= 0) args.splice(callersAt, 2);
  const [file, topArg] = args;
  if (!file) {
    console.error("usage: npx tsx bench/profile.ts <file.cpuprofile> [top=25] [--callers <regex>]");
    process.exit(2);
  }
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"} ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const group = ["(idle)", "(program)", "(garbage collector)"].includes(functionName)
      ? functionName
      : where(url);
    pkg.set(group, (pkg.get(group) ?? 0) + us);
  }
  const pct = (us: number) =>
    `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nby package / file:`);
  for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
  console.log("\nby function (self time):");
  for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
  if (callers) printCallers(profile, byId, self, callers, top, pct);
}

/** Total time under the matching frames, grouped by the chain of callers above them. */
function printCallers(
  profile: CpuProfile,
  byId: Map<number, ProfileNode>,
  self: Map<number, number>,
  match: RegExp,
  top: number,
  pct: (us: number) => string,
) {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const matches = (n: ProfileNode) => match.test(label(n));
  const stacks = new Map<string, number>();
  for (const [id, us] of self) {
    // The outermost matching frame on this sample's stack, and six callers above it.
    let hit: number | null = null;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node && matches(node)) hit = cur;
    }
    if (hit === null) continue;
    const chain: string[] = [];
    for (let cur: number | undefined = hit; cur !== undefined && chain.length < 7; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) chain.push(label(node));
    }
    const key = chain.join("\n          ← ");
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  console.log(`\ntime under ${match}, by callers:`);
  for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(v)}  ${k}\n`);
}

main();
