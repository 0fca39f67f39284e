"use client";

import type { CodeServerAction } from "@berth/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc";
import type { ServerDetail } from "./types";

const TONE: Record<string, BadgeTone> = {
  running: "green",
  starting: "amber",
  stopped: "grey",
  failed: "red",
};

const DONE: Record<CodeServerAction, string> = {
  start: "code-server is running",
  stop: "code-server stopped",
  restart: "code-server restarted",
};

const ACTIONS: ReadonlyArray<{ action: CodeServerAction; label: string }> = [
  { action: "start", label: "Start" },
  { action: "stop", label: "Stop" },
  { action: "restart", label: "Restart" },
];

/** A dev server's code-server: its state as the agent reports it, and start / stop / restart. */
export function CodeServerCard({ server }: { server: ServerDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const codeServer = server.codeServer;
  const act = useMutation(
    trpc.servers.codeServer.mutationOptions({
      onSuccess: (_status, input) => {
        void queryClient.invalidateQueries({
          queryKey: trpc.servers.get.queryKey({ serverId: input.serverId }),
        });
        toast.success(DONE[input.action]);
      },
    }),
  );
  const signOut = useMutation(
    trpc.ide.signOutSessions.mutationOptions({
      onSuccess: ({ revoked }) =>
        toast.success(
          revoked === 0
            ? "There were no IDE sessions to sign out"
            : "IDE sessions signed out; open tabs lose access within seconds",
        ),
    }),
  );
  if (!codeServer) return null;

  const serverRunning = server.observedState === "running";
  const pending = act.isPending ? act.variables.action : null;
  const allowed = (action: CodeServerAction) =>
    serverRunning &&
    (action === "start" ? codeServer.state !== "running" : codeServer.state !== "stopped");

  return (
    <Card data-testid="code-server-card">
      <CardHeader
        title="code-server"
        description={
          serverRunning
            ? "VS Code in the browser, running inside this dev container."
            : "Runs while the server runs."
        }
        actions={
          <Badge tone={TONE[codeServer.state] ?? "grey"} data-testid="code-server-state">
            {codeServer.state}
          </Badge>
        }
      />
      <div className="space-y-3 px-5 py-4">
        {codeServer.message && codeServer.state !== "running" ? (
          <p
            className={
              codeServer.state === "failed"
                ? "text-sm break-words text-red-300"
                : "text-sm text-zinc-400"
            }
            data-testid="code-server-message"
          >
            {codeServer.message}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2" role="group" aria-label="code-server">
          {ACTIONS.map(({ action, label }) => (
            <Button
              key={action}
              variant="secondary"
              size="sm"
              loading={pending === action}
              disabled={act.isPending || !allowed(action)}
              onClick={() => act.mutate({ serverId: server.id, action })}
              data-testid={`code-server-${action}`}
            >
              {label}
            </Button>
          ))}
          <span className="mx-1 hidden h-6 w-px bg-line sm:block" aria-hidden="true" />
          <Button
            variant="ghost"
            size="sm"
            loading={signOut.isPending}
            onClick={() => signOut.mutate({ serverId: server.id })}
            title="Ends every open IDE tab and unused IDE link of this server"
            data-testid="ide-sign-out"
          >
            Sign out IDE sessions
          </Button>
        </div>
      </div>
    </Card>
  );
}
