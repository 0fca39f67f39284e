"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { testFailure } from "@/lib/account/webhook-url";
import { useTRPC } from "@/lib/trpc";

/** Test, rotate and remove a saved webhook. */
export function WebhookActions({
  onSecret,
  onCleared,
}: {
  onSecret: (secret: string) => void;
  onCleared: () => void;
}) {
  const trpc = useTRPC();
  const test = useMutation(
    trpc.me.webhook.test.mutationOptions({
      onSuccess: (result) => {
        if (result.ok) toast.success(`Test delivered (HTTP ${result.status})`);
        else toast.error(testFailure(result));
      },
    }),
  );
  const rotate = useMutation(
    trpc.me.webhook.rotateSecret.mutationOptions({
      onSuccess: (result) => {
        onSecret(result.secret);
        toast.success("New secret made; the old one no longer signs");
      },
    }),
  );
  const clear = useMutation(
    trpc.me.webhook.clear.mutationOptions({
      onSuccess: () => {
        onCleared();
        toast.success("Webhook removed");
      },
    }),
  );
  const busy = test.isPending || rotate.isPending || clear.isPending;

  return (
    <div className="flex flex-wrap items-center gap-2 border-t border-line/70 pt-4">
      <Button
        variant="secondary"
        size="sm"
        loading={test.isPending}
        disabled={busy}
        onClick={() => test.mutate()}
        data-testid="webhook-test"
      >
        Send test
      </Button>
      <Button
        variant="secondary"
        size="sm"
        loading={rotate.isPending}
        disabled={busy}
        onClick={() => rotate.mutate()}
        data-testid="webhook-rotate"
      >
        Rotate secret
      </Button>
      <Button
        variant="danger-ghost"
        size="sm"
        className="ml-auto"
        loading={clear.isPending}
        disabled={busy}
        onClick={() => clear.mutate()}
        data-testid="webhook-clear"
      >
        Remove webhook
      </Button>
    </div>
  );
}
