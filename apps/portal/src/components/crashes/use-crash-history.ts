"use client";

import { PortalToBrowser } from "@berth/protocol";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { prependCrash, toCrashView, type CrashView } from "@/lib/crashes/crash-record";
import { useSocket } from "@/lib/socket";
import { useTRPC } from "@/lib/trpc";

const PAGE_SIZE = 10;

/**
 * A server's crashes, newest first: pages from `servers.crashes` (cursor-based "load more") with
 * crashes that arrive live over the socket in front. The page subscribes the socket to the
 * server's room; after a reconnect the first page is fetched again for what was missed.
 */
export function useCrashHistory(serverId: string) {
  const trpc = useTRPC();
  const { socket, connectCount } = useSocket();
  const [live, setLive] = useState<CrashView[]>([]);

  const query = useInfiniteQuery(
    trpc.servers.crashes.infiniteQueryOptions(
      { serverId, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const { refetch } = query;

  useEffect(() => {
    if (!socket) return;
    const onCrash = (payload: unknown) => {
      const parsed = PortalToBrowser["server:crash"].payload.safeParse(payload);
      if (!parsed.success || parsed.data.serverId !== serverId) return;
      const crash = toCrashView(parsed.data);
      setLive((list) => prependCrash(list, crash));
    };
    socket.on("server:crash", onCrash);
    return () => {
      socket.off("server:crash", onCrash);
    };
  }, [socket, serverId]);

  useEffect(() => {
    if (connectCount > 1) void refetch();
  }, [connectCount, refetch]);

  const crashes = useMemo(() => {
    const stored = (query.data?.pages ?? []).flatMap((page) => page.items.map(toCrashView));
    const seen = new Set(stored.map((c) => c.id));
    const fresh = live.filter((c) => !seen.has(c.id));
    return [...fresh, ...stored].sort((a, b) => b.at.getTime() - a.at.getTime());
  }, [query.data, live]);

  return { query, crashes };
}
