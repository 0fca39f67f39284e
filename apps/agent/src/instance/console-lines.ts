// Turns raw console chunks into clean lines: split on \n, \r or \r\n (a line may arrive across
// several chunks), colour and cursor codes removed, every line and the kept tail bounded.

// CSI (colours, cursor), OSC (titles, links), charset selection, and the other two-byte escapes.
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export interface ConsoleLinesOptions {
  /** Lines kept for crash reports. */
  maxLines?: number;
  /** Longer lines are cut to this many characters (the rest, up to the line break, is dropped). */
  maxLineLength?: number;
}

export class ConsoleLines {
  private readonly maxLines: number;
  private readonly maxLineLength: number;
  private readonly kept: string[] = [];
  private partial = "";
  private skipNextLf = false;

  constructor({ maxLines = 100, maxLineLength = 4096 }: ConsoleLinesOptions = {}) {
    this.maxLines = maxLines;
    this.maxLineLength = maxLineLength;
  }

  /** Feeds a chunk; returns the lines it completed, ANSI codes removed. */
  push(chunk: string): string[] {
    const done: string[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c !== "\n" && c !== "\r") continue;
      const crlfTail = c === "\n" && i === start && this.skipNextLf;
      this.skipNextLf = c === "\r";
      if (!crlfTail) done.push(this.finish(chunk.slice(start, i)));
      start = i + 1;
    }
    if (start < chunk.length) {
      this.skipNextLf = false;
      this.append(chunk.slice(start));
    }
    for (const line of done) this.keep(line);
    return done;
  }

  /** The last complete lines, oldest first. */
  tail(): string[] {
    return [...this.kept];
  }

  /** Keeps the unfinished last line as a line: the process has ended and nothing will finish it. */
  endPartial(): void {
    if (this.partial === "") return;
    this.keep(this.finish(""));
  }

  private append(text: string): void {
    const room = this.maxLineLength * 2 - this.partial.length;
    if (room > 0) this.partial += text.slice(0, room);
  }

  private finish(rest: string): string {
    this.append(rest);
    const line = stripAnsi(this.partial).slice(0, this.maxLineLength);
    this.partial = "";
    return line;
  }

  private keep(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.maxLines) this.kept.splice(0, this.kept.length - this.maxLines);
  }
}

export type CompiledPattern = { ok: true; regex: RegExp | null } | { ok: false; message: string };

/** A template's done pattern (regex source); empty or missing means "ready once started". */
export function compileDonePattern(source: string | undefined): CompiledPattern {
  if (source === undefined || source === "") return { ok: true, regex: null };
  try {
    return { ok: true, regex: new RegExp(source) };
  } catch (error) {
    return { ok: false, message: `Invalid done pattern: ${(error as Error).message}` };
  }
}
