"use client";

import {
  CodeServerEvent,
  ServerProgressEvent,
  ServerStateEvent,
  type ServerStateEvent as ServerStateEventType,
} from "@berth/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useSocket } from "@/lib/socket";
import { useTRPC } from "@/lib/trpc";
import { applyLiveUpdate } from "@/lib/live-cache";

/** What the events carry beyond the cached rows: shown on the server page. */
export interface LiveServerInfo {
  /** The last progress message (e.g. why provisioning failed). */
  progressMessage: string | null;
  /** Why the server reached its current state (e.g. a crash), when the agent said. */
  reason: string | null;
  exit: ServerStateEventType["exit"];
}

const EMPTY: LiveServerInfo = { progressMessage: null, reason: null, exit: null };

/**
 * Keeps `servers.list` and `servers.get` live for the given servers: subscribes to each over the
 * `/browser` socket and merges `server:state` and `server:progress` into the React Query cache, so
 * badges and progress bars move without a refetch. Subscriptions are per connection, so every
 * reconnect subscribes again and refetches whatever was missed while the link was down.
 */
export function useLiveServers(serverIds: readonly string[]): Record<string, LiveServerInfo> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { socket } = useSocket();
  const [info, setInfo] = useState<Record<string, LiveServerInfo>>({});

  const key = useMemo(() => [...new Set(serverIds)].sort().join(","), [serverIds]);
  const wanted = useRef<string[]>([]);
  const subscribed = useRef(new Set<string>());
  /** The newest state timestamp applied per server, so a late event cannot undo a newer one. */
  const latestSince = useRef(new Map<string, number>());
  const subscribeRef = useRef<((serverId: string) => void) | null>(null);

  useEffect(() => {
    wanted.current = key ? key.split(",") : [];
  }, [key]);

  useEffect(() => {
    if (!socket) return;
    const listKey = trpc.servers.list.queryKey();
    const mine = subscribed.current;

    let resyncTimer: ReturnType<typeof setTimeout> | undefined;
    const resync = () => {
      // Once per burst of acks: refetch what may have changed before the subscription took hold.
      if (resyncTimer) return;
      resyncTimer = setTimeout(() => {
        resyncTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: listKey });
        for (const serverId of wanted.current) {
          void queryClient.invalidateQueries({
            queryKey: trpc.servers.get.queryKey({ serverId }),
          });
        }
      }, 100);
    };

    const subscribe = (serverId: string) => {
      mine.add(serverId);
      socket.emit("server:subscribe", { serverId }, (result) => {
        // Refused (deleted, or not ours): the page's query shows that; nothing to retry here.
        if (result.ok) resync();
        else mine.delete(serverId);
      });
    };
    subscribeRef.current = subscribe;

    const onState = (payload: unknown) => {
      const parsed = ServerStateEvent.safeParse(payload);
      if (!parsed.success) return;
      const event = parsed.data;
      const last = latestSince.current.get(event.serverId);
      if (last !== undefined && event.since < last) return;
      latestSince.current.set(event.serverId, event.since);

      applyLiveUpdate(queryClient, listKey, (rows) =>
        rows?.map((row) =>
          row.id === event.serverId ? { ...row, observedState: event.state } : row,
        ),
      );
      applyLiveUpdate(
        queryClient,
        trpc.servers.get.queryKey({ serverId: event.serverId }),
        (server) =>
          server
            ? {
                ...server,
                observedState: event.state,
                restartAt: event.restartAt === null ? null : new Date(event.restartAt),
              }
            : server,
      );
      setInfo((all) => ({
        ...all,
        [event.serverId]: {
          ...(all[event.serverId] ?? EMPTY),
          reason: event.reason,
          exit: event.exit,
        },
      }));
    };

    const onProgress = (payload: unknown) => {
      const parsed = ServerProgressEvent.safeParse(payload);
      if (!parsed.success) return;
      const event = parsed.data;
      const patch = { provisionStage: event.stage, provisionPercent: event.percent };

      applyLiveUpdate(queryClient, listKey, (rows) =>
        rows?.map((row) => (row.id === event.serverId ? { ...row, ...patch } : row)),
      );
      const detailKey = trpc.servers.get.queryKey({ serverId: event.serverId });
      applyLiveUpdate(queryClient, detailKey, (server) =>
        server ? { ...server, ...patch } : server,
      );
      setInfo((all) => ({
        ...all,
        [event.serverId]: { ...(all[event.serverId] ?? EMPTY), progressMessage: event.message },
      }));
      if (event.stage === "ready" || event.stage === "failed") {
        // Provisioning ended: pick up whatever else the portal recorded with it.
        void queryClient.invalidateQueries({ queryKey: detailKey });
      }
    };

    const onCodeServer = (payload: unknown) => {
      const parsed = CodeServerEvent.safeParse(payload);
      if (!parsed.success) return;
      const { serverId, ...status } = parsed.data;
      applyLiveUpdate(queryClient, trpc.servers.get.queryKey({ serverId }), (server) =>
        server?.codeServer && server.codeServer.since <= status.since
          ? { ...server, codeServer: status }
          : server,
      );
      applyLiveUpdate(queryClient, listKey, (rows) =>
        rows?.map((row) =>
          row.id === serverId && row.codeServer && row.codeServer.since <= status.since
            ? { ...row, codeServer: { state: status.state, since: status.since } }
            : row,
        ),
      );
    };

    const onConnect = () => {
      // A new connection starts with no rooms: subscribe again, then resync what was missed.
      mine.clear();
      for (const serverId of wanted.current) subscribe(serverId);
    };

    socket.on("server:state", onState);
    socket.on("server:progress", onProgress);
    socket.on("server:code-server", onCodeServer);
    socket.on("connect", onConnect);
    return () => {
      socket.off("server:state", onState);
      socket.off("server:progress", onProgress);
      socket.off("server:code-server", onCodeServer);
      socket.off("connect", onConnect);
      clearTimeout(resyncTimer);
      subscribeRef.current = null;
      if (socket.connected) {
        for (const serverId of mine) socket.emit("server:unsubscribe", { serverId });
      }
      mine.clear();
    };
  }, [socket, queryClient, trpc]);

  // Follow the set of servers: subscribe to new ones, unsubscribe from those that went away.
  useEffect(() => {
    if (!socket) return;
    const next = new Set(key ? key.split(",") : []);
    const mine = subscribed.current;
    // Offline, the connect handler subscribes to everything wanted once the link is back.
    if (!socket.connected) return;
    for (const serverId of next) {
      if (!mine.has(serverId)) subscribeRef.current?.(serverId);
    }
    for (const serverId of [...mine]) {
      if (next.has(serverId)) continue;
      mine.delete(serverId);
      socket.emit("server:unsubscribe", { serverId });
    }
  }, [socket, key]);

  return info;
}

export function liveInfoOf(info: Record<string, LiveServerInfo>, serverId: string): LiveServerInfo {
  return info[serverId] ?? EMPTY;
}
