"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cn } from "@/lib/cn";
import { NodeIcon, RuntimeIcon, ServerIcon, SettingsIcon, TemplateIcon } from "@/components/icons";

interface NavItem {
  href: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  adminOnly?: boolean;
}

const ITEMS: NavItem[] = [
  { href: "/servers", label: "Servers", icon: ServerIcon },
  { href: "/admin/nodes", label: "Nodes", icon: NodeIcon, adminOnly: true },
  { href: "/admin/templates", label: "Templates", icon: TemplateIcon, adminOnly: true },
  { href: "/admin/runtimes", label: "Runtimes", icon: RuntimeIcon, adminOnly: true },
  { href: "/admin/settings", label: "Settings", icon: SettingsIcon, adminOnly: true },
];

export function NavLinks({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const items = ITEMS.filter((item) => isAdmin || !item.adminOnly);

  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map(({ href, label, icon: ItemIcon, adminOnly }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            data-testid={`nav-${label.toLowerCase()}`}
            className={cn(
              "inline-flex h-8 items-center gap-2 rounded-md px-3 text-sm font-medium transition-colors",
              active
                ? "bg-zinc-800 text-zinc-50"
                : "text-zinc-400 hover:bg-zinc-800/60 hover:text-zinc-100",
            )}
          >
            <ItemIcon className="size-4" />
            <span className="hidden sm:inline">{label}</span>
            {adminOnly ? <span className="sr-only">(admin)</span> : null}
          </Link>
        );
      })}
    </nav>
  );
}
