"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import { ChevronRightIcon } from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import { exitSummary, formatUptime } from "@/lib/crashes/crash-class";
import type { CrashView } from "@/lib/crashes/crash-record";
import { CrashClassBadge } from "./crash-class-badge";
import { LogTail } from "./log-tail";

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span className="whitespace-nowrap">
      <span className="text-zinc-500">{label} </span>
      <span className="text-zinc-300">{children}</span>
    </span>
  );
}

/** One crash: what, when, how long it had run, how it ended, what to do; the log on demand. */
export function CrashEntry({ crash }: { crash: CrashView }) {
  const [open, setOpen] = useState(false);
  const tailId = useId();
  const pathname = usePathname();
  // A crash a mod or plugin caused links to that mod on the Mods tab.
  const modLink =
    crash.class === "mod_or_plugin_error"
      ? `${pathname}?tab=mods&crash=${encodeURIComponent(crash.id)}`
      : null;

  return (
    <li className="px-5 py-3.5" data-testid="crash-entry" data-crash-id={crash.id}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <CrashClassBadge crashClass={crash.class} />
        {crash.subject ? (
          <span
            className="rounded border border-line bg-canvas px-1.5 py-0.5 font-mono text-xs text-zinc-200"
            title="The mod, plugin or library the log names"
            data-testid="crash-subject"
          >
            {crash.subject}
          </span>
        ) : null}
        {modLink ? (
          <Link
            href={modLink}
            className="text-xs font-medium text-sky-300 hover:text-sky-200 hover:underline"
            data-testid="crash-mod-link"
          >
            Show in Mods →
          </Link>
        ) : null}
        {crash.crashLoop ? (
          <Badge tone="red" data-testid="crash-loop-marker">
            restarts paused
          </Badge>
        ) : null}
        <span className="ml-auto text-xs text-zinc-400 tabular-nums">
          <RelativeTime date={crash.at} testId="crash-time" />
        </span>
      </div>

      {crash.suggestion ? (
        <p className="mt-2 text-sm text-zinc-200" data-testid="crash-suggestion">
          {crash.suggestion}
        </p>
      ) : null}

      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
        <Detail label="Uptime">
          <span data-testid="crash-uptime">{formatUptime(crash.uptimeMs)}</span>
        </Detail>
        <Detail label="Ended">
          <span data-testid="crash-exit">{exitSummary(crash)}</span>
        </Detail>
        {crash.matchedRule ? (
          <Detail label="Rule">
            <span className="font-mono">{crash.matchedRule}</span>
          </Detail>
        ) : null}
        <button
          type="button"
          aria-expanded={open}
          aria-controls={tailId}
          onClick={() => setOpen((o) => !o)}
          className="ml-auto inline-flex cursor-pointer items-center gap-1 rounded text-xs font-medium text-sky-300 hover:text-sky-200 focus-visible:outline-2 focus-visible:outline-sky-400"
          data-testid="crash-log-toggle"
        >
          <ChevronRightIcon className={cn("size-3.5 transition-transform", open && "rotate-90")} />
          {open ? "Hide log" : `Log (${crash.logTail.length} lines)`}
        </button>
      </div>

      {open ? (
        <div id={tailId} className="mt-3">
          <LogTail lines={crash.logTail} />
        </div>
      ) : null}
    </li>
  );
}
