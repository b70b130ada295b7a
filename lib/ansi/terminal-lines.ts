/**
 * Turns command output into styled lines the way a terminal would show them:
 * SGR colours (16, 256, truecolor), bold, dim, italic, underline, inverse;
 * `\r` moves back to the start of the line so what follows overwrites it
 * (progress bars); `ESC[K` clears to the end of the line. Other escape
 * sequences are dropped; nothing here ever becomes markup.
 */

export type Style = {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
};
export type Segment = { text: string; style: Style };
export type TerminalLine = { segments: Segment[]; stream: string };

const BASE16 = [
  "#1e1e1e",
  "#cd3131",
  "#0dbc79",
  "#e5e510",
  "#2472c8",
  "#bc3fbc",
  "#11a8cd",
  "#e5e5e5",
  "#666666",
  "#f14c4c",
  "#23d18b",
  "#f5f543",
  "#3b8eea",
  "#d670d6",
  "#29b8db",
  "#ffffff",
];

function color256(n: number): string | undefined {
  if (n < 0 || n > 255) return undefined;
  if (n < 16) return BASE16[n];
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

/** Applies one SGR parameter list to a style; unknown codes are ignored. */
export function applySgr(style: Style, params: number[]): Style {
  let s: Style = { ...style };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) s = {};
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) s.bold = s.dim = undefined;
    else if (p === 23) s.italic = undefined;
    else if (p === 24) s.underline = undefined;
    else if (p === 27) s.inverse = undefined;
    else if (p >= 30 && p <= 37) s.fg = BASE16[p - 30];
    else if (p >= 90 && p <= 97) s.fg = BASE16[p - 90 + 8];
    else if (p >= 40 && p <= 47) s.bg = BASE16[p - 40];
    else if (p >= 100 && p <= 107) s.bg = BASE16[p - 100 + 8];
    else if (p === 39) s.fg = undefined;
    else if (p === 49) s.bg = undefined;
    else if (p === 38 || p === 48) {
      const mode = params[i + 1];
      let value: string | undefined;
      if (mode === 5) {
        value = color256(params[i + 2] ?? -1);
        i += 2;
      } else if (mode === 2) {
        const [r, g, b] = [params[i + 2], params[i + 3], params[i + 4]];
        const ok = [r, g, b].every((v) => v !== undefined && v >= 0 && v <= 255);
        value = ok ? `rgb(${r},${g},${b})` : undefined;
        i += 4;
      } else {
        i = params.length; // malformed: ignore the rest
      }
      if (value) {
        if (p === 38) s.fg = value;
        else s.bg = value;
      }
    }
  }
  for (const k of Object.keys(s) as (keyof Style)[]) if (s[k] === undefined) delete s[k];
  return s;
}

const sameStyle = (a: Style, b: Style) =>
  a.fg === b.fg &&
  a.bg === b.bg &&
  a.bold === b.bold &&
  a.dim === b.dim &&
  a.italic === b.italic &&
  a.underline === b.underline &&
  a.inverse === b.inverse;

/** Incremental: feed text as it arrives (escape sequences may be split across calls). */
export class TerminalLines {
  readonly lines: TerminalLine[] = [];
  private chars: string[] = [];
  private styles: Style[] = [];
  private cursor = 0;
  private style: Style = {};
  private pendingEscape = "";
  private stream = "stdout";
  private lineStarted = false;

  push(text: string, stream: string) {
    if (!this.lineStarted) this.stream = stream;
    let input = this.pendingEscape + text;
    this.pendingEscape = "";
    let i = 0;
    while (i < input.length) {
      const ch = input[i] as string;
      if (ch === "\x1b") {
        const consumed = this.escape(input, i);
        if (consumed === 0) {
          this.pendingEscape = input.slice(i);
          input = "";
          break;
        }
        i += consumed;
        continue;
      }
      if (ch === "\n") this.endLine(stream);
      else if (ch === "\r") this.cursor = 0;
      else if (ch === "\b") this.cursor = Math.max(0, this.cursor - 1);
      else if (ch === "\t" || ch >= " ") this.put(ch, stream);
      // Other control characters are not shown.
      i++;
    }
  }

  /** The line being written (not yet ended by a newline), if any. */
  partial(): TerminalLine | null {
    return this.lineStarted ? { segments: this.segments(), stream: this.stream } : null;
  }

  /** Ends the log: a partial line becomes a line; a cut escape is shown as text. */
  finish() {
    if (this.pendingEscape) {
      const rest = this.pendingEscape;
      this.pendingEscape = "";
      for (const ch of rest.slice(1)) this.put(ch, this.stream);
    }
    if (this.lineStarted) this.endLine(this.stream);
  }

  private put(ch: string, stream: string) {
    if (!this.lineStarted) {
      this.lineStarted = true;
      this.stream = stream;
    }
    this.chars[this.cursor] = ch;
    this.styles[this.cursor] = this.style;
    this.cursor++;
  }

  private endLine(stream: string) {
    this.lines.push({ segments: this.segments(), stream: this.lineStarted ? this.stream : stream });
    this.chars = [];
    this.styles = [];
    this.cursor = 0;
    this.lineStarted = false;
  }

  private segments(): Segment[] {
    const out: Segment[] = [];
    for (let i = 0; i < this.chars.length; i++) {
      const ch = this.chars[i] ?? " ";
      const st = this.styles[i] ?? {};
      const last = out[out.length - 1];
      if (last && sameStyle(last.style, st)) last.text += ch;
      else out.push({ text: ch, style: st });
    }
    return out;
  }

  /**
   * Returns how many characters the escape at `i` uses, 0 if it is cut off
   * (wait for more), or 1 to drop a lone ESC and show what follows as text.
   */
  private escape(input: string, i: number): number {
    const next = input[i + 1];
    if (next === undefined) return 0;
    if (next === "[") {
      let j = i + 2;
      while (j < input.length && /[0-9;:?<=>]/.test(input[j] as string)) j++;
      // Still open: wait for more input, unless it is too long to be a real sequence.
      if (j >= input.length) return j - i > 64 ? 1 : 0;
      const final = input[j] as string;
      const body = input.slice(i + 2, j);
      if (final === "m") {
        this.style = applySgr(
          this.style,
          body
            .split(/[;:]/)
            .filter((x) => x !== "")
            .map((x) => Number.parseInt(x, 10) || 0),
        );
      } else if (final === "K") {
        const mode = body === "" ? 0 : Number.parseInt(body, 10);
        if (mode === 0) {
          this.chars.length = Math.min(this.chars.length, this.cursor);
          this.styles.length = this.chars.length;
        } else if (mode === 2) {
          this.chars = [];
          this.styles = [];
        }
      } else if (final === "G") {
        this.cursor = Math.max(0, (Number.parseInt(body, 10) || 1) - 1);
      }
      return j - i + 1;
    }
    if (next === "]") {
      // OSC (e.g. hyperlinks, titles): skip up to BEL or ESC \.
      const bel = input.indexOf("\x07", i + 2);
      const st = input.indexOf("\x1b\\", i + 2);
      const ends = [bel >= 0 ? bel + 1 : -1, st >= 0 ? st + 2 : -1].filter((x) => x > 0);
      if (ends.length === 0) return input.length - i > 4096 ? 1 : 0;
      return Math.min(...ends) - i;
    }
    return 2; // a two-character escape (ESC 7, ESC =, ...): dropped
  }
}
