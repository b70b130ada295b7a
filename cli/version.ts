import { readFileSync } from "node:fs";

/** The package's version, read once from package.json (the CLI ships inside the package). */
export const VERSION: string = (() => {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    if (typeof pkg === "object" && pkg !== null && "version" in pkg && typeof pkg.version === "string") {
      return pkg.version;
    }
  } catch {
    // A broken install still runs; the version is only informative.
  }
  return "0.0.0";
})();

/** Sent with every request: the server records runs started with it as started from the CLI. */
export const CLIENT_HEADER = `cli/${VERSION}`;
