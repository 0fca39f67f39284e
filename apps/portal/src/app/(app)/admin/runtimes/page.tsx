import type { Metadata } from "next";
import { RuntimesView } from "@/components/runtimes/runtimes-view";

export const metadata: Metadata = { title: "Runtimes" };

export default function RuntimesPage() {
  return <RuntimesView />;
}
