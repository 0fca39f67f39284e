"use client";

import { useEffect, useRef } from "react";

/** The last lines before a crash: monospace, scrollable, opened at its end (where it failed). */
export function LogTail({ lines }: { lines: readonly string[] }) {
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);

  if (lines.length === 0) {
    return <p className="text-xs text-zinc-500">The server printed nothing before it ended.</p>;
  }
  return (
    <pre
      ref={box}
      tabIndex={0}
      aria-label="Log tail"
      data-testid="crash-log-tail"
      className="max-h-72 overflow-auto rounded-md border border-line bg-terminal px-3 py-2 font-mono text-xs leading-relaxed text-zinc-300 focus-visible:outline-2 focus-visible:outline-sky-400"
    >
      {lines.join("\n")}
    </pre>
  );
}
