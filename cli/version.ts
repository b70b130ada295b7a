import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's version, from the package.json of the runops package this
 * module is part of. Found by walking up: the module runs from cli/ or, when
 * bundled by bin/runops.mjs, from node_modules/.cache/runops-cli/<key>/.
 */
export const VERSION: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (typeof pkg === "object" && pkg !== null && "name" in pkg && pkg.name === "runops") {
        return "version" in pkg && typeof pkg.version === "string" ? pkg.version : "0.0.0";
      }
    } catch {
      // No package.json here: look further up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return "0.0.0";
    dir = parent;
  }
})();

/** Sent with every request: the server records runs started with it as started from the CLI. */
export const CLIENT_HEADER = `cli/${VERSION}`;
