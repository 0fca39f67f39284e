"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc";
import type { ServerDetail } from "./types";

/**
 * A dev server's runtime version, switchable: the node installs the chosen version and re-creates
 * the container (the workspace stays), at once when stopped, else at the next start.
 */
export function RuntimeCard({ server }: { server: ServerDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const catalog = useQuery(trpc.runtimes.catalog.queryOptions());
  const [chosen, setChosen] = useState<string | null>(null);
  const update = useMutation(
    trpc.servers.updateRuntime.mutationOptions({
      onSuccess: ({ takesEffect }) => {
        void queryClient.invalidateQueries({
          queryKey: trpc.servers.get.queryKey({ serverId: server.id }),
        });
        setChosen(null);
        toast.success(
          takesEffect === "now" ? "Runtime switched" : "Runtime switches at the next start",
        );
      },
    }),
  );

  const runtimes = (catalog.data ?? []).filter((r) => r.kind === "runtime");
  const current = server.runtimeVersionId ?? "";
  const selected = chosen ?? current;
  const currentLabel =
    runtimes
      .flatMap((r) => r.versions.map((v) => ({ id: v.id, label: `${r.displayName} ${v.version}` })))
      .find((v) => v.id === current)?.label ?? (current ? "A version no longer offered" : "None");

  return (
    <Card data-testid="runtime-card">
      <CardHeader
        title="Runtime"
        description={<span data-testid="runtime-current">{currentLabel}</span>}
      />
      <div className="flex flex-wrap items-center gap-2 px-5 py-4">
        <select
          aria-label="Runtime version"
          className="min-w-0 flex-1 rounded-md border border-line bg-zinc-900 px-2.5 py-1.5 text-sm text-zinc-100"
          value={selected}
          onChange={(event) => setChosen(event.target.value)}
          data-testid="runtime-switch-select"
        >
          <option value="">No runtime (plain Debian)</option>
          {runtimes.map((runtime) => (
            <optgroup key={runtime.id} label={runtime.displayName}>
              {runtime.versions.map((version) => (
                <option key={version.id} value={version.id}>
                  {runtime.displayName} {version.version}
                  {version.deprecated ? " (deprecated)" : ""}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <Button
          variant="secondary"
          size="sm"
          loading={update.isPending}
          disabled={selected === current || update.isPending}
          onClick={() => update.mutate({ serverId: server.id, runtimeVersionId: selected || null })}
          data-testid="runtime-switch"
        >
          Switch
        </Button>
      </div>
    </Card>
  );
}
