import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireSessionUser } from "@/lib/session";
import { SocketProvider } from "@/lib/socket";

/** Everything behind the login: the shell, and one live socket shared by all pages. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <SocketProvider>
      <AppShell user={user}>{children}</AppShell>
    </SocketProvider>
  );
}
