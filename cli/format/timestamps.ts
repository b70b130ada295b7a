/**
 * Puts a time in front of each line of a log (`run:log -t`). Chunks do not
 * follow line boundaries, so it remembers whether the next text starts a
 * line; a line gets the time of the chunk in which it started.
 */
export class TimestampPrefixer {
  private atLineStart = true;

  constructor(private readonly format: (at: string) => string = (at) => `[${at}] `) {}

  transform(text: string, at: string): string {
    if (text === "") return "";
    const prefix = this.format(at);
    let out = "";
    for (const piece of text.split(/(?<=\n)/)) {
      if (this.atLineStart) out += prefix;
      out += piece;
      this.atLineStart = piece.endsWith("\n");
    }
    return out;
  }
}
