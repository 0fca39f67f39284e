import type { ReactNode } from "react";
import { Card } from "./card";

export function EmptyState({
  icon,
  title,
  description,
  action,
  testId,
}: {
  icon?: ReactNode;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <Card data-testid={testId} className="flex flex-col items-center px-6 py-14 text-center">
      {icon ? (
        <div className="mb-4 flex size-12 items-center justify-center rounded-full border border-line bg-surface-raised text-zinc-400">
          {icon}
        </div>
      ) : null}
      <h2 className="text-base font-semibold text-zinc-100">{title}</h2>
      {description ? <p className="mt-1.5 max-w-sm text-sm text-zinc-400">{description}</p> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </Card>
  );
}
