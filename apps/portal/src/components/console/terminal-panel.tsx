import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** The dark frame of a terminal: a top bar (`header` left, `status` right) above `children`. */
export function TerminalPanel({
  label,
  header,
  status,
  className,
  children,
  ...data
}: {
  label: string;
  header?: ReactNode;
  status?: ReactNode;
  className?: string;
  children: ReactNode;
} & { [key: `data-${string}`]: string | undefined }) {
  return (
    <section
      aria-label={label}
      className={cn(
        "flex min-h-0 flex-col overflow-hidden rounded-lg border border-line bg-terminal",
        className,
      )}
      {...data}
    >
      <div className="flex h-10 shrink-0 items-center gap-3 border-b border-white/[0.06] bg-white/[0.02] pr-3 pl-1">
        <div className="flex min-w-0 flex-1 items-center">{header}</div>
        {status}
      </div>
      {children}
    </section>
  );
}
