/** Upsun's CLI shows at most this many lines of a command unless --full is given. */
export const COMMAND_MAX_LINES = 24;

/**
 * A command as operation:list shows it: trimmed, and when longer than
 * `maxLines` lines, its first `maxLines` lines followed by a `# ...` line
 * (a shell comment, so the cut text still reads as a script).
 */
export function truncateCommand(command: string | null | undefined, maxLines = COMMAND_MAX_LINES): string {
  if (!command) return "";
  const lines = command.split(/\r?\n/);
  if (lines.length > maxLines) return `${lines.slice(0, maxLines).join("\n").trim()}\n# ...`;
  return command.trim();
}
