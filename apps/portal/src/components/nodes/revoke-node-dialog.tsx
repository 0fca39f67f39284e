"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";

export interface RevokeTarget {
  id: string;
  name: string;
}

/** Asks before revoking: the node's agent is cut off and cannot reconnect with its credential. */
export function RevokeNodeDialog({
  node,
  onClose,
}: {
  node: RevokeTarget | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  const revoke = useMutation(
    trpc.nodes.revoke.mutationOptions({
      onSuccess: (_data, input) => {
        toast.success(`Node “${node?.name ?? input.nodeId}” revoked.`);
        onClose();
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() }),
    }),
  );

  const close = () => {
    if (revoke.isPending) return;
    revoke.reset();
    onClose();
  };

  return (
    <Dialog
      open={node !== null}
      onClose={close}
      dismissible={!revoke.isPending}
      testId="revoke-dialog"
      title={node ? `Revoke “${node.name}”?` : "Revoke node?"}
      description={
        <>
          Its agent is disconnected at once and its credential stops working. Servers on this node
          can&apos;t be managed until the machine is added and enrolled again. This can&apos;t be
          undone.
        </>
      }
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={revoke.isPending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={revoke.isPending}
            onClick={() => node && revoke.mutate({ nodeId: node.id })}
            data-testid="revoke-confirm"
          >
            Revoke node
          </Button>
        </>
      }
    />
  );
}
