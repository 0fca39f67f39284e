/**
 * Rules of a dev server's terminal tabs: which tab is shown, where the selection goes when one
 * closes, and when a new one may be opened. Pure, so they are tested without a browser.
 */
import { MAX_TERMINALS_PER_SERVER, type TerminalInfo } from "@berth/protocol";

/** Tabs in the order they were opened. */
export function orderTabs(terminals: readonly TerminalInfo[]): TerminalInfo[] {
  return [...terminals].sort(
    (a, b) => a.createdAt - b.createdAt || a.terminalId.localeCompare(b.terminalId),
  );
}

/** The tab to show: the preferred one while it exists, otherwise the first. */
export function pickSelectedTab(
  terminals: readonly TerminalInfo[],
  preferred: string | null,
): string | null {
  if (preferred && terminals.some((t) => t.terminalId === preferred)) return preferred;
  return terminals[0]?.terminalId ?? null;
}

/** After closing `closedId`: the selection stays, or moves to the right neighbour, else the left. */
export function selectionAfterClose(
  terminals: readonly TerminalInfo[],
  closedId: string,
  selectedId: string | null,
): string | null {
  if (selectedId !== closedId) return selectedId;
  const index = terminals.findIndex((t) => t.terminalId === closedId);
  const rest = terminals.filter((t) => t.terminalId !== closedId);
  return rest[Math.min(Math.max(index, 0), rest.length - 1)]?.terminalId ?? null;
}

/** The tab a key moves to in a tab list (wrapping around), or null for other keys. */
export function nextTabIndex(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  if (key === "ArrowRight") return (index + 1) % count;
  if (key === "ArrowLeft") return (index - 1 + count) % count;
  return null;
}

/** States in which the server's container runs, so a shell can be started in it. */
const SHELL_STATES: ReadonlySet<string> = new Set(["starting", "running"]);

/** Why a new terminal cannot be opened now, or null when it can. */
export function newTerminalBlocker({
  count,
  serverState,
}: {
  count: number;
  serverState: string;
}): string | null {
  if (!SHELL_STATES.has(serverState)) return "Start the server to open a terminal";
  if (count >= MAX_TERMINALS_PER_SERVER)
    return `At most ${MAX_TERMINALS_PER_SERVER} terminals; close one first`;
  return null;
}

/** How a tab describes its shell when it has ended. */
export function exitLabel(terminal: TerminalInfo): string | null {
  if (!terminal.exited) return null;
  return terminal.exitCode === null ? "exited" : `exited (${terminal.exitCode})`;
}
