import { WarningIcon } from "@/components/icons";
import { cn } from "@/lib/cn";
import type { NoticeTone } from "@/lib/console/console-notice";

const TONES: Record<NoticeTone, string> = {
  info: "border-sky-500/20 bg-sky-500/10 text-sky-100",
  warning: "border-amber-500/20 bg-amber-500/10 text-amber-100",
  danger: "border-red-500/25 bg-red-500/10 text-red-100",
};

const ICONS: Record<NoticeTone, string> = {
  info: "text-sky-400",
  warning: "text-amber-400",
  danger: "text-red-400",
};

/** One line about the process behind a console (not running, exited, …). */
export function ConsoleNoticeBar({ tone, text }: { tone: NoticeTone; text: string }) {
  return (
    <div
      role="status"
      data-testid="console-notice"
      data-tone={tone}
      className={cn("flex items-center gap-2 border-b px-3 py-1.5 text-xs", TONES[tone])}
    >
      <WarningIcon className={cn("size-3.5 shrink-0", ICONS[tone])} />
      <span>{text}</span>
    </div>
  );
}
