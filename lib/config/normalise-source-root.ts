export type SourceRootResult = { ok: true; root: string } | { ok: false; message: string };

/**
 * `source.root` names a directory of the repository. Upsun writes it either way ("/backend",
 * "backend", "/" for the top), so a leading slash means "from the repository root", not the
 * host's root. The result is relative, without "." or empty segments, "" for the root; the
 * executor joins it to the target, so it must never climb out with "..".
 */
export function normaliseSourceRoot(root: string): SourceRootResult {
  if (root.includes("\0")) return { ok: false, message: "must not contain a NUL character" };
  const parts: string[] = [];
  for (const segment of root.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) {
        return { ok: false, message: `${JSON.stringify(root)} points outside the project directory` };
      }
      parts.pop();
      continue;
    }
    parts.push(segment);
  }
  return { ok: true, root: parts.join("/") };
}
