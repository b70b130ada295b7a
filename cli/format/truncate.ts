/** Upsun's CLI shows at most this many lines of a command unless --full is given. */
export const COMMAND_MAX_LINES = 24;

/**
 * A command as operation:list shows it: trimmed, and when longer than
 * `maxLines` lines, its first `maxLines` lines followed by a `# ...` line
 * (a shell comment, so the cut text still reads as a script).
 */
export function truncateCommand(command: string | null | undefined, maxLines = COMMAND_MAX_LINES): string {
  // Trimmed first: a YAML block scalar ends with a newline that is not a line of the command.
  const text = (command ?? "").trim();
  const lines = text.split(/\r?\n/);
  if (lines.length > maxLines) return `${lines.slice(0, maxLines).join("\n").trimEnd()}\n# ...`;
  return text;
}
