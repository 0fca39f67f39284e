"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { WarningIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import type { CrashView } from "@/lib/crashes/crash-record";
import { useTRPC } from "@/lib/trpc";
import { CrashClassBadge } from "./crash-class-badge";

/**
 * Shown while the server sits in `error` after a crash loop: automatic restarts are paused until
 * someone starts it again. Names the last crash's class and suggestion, so the fix comes first.
 */
export function CrashLoopBanner({
  serverId,
  lastCrash,
  crashLoopAfter,
}: {
  serverId: string;
  lastCrash: CrashView | null;
  crashLoopAfter: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const start = useMutation(
    trpc.servers.power.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({
          queryKey: trpc.servers.get.queryKey({ serverId }),
        });
        toast.success("Starting the server again");
      },
    }),
  );

  return (
    <div
      role="alert"
      className="flex flex-wrap items-start gap-3 rounded-lg border border-red-500/40 bg-red-500/10 px-4 py-3.5"
      data-testid="crash-loop-banner"
    >
      <WarningIcon className="mt-0.5 size-5 shrink-0 text-red-400" />
      <div className="min-w-0 flex-1 space-y-1.5">
        <p className="text-sm font-semibold text-red-100">Crash loop — auto-restart paused</p>
        <p className="text-sm text-red-100/80">
          The server crashed {crashLoopAfter === 1 ? "and" : `${crashLoopAfter} times in a row and`}{" "}
          stays down until you start it again.
        </p>
        {lastCrash ? (
          <div className="flex flex-wrap items-center gap-2 pt-0.5">
            <span className="text-xs text-red-100/70">Last crash</span>
            <CrashClassBadge crashClass={lastCrash.class} />
            {lastCrash.subject ? (
              <span className="font-mono text-xs text-zinc-200">{lastCrash.subject}</span>
            ) : null}
            {lastCrash.suggestion ? (
              <span className="text-sm text-zinc-200" data-testid="crash-loop-suggestion">
                {lastCrash.suggestion}
              </span>
            ) : null}
          </div>
        ) : null}
      </div>
      <Button
        size="sm"
        loading={start.isPending}
        onClick={() => start.mutate({ serverId, action: "start" })}
        data-testid="crash-loop-start"
      >
        Start again
      </Button>
    </div>
  );
}
