import type uPlot from "uplot";

/** One line on a usage chart. */
export interface ChartSeries {
  label: string;
  color: string;
  /** Area under the line (a translucent colour). */
  fill?: string;
  dash?: number[];
}

export interface ChartSpec {
  series: ChartSeries[];
  /** Axis labels and legend values. */
  format: (value: number) => string;
  /** The y axis's top for the data shown (its bottom is always 0). */
  yMax: (dataMax: number) => number;
  /** Tick steps for the y axis, when the default decimal ones read badly (bytes). */
  yIncrements?: number[];
}

const AXIS_TEXT = "#a1a1aa"; // zinc-400
const GRID = "rgba(113, 113, 122, 0.18)"; // zinc-500
const FONT = "11px ui-sans-serif, system-ui, sans-serif";
const MIN_SPAN_S = 60;

function cursorTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** The first to the last sample, at least a minute (ending at the last sample). */
export function timeRange(
  times: ArrayLike<number> | undefined,
  min: number,
  max: number,
): uPlot.Range.MinMax {
  const first = times?.[0];
  const last = times && times.length > 0 ? times[times.length - 1] : undefined;
  if (first === undefined || last === undefined) return [min, max];
  return [Math.min(first, last - MIN_SPAN_S), last];
}

/** uPlot options for a usage chart in the portal's dark theme. */
export function chartOptions(spec: ChartSpec, width: number, height: number): uPlot.Options {
  return {
    width,
    height,
    pxAlign: false,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { show: true, live: true },
    scales: {
      // A few seconds of data still get a readable time axis: at least a minute is shown.
      // Ranged on the data itself: for a single point uPlot pads the scale by a whole day.
      x: { time: true, range: (u, min, max) => timeRange(u.data[0], min, max) },
      y: { range: (_u, _min, max) => [0, spec.yMax(Number.isFinite(max) ? max : 0)] },
    },
    axes: [
      {
        stroke: AXIS_TEXT,
        font: FONT,
        grid: { stroke: GRID, width: 1 },
        ticks: { stroke: GRID, width: 1, size: 4 },
      },
      {
        stroke: AXIS_TEXT,
        font: FONT,
        size: 64,
        grid: { stroke: GRID, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => spec.format(v)),
        ...(spec.yIncrements ? { incrs: spec.yIncrements } : {}),
      },
    ],
    series: [
      // Legend values show only under the cursor: the time first, then each series.
      { value: (_u, v) => (v === null || v === undefined ? "" : cursorTime(v)) },
      ...spec.series.map((s): uPlot.Series => ({
        label: s.label,
        stroke: s.color,
        width: 1.5,
        ...(s.fill ? { fill: s.fill } : {}),
        ...(s.dash ? { dash: s.dash } : {}),
        spanGaps: false,
        value: (_u, v) => (v === null || v === undefined ? "" : spec.format(v)),
      })),
    ],
  };
}
