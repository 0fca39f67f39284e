"use client";

import { PortalToBrowser } from "@berth/protocol";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  appendPoints,
  pointsFromSamples,
  toColumns,
  withHistory,
  type CounterSample,
  type StatsPoint,
} from "@/lib/stats/stats-series";
import { rangeMs, type StatsRangeId } from "@/lib/stats/stats-range";
import { useSocket } from "@/lib/socket";
import { useTRPC } from "@/lib/trpc";
import { useNow } from "@/lib/use-now";

/**
 * A server's usage for the charts: the stored history of the chosen range (`servers.stats`), then
 * every `server:stats` sample as it arrives (every 2 s while the server runs). The page's
 * subscription to the server's room brings the samples; a reconnect refetches the history to
 * cover what was missed.
 */
export function useServerStats(serverId: string, range: StatsRangeId) {
  const trpc = useTRPC();
  const { socket, connectCount } = useSocket();
  const windowMs = rangeMs(range);
  const [live, setLive] = useState<StatsPoint[]>([]);
  const lastSample = useRef<CounterSample | null>(null);

  const history = useQuery(trpc.servers.stats.queryOptions({ serverId, range }));
  const { refetch } = history;

  useEffect(() => {
    if (!socket) return;
    const onStats = (payload: unknown) => {
      const parsed = PortalToBrowser["server:stats"].payload.safeParse(payload);
      if (!parsed.success || parsed.data.serverId !== serverId) return;
      const mine = parsed.data.samples.filter((s) => s.serverId === serverId);
      const { points, last } = pointsFromSamples(lastSample.current, mine);
      lastSample.current = last;
      if (points.length > 0) setLive((held) => appendPoints(held, points, rangeMs("24h")));
    };
    socket.on("server:stats", onStats);
    return () => {
      socket.off("server:stats", onStats);
    };
  }, [socket, serverId]);

  useEffect(() => {
    if (connectCount > 1) void refetch();
  }, [connectCount, refetch]);

  // Old points leave the window even while no samples come (the server is stopped).
  const now = useNow(10_000);
  const stored = history.data?.points;
  const points = useMemo(
    () => withHistory(stored ?? [], live, windowMs).filter((p) => p.at >= now - windowMs),
    [stored, live, windowMs, now],
  );
  const columns = useMemo(() => toColumns(points), [points]);
  return { history, points, columns };
}
