"use client";

import { ServerTerminals, type TerminalInfo } from "@berth/protocol";
import { useCallback, useEffect, useRef, useState } from "react";
import { rejoinDelay } from "@/lib/console/console-link";
import { useSocket } from "@/lib/socket";
import { request } from "@/lib/socket-request";
import { toastWireError } from "@/lib/toast-error";

export interface TerminalsState {
  /** null until the first list arrived. */
  terminals: TerminalInfo[] | null;
  /** Why the list could not be read (retried meanwhile). */
  loadError: string | null;
  creating: boolean;
  create(size: { cols: number; rows: number }): Promise<TerminalInfo | null>;
  rename(terminalId: string, title: string): Promise<boolean>;
  close(terminalId: string): Promise<boolean>;
}

function upsert(list: TerminalInfo[] | null, terminal: TerminalInfo): TerminalInfo[] {
  const rest = (list ?? []).filter((t) => t.terminalId !== terminal.terminalId);
  return [...rest, terminal];
}

/**
 * A dev server's terminal tabs, live: listed on every (re)connect and replaced by each
 * terminal:update pushed to the server's room (the page subscribes to that room). Create, rename
 * and close answer with the result; refusals are shown as toasts.
 */
export function useTerminals(serverId: string): TerminalsState {
  const { socket, status, connectCount } = useSocket();
  const [terminals, setTerminals] = useState<TerminalInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  /** Counts pushed updates, so a list answer older than an update does not undo it. */
  const updates = useRef(0);
  const connected = status === "connected";

  useEffect(() => {
    if (!socket || !connected) return;
    let active = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const onUpdate = (payload: unknown) => {
      const parsed = ServerTerminals.safeParse(payload);
      if (!parsed.success || parsed.data.serverId !== serverId) return;
      updates.current += 1;
      setTerminals(parsed.data.terminals);
    };

    const load = async () => {
      const seen = updates.current;
      const result = await request(socket, "terminal:list", { serverId });
      if (!active) return;
      if (result.ok) {
        failures = 0;
        setLoadError(null);
        if (updates.current === seen) setTerminals(result.data.terminals);
      } else {
        failures += 1;
        setLoadError(result.error.message);
        retry = setTimeout(() => void load(), rejoinDelay(failures));
      }
    };

    socket.on("terminal:update", onUpdate);
    void load();
    return () => {
      active = false;
      clearTimeout(retry);
      socket.off("terminal:update", onUpdate);
    };
  }, [socket, connected, connectCount, serverId]);

  const create = useCallback(
    async (size: { cols: number; rows: number }) => {
      if (!socket) return null;
      setCreating(true);
      const result = await request(socket, "terminal:create", { serverId, ...size });
      setCreating(false);
      if (!result.ok) {
        toastWireError(result.error);
        return null;
      }
      setTerminals((list) => upsert(list, result.data));
      return result.data;
    },
    [socket, serverId],
  );

  const rename = useCallback(
    async (terminalId: string, title: string) => {
      if (!socket) return false;
      const result = await request(socket, "terminal:rename", { serverId, terminalId, title });
      if (!result.ok) {
        toastWireError(result.error);
        return false;
      }
      setTerminals((list) => upsert(list, result.data));
      return true;
    },
    [socket, serverId],
  );

  const close = useCallback(
    async (terminalId: string) => {
      if (!socket) return false;
      const result = await request(socket, "terminal:close", { serverId, terminalId });
      if (!result.ok) {
        toastWireError(result.error);
        return false;
      }
      setTerminals((list) => (list ?? []).filter((t) => t.terminalId !== terminalId));
      return true;
    },
    [socket, serverId],
  );

  return { terminals, loadError, creating, create, rename, close };
}
