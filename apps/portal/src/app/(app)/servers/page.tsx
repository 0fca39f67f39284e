import type { Metadata } from "next";
import { ServersList } from "@/components/servers/servers-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Servers" };

export default function ServersPage() {
  return (
    <>
      <PageHeader title="Servers" description="Your game servers and dev containers." />
      <ServersList />
    </>
  );
}
