import { type Document, type Pair, isScalar, visit } from "yaml";

import { isMergeKey, nodeOffset, pathOf, type SourcePosition } from "./locate-yaml-path";
import type { ConfigWarning } from "./types";
import { formatYamlPath, keyToString } from "./yaml-path";

/**
 * Every key written more than once in one mapping of a parsed document, as a warning with the
 * first and the last position. The document loads with the last value (as Upsun's parser
 * does); these say so. `<<` merge keys are not duplicates, nor is a key that overrides what a
 * merge brings: that is what merges are for. A mapping written once under an anchor and used
 * through aliases is reported once, where it is written.
 */
export function findDuplicateKeys(
  doc: Document.Parsed,
  file: string,
  position: (offset: number) => SourcePosition,
  deref: (node: unknown) => unknown,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  visit(doc, {
    Map(_key, map, ancestors) {
      const byName = new Map<string, Pair[]>();
      for (const pair of map.items) {
        if (isMergeKey(pair.key)) continue;
        const key = deref(pair.key);
        // Collections as keys name nothing runops or Upsun reads.
        const name = isScalar(key) ? keyToString(key.value) : null;
        if (name === null) continue;
        const seen = byName.get(name);
        if (seen) seen.push(pair);
        else byName.set(name, [pair]);
      }
      for (const [name, pairs] of byName) {
        if (pairs.length < 2) continue;
        const spots = pairs.map((p) => position(nodeOffset(p.key) ?? nodeOffset(p.value) ?? 0));
        const first = spots[0];
        const kept = spots[spots.length - 1];
        if (!first || !kept) continue;
        warnings.push({
          file,
          path: formatYamlPath([...pathOf(ancestors, map), name]),
          first,
          kept,
          message: duplicateMessage(name, spots),
        });
      }
    },
  });
  return warnings;
}

const PLAIN_NAME = /^[^`\s]+$/;

/** "`role` is set twice (lines 9 and 12); the second (line 12) wins, as on Upsun". */
function duplicateMessage(name: string, spots: readonly SourcePosition[]): string {
  const shown = PLAIN_NAME.test(name) ? `\`${name}\`` : JSON.stringify(name);
  // In a flow mapping (`{ a: 1, a: 2 }`) the occurrences share a line: give columns too.
  const oneLine = new Set(spots.map((s) => s.line)).size < spots.length;
  const label = (s: SourcePosition) => (oneLine ? `${s.line}:${s.column}` : `line ${s.line}`);
  const labels = spots.map((s) => (oneLine ? `${s.line}:${s.column}` : String(s.line)));
  const list = `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1] ?? ""}`;
  const where = oneLine ? `at ${list}` : `lines ${list}`;
  const kept = spots[spots.length - 1];
  const times = spots.length === 2 ? "twice" : `${spots.length} times`;
  const which = spots.length === 2 ? "the second" : "the last";
  return `${shown} is set ${times} (${where}); ${which} (${kept ? label(kept) : ""}) wins, as on Upsun`;
}
