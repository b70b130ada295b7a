import { type Document, type Pair, type YAMLMap, isAlias, isMap, isNode, isScalar, isSeq } from "yaml";

import { keyToString, type PathSegment } from "./yaml-path";

export type SourcePosition = { line: number; column: number };

// Merge chains and alias chains are short in real files; the bound only protects against cycles.
const MAX_INDIRECTION = 32;

export function nodeOffset(node: unknown): number | null {
  return isNode(node) && node.range ? node.range[0] : null;
}

function deref(doc: Document, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < MAX_INDIRECTION && isAlias(current); i++) current = current.resolve(doc);
  return current;
}

/** A `<<` merge key: a plain `<<` (quoted, it is an ordinary key), or yaml's merge symbol. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (typeof key.value === "symbol") return true;
  return key.value === "<<" && (key.type === undefined || key.type === "PLAIN");
}

function isMergePair(pair: Pair): boolean {
  return isMergeKey(pair.key);
}

function keyMatches(doc: Document, keyNode: unknown, key: string): boolean {
  const target = deref(doc, keyNode);
  return isScalar(target) && keyToString(target.value) === key;
}

/**
 * The pair that gives `key` its value, as the loader resolves it: the last explicit pair wins
 * (duplicate keys are allowed), otherwise the first merge source (`<<`) that has the key.
 */
function findPair(doc: Document, map: YAMLMap, key: string, depth: number): Pair | null {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (pair && !isMergePair(pair) && keyMatches(doc, pair.key, key)) return pair;
  }
  if (depth >= MAX_INDIRECTION) return null;
  for (const pair of map.items) {
    if (!isMergePair(pair)) continue;
    const value = deref(doc, pair.value);
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const sourceMap = deref(doc, source);
      if (!isMap(sourceMap)) continue;
      const found = findPair(doc, sourceMap, key, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

function isEmptyValue(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && node.source === "");
}

/**
 * Where the node at `path` is written. When the path runs out (a required key is missing),
 * the answer is the key of the deepest node that exists, which is where the fix goes; an
 * empty value (`role:`) is likewise reported at its key. With `at: "key"`, the answer is the
 * key of the last segment (where a name is written) rather than its value.
 */
export function locateYamlPath(
  doc: Document,
  path: readonly PathSegment[],
  position: (offset: number) => SourcePosition,
  at: "value" | "key" = "value",
): SourcePosition {
  let node: unknown = doc.contents;
  let keyOffset: number | null = null;
  const fallback = (): SourcePosition => position(keyOffset ?? nodeOffset(node) ?? 0);

  for (const segment of path) {
    const target = deref(doc, node);
    if (isMap(target)) {
      const pair = findPair(doc, target, String(segment), 0);
      if (!pair) return fallback();
      keyOffset = nodeOffset(pair.key);
      node = pair.value;
    } else if (isSeq(target) && typeof segment === "number" && target.items[segment] !== undefined) {
      keyOffset = null;
      node = target.items[segment];
    } else {
      // The path goes on below a scalar (`x:` left empty, `commands: make`): point at it.
      return isEmptyValue(node) ? fallback() : position(nodeOffset(node) ?? keyOffset ?? 0);
    }
  }
  if (at === "key" || isEmptyValue(node)) return fallback();
  return position(nodeOffset(node) ?? keyOffset ?? 0);
}
