import type { HTMLAttributes } from "react";
import { cn } from "@/lib/cn";

export type BadgeTone =
  "green" | "grey" | "amber" | "red" | "sky" | "orange" | "violet" | "fuchsia";

const TONES: Record<BadgeTone, { box: string; dot: string }> = {
  green: { box: "bg-emerald-500/10 text-emerald-300 ring-emerald-500/30", dot: "bg-emerald-400" },
  grey: { box: "bg-zinc-500/10 text-zinc-400 ring-zinc-500/30", dot: "bg-zinc-500" },
  amber: { box: "bg-amber-500/10 text-amber-300 ring-amber-500/30", dot: "bg-amber-400" },
  red: { box: "bg-red-500/10 text-red-300 ring-red-500/30", dot: "bg-red-400" },
  sky: { box: "bg-sky-500/10 text-sky-300 ring-sky-500/30", dot: "bg-sky-400" },
  orange: { box: "bg-orange-500/10 text-orange-300 ring-orange-500/30", dot: "bg-orange-400" },
  violet: { box: "bg-violet-500/10 text-violet-300 ring-violet-500/30", dot: "bg-violet-400" },
  fuchsia: { box: "bg-fuchsia-500/10 text-fuchsia-300 ring-fuchsia-500/30", dot: "bg-fuchsia-400" },
};

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: BadgeTone;
  dot?: boolean;
  pulse?: boolean;
}

export function Badge({
  tone = "grey",
  dot = false,
  pulse = false,
  className,
  children,
  ...rest
}: BadgeProps) {
  const t = TONES[tone];
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        t.box,
        className,
      )}
      {...rest}
    >
      {dot ? (
        <span className="relative flex size-1.5" aria-hidden="true">
          {pulse ? (
            <span
              className={cn(
                "absolute inline-flex size-full animate-ping rounded-full opacity-60",
                t.dot,
              )}
            />
          ) : null}
          <span className={cn("relative inline-flex size-1.5 rounded-full", t.dot)} />
        </span>
      ) : null}
      {children}
    </span>
  );
}
