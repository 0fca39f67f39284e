import { cn } from "@/lib/cn";
import { LINK_LABELS, type ConsoleLinkState } from "@/lib/console/console-link";

const DOTS: Record<ConsoleLinkState, string> = {
  connecting: "bg-amber-400",
  live: "bg-emerald-400",
  reconnecting: "bg-amber-400",
  offline: "bg-red-400",
  unavailable: "bg-red-400",
};

const TITLES: Record<ConsoleLinkState, string> = {
  connecting: "Joining the console",
  live: "Output arrives live",
  reconnecting: "Lost the live link; catching up once it is back",
  offline: "No live connection; reload the page to retry",
  unavailable: "The console cannot be reached; retrying",
};

/** The console's live link: Live, Connecting…, Reconnecting…, Offline or Unavailable (why). */
export function ConsoleStatus({
  link,
  problem,
}: {
  link: ConsoleLinkState;
  problem: string | null;
}) {
  const busy = link === "connecting" || link === "reconnecting";
  return (
    <span
      role="status"
      aria-live="polite"
      title={problem ?? TITLES[link]}
      data-testid="console-status"
      data-state={link}
      className="inline-flex min-w-0 items-center gap-1.5 text-[11px] font-medium text-zinc-400"
    >
      <span className="relative flex size-1.5 shrink-0" aria-hidden="true">
        {busy ? (
          <span
            className={cn("absolute inline-flex size-full animate-ping rounded-full", DOTS[link])}
          />
        ) : null}
        <span className={cn("relative inline-flex size-1.5 rounded-full", DOTS[link])} />
      </span>
      <span className={cn("shrink-0", link === "live" && "text-emerald-300")}>
        {LINK_LABELS[link]}
      </span>
      {problem ? <span className="truncate text-zinc-500">· {problem}</span> : null}
    </span>
  );
}
