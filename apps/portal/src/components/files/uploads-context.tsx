"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { useTRPC } from "@/lib/trpc";
import { useUploads } from "./use-uploads";

type Uploads = ReturnType<typeof useUploads>;

const UploadsContext = createContext<Uploads | null>(null);

/**
 * One upload queue per server page, above its tabs: switching from Files to Mods (or to the
 * console) does not stop what is being sent. A finished file refreshes the listings.
 */
export function UploadsProvider({ serverId, children }: { serverId: string; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const uploads = useUploads(serverId, () => {
    void queryClient.invalidateQueries({ queryKey: trpc.files.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.mods.list.pathKey() });
  });
  return <UploadsContext.Provider value={uploads}>{children}</UploadsContext.Provider>;
}

export function useServerUploads(): Uploads {
  const uploads = useContext(UploadsContext);
  if (!uploads) throw new Error("useServerUploads needs an UploadsProvider");
  return uploads;
}
