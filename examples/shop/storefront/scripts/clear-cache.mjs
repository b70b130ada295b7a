// Empties var/cache of the storefront (an admin-only operation in the demo).
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

const dir = path.resolve(process.env.CACHE_DIR ?? "var/cache");
await mkdir(dir, { recursive: true });
// Give the demo something to clear on a fresh checkout.
const entries = await readdir(dir);
if (entries.length === 0) {
  for (let i = 1; i <= 5; i++) await writeFile(path.join(dir, `page-${i}.cache`), `cached page ${i}\n`);
}
for (const name of await readdir(dir)) {
  await rm(path.join(dir, name), { recursive: true, force: true });
  console.log(`removed ${name}`);
}
console.log("\x1b[32mcache cleared\x1b[0m");
