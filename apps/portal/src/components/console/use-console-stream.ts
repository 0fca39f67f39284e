"use client";

import { ConsoleOutput } from "@berth/protocol";
import type { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import {
  applyJoined,
  applyOutput,
  EMPTY_CURSOR,
  joinPosition,
  type ConsoleCursor,
  type CursorUpdate,
} from "@/lib/console/console-cursor";
import {
  consoleLinkState,
  rejoinDelay,
  type ConsoleLinkState,
  type JoinState,
} from "@/lib/console/console-link";
import { useSocket } from "@/lib/socket";
import { request } from "@/lib/socket-request";

/**
 * Streams one console into `term`: joins it whenever the socket (re)connects — resuming from what
 * the terminal already shows — writes only output it lacks, and leaves on unmount. A refused join
 * is retried with backoff; a change of `resyncKey` joins again (e.g. after the node came back).
 */
export function useConsoleStream({
  term,
  serverId,
  terminalId,
  resyncKey,
}: {
  term: Terminal | null;
  serverId: string;
  terminalId: string | null;
  resyncKey?: string;
}): { link: ConsoleLinkState; joined: boolean; problem: string | null } {
  const { socket, status, connectCount } = useSocket();
  const cursor = useRef<ConsoleCursor>(EMPTY_CURSOR);
  const [join, setJoin] = useState<JoinState>("idle");
  const [everJoined, setEverJoined] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const connected = status === "connected";

  // A new terminal is empty: it needs the whole scrollback.
  useEffect(() => {
    cursor.current = EMPTY_CURSOR;
  }, [term]);

  useEffect(() => {
    if (!socket || !term || !connected) return;
    let active = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const apply = (update: CursorUpdate) => {
      cursor.current = update.cursor;
      if (update.reset) term.reset();
      if (update.text) term.write(update.text);
    };

    const onData = (payload: unknown) => {
      const parsed = ConsoleOutput.safeParse(payload);
      if (!parsed.success) return;
      const output = parsed.data;
      if (output.serverId !== serverId || output.terminalId !== terminalId) return;
      apply(applyOutput(cursor.current, output.runId, output.frames));
    };

    const attempt = async () => {
      setJoin("joining");
      const result = await request(socket, "console:join", {
        serverId,
        terminalId,
        ...joinPosition(cursor.current),
      });
      if (!active) return;
      if (result.ok) {
        failures = 0;
        apply(applyJoined(cursor.current, result.data.runId));
        setJoin("joined");
        setEverJoined(true);
        setProblem(null);
      } else {
        failures += 1;
        setJoin("failed");
        setProblem(result.error.message);
        retry = setTimeout(() => void attempt(), rejoinDelay(failures));
      }
    };

    socket.on("console:data", onData);
    void attempt();
    return () => {
      active = false;
      clearTimeout(retry);
      socket.off("console:data", onData);
      if (socket.connected) socket.emit("console:leave", { serverId, terminalId });
      setJoin("idle");
    };
  }, [socket, term, connected, connectCount, serverId, terminalId, resyncKey]);

  return {
    link: consoleLinkState({ socket: status, join, everJoined }),
    joined: join === "joined",
    problem: join === "failed" ? problem : null,
  };
}
