import type { ReactNode } from "react";
import { CrashToasts } from "@/components/crashes/crash-toasts";
import { AppShell } from "@/components/shell/app-shell";
import { requireSessionUser } from "@/lib/session";
import { SocketProvider } from "@/lib/socket";

/**
 * Everything behind the login: the shell, one live socket shared by all pages, and the crash
 * toasts that follow the user everywhere.
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <SocketProvider>
      <CrashToasts />
      <AppShell user={user}>{children}</AppShell>
    </SocketProvider>
  );
}
