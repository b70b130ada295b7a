import { createInterface } from "node:readline/promises";
import type { Output } from "./command.ts";
import { InterruptedError } from "./errors.ts";

export interface PromptIo {
  stdin: NodeJS.ReadStream;
  stderr: Output;
}

/** Asks a question on stderr (stdout stays for data) and returns the trimmed answer. */
export async function ask(io: PromptIo, question: string): Promise<string> {
  const rl = createInterface({
    input: io.stdin,
    output: io.stderr as NodeJS.WritableStream,
    terminal: Boolean(io.stdin.isTTY),
  });
  const abort = new AbortController();
  let answered = false;
  // Ctrl-C at a prompt, or end of input, must end the command rather than
  // leave readline paused with the question never answered.
  rl.on("SIGINT", () => abort.abort());
  rl.on("close", () => {
    if (!answered) abort.abort();
  });
  try {
    const answer = await rl.question(question, { signal: abort.signal });
    answered = true;
    return answer.trim();
  } catch (error) {
    if (abort.signal.aborted) {
      io.stderr.write("\n");
      throw new InterruptedError();
    }
    throw error;
  } finally {
    answered = true;
    rl.close();
  }
}

/** Yes/no with a default (Enter); asks again on anything else. */
export async function confirm(io: PromptIo, question: string, defaultYes = true): Promise<boolean> {
  for (;;) {
    const answer = (await ask(io, `${question} ${defaultYes ? "[Y/n]" : "[y/N]"} `)).toLowerCase();
    if (answer === "") return defaultYes;
    if (answer === "y" || answer === "yes") return true;
    if (answer === "n" || answer === "no") return false;
  }
}

/** Reads a line without echoing it (a token); Ctrl-C interrupts. */
export async function askSecret(io: PromptIo, question: string): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.isTTY || typeof stdin.setRawMode !== "function") return ask(io, question);
  io.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (data: string) => {
        for (const char of data) {
          if (char === "\r" || char === "\n") {
            stdin.off("data", onData);
            return resolve(value.trim());
          }
          if (char === "\u0003") {
            stdin.off("data", onData);
            return reject(new InterruptedError());
          }
          if (char === "\u0004" && value === "") {
            stdin.off("data", onData);
            return resolve("");
          }
          if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
          else if (char >= " ") value += char;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    io.stderr.write("\n");
  }
}

/** Why a command that would ask cannot (for its usage error): no terminal, or -n / -q. */
export function whyNotAsked(
  ctx: { stdin: { isTTY?: boolean }; runStderr: { isTTY?: boolean } },
  what: string,
): string {
  return ctx.stdin.isTTY && ctx.runStderr.isTTY
    ? "-n and -q ask nothing"
    : `there is no terminal to ${what} on`;
}
