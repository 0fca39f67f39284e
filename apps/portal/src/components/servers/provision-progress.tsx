import { cn } from "@/lib/cn";
import { stageLabel } from "@/lib/server-state";

/**
 * The provisioning bar. `slim` is the table variant: a thin bar with the percentage beside it; the
 * full variant has a label row with the stage and its message.
 */
export function ProvisionProgress({
  stage,
  percent,
  message,
  slim = false,
}: {
  stage: string;
  percent: number;
  message?: string | null;
  slim?: boolean;
}) {
  const failed = stage === "failed";
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  const label = `Provisioning: ${stageLabel(stage)}`;

  const bar = (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      aria-valuetext={`${stageLabel(stage)}, ${value}%`}
      data-testid="provision-progress"
      data-stage={stage}
      className={cn("w-full overflow-hidden rounded-full bg-zinc-800", slim ? "h-1" : "h-2")}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-500 ease-out",
          failed ? "bg-red-500" : "bg-sky-500",
        )}
        style={{ width: `${failed ? Math.max(value, 100) : value}%` }}
      />
    </div>
  );

  if (slim) {
    return (
      <div className="mt-1.5 flex w-32 items-center gap-2" title={label}>
        {bar}
        <span className="text-[11px] text-zinc-500 tabular-nums">
          {failed ? "failed" : `${value}%`}
        </span>
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <span
          className={cn("font-medium", failed ? "text-red-300" : "text-zinc-200")}
          data-testid="provision-stage"
        >
          {stageLabel(stage)}
        </span>
        {failed ? null : <span className="text-zinc-400 tabular-nums">{value}%</span>}
      </div>
      {bar}
      {message ? (
        <p
          className={cn("text-sm", failed ? "text-red-200" : "text-zinc-400")}
          data-testid="provision-message"
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
