"use client";

import { useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import { DEFAULT_STATS_RANGE, STATS_RANGES, type StatsRangeId } from "@/lib/stats/stats-range";
import { UsageCharts } from "./usage-charts";
import { useServerStats } from "./use-server-stats";

/** Live CPU, memory and network charts of a server, with a choice of time span. */
export function ServerStatsCard({
  serverId,
  cpuLimitPercent,
  running,
}: {
  serverId: string;
  cpuLimitPercent: number;
  running: boolean;
}) {
  const [range, setRange] = useState<StatsRangeId>(DEFAULT_STATS_RANGE);
  const stats = useServerStats(serverId, range);

  return (
    <Card data-testid="server-stats" data-points={stats.points.length}>
      <CardHeader
        title="Usage"
        description={
          running
            ? "Sampled every 2 seconds while the server runs."
            : "The server is not running; this is its recorded history."
        }
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      <UsageCharts
        columns={stats.columns}
        latest={stats.points.at(-1) ?? null}
        cpuLimitPercent={cpuLimitPercent}
        loading={stats.history.isPending}
      />
    </Card>
  );
}

function RangePicker({
  value,
  onChange,
}: {
  value: StatsRangeId;
  onChange: (range: StatsRangeId) => void;
}) {
  return (
    <div
      role="radiogroup"
      aria-label="Time span"
      className="flex shrink-0 rounded-md border border-line bg-canvas p-0.5"
    >
      {STATS_RANGES.map((r) => (
        <button
          key={r.id}
          type="button"
          role="radio"
          aria-checked={value === r.id}
          onClick={() => onChange(r.id)}
          data-testid={`stats-range-${r.id}`}
          className={cn(
            "cursor-pointer rounded px-2 py-1 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-sky-400",
            value === r.id ? "bg-zinc-700 text-zinc-50" : "text-zinc-400 hover:text-zinc-100",
          )}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}
