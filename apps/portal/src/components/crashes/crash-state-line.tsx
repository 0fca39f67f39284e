"use client";

import { ClockIcon } from "@/components/icons";
import { crashStateLine } from "@/lib/crashes/restart-countdown";
import { useNow } from "@/lib/use-now";

/** "Crashed — restarting in 23 s", ticking down to the agent's scheduled restart. */
export function CrashStateLine({
  state,
  restartAt,
  autoRestart,
}: {
  state: string;
  restartAt: Date | null;
  autoRestart: boolean;
}) {
  const at = restartAt ? restartAt.getTime() : null;
  const now = useNow(250, state === "crashed" && at !== null);
  const line = crashStateLine({ state, restartAt: at, autoRestart, now });
  if (!line) return null;
  return (
    <span
      className="inline-flex items-center gap-1.5 text-sm text-red-200 tabular-nums"
      data-testid="crash-state-line"
      data-counting={line.counting || undefined}
    >
      <ClockIcon className="size-4 text-red-400" />
      {line.text}
    </span>
  );
}
