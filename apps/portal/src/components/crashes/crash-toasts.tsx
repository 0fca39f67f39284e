"use client";

import { PortalToBrowser } from "@berth/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";
import { crashToastText } from "@/lib/crashes/crash-toast";
import { useSocket } from "@/lib/socket";
import { useTRPC } from "@/lib/trpc";

/**
 * A toast for every crash of the user's servers, on whatever page they are: the portal sends
 * `server:crash` to the owner's own room as well as to the server's. A crash that arrives on both
 * shows once (the toast id is the crash's).
 */
export function CrashToasts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { socket } = useSocket();

  useEffect(() => {
    if (!socket) return;
    const onCrash = async (payload: unknown) => {
      const parsed = PortalToBrowser["server:crash"].payload.safeParse(payload);
      if (!parsed.success) return;
      const crash = parsed.data;
      const name = await queryClient
        .fetchQuery({
          ...trpc.servers.get.queryOptions({ serverId: crash.serverId }),
          staleTime: 60_000,
        })
        .then((server) => server.name)
        .catch(() => null);
      const { title, description } = crashToastText({ ...crash, serverName: name });
      toast.error(title, {
        id: `crash:${crash.id}`,
        description,
        duration: 12_000,
        className: "crash-toast",
        action: {
          label: "View",
          onClick: () => router.push(`/servers/${crash.serverId}`),
        },
      });
    };
    const listener = (payload: unknown) => void onCrash(payload);
    socket.on("server:crash", listener);
    return () => {
      socket.off("server:crash", listener);
    };
  }, [socket, queryClient, trpc, router]);

  return null;
}
