"use client";

import {
  BROWSER_NAMESPACE,
  type BrowserToPortalEvents,
  type PortalToBrowserEvents,
} from "@berth/protocol";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";

export type BrowserSocket = Socket<PortalToBrowserEvents, BrowserToPortalEvents>;

/**
 * - connecting: first attempt after the page loaded
 * - connected: live
 * - reconnecting: the link dropped; socket.io retries with backoff
 * - offline: the portal refused the link (e.g. the session ended); no automatic retry
 */
export type SocketStatus = "connecting" | "connected" | "reconnecting" | "offline";

interface SocketState {
  socket: BrowserSocket | null;
  status: SocketStatus;
  /** Increments on every (re)connect, so views can resync state missed while disconnected. */
  connectCount: number;
}

const SocketContext = createContext<SocketState>({
  socket: null,
  status: "connecting",
  connectCount: 0,
});

/**
 * Opens the `/browser` Socket.IO link for the signed-in part of the app. The session cookie goes
 * with the handshake (same origin), so there is nothing to pass here.
 */
export function SocketProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SocketState>({
    socket: null,
    status: "connecting",
    connectCount: 0,
  });

  useEffect(() => {
    const socket: BrowserSocket = io(BROWSER_NAMESPACE, {
      withCredentials: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
    });
    setState({ socket, status: "connecting", connectCount: 0 });

    const set = (status: SocketStatus, connected = false) =>
      setState((s) => ({
        socket,
        status,
        connectCount: connected ? s.connectCount + 1 : s.connectCount,
      }));

    socket.on("connect", () => set("connected", true));
    socket.on("disconnect", () => set(socket.active ? "reconnecting" : "offline"));
    socket.on("connect_error", () => set(socket.active ? "reconnecting" : "offline"));

    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  return <SocketContext.Provider value={state}>{children}</SocketContext.Provider>;
}

export function useSocket(): SocketState {
  return useContext(SocketContext);
}
