import Link from "next/link";
import { LockIcon } from "@/components/icons";
import { EmptyState } from "@/components/ui/empty-state";

export function Forbidden() {
  return (
    <EmptyState
      testId="forbidden"
      icon={<LockIcon className="size-5" />}
      title="403 — Admins only"
      description="This page is for administrators. Ask an admin if you need access."
      action={
        <Link
          href="/servers"
          className="inline-flex h-9 items-center rounded-md border border-line bg-surface-raised px-4 text-sm font-medium text-zinc-100 hover:bg-zinc-700/60"
        >
          Back to servers
        </Link>
      }
    />
  );
}
