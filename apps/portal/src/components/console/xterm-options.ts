import type { ITerminalOptions } from "@xterm/xterm";

/** The terminal panel's background; the panel around the terminal uses the same colour. */
export const TERMINAL_BACKGROUND = "#0b0d12";

export const XTERM_OPTIONS: ITerminalOptions = {
  fontFamily:
    'ui-monospace, "JetBrains Mono", "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
  fontSize: 13,
  lineHeight: 1.25,
  cursorBlink: true,
  cursorInactiveStyle: "outline",
  scrollback: 10_000,
  macOptionIsMeta: true,
  theme: {
    background: TERMINAL_BACKGROUND,
    foreground: "#d4d4d8",
    cursor: "#7dd3fc",
    cursorAccent: TERMINAL_BACKGROUND,
    selectionBackground: "rgba(56, 189, 248, 0.32)",
    selectionInactiveBackground: "rgba(148, 163, 184, 0.22)",
    scrollbarSliderBackground: "rgba(161, 161, 170, 0.18)",
    scrollbarSliderHoverBackground: "rgba(161, 161, 170, 0.32)",
    scrollbarSliderActiveBackground: "rgba(161, 161, 170, 0.42)",
    black: "#18181b",
    red: "#f87171",
    green: "#4ade80",
    yellow: "#facc15",
    blue: "#60a5fa",
    magenta: "#e879f9",
    cyan: "#22d3ee",
    white: "#d4d4d8",
    brightBlack: "#71717a",
    brightRed: "#fca5a5",
    brightGreen: "#86efac",
    brightYellow: "#fde68a",
    brightBlue: "#93c5fd",
    brightMagenta: "#f0abfc",
    brightCyan: "#67e8f9",
    brightWhite: "#fafafa",
  },
};
