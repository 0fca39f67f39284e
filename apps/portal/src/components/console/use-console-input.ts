"use client";

import type { Terminal } from "@xterm/xterm";
import { useEffect, useRef } from "react";
import { sendConsoleInput } from "@/lib/console/console-input";
import { useSocket } from "@/lib/socket";
import type { TerminalSize } from "./use-xterm";

/**
 * Sends what is typed or pasted into `term` to the console. The terminal gets exactly one input
 * handler for its whole life; reconnects and prop changes only update what it reads, so no
 * keystroke is ever sent twice.
 */
export function useConsoleKeystrokes({
  term,
  serverId,
  terminalId,
  enabled,
}: {
  term: Terminal | null;
  serverId: string;
  terminalId: string | null;
  enabled: boolean;
}): void {
  const { socket } = useSocket();
  const latest = useRef({ socket, serverId, terminalId, enabled });
  useEffect(() => {
    latest.current = { socket, serverId, terminalId, enabled };
  });

  useEffect(() => {
    if (!term) return;
    const subscription = term.onData((data) => {
      const now = latest.current;
      if (!now.enabled || !now.socket) return;
      void sendConsoleInput(now.socket, {
        serverId: now.serverId,
        terminalId: now.terminalId,
        data,
      });
    });
    return () => subscription.dispose();
  }, [term]);

  useEffect(() => {
    if (!term) return;
    term.options.disableStdin = !enabled;
    term.options.cursorInactiveStyle = enabled ? "outline" : "none";
  }, [term, enabled]);
}

const RESIZE_SETTLE_MS = 150;

/** Tells the console the terminal's size once joined and whenever it changes (settled, not per frame). */
export function useConsoleResize({
  serverId,
  terminalId,
  size,
  joined,
}: {
  serverId: string;
  terminalId: string | null;
  size: TerminalSize | null;
  joined: boolean;
}): void {
  const { socket } = useSocket();
  useEffect(() => {
    if (!socket || !size || !joined) return;
    const timer = setTimeout(() => {
      if (socket.connected) {
        socket.emit("console:resize", { serverId, terminalId, cols: size.cols, rows: size.rows });
      }
    }, RESIZE_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [socket, serverId, terminalId, size, joined]);
}
