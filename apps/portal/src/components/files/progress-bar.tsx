import { cn } from "@/lib/cn";

/** A thin progress bar with the percent for assistive technology. */
export function ProgressBar({
  percent,
  tone = "sky",
  label,
  testId,
  className,
}: {
  percent: number;
  tone?: "sky" | "green" | "red" | "grey";
  label: string;
  testId?: string;
  className?: string;
}) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      data-testid={testId}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-zinc-800", className)}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-300",
          tone === "sky" && "bg-sky-400",
          tone === "green" && "bg-emerald-400",
          tone === "red" && "bg-red-400",
          tone === "grey" && "bg-zinc-500",
        )}
        style={{ width: `${clamped}%` }}
      />
    </div>
  );
}
