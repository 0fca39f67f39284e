"use client";

import { ChevronRightIcon } from "@/components/icons";
import { breadcrumbs } from "@/lib/files/file-path";

/** Where the browser is, from the server's folder down; every crumb but the last opens its folder. */
export function FileBreadcrumbs({
  path,
  onOpen,
}: {
  path: string;
  onOpen: (path: string) => void;
}) {
  const crumbs = breadcrumbs(path);
  return (
    <nav aria-label="Folder" className="min-w-0" data-testid="file-breadcrumbs">
      <ol className="flex min-w-0 flex-wrap items-center gap-1 text-sm">
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={crumb.path} className="flex min-w-0 items-center gap-1">
              {i > 0 ? <ChevronRightIcon className="size-3.5 shrink-0 text-zinc-600" /> : null}
              {last ? (
                <span
                  aria-current="page"
                  className="truncate font-medium text-zinc-100"
                  data-testid="file-breadcrumb-current"
                >
                  {crumb.label}
                </span>
              ) : (
                <button
                  type="button"
                  onClick={() => onOpen(crumb.path)}
                  className="cursor-pointer truncate rounded text-zinc-400 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400"
                  data-testid="file-breadcrumb"
                >
                  {crumb.label}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
