"use client";

import type { FileEntry } from "@berth/protocol";
import { useState, type ReactNode } from "react";
import {
  ArrowDownIcon,
  ArrowUpIcon,
  DownloadIcon,
  FileIcon,
  FolderIcon,
  ImageIcon,
  PencilIcon,
  TrashIcon,
} from "@/components/icons";
import { RelativeTime } from "@/components/relative-time";
import { cn } from "@/lib/cn";
import { isArchive, isImage } from "@/lib/files/file-kind";
import { nameProblem } from "@/lib/files/file-path";
import type { FileSort, SortKey } from "@/lib/files/sort-entries";
import { formatBytes } from "@/lib/stats/units";

function SortHeader({
  label,
  column,
  sort,
  onSort,
  className,
}: {
  label: string;
  column: SortKey;
  sort: FileSort;
  onSort: (key: SortKey) => void;
  className?: string;
}) {
  const active = sort.key === column;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
      className={cn(
        "border-b border-line bg-surface-raised/50 px-3 py-2 text-xs font-medium tracking-wide text-zinc-400 uppercase",
        className,
      )}
    >
      <button
        type="button"
        onClick={() => onSort(column)}
        className={cn(
          "inline-flex cursor-pointer items-center gap-1 uppercase hover:text-zinc-100",
          active && "text-zinc-200",
        )}
        data-testid={`file-sort-${column}`}
      >
        {label}
        {active ? (
          sort.dir === "asc" ? (
            <ArrowUpIcon className="size-3" />
          ) : (
            <ArrowDownIcon className="size-3" />
          )
        ) : null}
      </button>
    </th>
  );
}

function RowAction({
  label,
  onClick,
  href,
  children,
  danger,
  testId,
}: {
  label: string;
  onClick?: () => void;
  href?: string;
  children: ReactNode;
  danger?: boolean;
  testId: string;
}) {
  const className = cn(
    "grid size-7 cursor-pointer place-items-center rounded-md text-zinc-500 transition-colors hover:bg-white/[0.06] focus-visible:outline-2 focus-visible:outline-sky-400",
    danger ? "hover:text-red-300" : "hover:text-zinc-100",
  );
  if (href) {
    return (
      <a
        href={href}
        download
        aria-label={label}
        title={label}
        className={className}
        data-testid={testId}
      >
        {children}
      </a>
    );
  }
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className={className}
      data-testid={testId}
    >
      {children}
    </button>
  );
}

function RenameInput({
  initial,
  onCommit,
  onCancel,
}: {
  initial: string;
  onCommit: (name: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const problem = value === initial ? null : nameProblem(value);
  const commit = () => {
    if (value === initial) onCancel();
    else if (!problem) onCommit(value);
  };
  return (
    <span className="flex min-w-0 flex-1 flex-col">
      <input
        autoFocus
        value={value}
        aria-label="New name"
        aria-invalid={problem ? true : undefined}
        onChange={(e) => setValue(e.target.value)}
        onFocus={(e) => {
          // Select the name without its extension, as file managers do.
          const dot = initial.lastIndexOf(".");
          e.target.setSelectionRange(0, dot > 0 ? dot : initial.length);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          } else if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          }
        }}
        onBlur={commit}
        className="h-7 w-full rounded border border-sky-500 bg-canvas px-2 font-mono text-sm text-zinc-100 focus:ring-2 focus:ring-sky-500/30 focus:outline-none aria-invalid:border-red-500"
        data-testid="file-rename-input"
      />
      {problem ? <span className="mt-0.5 text-xs text-red-300">{problem}</span> : null}
    </span>
  );
}

function EntryIcon({ entry }: { entry: FileEntry }) {
  if (entry.type === "dir") return <FolderIcon className="size-4 shrink-0 text-sky-300" />;
  if (isImage(entry.name)) return <ImageIcon className="size-4 shrink-0 text-violet-300" />;
  return <FileIcon className="size-4 shrink-0 text-zinc-400" />;
}

export interface FileTableProps {
  entries: readonly FileEntry[];
  sort: FileSort;
  onSort: (key: SortKey) => void;
  selected: ReadonlySet<string>;
  onSelect: (names: Set<string>) => void;
  renaming: string | null;
  onRenameStart: (name: string) => void;
  onRename: (from: string, to: string) => void;
  onRenameCancel: () => void;
  onOpen: (entry: FileEntry) => void;
  onDelete: (entry: FileEntry) => void;
  onExtract: (entry: FileEntry) => void;
  downloadHref: (entry: FileEntry) => string;
}

