// What a person typed into a console, as lines: a terminal sends keystrokes one at a time, with
// backspaces and cursor keys, so the line is rebuilt the way the terminal's line editor would.

const MAX_LINE = 1024;

export class TypedLines {
  private line = "";
  /** Inside an escape sequence: "esc" right after ESC, "csi" in `ESC [ …`, "ss3" after `ESC O`. */
  private escape: "esc" | "csi" | "ss3" | null = null;
  private afterCr = false;

  /** Feeds console input; returns the lines it completed (Enter pressed), oldest first. */
  push(data: string): string[] {
    const done: string[] = [];
    for (const c of data) {
      const code = c.codePointAt(0)!;
      if (this.escape) {
        this.consumeEscape(c, code);
        continue;
      }
      const lfAfterCr = c === "\n" && this.afterCr;
      this.afterCr = c === "\r";
      if (c === "\r" || c === "\n") {
        if (!lfAfterCr) done.push(this.line);
        this.line = "";
      } else if (c === "\x1b") {
        this.escape = "esc";
      } else if (c === "\x7f" || c === "\b") {
        this.line = [...this.line].slice(0, -1).join("");
      } else if (c === "\x15" || c === "\x03") {
        // Ctrl-U clears the line, Ctrl-C abandons it.
        this.line = "";
      } else if (code >= 0x20 && this.line.length < MAX_LINE) {
        this.line += c;
      }
    }
    return done;
  }

  private consumeEscape(c: string, code: number): void {
    if (this.escape === "esc") {
      this.escape = c === "[" ? "csi" : c === "O" ? "ss3" : null;
      return;
    }
    if (this.escape === "ss3" || (code >= 0x40 && code <= 0x7e)) this.escape = null;
  }
}
