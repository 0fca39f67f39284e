/**
 * What a console shows about its server's process: whether it takes input, and a line explaining
 * a process that is not running (the scrollback stays readable underneath).
 */

/** States in which the server's process exists and reads its console. */
const INPUT_STATES: ReadonlySet<string> = new Set(["starting", "running", "stopping"]);

export function acceptsConsoleInput(state: string): boolean {
  return INPUT_STATES.has(state);
}

export type NoticeTone = "info" | "warning" | "danger";

const NOTICES: Record<string, { tone: NoticeTone; text: string }> = {
  installing: {
    tone: "info",
    text: "The server is being set up; its console opens once it starts.",
  },
  starting: { tone: "info", text: "The server is starting." },
  stopping: { tone: "info", text: "The server is stopping." },
  offline: {
    tone: "warning",
    text: "The server is offline. Start it to send commands; the output shown is from its last run.",
  },
  crashed: {
    tone: "danger",
    text: "The server crashed. The output shown is from the run that ended.",
  },
  error: { tone: "danger", text: "The server is in an error state and does not take commands." },
};

/** The notice for the server's state, or null while it runs. */
export function consoleNotice(state: string): { tone: NoticeTone; text: string } | null {
  if (state === "running") return null;
  return NOTICES[state] ?? { tone: "warning", text: `The server is ${state}.` };
}

/** The notice above a dev terminal: its shell ended, or the server is not running. */
export function terminalNotice(
  terminal: { exited: boolean; exitCode: number | null },
  serverState: string,
): { tone: NoticeTone; text: string } | null {
  if (terminal.exited) {
    const code = terminal.exitCode === null ? "" : ` with code ${terminal.exitCode}`;
    return {
      tone: "warning",
      text: `This shell exited${code}. Close the tab, or open a new terminal with +.`,
    };
  }
  if (serverState === "running") return null;
  if (serverState === "starting") return NOTICES.starting ?? null;
  return {
    tone: "warning",
    text: `The server is ${serverState}. Start it to use its terminals; the output shown is from before.`,
  };
}
