import {
  type CollectionTag,
  type Document,
  LineCounter,
  type ScalarTag,
  type Tags,
  isAlias,
  isMap,
  isSeq,
  parseDocument,
  visit,
} from "yaml";

import { findDuplicateKeys } from "./find-duplicate-keys";
import type { ConfigIssue, ConfigWarning } from "./types";
import { UnresolvedTag } from "./unresolved-tag";
import { createYamlLocator, isMergeKey, nodeOffset, pathOf, type SourcePosition } from "./locate-yaml-path";
import { formatYamlPath, type PathSegment } from "./yaml-path";

/** Upsun config files are a few KiB; anything past this is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Real configs use a handful of anchors and aliases. Past this many aliases (or anchors) a file
 * is refused; past this many alias expansions while loading (a billion-laughs document nests
 * few aliases that expand exponentially) too.
 */
export const MAX_ALIAS_COUNT = 1000;
/** After a syntax error the parser's later errors are mostly echoes of the first; a few suffice. */
export const MAX_SYNTAX_ISSUES = 10;

export type LoadedYaml = {
  file: string;
  /** The document as JS: mappings are `Map`s with string keys (file order kept, even for "10"), sequences arrays. */
  value: unknown;
  /** Position of the node at `path`, or of the nearest existing ancestor key when it is missing. */
  locate(path: readonly PathSegment[]): SourcePosition;
  /** Position of the key naming the node at `path` (e.g. an application's name). */
  locateKey(path: readonly PathSegment[]): SourcePosition;
  /** Keys written twice in a mapping, in file order: loaded last-wins, to be shown. */
  warnings: ConfigWarning[];
};

export type LoadYamlResult = { ok: true; yaml: LoadedYaml } | { ok: false; issues: ConfigIssue[] };

const UPSUN_TAGS = ["!include", "!archive"];

const BOOL_TAG = "tag:yaml.org,2002:bool";
const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";

// YAML 1.1 booleans as PyYAML reads them: yes/no/on/off/true/false in three casings, but not
// the spec's single-letter y/n, which real configs use as plain text.
const booleans: ScalarTag[] = [
  {
    tag: BOOL_TAG,
    default: true,
    identify: (v) => v === true,
    test: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => true,
  },
  {
    tag: BOOL_TAG,
    default: true,
    identify: (v) => v === false,
    test: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => false,
  },
];

// The YAML 1.1 schema (booleans above, `<<` merge keys, 0755 octals) is what Upsun's parser
// speaks, minus timestamps: a Date cannot become an env value faithfully, the text can.
function upsunTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === "string" || (t.tag !== TIMESTAMP_TAG && t.tag !== BOOL_TAG));
  const custom: Array<ScalarTag | CollectionTag> = UPSUN_TAGS.flatMap((tag) => [
    { tag, resolve: () => new UnresolvedTag(tag) } satisfies ScalarTag,
    { tag, collection: "map", resolve: () => new UnresolvedTag(tag) } satisfies CollectionTag,
    { tag, collection: "seq", resolve: () => new UnresolvedTag(tag) } satisfies CollectionTag,
  ]);
  return [...kept, ...booleans, ...custom];
}

