import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { SessionUser } from "@/lib/session";

export function AccountDetails({ user }: { user: SessionUser }) {
  const rows: Array<[string, ReactNode]> = [
    ["Name", user.name ?? <span className="text-zinc-500">—</span>],
    ["Email", <span data-testid="account-email">{user.email}</span>],
    ["Role", <Badge tone={user.role === "admin" ? "sky" : "grey"}>{user.role}</Badge>],
  ];
  return (
    <Card>
      <CardHeader title="Profile" />
      <dl className="divide-y divide-line/70">
        {rows.map(([label, value]) => (
          <div key={label} className="flex items-center justify-between gap-4 px-5 py-3 text-sm">
            <dt className="text-zinc-400">{label}</dt>
            <dd className="text-zinc-200">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
