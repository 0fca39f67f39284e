"use client";

import { acceptsConsoleInput, consoleNotice } from "@/lib/console/console-notice";
import { CommandLine } from "./command-line";
import { ConsoleTerminal } from "./console-terminal";

/** A game server's own console: its output live, keystrokes, and a command line below. */
export function GameConsole({
  serverId,
  state,
  nodeStatus,
}: {
  serverId: string;
  /** The server's observed state. */
  state: string;
  /** The node's presence; the console joins again when it changes. */
  nodeStatus: string;
}) {
  const input = acceptsConsoleInput(state);
  return (
    <div data-testid="game-console">
      <ConsoleTerminal
        serverId={serverId}
        terminalId={null}
        label="Server console"
        inputEnabled={input}
        notice={consoleNotice(state)}
        resyncKey={nodeStatus}
        header={<h2 className="px-2 text-xs font-semibold text-zinc-300">Console</h2>}
        footer={
          <CommandLine
            serverId={serverId}
            enabled={input}
            disabledHint="Start the server to send commands"
          />
        }
        className="h-[min(68vh,36rem)] min-h-80"
      />
    </div>
  );
}
