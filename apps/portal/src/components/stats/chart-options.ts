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
      x: {
        time: true,
        range: (_u, min, max) =>
          Number.isFinite(max) && max - min < MIN_SPAN_S ? [max - MIN_SPAN_S, max] : [min, max],
      },
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
