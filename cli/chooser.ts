import { emitKeypressEvents } from "node:readline";
import type { Style } from "./format/style.ts";
import { InterruptedError } from "./errors.ts";
import { ask, type PromptIo } from "./prompt.ts";
import type { Env } from "./env.ts";

export interface Choice {
  label: string;
  /** Why it cannot be chosen (e.g. "requires admin"); shown dimmed and skipped. */
  disabledReason?: string | null;
}

export interface Key {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
}

export type ChooserStep =
  { type: "move"; index: number } | { type: "choose"; index: number } | { type: "cancel" };

const enabled = (choices: readonly Choice[], i: number) =>
  i >= 0 && i < choices.length && !choices[i]?.disabledReason;

/** The first choosable index, or -1 when there is none. */
export function firstEnabled(choices: readonly Choice[]): number {
  return choices.findIndex((_, i) => enabled(choices, i));
}

/**
 * What a key does in the arrow-key chooser: ↑/↓ (or k/j, Tab) move between
 * choosable items, wrapping around; Home/End jump; a digit jumps to that item;
 * Enter chooses; Esc, q and Ctrl-C cancel. Pure, so it is unit-tested.
 */
export function chooserKey(choices: readonly Choice[], index: number, key: Key): ChooserStep | null {
  const n = choices.length;
  const step = (from: number, delta: number) => {
    for (let k = 1; k <= n; k++) {
      const i = (((from + delta * k) % n) + n) % n;
      if (enabled(choices, i)) return i;
    }
    return from;
  };
  if ((key.ctrl && key.name === "c") || key.name === "escape" || key.name === "q") return { type: "cancel" };
  switch (key.name) {
    case "return":
    case "enter":
      return enabled(choices, index) ? { type: "choose", index } : null;
    case "up":
    case "k":
      return { type: "move", index: step(index, -1) };
    case "down":
    case "j":
    case "tab":
      return { type: "move", index: step(index, 1) };
    case "home":
      return { type: "move", index: step(-1, 1) };
    case "end":
      return { type: "move", index: step(n, -1) };
    default: {
      const digit = key.sequence && /^[1-9]$/.test(key.sequence) ? Number(key.sequence) - 1 : -1;
      return enabled(choices, digit) ? { type: "move", index: digit } : null;
    }
  }
}

/** The lines of the chooser with `index` highlighted, scrolled so it stays visible. */
export function renderChoices(
  choices: readonly Choice[],
  index: number,
  style: Style,
  maxVisible: number,
): string[] {
  const visible = Math.max(1, Math.min(choices.length, maxVisible));
  const top = Math.min(Math.max(0, index - Math.floor(visible / 2)), choices.length - visible);
  const lines: string[] = [];
  for (let i = top; i < top + visible; i++) {
    const choice = choices[i];
    if (!choice) continue;
    const number = `${i + 1}.`.padStart(String(choices.length).length + 1);
    if (choice.disabledReason) {
      lines.push(style.dim(`  ${number} ${choice.label} — ${choice.disabledReason}`));
    } else if (i === index) {
      lines.push(style.cyan(`› ${number} ${choice.label}`));
    } else {
      lines.push(`  ${number} ${choice.label}`);
    }
  }
  if (visible < choices.length) lines.push(style.dim(`  (${choices.length} in all: ↑/↓ to scroll)`));
  return lines;
}

/**
 * Lets the user pick one choice on the terminal: arrow keys and Enter, or,
 * where the terminal cannot do raw input (TERM=dumb), a numbered prompt.
 * Everything is drawn on stderr. Returns the chosen index.
 */
export async function choose(
  io: PromptIo & { env: Env },
  title: string,
  choices: readonly Choice[],
  style: Style,
): Promise<number> {
  if (firstEnabled(choices) === -1) throw new Error("nothing to choose from");
  const stdin = io.stdin;
  if (io.env.TERM === "dumb" || !stdin.isTTY || typeof stdin.setRawMode !== "function") {
    return chooseByNumber(io, title, choices);
  }
  // A pseudo-terminal without a size reports 0 rows.
  const rows = (io.stderr as { rows?: number }).rows || 24;
  const maxVisible = Math.max(3, Math.min(15, rows - 3));
  let index = firstEnabled(choices);
  let drawn = 0;
  const draw = () => {
    const lines = renderChoices(choices, index, style, maxVisible);
    // Back to the first line of the previous drawing, clear to the end, draw again.
    const up = drawn > 0 ? `\x1b[${drawn}A\r\x1b[J` : "";
    io.stderr.write(`${up}${lines.join("\n")}\n`);
    drawn = lines.length;
  };

  io.stderr.write(`${style.bold(title)} ${style.dim("(↑/↓ and Enter, Esc to cancel)")}\n\x1b[?25l`);
  draw();
  emitKeypressEvents(stdin);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<number>((resolve, reject) => {
      const onKey = (_: string | undefined, key: Key | undefined) => {
        const step = chooserKey(choices, index, key ?? {});
        if (!step) return;
        if (step.type === "cancel") {
          stdin.off("keypress", onKey);
          return reject(new InterruptedError("Cancelled."));
        }
        index = step.index;
        if (step.type === "choose") {
          stdin.off("keypress", onKey);
          return resolve(index);
        }
        draw();
      };
      stdin.on("keypress", onKey);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    // Replace the list by one line saying what was chosen (or nothing, on cancel).
    io.stderr.write(`\x1b[${drawn}A\r\x1b[J\x1b[?25h`);
  }
}

async function chooseByNumber(io: PromptIo, title: string, choices: readonly Choice[]): Promise<number> {
  io.stderr.write(`${title}\n`);
  choices.forEach((choice, i) => {
    io.stderr.write(
      choice.disabledReason
        ? `  [${i + 1}] ${choice.label} (${choice.disabledReason})\n`
        : `  [${i + 1}] ${choice.label}\n`,
    );
  });
  for (;;) {
    const answer = await ask(io, "Enter a number to choose: ");
    const i = Number(answer) - 1;
    if (Number.isInteger(i) && enabled(choices, i)) return i;
    const reason = choices[i]?.disabledReason;
    io.stderr.write(
      reason ? `That one cannot be chosen: ${reason}.\n` : `Enter a number from 1 to ${choices.length}.\n`,
    );
  }
}
