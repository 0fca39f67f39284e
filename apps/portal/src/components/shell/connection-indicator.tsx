"use client";

import { useSocket, type SocketStatus } from "@/lib/socket";
import { cn } from "@/lib/cn";

const LABELS: Record<SocketStatus, string> = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

const TITLES: Record<SocketStatus, string> = {
  connecting: "Opening the live connection to the portal",
  connected: "Live updates are on",
  reconnecting: "Lost the live connection; retrying",
  offline: "No live connection; reload the page to retry",
};

const DOTS: Record<SocketStatus, string> = {
  connecting: "bg-amber-400",
  connected: "bg-emerald-400",
  reconnecting: "bg-amber-400",
  offline: "bg-red-400",
};

export function ConnectionIndicator() {
  const { status } = useSocket();
  const busy = status === "connecting" || status === "reconnecting";

  return (
    <div
      data-testid="socket-status"
      data-status={status}
      title={TITLES[status]}
      role="status"
      aria-live="polite"
      className="inline-flex h-7 items-center gap-2 rounded-full border border-line bg-canvas/60 px-2.5 text-xs text-zinc-400"
    >
      <span className="relative flex size-2" aria-hidden="true">
        {busy ? (
          <span
            className={cn("absolute inline-flex size-full animate-ping rounded-full", DOTS[status])}
          />
        ) : null}
        <span className={cn("relative inline-flex size-2 rounded-full", DOTS[status])} />
      </span>
      <span className="hidden md:inline">{LABELS[status]}</span>
    </div>
  );
}