export function byteLength(text: string): number {
  // Every UTF-16 unit is at least one UTF-8 byte: skip encoding text that is too long anyway.
  if (text.length > MAX_CONFIG_BYTES) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

export function tooLargeIssue(file: string, bytes: number): ConfigIssue {
  const mib = (bytes / (1024 * 1024)).toFixed(1);
  return {
    file,
    line: 0,
    column: 0,
    path: "",
    message: `file is too large (${bytes} bytes, ${mib} MiB); the limit is 1 MiB`,
  };
}

/** Parses one YAML file. Pure: the caller reads the file. Never throws on bad input. */
export function loadYamlDocument(text: string, file: string): LoadYamlResult {
  const bytes = byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) return { ok: false, issues: [tooLargeIssue(file, bytes)] };

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      version: "1.1",
      schema: "yaml-1.1",
      merge: true,
      // Upsun keeps the last of duplicate keys (see fixture platformsh/002); so do we, with a
      // warning for each (find-duplicate-keys.ts).
      uniqueKeys: false,
      // Keys are names (apps, operations, env vars): `on:`, `N:` or `10:` name what is written,
      // not true, false or a number.
      stringKeys: true,
      customTags: upsunTags,
      prettyErrors: false,
      // Problems are returned as issues; nothing should go to the server's stderr.
      logLevel: "error",
    });
  } catch (error) {
    // yaml reports its own failures as document errors; this is a last resort.
    return {
      ok: false,
      issues: [{ file, line: 1, column: 1, path: "", message: `cannot parse YAML: ${messageOf(error)}` }],
    };
  }

  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issueAt = (offset: number, path: readonly PathSegment[], message: string): ConfigIssue => ({
    file,
    ...position(offset),
    path: formatYamlPath(path),
    message,
  });

  // Unknown tags must not break loading: Upsun adds tags over time and runops ignores them.
  const errors = doc.errors.filter((e) => e.code !== "TAG_RESOLVE_FAILED");
  if (errors.length > 0) {
    const issues = errors.slice(0, MAX_SYNTAX_ISSUES).map((e, i) => {
      // An unterminated quote is reported where the parser gave up; the string that is not
      // closed starts earlier, and that is where the user must look. Only for the first error:
      // it is the one that matters, and each lookup walks the whole document.
      const scalar = i === 0 ? scalarAt(doc, e.pos[0]) : null;
      return issueAt(scalar?.start ?? e.pos[0], scalar?.path ?? [], syntaxMessage(e.message));
    });
    const more = errors.length - issues.length;
    if (more > 0)
      issues.push({ file, line: 0, column: 0, path: "", message: `${more} more YAML syntax errors` });
    return { ok: false, issues };
  }

  // Counted before loading: yaml resolves each alias by scanning the document, so thousands of
  // them cost quadratic time even when they expand to little.
  const counted = countAliases(doc);
  if (counted.aliases > MAX_ALIAS_COUNT || counted.anchors > MAX_ALIAS_COUNT) {
    const what = counted.aliases > MAX_ALIAS_COUNT ? "aliases" : "anchors";
    const count = Math.max(counted.aliases, counted.anchors);
    return {
      ok: false,
      issues: [
        issueAt(counted.firstOffset ?? 0, [], `too many ${what} (${count}; the limit is ${MAX_ALIAS_COUNT})`),
      ],
    };
  }

  const locator = createYamlLocator(doc, position);
  const mergeIssues = checkMergeSources(doc, locator.deref).map((m) => issueAt(m.offset, m.path, m.message));
  if (mergeIssues.length > 0) return { ok: false, issues: mergeIssues };

  let value: unknown;
  try {
    value = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const excessive = error instanceof ReferenceError && /excessive alias count/i.test(error.message);
    const message = excessive
      ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): refusing a document that expands exponentially`
      : `cannot load YAML: ${messageOf(error)}`;
    return { ok: false, issues: [issueAt(counted.firstOffset ?? 0, [], message)] };
  }

  return {
    ok: true,
    yaml: {
      file,
      value,
      locate: (path) => locator.locate(path),
      locateKey: (path) => locator.locate(path, "key"),
      warnings: findDuplicateKeys(doc, file, position, locator.deref),
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Without prettyErrors yaml's messages are one line already; keep only that line regardless.
function syntaxMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return `YAML syntax error: ${first.trim()}`;
}

/** The scalar whose text contains `offset`, and its YAML path. */
function scalarAt(doc: Document.Parsed, offset: number): { start: number; path: PathSegment[] } | null {
  let found: { start: number; path: PathSegment[] } | null = null;
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (!node.range || offset < node.range[0] || offset > node.range[1]) return;
      found = { start: node.range[0], path: pathOf(ancestors, node) };
      return visit.BREAK;
    },
  });
  return found;
}

function countAliases(doc: Document.Parsed): {
  aliases: number;
  anchors: number;
  firstOffset: number | null;
} {
  let aliases = 0;
  let anchors = 0;
  let firstOffset: number | null = null;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        aliases++;
        firstOffset ??= nodeOffset(node);
      } else if (node.anchor) {
        anchors++;
      }
    },
  });
  return { aliases, anchors, firstOffset };
}

type MergeProblem = { offset: number; path: PathSegment[]; message: string };

// yaml throws mid-conversion on a bad merge source; checking first lets us point at it.
function checkMergeSources(doc: Document.Parsed, deref: (node: unknown) => unknown): MergeProblem[] {
  const problems: MergeProblem[] = [];
  visit(doc, {
    Pair(_key, pair, ancestors) {
      if (!isMergeKey(pair.key)) return;
      const value = deref(pair.value);
      const sources = isSeq(value) ? value.items : [pair.value];
      for (const source of sources) {
        if (isMap(deref(source))) continue;
        const parentPath = pathOf(ancestors.slice(0, -1), ancestors[ancestors.length - 1]);
        problems.push({
          offset: nodeOffset(source) ?? nodeOffset(pair.key) ?? 0,
          path: [...parentPath, "<<"],
          message: "merge key `<<` expects a mapping, an alias of a mapping, or a list of those",
        });
      }
    },
  });
  return problems;
}
