"use client";

import { NodeStatusEvent } from "@berth/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { applyLiveUpdate } from "@/lib/live-cache";
import { useSocket } from "@/lib/socket";
import { useTRPC } from "@/lib/trpc";

/**
 * Keeps the `nodes.list` cache live: each `node:status` event is merged into the cached rows, so
 * the table changes without a refetch. Events are at-most-once, so after every reconnect the list
 * is fetched again to pick up whatever was missed while the link was down.
 */
export function useLiveNodeStatus(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { socket, connectCount } = useSocket();

  useEffect(() => {
    if (!socket) return;
    const queryKey = trpc.nodes.list.queryKey();

    const onStatus = (payload: unknown) => {
      const parsed = NodeStatusEvent.safeParse(payload);
      if (!parsed.success) return;
      const event = parsed.data;
      const current = queryClient.getQueryData(queryKey);
      if (!current) return;
      const known = current.find((node) => node.id === event.id);
      if (!known) {
        // A node this page has not seen yet (added in another tab): load it.
        void queryClient.invalidateQueries({ queryKey });
        return;
      }
      applyLiveUpdate(queryClient, queryKey, (nodes) =>
        nodes?.map((node) =>
          node.id === event.id
            ? {
                ...node,
                name: event.name,
                status: event.status,
                lastSeenAt: event.lastSeenAt ? new Date(event.lastSeenAt) : null,
                agentVersion: event.agentVersion,
                drivers: event.drivers,
              }
            : node,
        ),
      );
      // The event carries the live fields only. When the node just enrolled or changed state, its
      // other fields (enrollment, capacity) may have changed too: refresh them in the background.
      if (known.status !== event.status || known.enrolledAt === null) {
        void queryClient.invalidateQueries({ queryKey });
      }
    };

    socket.on("node:status", onStatus);
    return () => {
      socket.off("node:status", onStatus);
    };
  }, [socket, queryClient, trpc]);

  useEffect(() => {
    // The first connect needs no resync: the list was just fetched.
    if (connectCount > 1) {
      void queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() });
    }
  }, [connectCount, queryClient, trpc]);
}
