"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { chartOptions, type ChartSpec } from "./chart-options";

/**
 * A uPlot time series that follows its container's width. The chart is built once per spec;
 * new data only calls setData, so live updates every 2 s cost one redraw.
 */
export function UsageChart({
  spec,
  data,
  height = 150,
  testId,
}: {
  spec: ChartSpec;
  data: uPlot.AlignedData;
  height?: number;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);

  // Declared first, so a new chart (below) is always built with the newest data.
  useEffect(() => {
    latest.current = data;
    chart.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(chartOptions(spec, el.clientWidth, height), latest.current, el);
    chart.current = plot;
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0) plot.setSize({ width: el.clientWidth, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [spec, height]);

  return <div ref={box} className="usage-chart w-full" data-testid={testId} />;
}
