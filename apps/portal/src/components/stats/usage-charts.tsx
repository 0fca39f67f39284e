"use client";

import { useMemo, type ReactNode } from "react";
import type uPlot from "uplot";
import { Spinner } from "@/components/ui/spinner";
import type { StatsColumns, StatsPoint } from "@/lib/stats/stats-series";
import {
  byteAxisSteps,
  cpuAxisMax,
  formatBytes,
  formatPercent,
  formatRate,
} from "@/lib/stats/units";
import type { ChartSpec } from "./chart-options";
import { UsageChart } from "./usage-chart";

const COLORS = {
  cpu: "#38bdf8", // sky-400
  memory: "#a78bfa", // violet-400
  limit: "#f87171", // red-400
  rx: "#34d399", // emerald-400
  tx: "#fbbf24", // amber-400
};

const BYTE_STEPS = byteAxisSteps();

function useSpecs(cpuLimitPercent: number) {
  return useMemo(() => {
    const cpu: ChartSpec = {
      series: [{ label: "CPU", color: COLORS.cpu, fill: "rgba(56, 189, 248, 0.12)" }],
      format: formatPercent,
      yMax: (max) => cpuAxisMax(cpuLimitPercent, [max]),
    };
    const memory: ChartSpec = {
      series: [
        { label: "Used", color: COLORS.memory, fill: "rgba(167, 139, 250, 0.14)" },
        { label: "Limit", color: COLORS.limit, dash: [5, 4] },
      ],
      format: formatBytes,
      yMax: (max) => Math.max(max * 1.08, 1024 ** 2),
      yIncrements: BYTE_STEPS,
    };
    const network: ChartSpec = {
      series: [
        { label: "Received", color: COLORS.rx },
        { label: "Sent", color: COLORS.tx },
      ],
      format: formatRate,
      yMax: (max) => Math.max(max * 1.2, 1024),
      yIncrements: BYTE_STEPS,
    };
    return { cpu, memory, network };
  }, [cpuLimitPercent]);
}

function Panel({
  title,
  value,
  testId,
  children,
}: {
  title: string;
  value: ReactNode;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="min-w-0 space-y-2" data-testid={testId}>
      <div className="flex items-baseline justify-between gap-3">
        <h3 className="text-xs font-medium tracking-wide text-zinc-400 uppercase">{title}</h3>
        <span className="truncate text-sm text-zinc-100 tabular-nums">{value}</span>
      </div>
      {children}
    </section>
  );
}

export function UsageCharts({
  columns,
  latest,
  cpuLimitPercent,
  loading,
}: {
  columns: StatsColumns;
  latest: StatsPoint | null;
  cpuLimitPercent: number;
  loading: boolean;
}) {
  const specs = useSpecs(cpuLimitPercent);
  const data = useMemo(
    () => ({
      cpu: [columns.time, columns.cpu] as uPlot.AlignedData,
      memory: [columns.time, columns.memory, columns.memoryLimit] as uPlot.AlignedData,
      network: [columns.time, columns.rx, columns.tx] as uPlot.AlignedData,
    }),
    [columns],
  );
  const empty = columns.time.length === 0;

  return (
    <div className="relative">
      <div className="grid gap-6 px-5 py-4 lg:grid-cols-3">
        <Panel
          title="CPU"
          testId="stats-cpu"
          value={latest ? formatPercent(latest.cpuPercent) : "—"}
        >
          <UsageChart spec={specs.cpu} data={data.cpu} />
        </Panel>
        <Panel
          title="Memory"
          testId="stats-memory"
          value={
            latest
              ? latest.memoryLimitBytes > 0
                ? `${formatBytes(latest.memoryBytes)} / ${formatBytes(latest.memoryLimitBytes)}`
                : formatBytes(latest.memoryBytes)
              : "—"
          }
        >
          <UsageChart spec={specs.memory} data={data.memory} />
        </Panel>
        <Panel
          title="Network"
          testId="stats-network"
          value={
            latest && latest.rxRate !== null && latest.txRate !== null
              ? `↓ ${formatRate(latest.rxRate)} · ↑ ${formatRate(latest.txRate)}`
              : "—"
          }
        >
          <UsageChart spec={specs.network} data={data.network} />
        </Panel>
      </div>
      {empty ? (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
          <p className="flex items-center gap-2 rounded-md bg-surface/90 px-3 py-1.5 text-sm text-zinc-400">
            {loading ? (
              <>
                <Spinner /> Loading usage…
              </>
            ) : (
              "No samples in this span yet. They arrive while the server runs."
            )}
          </p>
        </div>
      ) : null}
    </div>
  );
}
