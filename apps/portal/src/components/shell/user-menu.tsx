"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { ChevronDownIcon, SignOutIcon, UserIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";

export interface UserMenuProps {
  name: string | null;
  email: string;
  role: "admin" | "user";
}

function initials(name: string | null, email: string): string {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  const letters = (parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[1]?.[0] ?? "") : "");
  return letters.toUpperCase() || "?";
}

export function UserMenu({ name, email, role }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        data-testid="user-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 cursor-pointer items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm text-zinc-300 transition-colors hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-400"
      >
        <span className="flex size-6 items-center justify-center rounded-full bg-linear-to-br from-sky-400 to-indigo-500 text-[10px] font-semibold text-zinc-950">
          {initials(name, email)}
        </span>
        <span className="hidden max-w-40 truncate lg:inline">{name || email}</span>
        <ChevronDownIcon
          className={cn("size-3.5 text-zinc-500 transition-transform", open && "rotate-180")}
        />
      </button>

      {open ? (
        <div
          role="menu"
          className="absolute right-0 z-40 mt-2 w-64 overflow-hidden rounded-lg border border-line bg-surface-raised shadow-xl shadow-black/40"
        >
          <div className="border-b border-line px-4 py-3">
            <div className="flex items-center justify-between gap-2">
              <p className="truncate text-sm font-medium text-zinc-100">{name || "Signed in"}</p>
              {role === "admin" ? <Badge tone="sky">admin</Badge> : null}
            </div>
            <p className="truncate text-xs text-zinc-400" data-testid="user-email">
              {email}
            </p>
          </div>
          <Link
            href="/account"
            role="menuitem"
            data-testid="menu-account"
            onClick={() => setOpen(false)}
            className="flex w-full items-center gap-2 px-4 py-2.5 text-left text-sm text-zinc-300 hover:bg-zinc-700/50 hover:text-zinc-50"
          >
            <UserIcon className="size-4" />
            Account
          </Link>
          <button
            type="button"
            role="menuitem"
            data-testid="sign-out"
            disabled={signingOut}
            onClick={async () => {
              setSigningOut(true);
              // Navigate ourselves: a relative URL works whatever origin the portal is reached on.
              await signOut({ redirect: false }).catch(() => undefined);
              window.location.assign("/login");
            }}
            className="flex w-full cursor-pointer items-center gap-2 px-4 py-2.5 text-left text-sm text-zinc-300 hover:bg-zinc-700/50 hover:text-zinc-50 disabled:opacity-60"
          >
            <SignOutIcon className="size-4" />
            {signingOut ? "Signing out…" : "Sign out"}
          </button>
        </div>
      ) : null}
    </div>
  );
}
