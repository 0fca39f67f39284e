"use client";

import type { Terminal } from "@xterm/xterm";
import { useEffect, useState, type RefObject } from "react";
import { clipboardKey } from "@/lib/console/clipboard-keys";
import { XTERM_OPTIONS } from "./xterm-options";

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Copies the selection; without the async clipboard API, xterm's own copy handler does it. */
function copySelection(terminal: Terminal): void {
  const text = terminal.getSelection();
  if (!text) return;
  const fallback = () => document.execCommand("copy");
  if (window.isSecureContext && navigator.clipboard) {
    navigator.clipboard.writeText(text).catch(fallback);
  } else {
    fallback();
  }
}

/**
 * Creates an xterm.js terminal in `host` once, loading xterm and its addons only in the browser:
 * it fits its container whenever the container's size changes, makes links clickable and copies
 * with Ctrl+Shift+C (Ctrl+Shift+V and the context menu paste through the browser's own paste).
 * Returns the terminal once it exists and its current size in cells.
 */
export function useXterm(host: RefObject<HTMLDivElement | null>): {
  term: Terminal | null;
  size: TerminalSize | null;
  /** The terminal's code could not be loaded (e.g. the portal was updated meanwhile). */
  failed: boolean;
} {
  const [term, setTerm] = useState<Terminal | null>(null);
  const [size, setSize] = useState<TerminalSize | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let disposed = false;
    let teardown = () => {};

    void Promise.all([
      import("@xterm/xterm"),
      import("@xterm/addon-fit"),
      import("@xterm/addon-web-links"),
    ]).then(
      ([{ Terminal }, { FitAddon }, { WebLinksAddon }]) => {
        if (disposed) return;
        const terminal = new Terminal(XTERM_OPTIONS);
        const fit = new FitAddon();
        terminal.loadAddon(fit);
        terminal.loadAddon(new WebLinksAddon());
        terminal.attachCustomKeyEventHandler((event) => {
          const action = clipboardKey(event);
          if (!action) return true;
          if (action === "copy" && event.type === "keydown") {
            event.preventDefault();
            copySelection(terminal);
          }
          // Paste: the browser's default action fires a paste event, which xterm turns into input.
          return false;
        });
        terminal.open(element);

        let frame = 0;
        const refit = () => {
          frame = 0;
          // A hidden or collapsed container has no size to fit to.
          if (element.clientWidth === 0 || element.clientHeight === 0) return;
          fit.fit();
          setSize((old) =>
            old && old.cols === terminal.cols && old.rows === terminal.rows
              ? old
              : { cols: terminal.cols, rows: terminal.rows },
          );
        };
        const observer = new ResizeObserver(() => {
          if (!frame) frame = requestAnimationFrame(refit);
        });
        observer.observe(element);
        refit();
        setTerm(terminal);

        teardown = () => {
          observer.disconnect();
          cancelAnimationFrame(frame);
          terminal.dispose();
        };
      },
      () => {
        if (!disposed) setFailed(true);
      },
    );

    return () => {
      disposed = true;
      teardown();
      setTerm(null);
      setSize(null);
    };
  }, [host]);

  return { term, size, failed };
}
