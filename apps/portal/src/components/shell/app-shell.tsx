import Link from "next/link";
import type { ReactNode } from "react";
import { BerthMark } from "@/components/icons";
import type { SessionUser } from "@/lib/session";
import { ConnectionIndicator } from "./connection-indicator";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";

export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-30 border-b border-line bg-canvas/85 backdrop-blur supports-[backdrop-filter]:bg-canvas/70">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4 sm:px-6">
          <Link
            href="/servers"
            className="flex items-center gap-2 text-zinc-50"
            data-testid="brand"
            aria-label="Berth home"
          >
            <BerthMark className="size-7 text-sky-400" />
            <span className="text-[15px] font-semibold tracking-tight">Berth</span>
          </Link>
          <NavLinks isAdmin={user.role === "admin"} />
          <div className="ml-auto flex items-center gap-3">
            <ConnectionIndicator />
            <UserMenu name={user.name} email={user.email} role={user.role} />
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
