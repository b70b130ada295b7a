/** One step into a YAML document: a mapping key (as a string) or a sequence index. */
export type PathSegment = string | number;

// Keys such as "my.app" or "https://{default}/" would make a dotted path ambiguous: quote them.
const PLAIN_KEY = /^[A-Za-z0-9_@$-]+$/;

/** `applications.app.operations.clear-rebuild.role`, `routes["https://{default}/"].type`, `stack[0]`. */
export function formatYamlPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * The string runops uses for a mapping key. The loader reads keys as written text already
 * (`on:` is "on", `10:` is "10"); this covers anything else defensively. A null key is "";
 * collections as keys cannot name anything: null.
 */
export function keyToString(key: unknown): string | null {
  if (key === null || key === undefined) return "";
  if (typeof key === "string") return key;
  if (typeof key === "number" || typeof key === "boolean" || typeof key === "bigint") return String(key);
  return null;
}
