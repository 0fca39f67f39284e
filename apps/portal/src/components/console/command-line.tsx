"use client";

import { useState, type FormEvent, type KeyboardEvent } from "react";
import { back, EMPTY_HISTORY, forward, remember } from "@/lib/console/command-history";
import { sendConsoleInput } from "@/lib/console/console-input";
import { useSocket } from "@/lib/socket";

/**
 * A command line under the server's console: Enter sends the line (with a carriage return, as a
 * terminal would), ↑/↓ walk the lines sent before. A refused line (e.g. rate-limited) comes back
 * into the input so it can be sent again.
 */
export function CommandLine({
  serverId,
  enabled,
  disabledHint,
}: {
  serverId: string;
  enabled: boolean;
  /** Shown in the empty input while it is disabled. */
  disabledHint: string;
}) {
  const { socket } = useSocket();
  const [line, setLine] = useState("");
  const [history, setHistory] = useState(EMPTY_HISTORY);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!socket || !enabled) return;
    const sent = line;
    setHistory((h) => remember(h, sent));
    setLine("");
    const ok = await sendConsoleInput(socket, { serverId, terminalId: null, data: `${sent}\r` });
    if (!ok) setLine((current) => (current === "" ? sent : current));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    event.preventDefault();
    const step = event.key === "ArrowUp" ? back(history, line) : forward(history, line);
    setHistory(step.history);
    setLine(step.line);
  };

  return (
    <form
      onSubmit={(event) => void onSubmit(event)}
      className="flex h-11 shrink-0 items-center gap-2 border-t border-white/[0.06] bg-white/[0.02] px-3"
    >
      <span aria-hidden="true" className="font-mono text-sm text-sky-400 select-none">
        ›
      </span>
      <label htmlFor={`command-${serverId}`} className="sr-only">
        Command
      </label>
      <input
        id={`command-${serverId}`}
        value={line}
        onChange={(event) => setLine(event.target.value)}
        onKeyDown={onKeyDown}
        disabled={!enabled}
        autoComplete="off"
        spellCheck={false}
        placeholder={enabled ? "Type a command and press Enter" : disabledHint}
        data-testid="console-command"
        className="h-full min-w-0 flex-1 bg-transparent font-mono text-[13px] text-zinc-100 placeholder:text-zinc-600 focus:outline-none disabled:cursor-not-allowed"
      />
      <button
        type="submit"
        disabled={!enabled}
        data-testid="console-command-send"
        className="rounded px-2 py-1 text-xs font-medium text-zinc-400 transition-colors hover:bg-white/5 hover:text-zinc-100 disabled:pointer-events-none disabled:opacity-40"
      >
        Send <span className="text-zinc-600">↵</span>
      </button>
    </form>
  );
}
