"use client";

import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import type { CrashView } from "@/lib/crashes/crash-record";
import { errorMessage } from "@/lib/toast-error";
import { CrashEntry } from "./crash-entry";
import type { useCrashHistory } from "./use-crash-history";

/** The server's crashes, newest first, with "load more" for older ones. */
export function CrashHistory({ history }: { history: ReturnType<typeof useCrashHistory> }) {
  const { query, crashes } = history;
  return (
    <Card data-testid="crash-history">
      <CardHeader title="Crash history" description="Every exit no one asked for, newest first." />
      <CrashList crashes={crashes} loading={query.isPending} />
      {query.isError ? (
        <div className="px-5 pb-4">
          <FormError>{errorMessage(query.error)}</FormError>
        </div>
      ) : null}
      {query.hasNextPage ? (
        <div className="border-t border-line/70 px-5 py-3">
          <Button
            variant="ghost"
            size="sm"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
            data-testid="crash-load-more"
          >
            Load older crashes
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function CrashList({ crashes, loading }: { crashes: CrashView[]; loading: boolean }) {
  if (loading && crashes.length === 0) {
    return (
      <div className="flex items-center gap-2 px-5 py-4 text-sm text-zinc-400">
        <Spinner /> Loading crashes…
      </div>
    );
  }
  if (crashes.length === 0) {
    return (
      <p className="px-5 py-4 text-sm text-zinc-500" data-testid="crash-history-empty">
        No crashes. Berth records every unexpected exit here, with the log before it.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-line/70" data-testid="crash-list">
      {crashes.map((crash) => (
        <CrashEntry key={crash.id} crash={crash} />
      ))}
    </ul>
  );
}
