import type { Env } from "../env.ts";

/** Minimal SGR styling for messages on a terminal; plain text everywhere else. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

const ansiStyle: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const identity = (s: string) => s;
const plain: Style = {
  bold: identity,
  dim: identity,
  red: identity,
  green: identity,
  yellow: identity,
  cyan: identity,
};

/**
 * Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org)
 * or TERM=dumb; `--ansi` / `--no-ansi` (`ansi`) decide over all of that.
 */
export function styleFor(stream: { isTTY?: boolean }, env: Env, ansi?: boolean): Style {
  if (ansi !== undefined) return ansi ? ansiStyle : plain;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return ansiStyle;
  if (env.NO_COLOR || env.TERM === "dumb" || !stream.isTTY) return plain;
  return ansiStyle;
}

const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI_PATTERN, "");
}

/** Columns a string takes on a terminal: escape sequences take none, combining marks none, wide CJK two. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const char of stripAnsi(s)) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    if (/\p{Mn}|\p{Me}|\u200b|\u200d/u.test(char)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