/** The folder's entries: sortable columns, checkboxes for bulk actions, rename in place. */
export function FileTable({
  entries,
  sort,
  onSort,
  selected,
  onSelect,
  renaming,
  onRenameStart,
  onRename,
  onRenameCancel,
  onOpen,
  onDelete,
  onExtract,
  downloadHref,
}: FileTableProps) {
  const all = entries.length > 0 && entries.every((e) => selected.has(e.name));
  const some = !all && entries.some((e) => selected.has(e.name));
  const toggle = (name: string) => {
    const next = new Set(selected);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onSelect(next);
  };
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[560px] text-left text-sm" data-testid="file-table">
        <thead>
          <tr>
            <th
              scope="col"
              className="w-10 border-b border-line bg-surface-raised/50 py-2 pr-1 pl-5"
            >
              <input
                type="checkbox"
                aria-label="Select all"
                checked={all}
                ref={(el) => {
                  if (el) el.indeterminate = some;
                }}
                onChange={() => onSelect(all ? new Set() : new Set(entries.map((e) => e.name)))}
                className="size-3.5 cursor-pointer accent-sky-500"
                data-testid="file-select-all"
              />
            </th>
            <SortHeader label="Name" column="name" sort={sort} onSort={onSort} />
            <SortHeader
              label="Size"
              column="size"
              sort={sort}
              onSort={onSort}
              className="w-28 text-right [&>button]:justify-end"
            />
            <SortHeader
              label="Modified"
              column="mtime"
              sort={sort}
              onSort={onSort}
              className="w-36"
            />
            <th scope="col" className="w-36 border-b border-line bg-surface-raised/50 pr-5">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const isSelected = selected.has(entry.name);
            return (
              <tr
                key={entry.name}
                data-testid="file-row"
                data-name={entry.name}
                data-type={entry.type}
                aria-selected={isSelected}
                className={cn(
                  "group border-b border-line/60 text-zinc-300 transition-colors last:border-b-0 hover:bg-zinc-800/30",
                  isSelected && "bg-sky-500/[0.07] hover:bg-sky-500/10",
                )}
              >
                <td className="py-1.5 pr-1 pl-5">
                  <input
                    type="checkbox"
                    aria-label={`Select ${entry.name}`}
                    checked={isSelected}
                    onChange={() => toggle(entry.name)}
                    className="size-3.5 cursor-pointer accent-sky-500"
                    data-testid="file-select"
                  />
                </td>
                <td className="max-w-0 px-3 py-1.5">
                  <div className="flex min-w-0 items-center gap-2.5">
                    <EntryIcon entry={entry} />
                    {renaming === entry.name ? (
                      <RenameInput
                        initial={entry.name}
                        onCommit={(to) => onRename(entry.name, to)}
                        onCancel={onRenameCancel}
                      />
                    ) : (
                      <button
                        type="button"
                        onClick={() => onOpen(entry)}
                        className="min-w-0 cursor-pointer truncate rounded text-left text-zinc-100 hover:text-sky-300 hover:underline focus-visible:outline-2 focus-visible:outline-sky-400"
                        title={entry.name}
                        data-testid="file-open"
                      >
                        {entry.name}
                        {entry.type === "symlink" ? (
                          <span className="ml-1.5 text-xs text-zinc-500">link</span>
                        ) : null}
                      </button>
                    )}
                  </div>
                </td>
                <td className="px-3 py-1.5 text-right text-xs text-zinc-400 tabular-nums">
                  {entry.type === "dir" ? "—" : formatBytes(entry.size)}
                </td>
                <td className="px-3 py-1.5 text-xs text-zinc-400">
                  <RelativeTime date={new Date(entry.mtimeMs)} />
                </td>
                <td className="py-1 pr-5">
                  <div className="flex items-center justify-end gap-0.5 opacity-60 transition-opacity group-hover:opacity-100 focus-within:opacity-100">
                    {entry.type === "file" && isArchive(entry.name) ? (
                      <button
                        type="button"
                        onClick={() => onExtract(entry)}
                        className="mr-1 cursor-pointer rounded px-1.5 py-1 text-xs text-zinc-400 hover:bg-white/[0.06] hover:text-zinc-100"
                        data-testid="file-extract"
                      >
                        Extract
                      </button>
                    ) : null}
                    <RowAction
                      label={`Rename ${entry.name}`}
                      onClick={() => onRenameStart(entry.name)}
                      testId="file-rename"
                    >
                      <PencilIcon className="size-3.5" />
                    </RowAction>
                    <RowAction
                      label={
                        entry.type === "dir"
                          ? `Download ${entry.name} as .tar.gz`
                          : `Download ${entry.name}`
                      }
                      href={downloadHref(entry)}
                      testId="file-download"
                    >
                      <DownloadIcon className="size-3.5" />
                    </RowAction>
                    <RowAction
                      label={`Delete ${entry.name}`}
                      onClick={() => onDelete(entry)}
                      danger
                      testId="file-delete"
                    >
                      <TrashIcon className="size-3.5" />
                    </RowAction>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
