import {
  type Document,
  type Pair,
  type YAMLMap,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  visit,
} from "yaml";

import { keyToString, type PathSegment } from "./yaml-path";

export type SourcePosition = { line: number; column: number };

export type YamlLocator = {
  /**
   * Where the node at `path` is written. When the path runs out (a required key is missing),
   * the answer is the key of the deepest node that exists, which is where the fix goes; an
   * empty value (`role:`) is likewise reported at its key. With `at: "key"`, the answer is the
   * key of the last segment (where a name is written) rather than its value.
   */
  locate(path: readonly PathSegment[], at?: "value" | "key"): SourcePosition;
  /** The node an alias stands for (any other node is returned as is). */
  deref(node: unknown): unknown;
};

// Merge chains and alias chains are short in real files; the bound only protects against cycles.
const MAX_INDIRECTION = 32;

export function nodeOffset(node: unknown): number | null {
  return isNode(node) && node.range ? node.range[0] : null;
}

/** A `<<` merge key: a plain `<<` (quoted, it is an ordinary key), or yaml's merge symbol. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (typeof key.value === "symbol") return true;
  return key.value === "<<" && (key.type === undefined || key.type === "PLAIN");
}

// The YAML path of a node from the ancestors `visit` hands us.
export function pathOf(ancestors: readonly unknown[], node: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  const chain = [...ancestors, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isPair(parent) && parent.value === child && isScalar(parent.key)) {
      path.push(keyToString(parent.key.value) ?? "?");
    } else if (isSeq(parent)) {
      path.push(parent.items.findIndex((item) => item === child));
    }
  }
  return path;
}

function isEmptyValue(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && node.source === "");
}

type MapIndex = { byKey: Map<string, Pair>; merges: Pair[] };

/**
 * Answers "where is this path written?" for one document. Indexes are built lazily and kept, so
 * reporting thousands of issues stays linear in the size of the document.
 */
export function createYamlLocator(doc: Document, position: (offset: number) => SourcePosition): YamlLocator {
  let aliasTargets: Map<unknown, unknown> | null = null;
  const mapIndexes = new WeakMap<YAMLMap, MapIndex>();

  // The same rule as yaml's Alias.resolve (the last anchor of that name before the alias, in
  // document order), computed for every alias in one pass instead of one pass per alias.
  function targetOf(alias: unknown): unknown {
    if (aliasTargets === null) {
      const targets = new Map<unknown, unknown>();
      const anchors = new Map<string, unknown>();
      visit(doc, {
        Node(_key, node) {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      aliasTargets = targets;
    }
    return aliasTargets.get(alias);
  }

  function deref(node: unknown): unknown {
    let current = node;
    for (let i = 0; i < MAX_INDIRECTION && isAlias(current); i++) current = targetOf(current);
    return current;
  }

  function indexOf(map: YAMLMap): MapIndex {
    const known = mapIndexes.get(map);
    if (known) return known;
    const index: MapIndex = { byKey: new Map(), merges: [] };
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        index.merges.push(pair);
        continue;
      }
      const key = deref(pair.key);
      const name = isScalar(key) ? keyToString(key.value) : null;
      // Later pairs overwrite earlier ones: the last of duplicate keys wins, as when loading.
      if (name !== null) index.byKey.set(name, pair);
    }
    mapIndexes.set(map, index);
    return index;
  }

  // The pair that gives `key` its value as the loader resolves it: the explicit pair if any,
  // otherwise the first merge source (`<<`) that has the key.
  function findPair(map: YAMLMap, key: string, depth: number): Pair | null {
    const index = indexOf(map);
    const explicit = index.byKey.get(key);
    if (explicit) return explicit;
    if (depth >= MAX_INDIRECTION) return null;
    for (const pair of index.merges) {
      const value = deref(pair.value);
      const sources = isSeq(value) ? value.items : [value];
      for (const source of sources) {
        const sourceMap = deref(source);
        if (!isMap(sourceMap)) continue;
        const found = findPair(sourceMap, key, depth + 1);
        if (found) return found;
      }
    }
    return null;
  }

  function locate(path: readonly PathSegment[], at: "value" | "key" = "value"): SourcePosition {
    let node: unknown = doc.contents;
    let keyOffset: number | null = null;
    const fallback = (): SourcePosition => position(keyOffset ?? nodeOffset(node) ?? 0);

    for (const segment of path) {
      const target = deref(node);
      if (isMap(target)) {
        const pair = findPair(target, String(segment), 0);
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

  return { locate, deref };
}
