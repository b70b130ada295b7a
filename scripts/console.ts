/**
 * The console process: `node --import tsx scripts/console.ts [--dev] -p PORT -H HOST`
 * (what `npm start` runs; see lib/console/http-server.ts for why not `next start`).
 */
import { serverEnv } from "../lib/env";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dev = args.includes("--dev");
const port = Number(flag("-p") ?? serverEnv().PORT);
const hostname = flag("-H") ?? serverEnv().HOST;
// Before Next.js and React are loaded: they choose their production builds from it.
if (!dev) (process.env as Record<string, string>).NODE_ENV = "production";
const { startConsoleServer } = await import("../lib/console/http-server");

startConsoleServer({ dev, port, hostname, dir: process.cwd() }).then(
  () => console.log(`✓ Ready: console listening on http://${hostname}:${port}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
