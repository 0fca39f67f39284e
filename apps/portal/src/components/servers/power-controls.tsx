"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { canPower, powerDoneMessage, type PowerAction } from "@/lib/server-state";
import { useTRPC } from "@/lib/trpc";
import type { ServerDetail } from "./types";

const BUTTONS: ReadonlyArray<{ action: Exclude<PowerAction, "kill">; label: string }> = [
  { action: "start", label: "Start" },
  { action: "stop", label: "Stop" },
  { action: "restart", label: "Restart" },
];

/**
 * Start / Stop / Restart / Kill. One action at a time: every button waits while one runs, and a
 * button is only offered when its action makes sense for the current state. Kill asks first.
 */
export function PowerControls({ server }: { server: ServerDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmKill, setConfirmKill] = useState(false);

  const power = useMutation(
    trpc.servers.power.mutationOptions({
      onSuccess: (_result, input) => {
        // The state itself arrives as live events (ordered by the agent); the answer to this
        // command can be older than an event already shown, so the page re-reads the server.
        void queryClient.invalidateQueries({
          queryKey: trpc.servers.get.queryKey({ serverId: input.serverId }),
        });
        void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
        toast.success(powerDoneMessage(input.action));
      },
      onSettled: () => setConfirmKill(false),
    }),
  );

  const running = power.isPending ? power.variables.action : null;
  const run = (action: PowerAction) => power.mutate({ serverId: server.id, action });
  const allowed = (action: PowerAction) =>
    canPower(action, server.observedState, server.provisionStage);

  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Power">
      {BUTTONS.map(({ action, label }) => (
        <Button
          key={action}
          variant="secondary"
          size="sm"
          loading={running === action}
          disabled={power.isPending || !allowed(action)}
          onClick={() => run(action)}
          data-testid={`power-${action}`}
        >
          {label}
        </Button>
      ))}
      <Button
        variant="danger"
        size="sm"
        loading={running === "kill"}
        disabled={power.isPending || !allowed("kill")}
        onClick={() => setConfirmKill(true)}
        data-testid="power-kill"
      >
        Kill
      </Button>

      <Dialog
        open={confirmKill}
        onClose={() => !power.isPending && setConfirmKill(false)}
        dismissible={!power.isPending}
        testId="kill-dialog"
        title={`Kill “${server.name}”?`}
        description="The process is ended at once, without a clean shutdown. Anything it has not saved is lost."
        footer={
          <>
            <Button
              variant="ghost"
              onClick={() => setConfirmKill(false)}
              disabled={power.isPending}
            >
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={running === "kill"}
              disabled={power.isPending}
              onClick={() => run("kill")}
              data-testid="power-kill-confirm"
            >
              Kill server
            </Button>
          </>
        }
      />
    </div>
  );
}
