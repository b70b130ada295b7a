/**
 * `npm start`: one command from a fresh clone to a working console. Migrates
 * the database (SQLite by default), seeds the demo when the database is
 * empty, builds the console when the sources changed, and serves it.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { serverEnv } from "../lib/env";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../lib/seed/seed-demo";

const root = process.cwd();
const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "0.0.0.0";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.DATABASE_URL ??= "file:./data/runops.db";
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
mkdirSync(path.join(root, "data"), { recursive: true });
if (!process.env.NEXTAUTH_SECRET) {
  // A secret per installation, kept beside the SQLite file: sessions survive restarts.
  const file = path.join(root, "data", "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}

const url = process.env.DATABASE_URL;
const { applied } = await migrate(url);
if (applied.length > 0) console.log(`runops: applied migrations ${applied.join(", ")}`);
const db = createDb(url);
// RUNOPS_SEED_DEMO=0 (production installs): an empty database gets the first-start page instead.
const seedWanted = serverEnv().RUNOPS_SEED_DEMO === "1";
const empty = (await db.user.count()) === 0;
const seeded = empty && seedWanted ? await seedDemo(db, root) : false;
await db.$disconnect();

const next = path.join(root, "node_modules", ".bin", "next");
if (!dev && buildIsStale()) {
  console.log("runops: building the console (first start or sources changed)…");
  const build = spawnSync(next, ["build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(next, [dev ? "dev" : "start", "-p", port, "-H", host], {
  stdio: ["inherit", "pipe", "inherit"],
  env: process.env,
});
let announced = false;
server.stdout.on("data", (d: Buffer) => {
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
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

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
  return ["app", "components", "lib", "next.config.ts", "instrumentation.ts", "package-lock.json"]
    .map((p) => path.join(root, p))
    .some((p) => existsSync(p) && newer(p));
}
