"use client";

import { CloseIcon, PauseIcon, PlayIcon, UploadIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { percentOf, uploadTotals, type UploadItem } from "@/lib/files/upload-queue";
import { formatBytes } from "@/lib/stats/units";
import { ProgressBar } from "./progress-bar";
import type { InterruptedUpload } from "./use-uploads";

const STATUS_TEXT: Record<UploadItem["status"], string> = {
  queued: "Waiting",
  uploading: "Uploading",
  paused: "Paused",
  done: "Uploaded",
  error: "Failed",
};

function IconButton({
  label,
  onClick,
  children,
  testId,
}: {
  label: string;
  onClick: () => void;
  children: React.ReactNode;
  testId: string;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      data-testid={testId}
      className="grid size-7 shrink-0 cursor-pointer place-items-center rounded-md text-zinc-400 transition-colors hover:bg-white/[0.06] hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400"
    >
      {children}
    </button>
  );
}

function UploadRow({
  item,
  onPause,
  onResume,
  onDismiss,
}: {
  item: UploadItem;
  onPause: () => void;
  onResume: () => void;
  onDismiss: () => void;
}) {
  const percent = percentOf(item.sent, item.size);
  const tone =
    item.status === "done"
      ? "green"
      : item.status === "error"
        ? "red"
        : item.status === "paused"
          ? "grey"
          : "sky";
  return (
    <li
      className="px-5 py-2.5"
      data-testid="upload-item"
      data-path={item.path}
      data-status={item.status}
      data-resumed-from={item.resumedFrom}
    >
      <div className="flex items-center gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex items-baseline justify-between gap-3 text-xs">
            <span className="truncate font-mono text-zinc-200" title={item.path}>
              {item.path}
            </span>
            <span className="shrink-0 text-zinc-400 tabular-nums" data-testid="upload-item-status">
              {STATUS_TEXT[item.status]} · {formatBytes(item.sent)} / {formatBytes(item.size)} ·{" "}
              {percent}%
            </span>
          </div>
          <ProgressBar
            percent={percent}
            tone={tone}
            label={`Upload of ${item.name}`}
            testId="upload-item-progress"
            className="mt-1.5"
          />
          {item.error ? (
            <p className="mt-1 text-xs text-red-300" data-testid="upload-item-error">
              {item.error}
            </p>
          ) : item.resumedFrom > 0 && item.status !== "done" ? (
            <p className="mt-1 text-xs text-zinc-500">
              Continued from {formatBytes(item.resumedFrom)}
            </p>
          ) : null}
        </div>
        {item.status === "uploading" || item.status === "queued" ? (
          <IconButton label="Pause" onClick={onPause} testId="upload-pause">
            <PauseIcon className="size-3.5" />
          </IconButton>
        ) : item.status === "paused" || item.status === "error" ? (
          <IconButton
            label={item.status === "error" ? "Retry" : "Resume"}
            onClick={onResume}
            testId="upload-resume"
          >
            <PlayIcon className="size-3.5" />
          </IconButton>
        ) : null}
        <IconButton
          label={item.status === "done" ? "Remove from list" : "Cancel"}
          onClick={onDismiss}
          testId="upload-dismiss"
        >
          <CloseIcon className="size-3.5" />
        </IconButton>
      </div>
    </li>
  );
}

function uploadSummary(
  count: number,
  active: number,
  done: number,
  paused: number,
  failed: number,
): string {
  if (active > 0) return `Uploading ${active} of ${count} ${count === 1 ? "file" : "files"}`;
  const parts = [
    done > 0 ? `${done} uploaded` : null,
    paused > 0 ? `${paused} paused` : null,
    failed > 0 ? `${failed} failed` : null,
  ].filter(Boolean);
  return parts.join(" · ");
}

/** Overall and per-file progress of uploads, with pause and resume; uploads a reload interrupted. */
export function UploadPanel({
  items,
  interrupted,
  onPause,
  onResume,
  onDismiss,
  onClearFinished,
  onForget,
}: {
  items: readonly UploadItem[];
  interrupted: readonly InterruptedUpload[];
  onPause: (id: string) => void;
  onResume: (id: string) => void;
  onDismiss: (id: string) => void;
  onClearFinished: () => void;
  onForget: (upload: InterruptedUpload) => void;
}) {
  if (items.length === 0 && interrupted.length === 0) return null;
  const totals = uploadTotals(items);
  const paused = items.filter((i) => i.status === "paused").length;
  return (
    <section
      className="border-t border-line bg-canvas/30"
      aria-label="Uploads"
      data-testid="upload-panel"
    >
      {items.length > 0 ? (
        <div className="space-y-2 border-b border-line/70 px-5 py-3">
          <div className="flex items-center gap-3 text-sm">
            <UploadIcon className="size-4 text-zinc-400" />
            <span className="font-medium text-zinc-100" data-testid="upload-overall-text">
              {uploadSummary(items.length, totals.active, totals.done, paused, totals.failed)}
            </span>
            <span className="text-xs text-zinc-400 tabular-nums">
              {formatBytes(totals.sent)} / {formatBytes(totals.total)} · {totals.percent}%
            </span>
            {totals.done > 0 ? (
              <Button
                variant="ghost"
                size="sm"
                className="ml-auto"
                onClick={onClearFinished}
                data-testid="upload-clear"
              >
                Clear finished
              </Button>
            ) : null}
          </div>
          <ProgressBar
            percent={totals.percent}
            tone={
              totals.failed > 0 ? "red" : totals.active > 0 ? "sky" : paused > 0 ? "grey" : "green"
            }
            label="All uploads"
            testId="upload-overall-progress"
          />
        </div>
      ) : null}
      {items.length > 0 ? (
        <ul className="max-h-72 divide-y divide-line/50 overflow-y-auto" data-testid="upload-list">
          {items.map((item) => (
            <UploadRow
              key={item.id}
              item={item}
              onPause={() => onPause(item.id)}
              onResume={() => onResume(item.id)}
              onDismiss={() => onDismiss(item.id)}
            />
          ))}
        </ul>
      ) : null}
      {interrupted.length > 0 ? (
        <div className="px-5 py-3" data-testid="upload-interrupted">
          <p className="text-xs text-amber-200">
            {interrupted.length === 1 ? "An upload was" : `${interrupted.length} uploads were`}{" "}
            interrupted. Drop the same {interrupted.length === 1 ? "file" : "files"} here again to
            continue where {interrupted.length === 1 ? "it" : "they"} stopped.
          </p>
          <ul className="mt-2 space-y-1">
            {interrupted.map((u) => (
              <li key={u.key} className="flex items-center gap-3 text-xs">
                <span className="truncate font-mono text-zinc-300">{u.path}</span>
                {u.size !== null ? (
                  <span className="text-zinc-500 tabular-nums">{formatBytes(u.size)}</span>
                ) : null}
                <button
                  type="button"
                  onClick={() => onForget(u)}
                  className="ml-auto cursor-pointer text-zinc-400 hover:text-zinc-100"
                >
                  Forget
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
