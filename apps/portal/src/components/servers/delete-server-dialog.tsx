"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";

export function DeleteServerDialog({
  server,
  open,
  onClose,
}: {
  server: { id: string; name: string };
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();

  const remove = useMutation(
    trpc.servers.delete.mutationOptions({
      onSuccess: (_data, input) => {
        toast.success(`Server “${server.name}” deleted`);
        queryClient.setQueryData(trpc.servers.list.queryKey(), (rows) =>
          rows?.filter((row) => row.id !== input.serverId),
        );
        void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
        router.push("/servers");
      },
      // The error is a toast, which a modal would cover: close so it can be read.
      onError: () => onClose(),
    }),
  );

  const busy = remove.isPending || remove.isSuccess;
  const close = () => {
    if (busy) return;
    remove.reset();
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!busy}
      testId="delete-server-dialog"
      title={`Delete “${server.name}”?`}
      description="The server is stopped and removed from its node. This can't be undone."
      footer={
        <>
          <Button variant="ghost" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={busy}
            onClick={() => remove.mutate({ serverId: server.id })}
            data-testid="server-delete-confirm"
          >
            Delete server
          </Button>
        </>
      }
    />
  );
}
