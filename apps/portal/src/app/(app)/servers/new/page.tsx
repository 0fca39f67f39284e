import type { Metadata } from "next";
import { NewServerForm } from "@/components/servers/new-server-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New server" };

export default function NewServerPage() {
  return (
    <>
      <PageHeader
        title="New server"
        description="A game server or a dev container, and the resources it may use. Berth places it on a node with room for it."
      />
      <NewServerForm />
    </>
  );
}
