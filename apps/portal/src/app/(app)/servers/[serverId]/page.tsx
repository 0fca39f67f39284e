import type { Metadata } from "next";
import { ServerDetailView } from "@/components/servers/server-detail";

export const metadata: Metadata = { title: "Server" };

export default async function ServerPage({ params }: { params: Promise<{ serverId: string }> }) {
  const { serverId } = await params;
  return <ServerDetailView serverId={serverId} />;
}
