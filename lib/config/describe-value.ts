import { UnresolvedTag } from "./unresolved-tag";
import { isYamlMap } from "./yaml-map";

const MAX_SHOWN = 60;

/** How a YAML value is shown after "got" in an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value instanceof UnresolvedTag) {
    return `an unresolved ${value.tag} tag (runops does not read files referenced from the config)`;
  }
  if (isYamlMap(value)) return "a mapping";
  if (Array.isArray(value) || value instanceof Set) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  return typeof value;
}
