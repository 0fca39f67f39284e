/**
 * The command line's history, as in a shell: ↑ walks back through sent lines, ↓ walks forward and
 * finally returns to the line being typed before the walk began. Immutable values, so the rules
 * are tested without a component.
 */

export interface CommandHistory {
  /** Sent lines, oldest first. */
  entries: readonly string[];
  /** The entry shown, or null while editing a new line. */
  index: number | null;
  /** The unsent line, kept while walking the history. */
  draft: string;
}

export const MAX_HISTORY = 100;

export const EMPTY_HISTORY: CommandHistory = { entries: [], index: null, draft: "" };

/** Records a sent line (not blank lines, not a repeat of the last one) and ends any walk. */
export function remember(history: CommandHistory, line: string): CommandHistory {
  const skip = line.trim() === "" || history.entries.at(-1) === line;
  const entries = skip ? history.entries : [...history.entries, line].slice(-MAX_HISTORY);
  return { entries, index: null, draft: "" };
}

/** ↑: the previous entry; `current` is what the input holds now. */
export function back(
  history: CommandHistory,
  current: string,
): { history: CommandHistory; line: string } {
  if (history.entries.length === 0) return { history, line: current };
  const draft = history.index === null ? current : history.draft;
  const index =
    history.index === null ? history.entries.length - 1 : Math.max(0, history.index - 1);
  return { history: { ...history, index, draft }, line: history.entries[index] ?? current };
}

/** ↓: the next entry, then the draft. */
export function forward(
  history: CommandHistory,
  current: string,
): { history: CommandHistory; line: string } {
  if (history.index === null) return { history, line: current };
  const index = history.index + 1;
  if (index >= history.entries.length) {
    return { history: { ...history, index: null, draft: "" }, line: history.draft };
  }
  return { history: { ...history, index }, line: history.entries[index] ?? current };
}
